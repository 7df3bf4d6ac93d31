/**
 * The tool gate's Lambda handler over the part of the definition it reads
 * (rules, people, tools, agents, facts, lists). index.ts gives it the whole
 * definition; a deployment gives it that part as data written at synth
 * (infra/definition-entries.ts), so the bundle carries no tool code.
 */
import middy from '@middy/core';
import { AuditLog } from '../../shared/audit/audit-log';
import { clockFromEnv } from '../../shared/clock/local-clock';
import { agentSuspensions, ControlStore } from '../../shared/console/controls';
import { LimitCounters } from '../../shared/rights/limit-counters';
import { openTable } from '../../shared/tables';
import { runLogging } from '../run-logging';
import { gateToolCall, type GateDeps } from './gate';

/** What the gate reads of the definition. */
export type GateDefinition = Pick<GateDeps, 'rules' | 'people' | 'tools' | 'agents' | 'facts' | 'lists'>;

export function gateFunctionHandler(definition: () => GateDefinition) {
  return middy(async (event: unknown) => {
    const { rules, people, tools, agents, facts, lists } = definition();
    return gateToolCall(
      {
        rules, people, tools, agents, facts, lists,
        counters: new LimitCounters(openTable('state')),
        audit: new AuditLog(openTable('audit')),
        now: clockFromEnv(),
        suspensions: agentSuspensions(new ControlStore(openTable('state'))),
      },
      event,
    );
  }).use(runLogging());
}
