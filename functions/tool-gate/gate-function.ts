/**
 * The tool gate's Lambda handler over the part of the definition it reads
 * (rules, people, tools, agents, facts, lists). index.ts gives it the whole
 * definition; a deployment gives it that part as data written at synth
 * (infra/definition-entries.ts), so the bundle carries no tool code.
 */
import middy from '@middy/core';
import { clock } from '../../shared/composition/clock';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { auditLog, stateTable } from '../../shared/composition/tables';
import { agentSuspensions, ControlStore } from '../../shared/console/controls';
import { LimitCounters } from '../../shared/rights/limit-counters';
import { runLogging } from '../run-logging';
import { gateToolCall, type GateDeps } from './gate';

/** What the gate reads of the definition. */
export type GateDefinition = Pick<GateDeps, 'rules' | 'people' | 'tools' | 'agents' | 'facts' | 'lists'>;

export function gateFunctionHandler(env: AiosEnvironment, definition: () => GateDefinition) {
  return middy(async (event: unknown) => {
    const { rules, people, tools, agents, facts, lists } = definition();
    return gateToolCall(
      {
        rules,
        people,
        tools,
        agents,
        facts,
        lists,
        counters: new LimitCounters(stateTable(env)),
        audit: auditLog(env),
        now: clock(env),
        suspensions: agentSuspensions(new ControlStore(stateTable(env))),
      },
      event,
    );
  }).use(runLogging());
}
