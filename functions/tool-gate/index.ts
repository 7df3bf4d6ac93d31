/** Lambda `aios-tool-gate`: decision rights for one tool call (see gate.ts). */
import middy from '@middy/core';
import { clock } from '../../shared/composition/clock';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { auditLog, stateTable } from '../../shared/composition/tables';
import { agentSuspensions, ControlStore } from '../../shared/console/controls';
import { LimitCounters } from '../../shared/rights/limit-counters';
import { currentOs } from '../current-os';
import { runLogging } from '../run-logging';
import { gateToolCall } from './gate';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return middy(async (event: unknown) => {
    const os = currentOs(env.vars);
    return gateToolCall(
      { rules: os.rules, people: os.people, tools: os.tools, agents: os.agents, counters: new LimitCounters(stateTable(env)),
        audit: auditLog(env), now: clock(env), facts: os.facts, lists: os.lists,
        suspensions: agentSuspensions(new ControlStore(stateTable(env))),
      },
      event,
    );
  }).use(runLogging());
}

export const handler = createHandler(parseEnvironment(process.env));
