// Temporary credentials of an ECS's agency, from the ECS metadata service, as Huawei's SDKs get them.
import { ENV_VARIABLES, nonBlank, processEnv, type Env } from "../environment.js";
import type { CredentialsProvider } from "./credentials.js";
import { withExtra } from "./env.js";
import { keyPair, noCredentials } from "./failure.js";

/** Options of `fromEcsMetadata`. */
export interface EcsMetadataOptions {
  /**
   * The metadata service; default `CODEARTS_ECS_METADATA_ENDPOINT`, else `http://169.254.169.254`.
   * Without it, `CODEARTS_ECS_METADATA_DISABLED=true` turns the provider off (it finds nothing).
   */
  endpoint?: string | undefined;
  /** Timeout of each of its (at most two) requests, in milliseconds; default 1,000. */
  timeoutMs?: number | undefined;
  /** The environment to read those two variables from; default `process.env`, read at each call. */
  env?: Env | undefined;
}

/** The default ECS metadata service (link-local: reachable from an ECS only). */
const ECS_METADATA_ENDPOINT = "http://169.254.169.254";
const ECS_TIMEOUT_MS = 1000;
// Huawei's SDKs ask for six hours; the token only guards the next two requests.
const ECS_TOKEN_TTL_SECONDS = "21600";
// Statuses that mean "this metadata service has no session tokens": go on without one.
const NO_SESSION_TOKEN = new Set([404, 405, 503]);

/**
 * Temporary credentials of the ECS's agency from the ECS metadata service: a session token (when
 * the service has them), then the agency's temporary security key. Gives up after `timeoutMs`
 * off an ECS.
 */
export function fromEcsMetadata(options: EcsMetadataOptions = {}): CredentialsProvider {
  const timeoutMs = options.timeoutMs ?? ECS_TIMEOUT_MS;
  return async () => {
    // Read at each call, like the other providers' variables; an endpoint given in code wins.
    const env = options.env ?? processEnv() ?? {};
    const given = nonBlank(options.endpoint);
    if (given === undefined && env[ENV_VARIABLES.ecsMetadataDisabled]?.trim().toLowerCase() === "true") {
      throw noCredentials([`ECS metadata (disabled by ${ENV_VARIABLES.ecsMetadataDisabled})`], false);
    }
    const endpoint = (given ?? nonBlank(env[ENV_VARIABLES.ecsMetadataEndpoint]) ?? ECS_METADATA_ENDPOINT).replace(/\/+$/, "");
    const place = `ECS metadata ${endpoint}`;
    if (!/^https?:\/\/[^/]/i.test(endpoint) || !URL.canParse(endpoint)) throw noCredentials([`${place} (not an http or https URL)`], true);
    if (!(timeoutMs > 0 && timeoutMs < 2 ** 31)) throw noCredentials([`${place} (timeoutMs must be a positive number of milliseconds)`], true);
    const ask = async (method: string, path: string, headers: Record<string, string>): Promise<Response> => {
      try {
        // Never redirected: the session token goes to this service only.
        return await fetch(`${endpoint}${path}`, { method, headers, redirect: "error", signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw noCredentials([`${place} (${reasonOf(error, timeoutMs)})`], false, error);
      }
    };
    const tokenResponse = await ask("PUT", "/meta-data/latest/api/token", { "X-Metadata-Token-Ttl-Seconds": ECS_TOKEN_TTL_SECONDS });
    const session = await readText(tokenResponse, timeoutMs);
    const headers: Record<string, string> = {};
    if (tokenResponse.ok && session.trim() !== "") headers["X-Metadata-Token"] = session.trim();
    else if (!NO_SESSION_TOKEN.has(tokenResponse.status)) throw noCredentials([`${place} (session token: HTTP ${tokenResponse.status})`], false);
    const keyResponse = await ask("GET", "/openstack/latest/securitykey", headers);
    const text = await readText(keyResponse, timeoutMs);
    if (!keyResponse.ok) {
      const hint = keyResponse.status === 404 ? ", no agency bound to this ECS?" : "";
      throw noCredentials([`${place} (security key: HTTP ${keyResponse.status}${hint})`], false);
    }
    let credential: Record<string, unknown> | undefined;
    try {
      const body = JSON.parse(text) as { credential?: unknown };
      if (body && typeof body.credential === "object" && body.credential) credential = body.credential as Record<string, unknown>;
    } catch {
      // Reported below; the body is never quoted: it holds the secret.
    }
    const field = (name: string) => (typeof credential?.[name] === "string" ? nonBlank(credential[name] as string) : undefined);
    const access = field("access");
    const secret = field("secret");
    const securityToken = field("securitytoken");
    const expires = field("expires_at");
    if (!access || !secret || !securityToken) throw noCredentials([`${place} (the answer has no credential.access, .secret and .securitytoken)`], false);
    const expiresAt = expires === undefined ? undefined : new Date(expires);
    if (expiresAt && Number.isNaN(expiresAt.getTime())) throw noCredentials([`${place} (credential.expires_at is not a date)`], false);
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
