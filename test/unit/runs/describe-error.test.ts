import { describeError, describeTaskOutput } from '../../../shared/run-timeline/task-outcome';

it('a failure is printed whole: a missing recording names its key and its draft, however long', () => {
  const message = `no recording for conversation "triage#0123456789ab" (turn 0, request hash ${'f'.repeat(64)}) in /tmp/r. A draft to complete is at /tmp/r/drafts/triage-0123456789ab.json. Record one with AIOS_MODEL_RECORD=1.`;
  const cause = JSON.stringify({ errorMessage: message, errorType: 'Agent.ModelRequestFailed', trace: [] });
  expect(describeError('Agent.ModelRequestFailed', cause)).toBe(`Agent.ModelRequestFailed: ${message}`);
});

it("a tool's failure is printed whole in a one-line summary too, its result cut", () => {
  const message =
    'payments.schedule failed: secret "payments-api-key" not found (looked in: env AIOS_SECRET_PAYMENTS_API_KEY, /srv/.aios/secrets/payments-api-key)';
  const output = (status: string, text: string) => JSON.stringify({ Payload: { toolUseId: 'tu', status, message: text }, StatusCode: 200 });
  expect(describeTaskOutput(output('error', message), true)).toBe(`error: ${message}`);
  const ran = describeTaskOutput(output('ran', `{"results":[${'"x",'.repeat(50)}"y"]}`), true);
  expect(ran.length).toBe(60);
  expect(ran.endsWith('…')).toBe(true);
});
