/**
 * The DynamoDB adapter of the `Table` port: the only module that imports the
 * DynamoDB SDK. Works against DynamoDB and dynalite (no transactions, no TTL).
 *
 * Items are converted by attribute-values.ts, as the document client
 * (lib-dynamodb) with util-dynamodb converted them: those two add about
 * 11 KiB to every bundle for the same conversion.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceInUseException,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { fromAttributeValues, toAttributeValues } from './attribute-values';
import { conditionHolds } from './memory-table';
import {
  ConditionFailedError,
  type Condition,
  type FieldCondition,
  type Item,
  type QueryOptions,
  type QueryPage,
  type Table,
  type TableKey,
  type UpdateChanges,
} from './table';

class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private n = 0;

  name(field: string): string {
    const existing = Object.entries(this.names).find(([, v]) => v === field);
    if (existing) return existing[0];
    const key = `#n${this.n++}`;
    this.names[key] = field;
    return key;
  }

  value(v: unknown): string {
    const key = `:v${this.n++}`;
    this.values[key] = v;
    return key;
  }

  field(c: FieldCondition): string {
    const n = this.name(c.field);
    switch (c.op) {
      case 'absent':
        return `attribute_not_exists(${n})`;
      case 'present':
        return `attribute_exists(${n})`;
      case 'eq':
        return `${n} = ${this.value(c.value)}`;
      case 'ne':
        return `(attribute_not_exists(${n}) OR ${n} <> ${this.value(c.value)})`;
      case 'lt':
        return `${n} < ${this.value(c.value)}`;
      case 'le':
        return `${n} <= ${this.value(c.value)}`;
      case 'gt':
        return `${n} > ${this.value(c.value)}`;
      case 'ge':
        return `${n} >= ${this.value(c.value)}`;
    }
  }

  condition(c: Condition | undefined): string | undefined {
    if (!c) return undefined;
    const parts: string[] = [];
    if (c.itemExists === true) parts.push(`attribute_exists(${this.name('pk')})`);
    if (c.itemExists === false) parts.push(`attribute_not_exists(${this.name('pk')})`);
    for (const f of c.all ?? []) parts.push(this.field(f));
    if (c.any && c.any.length > 0) parts.push(`(${c.any.map((f) => this.field(f)).join(' OR ')})`);
    return parts.length ? parts.join(' AND ') : undefined;
  }

  params(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
    return {
      ...(Object.keys(this.names).length ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length ? { ExpressionAttributeValues: toAttributes(this.values) } : {}),
    };
  }
}

/** Attributes to DynamoDB's form: undefined values left out, class instances written as maps. */
const toAttributes = toAttributeValues;

const toItem = (attributes: Record<string, AttributeValue>): Item => fromAttributeValues(attributes) as Item;

export class DynamoDbTable implements Table {
  constructor(
    private readonly client: DynamoDBClient,
    readonly name: string,
  ) {}

  async get(key: TableKey): Promise<Item | undefined> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.name, Key: toAttributes({ pk: key.pk, sk: key.sk }), ConsistentRead: true }));
    return out.Item ? toItem(out.Item) : undefined;
  }

  async put(item: Item, condition?: Condition): Promise<void> {
    const b = new ExpressionBuilder();
    const ConditionExpression = b.condition(condition);
    await this.guard(item, () =>
      this.client.send(
        new PutItemCommand({ TableName: this.name, Item: toAttributes(item), ...(ConditionExpression ? { ConditionExpression, ...b.params() } : {}) }),
      ),
    );
  }

  async update(key: TableKey, changes: UpdateChanges, condition?: Condition): Promise<Item> {
    const b = new ExpressionBuilder();
    const sets = Object.entries(changes.set ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${b.name(k)} = ${b.value(v)}`);
    const adds = Object.entries(changes.add ?? {}).map(([k, by]) => `${b.name(k)} ${b.value(by)}`);
    const removes = (changes.remove ?? []).map((k) => b.name(k));
    const clauses = [
      sets.length ? `SET ${sets.join(', ')}` : '',
      adds.length ? `ADD ${adds.join(', ')}` : '',
      removes.length ? `REMOVE ${removes.join(', ')}` : '',
    ].filter(Boolean);
    const ConditionExpression = b.condition(condition);
    if (clauses.length === 0) {
      // An update with nothing to change still checks its condition and returns the item.
      const item = await this.get(key);
      if (condition && !conditionHolds(item, condition)) throw new ConditionFailedError(this.name, key);
      return item ?? { ...key };
    }
    const out = await this.guard(key, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.name,
          Key: toAttributes({ pk: key.pk, sk: key.sk }),
          UpdateExpression: clauses.join(' '),
          ...(ConditionExpression ? { ConditionExpression } : {}),
          ...b.params(),
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return toItem(out.Attributes ?? {});
  }

  async delete(key: TableKey, condition?: Condition): Promise<void> {
    const b = new ExpressionBuilder();
    const ConditionExpression = b.condition(condition);
    await this.guard(key, () =>
      this.client.send(
        new DeleteItemCommand({
          TableName: this.name,
          Key: toAttributes({ pk: key.pk, sk: key.sk }),
          ...(ConditionExpression ? { ConditionExpression, ...b.params() } : {}),
        }),
      ),
    );
  }

  async query(pk: string, options: QueryOptions = {}): Promise<QueryPage> {
    const b = new ExpressionBuilder();
    let keyExpr = `${b.name('pk')} = ${b.value(pk)}`;
    const hasSkCondition = options.skPrefix !== undefined || options.skFrom !== undefined || options.skTo !== undefined;
    const sk = hasSkCondition ? b.name('sk') : '';
    if (options.skPrefix !== undefined) keyExpr += ` AND begins_with(${sk}, ${b.value(options.skPrefix)})`;
    else if (options.skFrom !== undefined && options.skTo !== undefined)
      keyExpr += ` AND ${sk} BETWEEN ${b.value(options.skFrom)} AND ${b.value(options.skTo)}`;
    else if (options.skFrom !== undefined) keyExpr += ` AND ${sk} >= ${b.value(options.skFrom)}`;
    else if (options.skTo !== undefined) keyExpr += ` AND ${sk} <= ${b.value(options.skTo)}`;
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.name,
        KeyConditionExpression: keyExpr,
        ...b.params(),
        ConsistentRead: true,
        ScanIndexForward: !options.reverse,
        ...(options.limit !== undefined ? { Limit: options.limit } : {}),
        ...(options.startAfter !== undefined ? { ExclusiveStartKey: toAttributes({ pk, sk: options.startAfter }) } : {}),
      }),
    );
    const items = (out.Items ?? []).map(toItem);
    let filtered = items;
    // A prefix combined with bounds: the bounds are applied here (DynamoDB takes one sort-key condition).
    if (options.skPrefix !== undefined) {
      filtered = items.filter((i) => (options.skFrom === undefined || i.sk >= options.skFrom) && (options.skTo === undefined || i.sk <= options.skTo));
    }
    const last = out.LastEvaluatedKey ? String(toItem(out.LastEvaluatedKey).sk) : undefined;
    return last !== undefined ? { items: filtered, last } : { items: filtered };
  }

  async scan(options: { pkPrefix?: string } = {}): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const b = new ExpressionBuilder();
      const filter = options.pkPrefix !== undefined ? `begins_with(${b.name('pk')}, ${b.value(options.pkPrefix)})` : undefined;
      const out = await this.client.send(
        new ScanCommand({ TableName: this.name, ...(filter ? { FilterExpression: filter, ...b.params() } : {}), ExclusiveStartKey, ConsistentRead: true }),
      );
      items.push(...(out.Items ?? []).map(toItem));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  private async guard<T>(key: TableKey, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === 'ConditionalCheckFailedException') {
        throw new ConditionFailedError(this.name, { pk: key.pk, sk: key.sk });
      }
      throw error;
    }
  }
}

/**
 * Creates a table with AIOS's key schema when it does not exist (local runtime
 * and tests; on AWS the CDK stack owns the tables).
 */
export async function ensureTable(client: DynamoDBClient, name: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException) && (error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
  for (let i = 0; i < 100; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName: name }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
