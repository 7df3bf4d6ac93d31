/** Resolution of rule approvers (`maya`, `role:finance`) to person ids. */
import { InvalidRuleError } from './errors';

/** The least the rights engine needs to know about a person. */
export interface RightsPerson {
  id: string;
  roles: readonly string[];
}

/** An approver entry that names nobody: a role no person holds, or an id that is not a person. */
export interface ApproverProblem {
  /** Position in the list. */
  index: number;
  kind: 'role' | 'person';
  /** The role or person id as written. */
  name: string;
}

/**
 * The one resolution of an approver list (`maya`, `role:finance`) to person
 * ids, in order, each once, with every entry that names nobody. Callers
 * decide what a problem means: the definition check reports each, the rights
 * engine and the approval service refuse, the compiler has checked already.
 */
export function resolveApproverList(approvers: readonly string[], people: readonly RightsPerson[]): { ids: string[]; problems: ApproverProblem[] } {
  const ids: string[] = [];
  const problems: ApproverProblem[] = [];
  approvers.forEach((entry, index) => {
    if (entry.startsWith('role:')) {
      const role = entry.slice('role:'.length);
      const holders = people.filter((p) => p.roles.includes(role));
      if (holders.length === 0) problems.push({ index, kind: 'role', name: role });
      for (const p of holders) if (!ids.includes(p.id)) ids.push(p.id);
    } else if (!people.some((p) => p.id === entry)) {
      problems.push({ index, kind: 'person', name: entry });
    } else if (!ids.includes(entry)) {
      ids.push(entry);
    }
  });
  return { ids, problems };
}

/** Person ids of an approver list already validated (entries naming nobody are left out). */
export function approverIds(approvers: readonly string[], people: readonly RightsPerson[]): string[] {
  return resolveApproverList(approvers, people).ids;
}

/**
 * Person ids for a rule's approver list, in order, each once.
 *
 * @throws InvalidRuleError for an unknown person or a role nobody has
 */
export function resolveApprovers(ruleId: string, approvers: readonly string[], people: readonly RightsPerson[]): string[] {
  const { ids, problems } = resolveApproverList(approvers, people);
  const first = problems[0];
  if (first?.kind === 'role') throw new InvalidRuleError(ruleId, `nobody has role "${first.name}"`, { role: first.name });
  if (first?.kind === 'person') {
    throw new InvalidRuleError(
      ruleId,
      `approver "${first.name}" is not a person (known: ${people.map((p) => p.id).join(', ')}; roles are written role:<role>)`,
      {
        approver: first.name,
      },
    );
  }
  return ids;
}

/** Checks that `quorum` of the resolved approvers can be reached. @throws InvalidRuleError */
export function checkQuorum(ruleId: string, quorum: number, approvers: readonly string[], stage = 'approvers'): void {
  if (!Number.isInteger(quorum) || quorum < 1) throw new InvalidRuleError(ruleId, `quorum must be a positive whole number, got ${quorum}`);
  if (quorum > approvers.length) {
    throw new InvalidRuleError(ruleId, `quorum ${quorum} cannot be reached: only ${approvers.length} ${stage} (${approvers.join(', ')})`, {
      quorum,
      approvers,
    });
  }
}
