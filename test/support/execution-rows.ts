/** Execution rows as the engine stores them, for tests of the store's own tables. */
import type { ExecutionRow } from '../../local/stepfunctions/store';
import { generatedName } from '../../local/stepfunctions/task-token';

export const MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:m';

/** Each id's name as the engine generates it, drawn once so that a row read back is compared with the row written. */
const names = new Map<number, string>();

/** Execution `id` of `machine`, as the engine would write it: what a test does not give is the same for every row. */
export function executionRow(id: number, fields: Partial<Pick<ExecutionRow, 'sm_arn' | 'started' | 'status' | 'input'>> = {}): ExecutionRow {
  const name = names.get(id) ?? names.set(id, generatedName(id)).get(id)!;
  const sm = fields.sm_arn ?? MACHINE_ARN;
  return {
    id,
    arn: `${sm.replace(':stateMachine:', ':execution:')}:${name}`,
    sm_arn: sm,
    name,
    def_hash: 'h',
    role_arn: 'r',
    input: fields.input ?? '{}',
    status: fields.status ?? 'RUNNING',
    started: fields.started ?? 1000 + id,
    stopped: null,
    output: null,
    error: null,
    cause: null,
    timeout_at: null,
  };
}
