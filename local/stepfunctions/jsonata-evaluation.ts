/**
 * JSONata states evaluate asynchronously, so never inside a batch: the batch
 * records that the frame is evaluating, the evaluation runs after the commit,
 * and its result comes back as an `evaluated` event. Evaluation is pure, so a
 * restart simply evaluates again.
 */
import { TaskError, type StatesError } from '../asl/errors';
import { catchJsonataError, completeJsonataState, enterJsonataState } from '../asl/jsonata/states';
import type { StateStep } from '../asl/step';
import type { JsonValue, StateDefinition } from '../asl/types';
import type { EngineCore } from './core';
import type { Evaluation, Frame } from './frame';
import type { EvaluatedStep, Run } from './run';
import { stateEnv } from './state-context';

/** The state stepping an evaluation's outcome feeds back into. */
export interface EvaluationHost {
  exitState(run: Run, frame: Frame, state: StateDefinition, output: JsonValue, now?: number, assign?: Record<string, JsonValue>): void;
  goTo(frame: Frame, next: string, output: JsonValue): void;
  failFrame(run: Run, frame: Frame, error: StatesError): void;
  transition(run: Run, frame: Frame, state: StateDefinition, step: StateStep, token?: string): void;
}

export class JsonataEvaluation {
  private readonly batch;

  constructor(
    private readonly core: EngineCore,
    private readonly host: EvaluationHost,
  ) {
    this.batch = core.batch;
  }

  /** Starts evaluating a JSONata state's expressions; the result comes back as an `evaluated` event. */
  evaluate(frame: Frame, evaluation: Evaluation): void {
    frame.data.evaluation = evaluation;
    this.batch.setPhase(frame, 'evaluating');
    this.batch.effects.push({ kind: 'evaluate', frame, gen: frame.gen });
  }

  /** Runs after the commit. */
  run(frame: Frame, gen: number): void {
    const run = this.core.runs.get(frame.runArn);
    const evaluation = frame.data.evaluation;
    if (!run || !evaluation) return;
    const state = frame.def.States[frame.data.state];
    const env = stateEnv(run, frame, Date.now(), evaluation.kind === 'enter' ? evaluation.token : undefined);
    const input = frame.data.input;
    let pending: Promise<EvaluatedStep>;
    if (evaluation.kind === 'enter') pending = enterJsonataState(state, input, env);
    else if (evaluation.kind === 'complete') pending = completeJsonataState(state, input, evaluation.result, env);
    else pending = catchJsonataError(state.Catch![evaluation.catcherIndex], input, new TaskError(evaluation.error, evaluation.cause), env);
    void pending.then((step) => {
      if (!this.batch.closed) this.batch.enqueue({ kind: 'frame', frame, gen, event: { type: 'evaluated', step } });
    });
  }

  evaluated(run: Run, frame: Frame, state: StateDefinition, step: EvaluatedStep): void {
    const evaluation = frame.data.evaluation!;
    frame.data.evaluation = undefined;
    if (step.kind === 'fail' && step.error.name === 'States.QueryEvaluationError') {
      const location = (step.error as StatesError & { location?: string }).location;
      this.batch.emit(run, frame, 'EvaluationFailed', {
        state: frame.data.state,
        error: step.error.name,
        cause: step.error.causeText,
        ...(location ? { location } : {}),
      });
    }
    if (evaluation.kind === 'catch') {
      if (step.kind === 'catch') {
        this.host.exitState(run, frame, state, step.output, undefined, step.assign);
        this.host.goTo(frame, step.next, step.output);
      } else if (step.kind === 'fail') this.host.failFrame(run, frame, step.error);
      return;
    }
    if (step.kind === 'catch') return;
    if (evaluation.kind === 'complete' && step.kind === 'next') this.host.exitState(run, frame, state, step.output, undefined, step.assign);
    this.host.transition(run, frame, state, step, evaluation.kind === 'enter' ? evaluation.token : undefined);
  }
}
