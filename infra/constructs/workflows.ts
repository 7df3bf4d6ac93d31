/**
 * One Standard state machine per workflow, from the compiler's ASL with every
 * `${Fn…}` placeholder substituted by the function's ARN. Each machine has its
 * own role that may invoke exactly the functions its ASL references.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowPlan } from '../../shared/deployment/deployment-plan';
import type { AiosSettings } from '../settings';
import { retentionDays, stateMachineName } from './functions';

export interface AiosWorkflowsProps {
  workflows: readonly WorkflowPlan[];
  functionsByPlaceholder: ReadonlyMap<string, lambda.IFunction>;
  settings: AiosSettings;
}

export class AiosWorkflows extends Construct {
  /** State machine by workflow id. */
  readonly machines: ReadonlyMap<string, sfn.StateMachine>;

  constructor(scope: Construct, id: string, props: AiosWorkflowsProps) {
    super(scope, id);
    const { settings } = props;
    const machines = new Map<string, sfn.StateMachine>();
    for (const workflow of props.workflows) {
      const scope = new Construct(this, workflow.id);
      const substitutions: Record<string, string> = {};
      const invoked: lambda.IFunction[] = [];
      for (const name of workflow.placeholders) {
        const fn = props.functionsByPlaceholder.get(name);
        if (!fn) throw new Error(`workflow ${workflow.id}: no function for \${${name}}`);
        substitutions[name] = fn.functionArn;
        invoked.push(fn);
      }
      const role = new iam.Role(scope, 'Role', {
        assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
        description: `${workflow.id}: invoke only this workflow's functions`,
      });
      // Unqualified ARNs only (the ASL never names a version), unlike grantInvoke's `:*`.
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: invoked.map((f) => f.functionArn) }));

      // Step Functions vended logs need a group name under /aws/vendedlogs/ to stay within the resource policy size.
      const logGroupName = `/aws/vendedlogs/states/${settings.namePrefix}-${workflow.id}`;
      // A retained group keeps its name: a redeploy onto retained data adopts it rather than failing to create it.
      const logGroup = settings.adoptRetained
        ? logs.LogGroup.fromLogGroupName(scope, 'Logs', logGroupName)
        : new logs.LogGroup(scope, 'Logs', {
            logGroupName,
            retention: retentionDays(settings.logRetentionDays),
            removalPolicy: settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
          });
      const machine = new sfn.StateMachine(scope, 'StateMachine', {
        stateMachineName: stateMachineName(settings.namePrefix, workflow.id),
        stateMachineType: sfn.StateMachineType.STANDARD,
        comment: workflow.description,
        definitionBody: sfn.DefinitionBody.fromString(workflow.asl),
        definitionSubstitutions: substitutions,
        role,
        logs: { destination: logGroup, level: sfn.LogLevel[settings.logLevel], includeExecutionData: settings.includeExecutionData },
        tracingEnabled: settings.tracing,
      });
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${workflow.id}: CloudWatch Logs log delivery (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups)${settings.tracing ? ' and X-Ray (PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets)' : ''} accept no resource narrower than "*".`,
      });
      if (settings.logLevel !== 'ALL') {
        Validations.of(machine).acknowledge({
          id: 'AwsSolutions-SF1',
          reason: `The operator chose log level ${settings.logLevel} with -c logLevel=${settings.logLevel}.`,
        });
      }
      if (!settings.tracing) {
        Validations.of(machine).acknowledge({
          id: 'AwsSolutions-SF2',
          reason:
            'X-Ray tracing is opt-in (-c tracing=true): every run is already traced by execution history, logs and the audit chain, and X-Ray adds cost per run.',
        });
      }
      machines.set(workflow.id, machine);
    }
    this.machines = machines;
  }
}
