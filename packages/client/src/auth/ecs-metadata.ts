// Temporary credentials of an ECS's agency, from the ECS metadata service, as Huawei's SDKs get them.
import { endpointProblem } from "../endpoint-url.js";
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
// A session token is a few dozen bytes and the security key answer about 2 KiB: a larger answer,
// counted after decompression, is not the metadata service's, and is not read further.
const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * Temporary credentials of the ECS's agency from the ECS metadata service: a session token (when
 * the service has them), then the agency's temporary security key. Each request, its answer's
 * body included, gives up after `timeoutMs` (off an ECS: within a second); an answer over 16 KiB
 * once decompressed is refused unread.
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
    const configured = given ?? nonBlank(env[ENV_VARIABLES.ecsMetadataEndpoint]);
    // Named, never quoted: an endpoint may hold a password.
    const problem = configured === undefined ? undefined : endpointProblem(configured);
    if (problem) throw noCredentials([`ECS metadata (${given === undefined ? ENV_VARIABLES.ecsMetadataEndpoint : "the endpoint option"} ${problem})`], true);
    const endpoint = (configured ?? ECS_METADATA_ENDPOINT).trim().replace(/\/+$/, "");
    const place = `ECS metadata ${endpoint}`;
    if (!(timeoutMs > 0 && timeoutMs < 2 ** 31)) throw noCredentials([`${place} (timeoutMs must be a positive number of milliseconds)`], true);
    // One request and its answer's body, under one deadline: the status, and the body of a 2xx.
    const ask = async (what: string, method: string, path: string, headers: Record<string, string>): Promise<{ status: number; ok: boolean; text: string }> => {
      const signal = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        // Never redirected: the session token goes to this service only.
        response = await fetch(`${endpoint}${path}`, { method, headers, redirect: "error", signal });
      } catch (error) {
        throw noCredentials([`${place} (${reasonOf(error, timeoutMs)})`], false, error);
      }
      const { status, ok } = response;
      if (!ok) {
        await response.body?.cancel().catch(() => undefined);
        return { status, ok, text: "" };
      }
      try {
        return { status, ok, text: await readCapped(response, signal) };
      } catch (error) {
        const why = error instanceof AnswerTooLarge ? `is larger than ${MAX_ANSWER_BYTES / 1024} KiB` : signal.aborted ? `was not complete within ${timeoutMs} ms` : `could not be read (${reasonOf(error, timeoutMs)})`;
        throw noCredentials([`${place} (${what}: the answer ${why})`], false, error);
      }
    };
    const token = await ask("session token", "PUT", "/meta-data/latest/api/token", { "X-Metadata-Token-Ttl-Seconds": ECS_TOKEN_TTL_SECONDS });
    const headers: Record<string, string> = {};
    if (token.ok && token.text.trim() !== "") headers["X-Metadata-Token"] = token.text.trim();
    else if (!NO_SESSION_TOKEN.has(token.status)) throw noCredentials([`${place} (session token: HTTP ${token.status})`], false);
    const key = await ask("security key", "GET", "/openstack/latest/securitykey", headers);
    if (!key.ok) {
      const hint = key.status === 404 ? ", no agency bound to this ECS?" : "";
      throw noCredentials([`${place} (security key: HTTP ${key.status}${hint})`], false);
    }
    let body: { credential?: unknown } | null;
    try {
      body = JSON.parse(key.text) as { credential?: unknown } | null;
    } catch {
      // The body is never quoted: it holds the secret.
      throw noCredentials([`${place} (security key: the answer is not JSON)`], false);
    }
    const credential = body && typeof body.credential === "object" && body.credential ? (body.credential as Record<string, unknown>) : undefined;
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

class AnswerTooLarge extends Error {}

// Reads the body as it arrives (fetch has already decompressed it) and stops at the cap, so that
// a small gzip body that inflates to gigabytes is never inflated past it. The deadline is raced
// explicitly: a body that drips in must not outlive it, whatever the runtime does with `signal`.
async function readCapped(response: Response, signal: AbortSignal): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  try {
    for (;;) {
      const chunk = await Promise.race([reader.read(), aborted]);
      if (chunk.done) return text + decoder.decode();
      bytes += chunk.value.byteLength;
      if (bytes > MAX_ANSWER_BYTES) throw new AnswerTooLarge();
      text += decoder.decode(chunk.value, { stream: true });
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort!);
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
