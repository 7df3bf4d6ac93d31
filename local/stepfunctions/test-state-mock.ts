/**
 * TestState's checks of a `mock` before anything runs, with the messages AWS
 * answers (ValidationException; texts recorded from AWS in LocalStack's
 * TestState snapshots): which states take a mock, one of result/errorOutput,
 * the result's shape for Map and Parallel, and `fieldValidationMode`.
 *
 * fieldValidationMode (https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html):
 * STRICT (the default) — every required field of the integration's API
 * response is present and every present field has its type; PRESENT — only
 * present fields are checked; NONE — nothing is. Fields the API does not
 * define are never refused. The integration the local engine runs is Lambda
 * (`arn:aws:states:::lambda:invoke`), whose Invoke response has no required
 * field, so there STRICT and PRESENT refuse the same mocks; a Lambda function
 * ARN used directly returns the function's own payload, which has no API shape.
 */
import type { StateDefinition } from '../asl/types';
import { parseTaskResource } from '../asl/task-resource';
import { sfnErrors } from './errors';

export const FIELD_VALIDATION_MODES = ['STRICT', 'PRESENT', 'NONE'] as const;
export type FieldValidationMode = (typeof FIELD_VALIDATION_MODES)[number];

type FieldType = 'string' | 'integer';
interface ResponseShape {
  required: readonly string[];
  fields: Record<string, { type: FieldType; minLength?: number }>;
}

/** Lambda Invoke's response (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_ResponseSyntax); Payload is any JSON in Step Functions. */
const LAMBDA_INVOKE: ResponseShape = {
  required: [],
  fields: {
    StatusCode: { type: 'integer' },
    FunctionError: { type: 'string' },
    LogResult: { type: 'string' },
    ExecutedVersion: { type: 'string', minLength: 1 },
  },
};

const invalid = (message: string) => sfnErrors.validation(`Mock result schema validation error: ${message}`);

/** The API response shape a Task's mocked result stands for, or null when it has none. */
function responseShape(state: StateDefinition): ResponseShape | null {
  const resource = typeof state.Resource === 'string' ? parseTaskResource(state.Resource) : null;
  return resource?.kind === 'invoke' && !resource.waitForTaskToken ? LAMBDA_INVOKE : null;
}

function checkShape(result: unknown, shape: ResponseShape, mode: FieldValidationMode): void {
  if (mode === 'NONE') return;
  if (result === null || typeof result !== 'object' || Array.isArray(result)) throw invalid('The mocked result must be a JSON object');
  const fields = result as Record<string, unknown>;
  if (mode === 'STRICT') for (const name of shape.required) if (!(name in fields)) throw invalid(`Required field '${name}' is missing`);
  for (const [name, value] of Object.entries(fields)) {
    const field = shape.fields[name];
    if (!field) continue;
    if (field.type === 'integer' && !(typeof value === 'number' && Number.isInteger(value))) throw invalid(`Field '${name}' must be a number`);
    if (field.type === 'string') {
      if (typeof value !== 'string') throw invalid(`Field '${name}' must be a string`);
      if (field.minLength !== undefined && value.length < field.minLength) throw invalid(`Field '${name}' is smaller than the minimum length`);
    }
  }
}

export interface MockRequest {
  result?: unknown;
  errorOutput?: unknown;
  fieldValidationMode?: unknown;
}

/** Refuses a mock AWS would refuse; `result` is the parsed mocked result when there is one. */
export function checkMock(state: StateDefinition, mock: MockRequest, result: unknown): void {
  if (state.Type !== 'Task' && state.Type !== 'Map' && state.Type !== 'Parallel')
    throw sfnErrors.validation(`State type '${state.Type}' is not supported when a mock is specified`);
  if (mock.result !== undefined && mock.errorOutput !== undefined)
    throw sfnErrors.validation('A test mock should have only one of the following fields: [result, errorOutput].');
  if (mock.result === undefined && mock.errorOutput === undefined)
    throw sfnErrors.validation('A test mock should have one of the following fields: [result, errorOutput].');
  const mode = mock.fieldValidationMode ?? 'STRICT';
  if (!FIELD_VALIDATION_MODES.includes(mode as FieldValidationMode)) {
    throw sfnErrors.validation(
      `1 validation error detected: Value '${String(mode)}' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [${FIELD_VALIDATION_MODES.join(', ')}]`,
    );
  }
  if (mock.result === undefined) return;
  if (state.Type === 'Map' && !Array.isArray(result)) throw sfnErrors.validation('Mocked result must be an array.');
  if (state.Type === 'Parallel') {
    if (!Array.isArray(result)) throw sfnErrors.validation('Mocked result must be an array.');
    if (result.length !== (state.Branches?.length ?? 0))
      throw sfnErrors.validation('Mocked result must contain the same number of items as number of Parallel branches.');
  }
  const shape = state.Type === 'Task' ? responseShape(state) : null;
  if (shape) checkShape(result, shape, mode as FieldValidationMode);
}
