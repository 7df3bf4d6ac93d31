/** String intrinsics: States.Format, States.StringSplit. */
import type { JsonValue } from '../types';
import { arity, asString, fail, type IntrinsicFunction } from './family';

function formatArg(value: JsonValue): string {
  if (value !== null && typeof value === 'object') fail('States.Format', 'arguments must be strings, numbers, booleans or null');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const stringFunctions: Record<string, IntrinsicFunction> = {
  'States.Format': (args, raw) => {
    if (args.length < 1) fail('States.Format', 'expects a template');
    // The raw literal keeps `\{` and `\}` so escaped braces are not placeholders.
    const template = raw[0] ?? asString('States.Format', args[0]);
    const values = args.slice(1);
    let used = 0;
    let out = '';
    for (let i = 0; i < template.length; i++) {
      const c = template[i];
      if (c === '\\' && (template[i + 1] === '{' || template[i + 1] === '}' || template[i + 1] === '\\')) {
        out += template[i + 1];
        i++;
      } else if (c === '{' && template[i + 1] === '}') {
        if (used >= values.length) fail('States.Format', 'more placeholders than arguments');
        out += formatArg(values[used++]);
        i++;
      } else {
        out += c;
      }
    }
    if (used !== values.length) fail('States.Format', `${values.length} argument(s) for ${used} placeholder(s)`);
    return out;
  },

  'States.StringSplit': (args) => {
    arity('States.StringSplit', args, 2);
    const text = asString('States.StringSplit', args[0]);
    const delimiters = asString('States.StringSplit', args[1]);
    if (delimiters.length === 0) return [text];
    const out: string[] = [];
    let current = '';
    for (const c of text) {
      if (delimiters.includes(c)) {
        if (current) out.push(current);
        current = '';
      } else current += c;
    }
    if (current) out.push(current);
    return out;
  },
};
