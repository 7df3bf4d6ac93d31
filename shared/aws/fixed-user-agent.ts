/**
 * The SDK builds a client's default user agent again for every request: the
 * same sections each time (SDK and client version, OS and its release, Node's
 * version, the service), and Node asks the kernel for the OS release on every
 * call. None of it changes while the process runs, so each client asks its
 * own provider (the SDK's) once and answers every later request with that.
 * The application id and the per-request features are added by the user agent
 * middleware itself, as before.
 */

type UserAgentProvider = () => Promise<unknown[]>;

/** Has `client` build its default user agent once; returns the client. */
export function withFixedUserAgent<T extends { config: object }>(client: T): T {
  const config = client.config as { defaultUserAgentProvider?: UserAgentProvider };
  const build = config.defaultUserAgentProvider;
  if (typeof build !== 'function') return client;
  let built: Promise<unknown[]> | undefined;
  config.defaultUserAgentProvider = () => {
    if (built === undefined) {
      built = build();
      built.catch(() => (built = undefined));
    }
    // A new array each time: the middleware's copy is its own to extend.
    return built.then((sections) => [...sections]);
  };
  return client;
}
