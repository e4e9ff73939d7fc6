// What the client reads from its environment, named in one place: the variables Huawei's SDKs
// read (credentials, endpoint overrides, the regions file) and the ones this toolkit adds (the
// region, the ECS metadata switches), and how Node's own modules are reached without a bundler
// ever pulling them into a browser build.

/** An environment: variable names to values, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The name of each environment variable the client reads. */
export const ENV_VARIABLES = {
  /** The region when `createClient`'s `region` option is left out. */
  region: "HUAWEICLOUD_SDK_REGION",
  /** Access key ID (`fromEnv`). */
  accessKey: "HUAWEICLOUD_SDK_AK",
  /** Secret access key (`fromEnv`). */
  secretKey: "HUAWEICLOUD_SDK_SK",
  /** Security token of temporary credentials (`fromEnv`). */
  securityToken: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
  /** An IAM token (`fromEnv`), used when no access key pair is set. */
  token: "HUAWEICLOUD_SDK_TOKEN",
  /** The IAM project ID of the region, sent signed as `X-Project-Id` with an access key pair: not a CodeArts project ID. */
  projectId: "HUAWEICLOUD_SDK_PROJECT_ID",
  /** The tenant (account domain) ID, when `createClient`'s `tenantId` option is left out. */
  domainId: "HUAWEICLOUD_SDK_DOMAIN_ID",
  /** The profile file `fromProfile` reads, instead of `~/.huaweicloud/credentials`. */
  credentialsFile: "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
  /** The ECS metadata service `fromEcsMetadata` asks, instead of `http://169.254.169.254` (named after AWS's `AWS_EC2_METADATA_SERVICE_ENDPOINT`). */
  ecsMetadataEndpoint: "CODEARTS_ECS_METADATA_ENDPOINT",
  /** `true` turns `fromEcsMetadata` off (named after AWS's `AWS_EC2_METADATA_DISABLED`). */
  ecsMetadataDisabled: "CODEARTS_ECS_METADATA_DISABLED",
  /** The regions file, instead of `~/.huaweicloud/regions.yaml`. */
  regionsFile: "HUAWEICLOUD_SDK_REGIONS_FILE",
  /** IAM's endpoints, in any region (one URL or several, comma-separated). */
  iamEndpoint: "HUAWEICLOUD_SDK_IAM_ENDPOINT",
} as const;

/** The settings an environment holds for a client, each `undefined` when its variable is unset or blank. */
export interface EnvironmentSettings {
  /** `HUAWEICLOUD_SDK_REGION`: the region to call. */
  region: string | undefined;
  /** `HUAWEICLOUD_SDK_DOMAIN_ID`: the tenant (account domain) ID. */
  tenantId: string | undefined;
  /** `HUAWEICLOUD_SDK_PROJECT_ID`: the IAM project ID of the region (sent as `X-Project-Id` with an access key pair). */
  projectId: string | undefined;
}

/**
 * The region, tenant ID and IAM project ID an environment sets, as `createClient` and `fromEnv`
 * read them (default: `process.env` where there is one).
 */
export function environmentSettings(env: Env | undefined = processEnv()): EnvironmentSettings {
  return {
    region: nonBlank(env?.[ENV_VARIABLES.region]),
    tenantId: nonBlank(env?.[ENV_VARIABLES.domainId]),
    projectId: nonBlank(env?.[ENV_VARIABLES.projectId]),
  };
}

/** A value, or undefined when it is missing or only whitespace: a blank variable is an unset one. */
export function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** `process.env` where there is one (Node, Bun, Deno); undefined in a browser. */
export function processEnv(): Env | undefined {
  return (globalThis as { process?: { env?: Env } }).process?.env;
}

type NodeModules = { "node:fs/promises": typeof import("node:fs/promises"); "node:os": typeof import("node:os"); "node:crypto": typeof import("node:crypto") };

/**
 * One of Node's own modules, or undefined where there is none (a browser). Asked of
 * `process.getBuiltinModule` (Node 20.16 and later, Bun, Deno), which no bundler follows, and
 * otherwise imported by a computed name, which none follows either.
 */
export async function nodeModule<Name extends keyof NodeModules>(name: Name): Promise<NodeModules[Name] | undefined> {
  const builtin = nodeModuleNow(name);
  if (builtin) return builtin;
  try {
    return (await import(/* webpackIgnore: true */ /* @vite-ignore */ name)) as NodeModules[Name];
  } catch {
    return undefined;
  }
}

/** {@link nodeModule} where the runtime hands it over synchronously (`process.getBuiltinModule`), else undefined. */
export function nodeModuleNow<Name extends keyof NodeModules>(name: Name): NodeModules[Name] | undefined {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return process?.getBuiltinModule?.(name) as NodeModules[Name] | undefined;
}

/** The user's home directory: `HOME`, else `USERPROFILE`, else the operating system's answer; undefined where there is none. */
export async function homeDirectory(env: Env | undefined): Promise<string | undefined> {
  return env?.HOME || env?.USERPROFILE || (await nodeModule("node:os"))?.homedir() || undefined;
}
