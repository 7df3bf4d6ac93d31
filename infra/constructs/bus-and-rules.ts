/**
 * The custom bus `aios` with an archive, and one rule per workflow event
 * trigger (its pattern from the definition; on a partner bus when the trigger
 * names one) that starts the workflow's state machine, with a retry policy
 * and an encrypted dead-letter queue for events that could not be delivered.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DEFAULT_BUS_NAME, type EventRulePlan } from '../../shared/deployment/deployment-plan';
import { runEndPattern, type RunEndRulePlan } from '../../shared/deployment/run-end-rule';

export interface AiosBusAndRulesProps {
  /** The bus's name: the deployment's prefix (`aios` by default). */
  busName: string;
  retainData: boolean;
  archiveRetentionDays: number;
}

/** An encrypted, TLS-only dead-letter queue (also used by the schedules). */
export function deadLetterQueue(scope: Construct, id: string, purpose: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue IS the dead-letter queue of ${purpose}; its messages are inspected and redriven by hand (the DLQ depth alarm pages the admins).`,
  });
  return queue;
}

export class AiosBusAndRules extends Construct {
  readonly bus: events.EventBus;
  readonly deadLetters: sqs.Queue;
  readonly rules: events.Rule[] = [];
  /** The rule on the default bus that records how runs ended where their workflows could not (addRunEndRule). */
  runEndRule?: events.Rule;
  private readonly partnerBuses = new Map<string, events.IEventBus>();

  constructor(scope: Construct, id: string, props: AiosBusAndRulesProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.busName });
    const archive = this.bus.archive('Archive', {
      description: `Every event on the ${props.busName} bus, for replay`,
      eventPattern: { account: [Stack.of(this).account] },
      retention: Duration.days(props.archiveRetentionDays),
    });
    archive.applyRemovalPolicy(props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
    this.deadLetters = deadLetterQueue(this, 'RuleDeadLetters', 'the workflow trigger rules');
  }

  /** One rule per event trigger, each starting its workflow's state machine. */
  addWorkflowRules(plans: readonly EventRulePlan[], machines: ReadonlyMap<string, sfn.IStateMachine>): void {
    for (const plan of plans) {
      const machine = machines.get(plan.workflowId);
      if (!machine) throw new Error(`rule for unknown workflow ${plan.workflowId}`);
      const rule = new events.Rule(this, `${plan.workflowId}-trigger-${plan.index}`, {
        eventBus: this.busNamed(plan.bus),
        description: `${plan.workflowId}: ${plan.description}`.slice(0, 512),
        eventPattern: toEventPattern(plan.pattern),
        targets: [
          new targets.SfnStateMachine(machine, {
            deadLetterQueue: this.deadLetters,
            retryAttempts: 8,
            maxEventAge: Duration.hours(24),
          }),
        ],
      });
      this.rules.push(rule);
    }
  }

  /**
   * Step Functions' status changes of the machines' executions that ended where their workflow could not record
   * it, to `fn` (shared/deployment/run-end-rule.ts). On the account's default bus: Step Functions sends them nowhere
   * else. The target's permission names this rule as its source, so no other rule can invoke the function through it.
   */
  addRunEndRule(plan: RunEndRulePlan | null, machines: ReadonlyMap<string, sfn.IStateMachine>, fn: lambda.IFunction): void {
    if (!plan || machines.size === 0) return;
    this.runEndRule = new events.Rule(this, 'RunEnd', {
      description: `${fn.functionName}: ${plan.description}`.slice(0, 512),
      eventPattern: toEventPattern(
        runEndPattern(
          [...machines.values()].map((m) => m.stateMachineArn),
          plan,
        ),
      ),
      targets: [new targets.LambdaFunction(fn, { deadLetterQueue: this.deadLetters, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });
  }

  private busNamed(name: string): events.IEventBus {
    if (name === DEFAULT_BUS_NAME) return this.bus;
    let bus = this.partnerBuses.get(name);
    if (!bus) {
      bus = events.EventBus.fromEventBusName(this, `Partner-${name.replace(/[^A-Za-z0-9]/g, '-')}`, name);
      this.partnerBuses.set(name, bus);
    }
    return bus;
  }
}

/** The definition's pattern (EventBridge JSON, `detail-type` spelt with a dash) as CDK's camel-cased EventPattern. */
export function toEventPattern(pattern: Record<string, unknown>): events.EventPattern {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pattern)) out[key.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = value;
  return out as events.EventPattern;
}
