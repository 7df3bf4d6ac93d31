/**
 * Alarms → one SNS topic (KMS-encrypted, TLS only) that emails every person
 * with the role `admin`: failed and timed-out executions per state machine,
 * dead-letter queue depth, Lambda errors and throttles.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface AiosAlarmsProps {
  /** Who is emailed (the admins). */
  emails: readonly string[];
  machines: ReadonlyMap<string, sfn.IStateMachine>;
  functions: ReadonlyMap<string, lambda.IFunction>;
  deadLetterQueues: ReadonlyMap<string, sqs.IQueue>;
}

export class AiosAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AiosAlarmsProps) {
    super(scope, id);
    const key = new kms.Key(this, 'TopicKey', { enableKeyRotation: true, description: 'Encrypts the AIOS alarm topic' });
    // CloudWatch alarms publish to an encrypted topic only if the key lets CloudWatch use it.
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'AIOS alarms', masterKey: key, enforceSSL: true });
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    const notify = new actions.SnsAction(this.topic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(notify);
      this.alarms.push(a);
    };
    const period = Duration.minutes(5);
    for (const [workflowId, machine] of props.machines) {
      alarm(`${workflowId}-failed`, machine.metricFailed({ period, statistic: 'Sum' }), `Runs of ${workflowId} failed`);
      alarm(`${workflowId}-timed-out`, machine.metricTimedOut({ period, statistic: 'Sum' }), `Runs of ${workflowId} timed out`);
    }
    for (const [queueId, queue] of props.deadLetterQueues) {
      alarm(
        `${queueId}-depth`,
        queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        `Events wait in the ${queueId} dead-letter queue`,
      );
    }
    for (const [fnId, fn] of props.functions) {
      alarm(`${fnId}-errors`, fn.metricErrors({ period, statistic: 'Sum' }), `${fnId} raised errors`);
      alarm(`${fnId}-throttles`, fn.metricThrottles({ period, statistic: 'Sum' }), `${fnId} was throttled`);
    }
  }
}
