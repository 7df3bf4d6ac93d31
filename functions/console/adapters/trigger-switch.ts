/**
 * The console's `TriggerSwitch`: a workflow's EventBridge rules and, on
 * AWS, its EventBridge Scheduler schedules. Both runtimes tell the function
 * exactly which rules and schedules each workflow has (`AIOS_CONSOLE_TRIGGERS`:
 * the stack on AWS, local/install-definition.ts on one machine), so its role
 * holds Enable/DisableRule and Get/UpdateSchedule on those resources only and
 * it lists nothing (no ListRules/ListTargetsByRule: their shapes were 3 KiB
 * of the bundle). The local scheduler reads the paused state from the control
 * store (it serves no Scheduler API), so locally there are no schedules here.
 */
import { DisableRuleCommand, EnableRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand, UpdateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { TriggerSwitch } from '../../../shared/console/ports';

/** Each workflow's triggers as deployed (`AIOS_CONSOLE_TRIGGERS`). */
export type TriggerDirectory = Record<string, { stateMachineArn: string; rules: { bus: string; name: string }[]; schedules: string[] }>;

export interface TriggerSwitchOptions {
  events: EventBridgeClient;
  /** The Scheduler client, for the directory's schedules (none locally). */
  scheduler?: SchedulerClient;
  /** Exactly which rules and schedules each workflow has. */
  directory: TriggerDirectory;
}

export function eventBridgeTriggerSwitch(o: TriggerSwitchOptions): TriggerSwitch {
  const rulesOf = (workflowId: string) => o.directory[workflowId]?.rules ?? [];

  async function switchSchedules(workflowId: string, state: 'ENABLED' | 'DISABLED'): Promise<string[]> {
    const client = o.scheduler;
    if (!client) return [];
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
    const rules = rulesOf(workflowId);
    for (const r of rules)
      await o.events.send(on ? new EnableRuleCommand({ EventBusName: r.bus, Name: r.name }) : new DisableRuleCommand({ EventBusName: r.bus, Name: r.name }));
    return [...rules.map((r) => `rule ${r.name}`), ...(await switchSchedules(workflowId, on ? 'ENABLED' : 'DISABLED'))];
  };
  return { disable: (id) => turn(id, false), enable: (id) => turn(id, true) };
}
