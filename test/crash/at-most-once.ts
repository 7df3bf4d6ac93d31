/**
 * The one failure the fault harness expects, by a precise rule, and reports
 * in a column of its own (never hidden, never counted as a pass).
 *
 * A tool that cannot be made idempotent (email.send: SES keeps no
 * idempotency key) marks the moment it calls out (`ctx.beforeEffect()`,
 * idempotency record status `acting`). A kill after that mark and before the
 * answer leaves nobody knowing whether the effect happened (killed before SES
 * answered, or after it accepted and before the call was marked done), so the
 * retry refuses the call rather than risk doing it twice, and the run fails
 * with `Tool.NotCarriedOut` for a person to check. That is at-most-once doing
 * its job, whether or not the one effect went out.
 *
 * A failed run is that case only when all of these hold; anything else is a
 * violation:
 * - it FAILED with `Tool.NotCarriedOut`;
 * - its audit trail has exactly one `tool.refused`, saying an earlier
 *   attempt was interrupted and the tool is not idempotent, and no
 *   successful `tool.ran` of that call;
 * - that call's idempotency record shows the mark (`acting`), not `done`;
 * - at most one effect of that call is recorded (business calls of the run on
 *   the tool's path, emails of the run in the outbox): two is a call done twice.
 */
import type { AuditRecord } from '../../shared/audit/record';

export const INTERRUPTED_NOT_IDEMPOTENT = /earlier attempt was interrupted and this tool is not idempotent/;

export interface RefusedRun {
  runId: string;
  status: string;
  /** `<error>: <cause>` of the failed run. */
  error?: string;
  trail: readonly AuditRecord[];
}

export interface RefusalEvidence {
  /** The idempotency record's status of a call (`run#<run>`, `tool#<toolUseId>`), if any. */
  recordStatus: (runId: string, toolUseId: string) => Promise<string | undefined>;
  /** How many effects of `tool` the run has on record (business calls on its path, emails tagged with the run). */
  effects: (runId: string, tool: string) => number;
}

/** A description of the expected at-most-once refusal, or why the failure is not one (undefined reason = not a refusal at all). */
export async function atMostOnceRefusal(
  run: RefusedRun,
  evidence: RefusalEvidence,
): Promise<{ expected: true; text: string } | { expected: false; why: string }> {
  if (run.status !== 'FAILED' || !run.error?.startsWith('Tool.NotCarriedOut')) return { expected: false, why: 'not a Tool.NotCarriedOut failure' };
  const refused = run.trail.filter((r) => r.kind === 'tool.refused');
  if (refused.length !== 1) return { expected: false, why: `${refused.length} tool.refused records` };
  const { tool, toolUseId, why } = refused[0].data as { tool?: string; toolUseId?: string; why?: string };
  if (!tool || !toolUseId || !INTERRUPTED_NOT_IDEMPOTENT.test(String(why))) return { expected: false, why: `refused for another reason: ${String(why)}` };
  if (run.trail.some((r) => r.kind === 'tool.ran' && r.data.toolUseId === toolUseId && r.data.status === 'ok')) {
    return { expected: false, why: `${tool} ${toolUseId} also ran` };
  }
  const status = await evidence.recordStatus(run.runId, toolUseId);
  if (status !== 'acting') return { expected: false, why: `${tool} ${toolUseId}: idempotency record ${status ?? 'missing'}, not the beforeEffect mark` };
  const effects = evidence.effects(run.runId, tool);
  if (effects > 1) return { expected: false, why: `${tool} ${toolUseId}: ${effects} effects recorded` };
  const went = effects === 0 ? 'no effect recorded' : 'its one effect had gone out';
  return { expected: true, text: `run ${run.runId}: ${tool} ${toolUseId} killed after its beforeEffect mark, ${went}, refused (at most once)` };
}
