/**
 * The Step Functions API (`X-Amz-Target: AWSStepFunctions.<Action>`, JSON 1.0)
 * over the durable engine. Timestamps are epoch seconds, as the JSON protocol
 * sends them; errors carry AWS's names so the SDK raises its exception classes.
 */
import { createHash } from 'node:crypto';
import { validateDefinition } from '../asl';
import type { AwsJsonService } from '../server/aws-json-service';
import { nestingProblem } from '../server/json-nesting';
import { isValidName, parseExecutionArn, parseStateMachineArn, stateMachineArn } from './arns';
import type { StepFunctionsEngine } from './engine';
import { sfnErrors } from './errors';
import { ExecutionListing, type ListCursor } from './execution-listing';
import { toHistoryEvent } from './history';
import type { ExecutionRow, MachineRow } from './store';
import { redriveStatus, type RedrivePoint } from './redrive';
import { testState, type TestStateRequest } from './test-state';

type Input = Record<string, unknown>;
type Handler = (input: Input) => unknown;

const DEFAULT_ROLE = 'arn:aws:iam::123456789012:role/aios-local-stepfunctions';

function str(input: Input, field: string, required = true): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) {
    if (required) throw sfnErrors.validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof v !== 'string') throw sfnErrors.validation(`'${field}' must be a string`);
  return v;
}

function pageSize(input: Input, fallback: number): number {
  const v = input.maxResults;
  if (v === undefined || v === null || v === 0) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1000) throw sfnErrors.validation("'maxResults' must be an integer from 0 to 1000");
  return v;
}

function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken<T>(token: unknown): T | null {
  if (token === undefined || token === null) return null;
  try {
    return JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as T;
  } catch {
    throw sfnErrors.validation('Invalid nextToken');
  }
}

function revisionOf(definition: string, roleArn: string): string {
  return createHash('sha256').update(`${definition}\u0000${roleArn}`).digest('hex').slice(0, 32);
}

function describeExecution(row: ExecutionRow, redrive: Record<string, unknown>): Record<string, unknown> {
  return {
    executionArn: row.arn,
    stateMachineArn: row.sm_arn,
    name: row.name,
    status: row.status,
    startDate: row.started / 1000,
    ...(row.stopped !== null ? { stopDate: row.stopped / 1000 } : {}),
    input: row.input,
    inputDetails: { included: true },
    ...(row.output !== null ? { output: row.output, outputDetails: { included: true } } : {}),
    ...(row.error !== null && row.error !== '' ? { error: row.error } : {}),
    ...(row.cause !== null && row.cause !== '' ? { cause: row.cause } : {}),
    ...redrive,
  };
}

function describeMachine(row: MachineRow): Record<string, unknown> {
  return {
    stateMachineArn: row.arn,
    name: row.name,
    status: 'ACTIVE',
    definition: row.definition,
    roleArn: row.role_arn,
    type: row.type,
    creationDate: row.created / 1000,
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
    revisionId: row.revision,
  };
}

/** Builds the `AWSStepFunctions` JSON 1.0 service for the one-port local server. */
export function stepFunctionsService(engine: StepFunctionsEngine): AwsJsonService {
  const store = engine.store;
  const listing = new ExecutionListing(store.db);

  const machineFor = (arn: string | undefined): MachineRow => {
    if (!arn || !parseStateMachineArn(arn)) throw sfnErrors.invalidArn(`Invalid Arn: '${arn}'`);
    const row = store.getMachine(arn);
    if (!row) throw sfnErrors.stateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    return row;
  };

  const executionFor = (arn: string | undefined): ExecutionRow => {
    if (!arn || !parseExecutionArn(arn)) throw sfnErrors.invalidArn(`Invalid Arn: '${arn}'`);
    const row = store.getExecution(arn);
    if (!row) throw sfnErrors.executionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
    return row;
  };

  const handlers: Record<string, Handler> = {
    CreateStateMachine: (input) => {
      const name = str(input, 'name')!;
      if (!isValidName(name)) throw sfnErrors.invalidName(`Invalid Name: '${name}'`);
      const definition = str(input, 'definition')!;
      const roleArn = str(input, 'roleArn', false) ?? DEFAULT_ROLE;
      const type = str(input, 'type', false) ?? 'STANDARD';
      if (type !== 'STANDARD' && type !== 'EXPRESS') throw sfnErrors.validation(`Invalid type '${type}'`);
      engineParse(definition);
      const arn = stateMachineArn(engine.scope, name);
      const existing = store.getMachine(arn);
      if (existing) {
        if (existing.definition === definition && existing.role_arn === roleArn) return { stateMachineArn: arn, creationDate: existing.created / 1000 };
        throw sfnErrors.stateMachineAlreadyExists(`State Machine Already Exists: '${arn}'`);
      }
      const created = Date.now();
      store.insertMachine({ arn, name, definition, role_arn: roleArn, type, created, updated: null, revision: revisionOf(definition, roleArn) });
      return { stateMachineArn: arn, creationDate: created / 1000 };
    },

    UpdateStateMachine: (input) => {
      const row = machineFor(str(input, 'stateMachineArn'));
      const definition = str(input, 'definition', false) ?? row.definition;
      const roleArn = str(input, 'roleArn', false) ?? row.role_arn;
      if (definition === row.definition && roleArn === row.role_arn && input.definition === undefined && input.roleArn === undefined) {
        throw sfnErrors.validation('Either the definition or the roleArn must be specified');
      }
      engineParse(definition);
      const updated = Date.now();
      const revision = revisionOf(definition, roleArn);
      // Running executions keep the definition they started with (stored per execution).
      store.updateMachine({ arn: row.arn, definition, role_arn: roleArn, updated, revision });
      return { updateDate: updated / 1000, revisionId: revision };
    },

    DescribeStateMachine: (input) => describeMachine(machineFor(str(input, 'stateMachineArn'))),

    DescribeStateMachineForExecution: (input) => {
      const exec = executionFor(str(input, 'executionArn'));
      const machine = machineFor(exec.sm_arn);
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        definition: machine.definition,
        roleArn: machine.role_arn,
        updateDate: (machine.updated ?? machine.created) / 1000,
      };
    },

    ListStateMachines: (input) => {
      const limit = pageSize(input, 100);
      const after = decodeToken<{ name: string }>(input.nextToken);
      const rows = store.listMachines(after?.name ?? '', limit + 1);
      const page = rows.slice(0, limit);
      return {
        stateMachines: page.map((r) => ({ stateMachineArn: r.arn, name: r.name, type: r.type, creationDate: r.created / 1000 })),
        ...(rows.length > limit ? { nextToken: encodeToken({ name: page[page.length - 1].name }) } : {}),
      };
    },

    DeleteStateMachine: (input) => {
      const arn = str(input, 'stateMachineArn')!;
      if (!parseStateMachineArn(arn)) throw sfnErrors.invalidArn(`Invalid Arn: '${arn}'`);
      store.deleteMachine(arn);
      return {};
    },

    ValidateStateMachineDefinition: (input) => {
      const definition = str(input, 'definition')!;
      const max = typeof input.maxResults === 'number' && input.maxResults > 0 ? input.maxResults : 100;
      const { diagnostics } = validateDefinition(definition);
      return { result: diagnostics.length ? 'FAIL' : 'OK', diagnostics: diagnostics.slice(0, max), truncated: diagnostics.length > max };
    },

    StartExecution: async (input) => {
      const text = str(input, 'input', false);
      const tooDeep = text === undefined ? null : nestingProblem(text, 'The execution input');
      if (tooDeep) throw sfnErrors.invalidExecutionInput(`Invalid State Machine Execution Input: ${tooDeep}`);
      const { executionArn, startDate } = await engine.startExecution({
        stateMachineArn: str(input, 'stateMachineArn')!,
        name: str(input, 'name', false),
        input: text,
      });
      return { executionArn, startDate };
    },

    DescribeExecution: (input) => {
      const row = executionFor(str(input, 'executionArn'));
      const stored = store.getRedrive(row.id);
      const record = stored ? { point: JSON.parse(stored.point) as RedrivePoint, count: stored.count, redrivenAt: stored.redriven_at } : undefined;
      return describeExecution(row, redriveStatus(row, store.getMachine(row.sm_arn)?.type, record, Date.now()));
    },

    RedriveExecution: async (input) => {
      const arn = str(input, 'executionArn');
      executionFor(arn);
      return engine.redriveExecution(arn!);
    },

    ListExecutions: (input) => {
      const machine = machineFor(str(input, 'stateMachineArn'));
      const status = str(input, 'statusFilter', false) ?? null;
      if (status && !['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'].includes(status))
        throw sfnErrors.validation(`Invalid statusFilter '${status}'`);
      const limit = pageSize(input, 100);
      const after = decodeToken<ListCursor>(input.nextToken);
      const rows = listing.list(machine.arn, status, after, limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        executions: page.map((r) => ({
          executionArn: r.arn,
          stateMachineArn: r.sm_arn,
          name: r.name,
          status: r.status,
          startDate: r.started / 1000,
          ...(r.stopped !== null ? { stopDate: r.stopped / 1000 } : {}),
          redriveCount: r.redrive_count,
        })),
        ...(rows.length > limit ? { nextToken: encodeToken({ started: last.started, id: last.id }) } : {}),
      };
    },

    GetExecutionHistory: (input) => {
      const exec = executionFor(str(input, 'executionArn'));
      const limit = pageSize(input, 100);
      const reverse = input.reverseOrder === true;
      const after = decodeToken<{ id: number }>(input.nextToken);
      const from = after?.id ?? (reverse ? Number.MAX_SAFE_INTEGER : 0);
      const rows = store.history(exec.id, from, limit + 1, reverse);
      const page = rows.slice(0, limit);
      const includeData = input.includeExecutionData !== false;
      const events = page.map((r) => {
        const event = toHistoryEvent(r);
        if (!includeData) {
          for (const value of Object.values(event)) {
            if (value && typeof value === 'object') {
              delete (value as Record<string, unknown>).input;
              delete (value as Record<string, unknown>).output;
            }
          }
        }
        return event;
      });
      return { events, ...(rows.length > limit ? { nextToken: encodeToken({ id: page[page.length - 1][0] }) } : {}) };
    },

    StopExecution: async (input) => {
      const arn = str(input, 'executionArn');
      executionFor(arn);
      return engine.stopExecution(arn!, str(input, 'error', false), str(input, 'cause', false));
    },

    SendTaskSuccess: async (input) => {
      const tooDeep = typeof input.output === 'string' ? nestingProblem(input.output, 'The task output') : null;
      if (tooDeep) throw sfnErrors.invalidOutput(`Invalid Output: ${tooDeep}`);
      await engine.sendTaskSuccess(input.taskToken, input.output);
      return {};
    },

    SendTaskFailure: async (input) => {
      await engine.sendTaskFailure(input.taskToken, str(input, 'error', false), str(input, 'cause', false));
      return {};
    },

    TestState: (input) => {
      str(input, 'definition');
      return testState(input as TestStateRequest, engine.functions, engine.scope);
    },

    SendTaskHeartbeat: async (input) => {
      await engine.sendTaskHeartbeat(input.taskToken);
      return {};
    },
  };

  function engineParse(definition: string): void {
    const { diagnostics } = validateDefinition(definition);
    if (diagnostics.length) {
      throw sfnErrors.invalidDefinition(
        `Invalid State Machine Definition: '${diagnostics.map((d) => `${d.code}: ${d.message} at ${d.location || '/'}`).join(', ')}'`,
      );
    }
  }

  return {
    targetPrefix: 'AWSStepFunctions',
    jsonVersion: '1.0',
    async handle(action, input) {
      const handler = handlers[action];
      if (!handler) throw sfnErrors.unknownOperation(`The local Step Functions API does not implement ${action}`);
      return handler(input);
    },
  };
}
