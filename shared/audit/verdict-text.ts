/** A chain verdict as the lines `aios audit verify` prints and the console's audit page shows. */
import type { ChainVerdict } from './record';

export function verdictLines(v: ChainVerdict): string[] {
  return [
    `${v.ok ? 'ok    ' : 'BROKEN'} ${v.runId}: ${v.count} record${v.count === 1 ? '' : 's'}${v.ok ? ', chain intact' : ''}`,
    ...v.problems.map((p) => `       record ${p.seq}: ${p.problem}: ${p.message}`),
  ];
}
