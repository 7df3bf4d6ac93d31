/**
 * The local EventBridge's data plane: PutEvents routes each event and, before
 * it answers, archives it together with the deliveries it owes its matched
 * rules' targets, so an acknowledged event reaches its targets at least once
 * even if the process dies before delivering (`resumeDeliveries` at the next
 * start). A bus's rules are compiled together into one matcher
 * (shared/event-pattern/pattern-set.ts), rebuilt when the bus's patterns
 * change, so an event costs a few lookups however many rules the bus holds;
 * every owed delivery is tracked, retried, and settled in the store.
 */
import { randomUUID } from 'node:crypto';
import { compileEventPattern, compileEventPatternSet, type EventPatternSetMatcher } from '../../shared/event-pattern';
import { nestingProblem } from '../server/json-nesting';
import { busNameOf, type EventBridgeArns, type Input, invalid, isJsonObject, requiredString } from './api-input';
import type { DeliveryRecord, EventBridgeStore, OwedDelivery, PendingDelivery, RuleRecord } from './eventbridge-store';
import { deliverToTarget, type EventTargetPorts, type RetryPolicy } from './target-delivery';
import { targetInput } from './target-input';

/** PutEvents accepts at most this many entries. */
const MAX_ENTRIES = 10;
/** PutEvents request limit, computed as EventBridge computes entry sizes. */
const MAX_REQUEST_BYTES = 256 * 1024;
/** PutEventsRequestEntry length constraints as the API reference gives them: field, its name in a validation message, most characters. */
const ENTRY_LENGTHS: ReadonlyArray<readonly [string, string, number]> = [
  ['Source', 'source', 256],
  ['DetailType', 'detailType', 128],
];

/** Bytes an entry counts for, per "Calculating PutEvents event entry size" in the user guide. */
function entrySize(entry: Input): number {
  let size = entry.Time !== undefined ? 14 : 0;
  for (const key of ['Source', 'DetailType', 'Detail']) if (typeof entry[key] === 'string') size += Buffer.byteLength(entry[key] as string);
  if (Array.isArray(entry.Resources)) for (const r of entry.Resources) if (typeof r === 'string') size += Buffer.byteLength(r);
  return size;
}

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function eventTime(time: unknown, now: number): string {
  if (typeof time === 'number') return isoSeconds(time * 1000);
  if (typeof time === 'string' && !Number.isNaN(Date.parse(time))) return isoSeconds(Date.parse(time));
  return isoSeconds(now);
}

/** The patterned rules of a bus compiled into one matcher; `signature` says which patterns it was built from. */
interface CompiledBus {
  signature: string;
  /** The rules in the matcher, in the order its indexes count. */
  rules: string[];
  match: EventPatternSetMatcher;
}

export interface EventRouterOptions {
  store: EventBridgeStore;
  arns: EventBridgeArns;
  ports: EventTargetPorts;
  retry: RetryPolicy;
  now: () => number;
  /** Parses and validates pattern text (the control plane's check, so TestEventPattern answers as PutRule does). */
  checkPattern: (text: string) => unknown;
}

export class EventRouter {
  private readonly store: EventBridgeStore;
  private readonly arns: EventBridgeArns;
  private readonly ports: EventTargetPorts;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly checkPattern: (text: string) => unknown;
  private readonly compiled = new Map<string, CompiledBus>();
  private readonly pending = new Set<Promise<void>>();
  /** Owed deliveries (by store id) this process is delivering, so a resume does not start one twice. */
  private readonly inFlight = new Set<number>();
  private closing = false;

  constructor(options: EventRouterOptions) {
    this.store = options.store;
    this.arns = options.arns;
    this.ports = options.ports;
    this.retry = options.retry;
    this.now = options.now;
    this.checkPattern = options.checkPattern;
  }

  /** Resolves once every delivery started so far has finished (tests, shutdown). */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /**
   * From now on a delivery that fails stays owed instead of being recorded as failed: while the
   * process shuts down its targets go away, and the next start delivers it (`resumeDeliveries`).
   */
  stopSettlingFailures(): void {
    this.closing = true;
  }

  /** Starts every delivery the store still owes (accepted before a crash or shutdown); returns how many started. */
  resumeDeliveries(): number {
    let started = 0;
    for (const owed of this.store.listPendingDeliveries()) if (this.start(owed)) started++;
    return started;
  }

  putEvents(input: Input) {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length === 0) {
      throw invalid(
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null and must have length greater than or equal to 1",
      );
    }
    if (entries.length > MAX_ENTRIES) {
      throw invalid(
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
      );
    }
    entries.forEach((e, i) => {
      if (!isJsonObject(e)) return;
      for (const [key, member, max] of ENTRY_LENGTHS) {
        const value = e[key];
        if (typeof value === 'string' && value.length > max) {
          throw invalid(
            `1 validation error detected: Value at 'entries.${i + 1}.member.${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
          );
        }
      }
    });
    const total = entries.reduce<number>((sum, e) => sum + (isJsonObject(e) ? entrySize(e) : 0), 0);
    if (total > MAX_REQUEST_BYTES) throw invalid(`Total size of the entries in the request is over the limit (${total} bytes; at most ${MAX_REQUEST_BYTES}).`);

    const results = entries.map((raw) => this.acceptEntry(isJsonObject(raw) ? raw : {}));
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  private acceptEntry(entry: Input): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const fail = (ErrorCode: string, ErrorMessage: string) => ({ ErrorCode, ErrorMessage });
    const { Source: source, DetailType: detailType, Detail: detail } = entry;
    if (typeof source !== 'string' || source === '') return fail('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
    if (typeof detailType !== 'string' || detailType === '')
      return fail('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
    if (typeof detail !== 'string' || detail === '') return fail('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
    const tooDeep = nestingProblem(detail, 'Detail');
    if (tooDeep) return fail('MalformedDetail', `Detail is malformed: ${tooDeep}.`);
    let parsedDetail: unknown;
    try {
      parsedDetail = JSON.parse(detail);
    } catch {
      parsedDetail = undefined;
    }
    if (!isJsonObject(parsedDetail)) return fail('MalformedDetail', 'Detail is malformed.');
    if (source.startsWith('aws.')) return fail('NotAuthorizedForSourceException', 'Not authorized for the source.');
    const bus = busNameOf(typeof entry.EventBusName === 'string' ? entry.EventBusName : undefined);
    if (!this.store.getBus(bus)) return fail('InvalidArgument', `Event bus ${bus} does not exist.`);

    const now = this.now();
    const event: Record<string, unknown> = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: this.arns.account,
      time: eventTime(entry.Time, now),
      region: this.arns.region,
      resources: Array.isArray(entry.Resources) ? entry.Resources.filter((r) => typeof r === 'string') : [],
      detail: parsedDetail,
    };
    this.route(bus, event, now, { archive: true });
    return { EventId: String(event.id) };
  }

  /** The bus's matcher for its current rules; a stored pattern that no longer compiles matches nothing. */
  private compiledBus(bus: string, rules: RuleRecord[]): CompiledBus {
    const patterned = rules.filter((r): r is RuleRecord & { eventPattern: string } => r.eventPattern !== null);
    const signature = patterned.map((r) => `${r.name}\u0000${r.eventPattern}`).join('\n');
    const cached = this.compiled.get(bus);
    if (cached?.signature === signature) return cached;
    const usable = patterned.filter((rule) => {
      try {
        compileEventPatternSet([JSON.parse(rule.eventPattern)]);
        return true;
      } catch (error) {
        // Stored before a limit it now breaks (e.g. wildcard complexity): PutRule would refuse it today.
        // It matches nothing until put again, rather than failing every PutEvents on its bus.
        process.stderr.write(`eventbridge: rule ${rule.name} on ${rule.bus} matches nothing until it is put again: ${(error as Error).message}\n`);
        return false;
      }
    });
    const built = { signature, rules: usable.map((r) => r.name), match: compileEventPatternSet(usable.map((r) => JSON.parse(r.eventPattern) as unknown)) };
    this.compiled.set(bus, built);
    return built;
  }

  /** The rules of each bus as last listed, and the store's rules version they were listed at. */
  private readonly listed = new Map<string, { version: number; rules: RuleRecord[] }>();

  private rulesOf(bus: string): RuleRecord[] {
    const version = this.store.rulesVersion;
    const known = this.listed.get(bus);
    if (known?.version === version) return known.rules;
    const rules = this.store.listRules(bus);
    this.listed.set(bus, { version, rules });
    return rules;
  }

  /**
   * Routes an event an AWS service sends (source `aws.*`, which PutEvents refuses from callers) as PutEvents routes
   * one, without archiving it. An event no enabled rule matches is matched against the rules as last listed and goes
   * no further: no query, no write (the engine sends one at every execution's end, most of which no rule wants).
   */
  routeServiceEvent(bus: string, event: Record<string, unknown>): string[] {
    const rules = this.rulesOf(bus);
    if (!rules.some((r) => r.state === 'ENABLED')) return [];
    const compiled = this.compiledBus(bus, rules);
    if (compiled.match(event).length === 0) return [];
    return this.route(bus, event, this.now());
  }

  /**
   * Matches the event against the bus's enabled rules, records what it owes each matched target (and archives it
   * when `archive`) in one transaction, then starts the deliveries; returns the rules matched, in rule order.
   */
  route(bus: string, event: Record<string, unknown>, receivedAt: number, options: { archive?: boolean } = {}): string[] {
    const rules = this.store.listRules(bus);
    const compiled = this.compiledBus(bus, rules);
    const hit = new Set(compiled.match(event).map((i) => compiled.rules[i]));
    const matched: string[] = [];
    const ended: DeliveryRecord[] = [];
    const owed: OwedDelivery[] = [];
    for (const rule of rules) {
      if (rule.state === 'DISABLED' || !hit.has(rule.name)) continue;
      matched.push(rule.name);
      this.owedBy(bus, rule, event, receivedAt, owed, ended);
    }
    const pending = this.store.acceptEvent({ bus, event, receivedAt, archive: options.archive === true, ended, owed });
    for (const delivery of pending) this.start(delivery);
    return matched;
  }

  /** Adds the deliveries the event owes the rule's targets to `owed`; a target whose input cannot be made ends at once, in `ended`. */
  private owedBy(bus: string, rule: RuleRecord, event: Record<string, unknown>, receivedAt: number, owed: OwedDelivery[], ended: DeliveryRecord[]): void {
    const context = { ruleName: rule.name, ruleArn: this.arns.rule(bus, rule.name), ingestionTime: receivedAt };
    const eventId = String(event.id);
    for (const target of this.store.listTargets(bus, rule.name)) {
      try {
        owed.push({ eventId, bus, rule: rule.name, target, input: targetInput(target, event, context), acceptedAt: receivedAt });
      } catch (error) {
        const message = `input: ${(error as Error).message}`;
        ended.push({
          eventId,
          bus,
          rule: rule.name,
          targetId: target.Id,
          targetArn: target.Arn,
          status: 'failed',
          attempts: 0,
          error: message,
          at: this.now(),
        });
      }
    }
  }

  /** Delivers one owed delivery unless this process already is; settles it in the store when it ends. */
  private start(delivery: PendingDelivery): boolean {
    if (this.closing || this.inFlight.has(delivery.id)) return false;
    this.inFlight.add(delivery.id);
    this.track(
      deliverToTarget(this.ports, delivery, this.retry, this.now)
        .then((record) => {
          if (record.status === 'failed' && this.closing) return;
          try {
            this.store.settleDelivery(delivery.id, record);
          } catch {
            // The store closed during shutdown: the delivery stays owed, and the next start delivers it again.
          }
        })
        .finally(() => this.inFlight.delete(delivery.id)),
    );
    return true;
  }

  private track(delivery: Promise<void>): void {
    const tracked = delivery.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  testEventPattern(input: Input) {
    const pattern = this.checkPattern(requiredString(input, 'EventPattern'));
    let event: unknown;
    try {
      event = JSON.parse(requiredString(input, 'Event'));
    } catch (error) {
      throw invalid(`Parameter Event is not valid. Reason: ${(error as Error).message}`);
    }
    const required = ['id', 'account', 'source', 'time', 'region', 'detail-type'];
    const missing = isJsonObject(event) ? required.filter((k) => !(k in event)) : required;
    if (missing.length > 0) throw invalid(`Parameter Event is not valid. Reason: the event must have the fields ${missing.join(', ')}.`);
    return { Result: compileEventPattern(pattern)(event) };
  }
}
