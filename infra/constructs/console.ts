/**
 * The web console's function and its routes on the HTTP API. AiosFunctions
 * builds the function with every grant the plan gives it (its spec's needs,
 * `steering` included: runs, rules and schedules, rendered once the workflows
 * exist). This construct tells it where those are — `AIOS_CONSOLE_TRIGGERS`:
 * each workflow's machine, rules and schedules, so the function needs no
 * List* permission on "*".
 */
import { type CfnElement, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENVIRONMENT_VARIABLES as ENV } from '../../shared/composition/environment';
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
    fn.addEnvironment(ENV.consoleTriggers, stack.toJsonString(directory));

    // The grants on runs, rules and schedules are the plan's (the console's `steering` need), rendered by
    // AiosFunctions.grantOnWorkflows; what remains here is cdk-nag's view of the execution wildcards.
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    for (const m of props.machines.values()) {
      const logicalId = stack.getLogicalId(m.node.defaultChild as CfnElement);
      Validations.of(fn.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:${account}:execution:<${logicalId}.Name>:*]`,
        reason:
          "The console reads and stops runs of the stack's own state machines: execution ARNs are `execution:<machine>:<run>` and runs are named at run time, so each machine's executions are granted as `execution:<machine>:*`; no other machine's runs are reachable.",
      });
    }

    props.api.routeConsole(fn);
    this.url = `${props.api.url}/console`;
  }
}
