/**
 * The workflow model: triggers and steps. Business files build these with the
 * typed DSL (dsl.ts); this module holds the shapes and their zod schemas.
 *
 * Data: a run's state is `{ event, run, steps }`. `event` is what started the
 * run, `run` is `{ id, workflow, startedAt }`, `steps.<id>` is each step's
 * result. A `Ref` points into that state: `{ $ref: 'event.detail.ticket.id' }`.
 */
import * as z from 'zod';

export interface Ref {
  $ref: string;
}

/** JSON with `Ref`s at leaves (not inside arrays: ASL Parameters cannot template array items). */
export type Template = Ref | string | number | boolean | null | readonly Template[] | { readonly [key: string]: Template };

export type Comparison =
  | { path: string; op: 'eq' | 'ne'; value: string | number | boolean | null }
  | { path: string; op: 'lt' | 'le' | 'gt' | 'ge'; value: string | number }
  | { path: string; op: 'present' | 'absent' }
  | { path: string; op: 'matches'; value: string };

export type Condition = Comparison | { and: readonly Condition[] } | { or: readonly Condition[] } | { not: Condition };

export interface RetryRule {
  /** Error names; default `States.ALL` minus nothing (i.e. every error). */
  errors?: readonly string[];
  maxAttempts?: number;
  intervalSeconds?: number;
  backoffRate?: number;
  maxDelaySeconds?: number;
}

export interface CatchRule {
  errors?: readonly string[];
  /** The step to go to; the error is at `steps.<this step>.error`. */
  next: string;
}

interface StepBase {
  id: string;
  /** Readable name used in state names; default from the id (`awaitApproval` → `Await approval`). */
  title?: string;
  /** The step after this one; default the next in the list, or the end. */
  next?: string;
}

interface Recoverable {
  retry?: readonly RetryRule[];
  catch?: readonly CatchRule[];
}

export interface AgentStep extends StepBase, Recoverable {
  kind: 'agent';
  agent: string;
  /** What the agent is asked to do. */
  task: string;
  /** Data the agent works on. */
  input?: Template;
}

export interface ToolStep extends StepBase, Recoverable {
  kind: 'tool';
  tool: string;
  input: Template;
  /** Where to go when decision rights or a person refuse the call; default: the run fails. */
  onRefused?: string;
}

export type OnTimeout = 'reject' | { escalateTo: readonly string[]; timeout: string; quorum?: number };

export interface ApprovalStep extends StepBase, Recoverable {
  kind: 'approval';
  /** Person ids or `role:<role>`. */
  approvers: readonly string[];
  quorum?: number;
  timeout: string;
  onTimeout: OnTimeout;
  subject: string;
  details?: Template;
  /** Where to go when rejected or timed out; default: the run fails with `Approval.Rejected`. */
  onReject?: string;
}

export interface ChoiceStep extends StepBase {
  kind: 'choice';
  choices: readonly { when: Condition; next: string }[];
  otherwise?: string;
}

export interface ParallelStep extends StepBase, Recoverable {
  kind: 'parallel';
  branches: readonly (readonly Step[])[];
}

export interface MapStep extends StepBase, Recoverable {
  kind: 'map';
  /** A path to an array in the state; each item is `item` inside the iteration. */
  items: string;
  steps: readonly Step[];
  maxConcurrency?: number;
}

export interface WaitStep extends StepBase {
  kind: 'wait';
  seconds?: number;
  /** A path to an ISO-8601 timestamp. */
  until?: string;
}

export interface EmitStep extends StepBase, Recoverable {
  kind: 'emit';
  detailType: string;
  detail: Template;
}

export interface SucceedStep extends StepBase {
  kind: 'succeed';
}

export interface FailStep extends StepBase {
  kind: 'fail';
  error: string;
  cause: string;
}

export type Step = AgentStep | ToolStep | ApprovalStep | ChoiceStep | ParallelStep | MapStep | WaitStep | EmitStep | SucceedStep | FailStep;

export type Trigger =
  | { kind: 'event'; pattern: Record<string, unknown>; /** default `aios`; a partner bus name like `aws.partner/...` */ bus?: string; description?: string }
  | { kind: 'schedule'; expression: string; timeZone?: string; input?: Record<string, unknown>; description?: string }
  | { kind: 'manual'; description?: string };

export interface Workflow {
  id: string;
  description: string;
  triggers: readonly Trigger[];
  steps: readonly Step[];
}

// ---- zod schemas: the shape check at the edge (cross references are validate.ts's job) ----

export const stepIdPattern = /^[a-z][a-zA-Z0-9]*$/;
const stepId = z.string().regex(stepIdPattern, 'camelCase letters and digits, starting with a lower-case letter (e.g. draftReply)');
const statePath = z
  .string()
  .regex(
    /^(event|run|steps|item|index)(\.[A-Za-z0-9_-]+|\[\d+\])*$/,
    'a path into the run state starting with event, run, steps, item or index (e.g. event.detail.ticket.id)',
  );

const refSchema = z.strictObject({ $ref: statePath });

export const templateSchema: z.ZodType<Template> = z.lazy(() =>
  z.union([refSchema, z.string(), z.number(), z.boolean(), z.null(), z.array(templateSchema), z.record(z.string(), templateSchema)]),
);

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ path: statePath, op: z.enum(['eq', 'ne']), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
    z.strictObject({ path: statePath, op: z.enum(['lt', 'le', 'gt', 'ge']), value: z.union([z.string(), z.number()]) }),
    z.strictObject({ path: statePath, op: z.enum(['present', 'absent']) }),
    z.strictObject({ path: statePath, op: z.literal('matches'), value: z.string() }),
    z.strictObject({ and: z.array(conditionSchema).min(1) }),
    z.strictObject({ or: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
  ]),
);

const retrySchema = z.strictObject({
  errors: z.array(z.string().min(1)).min(1).optional(),
  maxAttempts: z.number().int().min(0).max(99).optional(),
  intervalSeconds: z.number().int().min(1).max(99_999_999).optional(),
  backoffRate: z.number().min(1).optional(),
  maxDelaySeconds: z.number().int().min(1).optional(),
});
const catchSchema = z.strictObject({ errors: z.array(z.string().min(1)).min(1).optional(), next: z.string() });

const base = { id: stepId, title: z.string().min(1).max(60).optional(), next: z.string().optional() };
const recoverable = { retry: z.array(retrySchema).optional(), catch: z.array(catchSchema).optional() };

const onTimeoutSchema = z.union([
  z.literal('reject'),
  z.strictObject({ escalateTo: z.array(z.string()).min(1), timeout: z.string(), quorum: z.number().int().min(1).optional() }),
]);

export const stepSchema: z.ZodType<Step> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('agent'), ...base, ...recoverable, agent: z.string(), task: z.string().min(1), input: templateSchema.optional() }),
    z.strictObject({ kind: z.literal('tool'), ...base, ...recoverable, tool: z.string(), input: templateSchema, onRefused: z.string().optional() }),
    z.strictObject({
      kind: z.literal('approval'),
      ...base,
      ...recoverable,
      approvers: z.array(z.string()).min(1),
      quorum: z.number().int().min(1).optional(),
      timeout: z.string(),
      onTimeout: onTimeoutSchema,
      subject: z.string().min(1),
      details: templateSchema.optional(),
      onReject: z.string().optional(),
    }),
    z.strictObject({
      kind: z.literal('choice'),
      ...base,
      choices: z.array(z.strictObject({ when: conditionSchema, next: z.string() })).min(1),
      otherwise: z.string().optional(),
    }),
    z.strictObject({ kind: z.literal('parallel'), ...base, ...recoverable, branches: z.array(z.array(stepSchema).min(1)).min(1) }),
    z.strictObject({
      kind: z.literal('map'),
      ...base,
      ...recoverable,
      items: statePath,
      steps: z.array(stepSchema).min(1),
      maxConcurrency: z.number().int().min(0).optional(),
    }),
    z.strictObject({ kind: z.literal('wait'), ...base, seconds: z.number().int().min(0).optional(), until: statePath.optional() }),
    z.strictObject({ kind: z.literal('emit'), ...base, ...recoverable, detailType: z.string().min(1).max(128), detail: templateSchema }),
    z.strictObject({ kind: z.literal('succeed'), ...base }),
    z.strictObject({ kind: z.literal('fail'), ...base, error: z.string().min(1), cause: z.string() }),
  ]),
);

export const triggerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('event'), pattern: z.record(z.string(), z.unknown()), bus: z.string().optional(), description: z.string().optional() }),
  z.strictObject({
    kind: z.literal('schedule'),
    expression: z.string(),
    timeZone: z.string().optional(),
    input: z.record(z.string(), z.unknown()).optional(),
    description: z.string().optional(),
  }),
  z.strictObject({ kind: z.literal('manual'), description: z.string().optional() }),
]);

export const workflowSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes, starting with a letter')
    .max(60),
  description: z.string().min(1),
  triggers: z.array(triggerSchema).min(1, 'a workflow needs at least one trigger (use { kind: "manual" } to start it by hand)'),
  steps: z.array(stepSchema).min(1, 'a workflow needs at least one step'),
});
