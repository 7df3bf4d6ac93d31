/**
 * What the SDK makes again for every request although it is fixed for one
 * client; each client keeps what its own (the SDK's) factory made, and asks
 * again only after a failure.
 *
 * The SigV4 signer: made per request, from a copy of the whole client
 * configuration, and each new signer derives the day's signing key again,
 * since its key cache is its own. It is made from the client's credentials
 * provider, region and service and the auth scheme the endpoint names, so one
 * per auth scheme. Credentials are still asked for at every signature (the
 * provider refreshes expiring ones), and a signer's key cache is keyed by day,
 * region, service and credentials: a kept signer signs exactly as a new one.
 *
 * The default user agent: the same sections each time (SDK and client
 * version, OS and release, Node's version, the service), for which Node asks
 * the kernel for the OS release on every request. The user agent middleware
 * still adds the application id and each request's features, and copies the
 * sections before it extends them.
 */

type Factory = (argument?: unknown) => Promise<unknown>;

/** Has `config[name]` answer each key once (a failed answer is asked for again). */
function answerOnce(config: Record<string, unknown>, name: string, keyOf: (argument?: unknown) => string): void {
  const make = config[name] as Factory | undefined;
  if (typeof make !== 'function') return;
  const made = new Map<string, Promise<unknown>>();
  config[name] = (argument?: unknown) => {
    const key = keyOf(argument);
    let answer = made.get(key);
    if (answer === undefined) {
      made.set(key, (answer = make(argument)));
      answer.catch(() => made.delete(key));
    }
    return answer;
  };
}

/** The part of an auth scheme a signer is made from. */
interface AuthSchemeShape {
  name: string;
  signingName?: string;
  signingRegion?: string;
  signingRegionSet?: string[];
}

const authSchemeKey = (scheme?: unknown): string => {
  const s = scheme as AuthSchemeShape | undefined;
  return s ? `${s.name}|${s.signingName}|${s.signingRegion}|${s.signingRegionSet?.join(',')}` : '';
};

/** Has `client` make its signer once per auth scheme and its default user agent once; returns the client. */
export function withSignerAndUserAgentMadeOnce<T extends { config: object }>(client: T): T {
  const config = client.config as Record<string, unknown>;
  answerOnce(config, 'signer', authSchemeKey);
  answerOnce(config, 'defaultUserAgentProvider', () => '');
  return client;
}
