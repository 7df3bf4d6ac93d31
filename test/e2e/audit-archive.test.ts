/**
 * The audit archive on one machine: every write to the audit table goes
 * through the local DynamoDB front's stream to the `aios-audit-archive`
 * function, which puts each batch it is handed in the local S3 bucket under
 * Object Lock as one object. A record tampered with or deleted in the table
 * keeps its original there, and `aios audit verify --archive` reports both;
 * `aios audit verify` alone works as before. A batch delivered again, whole
 * or composed otherwise, leaves the verdict as it was.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { compareWithArchive, type ArchivedWrite } from '../../shared/audit/archive';
import { BATCH_PREFIX } from '../../shared/audit/archive-batch';
import { archivedWritesOf, readArchive } from '../../shared/audit/archive-read';
import { auditLog, table } from '../../shared/composition/tables';
import { S3ArchiveStore } from '../../shared/audit/s3-archive-store';
import { createAwsClients } from '../../shared/aws/clients';
import { s3Client } from '../../shared/aws/s3-client';

jest.setTimeout(90_000);

const savedEnv = { ...process.env };
let rt: AiosRuntime;

beforeAll(async () => {
  rt = await startAiosRuntime({ port: 0, dataDir: mkdtempSync(path.join(tmpdir(), 'aios-archive-')), schedules: false });
});

afterAll(async () => {
  await rt?.close();
  process.env = savedEnv;
});

const cli = (args: string[]) =>
  promisify(execFile)(process.execPath, [path.join(__dirname, '../../bin/aios.js'), ...args], {
    env: { ...savedEnv, AIOS_PORT: String(rt.port), AIOS_DATA_DIR: rt.dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
  );

const archive = () => new S3ArchiveStore(s3Client({ endpoint: rt.url }, {}), 'aios-audit-archive');

async function archivedCount(pk: string): Promise<number> {
  return (await readArchive(archive())).filter((w) => w.keys.pk === pk).length;
}

/** The archive's objects holding writes to `pk`, in key order, each with those writes. */
async function objectsWithWrites(pk: string): Promise<{ key: string; writes: ArchivedWrite[] }[]> {
  const s3 = s3Client({ endpoint: rt.url }, {});
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'aios-audit-archive', Prefix: 'audit/' }));
  const out: { key: string; writes: ArchivedWrite[] }[] = [];
  for (const { Key } of listed.Contents ?? []) {
    const body = await (await s3.send(new GetObjectCommand({ Bucket: 'aios-audit-archive', Key }))).Body!.transformToString();
    const writes = archivedWritesOf(Key!, body).filter((w) => w.keys.pk === pk);
    if (writes.length > 0) out.push({ key: Key!, writes });
  }
  return out;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await check()).toBe(true);
}

test('a tampered and a deleted record keep their originals in the archive, and verify --archive finds both', async () => {
  const audit = auditLog(rt.environment);
  const runId = 'archive-run-1';
  await audit.append(runId, 'run.started', { workflowId: 'support-desk' });
  await audit.append(runId, 'rights.evaluated', {
    tool: 'refunds.issue',
    agentId: 'triage',
    decision: 'allow',
    ruleId: 'small-refunds',
    reason: 'within policy',
    inputDigest: 'd1',
  });
  await audit.append(runId, 'run.ended', { status: 'SUCCEEDED' });
  // Three records and three head moves (and the index) reach the archive through the stream.
  await until(async () => (await archivedCount(`audit#${runId}`)) >= 6);

  const untouched = await cli(['audit', 'verify', '--archive', runId]);
  expect(untouched.code).toBe(0);
  expect(untouched.out).toContain('ok     archive aios-audit-archive: 3 records compared');

  // Someone with write access to the table rewrites the rule's decision and deletes the run's end.
  const dynamo = createAwsClients({ endpoint: rt.url }, {}).dynamoDb();
  await dynamo.send(
    new UpdateItemCommand({
      TableName: 'aios-audit',
      Key: { pk: { S: `audit#${runId}` }, sk: { S: '0000000002' } },
      UpdateExpression: 'SET #d.#r = :r',
      ExpressionAttributeNames: { '#d': 'data', '#r': 'ruleId' },
      ExpressionAttributeValues: { ':r': { S: 'owner-override' } },
    }),
  );
  await dynamo.send(new DeleteItemCommand({ TableName: 'aios-audit', Key: { pk: { S: `audit#${runId}` }, sk: { S: '0000000003' } } }));
  await until(async () => (await archivedCount(`audit#${runId}`)) >= 8);

  const store = archive();
  const ofRun = (await readArchive(store)).filter((w) => w.keys.pk === `audit#${runId}`);
  const result = compareWithArchive(await table(rt.environment, 'audit').scan({ pkPrefix: `audit#${runId}` }), ofRun);
  expect(result.differs.map((d) => [d.sk, (d.original!.data as { ruleId: string }).ruleId, (d.current!.data as { ruleId: string }).ruleId])).toEqual([
    ['0000000002', 'small-refunds', 'owner-override'],
  ]);
  expect(result.missingFromTable.map((d) => [d.sk, d.original!.kind])).toEqual([['0000000003', 'run.ended']]);
  expect(result.missingFromArchive).toEqual([]);

  const found = await cli(['audit', 'verify', '--archive', runId]);
  expect(found.code).toBe(1);
  expect(found.out).toContain(`run ${runId} record 2 (rights.evaluated): differs from what was first written: data changed`);
  expect(found.out).toContain(`run ${runId} record 3 (run.ended): missing from the table (deleted)`);

  // Without --archive the chain check still runs on its own (and sees the chain broken).
  const chainOnly = await cli(['audit', 'verify', runId]);
  expect(chainOnly.code).toBe(1);
  expect(chainOnly.out).toContain(`BROKEN ${runId}`);
  expect(chainOnly.out).not.toContain('aios-audit-archive');

  // Each write to the run's items is archived exactly once, in batch objects: record 2 as written and as rewritten.
  const objects = await objectsWithWrites(`audit#${runId}`);
  expect(objects.every(({ key }) => key.startsWith(BATCH_PREFIX))).toBe(true);
  const writes = objects.flatMap((o) => o.writes);
  expect(new Set(writes.map((w) => w.sequence)).size).toBe(writes.length);
  expect(writes.filter((w) => w.keys.sk === '0000000002').map((w) => w.event)).toEqual(['INSERT', 'MODIFY']);
  expect(writes.filter((w) => w.keys.sk === '0000000003').map((w) => w.event)).toEqual(['INSERT', 'REMOVE']);
  // The archive itself cannot be cleaned up: every object is locked (compliance mode).
  const s3 = s3Client({ endpoint: rt.url }, {});
  await expect(s3.send(new DeleteObjectCommand({ Bucket: 'aios-audit-archive', Key: objects[0].key }))).rejects.toMatchObject({
    name: 'AccessDenied',
  });
});

test('an untouched run verifies with the archive too, and the archive is named in the outputs', async () => {
  const outputs = (await (await fetch(`${rt.url}/outputs`)).json()) as Record<string, unknown>;
  expect(outputs).toMatchObject({ auditArchiveBucket: 'aios-audit-archive', payloadBucket: 'aios-payloads' });
  const audit = auditLog(rt.environment);
  await audit.append('archive-run-2', 'run.started', { workflowId: 'support-desk' });
  await until(async () => (await archivedCount('audit#archive-run-2')) >= 2);
  const ok = await cli(['audit', 'verify', '--archive', 'archive-run-2']);
  expect([ok.code, ok.out]).toEqual([0, expect.stringContaining('ok     archive-run-2: 1 record, chain intact')]);
});

test('a batch delivered again adds nothing, composed otherwise it adds objects of its own, and the verdict stays ok', async () => {
  const runId = 'archive-run-3';
  const audit = auditLog(rt.environment);
  await audit.append(runId, 'run.started', { workflowId: 'support-desk' });
  await audit.append(runId, 'run.ended', { status: 'SUCCEEDED' });
  await until(async () => (await archivedCount(`audit#${runId}`)) >= 4);
  const objectCount = async () =>
    (await s3Client({ endpoint: rt.url }, {}).send(new ListObjectsV2Command({ Bucket: 'aios-audit-archive', Prefix: BATCH_PREFIX }))).KeyCount;
  // The stream's records of the run's items as Lambda hands them to the archiver, with sequences after every write so far.
  const items = await table(rt.environment, 'audit').scan({ pkPrefix: `audit#${runId}` });
  const first = BigInt(Date.now() + 60_000) * 1_000_000n;
  const records = items.map((item, i) => ({
    eventID: `redelivered-${i}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ pk: item.pk, sk: item.sk }),
      NewImage: marshall(item),
      SequenceNumber: String(first + BigInt(i)),
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  }));
  const deliver = async (batch: typeof records) => {
    const result = await rt.functions.invoke('aios-audit-archive', { Records: batch }, { requestId: `redelivery-${batch[0].eventID}` });
    expect(result).toEqual({ ok: true, payload: { batchItemFailures: [] } });
  };
  const before = (await objectCount())!;
  await deliver(records);
  expect(await objectCount()).toBe(before + 1);
  const [object] = (await objectsWithWrites(`audit#${runId}`)).filter((o) => o.writes[0].sequence === String(first));
  expect(object.key).toMatch(
    new RegExp(`^${BATCH_PREFIX}${String(first).padStart(40, '0')}-${String(first + BigInt(items.length - 1)).padStart(40, '0')}-[0-9a-f]{64}\\.jsonl$`),
  );
  expect(object.writes.map((w) => w.newImage)).toEqual(items);
  await deliver(records);
  expect(await objectCount()).toBe(before + 1);
  // Split in two (bisectBatchOnError): new objects, the writes now archived twice over, the comparison unchanged.
  await deliver(records.slice(0, 2));
  await deliver(records.slice(2));
  expect(await objectCount()).toBe(before + 3);
  const again = await cli(['audit', 'verify', '--archive', runId]);
  expect([again.code, again.out]).toEqual([
    0,
    expect.stringContaining(`ok     archive aios-audit-archive: ${items.filter((i) => i.sk !== 'head').length} records compared`),
  ]);
});
