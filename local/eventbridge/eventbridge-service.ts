/**
 * The local EventBridge: the AWS JSON 1.1 API (`X-Amz-Target: AWSEvents.*`)
 * served by the one-port local server. Buses, rules and targets persist in
 * `<dataDir>/eventbridge.sqlite`; every accepted event is archived there and
 * can be listed and replayed (local extension actions `LocalListEvents` and
 * `LocalReplayEvent`, which the `aios events` command uses).
 *
 * @example
 * const eventBridge = createEventBridgeService({ dataDir, targets: { startExecution, invokeFunction } });
 * const server = await startLocalHttpServer({ services: [eventBridge] });
 */
import { randomUUID } from 'node:crypto';
import { compileEventPattern, type EventMatcher, validateEventPattern } from '../../shared/event-pattern';
import { AwsServiceError, type AwsJsonService } from '../server/aws-json-service';
import { nestingProblem } from '../server/json-nesting';
import { EventBridgeStore, type RuleRecord, type RuleState, type TargetRecord } from './eventbridge-store';
import { DEFAULT_RETRY, deliverToTarget, type EventTargetPorts, type RetryPolicy, targetKind } from './target-delivery';
import { targetInput } from './target-input';

export interface EventBridgeServiceOptions {
  store: EventBridgeStore;
  targets: EventTargetPorts;
  account?: string;
  region?: string;
  retry?: RetryPolicy;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

type Input = Record<string, unknown>;

/** PutEvents accepts at most this many entries. */
const MAX_ENTRIES = 10;
/** PutEvents request limit, computed as EventBridge computes entry sizes. */
const MAX_REQUEST_BYTES = 256 * 1024;
const MAX_TARGETS_PER_RULE = 5;
/** PutEventsRequestEntry length constraints as the API reference gives them: field, its name in a validation message, most characters. */
const ENTRY_LENGTHS: ReadonlyArray<readonly [string, string, number]> = [
  ['Source', 'source', 256],
  ['DetailType', 'detailType', 128],
];
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const RULE_STATES: RuleState[] = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

const notFound = (what: string) => new AwsServiceError('ResourceNotFoundException', `${what} does not exist.`);
const invalid = (message: string) => new AwsServiceError('ValidationException', message);

function optionalString(input: Input, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`Parameter ${key} must be a string.`);
  return value;
}

function requiredString(input: Input, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined || value === '') throw invalid(`1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

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

function page<T>(items: T[], input: Input): { items: T[]; nextToken?: string } {
  const start = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64url').toString()) || 0 : 0;
  const limit = typeof input.Limit === 'number' && input.Limit > 0 ? input.Limit : 100;
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return { items: slice, ...(next ? { nextToken: next } : {}) };
}

export class EventBridgeService implements AwsJsonService {
  readonly targetPrefix = 'AWSEvents';
  readonly jsonVersion = '1.1' as const;

  private readonly store: EventBridgeStore;
  private readonly ports: EventTargetPorts;
  private readonly account: string;
  private readonly region: string;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly matchers = new Map<string, EventMatcher>();
  private readonly pending = new Set<Promise<void>>();

  constructor(options: EventBridgeServiceOptions) {
    this.store = options.store;
    this.ports = options.targets;
    this.account = options.account ?? '000000000000';
    this.region = options.region ?? 'us-east-1';
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.now = options.now ?? Date.now;
    this.ensureBus('default');
  }

  /** Creates the bus if it is missing (the local runtime calls it for `aios` at start). */
  ensureBus(name: string): void {
    this.store.createBus(name, null, this.now());
  }

  /** Resolves once every delivery started so far has finished (tests, shutdown). */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Waits for deliveries, then closes the store. */
  async close(): Promise<void> {
    await this.whenIdle();
    this.store.close();
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.account}:event-bus/${name}`;
  }

  ruleArn(bus: string, name: string): string {
    return `arn:aws:events:${this.region}:${this.account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
  }

  async handle(action: string, input: Input): Promise<unknown> {
    switch (action) {
      case 'PutEvents':
        return this.putEvents(input);
      case 'TestEventPattern':
        return this.testEventPattern(input);
      case 'CreateEventBus':
        return this.createEventBus(input);
      case 'DescribeEventBus':
        return this.describeEventBus(input);
      case 'ListEventBuses':
        return this.listEventBuses(input);
      case 'DeleteEventBus':
        return this.deleteEventBus(input);
      case 'PutRule':
        return this.putRule(input);
      case 'DescribeRule':
        return this.describeRule(input);
      case 'ListRules':
        return this.listRules(input);
      case 'DeleteRule':
        return this.deleteRule(input);
      case 'EnableRule':
        return this.setRuleState(input, 'ENABLED');
      case 'DisableRule':
        return this.setRuleState(input, 'DISABLED');
      case 'PutTargets':
        return this.putTargets(input);
      case 'ListTargetsByRule':
        return this.listTargetsByRule(input);
      case 'RemoveTargets':
        return this.removeTargets(input);
      case 'LocalListEvents':
        return this.localListEvents(input);
      case 'LocalReplayEvent':
        return this.localReplayEvent(input);
      default:
        throw new AwsServiceError('UnknownOperationException', `The local EventBridge does not implement ${action}.`);
    }
  }

  // Buses

  private busName(value: string | undefined): string {
    if (value === undefined || value === '') return 'default';
    const slash = value.indexOf(':event-bus/');
    return value.startsWith('arn:') && slash >= 0 ? value.slice(slash + ':event-bus/'.length) : value;
  }

  private existingBus(value: string | undefined): string {
    const name = this.busName(value);
    if (!this.store.getBus(name)) throw notFound(`Event bus ${name}`);
    return name;
  }

  private createEventBus(input: Input) {
    const name = requiredString(input, 'Name');
    if (!BUS_NAME.test(name)) throw invalid(`Event bus name ${name} is not valid: use 1-256 characters from A-Z a-z 0-9 . - _ /.`);
    if (!this.store.createBus(name, optionalString(input, 'Description') ?? null, this.now())) {
      throw new AwsServiceError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    }
    return { EventBusArn: this.busArn(name) };
  }

  private describeBusShape(name: string) {
    const bus = this.store.getBus(name);
    if (!bus) throw notFound(`Event bus ${name}`);
    return {
      Name: bus.name,
      Arn: this.busArn(bus.name),
      ...(bus.description ? { Description: bus.description } : {}),
      CreationTime: bus.createdAt / 1000,
      LastModifiedTime: bus.modifiedAt / 1000,
    };
  }

  private describeEventBus(input: Input) {
    return this.describeBusShape(this.busName(optionalString(input, 'Name')));
  }

  private listEventBuses(input: Input) {
    const prefix = optionalString(input, 'NamePrefix') ?? '';
    const buses = this.store.listBuses().filter((b) => b.name.startsWith(prefix));
    const { items, nextToken } = page(buses, input);
    return { EventBuses: items.map((b) => this.describeBusShape(b.name)), ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  private deleteEventBus(input: Input) {
    const name = this.busName(requiredString(input, 'Name'));
    if (name === 'default') throw invalid('Cannot delete event bus default.');
    for (const rule of this.store.listRules(name)) this.matchers.delete(`${name}\u0000${rule.name}`);
    this.store.deleteBus(name);
    return {};
  }

  // Rules

  private existingRule(bus: string, name: string): RuleRecord {
    const rule = this.store.getRule(bus, name);
    if (!rule) throw notFound(`Rule ${name} on event bus ${bus}`);
    return rule;
  }

  private putRule(input: Input) {
    const name = requiredString(input, 'Name');
    if (!NAME.test(name)) throw invalid(`Rule name ${name} is not valid: use 1-64 characters from A-Z a-z 0-9 . - _.`);
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const eventPattern = optionalString(input, 'EventPattern');
    const scheduleExpression = optionalString(input, 'ScheduleExpression');
    if (eventPattern === undefined && scheduleExpression === undefined) throw invalid('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    if (scheduleExpression !== undefined && bus !== 'default') throw invalid('ScheduleExpression is supported only on the default event bus.');
    if (eventPattern !== undefined) this.checkPattern(eventPattern);
    const state = (optionalString(input, 'State') ?? 'ENABLED') as RuleState;
    if (!RULE_STATES.includes(state)) throw invalid(`State ${state} is not valid: use ${RULE_STATES.join(', ')}.`);
    const existing = this.store.getRule(bus, name);
    this.store.putRule({
      bus,
      name,
      eventPattern: eventPattern ?? null,
      scheduleExpression: scheduleExpression ?? null,
      state,
      description: optionalString(input, 'Description') ?? null,
      roleArn: optionalString(input, 'RoleArn') ?? null,
      createdAt: existing?.createdAt ?? this.now(),
    });
    this.matchers.delete(`${bus}\u0000${name}`);
    return { RuleArn: this.ruleArn(bus, name) };
  }

  /** Parses and validates pattern text, throwing InvalidEventPatternException as EventBridge does. */
  private checkPattern(text: string): unknown {
    let pattern: unknown;
    try {
      pattern = JSON.parse(text);
    } catch (error) {
      throw new AwsServiceError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${(error as Error).message}`);
    }
    const problems = validateEventPattern(pattern);
    if (problems.length > 0) throw new AwsServiceError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${problems.join('; ')}`);
    return pattern;
  }

  private ruleShape(rule: RuleRecord) {
    return {
      Name: rule.name,
      Arn: this.ruleArn(rule.bus, rule.name),
      ...(rule.eventPattern !== null ? { EventPattern: rule.eventPattern } : {}),
      ...(rule.scheduleExpression !== null ? { ScheduleExpression: rule.scheduleExpression } : {}),
      State: rule.state,
      ...(rule.description !== null ? { Description: rule.description } : {}),
      ...(rule.roleArn !== null ? { RoleArn: rule.roleArn } : {}),
      EventBusName: rule.bus,
    };
  }

  private describeRule(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const rule = this.existingRule(bus, requiredString(input, 'Name'));
    return { ...this.ruleShape(rule), CreatedBy: this.account };
  }

  private listRules(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const prefix = optionalString(input, 'NamePrefix') ?? '';
    const { items, nextToken } = page(
      this.store.listRules(bus).filter((r) => r.name.startsWith(prefix)),
      input,
    );
    return { Rules: items.map((r) => this.ruleShape(r)), ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  private deleteRule(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const name = requiredString(input, 'Name');
    if (!this.store.getRule(bus, name)) return {};
    if (this.store.listTargets(bus, name).length > 0) throw invalid("Rule can't be deleted since it has targets.");
    this.store.deleteRule(bus, name);
    this.matchers.delete(`${bus}\u0000${name}`);
    return {};
  }

  private setRuleState(input: Input, state: RuleState) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const name = requiredString(input, 'Name');
    if (!this.store.setRuleState(bus, name, state)) throw notFound(`Rule ${name} on event bus ${bus}`);
    return {};
  }

  // Targets

  private putTargets(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const ruleName = requiredString(input, 'Rule');
    this.existingRule(bus, ruleName);
    const targets = input.Targets;
    if (!Array.isArray(targets) || targets.length === 0) throw invalid("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const existingIds = new Set(this.store.listTargets(bus, ruleName).map((t) => t.Id));
    const newIds = new Set(targets.map((t) => (isJsonObject(t) ? t.Id : undefined)).filter((id) => typeof id === 'string' && !existingIds.has(id)));
    if (existingIds.size + newIds.size > MAX_TARGETS_PER_RULE) {
      throw new AwsServiceError('LimitExceededException', `The requested resource exceeds the maximum number allowed: a rule has at most ${MAX_TARGETS_PER_RULE} targets.`);
    }
    const failed: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> = [];
    for (const raw of targets) {
      const target = (isJsonObject(raw) ? raw : {}) as TargetRecord;
      const problem = this.targetProblem(target);
      if (problem) failed.push({ TargetId: String(target.Id ?? ''), ErrorCode: 'ValidationException', ErrorMessage: problem });
      else this.store.putTarget(bus, ruleName, target);
    }
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  private targetProblem(target: TargetRecord): string | null {
    if (typeof target.Id !== 'string' || !/^[.\-_A-Za-z0-9]{1,64}$/.test(target.Id)) return 'Target Id must be 1-64 characters from A-Z a-z 0-9 . - _.';
    if (typeof target.Arn !== 'string' || !targetKind(target.Arn)) {
      return `Target Arn ${String(target.Arn)} is not supported locally: use a state machine (arn:aws:states:…:stateMachine:NAME) or a function (arn:aws:lambda:…:function:NAME).`;
    }
    const inputs = ['Input', 'InputPath', 'InputTransformer'].filter((k) => target[k] !== undefined);
    if (inputs.length > 1) return `Only one of Input, InputPath, InputTransformer may be given; got ${inputs.join(', ')}.`;
    if (target.Input !== undefined) {
      try {
        JSON.parse(target.Input);
      } catch {
        return 'Input must be valid JSON text.';
      }
    }
    if (target.InputPath !== undefined && !String(target.InputPath).startsWith('$')) return `InputPath ${String(target.InputPath)} must be a JSONPath starting with $.`;
    const transformer = target.InputTransformer;
    if (transformer !== undefined) {
      if (!isJsonObject(transformer) || typeof transformer.InputTemplate !== 'string') return 'InputTransformer needs an InputTemplate string.';
      for (const [key, path] of Object.entries(transformer.InputPathsMap ?? {})) {
        if (!/^[A-Za-z0-9_-]+$/.test(key) || key.startsWith('AWS.')) return `InputPathsMap key ${key} is not valid: use A-Z a-z 0-9 _ - (and not the AWS. prefix).`;
        if (typeof path !== 'string' || !path.startsWith('$')) return `InputPathsMap value for ${key} must be a JSONPath starting with $.`;
      }
    }
    return null;
  }

  private listTargetsByRule(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const ruleName = requiredString(input, 'Rule');
    this.existingRule(bus, ruleName);
    const { items, nextToken } = page(this.store.listTargets(bus, ruleName), input);
    return { Targets: items, ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  private removeTargets(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const ruleName = requiredString(input, 'Rule');
    this.existingRule(bus, ruleName);
    const ids = Array.isArray(input.Ids) ? input.Ids : [];
    if (ids.length === 0) throw invalid("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const failed: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> = [];
    for (const id of ids) {
      if (!this.store.removeTarget(bus, ruleName, String(id))) {
        failed.push({ TargetId: String(id), ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Target ${String(id)} does not exist on rule ${ruleName}.` });
      }
    }
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  // Events

  private putEvents(input: Input) {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length === 0) {
      throw invalid("1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null and must have length greater than or equal to 1");
    }
    if (entries.length > MAX_ENTRIES) {
      throw invalid(`1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`);
    }
    entries.forEach((e, i) => {
      if (!isJsonObject(e)) return;
      for (const [key, member, max] of ENTRY_LENGTHS) {
        const value = e[key];
        if (typeof value === 'string' && value.length > max) {
          throw invalid(`1 validation error detected: Value at 'entries.${i + 1}.member.${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
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
    if (typeof detailType !== 'string' || detailType === '') return fail('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
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
    const bus = this.busName(typeof entry.EventBusName === 'string' ? entry.EventBusName : undefined);
    if (!this.store.getBus(bus)) return fail('InvalidArgument', `Event bus ${bus} does not exist.`);

    const now = this.now();
    const event: Record<string, unknown> = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: this.account,
      time: eventTime(entry.Time, now),
      region: this.region,
      resources: Array.isArray(entry.Resources) ? entry.Resources.filter((r) => typeof r === 'string') : [],
      detail: parsedDetail,
    };
    this.store.archiveEvent(bus, event, now);
    this.route(bus, event, now);
    return { EventId: String(event.id) };
  }

  private matcherFor(rule: RuleRecord): EventMatcher | null {
    if (rule.eventPattern === null) return null;
    const key = `${rule.bus}\u0000${rule.name}`;
    let matcher = this.matchers.get(key);
    if (!matcher) {
      try {
        matcher = compileEventPattern(JSON.parse(rule.eventPattern));
      } catch (error) {
        // Stored before a limit it now breaks (e.g. wildcard complexity): PutRule would refuse it today.
        // It matches nothing until put again, rather than failing every PutEvents on its bus.
        process.stderr.write(`eventbridge: rule ${rule.name} on ${rule.bus} matches nothing until it is put again: ${(error as Error).message}\n`);
        matcher = () => false;
      }
      this.matchers.set(key, matcher);
    }
    return matcher;
  }

  /** Matches the event against the bus's enabled rules and starts deliveries; returns the rules matched. */
  private route(bus: string, event: Record<string, unknown>, receivedAt: number): string[] {
    const matched: string[] = [];
    for (const rule of this.store.listRules(bus)) {
      if (rule.state === 'DISABLED') continue;
      const matcher = this.matcherFor(rule);
      if (!matcher || !matcher(event)) continue;
      matched.push(rule.name);
      const context = { ruleName: rule.name, ruleArn: this.ruleArn(bus, rule.name), ingestionTime: receivedAt };
      for (const target of this.store.listTargets(bus, rule.name)) {
        let input: string;
        try {
          input = targetInput(target, event, context);
        } catch (error) {
          this.store.recordDelivery({ eventId: String(event.id), bus, rule: rule.name, targetId: target.Id, targetArn: target.Arn, status: 'failed', attempts: 0, error: `input: ${(error as Error).message}`, at: this.now() });
          continue;
        }
        this.track(
          deliverToTarget(this.ports, { eventId: String(event.id), bus, rule: rule.name, target, input }, this.retry, this.now).then((record) => {
            try {
              this.store.recordDelivery(record);
            } catch {
              // The store closed during shutdown; the delivery itself happened.
            }
          }),
        );
      }
    }
    return matched;
  }

  private track(delivery: Promise<void>): void {
    const tracked = delivery.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private testEventPattern(input: Input) {
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

  // Local extensions (not in the AWS API): the archive.

  private localListEvents(input: Input) {
    const limit = typeof input.Limit === 'number' ? Math.min(Math.max(1, input.Limit), 1000) : 50;
    const busInput = optionalString(input, 'EventBusName');
    const events = this.store.listEvents({ source: optionalString(input, 'Source'), bus: busInput === undefined ? undefined : this.busName(busInput), limit });
    return {
      Events: events.map((e) => ({
        EventId: e.id,
        EventBusName: e.bus,
        Source: e.source,
        DetailType: e.detailType,
        Time: e.time,
        Event: JSON.stringify(e.event),
        Deliveries: this.store.listDeliveries(e.id).map((d) => ({
          Rule: d.rule,
          TargetId: d.targetId,
          TargetArn: d.targetArn,
          Status: d.status,
          Attempts: d.attempts,
          ...(d.error ? { Error: d.error } : {}),
        })),
      })),
    };
  }

  private localReplayEvent(input: Input) {
    const id = requiredString(input, 'EventId');
    const archived = this.store.getEvent(id);
    if (!archived) throw notFound(`Event ${id}`);
    if (!this.store.getBus(archived.bus)) throw notFound(`Event bus ${archived.bus}`);
    const replayName = `local-replay-${randomUUID()}`;
    // Replayed events keep their id and carry `replay-name`, as EventBridge replays do.
    const event = { ...archived.event, 'replay-name': replayName };
    const matched = this.route(archived.bus, event, this.now());
    return { EventId: id, ReplayName: replayName, MatchedRules: matched };
  }
}

/** Opens the store under `dataDir` (or in memory with `':memory:'`) and builds the service. */
export function createEventBridgeService(options: Omit<EventBridgeServiceOptions, 'store'> & { dataDir: string }): EventBridgeService {
  const { dataDir, ...rest } = options;
  return new EventBridgeService({ ...rest, store: new EventBridgeStore(dataDir) });
}
