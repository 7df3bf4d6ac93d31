/**
 * The rights of one call with the facts its rules need: computed first (from
 * the definition's fact functions, never from what the model claims), then
 * the rules evaluated with them. A fact that fails denies the call. Used by
 * the tool gate and by `aios rights explain`, so both decide alike.
 */
import { compileRules } from './compiled-rules';
import { computeFacts, factFailureReason, factsNeeded, type FactDefinition, type Lists } from './facts';
import { evaluateCompiledRights, type CompiledRightsRequest, type EvaluateRightsRequest, type RightsEvaluation } from './evaluate-rights';
import { inputDigest } from './input-digest';

export interface RightsWithFacts extends RightsEvaluation {
  /** The facts computed for this call (audited with the decision). */
  facts: Record<string, unknown>;
  /** Facts that could not be computed (the call is then denied). */
  factFailures: Record<string, string>;
}

interface WithFactDefinitions {
  factDefinitions: Readonly<Record<string, FactDefinition>>;
  lists: Lists;
}

export async function evaluateRightsWithFacts(req: Omit<EvaluateRightsRequest, 'facts' | 'lists'> & WithFactDefinitions): Promise<RightsWithFacts> {
  const { people, rules, ...rest } = req;
  return evaluateCompiledRightsWithFacts({ ...rest, rules: compileRules(rules, people) });
}

/** The same, by rules compiled ahead (the tool gate's are compiled at synth). */
export async function evaluateCompiledRightsWithFacts(req: Omit<CompiledRightsRequest, 'facts' | 'lists'> & WithFactDefinitions): Promise<RightsWithFacts> {
  const { factDefinitions, ...request } = req;
  const computed = await computeFacts(factDefinitions, factsNeeded(req.rules, req.tool.id), req.input, { lists: req.lists, toolId: req.tool.id });
  if (Object.keys(computed.failures).length > 0) {
    return {
      decision: 'deny',
      ruleId: null,
      reason: factFailureReason(computed.failures),
      inputDigest: inputDigest(req.input),
      approval: null,
      trace: [],
      facts: computed.values,
      factFailures: computed.failures,
    };
  }
  const evaluation = await evaluateCompiledRights({ ...request, facts: computed.values });
  return { ...evaluation, facts: computed.values, factFailures: {} };
}
