/**
 * Plain JSON data written into a generated bundle entry as JavaScript source.
 *
 * JSON text is a JavaScript expression for the same value with one exception:
 * in an object literal, a `"__proto__"` key sets the object's prototype
 * instead of making a property. A definition can hold such a key where its
 * author names things (a tool's config, a field of an agent's answer, so a
 * property of its JSON Schema), so data holding one is written as a string
 * that `JSON.parse` reads at load, which makes it a property as the
 * definition had it; all other data stays an object literal, the smaller form.
 */

function holdsProtoKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsProtoKey);
  if (value === null || typeof value !== 'object') return false;
  return Object.keys(value).some((key) => key === '__proto__' || holdsProtoKey((value as Record<string, unknown>)[key]));
}

/** A JavaScript expression that evaluates to a copy of this JSON value. */
export function dataSource(value: unknown): string {
  const json = JSON.stringify(value);
  return holdsProtoKey(value) ? `JSON.parse(${JSON.stringify(json)})` : json;
}
