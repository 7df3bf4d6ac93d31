/**
 * State machine definitions as executions run them: parsed once per
 * definition text (keyed by its SHA-256, which executions store) with each
 * state's query language resolved.
 */
import { createHash } from 'node:crypto';
import { resolveQueryLanguages } from '../asl/query-language';
import type { MachineDefinition } from '../asl/types';
import type { MachineRow } from './store';

export class Definitions {
  private readonly parsed = new Map<string, MachineDefinition>();
  /** By machine row: the store caches one row object per machine revision (no key string built per start). */
  private readonly hashes = new WeakMap<MachineRow, string>();

  /** The definition with hash `hash` (its text parsed on first use). */
  get(hash: string, text: string): MachineDefinition {
    let def = this.parsed.get(hash);
    if (!def) {
      def = resolveQueryLanguages(JSON.parse(text) as MachineDefinition);
      this.parsed.set(hash, def);
    }
    return def;
  }

  /** The hash of a machine's current definition (computed once per revision). */
  hashOf(machine: MachineRow): string {
    let hash = this.hashes.get(machine);
    if (!hash) {
      hash = createHash('sha256').update(machine.definition).digest('hex');
      this.hashes.set(machine, hash);
    }
    return hash;
  }
}
