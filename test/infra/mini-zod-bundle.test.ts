/**
 * A bundled Lambda reports validation issues in words, as the tests see them:
 * `shared/mini-zod.ts` sets zod/mini's English locale by a top-level call, which
 * a bundler drops from a module it thinks has no side effects (package.json
 * `sideEffects` must name it).
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';

const root = path.join(__dirname, '../..');

test('a schema bundled as synth bundles it (minified, ES module builds) says what was expected', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aios-mini-zod-'));
  try {
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import * as z from ${JSON.stringify(path.join(root, 'shared/mini-zod'))};\n` +
        `result.message = z.object({ a: z.string() }).safeParse({ a: 1 }).error?.issues[0]?.message;\n`,
    );
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      minify: true,
      mainFields: ['module', 'main'],
      write: false,
      logLevel: 'silent',
      absWorkingDir: root,
    });
    const result: { message?: string } = {};
    runInNewContext(out.outputFiles[0].text, { result, require, module: {}, exports: {} });
    expect(result.message).toBe('Invalid input: expected string, received number');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
