/**
 * The console's rules as its Lambda carries them: each rule once, as written
 * (the rights page shows it so), with only what compiling adds to it (its
 * parsed `when`, an approve rule's plan) beside it, instead of a second copy
 * of every rule in compiled form (compiled-rules.ts) for the explain form.
 * Packed at synth (infra/definition-entries.ts), joined once when the explain
 * form first asks; the local runtime compiles the rules as they are.
 */
import type { CompiledRule } from '../rights/compiled-rules';
import type { DecisionRule } from '../rights/rule-schema';

/** What compiling added to one rule. */
export type CompiledParts = Pick<CompiledRule, 'whenExpression' | 'approval'>;

export function compiledParts(compiled: readonly CompiledRule[]): CompiledParts[] {
  return compiled.map((c) => ({
    ...(c.whenExpression !== undefined ? { whenExpression: c.whenExpression } : {}),
    ...(c.approval !== undefined ? { approval: c.approval } : {}),
  }));
}

/** The rules compiled, from the rules and what compiling added: an approve rule's plan replaces its approvers, quorum, timeout and onTimeout. */
export function withCompiledParts(rules: readonly DecisionRule[], parts: readonly CompiledParts[]): CompiledRule[] {
  return rules.map((rule, i) => {
    const { approvers: _approvers, quorum: _quorum, timeout: _timeout, onTimeout: _onTimeout, ...rest } = rule;
    return { ...(rule.outcome === 'approve' ? rest : rule), ...parts[i] };
  });
}

/** A console slice (console-slice.ts) whose compiled rules are joined from its rules and `parts` on first read, once (what the generated entry wraps its data in). */
export function withCompiledRules<S extends { rules: readonly DecisionRule[] }>(
  slice: S,
  parts: readonly CompiledParts[],
): S & { compiledRules: CompiledRule[] } {
  let compiled: CompiledRule[] | undefined;
  return {
    ...slice,
    get compiledRules() {
      return (compiled ??= withCompiledParts(slice.rules, parts));
    },
  };
}
