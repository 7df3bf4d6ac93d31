/**
 * Compares what a scenario expects with what its run did. Every mismatch
 * names where it is (list and position, the step and tool involved) and the
 * field, with the expected and the actual value, so a failing scenario reads
 * as a diff.
 */
import type { ObservedRun } from './observed-run';
import type { Scenario } from './scenario-schema';

export interface Mismatch {
  /** e.g. `rights[1] (step triage, tool refunds.issue).decision` */
  where: string;
  expected: unknown;
  actual: unknown;
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

export function formatMismatch(m: Mismatch): string {
  return `${m.where}\n    expected: ${show(m.expected)}\n    actual:   ${show(m.actual)}`;
}

/** Fields of `expected` that `actual` lacks or holds differently, with their paths (a partial match). */
export function partialDifferences(expected: unknown, actual: unknown, at = ''): { path: string; expected: unknown; actual: unknown }[] {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [{ path: at || '(value)', expected, actual }];
    return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) =>
      partialDifferences(v, (actual as Record<string, unknown>)[k], at ? `${at}.${k}` : k),
    );
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [{ path: at || '(value)', expected, actual }];
    return expected.flatMap((v, i) => partialDifferences(v, actual[i], `${at}[${i}]`));
  }
  return Object.is(expected, actual) ? [] : [{ path: at || '(value)', expected, actual }];
}

function compareList<E extends object, A extends { step?: string; tool?: string | null }>(
  name: string,
  expected: readonly E[] | undefined,
  actual: readonly A[],
  summary: (a: A) => string,
  out: Mismatch[],
): void {
  if (!expected) return;
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (!e) {
      out.push({ where: `${name}[${i}]`, expected: undefined, actual: summary(a!) });
      continue;
    }
    if (!a) {
      out.push({ where: `${name}[${i}]`, expected: e, actual: undefined });
      continue;
    }
    const label = `${name}[${i}] (${a.step ? `step ${a.step}, ` : ''}tool ${a.tool ?? '-'})`;
    for (const [field, value] of Object.entries(e)) {
      const actualValue = (a as Record<string, unknown>)[field === 'rule' ? 'rule' : field];
      if (field === 'approvers' && Array.isArray(value) && Array.isArray(actualValue)) {
        if ([...value].sort().join(',') !== [...actualValue].sort().join(',')) out.push({ where: `${label}.approvers`, expected: value, actual: actualValue });
        continue;
      }
      if (field === 'subjectContains') {
        const subject = (a as Record<string, unknown>).subject;
        if (typeof subject !== 'string' || !subject.includes(String(value)))
          out.push({ where: `${label}.subject`, expected: `to contain ${JSON.stringify(value)}`, actual: subject });
        continue;
      }
      for (const d of partialDifferences(value, actualValue))
        out.push({ where: `${label}.${field}${d.path === '(value)' ? '' : `.${d.path}`}`, expected: d.expected, actual: d.actual });
    }
  }
}

export function checkExpectations(expect: Scenario['expect'], run: ObservedRun): Mismatch[] {
  const out: Mismatch[] = [];
  if (expect.status && expect.status !== run.status)
    out.push({ where: 'status', expected: expect.status, actual: run.error ? `${run.status} (${run.error})` : run.status });
  compareList('rights', expect.rights, run.rights, (a) => `${a.tool} ${a.decision} by ${a.rule ?? 'no rule'}`, out);
  compareList('toolCalls', expect.toolCalls, run.toolCalls, (a) => `${a.tool} ${JSON.stringify(a.input)} (${a.status})`, out);
  compareList('approvals', expect.approvals, run.approvals, (a) => `${a.tool ?? 'step'} asked of ${a.approvers.join(', ')} (${a.outcome})`, out);
  compareList(
    'emails',
    expect.emails,
    run.emails.map((e) => ({ ...e, tool: null })),
    (a) => `to ${a.to}: ${a.subject}`,
    out,
  );
  if (expect.output !== undefined)
    for (const d of partialDifferences(expect.output, run.output))
      out.push({ where: `output${d.path === '(value)' ? '' : `.${d.path}`}`, expected: d.expected, actual: d.actual });
  return out;
}
