import type { Step } from '../definition/workflow';

/** A step's readable title: its own, or from its id (`awaitApproval` → `Await approval`). */
export function stepTitle(step: Pick<Step, 'id' | 'title'>): string {
  if (step.title) return step.title;
  const words = step.id.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
