/** JSON intrinsics: States.StringToJson, States.JsonToString, States.JsonMerge. */
import type { JsonValue } from '../types';
import { arity, asString, fail, type IntrinsicFunction } from './family';

const isObject = (v: JsonValue): v is Record<string, JsonValue> => v !== null && typeof v === 'object' && !Array.isArray(v);

export const jsonFunctions: Record<string, IntrinsicFunction> = {
  'States.StringToJson': (args) => {
    arity('States.StringToJson', args, 1);
    const text = asString('States.StringToJson', args[0]);
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      fail('States.StringToJson', `not valid JSON: ${text}`);
    }
  },

  'States.JsonToString': (args) => {
    arity('States.JsonToString', args, 1);
    return JSON.stringify(args[0]);
  },

  'States.JsonMerge': (args) => {
    arity('States.JsonMerge', args, 3);
    const [left, right, deep] = args;
    if (!isObject(left) || !isObject(right)) fail('States.JsonMerge', 'both arguments must be JSON objects');
    // AWS supports only the shallow mode: the third argument must be false.
    if (deep !== false) fail('States.JsonMerge', 'only shallow merge is supported: the third argument must be false');
    return { ...left, ...right };
  },
};
