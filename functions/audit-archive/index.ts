/**
 * Lambda `aios-audit-archive`, fed by the audit table's stream (new and old
 * images): each batch it is handed becomes one object (split past 1 MiB) in
 * the Object Lock bucket (AIOS_AUDIT_ARCHIVE_BUCKET), the batch's writes in
 * stream order (shared/audit/archive-batch.ts). On one machine the local
 * runtime hands it the same records in batches after writes to the audit
 * table, and the bucket is the local S3 API's. The records of an object
 * whose put failed are reported so the stream delivers them again.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ArchivedWrite } from '../../shared/audit/archive';
import { archiveBatch } from '../../shared/audit/archive-batch';
import { S3ArchiveStore } from '../../shared/audit/s3-archive-store';
import { s3Client } from '../../shared/aws/s3-client';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { AiosError } from '../../shared/errors';
import { runLogging } from '../run-logging';
import { loggedInvocation } from '../logged-invocation';

type Image = Record<string, AttributeValue>;

/** A DynamoDB stream record as Lambda delivers it (the fields the archive keeps). */
interface StreamRecord {
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb?: { Keys?: Image; NewImage?: Image; OldImage?: Image; SequenceNumber?: string; ApproximateCreationDateTime?: number };
}

export function toArchivedWrite(record: StreamRecord): ArchivedWrite {
  const d = record.dynamodb;
  if (!record.eventName || !d?.Keys || !d.SequenceNumber)
    throw new AiosError('Audit.InvalidStreamRecord', 'a stream record without its event name, keys or sequence number');
  const keys = unmarshall(d.Keys) as { pk: string; sk: string };
  return {
    event: record.eventName,
    sequence: d.SequenceNumber,
    at: new Date((d.ApproximateCreationDateTime ?? 0) * 1000).toISOString(),
    keys: { pk: String(keys.pk), sk: String(keys.sk) },
    ...(d.NewImage ? { newImage: unmarshall(d.NewImage) } : {}),
    ...(d.OldImage ? { oldImage: unmarshall(d.OldImage) } : {}),
  };
}

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return loggedInvocation(async (event: { Records?: StreamRecord[] }) => {
    const bucket = env.auditArchiveBucket;
    if (!bucket) throw new AiosError('Audit.ArchiveNotConfigured', 'AIOS_AUDIT_ARCHIVE_BUCKET is not set');
    const records = event.Records ?? [];
    const { failed } = await archiveBatch(records.map(toArchivedWrite), new S3ArchiveStore(s3Client({}, env.vars), bucket));
    if (failed.length) console.error(JSON.stringify({ level: 'ERROR', message: 'audit records not archived; the stream retries them', sequences: failed }));
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  }, runLogging());
}

export const handler = createHandler(parseEnvironment(process.env));
