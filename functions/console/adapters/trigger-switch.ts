/**
 * The console's `TriggerSwitch`: a workflow's EventBridge rules and, on
 * AWS, its EventBridge Scheduler schedules. On AWS the stack tells the
 * function exactly which rules and schedules each workflow has
 * (`AIOS_CONSOLE_TRIGGERS`), so its role holds Enable/DisableRule and
 * Get/UpdateSchedule on those resources only and needs no List* on "*".
 * Locally the rules are found with ListRules/ListTargetsByRule (those
 * targeting the workflow's state machine), and the local scheduler reads
 * the paused state from the control store (it serves no Scheduler API).
 */
import { DisableRuleCommand, EnableRuleCommand, ListRulesCommand, ListTargetsByRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand, UpdateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ExecutionsPort, TriggerSwitch } from '../../../shared/console/ports';

/** Each workflow's triggers as deployed (the stack's `AIOS_CONSOLE_TRIGGERS`). */
export type TriggerDirectory = Record<string, { stateMachineArn: string; rules: { bus: string; name: string }[]; schedules: string[] }>;

export interface TriggerSwitchOptions {
  events: EventBridgeClient;
  /** Present on AWS: the Scheduler client. */
  scheduler?: SchedulerClient;
  /** Present on AWS: exactly which rules and schedules each workflow has. */
  directory?: TriggerDirectory;
  executions: ExecutionsPort;
  /** The buses each workflow's rules are on (for discovery without a directory). */
  busesOf(workflowId: string): string[];
}

export function eventBridgeTriggerSwitch(o: TriggerSwitchOptions): TriggerSwitch {
  async function rulesOf(workflowId: string): Promise<{ bus: string; name: string }[]> {
    if (o.directory) return o.directory[workflowId]?.rules ?? [];
    const machine = (await o.executions.workflows()).find((w) => w.id === workflowId);
    if (!machine) return [];
    const found: { bus: string; name: string }[] = [];
    for (const bus of o.busesOf(workflowId)) {
      let nextToken: string | undefined;
      do {
        const page = await o.events.send(new ListRulesCommand({ EventBusName: bus, NextToken: nextToken }));
        for (const rule of page.Rules ?? []) {
          const targets = await o.events.send(new ListTargetsByRuleCommand({ EventBusName: bus, Rule: rule.Name }));
          if ((targets.Targets ?? []).some((t) => t.Arn === machine.arn)) found.push({ bus, name: rule.Name! });
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }
    return found;
  }

  async function switchSchedules(workflowId: string, state: 'ENABLED' | 'DISABLED'): Promise<string[]> {
    const client = o.scheduler;
    if (!client || !o.directory) return [];
    const names: string[] = [];
    for (const name of o.directory[workflowId]?.schedules ?? []) {
      // UpdateSchedule replaces the whole schedule: send back what GetSchedule returned, with the new state.
      const full = await client.send(new GetScheduleCommand({ Name: name }));
      await client.send(
        new UpdateScheduleCommand({
          Name: full.Name,
          GroupName: full.GroupName,
          ScheduleExpression: full.ScheduleExpression,
          ScheduleExpressionTimezone: full.ScheduleExpressionTimezone,
          FlexibleTimeWindow: full.FlexibleTimeWindow,
          Target: full.Target,
          Description: full.Description,
          StartDate: full.StartDate,
          EndDate: full.EndDate,
          KmsKeyArn: full.KmsKeyArn,
          ActionAfterCompletion: full.ActionAfterCompletion,
          State: state,
        }),
      );
      names.push(`schedule ${name}`);
    }
    return names;
  }

  const turn = async (workflowId: string, on: boolean): Promise<string[]> => {
    const rules = await rulesOf(workflowId);
    for (const r of rules)
      await o.events.send(on ? new EnableRuleCommand({ EventBusName: r.bus, Name: r.name }) : new DisableRuleCommand({ EventBusName: r.bus, Name: r.name }));
    return [...rules.map((r) => `rule ${r.name}`), ...(await switchSchedules(workflowId, on ? 'ENABLED' : 'DISABLED'))];
  };
  return { disable: (id) => turn(id, false), enable: (id) => turn(id, true) };
}
