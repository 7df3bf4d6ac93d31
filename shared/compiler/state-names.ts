import type { Step } from '../definition/workflow';

/** A step's readable title: its own, or from its id (`awaitApproval` → `Await approval`). */
export function stepTitle(step: Pick<Step, 'id' | 'title'>): string {
  if (step.title) return step.title;
  const words = step.id.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The state a step starts at: the title, or for the kinds that open with a preparing state, that state. */
export function entryName(step: Step): string {
  const t = stepTitle(step);
  if (step.kind === 'agent') return `${t}: start`;
  if (step.kind === 'approval') return `${t}: await`;
  return t;
}
