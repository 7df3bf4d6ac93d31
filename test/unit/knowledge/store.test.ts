import { KnowledgeStore } from '../../../shared/knowledge/store';
import { MemoryTable } from '../../../shared/storage/memory-table';
import type { Condition, Item, QueryOptions, Table, TableKey, UpdateChanges } from '../../../shared/storage/table';

/** A real MemoryTable that also counts what search reads. */
class CountingTable extends MemoryTable {
  readonly reads: string[] = [];
  override async get(key: TableKey): Promise<Item | undefined> {
    this.reads.push(`get ${key.pk} ${key.sk}`);
    return super.get(key);
  }
  override async query(pk: string, options: QueryOptions = {}) {
    this.reads.push(`query ${pk} ${options.skPrefix ?? options.skFrom ?? ''}`);
    return super.query(pk, options);
  }
  override async scan(options: { pkPrefix?: string } = {}): Promise<Item[]> {
    this.reads.push('scan');
    return super.scan(options);
  }
}

const seed = (id: string, body: string, namespace = 'support') => ({
  namespace,
  id,
  title: id,
  tags: [],
  body,
  source: { kind: 'seed' as const, path: `${id}.md` },
});

describe('KnowledgeStore', () => {
  test('a search on an unchanged namespace reads only its change log, no chunks', async () => {
    const table = new CountingTable();
    const writer = new KnowledgeStore({ table });
    for (let i = 0; i < 20; i++) await writer.putDocument(seed(`doc-${i}`, `Coffee note ${i}: grinder burrs and roast dates.`));
    const reader = new KnowledgeStore({ table });
    await reader.search({ query: 'grinder', namespaces: ['support'] });
    table.reads.length = 0;
    await reader.search({ query: 'roast dates', namespaces: ['support'] });
    expect(table.reads).toEqual(['query ns#support log#000000000021']);
    await writer.putDocument(seed('doc-3', 'Changed: espresso machine descaling.'));
    table.reads.length = 0;
    const hits = await reader.search({ query: 'descaling', namespaces: ['support'] });
    expect(hits[0]).toMatchObject({ docId: 'doc-3', version: 2 });
    // The change log, then one Get and one chunk Query for the changed document only.
    expect(table.reads).toEqual([
      'query ns#support log#000000000021',
      'get ns#support doc#doc-3',
      expect.stringMatching(/^query ns#support chunk#doc-3#000002#/),
    ]);
  });

  test('maxStalenessMs skips the change-log check for a young index', async () => {
    const table = new CountingTable();
    const store = new KnowledgeStore({ table, maxStalenessMs: 60_000 });
    await store.putDocument(seed('a', 'Harbor Blend tastes of chocolate.'));
    await store.search({ query: 'chocolate', namespaces: ['support'] });
    table.reads.length = 0;
    await store.search({ query: 'chocolate', namespaces: ['support'] });
    expect(table.reads).toEqual([]);
  });

  test('validates searches and documents with clear codes', async () => {
    const store = new KnowledgeStore({ table: new MemoryTable() });
    await expect(store.search({ query: '   ' })).rejects.toMatchObject({
      code: 'Knowledge.InvalidSearch',
      message: expect.stringContaining('query must not be empty'),
    });
    await expect(store.search({ query: 'x', limit: 0 })).rejects.toMatchObject({ code: 'Knowledge.InvalidSearch' });
    await expect(store.search({ query: 'x', namespaces: ['Bad NS'] })).rejects.toMatchObject({ code: 'Knowledge.InvalidSearch' });
    await expect(store.putDocument(seed('Bad Id', 'text'))).rejects.toMatchObject({ code: 'Knowledge.InvalidDocument' });
    await expect(store.remember({ namespace: 'support', text: 'x', provenance: { runId: 'r', agentId: 'a', at: 'yesterday' } })).rejects.toMatchObject({
      code: 'Knowledge.InvalidDocument',
      message: expect.stringContaining('provenance.at'),
    });
  });

  test('a query made only of stopwords finds nothing rather than everything', async () => {
    const store = new KnowledgeStore({ table: new MemoryTable() });
    await store.putDocument(seed('a', 'What is it and how do you do it?'));
    expect(await store.search({ query: 'what is it' })).toEqual([]);
  });

  test('a write interrupted before its change-log entry is repaired by the next write of the same document', async () => {
    const table = new MemoryTable();
    const store = new KnowledgeStore({ table });
    const reader = new KnowledgeStore({ table });
    await store.putDocument(seed('a', 'Pour-over ratio is 1:16.'));
    expect(await reader.search({ query: 'pour-over' })).toHaveLength(1);
    // Simulate a crash right after the document flipped to version 2: no log entry, no `logged` mark.
    const failing: Table = Object.create(table) as Table;
    let puts = 0;
    failing.put = async (item: Item, condition?: Condition) => {
      if (String(item.sk).startsWith('ver#') && ++puts === 1) throw new Error('crash');
      return table.put(item, condition);
    };
    failing.update = (key: TableKey, changes: UpdateChanges, condition?: Condition) => table.update(key, changes, condition);
    await expect(new KnowledgeStore({ table: failing }).putDocument(seed('a', 'Pour-over ratio is 1:15 now.'))).rejects.toThrow('crash');
    expect((await reader.search({ query: 'pour-over' }))[0].version).toBe(1);
    expect((await store.putDocument(seed('a', 'Pour-over ratio is 1:15 now.'))).outcome).toBe('unchanged');
    expect((await reader.search({ query: 'pour-over' }))[0].version).toBe(2);
  });

  test('finishing a write removes older chunks but keeps those of a newer version still being written', async () => {
    const table = new MemoryTable();
    const store = new KnowledgeStore({ table });
    await store.putDocument(seed('a', 'Version one.'));
    const inProgress = {
      pk: 'ns#support',
      sk: 'chunk#a#000003#deadbeef#0000',
      kind: 'chunk',
      namespace: 'support',
      docId: 'a',
      version: 3,
      index: 0,
      heading: '',
      text: 'Version three.',
    };
    await table.put(inProgress);
    await store.putDocument(seed('a', 'Version two.'));
    const chunks = (await table.query('ns#support', { skPrefix: 'chunk#a#' })).items;
    expect(chunks.map((c) => c.version)).toEqual([2, 3]);
  });
});
