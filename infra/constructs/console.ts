/**
 * The web console's function, given what the console does and nothing
 * more, and its routes on the HTTP API. AiosFunctions builds the function
 * with its table, mail and task-response grants (its spec); this construct
 * adds what needs the workflows to exist first:
 * - reading runs: ListExecutions on each state machine; DescribeExecution,
 *   GetExecutionHistory and StopExecution on that machine's executions;
 * - pausing a workflow: Enable/DisableRule on its rules, Get/UpdateSchedule
 *   on its schedules (and PassRole of the schedules' own role, which
 *   UpdateSchedule sends back unchanged);
 * - `AIOS_CONSOLE_TRIGGERS`: each workflow's machine, rules and schedules,
 *   so the function needs no List* permission on "*".
 */
import { ArnFormat, type CfnElement, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EventRulePlan, SchedulePlan } from '../../shared/deployment/deployment-plan';
import type { AiosApprovalsAndWebhooksApi } from './approvals-and-webhooks-api';

export interface AiosConsoleProps {
  fn: lambda.Function;
  api: AiosApprovalsAndWebhooksApi;
  machines: ReadonlyMap<string, sfn.StateMachine>;
  /** The rules and their plans, in the same order. */
  rules: { plans: readonly EventRulePlan[]; rules: readonly events.Rule[] };
  /** The schedules and their plans, in the same order; the role they start workflows with. */
  schedules: { plans: readonly SchedulePlan[]; schedules: readonly scheduler.CfnSchedule[]; role: iam.IRole | undefined };
}

export class AiosConsole extends Construct {
  /** `<ApiUrl>/console` */
  readonly url: string;

  constructor(scope: Construct, id: string, props: AiosConsoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { fn } = props;
    const directory: Record<string, { stateMachineArn: string; rules: { bus: string; name: string }[]; schedules: string[] }> = {};
    for (const [workflowId, machine] of props.machines) directory[workflowId] = { stateMachineArn: machine.stateMachineArn, rules: [], schedules: [] };
    props.rules.plans.forEach((plan, i) => directory[plan.workflowId]?.rules.push({ bus: plan.bus, name: props.rules.rules[i].ruleName }));
    props.schedules.plans.forEach((plan, i) => directory[plan.workflowId]?.schedules.push(props.schedules.schedules[i].name!));
    fn.addEnvironment('AIOS_CONSOLE_TRIGGERS', stack.toJsonString(directory));

    const machines = [...props.machines.values()];
    if (machines.length > 0) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: machines.map((m) => m.stateMachineArn) }));
      const executions = machines.map((m) => stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${m.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }));
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution'], resources: executions }));
      const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
      const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
      for (const m of machines) {
        const logicalId = stack.getLogicalId(m.node.defaultChild as CfnElement);
        Validations.of(fn.role!).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:${account}:execution:<${logicalId}.Name>:*]`,
          reason:
            "The console reads and stops runs of the stack's own state machines: execution ARNs are `execution:<machine>:<run>` and runs are named at run time, so each machine's executions are granted as `execution:<machine>:*`; no other machine's runs are reachable.",
        });
      }
    }
    const rules = props.rules.rules;
    if (rules.length > 0) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['events:DisableRule', 'events:EnableRule'], resources: rules.map((r) => r.ruleArn) }));
    const schedules = props.schedules.schedules;
    if (schedules.length > 0) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['scheduler:GetSchedule', 'scheduler:UpdateSchedule'],
          resources: schedules.map((s) => stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `default/${s.name!}` })),
        }),
      );
      if (props.schedules.role) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [props.schedules.role.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } }));
    }

    props.api.routeConsole(fn);
    this.url = `${props.api.url}/console`;
  }
}
