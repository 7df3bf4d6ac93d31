/**
 * A scenario: one run of one workflow, told in full — the trigger event, the
 * model's answers (a recording), what people do, the clock — and what must
 * happen. `aios test` runs it on the durable engine; `aios eval` runs it
 * against a live model.
 */
import * as z from 'zod';

/** "sam approves", "priya rejects: too high", "the deadline passes" — what happens to the approval asked. */
export const personActionSchema = z
  .string()
  .regex(
    /^([a-z][a-z0-9-]*\s+(approves|rejects)(:\s*.+)?|the deadline passes)$/,
    'write "<person id> approves", "<person id> rejects: <comment>" or "the deadline passes"',
  )
  .describe(
    'Applied in order to the approvals as they are asked: a person\'s decision on an approval asked of them ("sam approves", "priya rejects: too high"), or "the deadline passes" (nobody answered in time: the clock moves past the deadline and the workflow times the approval out, rejecting or escalating as the rule says).',
  );

export type PersonAction = { kind: 'vote'; person: string; vote: 'approve' | 'reject'; comment?: string } | { kind: 'deadline' };

export function parsePersonAction(text: string): PersonAction {
  if (text.trim() === 'the deadline passes') return { kind: 'deadline' };
  const m = /^([a-z][a-z0-9-]*)\s+(approves|rejects)(?::\s*(.+))?$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a person's decision ("sam approves", "priya rejects: too high") nor "the deadline passes"`);
  return { kind: 'vote', person: m[1], vote: m[2] === 'approves' ? 'approve' : 'reject', ...(m[3] ? { comment: m[3].trim() } : {}) };
}

const eventSchema = z
  .strictObject({
    source: z.string().min(1),
    'detail-type': z.string().min(1),
    detail: z.record(z.string(), z.unknown()).default({}),
    // The rest of an EventBridge envelope may be pasted in as it is; the run gets its own.
    version: z.string().optional(),
    id: z.string().optional(),
    account: z.string().optional(),
    time: z.string().optional(),
    region: z.string().optional(),
    resources: z.array(z.string()).optional(),
  })
  .describe('The trigger event as EventBridge delivers it (source, detail-type, detail; the other envelope fields may be given and are replaced).');

const toolStubSchema = z
  .union([z.strictObject({ result: z.unknown() }), z.strictObject({ error: z.string().min(1) })])
  .describe('What the tool answers in the scenario instead of acting on the world: a result, or an error message.');

export const expectedRightsSchema = z.strictObject({
  tool: z.string().min(1),
  decision: z.enum(['allow', 'approve', 'deny']),
  rule: z.string().nullable().optional().describe('The id of the rule that decided (null: no rule matched).'),
  step: z.string().optional(),
});

export const expectedToolCallSchema = z.strictObject({
  tool: z.string().min(1),
  input: z.record(z.string(), z.unknown()).optional().describe('Fields the input must have (others may be present).'),
  status: z
    .enum(['ran', 'error', 'refused', 'not-run'])
    .optional()
    .describe(
      'ran: the tool acted; error: its input was invalid or it failed; refused: the tool function refused it; not-run: denied or rejected before reaching the tool.',
    ),
});

export const expectedApprovalSchema = z.strictObject({
  tool: z.string().nullable().optional().describe('The tool call approved (null: a workflow approval step).'),
  approvers: z.array(z.string()).optional().describe('Person ids the approval was asked of (any order).'),
  outcome: z.enum(['approved', 'rejected', 'expired', 'pending']).optional().describe('expired: the deadline passed with no decision (and no escalation).'),
});

export const expectedEmailSchema = z.strictObject({
  to: z.string().min(1),
  subjectContains: z.string().optional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).describe('What the scenario shows, one line.'),
  workflow: z.string().min(1).describe('The workflow id to run.'),
  event: eventSchema.optional(),
  input: z.unknown().optional().describe('The run input for a manual start (instead of event).'),
  clock: z
    .string()
    .datetime({ offset: true })
    .optional()
    .describe('The instant the run starts at, e.g. 2026-12-07T10:00:00-06:00; the clock moves forward from there.'),
  recordings: z
    .array(z.string().min(1))
    .optional()
    .describe("Recording files (relative to the scenario file) the model answers from; default the definition's recordings folder."),
  recording: z.unknown().optional().describe('One recording written inline (same shape as a recording file).'),
  tools: z.record(z.string(), toolStubSchema).default({}).describe('Tool answers by tool id; a tool not listed answers {"ok": true}.'),
  people: z.array(personActionSchema).default([]),
  expect: z
    .strictObject({
      status: z
        .enum(['succeeded', 'failed', 'waiting'])
        .optional()
        .describe('waiting: the run still waits for a person when the scenario has no more decisions.'),
      rights: z.array(expectedRightsSchema).optional().describe('Every rights decision, in order.'),
      toolCalls: z.array(expectedToolCallSchema).optional().describe('Every tool call the agents asked for, in order.'),
      approvals: z.array(expectedApprovalSchema).optional().describe('Every approval asked, in order.'),
      emails: z.array(expectedEmailSchema).optional().describe('Every email sent (approval requests and email tools), in order.'),
      output: z.unknown().optional().describe('Fields the run output must have (a partial match).'),
    })
    .default({}),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
