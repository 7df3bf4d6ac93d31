/**
 * How deeply a JSON text nests, measured on the text in one pass (no parse,
 * no recursion), so an API can refuse input that recursive walks further in
 * (path evaluation, templates, serialisation) would not survive.
 */

/**
 * The deepest nesting the local APIs accept in an execution input, a task
 * output or an event's detail. EventBridge documents that PutEvents processes
 * nested JSON up to 1,000 levels; Step Functions publishes no figure, so the
 * local Step Functions API applies the same one.
 */
export const MAX_JSON_NESTING = 1000;

/**
 * The number of arrays and objects open at the deepest point of `text`
 * (`{}` is 1, `[{"a":[]}]` is 3). Brackets inside strings do not count.
 * @example jsonNestingDepth('{"a":[1,{"b":"]"}]}') // 3
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** The reason `text` nests too deeply, or null. */
export function nestingProblem(text: string, what: string, limit = MAX_JSON_NESTING): string | null {
  const depth = jsonNestingDepth(text);
  return depth > limit ? `${what} is nested ${depth} levels deep; at most ${limit} levels are accepted` : null;
}
