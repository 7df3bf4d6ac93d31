/**
 * Facts: what a rule may know about the world without trusting the model.
 * A definition declares named lists (`lists.approvedVendors`) and facts —
 * read-only functions of the tool input written by the business (a look-up
 * in a list or an API). Rules use them in `when`
 * (`not facts.vendorApproved or amount > 1000`, `vendorId in lists.approvedVendors`).
 * The gate computes the facts a call's rules need, evaluates the rules with
 * them and audits them with the decision; a fact that cannot be computed
 * denies the call (fail closed).
 */
import type { CompiledRule } from './compiled-rules';
import { fieldPaths } from './expression';
import { matchesGlob } from './glob';

export type FactType = 'boolean' | 'number' | 'string';
export type Lists = Readonly<Record<string, readonly (string | number)[]>>;

export interface FactContext {
  lists: Lists;
  toolId: string;
}

export interface FactDefinition {
  description: string;
  type: FactType;
  /** Reads the world; must not change it. Gets the tool input as the model wrote it (validated by the tool later). */
  of: (input: unknown, ctx: FactContext) => unknown;
}

/** The fact names the rules (compiled: ./compiled-rules.ts) that may apply to this tool read, in first-seen order. */
export function factsNeeded(rules: readonly Pick<CompiledRule, 'tool' | 'whenExpression'>[], toolId: string): string[] {
  const out = new Set<string>();
  for (const rule of rules) {
    if (rule.whenExpression === undefined || (rule.tool !== undefined && !matchesGlob(rule.tool, toolId))) continue;
    for (const path of fieldPaths(rule.whenExpression)) if (path.startsWith('facts.')) out.add(path.split('.')[1]);
  }
  return [...out];
}

export interface ComputedFacts {
  values: Record<string, unknown>;
  /** Fact name → why it could not be computed. */
  failures: Record<string, string>;
}

/** Computes the named facts; a thrown error, a wrong type or a timeout is a failure, never a value. */
export async function computeFacts(
  definitions: Readonly<Record<string, FactDefinition>>,
  names: readonly string[],
  input: unknown,
  ctx: FactContext,
  timeoutMs = 5_000,
): Promise<ComputedFacts> {
  const values: Record<string, unknown> = {};
  const failures: Record<string, string> = {};
  for (const name of names) {
    const fact = definitions[name];
    if (!fact) {
      failures[name] = 'no such fact in the definition';
      continue;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([
        Promise.resolve().then(() => fact.of(structuredClone(input), ctx)),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
        }),
      ]);
      if (typeof value !== fact.type) failures[name] = `gave ${JSON.stringify(value) ?? 'undefined'}, not a ${fact.type}`;
      else values[name] = value;
    } catch (error) {
      failures[name] = (error as Error).message ?? String(error);
    } finally {
      clearTimeout(timer);
    }
  }
  return { values, failures };
}

/**
 * What `when` reads: the input's fields, with `facts` and `lists` from the
 * gate on top, so a model that writes its own `facts` field changes nothing.
 */
export function whenScope(input: unknown, facts: Record<string, unknown>, lists: Lists): Record<string, unknown> {
  const fields = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  return { ...fields, facts, lists };
}

/** The reason a call is denied because a fact could not be computed. */
export function factFailureReason(failures: Record<string, string>): string {
  return `denied because the rules need facts that could not be computed: ${Object.entries(failures)
    .map(([n, why]) => `facts.${n} (${why})`)
    .join('; ')}`;
}

/**
 * Why a call is refused before any rule is read: no such tool, or an agent
 * that was not given it (the gate's and `rights explain`'s first checks).
 */
export function refusalBeforeRules(
  call: { toolId: string; agentId: string | null },
  tools: readonly { id: string }[],
  agents: readonly { id: string; tools: readonly string[] }[],
): string | undefined {
  if (!tools.some((t) => t.id === call.toolId)) return `there is no tool "${call.toolId}"`;
  if (call.agentId) {
    const agent = agents.find((a) => a.id === call.agentId);
    if (!agent || !agent.tools.includes(call.toolId)) return `agent "${call.agentId}" is not given the tool "${call.toolId}"`;
  }
  return undefined;
}
