/** Lambda `aios-tool-gate`: decision rights for one tool call (see gate.ts). */
import middy from '@middy/core';
import { runLogging } from '../run-logging';
import { AuditLog } from '../../shared/audit/audit-log';
import { clockFromEnv } from '../../shared/clock/local-clock';
import { agentSuspensions, ControlStore } from '../../shared/console/controls';
import { LimitCounters } from '../../shared/rights/limit-counters';
import { openTable } from '../../shared/tables';
import { currentOs } from '../current-os';
import { gateToolCall } from './gate';

export const handler = middy(async (event: unknown) => {
  const os = currentOs();
  return gateToolCall(
    { rules: os.rules, people: os.people, tools: os.tools, agents: os.agents, counters: new LimitCounters(openTable('state')),
      audit: new AuditLog(openTable('audit')), now: clockFromEnv(), facts: os.facts, lists: os.lists,
      suspensions: agentSuspensions(new ControlStore(openTable('state'))),
    },
    event,
  );
}).use(runLogging());
