import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '../..');

/**
 * Repository files and package files whose code ends up in `entry` bundled as synth bundles a function
 * (esbuild, ES module builds first, minified unless told otherwise), named as esbuild's metafile names them.
 */
export async function bundledInputs(entry: string, options: { minify?: boolean } = {}): Promise<string[]> {
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
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
}
