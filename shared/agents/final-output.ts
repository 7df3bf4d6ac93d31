/**
 * Reads an agent's final answer: without an output schema it is `{ text }`;
 * with one, the JSON object in the text, validated by the schema.
 */
import type * as core from 'zod/v4/core';
import { safeParse } from '../mini-zod';

export type FinalOutput = { ok: true; output: Record<string, unknown> } | { ok: false; problems: string };

/** The JSON value in a model's text: the whole text, a fenced block, or the outermost braces. */
export function extractJson(text: string): unknown {
  const trimmed = text.trim();
  const candidates = [trimmed];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed);
  if (fence) candidates.push(fence[1].trim());
  const first = trimmed.indexOf('{');
  const last = trimmed.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(trimmed.slice(first, last + 1));
  for (const c of candidates) {
    try {
      return JSON.parse(c);
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

export function readFinalOutput(text: string, schema: core.$ZodType | undefined): FinalOutput {
  if (!schema) return { ok: true, output: { text } };
  const json = extractJson(text);
  if (json === undefined) return { ok: false, problems: 'the answer contains no JSON object' };
  const parsed = safeParse(schema, json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    return { ok: false, problems };
  }
  const value = parsed.data;
  const output = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  return { ok: true, output };
}
