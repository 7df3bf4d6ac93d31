/** States.Array* intrinsics. */
import { arity, asArray, asInteger, fail, jsonEqual, type IntrinsicFunction } from './family';

export const arrayFunctions: Record<string, IntrinsicFunction> = {
  'States.Array': (args) => args,

  'States.ArrayPartition': (args) => {
    arity('States.ArrayPartition', args, 2);
    const items = asArray('States.ArrayPartition', args[0]);
    const size = asInteger('States.ArrayPartition', args[1]);
    if (size <= 0) fail('States.ArrayPartition', 'chunk size must be a positive integer');
    const out = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  },

  'States.ArrayContains': (args) => {
    arity('States.ArrayContains', args, 2);
    return asArray('States.ArrayContains', args[0]).some((v) => jsonEqual(v, args[1]));
  },

  'States.ArrayRange': (args) => {
    arity('States.ArrayRange', args, 3);
    const [start, end, step] = args.map((a) => asInteger('States.ArrayRange', a));
    if (step === 0) fail('States.ArrayRange', 'step must not be 0');
    const out: number[] = [];
    for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
      out.push(v);
      if (out.length > 1000) fail('States.ArrayRange', 'the result may hold at most 1000 items');
    }
    return out;
  },

  'States.ArrayGetItem': (args) => {
    arity('States.ArrayGetItem', args, 2);
    const items = asArray('States.ArrayGetItem', args[0]);
    const index = asInteger('States.ArrayGetItem', args[1]);
    if (index < 0 || index >= items.length) fail('States.ArrayGetItem', `index ${index} is out of bounds (length ${items.length})`);
    return items[index];
  },

  'States.ArrayLength': (args) => {
    arity('States.ArrayLength', args, 1);
    return asArray('States.ArrayLength', args[0]).length;
  },

  'States.ArrayUnique': (args) => {
    arity('States.ArrayUnique', args, 1);
    const out: typeof args = [];
    for (const v of asArray('States.ArrayUnique', args[0])) if (!out.some((o) => jsonEqual(o, v))) out.push(v);
    return out;
  },
};
