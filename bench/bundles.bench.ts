/**
 * Bundle size of every Lambda against its budget (shared/deployment/function-specs.ts),
 * bundled with the same esbuild options as the stack's NodejsFunction. Peer:
 * the same entry with `@aws-sdk/*` left to the runtime, to show what bundling
 * the pinned SDK costs.
 */
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import exampleOs from '../examples/kestrel-coffee';
import { loadValidOs } from '../shared/definition';
import { planDeployment } from '../shared/deployment/deployment-plan';

const root = path.resolve(__dirname, '..');

async function bundledBytes(entry: string, external: string[]): Promise<number> {
  const options: BuildOptions = {
    entryPoints: [path.join(root, entry)],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    write: false,
    outfile: path.join(root, 'cdk.out', 'bench-bundle.js'),
    external,
    logLevel: 'silent',
  };
  const result = await build(options);
  return result.outputFiles!.find((f) => f.path.endsWith('.js'))!.contents.byteLength;
}

export default async function (): Promise<string> {
  const plan = planDeployment(loadValidOs(exampleOs));
  const sizes = new Map<string, { bundled: number; sdkExternal: number }>();
  for (const entry of new Set(plan.functions.map((f) => f.entry))) {
    sizes.set(entry, { bundled: await bundledBytes(entry, []), sdkExternal: await bundledBytes(entry, ['@aws-sdk/*']) });
  }
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  const rows = plan.functions.map((f) => {
    const s = sizes.get(f.entry)!;
    const verdict = s.bundled <= f.bundleBudgetBytes ? 'within' : '**OVER**';
    return `| ${f.functionName} | ${kib(s.bundled)} | ${kib(f.bundleBudgetBytes)} | ${verdict} | ${kib(s.sdkExternal)} | ${(s.bundled / s.sdkExternal).toFixed(2)}× |`;
  });
  const over = plan.functions.filter((f) => sizes.get(f.entry)!.bundled > f.bundleBudgetBytes).map((f) => f.functionName);
  return [
    '## Lambda bundle sizes',
    '',
    'Each function of the example deployment bundled as `npm run synth` does (esbuild, minified, node22, CJS, AWS SDK v3 included), against its budget. Peer: the same entry with `@aws-sdk/*` left to the Lambda runtime; the ratio is what shipping the pinned SDK costs. Tool functions share one entry (`functions/tool-run`).',
    '',
    '| function | bundle | budget | | SDK external | ratio |',
    '|---|---:|---:|---|---:|---:|',
    ...rows,
    '',
    over.length === 0 ? 'Every function is within its budget.' : `Over budget: ${over.join(', ')}.`,
    '',
  ].join('\n');
}
