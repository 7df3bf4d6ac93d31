/**
 * The console's `TriggerSwitch`: a workflow's EventBridge rules (those whose
 * target is its state machine, found with ListRules/ListTargetsByRule on
 * the buses it listens on) and, on AWS, its EventBridge Scheduler
 * schedules (named `<prefix>-<workflow>-<n>` by the stack). The local
 * runtime's scheduler reads the paused state from the control store
 * instead (it serves no Scheduler API).
 */
import { DisableRuleCommand, EnableRuleCommand, ListRulesCommand, ListTargetsByRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand, ListSchedulesCommand, UpdateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ExecutionsPort, TriggerSwitch } from '../../../shared/console/ports';

export interface TriggerSwitchOptions {
  events: EventBridgeClient;
  /** Present on AWS: the Scheduler client and the stack's schedule name prefix. */
  schedules?: { client: SchedulerClient; namePrefix: string };
  executions: ExecutionsPort;
  /** The buses each workflow's rules are on. */
  busesOf(workflowId: string): string[];
}

export function eventBridgeTriggerSwitch(o: TriggerSwitchOptions): TriggerSwitch {
  async function rulesOf(workflowId: string): Promise<{ bus: string; name: string }[]> {
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
    if (!o.schedules) return [];
    const { client, namePrefix } = o.schedules;
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListSchedulesCommand({ NamePrefix: `${namePrefix}-${workflowId}-`.slice(0, 64), NextToken: nextToken }));
      for (const s of page.Schedules ?? []) {
        // UpdateSchedule replaces the whole schedule: send back what GetSchedule returned, with the new state.
        const full = await client.send(new GetScheduleCommand({ Name: s.Name, GroupName: s.GroupName }));
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
        names.push(`schedule ${s.Name}`);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return names;
  }

  const turn = async (workflowId: string, on: boolean): Promise<string[]> => {
    const rules = await rulesOf(workflowId);
    for (const r of rules) await o.events.send(on ? new EnableRuleCommand({ EventBusName: r.bus, Name: r.name }) : new DisableRuleCommand({ EventBusName: r.bus, Name: r.name }));
    return [...rules.map((r) => `rule ${r.name}`), ...(await switchSchedules(workflowId, on ? 'ENABLED' : 'DISABLED'))];
  };
  return { disable: (id) => turn(id, false), enable: (id) => turn(id, true) };
}
