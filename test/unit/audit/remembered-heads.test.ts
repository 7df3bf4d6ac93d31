/**
 * An append after a head this process moved itself (and whose record item
 * it wrote) neither reads the head nor repeats the previous item. These
 * tests hold it to that, and to the chain staying complete when a writer
 * fails or dies between moving the head and writing the item, when another
 * process appended meanwhile, and when a once key is retried.
 */
import { AuditLog, auditPk, auditSk } from '../../../shared/audit';
import { appendOnceEach } from '../../../shared/audit/append-each';
import { RememberedHeads } from '../../../shared/audit/remembered-heads';
import { MemoryTable } from '../../../shared/storage/memory-table';
import type { Condition, Item, QueryOptions, QueryPage, Table, TableKey } from '../../../shared/storage/table';

const KEY = async () => 'remembered-heads-test-key';
const RUN = 'run-remembered';

/** A table shared by "processes", counting each request and able to fail or never answer the item write of one record. */
class SharedTable extends MemoryTable {
  requests: string[] = [];
  /** The record item write (`audit#<run>`, sk) that fails once, or hangs forever. */
  fault?: { sk: string; how: 'fail' | 'hang' };

  override async get(key: TableKey): Promise<Item | undefined> {
    this.requests.push(`get ${key.sk}`);
    return super.get(key);
  }

  override async put(item: Item, condition?: Condition): Promise<void> {
    if (this.fault && item.pk === auditPk(RUN) && item.sk === this.fault.sk) {
      const { how } = this.fault;
      this.fault = undefined;
      this.requests.push(`put ${item.sk} (${how})`);
      if (how === 'fail') throw new Error('the connection was reset');
      return new Promise<void>(() => undefined);
    }
    try {
      await super.put(item, condition);
      this.requests.push(`put ${item.sk}`);
    } catch (error) {
      this.requests.push(`put ${item.sk} refused`);
      throw error;
    }
  }

  override async query(pk: string, options?: QueryOptions): Promise<QueryPage> {
    this.requests.push(`query ${pk}`);
    return super.query(pk, options);
  }

  /** Requests made while `work` ran. */
  async during(work: () => Promise<unknown>): Promise<string[]> {
    const from = this.requests.length;
    await work();
    return this.requests.slice(from);
  }
}

/** A writer in a process of its own (its own memory of heads). */
const writer = (table: Table) => new AuditLog(table, undefined, { key: KEY, heads: new RememberedHeads() });
const step = (turn: number) => ({ agentId: 'a', model: 'm', turn, inputTokens: 1, outputTokens: 1, costUsd: 0 });

test('after its first append a writer moves the head and writes the item: two requests, no read, no repeated item', async () => {
  const table = new SharedTable('audit');
  const audit = writer(table);
  await audit.appendOnce(RUN, 'event.received', 'run.started', { workflowId: 'w' });
  for (let turn = 1; turn <= 6; turn++) {
    expect(await table.during(() => audit.append(RUN, 'model.called', step(turn)))).toEqual(['put head', `put ${auditSk(turn + 1)}`]);
  }
  // A once key this process has seen every record for is checked without reading the chain.
  expect(await table.during(() => audit.appendOnce(RUN, 'tool.ran:t1', 'tool.ran', { tool: 'x', status: 'ok' }))).toEqual(['put head', `put ${auditSk(8)}`]);
  expect(await audit.verify(RUN)).toMatchObject({ ok: true, count: 8 });
  expect(await audit.indexedRuns()).toEqual([RUN]);
});

test('an item write that fails after the head moved: the record stays in the head and the same writer writes its item next', async () => {
  const table = new SharedTable('audit');
  const audit = writer(table);
  await audit.append(RUN, 'run.started', { workflowId: 'w' });
  await audit.append(RUN, 'model.called', step(1));
  table.fault = { sk: auditSk(3), how: 'fail' };
  await expect(audit.append(RUN, 'model.called', step(2))).rejects.toThrow('the connection was reset');
  expect(await table.get({ pk: auditPk(RUN), sk: auditSk(3) })).toBeUndefined();
  expect(await audit.verify(RUN)).toMatchObject({ ok: true, count: 3 });

  // The failed writer forgot the head: it reads it (with the newest item, record 2's), and writes the record left there before its own.
  const next = await table.during(() => audit.append(RUN, 'model.called', step(3)));
  expect(next.slice(0, 2)).toEqual([`query ${auditPk(RUN)}`, `put ${auditSk(3)}`]);
  expect(await table.get({ pk: auditPk(RUN), sk: auditSk(3) })).toMatchObject({ seq: 3, data: step(2) });
  expect(await audit.verify(RUN)).toMatchObject({ ok: true, count: 4 });
  expect((await audit.records(RUN)).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
});

test('a writer killed after the head moved: the next append, from another process, writes the dead writer’s record', async () => {
  const table = new SharedTable('audit');
  const dying = writer(table);
  await dying.append(RUN, 'run.started', { workflowId: 'w' });
  await dying.append(RUN, 'model.called', step(1));
  table.fault = { sk: auditSk(3), how: 'hang' };
  // The process stops here for good: its head move is acknowledged, its item write never happens.
  void dying.append(RUN, 'model.called', step(2));
  await new Promise((r) => setImmediate(r));
  expect(table.requests.slice(-2)).toEqual(['put head', `put ${auditSk(3)} (hang)`]);

  const survivor = writer(table);
  await survivor.append(RUN, 'run.ended', { status: 'SUCCEEDED' });
  expect(await table.get({ pk: auditPk(RUN), sk: auditSk(3) })).toMatchObject({ seq: 3, data: step(2) });
  expect(await survivor.verify(RUN)).toMatchObject({ ok: true, count: 4 });
});

test('a head another process moved is read and repaired: the remembered one is refused, never written over', async () => {
  const table = new SharedTable('audit');
  const a = writer(table);
  const b = writer(table);
  await a.append(RUN, 'run.started', { workflowId: 'w' });
  await a.append(RUN, 'model.called', step(1));
  // b appends and dies before writing its item: a still remembers seq 2 as the head.
  table.fault = { sk: auditSk(3), how: 'hang' };
  void b.append(RUN, 'rights.evaluated', { tool: 't', agentId: 'a', decision: 'allow', ruleId: 'r', reason: 'x', inputDigest: 'd' });
  await new Promise((r) => setImmediate(r));

  const requests = await table.during(() => a.append(RUN, 'model.called', step(2)));
  expect(requests.slice(0, 3)).toEqual(['put head refused', `query ${auditPk(RUN)}`, `put ${auditSk(3)}`]);
  const records = await a.records(RUN);
  expect(records.map((r) => r.kind)).toEqual(['run.started', 'model.called', 'rights.evaluated', 'model.called']);
  expect(await a.verify(RUN)).toMatchObject({ ok: true, count: 4 });
});

test('an append after a head another process moved reads the head with the newest item: three requests, no refused item write', async () => {
  const table = new SharedTable('audit');
  const start = writer(table);
  await start.append(RUN, 'run.started', { workflowId: 'w' });
  await start.append(RUN, 'model.called', step(1));
  // Each function of a run in a process of its own (a Lambda per function): none has moved this chain's head before.
  for (let turn = 2; turn <= 5; turn++) {
    const requests = await table.during(() => writer(table).append(RUN, 'model.called', step(turn)));
    expect(requests).toEqual([`query ${auditPk(RUN)}`, 'put head', `put ${auditSk(turn + 1)}`]);
  }
  expect(await start.verify(RUN)).toMatchObject({ ok: true, count: 6 });
});

test('a dispute run’s trail where each invocation is a process of its own (Lambda): 25 requests, 3 an append after the run’s start', async () => {
  const table = new SharedTable('audit');
  const rights = (tool: string) => ({ tool, agentId: 'a', decision: 'allow' as const, ruleId: 'r', reason: 'x', inputDigest: 'd' });
  const requests = await table.during(async () => {
    // emit-event: the chain created without a read, the run listed in its index chain (that chain's head read: this process
    // never moved it), the second record after the head it moved.
    await appendOnceEach(
      writer(table),
      RUN,
      [
        { once: 'event.received', kind: 'event.received', data: { source: 'stripe', detailType: 'charge.dispute.created' } },
        { once: 'run.started', kind: 'run.started', data: { workflowId: 'disputes' } },
      ],
      { newChain: true },
    );
    await writer(table).append(RUN, 'model.called', step(1));
    await writer(table).append(RUN, 'rights.evaluated', rights('knowledge.search'));
    await writer(table).appendOnce(RUN, 'tool.ran:t1', 'tool.ran', { tool: 'knowledge.search', status: 'ok' });
    await writer(table).append(RUN, 'model.called', step(2));
    await writer(table).append(RUN, 'rights.evaluated', rights('refunds.issue'));
    await writer(table).append(RUN, 'approval.requested', { approvalId: 'a1', stage: 'primary', approvers: ['sam'], quorum: 1, deadline: 'd' });
  });
  // 4 for the start's two records, 3 for its listing, 3 for each of the 6 later records; nothing refused.
  expect(requests).toHaveLength(4 + 3 + 6 * 3);
  expect(requests.filter((r) => r.endsWith('refused') || r.startsWith('get'))).toEqual([]);
  expect(await writer(table).verify(RUN)).toMatchObject({ ok: true, count: 8 });
});

test('a once key from a process that never read the chain: the head and every record in one query, then the move and the item', async () => {
  const table = new SharedTable('audit');
  const start = writer(table);
  await start.append(RUN, 'run.started', { workflowId: 'w' });
  await start.append(RUN, 'model.called', step(1));
  const tool = () => writer(table).appendOnce(RUN, 'tool.ran:t1', 'tool.ran', { tool: 'x', status: 'ok' });
  expect(await table.during(tool)).toEqual([`query ${auditPk(RUN)}`, 'put head', `put ${auditSk(3)}`]);
  // Retried by yet another process: the same query finds the record, and nothing is written.
  expect(await table.during(tool)).toEqual([`query ${auditPk(RUN)}`]);
  expect((await start.records(RUN)).map((r) => r.kind)).toEqual(['run.started', 'model.called', 'tool.ran']);
});

/** A chain whose head carries record 2 while record 2's own item was never written: its writer hangs there, as if dead. */
async function headWithoutItem() {
  const table = new SharedTable('audit');
  const dying = writer(table);
  await dying.append(RUN, 'run.started', { workflowId: 'w' });
  table.fault = { sk: auditSk(2), how: 'hang' };
  void dying.append(RUN, 'model.called', step(1));
  await new Promise((r) => setImmediate(r));
  return { table, dying };
}

test('a head whose record has no item yet (its writer died): the next process writes that item, then appends', async () => {
  const { table, dying } = await headWithoutItem();

  const requests = await table.during(() => writer(table).append(RUN, 'model.called', step(2)));
  expect(requests).toEqual([`query ${auditPk(RUN)}`, `put ${auditSk(2)}`, 'put head', `put ${auditSk(3)}`]);
  expect(await table.get({ pk: auditPk(RUN), sk: auditSk(2) })).toMatchObject({ seq: 2, data: step(1) });
  expect(await dying.verify(RUN)).toMatchObject({ ok: true, count: 3 });
});

test('a record item past the head (not the log’s) does not pass for the head’s record item: that item is still written', async () => {
  const { table } = await headWithoutItem();
  // Something else put an item at 3: the newest item the query finds is not record 2's.
  await MemoryTable.prototype.put.call(table, { pk: auditPk(RUN), sk: auditSk(3), seq: 3 });

  const requests = await table.during(() => writer(table).append(RUN, 'model.called', step(2)));
  expect(requests.slice(0, 2)).toEqual([`query ${auditPk(RUN)}`, `put ${auditSk(2)}`]);
  expect(await table.get({ pk: auditPk(RUN), sk: auditSk(2) })).toMatchObject({ seq: 2, data: step(1) });
});

test('a retried once key is not appended again, also when the writer remembers the head', async () => {
  const table = new SharedTable('audit');
  const audit = writer(table);
  await audit.append(RUN, 'run.started', { workflowId: 'w' });
  const first = await audit.appendOnce(RUN, 'tool.ran:t1', 'tool.ran', { tool: 'x', status: 'ok' });
  await audit.append(RUN, 'model.called', step(1));
  expect(await audit.appendOnce(RUN, 'tool.ran:t1', 'tool.ran', { tool: 'x', status: 'ok' })).toEqual(first);
  // Another process, remembering nothing, finds it too.
  expect(await writer(table).appendOnce(RUN, 'tool.ran:t1', 'tool.ran', { tool: 'x', status: 'ok' })).toEqual(first);
  expect((await audit.records(RUN)).map((r) => r.kind)).toEqual(['run.started', 'tool.ran', 'model.called']);
});

test('writers in separate processes taking turns on one chain (a Lambda per function): the chain stays whole, and remembering stops', async () => {
  const table = new SharedTable('audit');
  const a = writer(table);
  const b = writer(table);
  const all = await table.during(async () => {
    for (let turn = 0; turn < 40; turn++) await (turn % 2 ? a : b).append(RUN, 'model.called', step(turn));
  });
  expect(await a.verify(RUN)).toMatchObject({ ok: true, count: 40 });
  // Each remembered head is stale here; a few refused moves teach each process not to rely on them.
  expect(all.filter((r) => r === 'put head refused').length).toBeLessThanOrEqual(10);
});

test('concurrent appends of one process from remembered heads never fork the chain', async () => {
  const table = new SharedTable('audit');
  const audit = writer(table);
  await audit.append(RUN, 'run.started', { workflowId: 'w' });
  await Promise.all(Array.from({ length: 10 }, (_, i) => audit.append(RUN, 'model.called', step(i))));
  const records = await audit.records(RUN);
  expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
  expect(new Set(records.slice(1).map((r) => r.data.turn)).size).toBe(10);
  expect(await audit.verify(RUN)).toMatchObject({ ok: true, count: 11 });
});

test('verifying a live run: an append landing between the reads of the items and of the head is no record past the head', async () => {
  const table = new SharedTable('audit');
  const running = writer(table);
  await running.append(RUN, 'run.started', { workflowId: 'w' });
  await running.append(RUN, 'model.called', step(1));
  // The next read of the chain's items waits until another step of the run has appended.
  const query = table.query.bind(table);
  table.query = async (pk, options) => {
    table.query = query;
    await running.append(RUN, 'model.called', step(2));
    return query(pk, options);
  };
  expect(await writer(table).verify(RUN)).toMatchObject({ ok: true, count: 3 });
});
