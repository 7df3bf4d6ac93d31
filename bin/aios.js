#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so a fresh clone needs no build step.
'use strict';
const path = require('node:path');
require('tsx/cjs');
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
