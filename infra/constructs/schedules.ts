/**
 * EventBridge Scheduler schedules for schedule triggers: each starts its
 * workflow with an event-shaped input in the trigger's time zone, retries,
 * and parks undeliverable starts in an encrypted dead-letter queue.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { SchedulePlan } from '../../shared/deployment/deployment-plan';
import { deadLetterQueue } from './bus-and-rules';

export interface AiosSchedulesProps {
  schedules: readonly SchedulePlan[];
  machines: ReadonlyMap<string, sfn.IStateMachine>;
  namePrefix: string;
}

export class AiosSchedules extends Construct {
  readonly schedules: scheduler.CfnSchedule[] = [];
  readonly deadLetters: sqs.Queue | undefined;
  /** The role the schedules start workflows with (the console passes it back when it pauses a schedule). */
  readonly role: iam.Role | undefined;

  constructor(scope: Construct, id: string, props: AiosSchedulesProps) {
    super(scope, id);
    if (props.schedules.length === 0) return;
    this.deadLetters = deadLetterQueue(this, 'DeadLetters', 'the workflow schedules');
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'), description: 'Starts scheduled AIOS workflows' });
    this.role = role;
    this.deadLetters.grantSendMessages(role);
    for (const plan of props.schedules) {
      const machine = props.machines.get(plan.workflowId);
      if (!machine) throw new Error(`schedule for unknown workflow ${plan.workflowId}`);
      machine.grantStartExecution(role);
      this.schedules.push(
        new scheduler.CfnSchedule(this, `${plan.workflowId}-schedule-${plan.index}`, {
          name: `${props.namePrefix}-${plan.workflowId}-${plan.index}`.slice(0, 64),
          description: plan.description.slice(0, 512),
          scheduleExpression: plan.expression,
          scheduleExpressionTimezone: plan.timeZone,
          flexibleTimeWindow: { mode: 'OFF' },
          state: 'ENABLED',
          target: {
            arn: machine.stateMachineArn,
            roleArn: role.roleArn,
            input: plan.input,
            retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 },
            deadLetterConfig: { arn: this.deadLetters.queueArn },
          },
        }),
      );
    }
  }
}
