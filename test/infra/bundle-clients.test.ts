/**
 * Each Lambda bundle carries only the AWS SDK clients its code reaches: every
 * client is imported by its own module in shared/aws/, never all at once.
 * (Handlers that load the business definition also carry what its tools use.)
 */
import { build } from 'esbuild';
import path from 'node:path';

const root = path.join(__dirname, '../..');

async function sdkClients(fn: string): Promise<string[]> {
  const result = await build({
    entryPoints: [path.join(root, 'functions', fn, 'index.ts')],
    bundle: true,
    platform: 'node',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: path.join(root, 'cdk.out', 'bundle-clients.js'),
  });
  const names = Object.keys(result.metafile!.inputs).map((input) => /@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input)?.[1]);
  return [...new Set(names.filter((n): n is string => n !== undefined))].sort();
}

jest.setTimeout(120_000);

test.each([
  // Secrets Manager: every audit writer keys its records with the audit chain key.
  ['emit-event', ['client-dynamodb', 'client-eventbridge', 'client-secrets-manager']],
  // S3: a delivery too big for an event is stored in the payload bucket.
  ['webhook-ingest', ['client-dynamodb', 'client-eventbridge', 'client-s3', 'client-secrets-manager']],
])('%s bundles only %j', async (fn, expected) => {
  expect(await sdkClients(fn)).toEqual(expected);
});

test('no Lambda bundles the Scheduler client (only the CLI and the local runtime use it)', async () => {
  for (const fn of ['agent-step', 'tool-gate', 'approval-request']) expect(await sdkClients(fn)).not.toContain('client-scheduler');
});
