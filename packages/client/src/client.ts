// createClient: openapi-fetch's surface typed by the spec (`client.GET(path, init)`, `request`,
// `use`, `eject`), and one method per operation (`client.check.showTenantPackageStatus()`),
// which is a typed call of that surface. Every call takes one path: its parameters checked
// against the spec, its service's base URL resolved, then openapi-fetch (URL, Request,
// middleware), whose fetch is the transport (src/transport/transport.ts: attempts, timeouts,
// credentials, redirects refused, the body cap, failover); then the answer checked.
import createFetchClient, { type Client, type FetchOptions, type Middleware } from "openapi-fetch";
import type { paths } from "@codearts-package-status/types";
import { credentialsCache, staticCredentials } from "./auth/cache.js";
import { defaultCredentialChain } from "./auth/chain.js";
import type { Credentials, CredentialsProvider } from "./auth/credentials.js";
import type { CallOptions } from "./call-options.js";
import { createEndpointResolver } from "./endpoints/resolve.js";
import type { Endpoints } from "./endpoints/table.js";
import { environmentSettings, processEnv, type Env } from "./environment.js";
import { ApiError, InvalidParameterError } from "./errors.js";
import { OPERATIONS, type OperationId, type Service } from "./generated/operations.js";
import { METHOD_NAMES, type Resources } from "./generated/resources.js";
import { checkParameters, splitParameters } from "./parameters.js";
import { createRedactor, type Redact } from "./redact.js";
import { parseJsonBody, requestIdOf } from "./responses.js";
import { tenantResolver } from "./tenant.js";
import { createTransport } from "./transport/transport.js";
import { RETRY_DEFAULTS, retryAfterMs, type RetryOptions } from "./transport/retry.js";
import { checkResponse } from "./validation/validate.js";

/** Options of `createClient`. */
export interface ClientOptions {
  /** Huawei Cloud region, e.g. `cn-north-4`: each operation goes to its own service's host there. Default `HUAWEICLOUD_SDK_REGION` from `env`. Not checked here: a call to a service with no endpoint in it rejects with `InvalidParameterError`. */
  region?: string | undefined;
  /**
   * Per-service base URLs that replace the region's hosts (a mock server, a proxy, a private
   * endpoint); several for one service are tried in order when one cannot be reached. Without
   * one, `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}`, then the regions file
   * (`HUAWEICLOUD_SDK_REGIONS_FILE`, else `~/.huaweicloud/regions.yaml`), then the spec's table.
   */
  endpoints?: Endpoints | undefined;
  /**
   * The tenant (account domain) ID that CodeArts Pipeline's calls use when they leave `tenant_id`
   * out. Omitted: `HUAWEICLOUD_SDK_DOMAIN_ID` from `env`, else the credentials' `domainId`, else
   * IAM's answer (`KeystoneListAuthDomains`), asked once.
   */
  tenantId?: string | undefined;
  /** Where the region, the tenant ID, the endpoint overrides and the default credential chain are read from; default `process.env` where there is one. */
  env?: Env | undefined;
  /**
   * An IAM token (`{ token }`), an access key pair to sign requests with (`{ accessKey, secretKey, securityToken? }`),
   * or a provider of either (`fromEnv()`, `credentialChain(…)`, your own function). Omitted: the default
   * chain, environment → profile file → ECS metadata (`defaultCredentialChain({ env })`).
   */
  credentials?: Credentials | CredentialsProvider | undefined;
  /** Timeout of each attempt, in milliseconds, response body included. Default 30,000; at most 2,147,483,647 (what a timer holds). */
  timeoutMs?: number | undefined;
  /** Most bytes a response body may have once decompressed; a larger one is a `ResponseTooLargeError`. Default 33,554,432 (32 MiB). */
  maxResponseBytes?: number | undefined;
  /** Retries after a 408, 429, 5xx, connection error or timeout. Default 2; 0 turns retries off. */
  maxRetries?: number | undefined;
  /** How retries wait (backoff and the cap on `Retry-After`). */
  retry?: RetryOptions | undefined;
  /** The fetch to use instead of `globalThis.fetch`: called like it, once per attempt, with a `Request` and an init that overrides its headers, signal and redirect mode. */
  fetch?: ((input: string | Request, init: RequestInit) => Promise<Response>) | undefined;
  /** Check every response body against the spec, and reject one that breaks it. Default false. */
  validateResponses?: boolean | undefined;
}

/** What `createClient` uses for the options left out. */
export const CLIENT_DEFAULTS = {
  timeoutMs: 30_000,
  maxResponseBytes: 2 ** 25,
  maxRetries: 2,
  retry: RETRY_DEFAULTS,
} as const;

/** The client: one namespace per service, and openapi-fetch's `GET`/`request`/`use`/`eject` typed by the spec. */
export type CodeArtsClient = Client<paths> & Resources;

// openapi-fetch's per-call options, as a raw call passes them.
type RawInit = Omit<FetchOptions<unknown>, "params" | "signal"> & { params?: { path?: Record<string, unknown> | undefined; query?: Record<string, unknown> | undefined } | undefined; middleware?: Middleware[] | undefined; signal?: AbortSignal | undefined };
type RawResult = { data?: unknown; error?: unknown; response: Response };

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

// openapi-fetch hands a call its path template, not its operation.
const OPERATION_BY_PATH: ReadonlyMap<string, OperationId> = new Map((Object.keys(OPERATIONS) as OperationId[]).map((id) => [OPERATIONS[id].path, id]));

/**
 * Creates a client. Throws `InvalidParameterError` for a bad option (a `timeoutMs` out of range,
 * say) or static credentials that could not be sent. It does not check the region, known or not,
 * nor the endpoints: an override may name a region the built-in table lacks. A service's
 * endpoints are worked out on its first call, which rejects with `InvalidParameterError`
 * (`Invalid region: CodeArts Check has no endpoint in xx-nowhere-1: set endpoints.check, …`)
 * when nothing names one there, before anything is sent.
 */
export function createClient(options: ClientOptions = {}): CodeArtsClient {
  if (!options || typeof options !== "object") throw new InvalidParameterError("options", "pass { region, credentials }");
  const timeoutMs = options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs;
  const maxRetries = options.maxRetries ?? CLIENT_DEFAULTS.maxRetries;
  const maxResponseBytes = options.maxResponseBytes ?? CLIENT_DEFAULTS.maxResponseBytes;
  // Timers hold a signed 32-bit count: Node runs a longer timeout after 1 ms, so every call would time out.
  if (!(timeoutMs > 0 && timeoutMs < 2 ** 31)) throw new InvalidParameterError("timeoutMs", "must be a positive number of milliseconds, at most 2147483647");
  if (!(maxResponseBytes > 0)) throw new InvalidParameterError("maxResponseBytes", "must be a positive number of bytes");
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) throw new InvalidParameterError("maxRetries", "must be a whole number, 0 or more");
  const env = options.env ?? processEnv();
  const fromEnv = environmentSettings(env);

  // The credentials whose echoes the redactor removes from everything a call hands back, answers
  // included (src/redact.ts): those given (so a parameter value holding one is redacted too), and
  // the provided ones in use and just before them, for a request signed before a refresh may
  // still be answering. Two generations, not every one ever seen: a refresh an hour for a year
  // would otherwise make every redaction scan for thousands of dead secrets.
  const given = options.credentials;
  const provider = given === undefined ? defaultCredentialChain({ env }) : typeof given === "function" ? given : staticCredentials(given);
  const fixed = typeof given === "object" && given ? secretsOf(given) : [];
  let provided: { previous: unknown[]; current: unknown[] } = { previous: [], current: [] };
  let redact: Redact = createRedactor(fixed);
  const learn = (known: object) => {
    const current = secretsOf(known);
    if (current.every((secret, i) => secret === provided.current[i])) return;
    provided = { previous: provided.current, current };
    redact = createRedactor([...fixed, ...provided.previous, ...current]);
  };
  const credentials = credentialsCache(provider, learn);

  const endpoints = createEndpointResolver({ region: options.region ?? fromEnv.region, endpoints: options.endpoints, env });
  // Looked up per attempt, so a fetch installed (or mocked) after createClient is the one used.
  const fetchImpl = options.fetch ?? ((input: Request, init: RequestInit) => globalThis.fetch(input, init));
  const transport = createTransport({
    fetch: fetchImpl,
    timeoutMs,
    maxResponseBytes,
    maxRetries,
    retry: options.retry ?? {},
    authenticate: async (request) => (await credentials()).authenticate(request),
    failover: endpoints.next,
  });
  // Its fetch is given with every call (below), where a call's own would otherwise win.
  const api = createFetchClient<paths>();
  const validate = options.validateResponses === true;

  // Every call, raw or not: checked, routed, sent through openapi-fetch, its answer checked.
  async function request(method: string, path: string, init: RawInit = {}): Promise<RawResult> {
    try {
      const operationId = OPERATION_BY_PATH.get(path);
      if (!operationId) throw new InvalidParameterError("path", `${JSON.stringify(path)} is not a path of the CodeArts package status APIs`);
      const operation = OPERATIONS[operationId];
      if (String(method).toUpperCase() !== operation.method) throw new InvalidParameterError("method", `${path} is called with ${operation.method}, not ${String(method).toUpperCase()}`);
      checkParameters(operation, init.params ?? {});
      // JSON is read as text and parsed here: openapi-fetch would throw a raw SyntaxError.
      const json = (init.parseAs ?? "json") === "json";
      const result = (await api.request(method as "get", path as never, {
        ...init,
        baseUrl: init.baseUrl ?? (await endpoints.base(operation.service)),
        parseAs: json ? "text" : init.parseAs,
        // A call's own fetch would bypass the transport, and the credentials with it.
        fetch: transport,
      } as never)) as RawResult;
      const { response } = result;
      if (response.ok && json && response.status !== 204) {
        // Redacted before anyone reads it: a gateway may copy a request's token into a 200 body.
        // The parsed body is walked only when its text could hold a secret: one as written, or
        // an escape (`\u…`, `\/`) that parsing may turn into one. Without either, every string
        // and key of the body is a piece of the text as written, which held none.
        const text = (result.data as string | undefined) ?? "";
        const data = parseJsonBody(operationId, response, text, redact);
        result.data = text.includes("\\") || redact(text) !== text ? redact(data) : data;
        if (validate) checkResponse(operationId, response, result.data);
      } else if (typeof result.data === "string") result.data = redact(result.data);
      if (result.error !== undefined) result.error = redact(result.error);
      return result;
    } catch (error) {
      throw redact(error);
    }
  }

  const tenantId = tenantResolver({
    given: options.tenantId ?? fromEnv.tenantId,
    domainId: async () => (await credentials()).credentials.domainId,
    listAuthDomains: () => call("KeystoneListAuthDomains", undefined, undefined),
  });

  // A resource method: the raw call of its operation, its answer turned into the body or a typed error.
  async function call(operationId: OperationId, parameters: Readonly<Record<string, unknown>> | undefined, callOptions: CallOptions | undefined): Promise<unknown> {
    const operation = OPERATIONS[operationId];
    try {
      const params = splitParameters(operation, parameters);
      if (operation.path.includes("{tenant_id}") && params.path.tenant_id === undefined) {
        // The other parameters first: bad input never costs a request to IAM.
        checkParameters(operation, params, "tenant_id");
        params.path.tenant_id = await tenantId();
      }
      const { data, error, response } = await request(operation.method, operation.path, { params, signal: callOptions?.signal });
      if (!response.ok) {
        // An empty error body is no body; it was redacted before the message quotes (and cuts) it.
        throw ApiError.from({ status: response.status, body: error === "" ? undefined : error, requestId: requestIdOf(response), operationId, retryAfterMs: retryAfterMs(response.headers) });
      }
      if (data === undefined) return parseJsonBody(operationId, response, "", redact);
      // Non-enumerable: JSON.stringify and deep equality of results stay those of the body as sent.
      // A body with a field of that name keeps it: the field is what the service sent.
      if (data && typeof data == "object" && !("_request_id" in data)) Object.defineProperty(data, "_request_id", { value: redact(requestIdOf(response)) });
      return data;
    } catch (error) {
      throw redact(error);
    }
  }

  const raw: Record<string, unknown> = {
    request,
    use(...added: Middleware[]) {
      for (const m of added) {
        if (!m) continue;
        if (typeof m !== "object" || !("onRequest" in m || "onResponse" in m || "onError" in m)) {
          throw new InvalidParameterError("middleware", "must be an object with onRequest(), onResponse() or onError()");
        }
        api.use(m);
      }
    },
    eject: (...removed: Middleware[]) => api.eject(...removed),
  };
  for (const method of METHODS) raw[method] = (path: string, init?: RawInit) => request(method, path, init);

  const resources = {} as Record<Service, Record<string, unknown>>;
  for (const operationId of Object.keys(OPERATIONS) as OperationId[]) {
    (resources[OPERATIONS[operationId].service] ??= {})[METHOD_NAMES[operationId]] = (parameters?: Record<string, unknown>, callOptions?: CallOptions) => call(operationId, parameters, callOptions);
  }
  return Object.assign(raw, resources) as unknown as CodeArtsClient;
}

function secretsOf(credentials: object): unknown[] {
  return CREDENTIAL_FIELDS.map((field) => (credentials as Record<string, unknown>)[field]);
}

const CREDENTIAL_FIELDS = ["token", "accessKey", "secretKey", "securityToken"] as const;
