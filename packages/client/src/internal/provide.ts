/**
 * The credential providers (environment, profile file, ECS metadata, a chain of them) and the
 * per-client cache that refreshes what they return before it expires. Loaded on first use
 * through the package's `./internal/provide` export (src/providers.ts, src/client.ts): a client
 * with static credentials never loads it. Not public API; it may change in any release.
 *
 * Built on its own, this module would carry its own copies of the error classes; the class a
 * failure is thrown as is therefore passed in, so that `instanceof` sees the main module's.
 * Node's modules are imported by a computed name, so that a browser bundle of the client still
 * builds (the environment and profile steps then find nothing).
 *
 * @internal
 * @module
 */
import type { Authenticator, Credentials, createAuthenticator } from "../auth.js";
import type { CredentialsError } from "../errors.js";
import type { CredentialsProvider, EcsMetadataOptions, ProfileOptions, ProvidedCredentials } from "../providers.js";

/** The main module's `CredentialsError`. */
export type FailureClass = typeof CredentialsError;

/** The default ECS metadata service (link-local: reachable from an ECS only). */
export const ECS_METADATA_ENDPOINT = "http://169.254.169.254";
const ECS_TIMEOUT_MS = 1000;
// Huawei's SDKs ask for six hours; the token only guards the next two requests.
const ECS_TOKEN_TTL_SECONDS = "21600";
// Statuses that mean "this metadata service has no session tokens": go on without one.
const NO_SESSION_TOKEN = new Set([404, 405, 503]);
// Refresh when less than this much, or half the lifetime, is left (Huawei's SDKs refresh well ahead).
const REFRESH_AHEAD_MS = 2 * 60 * 60 * 1000;
// Never start a request with credentials closer to expiry than this: it must reach the gateway in time.
const EXPIRY_MARGIN_MS = 60 * 1000;
// A failed refresh while the old credentials still work is tried again this much later, not on every request.
const RETRY_REFRESH_MS = 10 * 1000;

const NOT_FOUND = Symbol("not found here");

// A failure names the places looked, each with why it gave nothing. `final` stops a chain: a
// source that is configured but broken must be fixed, not silently skipped for the next one.
function failure(Failure: FailureClass, sources: string[], final: boolean, cause?: unknown): CredentialsError {
  const error = Object.assign(new Failure(`No credentials: ${sources.join("; ")}`, { cause }), { sources });
  if (!final) (error as unknown as Record<symbol, boolean>)[NOT_FOUND] = true;
  return error;
}

const isNotFound = (error: unknown): boolean => !!error && (error as Record<symbol, unknown>)[NOT_FOUND] === true;

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === "" ? undefined : value);

function keyPair(accessKey: string, secretKey: string, securityToken: string | undefined): Credentials {
  return securityToken === undefined ? { accessKey, secretKey } : { accessKey, secretKey, securityToken };
}

/** The name of each environment variable `fromEnv` reads. */
export const ENV_NAMES = {
  accessKey: "HUAWEICLOUD_SDK_AK",
  secretKey: "HUAWEICLOUD_SDK_SK",
  securityToken: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
  token: "HUAWEICLOUD_SDK_TOKEN",
  projectId: "HUAWEICLOUD_SDK_PROJECT_ID",
  domainId: "HUAWEICLOUD_SDK_DOMAIN_ID",
  credentialsFile: "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
  // Named after AWS's AWS_EC2_METADATA_SERVICE_ENDPOINT and AWS_EC2_METADATA_DISABLED.
  ecsMetadataEndpoint: "CODEARTS_ECS_METADATA_ENDPOINT",
  ecsMetadataDisabled: "CODEARTS_ECS_METADATA_DISABLED",
} as const;

const processEnv = (): Record<string, string | undefined> => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};

/** `fromEnv`: an access key pair before a token, as Huawei's SDKs read them. */
export function fromEnv(Failure: FailureClass): CredentialsProvider {
  return async () => {
    const env = processEnv();
    const source = "environment";
    const ak = nonEmpty(env[ENV_NAMES.accessKey]);
    const sk = nonEmpty(env[ENV_NAMES.secretKey]);
    const token = nonEmpty(env[ENV_NAMES.token]);
    const extra = { projectId: nonEmpty(env[ENV_NAMES.projectId]), domainId: nonEmpty(env[ENV_NAMES.domainId]), source };
    if (ak !== undefined || sk !== undefined) {
      if (ak === undefined) throw failure(Failure, [`${source} (${ENV_NAMES.secretKey} is set but ${ENV_NAMES.accessKey} is not)`], true);
      if (sk === undefined) throw failure(Failure, [`${source} (${ENV_NAMES.accessKey} is set but ${ENV_NAMES.secretKey} is not)`], true);
      return withExtra(keyPair(ak, sk, nonEmpty(env[ENV_NAMES.securityToken])), extra);
    }
    if (token !== undefined) return withExtra({ token }, extra);
    throw failure(Failure, [`${source} (${ENV_NAMES.accessKey}/${ENV_NAMES.secretKey} and ${ENV_NAMES.token} not set)`], false);
  };
}

// Only the fields that have a value, so that a result compares and prints without `undefined`s.
function withExtra(credentials: Credentials, extra: Omit<ProvidedCredentials, keyof Credentials>): ProvidedCredentials {
  const result: Record<string, unknown> = { ...credentials };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) result[key] = value;
  return result as unknown as ProvidedCredentials;
}

/** One line of a profile file that is not INI, by its number only: the line may hold a secret. */
export class IniSyntaxError extends Error {
  override name = "IniSyntaxError";
  constructor(readonly line: number) {
    super(`line ${line} is not a [section], a key = value or a comment`);
  }
}

/**
 * Parses INI as Huawei's SDKs read their credentials file (Python's configparser): `[section]`
 * headers, `key = value` or `key: value` (split at the first `=` or `:`, so a value may contain
 * either), whole-line comments starting with `#` or `;`, blank lines, CRLF or LF, a byte order
 * mark. Section and key names are case-insensitive (lower-cased); values are trimmed and kept
 * otherwise as written (no inline comments: a secret key may contain `#` or `;`). A later key
 * or section of the same name wins. Keys before any section go to `""`.
 */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = Object.create(null);
  let section = (sections[""] = Object.create(null) as Record<string, string>);
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n|\r/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      const name = (header[1] ?? "").trim().toLowerCase();
      section = sections[name] ??= Object.create(null) as Record<string, string>;
      return;
    }
    const at = line.search(/[=:]/);
    const key = at > 0 ? line.slice(0, at).trim().toLowerCase() : "";
    if (key === "") throw new IniSyntaxError(index + 1);
    section[key] = line.slice(at + 1).trim();
  });
  return sections;
}

// Node's modules, by a computed name (see the module comment); undefined where there are none.
async function nodeModule<T>(name: string): Promise<T | undefined> {
  const specifier = `node:${name}`;
  try {
    return (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as T;
  } catch {
    return undefined;
  }
}

/** `fromProfile`: `[basic]` keys (with `project_id`) when it has an `ak`, else `[global]`'s; `domain_id` from `[global]`. */
export function fromProfile(Failure: FailureClass, options: ProfileOptions = {}): CredentialsProvider {
  return async () => {
    const fs = await nodeModule<typeof import("node:fs/promises")>("fs/promises");
    const os = await nodeModule<typeof import("node:os")>("os");
    const path = await nodeModule<typeof import("node:path")>("path");
    const named = nonEmpty(options.file) ?? nonEmpty(processEnv()[ENV_NAMES.credentialsFile]);
    if (!fs || !os || !path) throw failure(Failure, ["profile (no file system here)"], false);
    const file = named ?? path.join(os.homedir(), ".huaweicloud", "credentials");
    const source = `profile ${file}`;
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // A file someone named must exist; the default one is only looked for.
      if (code === "ENOENT" && named === undefined) throw failure(Failure, [`${source} (no such file)`], false);
      throw failure(Failure, [`${source} (cannot be read: ${typeof code === "string" ? code : "error"})`], true, error);
    }
    let ini: Record<string, Record<string, string>>;
    try {
      ini = parseIni(text);
    } catch (error) {
      throw failure(Failure, [`${source} (${(error as Error).message})`], true);
    }
    const basic = ini["basic"] ?? {};
    const global = ini["global"] ?? {};
    const chosen = nonEmpty(basic["ak"]) !== undefined || nonEmpty(basic["sk"]) !== undefined ? ["basic", basic] as const : ["global", global] as const;
    const [name, keys] = chosen;
    const ak = nonEmpty(keys["ak"]);
    const sk = nonEmpty(keys["sk"]);
    if (ak === undefined && sk === undefined) throw failure(Failure, [`${source} (no ak and sk in [basic] or [global])`], false);
    if (ak === undefined || sk === undefined) throw failure(Failure, [`${source} ([${name}] has ${ak === undefined ? "sk but no ak" : "ak but no sk"})`], true);
    return withExtra(keyPair(ak, sk, nonEmpty(keys["security_token"])), {
      projectId: nonEmpty(basic["project_id"]),
      domainId: nonEmpty(global["domain_id"]),
      source,
    });
  };
}

/** `fromEcsMetadata`: a session token (when the service has them), then the agency's temporary security key. */
export function fromEcsMetadata(Failure: FailureClass, options: EcsMetadataOptions = {}): CredentialsProvider {
  const timeoutMs = options.timeoutMs ?? ECS_TIMEOUT_MS;
  return async () => {
    // Read at each call, like the other providers' variables; an endpoint given in code wins.
    const env = processEnv();
    const given = nonEmpty(options.endpoint);
    if (given === undefined && env[ENV_NAMES.ecsMetadataDisabled]?.trim().toLowerCase() === "true") {
      throw failure(Failure, [`ECS metadata (disabled by ${ENV_NAMES.ecsMetadataDisabled})`], false);
    }
    const endpoint = (given ?? nonEmpty(env[ENV_NAMES.ecsMetadataEndpoint]) ?? ECS_METADATA_ENDPOINT).replace(/\/+$/, "");
    const place = `ECS metadata ${endpoint}`;
    if (!/^https?:\/\/[^/]/i.test(endpoint) || !URL.canParse(endpoint)) throw failure(Failure, [`${place} (not an http or https URL)`], true);
    if (!(timeoutMs > 0 && timeoutMs < 2 ** 31)) throw failure(Failure, [`${place} (timeoutMs must be a positive number of milliseconds)`], true);
    const ask = async (method: string, path: string, headers: Record<string, string>): Promise<Response> => {
      try {
        // Never redirected: the session token goes to this service only.
        return await fetch(`${endpoint}${path}`, { method, headers, redirect: "error", signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw failure(Failure, [`${place} (${reasonOf(error, timeoutMs)})`], false, error);
      }
    };
    const tokenResponse = await ask("PUT", "/meta-data/latest/api/token", { "X-Metadata-Token-Ttl-Seconds": ECS_TOKEN_TTL_SECONDS });
    const session = await readText(tokenResponse, timeoutMs);
    const headers: Record<string, string> = {};
    if (tokenResponse.ok && session.trim() !== "") headers["X-Metadata-Token"] = session.trim();
    else if (!NO_SESSION_TOKEN.has(tokenResponse.status)) throw failure(Failure, [`${place} (session token: HTTP ${tokenResponse.status})`], false);
    const keyResponse = await ask("GET", "/openstack/latest/securitykey", headers);
    const text = await readText(keyResponse, timeoutMs);
    if (!keyResponse.ok) {
      const hint = keyResponse.status === 404 ? ", no agency bound to this ECS?" : "";
      throw failure(Failure, [`${place} (security key: HTTP ${keyResponse.status}${hint})`], false);
    }
    let credential: Record<string, unknown> | undefined;
    try {
      const body = JSON.parse(text) as { credential?: unknown };
      if (body && typeof body.credential === "object" && body.credential) credential = body.credential as Record<string, unknown>;
    } catch {
      // Reported below; the body is never quoted: it holds the secret.
    }
    const field = (name: string) => (typeof credential?.[name] === "string" ? nonEmpty(credential[name] as string) : undefined);
    const access = field("access");
    const secret = field("secret");
    const securityToken = field("securitytoken");
    const expires = field("expires_at");
    if (!access || !secret || !securityToken) throw failure(Failure, [`${place} (the answer has no credential.access, .secret and .securitytoken)`], false);
    const expiresAt = expires === undefined ? undefined : new Date(expires);
    if (expiresAt && Number.isNaN(expiresAt.getTime())) throw failure(Failure, [`${place} (credential.expires_at is not a date)`], false);
    return withExtra(keyPair(access, secret, securityToken), { expiresAt, source: "ECS metadata" });
  };
}

async function readText(response: Response, timeoutMs: number): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw new Error(`the answer could not be read: ${reasonOf(error, timeoutMs)}`, { cause: error });
  }
}

// Why a request got no answer, by the socket's error code: never a header or a body.
function reasonOf(error: unknown, timeoutMs: number): string {
  let innermost = error;
  while (innermost instanceof Error && innermost.cause instanceof Error) innermost = innermost.cause;
  const name = (innermost as { name?: unknown } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const code = (innermost as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "unreachable";
}

/** `credentialChain`: the first provider that gives credentials; one failure listing every place looked otherwise. */
export function credentialChain(Failure: FailureClass, providers: readonly CredentialsProvider[]): CredentialsProvider {
  return async () => {
    const sources: string[] = [];
    let cause: unknown;
    for (const [index, provider] of providers.entries()) {
      try {
        if (typeof provider !== "function") throw new TypeError("not a function");
        return await provider();
      } catch (error) {
        const theirs = error instanceof Failure ? error.sources : undefined;
        // Someone else's provider threw something else: its message is not ours to repeat.
        sources.push(...(Array.isArray(theirs) ? theirs : [`provider ${index + 1} (failed: ${(error as Error | null)?.name ?? "error"})`]));
        cause = error;
        if (error instanceof Failure && !isNotFound(error)) throw failure(Failure, sources, true, error);
      }
    }
    throw failure(Failure, sources.length ? sources : ["no providers given"], false, cause);
  };
}

/** The default chain, in Huawei's order: environment, profile file, ECS metadata. */
export function defaultChain(Failure: FailureClass): CredentialsProvider {
  return credentialChain(Failure, [fromEnv(Failure), fromProfile(Failure), fromEcsMetadata(Failure)]);
}

/** What the client keeps of the current credentials. */
interface Current {
  credentials: ProvidedCredentials;
  authenticate: Authenticator;
  /** When to get new ones, in the background while these still work. */
  refreshAt: number;
  /** The last moment a request may start with these. */
  usableUntil: number;
}

/** The per-client view of its credentials: what the transport authenticates with, and what tenant discovery reads. */
export interface Resolver {
  /** The credentials to use now: cached, refreshed ahead of expiry, never expired. */
  resolveCredentials(): Promise<ProvidedCredentials>;
  /** Authenticates one attempt with `resolveCredentials()`: a token, or a signature covering `X-Project-Id` when the IAM project ID is known. */
  authenticate: Authenticator;
}

/**
 * The resolver of one client for a provider (the default chain when `undefined`). Concurrent
 * calls share one provider call; credentials are refreshed when less than two hours or half
 * their lifetime is left, in the background while they still work, and a request never starts
 * with credentials that expire within a minute. `secrets` is the client's list of values to
 * redact: every credential received is added, old ones kept (a server may still echo them);
 * `check` is the main module's `createAuthenticator`, so that provided credentials follow the
 * rules static ones do.
 */
export function createResolver(
  provider: CredentialsProvider | undefined,
  secrets: unknown[],
  Failure: FailureClass,
  check: typeof createAuthenticator,
): Resolver {
  const provide = provider ?? defaultChain(Failure);
  let current: Current | undefined;
  let pending: Promise<Current> | undefined;
  let quietUntil = 0;

  const refresh = (): Promise<Current> =>
    (pending ??= (async () => {
      try {
        return (current = accept(await call(provide, Failure), secrets, Failure, check));
      } finally {
        pending = undefined;
      }
    })());

  const now = (): Promise<Current> => {
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

  return {
    resolveCredentials: async () => (await now()).credentials,
    authenticate: async (request) => {
      const { credentials, authenticate } = await now();
      // Signed like every other header: the signer signs all it is given (src/internal/sign.ts).
      if (credentials.projectId !== undefined && !("token" in credentials)) request.headers["x-project-id"] = credentials.projectId;
      return authenticate(request);
    },
  };
}

async function call(provider: CredentialsProvider, Failure: FailureClass): Promise<ProvidedCredentials> {
  try {
    return await provider();
  } catch (error) {
    if (error instanceof Failure) throw error;
    // A caller's own provider failed: its message is its own, and may quote anything.
    throw failure(Failure, [`the credentials provider (failed: ${(error as Error | null)?.name ?? "error"})`], true, error);
  }
}

// Checks what a provider returned by the rules static credentials follow (src/auth.ts), learns its
// values for redaction, and works out when to refresh.
function accept(credentials: ProvidedCredentials, secrets: unknown[], Failure: FailureClass, check: typeof createAuthenticator): Current {
  const source = typeof credentials?.source === "string" ? credentials.source : "the credentials provider";
  let authenticate: Authenticator;
  try {
    if (!credentials || typeof credentials !== "object") throw new Error("pass { token } or { accessKey, secretKey }");
    for (const field of ["token", "accessKey", "secretKey", "securityToken"] as const) {
      const value = (credentials as unknown as Record<string, unknown>)[field];
      if (typeof value === "string") secrets.push(value);
    }
    authenticate = check(credentials);
    for (const field of ["projectId", "domainId"] as const) {
      const value = credentials[field];
      if (value !== undefined && !(typeof value === "string" && /^[\x21-\x7e]+$/.test(value))) throw new Error(`Invalid credentials.${field}: must be printable ASCII, without spaces`);
    }
  } catch (error) {
    throw failure(Failure, [`${source} (unusable: ${(error as Error).message})`], true);
  }
  const received = Date.now();
  const { expiresAt } = credentials;
  if (expiresAt === undefined) return { credentials, authenticate, refreshAt: Infinity, usableUntil: Infinity };
  const expires = expiresAt instanceof Date ? expiresAt.getTime() : NaN;
  if (Number.isNaN(expires)) throw failure(Failure, [`${source} (unusable: expiresAt is not a valid Date)`], true);
  const usableUntil = expires - EXPIRY_MARGIN_MS;
  if (usableUntil <= received) throw failure(Failure, [`${source} (expired at ${new Date(expires).toISOString()})`], true);
  const ahead = Math.min(REFRESH_AHEAD_MS, (expires - received) / 2);
  // A lifetime of under two minutes would put the refresh point past the last usable moment.
  return { credentials, authenticate, refreshAt: Math.min(expires - ahead, usableUntil), usableUntil };
}
