/**
 * Task and execution events store their details in short forms (history-chunk.ts): each must read back as exactly
 * the object, keys in the same order, that the full JSON text gave (GetExecutionHistory answers with it).
 */
import {
  ChunkWriter,
  constantDetails,
  decodeChunk,
  jsonDetails,
  scheduledDetails,
  startedDetails,
  type EventDetails,
} from '../../../local/stepfunctions/history-chunk';

/** The details one event stored with `details` reads back as, as JSON text (so key order counts). */
function readBack(details: EventDetails): { text: string; stored: string } {
  const writer = new ChunkWriter(1, 1000);
  writer.add(1, 1000, 'TaskScheduled', 0, details, null, null);
  const stored = writer.toString();
  return { text: JSON.stringify(decodeChunk(stored)[0][4]), stored };
}

const resource = 'arn:aws:lambda:us-east-1:123456789012:function:inc';

test.each([
  { outputDetails: { truncated: false } },
  { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' },
  { resourceType: 'lambda', resource: 'invoke.waitForTaskToken', outputDetails: { truncated: false } },
  { resource, inputDetails: { truncated: false } },
  { resource, inputDetails: { truncated: false }, timeoutInSeconds: 5 },
  { length: 3 },
])('constant details %j are stored short and read back the same', (details) => {
  const { text, stored } = readBack(constantDetails({ ...details }));
  expect(text).toBe(JSON.stringify(details));
  expect(stored.length).toBeLessThanOrEqual(readBack(jsonDetails(JSON.stringify(details))).stored.length);
});

test('ExecutionStarted keeps its input text, role and machine', () => {
  const input = JSON.stringify({ a: 'tab\there "quoted"', b: [1, 2] });
  const role = 'arn:aws:iam::123456789012:role/r';
  const machine = 'arn:aws:states:us-east-1:123456789012:stateMachine:m';
  const full = { input, inputDetails: { truncated: false }, roleArn: role, stateMachineArn: machine };
  const { text, stored } = readBack(startedDetails(input, `${JSON.stringify(role)},${JSON.stringify(machine)}`));
  expect(text).toBe(JSON.stringify(full));
  expect(stored).not.toContain('inputDetails');
});

test.each([
  [null, null],
  [30, null],
  [null, 10],
  [30, 10],
])('TaskScheduled keeps its parameters as JSON text, timeout %p, heartbeat %p', (timeout, heartbeat) => {
  const parameters = { FunctionName: 'park', Payload: { token: 'AAAA-_x', text: 'line\nbreak "q" \\', n: 1.5e-7, __proto__x: null } };
  const full: Record<string, unknown> = {
    resourceType: 'lambda',
    resource: 'invoke.waitForTaskToken',
    region: 'us-east-1',
    parameters: JSON.stringify(parameters),
  };
  if (timeout) full.timeoutInSeconds = timeout;
  if (heartbeat) full.heartbeatInSeconds = heartbeat;
  const { text, stored } = readBack(scheduledDetails('"invoke.waitForTaskToken","us-east-1"', parameters, timeout, heartbeat));
  expect(text).toBe(JSON.stringify(full));
  expect(stored).not.toContain('\\"FunctionName');
});
