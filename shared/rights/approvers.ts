/** Resolution of rule approvers (`maya`, `role:finance`) to person ids. */
import { InvalidRuleError } from './errors';

/** The least the rights engine needs to know about a person. */
export interface RightsPerson {
  id: string;
  roles: readonly string[];
}

/**
 * Person ids for a rule's approver list, in order, each once.
 *
 * @throws InvalidRuleError for an unknown person or a role nobody has
 */
export function resolveApprovers(ruleId: string, approvers: readonly string[], people: readonly RightsPerson[]): string[] {
  const out: string[] = [];
  for (const entry of approvers) {
    if (entry.startsWith('role:')) {
      const role = entry.slice('role:'.length);
      const holders = people.filter((p) => p.roles.includes(role));
      if (holders.length === 0) throw new InvalidRuleError(ruleId, `nobody has role "${role}"`, { role });
      for (const p of holders) if (!out.includes(p.id)) out.push(p.id);
    } else {
      if (!people.some((p) => p.id === entry)) {
        throw new InvalidRuleError(ruleId, `approver "${entry}" is not a person (known: ${people.map((p) => p.id).join(', ')}; roles are written role:<role>)`, { approver: entry });
      }
      if (!out.includes(entry)) out.push(entry);
    }
  }
  return out;
}

/** Checks that `quorum` of the resolved approvers can be reached. @throws InvalidRuleError */
export function checkQuorum(ruleId: string, quorum: number, approvers: readonly string[], stage = 'approvers'): void {
  if (!Number.isInteger(quorum) || quorum < 1) throw new InvalidRuleError(ruleId, `quorum must be a positive whole number, got ${quorum}`);
  if (quorum > approvers.length) {
    throw new InvalidRuleError(ruleId, `quorum ${quorum} cannot be reached: only ${approvers.length} ${stage} (${approvers.join(', ')})`, { quorum, approvers });
  }
}
