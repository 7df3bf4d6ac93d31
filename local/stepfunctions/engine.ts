/**
 * The durable Step Functions engine: its public API. Executions are trees of
 * frames (frame.ts) stepped in batches that commit before they act
 * (batch.ts); the parts are:
 * - transitions.ts: entering and leaving states, Retry and Catch
 * - task-invocation.ts: Task states, task tokens, invoking functions
 * - forks.ts: Map and Parallel
 * - jsonata-evaluation.ts: JSONata states, evaluated outside the batch
 * - timers.ts: Wait, retry, task and execution timeouts
 * - closing.ts: how an execution ends, and who waits for it
 * - recovery.ts: restart, rollback of a failed commit, poisoned work
 */
import type { JsonValue } from '../asl/types';
import type { FunctionRegistry } from '../functions';
import { executionArn as makeExecutionArn, executionArnPrefix, isValidName, parseStateMachineArn, type ArnScope } from './arns';
import type { BatchHost } from './batch';
import type { ClosedListener } from './closing';
import { EngineCore } from './core';
import { Definitions } from './definitions';
import { sfnErrors } from './errors';
import { Recovery } from './recovery';
import { redriveRefusal, type RedrivePoint } from './redrive';
import { answerLast, newRun, pendingAnswer, runOfRow, settle, type Effect, type Work } from './run';
import type { ExecutionRow, ExecutionStore } from './store';
import { generatedExecutionArn } from './task-token';
import { Transitions } from './transitions';

export type { ExecutionStatus } from './run';

export interface EngineOptions {
  store: ExecutionStore;
  functions: FunctionRegistry;
  scope?: ArnScope;
  /** Most transitions committed in one transaction (bounds event-loop blocking). */
  maxBatch?: number;
}

export interface StartExecutionInput {
  stateMachineArn: string;
  name?: string;
  /** JSON text (as the API takes it); defaults to `{}`. */
  input?: string;
}

const MAX_PAYLOAD_BYTES = 256 * 1024;

function tooLarge(text: string): boolean {
  // Byte length only when the character count says it may matter (it walks the string).
  return text.length > MAX_PAYLOAD_BYTES && Buffer.byteLength(text) > MAX_PAYLOAD_BYTES;
}

export class StepFunctionsEngine {
  readonly store: ExecutionStore;
  readonly functions: FunctionRegistry;
  readonly scope: ArnScope;
  private readonly core: EngineCore;
  private readonly transitions: Transitions;
  private readonly recovery: Recovery;
  private readonly definitions = new Definitions();
  private nextExecutionId: number;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.functions = options.functions;
    this.scope = options.scope ?? { region: options.functions.region, accountId: options.functions.accountId };
    this.core = new EngineCore(this.store, this.functions, this.scope, options.maxBatch ?? 2_000);
    this.transitions = new Transitions(this.core);
    this.recovery = new Recovery(this.core, this.transitions, this.definitions);
    const { tasks, evaluation } = this.transitions;
    const host: BatchHost = {
      process: (work: Work) => this.transitions.process(work),
      failWork: (work, error) => this.recovery.failWork(work, error),
      rollBack: (waiting, error) => this.recovery.rollBack(waiting, error),
      failInside: (run, error) => this.recovery.failInside(run, error),
      perform: (effect: Effect) => {
        if (effect.frame.dead || effect.frame.gen !== effect.gen) return;
        if (effect.kind === 'invoke') tasks.invoke(effect.frame, effect.gen);
        else if (effect.kind === 'evaluate') evaluation.run(effect.frame, effect.gen);
        else this.core.timers.set(effect.key, effect.frame, effect.gen, effect.at, effect.event);
      },
    };
    this.core.batch.host = host;
    this.nextExecutionId = this.store.maxExecutionId();
  }

  /** Called with every state entered (benchmarks measure latency with it). */
  onStateEntered(listener: (executionArn: string, stateName: string) => void): void {
    this.transitions.transitionListener = listener;
  }

  /**
   * Called with every execution that closes (SUCCEEDED, FAILED, TIMED_OUT, ABORTED), once committed: the local
   * runtime sends Step Functions' status change event from it. The engine alone calls nothing.
   */
  onExecutionClosed(listener: ClosedListener): void {
    this.transitions.closings.closedListener = listener;
  }

  /**
   * Starts an execution (also used in process by local EventBridge targets).
   * Name idempotency as AWS: the same name and input as a RUNNING execution
   * returns it; otherwise a used name is ExecutionAlreadyExists.
   * @example await engine.startExecution({ stateMachineArn, input: JSON.stringify({ id: 1 }) })
   */
  startExecution(request: StartExecutionInput): Promise<{ executionArn: string; startDate: number }> {
    try {
      return this.start(request);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** StartExecution's work; throws its validation errors (startExecution turns them into a rejection). */
  private start(request: StartExecutionInput): Promise<{ executionArn: string; startDate: number }> {
    if (!parseStateMachineArn(request.stateMachineArn)) throw sfnErrors.invalidArn(`Invalid Arn: '${request.stateMachineArn}'`);
    const machine = this.store.getMachine(request.stateMachineArn);
    if (!machine) throw sfnErrors.stateMachineDoesNotExist(`State Machine Does Not Exist: '${request.stateMachineArn}'`);
    const id = ++this.nextExecutionId;
    let name = request.name;
    if (name !== undefined && !isValidName(name)) throw sfnErrors.invalidName(`Invalid Name: '${name}'`);
    const inputText = request.input ?? '{}';
    let input: JsonValue;
    try {
      input = JSON.parse(inputText) as JsonValue;
    } catch (error) {
      throw sfnErrors.invalidExecutionInput(`Invalid State Machine Execution Input: '${(error as Error).message}'`);
    }
    if (tooLarge(inputText)) throw sfnErrors.invalidExecutionInput('Execution input exceeds the 256 KiB limit');
    let arn: string;
    if (name === undefined) {
      arn = generatedExecutionArn(executionArnPrefix(this.scope, machine.name), id);
      name = arn.slice(arn.length - 36);
    } else arn = makeExecutionArn(this.scope, machine.name, name);
    const running = this.core.runs.get(arn);
    if (running) {
      if (running.inputText === inputText) return Promise.resolve({ executionArn: arn, startDate: running.started / 1000 });
      throw sfnErrors.executionAlreadyExists(`Execution Already Exists: '${arn}'`);
    }
    // A generated name is a fresh UUID: only a caller-chosen name can collide with a closed execution.
    if (request.name !== undefined && this.store.getExecution(arn)) throw sfnErrors.executionAlreadyExists(`Execution Already Exists: '${arn}'`);
    const defHash = this.definitions.hashOf(machine);
    const def = this.definitions.get(defHash, machine.definition);
    const started = Date.now();
    const rootData = this.core.frameData(null, 0, def.StartAt, input, 'ready');
    const run = newRun({ id, arn, name, smArn: machine.arn, roleArn: machine.role_arn, input, started, def, lastEventId: 0, rootData, redriveCount: 0 });
    run.inputText = inputText;
    this.core.runs.set(arn, run);
    const timeoutAt = def.TimeoutSeconds ? started + def.TimeoutSeconds * 1000 : null;
    // The caller's promise is the commit's: no async function and no await between them (one promise per start).
    const answer = pendingAnswer<{ executionArn: string; startDate: number }>();
    const onCommit = answerLast({ executionArn: arn, startDate: started / 1000 });
    this.core.batch.enqueue({ kind: 'start', run, defHash, definitionText: machine.definition, timeoutAt, onCommit });
    return answer;
  }

  /**
   * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution continues from
   * the top-level state it closed in, with its ARN, history, variables and
   * definition; in a Map or Parallel state only the iterations and branches
   * that did not succeed run again (see redrive.ts). Resolves once the restart is committed.
   */
  async redriveExecution(arn: string): Promise<{ redriveDate: number }> {
    const row = this.store.getExecution(arn);
    if (!row) throw sfnErrors.executionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
    const stored = this.store.getRedrive(row.id);
    const record = stored ? { point: JSON.parse(stored.point) as RedrivePoint, count: stored.count, redrivenAt: stored.redriven_at } : undefined;
    const now = Date.now();
    const machineType = this.store.getMachine(row.sm_arn)?.type;
    const refusal = this.core.runs.has(arn) ? 'Execution is RUNNING and cannot be redriven' : redriveRefusal(row, machineType, record, now);
    if (refusal) throw sfnErrors.executionNotRedrivable(refusal);
    const text = this.store.getDefinition(row.def_hash);
    if (!text) throw sfnErrors.executionNotRedrivable('Execution has no stored definition to redrive with');
    const def = this.definitions.get(row.def_hash, text);
    const point = record!.point;
    const rootData = this.core.frameData(null, 0, point.state, point.input, 'ready');
    if (point.vars) rootData.vars = point.vars;
    if (point.fork) rootData.redriveFork = point.fork;
    const run = runOfRow(row, {
      def,
      lastEventId: this.store.maxEventId(row.id),
      rootData,
      redriveCount: record!.count + 1,
    });
    run.inputText = row.input;
    this.core.runs.set(arn, run);
    this.transitions.closings.recentlyClosed.delete(arn);
    const timeoutAt = def.TimeoutSeconds ? now + def.TimeoutSeconds * 1000 : null;
    await new Promise<void>((resolve, reject) => this.core.batch.enqueue({ kind: 'redrive', run, at: now, timeoutAt, onCommit: settle(resolve, reject) }));
    return { redriveDate: now / 1000 };
  }

  /** Stops a RUNNING execution (ExecutionAborted); resolves once committed. */
  async stopExecution(arn: string, error?: string, cause?: string): Promise<{ stopDate: number }> {
    const row = this.store.getExecution(arn);
    if (!row) throw sfnErrors.executionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
    const run = this.core.runs.get(arn);
    if (run && run.status === 'RUNNING') {
      const close: Work = { kind: 'close', run, status: 'ABORTED', error: error ?? '', cause: cause ?? '' };
      await new Promise<void>((resolve, reject) => this.core.batch.enqueue({ ...close, onCommit: settle(resolve, reject) }));
    }
    const after = this.store.getExecution(arn)!;
    return { stopDate: (after.stopped ?? Date.now()) / 1000 };
  }

  /** SendTaskSuccess: resolves once the result is committed. */
  sendTaskSuccess(token: unknown, output: unknown): Promise<void> {
    const frame = this.transitions.tasks.taskFor(token);
    if (typeof output !== 'string') throw sfnErrors.invalidOutput('Invalid Output: output must be a JSON string');
    if (tooLarge(output)) throw sfnErrors.invalidOutput('Invalid Output: output exceeds the 256 KiB limit');
    let value: JsonValue;
    try {
      value = JSON.parse(output) as JsonValue;
    } catch (error) {
      throw sfnErrors.invalidOutput(`Invalid Output: '${(error as Error).message}'`);
    }
    this.transitions.tasks.tokens.delete(token as string);
    const answer = pendingAnswer<void>();
    this.core.batch.enqueue({ kind: 'frame', frame, gen: frame.gen, event: { type: 'result', ok: true, value }, onCommit: answerLast(undefined) });
    return answer;
  }

  /** SendTaskFailure: resolves once the failure is committed. */
  sendTaskFailure(token: unknown, error?: string, cause?: string): Promise<void> {
    if ((error?.length ?? 0) > 256) throw sfnErrors.validation('error must be at most 256 characters');
    if ((cause?.length ?? 0) > 32768) throw sfnErrors.validation('cause must be at most 32768 characters');
    const frame = this.transitions.tasks.taskFor(token);
    this.transitions.tasks.tokens.delete(token as string);
    const work: Work = { kind: 'frame', frame, gen: frame.gen, event: { type: 'result', ok: false, error: error ?? '', cause: cause ?? '' } };
    return new Promise((resolve, reject) => this.core.batch.enqueue({ ...work, onCommit: settle(resolve, reject) }));
  }

  /** SendTaskHeartbeat: pushes the task's heartbeat deadline out. */
  sendTaskHeartbeat(token: unknown): Promise<void> {
    const frame = this.transitions.tasks.taskFor(token);
    return new Promise((resolve, reject) =>
      this.core.batch.enqueue({ kind: 'frame', frame, gen: frame.gen, event: { type: 'heartbeat' }, onCommit: settle(resolve, reject) }),
    );
  }

  /** The ARN of the execution whose task waits on `token`, or whose task timed out on it; undefined otherwise. */
  executionOfToken(token: string): string | undefined {
    return this.transitions.tasks.executionOf(token) ?? this.store.getToken(token)?.exec;
  }

  /** Resolves with the execution's row once it is no longer RUNNING. */
  waitForExecution(arn: string): Promise<ExecutionRow> {
    return this.transitions.closings.waitFor(arn);
  }

  /** Number of executions running in this process. */
  get runningCount(): number {
    return this.core.runs.size;
  }

  /**
   * Continues every RUNNING execution found in the store: the restart path.
   * Returns how many were resumed.
   */
  resume(): number {
    return this.recovery.resume();
  }

  /** Stops timers and scheduling; the store stays open (the caller owns it). */
  close(): void {
    this.core.batch.closed = true;
    this.core.timers.clearAll(this.core.runs.values());
  }
}
