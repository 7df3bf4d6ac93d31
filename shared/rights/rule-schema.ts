/**
 * The shape of one decision rule in `os/decision-rights.ts`. Rules form an
 * ordered list; the first rule that matches a tool call decides it.
 *
 * Validation here is structural (and parses every `when` expression, so a
 * typo fails at definition load). Checks that need the rest of the
 * definition (approvers exist, quorum reachable, `when` fields exist in the
 * tool's input schema) are in `validateRules` (./validate-rules.ts).
 *
 * @example
 * { id: 'small-refunds', tool: 'refunds.issue', when: 'amount <= 50', outcome: 'allow' }
 * { id: 'big-refunds', tool: 'refunds.issue', outcome: 'approve', approvers: ['role:finance'],
 *   timeout: '24h', onTimeout: { escalateTo: ['maya'], timeout: '24h' } }
 */
import * as z from 'zod';
import { isDuration } from './duration';
import { tryParseExpression } from './expression/parser';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const duration = z.string().refine(isDuration, { message: 'expected a duration such as 30m, 24h or 7d (units s, m, h, d, w)' });

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time of day HH:MM (00:00 to 23:59)' });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** One glob or a list of globs (`*` any run of characters, `?` one character). */
const globs = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** `role:<role>` or a person id. */
const approver = z.string().min(1);

export const timeWindowSchema = z.strictObject({
  days: z.array(z.enum(WEEKDAYS)).min(1).optional(),
  /** `from` inclusive, `to` exclusive; `from` later than `to` spans midnight. */
  hours: z
    .strictObject({ from: clock, to: clock })
    .refine((h) => h.from !== h.to, { message: 'hours.from and hours.to must differ' })
    .optional(),
  /** IANA time zone, e.g. Europe/Berlin. */
  timeZone: z.string().refine(isTimeZone, { message: 'expected an IANA time zone such as America/New_York' }),
});

export const ruleLimitSchema = z
  .strictObject({
    /** At most this many allowed calls per period. */
    count: z.number().int().positive().optional(),
    /** At most this total of an input field (a path such as `amount`) per period. */
    sum: z.strictObject({ field: z.string().min(1), max: z.number().positive() }).optional(),
    per: z.enum(['hour', 'day', 'week', 'month']),
    scope: z.enum(['tool', 'agent', 'tool+agent']),
  })
  .refine((l) => l.count !== undefined || l.sum !== undefined, { message: 'a limit needs count, sum or both' });

export const escalationSchema = z.strictObject({
  escalateTo: z.array(approver).min(1),
  timeout: duration,
  quorum: z.number().int().positive().optional(),
});

export const decisionRuleSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, { message: 'rule ids are letters, digits, ".", "_", ":" and "-"' }),
    description: z.string().optional(),
    tool: globs.optional(),
    agent: globs.optional(),
    workflow: globs.optional(),
    /** An expression over the tool input, e.g. `amount <= 50 and currency == "USD"`. */
    when: z
      .string()
      .min(1)
      .superRefine((src, ctx) => {
        const parsed = tryParseExpression(src);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
      })
      .optional(),
    window: timeWindowSchema.optional(),
    /** A rule with a limit matches only while the limit is not exceeded. */
    limit: ruleLimitSchema.optional(),
    outcome: z.enum(['allow', 'deny', 'approve']),
    reason: z.string().optional(),
    approvers: z.array(approver).min(1).optional(),
    /** How many approvers must approve (default 1). */
    quorum: z.number().int().positive().optional(),
    /** How long approvers have (default 24h). */
    timeout: duration.optional(),
    onTimeout: z.union([z.literal('reject'), escalationSchema]).optional(),
  })
  .superRefine((rule, ctx) => {
    const approveOnly = ['approvers', 'quorum', 'timeout', 'onTimeout'] as const;
    if (rule.outcome === 'approve') {
      if (!rule.approvers) ctx.addIssue({ code: 'custom', path: ['approvers'], message: 'an approve rule needs approvers (person ids or role:<role>)' });
    } else {
      for (const key of approveOnly) {
        if (rule[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: `${key} applies only to outcome "approve" (this rule's outcome is "${rule.outcome}")` });
      }
    }
  });

export type DecisionRule = z.output<typeof decisionRuleSchema>;
export type DecisionRuleInput = z.input<typeof decisionRuleSchema>;
export type TimeWindow = z.output<typeof timeWindowSchema>;
export type RuleLimit = z.output<typeof ruleLimitSchema>;
export type Escalation = z.output<typeof escalationSchema>;

/** An ordered rule list; ids must be unique. */
export const decisionRulesSchema = z.array(decisionRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate rule id "${rule.id}"` });
    seen.add(rule.id);
  });
});

export { DEFAULT_APPROVAL_TIMEOUT } from './duration';
