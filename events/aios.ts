/**
 * Events AIOS itself publishes on the bus (source `aios`), so other systems
 * can subscribe: runs starting and ending, approvals requested and decided.
 * Build them with `aiosEvent(...)`, which validates the detail.
 */
import * as z from '../shared/mini-zod';
import { AiosError } from '../shared/errors';
import type { BusEvent } from '../shared/webhooks';

export const AIOS_EVENT_SOURCE = 'aios';

const isoTime = z.iso.datetime({ offset: true });
const id = () => z.string().check(z.minLength(1));
const ids = { runId: id(), workflowId: id() };

export const runStartedSchema = z.looseObject({
  ...ids,
  startedAt: isoTime,
  /** What started the run: an event (`source`/`detailType`/`id`), a schedule, or a person. */
  trigger: z.looseObject({
    kind: z.enum(['event', 'schedule', 'manual']),
    source: z.optional(z.string()),
    detailType: z.optional(z.string()),
    id: z.optional(z.string()),
  }),
});

export const runSucceededSchema = z.looseObject({
  ...ids,
  startedAt: isoTime,
  endedAt: isoTime,
  /** The run's output when small; large outputs are stored and referenced. */
  output: z.optional(z.unknown()),
  costUsd: z.optional(z.number().check(z.nonnegative())),
});

export const runFailedSchema = z.looseObject({
  ...ids,
  startedAt: z.optional(isoTime),
  endedAt: isoTime,
  error: id(),
  cause: z.optional(z.string()),
  /** How the execution ended, when Step Functions reported it rather than the run (events/execution-ended.ts): stopped, timed out, failed past every Catch. */
  status: z.optional(z.enum(['FAILED', 'TIMED_OUT', 'ABORTED'])),
  costUsd: z.optional(z.number().check(z.nonnegative())),
});

// The approval events' schemas are built in calls marked pure: emit-event, which loads this module to announce runs,
// reads none of them, and a schema built at module level stays in every bundle that loads its module (esbuild cannot
// prove a `.check` call pure). Only the run events are built while it loads.
/* @__NO_SIDE_EFFECTS__ */
const approvalBase = () => ({
  approvalId: id(),
  ...ids,
  stepId: id(),
  agentId: z.nullable(z.string()),
  stage: z.enum(['primary', 'escalation']),
});

export const approvalRequestedSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    ...approvalBase(),
    approvers: z.array(id()).check(z.minLength(1)),
    quorum: z.int().check(z.positive()),
    requestedAt: isoTime,
    expiresAt: isoTime,
    subject: z.optional(z.string()),
    /** The tool call awaiting approval, when the approval gates one (input is not repeated: see inputDigest). */
    call: z.optional(z.looseObject({ toolUseId: z.string(), name: z.string() })),
    inputDigest: z.optional(z.string()),
  }))();

export const approvalDecidedSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    ...approvalBase(),
    outcome: z.enum(['approved', 'rejected', 'timed_out', 'escalated']),
    approved: z.boolean(),
    decidedBy: z.array(z.string()),
    decidedAt: isoTime,
  }))();

/** The events a run announces (emit-event publishes them: `aiosRunEvent`). */
export const AIOS_RUN_EVENTS = {
  'aios.run.started': runStartedSchema,
  'aios.run.succeeded': runSucceededSchema,
  'aios.run.failed': runFailedSchema,
} as const;

export const AIOS_EVENTS = {
  'aios.run.started': runStartedSchema,
  'aios.run.succeeded': runSucceededSchema,
  'aios.run.failed': runFailedSchema,
  'aios.approval.requested': approvalRequestedSchema,
  'aios.approval.decided': approvalDecidedSchema,
} as const;

export type AiosDetailType = keyof typeof AIOS_EVENTS;
export type AiosEventDetail<T extends AiosDetailType> = z.input<(typeof AIOS_EVENTS)[T]>;
export type AiosRunDetailType = keyof typeof AIOS_RUN_EVENTS;

export class InvalidAiosEventError extends AiosError {
  constructor(detailType: string, message: string) {
    super('Events.InvalidAiosEvent', `invalid ${detailType} event: ${message}`, { detailType });
  }
}

/** `detail` parsed with its detail type's schema among `schemas`, as a bus event. */
function validatedEvent(schemas: Readonly<Record<string, z.ZodMiniType>>, detailType: string, detail: unknown, time: Date): BusEvent {
  const schema = schemas[detailType] as z.ZodMiniType<Record<string, unknown>> | undefined;
  if (!schema) throw new InvalidAiosEventError(String(detailType), 'unknown detail-type');
  const parsed = schema.safeParse(detail);
  if (!parsed.success) {
    throw new InvalidAiosEventError(detailType, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  return { source: AIOS_EVENT_SOURCE, detailType, detail: parsed.data, time };
}

/**
 * A validated `aios.*` event for the bus.
 *
 * @example
 * await publisher.publish([aiosEvent('aios.run.started', { runId, workflowId, startedAt, trigger: { kind: 'manual' } })]);
 */
export function aiosEvent<T extends AiosDetailType>(detailType: T, detail: AiosEventDetail<T>, time: Date = new Date()): BusEvent {
  return validatedEvent(AIOS_EVENTS, detailType, detail, time);
}

/** A validated `aios.run.*` event: what `aiosEvent` gives, from a caller that carries only the run events' schemas. */
export function aiosRunEvent<T extends AiosRunDetailType>(detailType: T, detail: AiosEventDetail<T>, time: Date = new Date()): BusEvent {
  return validatedEvent(AIOS_RUN_EVENTS, detailType, detail, time);
}
