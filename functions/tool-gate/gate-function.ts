/**
 * The tool gate's Lambda handler over the part of the definition it reads
 * (rules compiled, tools, agents, facts, lists). index.ts gives it the whole
 * definition, its rules compiled once (whole-definition.ts); a deployment
 * whose rules read no facts gives `gateWithoutFactsHandler` that part as data
 * written at synth (infra/definition-entries.ts), so the bundle carries no
 * tool code, no rule parser and no fact code.
 */
import { clock } from '../../shared/composition/clock';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { auditWriter, stateTable, tableNameOf } from '../../shared/composition/tables';
import { dynamoDbClient } from '../../shared/aws/dynamodb';
import { dynamoDbItemsReader } from '../../shared/storage/items-reader';
import { agentSuspensions, ControlStore } from '../../shared/console/controls';
import { LimitCounters } from '../../shared/rights/limit-counters';
import { runLogging } from '../run-logging';
import { loggedInvocation } from '../logged-invocation';
import { gateCallWithoutFacts, gateCompiledCall, type CompiledGateDeps } from './gate';

/** What the gate reads of the definition. */
export type GateDefinition = Pick<CompiledGateDeps, 'rules' | 'tools' | 'agents' | 'facts' | 'lists'>;

/** The gate's adapters, from the composition root. */
function gateAdapters(env: AiosEnvironment): Pick<CompiledGateDeps, 'counters' | 'audit' | 'now' | 'suspensions' | 'readItems'> {
  return {
    // Per call: the windows it reads ahead are its own.
    counters: new LimitCounters(stateTable(env)),
    audit: auditWriter(env),
    now: clock(env),
    suspensions: agentSuspensions(new ControlStore(stateTable(env))),
    readItems: dynamoDbItemsReader(dynamoDbClient({}, env.vars), tableNameOf(env, 'state')),
  };
}

export function gateFunctionHandler(env: AiosEnvironment, definition: () => GateDefinition) {
  return loggedInvocation(async (event: unknown) => gateCompiledCall({ ...definition(), ...gateAdapters(env) }, event), runLogging());
}

/** The handler for a definition whose rules read no facts (synth checks before it writes the entry). */
export function gateWithoutFactsHandler(env: AiosEnvironment, definition: () => Omit<GateDefinition, 'facts'>) {
  return loggedInvocation(async (event: unknown) => gateCallWithoutFacts({ ...definition(), ...gateAdapters(env) }, event), runLogging());
}
