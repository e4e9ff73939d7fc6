// Credentials kept between requests and refreshed before they expire: the cache every client
// keeps of its credentials, and `cachedCredentials`, the same cache shared by several clients.
import { CredentialsError } from "../errors.js";
import { createAuthenticator, type Authenticator, type Credentials, type CredentialsProvider, type ProvidedCredentials } from "./credentials.js";
import { noCredentials } from "./failure.js";

// Refresh when less than this much, or half the lifetime, is left (Huawei's SDKs refresh well ahead).
const REFRESH_AHEAD_MS = 2 * 60 * 60 * 1000;
// Never start a request with credentials closer to expiry than this: it must reach the gateway in time.
const EXPIRY_MARGIN_MS = 60 * 1000;
// A failed refresh while the old credentials still work is tried again this much later, not on every request.
const RETRY_REFRESH_MS = 10 * 1000;

/** The credentials in use, how to authenticate with them, and when they are due. */
export interface CurrentCredentials {
  credentials: ProvidedCredentials;
  /** A token header, or a signature covering `X-Project-Id` when the IAM project ID is known. */
  authenticate: Authenticator;
  /** When to get new ones, in the background while these still work. */
  refreshAt: number;
  /** The last moment a request may start with these. */
  usableUntil: number;
}

/**
 * The cache of one provider's credentials. Concurrent callers share one provider call;
 * credentials are refreshed when less than two hours or half their lifetime is left, in the
 * background while they still work, and never handed out within a minute of expiry. What a
 * provider returns is checked by the rules static credentials follow (src/auth/credentials.ts);
 * `received` sees every credential accepted (the client learns them for its redactor).
 */
export function credentialsCache(provider: CredentialsProvider, received?: (credentials: ProvidedCredentials) => void): () => Promise<CurrentCredentials> {
  let current: CurrentCredentials | undefined;
  let pending: Promise<CurrentCredentials> | undefined;
  let quietUntil = 0;

  const refresh = (): Promise<CurrentCredentials> =>
    (pending ??= (async () => {
      try {
        return (current = accept(await ask(provider), received));
      } finally {
        pending = undefined;
      }
    })());

  return () => {
    const time = Date.now();
    if (current && time < current.refreshAt) return Promise.resolve(current);
    if (current && time < current.usableUntil) {
      if (time >= quietUntil) {
        refresh().catch(() => {
          // The current credentials still work; try again a little later.
          quietUntil = Date.now() + RETRY_REFRESH_MS;
        });
      }
      return Promise.resolve(current);
    }
    return refresh();
  };
}

/**
 * A provider that asks `provider` once, then again only when its credentials are due for the
 * refresh a client makes, by one call however many ask at once. Give it to several clients (one
 * per region, say) and they share one source: the ECS metadata service is asked once, not once
 * per client.
 */
export function cachedCredentials(provider: CredentialsProvider): CredentialsProvider {
  const cache = credentialsCache(provider);
  return async () => (await cache()).credentials;
}

/** A provider of static credentials, which are checked at once: `InvalidParameterError` for unusable ones. */
export function staticCredentials(credentials: Credentials): CredentialsProvider {
  createAuthenticator(credentials);
  return () => Promise.resolve(credentials);
}

async function ask(provider: CredentialsProvider): Promise<ProvidedCredentials> {
  try {
    return await provider();
  } catch (error) {
    if (error instanceof CredentialsError) throw error;
    // A caller's own provider failed: its message is its own, and may quote anything.
    throw noCredentials([`the credentials provider (failed: ${(error as Error | null)?.name ?? "error"})`], true, error);
  }
}

function accept(credentials: ProvidedCredentials, received: ((credentials: ProvidedCredentials) => void) | undefined): CurrentCredentials {
  const source = typeof credentials?.source === "string" ? credentials.source : "the credentials provider";
  let authenticate: Authenticator;
  try {
    if (!credentials || typeof credentials !== "object") throw new Error("pass { token } or { accessKey, secretKey }");
    // Learnt before the check: an unusable value may still be echoed by whoever saw it.
    received?.(credentials);
    authenticate = createAuthenticator(credentials);
    const { domainId } = credentials;
    if (domainId !== undefined && !(typeof domainId === "string" && /^[\x21-\x7e]+$/.test(domainId))) throw new Error("Invalid credentials.domainId: must be printable ASCII, without spaces");
  } catch (error) {
    throw noCredentials([`${source} (unusable: ${(error as Error).message})`], true);
  }
  const now = Date.now();
  const { expiresAt } = credentials;
  if (expiresAt === undefined) return { credentials, authenticate, refreshAt: Infinity, usableUntil: Infinity };
  const expires = expiresAt instanceof Date ? expiresAt.getTime() : NaN;
  if (Number.isNaN(expires)) throw noCredentials([`${source} (unusable: expiresAt is not a valid Date)`], true);
  const usableUntil = expires - EXPIRY_MARGIN_MS;
  if (usableUntil <= now) throw noCredentials([`${source} (expired at ${new Date(expires).toISOString()})`], true);
  const ahead = Math.min(REFRESH_AHEAD_MS, (expires - now) / 2);
  // A lifetime of under two minutes would put the refresh point past the last usable moment.
  return { credentials, authenticate, refreshAt: Math.min(expires - ahead, usableUntil), usableUntil };
}
