/**
 * Evaluates intrinsic function calls inside payload templates. One module per
 * family; this table is the whole catalogue of AWS's intrinsics.
 */
import { StatesIntrinsicFailureError } from '../errors';
import { NOT_FOUND } from '../paths';
import { lookupPath } from '../variables';
import type { JsonValue } from '../types';
import { arrayFunctions } from './array';
import { encodingFunctions } from './encoding';
import type { IntrinsicFunction } from './family';
import { jsonFunctions } from './json';
import { mathFunctions } from './math';
import { parseIntrinsic, type IntrinsicCall } from './parser';
import { stringFunctions } from './string';

export { looksLikeIntrinsic, parseIntrinsic } from './parser';

export const INTRINSICS: Record<string, IntrinsicFunction> = {
  ...arrayFunctions,
  ...jsonFunctions,
  ...stringFunctions,
  ...encodingFunctions,
  ...mathFunctions,
};

function evaluateCall(call: IntrinsicCall, input: JsonValue, context: JsonValue): JsonValue {
  const fn = INTRINSICS[call.name];
  if (!fn) throw new StatesIntrinsicFailureError(`unknown intrinsic function ${call.name}`);
  const raw: (string | undefined)[] = [];
  const args = call.args.map((arg, i): JsonValue => {
    switch (arg.kind) {
      case 'string':
        raw[i] = arg.raw;
        return arg.value;
      case 'literal':
        return arg.value;
      case 'call':
        return evaluateCall(arg.call, input, context);
      case 'path': {
        const value = lookupPath(arg.path, input, context);
        if (value === NOT_FOUND) throw new StatesIntrinsicFailureError(`${call.name}: the path ${arg.path} selects nothing`);
        return value;
      }
    }
  });
  return fn(args, raw);
}

/** Evaluates `States.X(...)` against the effective input and the context object. */
export function evaluateIntrinsic(text: string, input: JsonValue, context: JsonValue): JsonValue {
  return evaluateCall(parseIntrinsic(text), input, context);
}
