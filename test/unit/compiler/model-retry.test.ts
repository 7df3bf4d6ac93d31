/** Model errors are retried on every agent step by default; a workflow overrides per step. */
import exampleOs from '../../../examples/kestrel-coffee';
import { compileAll } from '../../../shared/compiler';
import { agentStepRetries, DEFAULT_MODEL_RETRY } from '../../../shared/compiler/model-retry';
import { loadValidOs } from '../../../shared/definition';

type State = { Type: string; Retry?: { ErrorEquals: string[] }[]; Parameters?: { FunctionName?: string }; [k: string]: unknown };

function thinkStates(asl: string): State[] {
  const out: State[] = [];
  const visit = (states: Record<string, State>) => {
    for (const s of Object.values(states)) {
      if (s.Type === 'Task' && s.Parameters?.FunctionName === '${FnAgentStep}') out.push(s);
      for (const b of (s.Branches as { States: Record<string, State> }[] | undefined) ?? []) visit(b.States);
      const proc = (s.ItemProcessor ?? s.Iterator) as { States: Record<string, State> } | undefined;
      if (proc) visit(proc.States);
    }
  };
  visit((JSON.parse(asl) as { States: Record<string, State> }).States);
  return out;
}

describe('agentStepRetries', () => {
  it('retries throttling and unavailability with backoff when the step says nothing', () => {
    expect(agentStepRetries(undefined)).toEqual([DEFAULT_MODEL_RETRY]);
    expect(DEFAULT_MODEL_RETRY).toMatchObject({ errors: ['Agent.ModelThrottled', 'Agent.ModelUnavailable'], backoffRate: 2 });
  });

  it('lets the step’s rules win for the errors they name and keeps the default for the rest', () => {
    const own = { errors: ['Agent.ModelThrottled'], maxAttempts: 2 };
    expect(agentStepRetries([own])).toEqual([own, { ...DEFAULT_MODEL_RETRY, errors: ['Agent.ModelUnavailable'] }]);
    expect(agentStepRetries([{ maxAttempts: 1 }])).toEqual([{ maxAttempts: 1 }]);
  });

  it('turns retries off with an empty list', () => {
    expect(agentStepRetries([])).toEqual([]);
  });

  it('puts both model errors in the Retry of every agent step of every example workflow', () => {
    const compiled = compileAll(loadValidOs(exampleOs));
    let steps = 0;
    for (const asl of compiled.values()) {
      for (const s of thinkStates(asl)) {
        steps++;
        const retried = new Set(s.Retry!.flatMap((r) => r.ErrorEquals));
        expect([...retried]).toEqual(expect.arrayContaining(['Agent.ModelThrottled', 'Agent.ModelUnavailable']));
      }
    }
    expect(steps).toBeGreaterThanOrEqual(2);
  });
});
