/**
 * Which model failures Step Functions retries: throttling and unavailability by code; a refusal no retry can
 * change (a missing recording from the replay provider in process, a validation error) fails at once, so a
 * run without a recording does not back off for minutes before saying so.
 */
import { modelCallError } from '../../../shared/agents/errors';

const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${name} happened`), { name, ...extra });

test.each([
  ['ThrottlingException', { $metadata: {} }, 'Agent.ModelThrottled'],
  ['ServiceUnavailableException', { $metadata: {} }, 'Agent.ModelUnavailable'],
  ['ECONNRESET', {}, 'Agent.ModelUnavailable'],
  ['ResourceNotFoundException', {}, 'Agent.ModelRequestFailed'],
  ['ResourceNotFoundException', { $metadata: {} }, 'Agent.ModelRequestFailed'],
  ['ValidationException', {}, 'Agent.ModelRequestFailed'],
])('%s %j → %s', (name, extra, code) => {
  expect(modelCallError('triage', named(name, extra))).toMatchObject({ name: code });
});
