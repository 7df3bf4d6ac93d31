/** An archive comparison as the lines `aios audit verify --archive` prints. */
import type { ArchiveComparison, ArchiveDifference } from './archive';

const where = (d: ArchiveDifference) => `${d.pk.startsWith('audit#') ? `run ${d.pk.slice('audit#'.length)}` : 'the run index'} record ${Number(d.sk)}`;
const kindOf = (item: Record<string, unknown> | undefined) => (item && typeof item.kind === 'string' ? ` (${item.kind})` : '');

/** Fields whose values differ between the original and the current item, for the reader. */
function changedFields(d: ArchiveDifference): string {
  const keys = [...new Set([...Object.keys(d.original ?? {}), ...Object.keys(d.current ?? {})])].sort();
  const changed = keys.filter((k) => JSON.stringify(d.original?.[k]) !== JSON.stringify(d.current?.[k]));
  return changed.length ? `: ${changed.join(', ')} changed; the original is kept in the archive` : '';
}

const MATCHES = ', the table matches what was first written';

export function archiveComparisonLines(c: ArchiveComparison, bucket: string): string[] {
  const problems = c.missingFromTable.length + c.differs.length + c.missingFromArchive.length;
  return [
    `${problems === 0 ? 'ok    ' : 'DIFFER'} archive ${bucket}: ${c.checked} record${c.checked === 1 ? '' : 's'} compared${problems === 0 ? MATCHES : ''}`,
    ...c.missingFromTable.map(
      (d) => `       ${where(d)}${kindOf(d.original)}: missing from the table (deleted); the archive keeps it as written at ${String(d.original?.at ?? '?')}`,
    ),
    ...c.differs.map((d) => `       ${where(d)}${kindOf(d.original)}: differs from what was first written${changedFields(d)}`),
    ...c.missingFromArchive.map(
      (d) => `       ${where(d)}${kindOf(d.current)}: missing from the archive (written around the table's stream, or not delivered yet)`,
    ),
  ];
}
