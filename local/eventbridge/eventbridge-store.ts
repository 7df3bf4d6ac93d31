/**
 * Durable state of the local EventBridge: buses, rules, targets, the archive
 * of every accepted event, the deliveries each event still owes its targets
 * and the outcome of each delivery. One SQLite file,
 * `<dataDir>/eventbridge.sqlite`, so a restart keeps everything.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface BusRecord {
  name: string;
  description: string | null;
  createdAt: number;
  modifiedAt: number;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface RuleRecord {
  bus: string;
  name: string;
  eventPattern: string | null;
  scheduleExpression: string | null;
  state: RuleState;
  description: string | null;
  roleArn: string | null;
  createdAt: number;
}

/** A target as the EventBridge API shapes it (Id, Arn, Input, InputPath, InputTransformer, …). */
export interface TargetRecord {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  [other: string]: unknown;
}

export interface ArchivedEvent {
  id: string;
  seq: number;
  bus: string;
  source: string;
  detailType: string;
  time: string;
  /** The full event envelope. */
  event: Record<string, unknown>;
  receivedAt: number;
}

export interface DeliveryRecord {
  eventId: string;
  bus: string;
  rule: string;
  targetId: string;
  targetArn: string;
  status: 'delivered' | 'failed';
  attempts: number;
  error: string | null;
  at: number;
}

/** A delivery an accepted event owes one target, kept until it ends (delivered or failed) so a restart resumes it. */
export interface OwedDelivery {
  eventId: string;
  bus: string;
  rule: string;
  /** The target as it was when the event was accepted. */
  target: TargetRecord;
  /** The target's input, computed when the event was accepted. */
  input: string;
  acceptedAt: number;
}

export interface PendingDelivery extends OwedDelivery {
  id: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS buses (name TEXT PRIMARY KEY, description TEXT, created_at INTEGER NOT NULL, modified_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rules (bus TEXT NOT NULL, name TEXT NOT NULL, event_pattern TEXT, schedule_expression TEXT, state TEXT NOT NULL,
  description TEXT, role_arn TEXT, created_at INTEGER NOT NULL, PRIMARY KEY (bus, name));
CREATE TABLE IF NOT EXISTS targets (bus TEXT NOT NULL, rule TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (bus, rule, id));
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, bus TEXT NOT NULL, source TEXT NOT NULL,
  detail_type TEXT NOT NULL, time TEXT NOT NULL, json TEXT NOT NULL, received_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_source ON events (source, seq);
CREATE TABLE IF NOT EXISTS deliveries (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, bus TEXT NOT NULL, rule TEXT NOT NULL,
  target_id TEXT NOT NULL, target_arn TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, error TEXT, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS deliveries_by_event ON deliveries (event_id);
CREATE TABLE IF NOT EXISTS pending_deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, bus TEXT NOT NULL, rule TEXT NOT NULL,
  target_json TEXT NOT NULL, input TEXT NOT NULL, accepted_at INTEGER NOT NULL);
`;

interface RuleRow {
  bus: string;
  name: string;
  event_pattern: string | null;
  schedule_expression: string | null;
  state: RuleState;
  description: string | null;
  role_arn: string | null;
  created_at: number;
}

function toRule(row: RuleRow): RuleRecord {
  return {
    bus: row.bus,
    name: row.name,
    eventPattern: row.event_pattern,
    scheduleExpression: row.schedule_expression,
    state: row.state,
    description: row.description,
    roleArn: row.role_arn,
    createdAt: row.created_at,
  };
}

interface EventRow {
  seq: number;
  id: string;
  bus: string;
  source: string;
  detail_type: string;
  time: string;
  json: string;
  received_at: number;
}

function toEvent(row: EventRow): ArchivedEvent {
  return {
    id: row.id,
    seq: row.seq,
    bus: row.bus,
    source: row.source,
    detailType: row.detail_type,
    time: row.time,
    event: JSON.parse(row.json) as Record<string, unknown>,
    receivedAt: row.received_at,
  };
}

/** The store; `dataDir` `':memory:'` keeps it in memory (unit tests). */
export class EventBridgeStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(dataDir: string) {
    if (dataDir === ':memory:') {
      this.db = new Database(':memory:');
    } else {
      mkdirSync(dataDir, { recursive: true });
      this.db = new Database(path.join(dataDir, 'eventbridge.sqlite'));
      this.db.pragma('journal_mode = WAL');
      // As the Step Functions store: in WAL mode a commit survives the process being killed without an fsync
      // of its own (the WAL is synced at checkpoints); each PutEvents and delivery otherwise waited on the disk.
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** Each statement compiled once (every event accepted and delivered runs the same few). */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  // Buses

  getBus(name: string): BusRecord | undefined {
    const row = this.sql('SELECT name, description, created_at, modified_at FROM buses WHERE name = ?').get(name) as
      { name: string; description: string | null; created_at: number; modified_at: number } | undefined;
    return row && { name: row.name, description: row.description, createdAt: row.created_at, modifiedAt: row.modified_at };
  }

  /** Returns false when the bus already exists. */
  createBus(name: string, description: string | null, now: number): boolean {
    const result = this.sql('INSERT OR IGNORE INTO buses (name, description, created_at, modified_at) VALUES (?, ?, ?, ?)').run(name, description, now, now);
    return result.changes === 1;
  }

  listBuses(): BusRecord[] {
    const rows = this.sql('SELECT name, description, created_at, modified_at FROM buses ORDER BY name').all() as Array<{
      name: string;
      description: string | null;
      created_at: number;
      modified_at: number;
    }>;
    return rows.map((row) => ({ name: row.name, description: row.description, createdAt: row.created_at, modifiedAt: row.modified_at }));
  }

  /**
   * Moves on with every change to a bus's rules in this process (the only writer of its file): a reader that keeps
   * the rules it listed knows they are still current without asking the database.
   */
  rulesVersion = 0;

  /** Deletes the bus with its rules and their targets. */
  deleteBus(name: string): void {
    this.rulesVersion++;
    this.db.transaction(() => {
      this.sql('DELETE FROM targets WHERE bus = ?').run(name);
      this.sql('DELETE FROM rules WHERE bus = ?').run(name);
      this.sql('DELETE FROM buses WHERE name = ?').run(name);
    })();
  }

  // Rules

  getRule(bus: string, name: string): RuleRecord | undefined {
    const row = this.sql('SELECT * FROM rules WHERE bus = ? AND name = ?').get(bus, name) as RuleRow | undefined;
    return row && toRule(row);
  }

  /** Creates or replaces a rule (its targets stay, as PutRule keeps them). */
  putRule(rule: RuleRecord): void {
    this.rulesVersion++;
    this.sql(
      `INSERT INTO rules (bus, name, event_pattern, schedule_expression, state, description, role_arn, created_at)
         VALUES (@bus, @name, @eventPattern, @scheduleExpression, @state, @description, @roleArn, @createdAt)
         ON CONFLICT (bus, name) DO UPDATE SET event_pattern = excluded.event_pattern, schedule_expression = excluded.schedule_expression,
           state = excluded.state, description = excluded.description, role_arn = excluded.role_arn`,
    ).run(rule);
  }

  setRuleState(bus: string, name: string, state: RuleState): boolean {
    this.rulesVersion++;
    return this.sql('UPDATE rules SET state = ? WHERE bus = ? AND name = ?').run(state, bus, name).changes === 1;
  }

  listRules(bus: string): RuleRecord[] {
    const rows = this.sql('SELECT * FROM rules WHERE bus = ? ORDER BY name').all(bus) as RuleRow[];
    return rows.map(toRule);
  }

  deleteRule(bus: string, name: string): void {
    this.rulesVersion++;
    this.db.transaction(() => {
      this.sql('DELETE FROM targets WHERE bus = ? AND rule = ?').run(bus, name);
      this.sql('DELETE FROM rules WHERE bus = ? AND name = ?').run(bus, name);
    })();
  }

  // Targets

  listTargets(bus: string, rule: string): TargetRecord[] {
    const rows = this.sql('SELECT json FROM targets WHERE bus = ? AND rule = ? ORDER BY id').all(bus, rule) as Array<{ json: string }>;
    return rows.map((row) => JSON.parse(row.json) as TargetRecord);
  }

  putTarget(bus: string, rule: string, target: TargetRecord): void {
    this.sql('INSERT INTO targets (bus, rule, id, json) VALUES (?, ?, ?, ?) ON CONFLICT (bus, rule, id) DO UPDATE SET json = excluded.json').run(
      bus,
      rule,
      target.Id,
      JSON.stringify(target),
    );
  }

  removeTarget(bus: string, rule: string, id: string): boolean {
    return this.sql('DELETE FROM targets WHERE bus = ? AND rule = ? AND id = ?').run(bus, rule, id).changes === 1;
  }

  // Archive

  private archiveEvent(bus: string, event: Record<string, unknown>, receivedAt: number): void {
    this.sql('INSERT INTO events (id, bus, source, detail_type, time, json, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      String(event.id),
      bus,
      String(event.source),
      String(event['detail-type']),
      String(event.time),
      JSON.stringify(event),
      receivedAt,
    );
  }

  /**
   * In one transaction: archives the event (when `archive`; a replay is archived already), records the
   * deliveries that ended before starting (`ended`) and the ones it owes. Returns the owed ones with their ids.
   */
  acceptEvent(accepted: {
    bus: string;
    event: Record<string, unknown>;
    receivedAt: number;
    archive: boolean;
    ended: DeliveryRecord[];
    owed: OwedDelivery[];
  }): PendingDelivery[] {
    const owe = this.sql('INSERT INTO pending_deliveries (event_id, bus, rule, target_json, input, accepted_at) VALUES (?, ?, ?, ?, ?, ?)');
    return this.db.transaction(() => {
      if (accepted.archive) this.archiveEvent(accepted.bus, accepted.event, accepted.receivedAt);
      for (const record of accepted.ended) this.recordDelivery(record);
      return accepted.owed.map((o) => ({
        ...o,
        id: Number(owe.run(o.eventId, o.bus, o.rule, JSON.stringify(o.target), o.input, o.acceptedAt).lastInsertRowid),
      }));
    })();
  }

  /** Every delivery still owed, oldest first. */
  listPendingDeliveries(): PendingDelivery[] {
    const rows = this.sql('SELECT * FROM pending_deliveries ORDER BY id').all() as Array<{
      id: number;
      event_id: string;
      bus: string;
      rule: string;
      target_json: string;
      input: string;
      accepted_at: number;
    }>;
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      bus: r.bus,
      rule: r.rule,
      target: JSON.parse(r.target_json) as TargetRecord,
      input: r.input,
      acceptedAt: r.accepted_at,
    }));
  }

  /** Records how an owed delivery ended and drops it from what is owed, in one transaction. */
  settleDelivery(pendingId: number, record: DeliveryRecord): void {
    this.db.transaction(() => {
      this.recordDelivery(record);
      this.sql('DELETE FROM pending_deliveries WHERE id = ?').run(pendingId);
    })();
  }

  getEvent(id: string): ArchivedEvent | undefined {
    const row = this.sql('SELECT * FROM events WHERE id = ?').get(id) as EventRow | undefined;
    return row && toEvent(row);
  }

  /** Newest first. */
  listEvents(options: { source?: string; bus?: string; limit?: number } = {}): ArchivedEvent[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (options.source !== undefined) {
      where.push('source = ?');
      args.push(options.source);
    }
    if (options.bus !== undefined) {
      where.push('bus = ?');
      args.push(options.bus);
    }
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    const rows = this.sql(sql).all(...args, options.limit ?? 50) as EventRow[];
    return rows.map(toEvent);
  }

  // Deliveries

  recordDelivery(delivery: DeliveryRecord): void {
    this.sql(
      `INSERT INTO deliveries (event_id, bus, rule, target_id, target_arn, status, attempts, error, at)
         VALUES (@eventId, @bus, @rule, @targetId, @targetArn, @status, @attempts, @error, @at)`,
    ).run(delivery);
  }

  listDeliveries(eventId: string): DeliveryRecord[] {
    const rows = this.sql('SELECT * FROM deliveries WHERE event_id = ? ORDER BY seq').all(eventId) as Array<{
      event_id: string;
      bus: string;
      rule: string;
      target_id: string;
      target_arn: string;
      status: 'delivered' | 'failed';
      attempts: number;
      error: string | null;
      at: number;
    }>;
    return rows.map((r) => ({
      eventId: r.event_id,
      bus: r.bus,
      rule: r.rule,
      targetId: r.target_id,
      targetArn: r.target_arn,
      status: r.status,
      attempts: r.attempts,
      error: r.error,
      at: r.at,
    }));
  }
}
