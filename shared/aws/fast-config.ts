/**
 * An SDK client's resolved configuration is one object that its resolvers grow
 * property by property (50–70 of them), so V8 keeps it as a hash table
 * (dictionary mode). Every request then reads it step by step and copies it
 * whole into new objects several times (`{ ...config }` in the endpoint,
 * serialisation and deserialisation middleware and for the SigV4 signer):
 * each copy enumerates a hash table and sorts its keys. An object that serves
 * as a prototype is given fast properties back by V8, which makes those reads
 * and copies plain ones: about a fifth of the client's CPU per request. The
 * object keeps its identity (the middleware holds it), its prototype and every
 * property; nothing the SDK does with it changes.
 */

/** Has V8 lay `client.config` out with fast properties again; returns the client. */
export function withFastConfig<T extends { config: object }>(client: T): T {
  function Shape(): void {}
  Shape.prototype = client.config;
  // A lookup through the prototype is what has V8 convert it.
  void new (Shape as unknown as new () => { absent?: unknown })().absent;
  return client;
}
