import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '../..');

/**
 * Repository files and package files whose code ends up in `entry` bundled as synth bundles a function
 * (esbuild, ES module builds first, minified unless told otherwise), named as esbuild's metafile names them.
 * `minBytes` (default 1): leave out files that put fewer bytes in the bundle (a module loaded on first use whose code
 * was all dropped still leaves esbuild's empty initialiser of it, 17 B).
 */
export async function bundledInputs(entry: string, options: { minify?: boolean; minBytes?: number } = {}): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: options.minify ?? true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Names the output only: nothing is written.
    outfile: path.join(root, 'cdk.out', 'bundled-inputs.js'),
  });
  const [output] = Object.values(result.metafile.outputs);
  return Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput >= (options.minBytes ?? 1))
    .map(([file]) => file);
}
