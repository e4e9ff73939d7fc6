// Credential providers: where credentials come from when the caller does not pass them itself.
// The providers, the INI parser, the ECS metadata client and the cache live in
// src/internal/provide.ts, which loads on first use (the build makes it an import of the package's
// own `./internal/provide` export), so a client with static credentials neither loads nor bundles
// them. What is here is only what a caller names.
import type { Credentials } from "./auth.js";
import { CredentialsError } from "./errors.js";
import { lazily } from "./internal/lazy.js";

/** Credentials as a provider returns them: a token or an access key pair, and what is known about them. */
export type ProvidedCredentials = Credentials & {
  /** When they stop working; the client gets new ones before then (temporary credentials). */
  expiresAt?: Date | undefined;
  /** The tenant (account, "domain") ID, from the profile's `[global] domain_id` or `HUAWEICLOUD_SDK_DOMAIN_ID`. */
  domainId?: string | undefined;
  /**
   * The IAM project ID of the region (`[basic] project_id` or `HUAWEICLOUD_SDK_PROJECT_ID`), sent
   * signed as `X-Project-Id` with an access key pair. Not the CodeArts `project_id` parameter.
   */
  projectId?: string | undefined;
  /** Where they came from (`environment`, `profile <path>`, `ECS metadata`): a place, never a value. */
  source?: string | undefined;
};

/** A source of credentials; the client calls it again before the ones it returned expire. */
export type CredentialsProvider = () => Promise<ProvidedCredentials>;

/** Options of `fromProfile`. */
export interface ProfileOptions {
  /** The credentials file; default `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials`. */
  file?: string | undefined;
}

/** Options of `fromEcsMetadata`. */
export interface EcsMetadataOptions {
  /**
   * The metadata service; default `CODEARTS_ECS_METADATA_ENDPOINT`, else `http://169.254.169.254`.
   * Without it, `CODEARTS_ECS_METADATA_DISABLED=true` turns the provider off (it finds nothing).
   */
  endpoint?: string | undefined;
  /** Timeout of each of its (at most two) requests, in milliseconds; default 1,000. */
  timeoutMs?: number | undefined;
}

// One loader for every provider and every client that uses one.
/** @internal */
export const loadProviders = lazily(
  () => import("./internal/provide.js"),
  (cause) => new CredentialsError("The credential providers could not be loaded", { cause }),
);

// A provider made once its module has loaded; calling it before then loads the module.
function lazyProvider(make: (module: typeof import("./internal/provide.js")) => CredentialsProvider): CredentialsProvider {
  let provider: CredentialsProvider | undefined;
  return async () => (provider ??= make(await loadProviders()))();
}

/** Credentials from `HUAWEICLOUD_SDK_AK`/`_SK` (+ `_SECURITY_TOKEN`) or `HUAWEICLOUD_SDK_TOKEN`, with `HUAWEICLOUD_SDK_PROJECT_ID` and `HUAWEICLOUD_SDK_DOMAIN_ID`. */
export const fromEnv = (): CredentialsProvider => lazyProvider((m) => m.fromEnv(CredentialsError));

/** Credentials from the profile file (`[basic]` or `[global]` section): `file`, else `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials`. */
export const fromProfile = (options?: ProfileOptions): CredentialsProvider => lazyProvider((m) => m.fromProfile(CredentialsError, options));

/** Temporary credentials of the ECS's agency from the ECS metadata service; gives up after `timeoutMs` off ECS. */
export const fromEcsMetadata = (options?: EcsMetadataOptions): CredentialsProvider => lazyProvider((m) => m.fromEcsMetadata(CredentialsError, options));

/** The first credentials any of the providers gives, tried in order; a `CredentialsError` naming every place looked when none does. */
export const credentialChain = (...providers: CredentialsProvider[]): CredentialsProvider =>
  lazyProvider((m) => m.credentialChain(CredentialsError, providers));
