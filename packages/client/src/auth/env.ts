// Credentials from environment variables, named as Huawei's SDKs name them.
import { ENV_VARIABLES, nonBlank, processEnv, type Env } from "../environment.js";
import type { Credentials, CredentialsProvider, ProvidedCredentials } from "./credentials.js";
import { keyPair, noCredentials } from "./failure.js";

/** Options of `fromEnv`. */
export interface EnvOptions {
  /** The environment to read; default `process.env`, read at each call. */
  env?: Env | undefined;
}

const { accessKey: AK, secretKey: SK, securityToken: SECURITY_TOKEN, token: TOKEN, projectId: PROJECT_ID, domainId: DOMAIN_ID } = ENV_VARIABLES;

/**
 * Credentials from `HUAWEICLOUD_SDK_AK`/`_SK` (+ `_SECURITY_TOKEN`) or `HUAWEICLOUD_SDK_TOKEN`, with
 * `HUAWEICLOUD_SDK_PROJECT_ID` and `HUAWEICLOUD_SDK_DOMAIN_ID`: an access key pair before a token,
 * as Huawei's SDKs read them.
 */
export function fromEnv(options: EnvOptions = {}): CredentialsProvider {
  return async () => {
    const env = options.env ?? processEnv() ?? {};
    const source = "environment";
    const ak = nonBlank(env[AK]);
    const sk = nonBlank(env[SK]);
    const token = nonBlank(env[TOKEN]);
    const extra = { projectId: nonBlank(env[PROJECT_ID]), domainId: nonBlank(env[DOMAIN_ID]), source };
    if (ak !== undefined || sk !== undefined) {
      if (ak === undefined) throw noCredentials([`${source} (${SK} is set but ${AK} is not)`], true);
      if (sk === undefined) throw noCredentials([`${source} (${AK} is set but ${SK} is not)`], true);
      return withExtra(keyPair(ak, sk, nonBlank(env[SECURITY_TOKEN])), extra);
    }
    if (token !== undefined) return withExtra({ token }, extra);
    throw noCredentials([`${source} (${AK}/${SK} and ${TOKEN} not set)`], false);
  };
}

/** Credentials with only those of `extra`'s fields that have a value, so that a result compares and prints without `undefined`s. */
export function withExtra(credentials: Credentials, extra: Omit<ProvidedCredentials, keyof Credentials>): ProvidedCredentials {
  const result: Record<string, unknown> = { ...credentials };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) result[key] = value;
  return result as unknown as ProvidedCredentials;
}
