import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateStateMachineCommand, StartExecutionCommand, DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { FunctionRegistry } from '../local/functions';
import { openStepFunctions } from '../local/stepfunctions';
import { startLocalHttpServer } from '../local/server/local-http-server';
import { createAwsClients } from '../shared/aws/clients';
async function main() {
  const registry = new FunctionRegistry('us-east-1', '123456789012');
  registry.register('echo', async (e) => e);
  const sfn = openStepFunctions({ dataDir: mkdtempSync(path.join(tmpdir(), 'smoke-')), functions: registry });
  const server = await startLocalHttpServer({ services: [sfn.service] });
  const c = createAwsClients({ endpoint: server.url }, {}).sfn();
  const { stateMachineArn } = await c.send(new CreateStateMachineCommand({ name: 'demo', roleArn: 'arn:aws:iam::123456789012:role/x', definition: JSON.stringify({ StartAt: 'Echo', States: { Echo: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:echo', End: true } } }) }));
  const { executionArn } = await c.send(new StartExecutionCommand({ stateMachineArn, name: 'smoke-1', input: '{"hello":"world"}' }));
  for (;;) { const d = await c.send(new DescribeExecutionCommand({ executionArn })); if (d.status !== 'RUNNING') break; await new Promise((r) => setTimeout(r, 20)); }
  const env = { ...process.env, AWS_ENDPOINT_URL: server.url, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' };
  const run = (args: string[]) => { try { return execFileSync('node', ['bin/aios.js', ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }); } catch (e: any) { return `exit ${e.status}: ${e.stdout}${e.stderr}`; } };
  console.log(run(['runs']));
  console.log(run(['runs', '--status', 'FAILED']));
  console.log(run(['runs', 'show', 'smoke-1']));
  console.log(run(['runs', 'show', 'nope']).split('\n').filter((l) => l.startsWith('error') || l.startsWith('exit')).join('\n'));
  c.destroy(); await server.close(); sfn.close();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
