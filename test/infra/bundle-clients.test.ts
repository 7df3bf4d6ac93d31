/**
 * Each Lambda bundle carries only the AWS SDK clients its code reaches: every
 * client is imported by its own module in shared/aws/, never all at once.
 * (Handlers that load the business definition also carry what its tools use.)
 */
import { build } from 'esbuild';
import { bundledInputs } from '../support/bundled-inputs';
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

/** The SDK clients whose code is in the output when bundled as the stack bundles (ES module builds, so unused code is dropped). */
async function carriedClients(fn: string): Promise<string[]> {
  const names = (await bundledInputs(path.join(root, 'functions', fn, 'index.ts'), { minify: false })).map(
    (input) => /@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input)?.[1],
  );
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

test.each([
  // The definition's tools act through ports the tool functions are given, so reading the definition carries no SES or EventBridge.
  // client-s3: a webhook delivery too big for an event is read from the payload bucket into the agent's input.
  ['agent-step', ['client-bedrock-runtime', 'client-dynamodb', 'client-s3', 'client-secrets-manager']],
  ['tool-gate', ['client-dynamodb', 'client-secrets-manager']],
  // Deciding sends no email: only approval-request builds the mailer.
  ['approval-http', ['client-dynamodb', 'client-secrets-manager', 'client-sfn']],
  ['approval-request', ['client-dynamodb', 'client-secrets-manager', 'client-sesv2', 'client-sfn']],
])('%s carries only %j (the composition root builds one adapter per factory)', async (fn, expected) => {
  expect(await carriedClients(fn)).toEqual(expected);
});
