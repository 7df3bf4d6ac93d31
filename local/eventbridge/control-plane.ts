/**
 * The local EventBridge's control plane: buses, rules and their targets, as
 * the AWS API creates, describes, lists and deletes them, kept in the store.
 */
import { validateEventPattern } from '../../shared/event-pattern';
import { AwsServiceError } from '../server/aws-json-service';
import { busNameOf, type EventBridgeArns, type Input, invalid, isJsonObject, notFound, optionalString, page, requiredString } from './api-input';
import type { EventBridgeStore, RuleRecord, RuleState, TargetRecord } from './eventbridge-store';
import { targetKind } from './target-delivery';

const MAX_TARGETS_PER_RULE = 5;
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const RULE_STATES: RuleState[] = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

export class EventBridgeControlPlane {
  constructor(
    private readonly store: EventBridgeStore,
    private readonly arns: EventBridgeArns,
    private readonly now: () => number,
  ) {}

  /** Creates the bus if it is missing. */
  ensureBus(name: string): void {
    this.store.createBus(name, null, this.now());
  }

  existingBus(value: string | undefined): string {
    const name = busNameOf(value);
    if (!this.store.getBus(name)) throw notFound(`Event bus ${name}`);
    return name;
  }

  createEventBus(input: Input) {
    const name = requiredString(input, 'Name');
    if (!BUS_NAME.test(name)) throw invalid(`Event bus name ${name} is not valid: use 1-256 characters from A-Z a-z 0-9 . - _ /.`);
    if (!this.store.createBus(name, optionalString(input, 'Description') ?? null, this.now())) {
      throw new AwsServiceError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    }
    return { EventBusArn: this.arns.bus(name) };
  }

  private describeBusShape(name: string) {
    const bus = this.store.getBus(name);
    if (!bus) throw notFound(`Event bus ${name}`);
    return {
      Name: bus.name,
      Arn: this.arns.bus(bus.name),
      ...(bus.description ? { Description: bus.description } : {}),
      CreationTime: bus.createdAt / 1000,
      LastModifiedTime: bus.modifiedAt / 1000,
    };
  }

  describeEventBus(input: Input) {
    return this.describeBusShape(busNameOf(optionalString(input, 'Name')));
  }

  listEventBuses(input: Input) {
    const prefix = optionalString(input, 'NamePrefix') ?? '';
    const buses = this.store.listBuses().filter((b) => b.name.startsWith(prefix));
    const { items, nextToken } = page(buses, input);
    return { EventBuses: items.map((b) => this.describeBusShape(b.name)), ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  deleteEventBus(input: Input) {
    const name = busNameOf(requiredString(input, 'Name'));
    if (name === 'default') throw invalid('Cannot delete event bus default.');
    this.store.deleteBus(name);
    return {};
  }

  private existingRule(bus: string, name: string): RuleRecord {
    const rule = this.store.getRule(bus, name);
    if (!rule) throw notFound(`Rule ${name} on event bus ${bus}`);
    return rule;
  }

  putRule(input: Input) {
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
    return { RuleArn: this.arns.rule(bus, name) };
  }

  /** Parses and validates pattern text, throwing InvalidEventPatternException as EventBridge does. */
  checkPattern(text: string): unknown {
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
      Arn: this.arns.rule(rule.bus, rule.name),
      ...(rule.eventPattern !== null ? { EventPattern: rule.eventPattern } : {}),
      ...(rule.scheduleExpression !== null ? { ScheduleExpression: rule.scheduleExpression } : {}),
      State: rule.state,
      ...(rule.description !== null ? { Description: rule.description } : {}),
      ...(rule.roleArn !== null ? { RoleArn: rule.roleArn } : {}),
      EventBusName: rule.bus,
    };
  }

  describeRule(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const rule = this.existingRule(bus, requiredString(input, 'Name'));
    return { ...this.ruleShape(rule), CreatedBy: this.arns.account };
  }

  listRules(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const prefix = optionalString(input, 'NamePrefix') ?? '';
    const { items, nextToken } = page(
      this.store.listRules(bus).filter((r) => r.name.startsWith(prefix)),
      input,
    );
    return { Rules: items.map((r) => this.ruleShape(r)), ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  deleteRule(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const name = requiredString(input, 'Name');
    if (!this.store.getRule(bus, name)) return {};
    if (this.store.listTargets(bus, name).length > 0) throw invalid("Rule can't be deleted since it has targets.");
    this.store.deleteRule(bus, name);
    return {};
  }

  setRuleState(input: Input, state: RuleState) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const name = requiredString(input, 'Name');
    if (!this.store.setRuleState(bus, name, state)) throw notFound(`Rule ${name} on event bus ${bus}`);
    return {};
  }

  putTargets(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const ruleName = requiredString(input, 'Rule');
    this.existingRule(bus, ruleName);
    const targets = input.Targets;
    if (!Array.isArray(targets) || targets.length === 0)
      throw invalid("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const existingIds = new Set(this.store.listTargets(bus, ruleName).map((t) => t.Id));
    const newIds = new Set(targets.map((t) => (isJsonObject(t) ? t.Id : undefined)).filter((id) => typeof id === 'string' && !existingIds.has(id)));
    if (existingIds.size + newIds.size > MAX_TARGETS_PER_RULE) {
      throw new AwsServiceError(
        'LimitExceededException',
        `The requested resource exceeds the maximum number allowed: a rule has at most ${MAX_TARGETS_PER_RULE} targets.`,
      );
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
    if (target.InputPath !== undefined && !String(target.InputPath).startsWith('$'))
      return `InputPath ${String(target.InputPath)} must be a JSONPath starting with $.`;
    const transformer = target.InputTransformer;
    if (transformer !== undefined) {
      if (!isJsonObject(transformer) || typeof transformer.InputTemplate !== 'string') return 'InputTransformer needs an InputTemplate string.';
      for (const [key, path] of Object.entries(transformer.InputPathsMap ?? {})) {
        if (!/^[A-Za-z0-9_-]+$/.test(key) || key.startsWith('AWS.'))
          return `InputPathsMap key ${key} is not valid: use A-Z a-z 0-9 _ - (and not the AWS. prefix).`;
        if (typeof path !== 'string' || !path.startsWith('$')) return `InputPathsMap value for ${key} must be a JSONPath starting with $.`;
      }
    }
    return null;
  }

  listTargetsByRule(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const ruleName = requiredString(input, 'Rule');
    this.existingRule(bus, ruleName);
    const { items, nextToken } = page(this.store.listTargets(bus, ruleName), input);
    return { Targets: items, ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  removeTargets(input: Input) {
    const bus = this.existingBus(optionalString(input, 'EventBusName'));
    const ruleName = requiredString(input, 'Rule');
    this.existingRule(bus, ruleName);
    const ids = Array.isArray(input.Ids) ? input.Ids : [];
    if (ids.length === 0)
      throw invalid("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const failed: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> = [];
    for (const id of ids) {
      if (!this.store.removeTarget(bus, ruleName, String(id))) {
        failed.push({ TargetId: String(id), ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Target ${String(id)} does not exist on rule ${ruleName}.` });
      }
    }
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }
}
