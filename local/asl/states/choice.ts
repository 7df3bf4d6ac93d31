import { evaluateRule } from '../choice-rules';
import { StatesNoChoiceMatchedError } from '../errors';
import { assignFromPaths, selectPath } from '../io';
import type { StateEnv, StateStep } from '../step';
import type { JsonValue, StateDefinition } from '../types';

/** Choice: the first matching rule's Next, else Default, else States.NoChoiceMatched. */
export function enterChoice(state: StateDefinition, rawInput: JsonValue, env: StateEnv): StateStep {
  const context = env.context as unknown as JsonValue;
  const input = selectPath(state.InputPath, rawInput, 'InputPath', context);
  const rule = (state.Choices ?? []).find((r) => evaluateRule(r, input, context));
  const next = rule?.Next ?? state.Default;
  if (next === undefined) {
    return { kind: 'fail', error: new StatesNoChoiceMatchedError(`No Matches! for input '${JSON.stringify(input)}' in state '${env.context.State.Name}'`) };
  }
  const assignTemplate = rule ? (rule.Assign as JsonValue | undefined) : state.Assign;
  const output = selectPath(state.OutputPath, input, 'OutputPath', context);
  if (assignTemplate === undefined) return { kind: 'next', next, output };
  return { kind: 'next', next, output, assign: assignFromPaths(assignTemplate, input, context) };
}
