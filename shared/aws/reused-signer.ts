/**
 * The SDK makes a new SigV4 signer for every request it signs: it copies the
 * whole client configuration into the new signer's options, and the new
 * signer derives the day's signing key again (four HMACs), since each signer
 * caches keys of its own. What a signer is made from is fixed for one client:
 * its credentials provider, region and service, and the auth scheme its
 * endpoint names. So each client keeps the signer its own factory (the SDK's)
 * made for each auth scheme. Credentials are still asked for at every
 * signature (the provider refreshes expiring ones) and the signer's key cache
 * is keyed by day, region, service and credentials, so a reused signer signs
 * exactly as a new one.
 */

/** The part of an auth scheme a signer is made from. */
interface AuthSchemeShape {
  name: string;
  signingName?: string;
  signingRegion?: string;
  signingRegionSet?: string[];
}

type SignerFactory = (authScheme?: AuthSchemeShape) => Promise<unknown>;

/** Has `client` make its signer once per auth scheme instead of once per request; returns the client. */
export function withReusedSigner<T extends { config: object }>(client: T): T {
  const config = client.config as { signer?: SignerFactory };
  const make = config.signer;
  if (typeof make !== 'function') return client;
  const made = new Map<string, Promise<unknown>>();
  config.signer = (authScheme) => {
    const key = authScheme ? `${authScheme.name}|${authScheme.signingName}|${authScheme.signingRegion}|${authScheme.signingRegionSet?.join(',')}` : '';
    let signer = made.get(key);
    if (signer === undefined) {
      made.set(key, (signer = make(authScheme)));
      // A factory that failed (a region provider that threw) is asked again next time.
      signer.catch(() => made.delete(key));
    }
    return signer;
  };
  return client;
}
