// Providers tried in order, and the default chain in the order Huawei's SDKs use.
import { CredentialsError } from "../errors.js";
import type { Env } from "../environment.js";
import type { CredentialsProvider } from "./credentials.js";
import { fromEcsMetadata } from "./ecs-metadata.js";
import { fromEnv } from "./env.js";
import { foundNothing, noCredentials } from "./failure.js";
import { fromProfile } from "./profile.js";

/** The first credentials any of the providers gives, tried in order; a `CredentialsError` naming every place looked when none does. */
export function credentialChain(...providers: CredentialsProvider[]): CredentialsProvider {
  return async () => {
    const sources: string[] = [];
    let cause: unknown;
    for (const [index, provider] of providers.entries()) {
      try {
        if (typeof provider !== "function") throw new TypeError("not a function");
        return await provider();
      } catch (error) {
        const theirs = error instanceof CredentialsError ? error.sources : undefined;
        // Someone else's provider threw something else: its message is not ours to repeat.
        sources.push(...(Array.isArray(theirs) ? theirs : [`provider ${index + 1} (failed: ${(error as Error | null)?.name ?? "error"})`]));
        cause = error;
        if (error instanceof CredentialsError && !foundNothing(error)) throw noCredentials(sources, true, error);
      }
    }
    throw noCredentials(sources.length ? sources : ["no providers given"], false, cause);
  };
}

/** Options of `defaultCredentialChain`. */
export interface DefaultChainOptions {
  /** The environment every step reads; default `process.env`. */
  env?: Env | undefined;
  /** Called with one line when a step's source is usable but unsafe (a credentials file others can read: `fromProfile`'s `onWarning`); default none. */
  onWarning?: ((message: string) => void) | undefined;
}

/**
 * The chain a client uses when it is given no credentials, in Huawei's order: `fromEnv()`, then
 * `fromProfile()`, then `fromEcsMetadata()`, each reading `env`.
 */
export function defaultCredentialChain(options: DefaultChainOptions = {}): CredentialsProvider {
  const { env, onWarning } = options;
  return credentialChain(fromEnv({ env }), fromProfile({ env, onWarning }), fromEcsMetadata({ env }));
}
