/**
 * The typed workflow DSL. `defineCatalog({ people, tools, agents })` returns
 * builders whose parameters are typed by the catalog's ids, so a reference to
 * an unknown agent, tool, person or role is a TypeScript error where it is
 * written. validate.ts reports the same mistakes at load time for code the
 * types cannot see (plain JavaScript, computed ids).
 *
 * @example
 * const aios = defineCatalog({ people, tools, agents });
 * export const supportDesk = aios.workflow({
 *   id: 'support-desk', description: 'Triage new tickets',
 *   triggers: [aios.onEvent({ source: ['saas.zendesk'] })],
 *   steps: [aios.agent('triage', { agent: 'triage', task: 'Triage this ticket', input: aios.ref('event.detail') })],
 * });
 */
import type { DecisionRuleInput } from '../rights/rule-schema';
import type { AgentDefinition } from './agent';
import type { PersonInput } from './person';
import type { AnyToolDefinition, ToolDefinition } from './tool';
import type {
  AgentStep,
  ApprovalStep,
  ChoiceStep,
  Comparison,
  Condition,
  EmitStep,
  FailStep,
  MapStep,
  ParallelStep,
  Ref,
  Step,
  SucceedStep,
  Template,
  ToolStep,
  Trigger,
  WaitStep,
  Workflow,
} from './workflow';

type IdOf<T> = T extends { id: infer Id extends string } ? Id : never;
type RoleOf<P> = P extends { roles?: readonly (infer R extends string)[] } ? R : never;

/** A person id or `role:<role>`. */
export type ApproverRef<PersonId extends string, Role extends string> = PersonId | `role:${Role}`;

/** A tool id, or a glob over tool ids (`tickets.*`). */
type ToolPattern<ToolId extends string> = ToolId | `${string}*${string}`;

type Omit2<T, K extends keyof T> = Omit<T, K | 'id' | 'kind'>;

export type TypedRule<ToolId extends string, AgentId extends string, PersonId extends string, Role extends string> = Omit<
  DecisionRuleInput,
  'tool' | 'agent' | 'approvers' | 'onTimeout'
> & {
  tool?: ToolPattern<ToolId> | readonly ToolPattern<ToolId>[];
  agent?: AgentId | `${string}*${string}` | readonly AgentId[];
  approvers?: readonly ApproverRef<PersonId, Role>[];
  onTimeout?: 'reject' | { escalateTo: readonly ApproverRef<PersonId, Role>[]; timeout: string; quorum?: number };
};

export interface Catalog<P extends readonly PersonInput[], T extends readonly ToolDefinition[], A extends readonly AgentDefinition[]> {
  people: P;
  tools: T;
  agents: A;
}

/** Condition builders for `choice` steps. */
export const when = {
  eq: (path: string, value: string | number | boolean | null): Comparison => ({ path, op: 'eq', value }),
  ne: (path: string, value: string | number | boolean | null): Comparison => ({ path, op: 'ne', value }),
  lt: (path: string, value: string | number): Comparison => ({ path, op: 'lt', value }),
  le: (path: string, value: string | number): Comparison => ({ path, op: 'le', value }),
  gt: (path: string, value: string | number): Comparison => ({ path, op: 'gt', value }),
  ge: (path: string, value: string | number): Comparison => ({ path, op: 'ge', value }),
  present: (path: string): Comparison => ({ path, op: 'present' }),
  absent: (path: string): Comparison => ({ path, op: 'absent' }),
  matches: (path: string, pattern: string): Comparison => ({ path, op: 'matches', value: pattern }),
  and: (...all: Condition[]): Condition => ({ and: all }),
  or: (...any: Condition[]): Condition => ({ or: any }),
  not: (c: Condition): Condition => ({ not: c }),
};

/**
 * Builds the typed DSL for a catalog. Agents must name only the catalog's
 * tools (checked here by the intersection on `agents`).
 */
export function defineCatalog<
  const P extends readonly PersonInput[],
  const T extends readonly AnyToolDefinition[],
  const A extends readonly AgentDefinition[],
>(catalog: { people: P; tools: T; agents: A & readonly AgentDefinition<string, IdOf<T[number]>>[] }) {
  type PersonId = IdOf<P[number]>;
  type Role = RoleOf<P[number]>;
  type ToolId = IdOf<T[number]>;
  type AgentId = IdOf<A[number]>;
  type Approver = ApproverRef<PersonId, Role>;

  return {
    ...catalog,
    when,
    /** A value read from the run's state at run time. */
    ref: (path: string): Ref => ({ $ref: path }),
    onEvent: (pattern: Record<string, unknown>, options: { bus?: string; description?: string } = {}): Trigger => ({ kind: 'event', pattern, ...options }),
    onSchedule: (expression: string, options: { timeZone?: string; input?: Record<string, unknown>; description?: string } = {}): Trigger => ({
      kind: 'schedule',
      expression,
      ...options,
    }),
    manually: (description?: string): Trigger => ({ kind: 'manual', ...(description ? { description } : {}) }),
    agent: (id: string, step: Omit2<AgentStep, 'agent'> & { agent: AgentId }): AgentStep => ({ kind: 'agent', id, ...step }),
    tool: (id: string, step: Omit2<ToolStep, 'tool'> & { tool: ToolId }): ToolStep => ({ kind: 'tool', id, ...step }),
    approval: (
      id: string,
      step: Omit2<ApprovalStep, 'approvers' | 'onTimeout'> & {
        approvers: readonly Approver[];
        onTimeout: 'reject' | { escalateTo: readonly Approver[]; timeout: string; quorum?: number };
      },
    ): ApprovalStep => ({ kind: 'approval', id, ...step }),
    choice: (id: string, step: Omit2<ChoiceStep, never>): ChoiceStep => ({ kind: 'choice', id, ...step }),
    parallel: (id: string, step: Omit2<ParallelStep, never>): ParallelStep => ({ kind: 'parallel', id, ...step }),
    map: (id: string, step: Omit2<MapStep, never>): MapStep => ({ kind: 'map', id, ...step }),
    wait: (id: string, step: Omit2<WaitStep, never>): WaitStep => ({ kind: 'wait', id, ...step }),
    emit: (id: string, step: Omit2<EmitStep, never>): EmitStep => ({ kind: 'emit', id, ...step }),
    succeed: (id: string, step: Omit2<SucceedStep, never> = {}): SucceedStep => ({ kind: 'succeed', id, ...step }),
    fail: (id: string, step: Omit2<FailStep, never>): FailStep => ({ kind: 'fail', id, ...step }),
    workflow: (workflow: Workflow): Workflow => workflow,
    /** The ordered decision rights; first match wins. */
    rules: (rules: readonly TypedRule<ToolId, AgentId, PersonId, Role>[]): readonly DecisionRuleInput[] => rules as readonly DecisionRuleInput[],
  };
}

export type { Step, Template };
