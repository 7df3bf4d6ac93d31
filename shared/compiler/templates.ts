/** Turns DSL templates (JSON with `{ $ref }` leaves) into ASL Parameters. */
import type { Template } from '../definition/workflow';
import { jsonPath } from './asl';

function isRef(t: Template): t is { $ref: string } {
  return typeof t === 'object' && t !== null && !Array.isArray(t) && typeof (t as { $ref?: unknown }).$ref === 'string' && Object.keys(t).length === 1;
}

/** Adds `key` (or `key.$` for a reference) with the template's value to `target`. */
export function setParameter(target: Record<string, unknown>, key: string, template: Template): void {
  if (isRef(template)) {
    target[`${key}.$`] = jsonPath(template.$ref);
    return;
  }
  target[key] = templateValue(template);
}

function templateValue(template: Template): unknown {
  if (template === null || typeof template !== 'object') return template;
  if (Array.isArray(template)) return template.map((t) => templateValue(t));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(template as Record<string, Template>)) setParameter(out, k, v);
  return out;
}
