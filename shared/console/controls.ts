/**
 * The steering controls a person sets in the console, kept in the `state`
 * table so they survive restarts and are read by other functions:
 *   pk `control#workflow#<id>`  sk `control`  a paused workflow
 *   pk `control#agent#<id>`     sk `control`  a suspended agent (the tool gate reads it)
 * Resuming deletes the item. Who set it and why stay on the item (and in
 * the audit trail).
 */
import type { Table } from '../storage/table';

export type ControlKind = 'workflow' | 'agent';

export interface Control {
  kind: ControlKind;
  id: string;
  /** The person who paused or suspended it (id). */
  by: string;
  byName: string;
  at: string;
  why: string | null;
}

const SK = 'control';
const pk = (kind: ControlKind, id: string) => `control#${kind}#${id}`;

export class ControlStore {
  constructor(private readonly table: Table) {}

  async get(kind: ControlKind, id: string): Promise<Control | undefined> {
    const item = await this.table.get({ pk: pk(kind, id), sk: SK });
    return item ? toControl(item) : undefined;
  }

  /** Pauses a workflow or suspends an agent (again: the newest reason wins). */
  async set(control: Control): Promise<void> {
    await this.table.put({ pk: pk(control.kind, control.id), sk: SK, ...control });
  }

  async clear(kind: ControlKind, id: string): Promise<void> {
    await this.table.delete({ pk: pk(kind, id), sk: SK });
  }

  /**
   * The controls set on these workflows and agents: one read each, in parallel. A scan for the `control#` keys
   * would read the whole state table (every conversation of every run) to find a handful.
   */
  async of(ids: { workflows: readonly string[]; agents: readonly string[] }): Promise<Control[]> {
    const keys = [...ids.workflows.map((id) => pk('workflow', id)), ...ids.agents.map((id) => pk('agent', id))];
    const items = await Promise.all(keys.map((key) => this.table.get({ pk: key, sk: SK })));
    return items.filter((i) => i !== undefined).map(toControl);
  }
}

function toControl(item: Record<string, unknown>): Control {
  return {
    kind: item.kind as ControlKind,
    id: String(item.id),
    by: String(item.by),
    byName: String(item.byName ?? item.by),
    at: String(item.at),
    why: typeof item.why === 'string' ? item.why : null,
  };
}

/** What the tool gate and the agent step ask: is this agent suspended, and by whom. */
export interface AgentSuspensions {
  suspension(agentId: string): Promise<Control | undefined>;
}

/** The key of an agent's suspension, for a caller that reads it with other items in one request. */
export const agentControlKey = (agentId: string) => ({ pk: pk('agent', agentId), sk: SK });

/** The suspension an item read at `agentControlKey` says (undefined: none). */
export const suspensionOf = (item: Record<string, unknown> | undefined): Control | undefined => (item ? toControl(item) : undefined);

export function agentSuspensions(store: ControlStore): AgentSuspensions {
  return { suspension: (agentId) => store.get('agent', agentId) };
}
