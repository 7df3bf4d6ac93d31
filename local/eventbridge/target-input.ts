/**
 * What a target receives for an event, as EventBridge computes it: the whole
 * event (default), a constant `Input`, the part selected by `InputPath`, or an
 * `InputTransformer` (values picked by `InputPathsMap`, placed into
 * `InputTemplate` at `<name>` placeholders, plus the `aws.events.*` built-ins).
 */
import { JSONPath } from 'jsonpath-plus';
import type { TargetRecord } from './eventbridge-store';

export interface RuleContext {
  ruleName: string;
  ruleArn: string;
  /** When the event was received (ms). */
  ingestionTime: number;
}

/** Selects one value with a JSONPath (`$.detail.orderId`); undefined when nothing is there. */
export function selectPath(event: unknown, path: string): unknown {
  const found = JSONPath({ path, json: event as object, wrap: false, eval: false }) as unknown;
  return found;
}

function jsonText(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** Text of `value` placed inside a JSON string literal: strings as their content, the rest as JSON, escaped. */
function insideString(value: unknown): string {
  if (value === undefined || value === null) return value === null ? 'null' : '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text).slice(1, -1);
}

/**
 * Fills an InputTemplate. A placeholder inside a JSON string ("<name>") gets
 * the value's text, escaped; outside one it gets the value as JSON (strings
 * quoted, a missing value as null), which is how EventBridge keeps the result
 * valid JSON.
 */
export function fillInputTemplate(template: string, values: Map<string, unknown>): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === '<') {
      const close = template.indexOf('>', i);
      const name = close > i ? template.slice(i + 1, close) : '';
      if (name && values.has(name)) {
        const value = values.get(name);
        out += inString ? insideString(value) : jsonText(value);
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** The input text a target gets for `event`. */
export function targetInput(target: TargetRecord, event: Record<string, unknown>, context: RuleContext): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return jsonText(selectPath(event, target.InputPath));
  const transformer = target.InputTransformer;
  if (transformer) {
    const values = new Map<string, unknown>();
    for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) values.set(name, selectPath(event, path));
    values.set('aws.events.rule-name', context.ruleName);
    values.set('aws.events.rule-arn', context.ruleArn);
    values.set('aws.events.event.ingestion-time', new Date(context.ingestionTime).toISOString());
    values.set('aws.events.event', event);
    values.set('aws.events.event.json', event);
    return fillInputTemplate(transformer.InputTemplate, values);
  }
  return JSON.stringify(event);
}
