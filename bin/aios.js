#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so a fresh clone needs no build step.
'use strict';
const path = require('node:path');
require('tsx/cjs');

// The AWS SDK warns on every process that Node 20 support ends in 2027; AIOS
// supports Node 20 and 22 and says so in the README, so the CLI output stays readable.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning && warning.name;
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0] && rest[0].type;
  if (String(text).includes('NodeVersionSupportWarning') || type === 'NodeVersionSupportWarning') return;
  emitWarning(warning, ...rest);
};
// A closed pipe (`aios runs | head -3`) ends the command quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error && error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
const { main } = require(path.join(__dirname, '..', 'cli', 'main.ts'));
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 2;
  },
);
