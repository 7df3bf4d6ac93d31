/**
 * Task payloads written against a function's contract. The compiler states a
 * payload as an object keyed by the contract's input fields, each value a
 * constant, a path into the state (`fromState('$.run.id')`) or a workflow
 * template (`fromTemplate(step.input)`); it renders to ASL Parameters
 * (`runId.$: $.run.id`). A field renamed or removed in the schema is then a
 * type error in the compiler, not a silently missing value at run time.
 */
import type * as core from 'zod/v4/core';
import type { Template } from '../definition/workflow';
import { setParameter } from './templates';

/** A value read when the task runs: a JSONPath on the state, a `$$` context path, or an intrinsic call. */
export class StateValue {
  constructor(readonly expression: string) {}
}

/** A workflow author's template (JSON with `{ $ref }` leaves), for fields the contract leaves open. */
export class TemplateValue {
  constructor(readonly template: Template) {}
}

export const fromState = (expression: string): StateValue => new StateValue(expression);
export const fromTemplate = (template: Template): TemplateValue => new TemplateValue(template);

/** One field: its constant value, or where it comes from. */
export type FieldSource<T> = T | StateValue | TemplateValue;

/** A payload for a contract: each of its input fields, and nothing else. */
export type PayloadOf<S extends core.$ZodType<Record<string, unknown>>> = { [K in keyof core.input<S>]: FieldSource<core.input<S>[K]> };

/** Renders a payload to ASL Parameters (`key.$` for values read at run time). */
export function renderPayload<S extends core.$ZodType<Record<string, unknown>>>(_contract: S, payload: PayloadOf<S>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (value instanceof StateValue) out[`${key}.$`] = value.expression;
    else if (value instanceof TemplateValue) setParameter(out, key, value.template);
    else out[key] = value;
  }
  return out;
}

/**
 * A ResultSelector keeping the named output fields of a Lambda's result
 * (`status.$: $.Payload.status`). Names are checked against the contract.
 */
export function selectOutput<S extends core.$ZodType<Record<string, unknown>>>(
  _contract: S,
  fields: readonly (keyof core.output<S> & string)[],
): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [`${f}.$`, `$.Payload.${f}`]));
}

/** The run fields every task payload starts with (the run id read from the state). */
export function runFields<A extends string | null>(
  workflowId: string,
  stepId: string,
  agentId: A,
): { runId: StateValue; workflowId: string; stepId: string; agentId: A } {
  return { runId: fromState('$.run.id'), workflowId, stepId, agentId };
}
