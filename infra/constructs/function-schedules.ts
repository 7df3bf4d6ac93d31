/**
 * System functions that run on a schedule (the plan's `schedule`, e.g. the
 * approval reconciler every five minutes): one EventBridge Scheduler
 * schedule each, with a role that may invoke only that function.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { PlannedFunction } from '../../shared/deployment/deployment-plan';

export interface AiosFunctionSchedulesProps {
  specs: readonly PlannedFunction[];
  functions: ReadonlyMap<string, lambda.IFunction>;
  namePrefix: string;
}

export class AiosFunctionSchedules extends Construct {
  readonly schedules: scheduler.CfnSchedule[] = [];

  constructor(scope: Construct, id: string, props: AiosFunctionSchedulesProps) {
    super(scope, id);
    for (const spec of props.specs) {
      if (!spec.schedule) continue;
      const fn = props.functions.get(spec.id);
      if (!fn) throw new Error(`scheduled function ${spec.id} was not built`);
      const role = new iam.Role(this, `${spec.id}-role`, {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
        description: `Invokes ${spec.functionName} on its schedule`,
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
      this.schedules.push(
        new scheduler.CfnSchedule(this, `${spec.id}-schedule`, {
          name: `${props.namePrefix}-${spec.id}`.slice(0, 64),
          description: `${spec.functionName}: ${spec.schedule.description}`.slice(0, 512),
          scheduleExpression: spec.schedule.expression,
          flexibleTimeWindow: { mode: 'OFF' },
          state: 'ENABLED',
          // A missed sweep is done by the next one: no retries, no dead letters.
          target: { arn: fn.functionArn, roleArn: role.roleArn, input: '{}', retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 } },
        }),
      );
    }
  }
}
