import { describeError } from '../../../shared/run-timeline/task-outcome';

it('a failure is printed whole: a missing recording names its key and its draft, however long', () => {
  const message = `no recording for conversation "triage#0123456789ab" (turn 0, request hash ${'f'.repeat(64)}) in /tmp/r. A draft to complete is at /tmp/r/drafts/triage-0123456789ab.json. Record one with AIOS_MODEL_RECORD=1.`;
  const cause = JSON.stringify({ errorMessage: message, errorType: 'Agent.ModelRequestFailed', trace: [] });
  expect(describeError('Agent.ModelRequestFailed', cause)).toBe(`Agent.ModelRequestFailed: ${message}`);
});
