// createClient: the raw openapi-fetch surface typed by the spec, plus one method per
// operation (`client.check.showTenantPackageStatus()`), sharing one transport.
import createFetchClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths } from "@codearts-package-status/types";
import { createAuthenticator, type Credentials } from "./auth.js";
import type { CallOptions } from "./call-options.js";
import { ApiError, InvalidParameterError, ResponseValidationError, type ValidationIssue } from "./errors.js";
import { OPERATIONS, type OperationId, type Service } from "./generated/operations.js";
import { METHOD_NAMES, type Resources } from "./generated/resources.js";
import { checkParameters, splitParameters } from "./parameters.js";
import { retryAfterMs, type RetryOptions } from "./retry.js";
import { baseUrlFor, OPERATION_BY_PATH, resolveBaseUrls, type Endpoints } from "./routing.js";
import { createTransport } from "./transport.js";

/** Options of `createClient`. */
export interface ClientOptions {
  /** Huawei Cloud region, e.g. `cn-north-4`: each operation goes to its own service's host there. */
  region?: string | undefined;
  /** Per-service base URLs that replace the region's hosts: a mock server, a proxy, a private endpoint. */
  endpoints?: Endpoints | undefined;
  /** An IAM token (`{ token }`), or an access key pair to sign requests with (`{ accessKey, secretKey, securityToken? }`). */
  credentials: Credentials;
  /** Timeout of each attempt, in milliseconds, response body included. Default 30,000. */
  timeoutMs?: number | undefined;
  /** Retries after a 408, 429, 5xx, connection error or timeout. Default 2; 0 turns retries off. */
  maxRetries?: number | undefined;
  /** How retries wait (backoff and the cap on `Retry-After`). */
  retry?: RetryOptions | undefined;
  /** The fetch to use instead of `globalThis.fetch` (called with one `Request`). */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** Check every response body against the spec, and reject one that breaks it. Default false. */
  validateResponses?: boolean | undefined;
}

/** The client: openapi-fetch's `GET`/`request`/`use` typed by the spec, and one namespace per service. */
export type CodeArtsClient = Client<paths> & Resources;

// Requests start at this origin; the routing middleware moves each to its service's host.
const UNROUTED_ORIGIN = "https://unrouted.codearts-package-status.invalid";

/** Creates a client. Throws `InvalidParameterError` for an unknown region, a bad endpoint or unusable credentials. */
export function createClient(options: ClientOptions): CodeArtsClient {
  if (!options || typeof options !== "object") throw new InvalidParameterError("options", "pass { region, credentials }");
  const { region, validateResponses = false } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 2;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new InvalidParameterError("timeoutMs", "must be a positive number of milliseconds");
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) throw new InvalidParameterError("maxRetries", "must be a whole number, 0 or more");
  const baseUrls = resolveBaseUrls(region, options.endpoints);
  const fetchImpl = options.fetch ?? ((input: Request) => globalThis.fetch(input));

  const transport = createTransport({
    fetch: fetchImpl,
    timeoutMs,
    maxRetries,
    retry: options.retry ?? {},
    authenticate: createAuthenticator(options.credentials),
    describe: (request) => `${request.method} ${new URL(request.url).pathname}`,
  });
  const raw = createFetchClient<paths>({ baseUrl: UNROUTED_ORIGIN, fetch: transport });
  const validation = validateResponses ? lazyValidation() : undefined;

  const routing: Middleware = {
    onRequest({ request, schemaPath, params }) {
      const operationId = operationAt(schemaPath);
      const operation = OPERATIONS[operationId];
      checkParameters(operation, params);
      const url = new URL(request.url);
      if (url.origin !== UNROUTED_ORIGIN) return undefined;
      return new Request(`${baseUrlFor(operation.service, baseUrls, region)}${url.pathname}${url.search}`, request);
    },
    // Only for the raw surface: the resource methods read bodies as text and check them there.
    async onResponse({ response, schemaPath, options: fetchOptions }) {
      if (fetchOptions.parseAs !== "json" || !response.ok || response.status === 204) return undefined;
      const text = await response.clone().text();
      const operationId = operationAt(schemaPath);
      const body = parseJsonBody(operationId, response, text);
      if (validation) await validation(operationId, response, body);
      return undefined;
    },
  };
  raw.use(routing);

  async function call(operationId: OperationId, parameters: Readonly<Record<string, unknown>> | undefined, callOptions: CallOptions | undefined): Promise<unknown> {
    const operation = OPERATIONS[operationId];
    const params = splitParameters(operation, parameters);
    // The path comes from the operation table, so the per-path typing of GET adds nothing here.
    const get = raw.GET as unknown as (path: string, init: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    const { data, error, response } = await get(operation.path, {
      // A known base URL skips the routing rewrite; parameters are still checked there.
      baseUrl: baseUrlFor(operation.service, baseUrls, region),
      params,
      parseAs: "text",
      ...(callOptions?.signal ? { signal: callOptions.signal } : {}),
    });
    if (!response.ok) {
      throw ApiError.from({
        status: response.status,
        body: error,
        requestId: requestIdOf(response),
        operationId,
        retryAfterMs: retryAfterMs(response.headers),
      });
    }
    const body = parseJsonBody(operationId, response, typeof data === "string" ? data : "");
    if (validation) await validation(operationId, response, body);
    return body;
  }

  const resources = {} as Record<Service, Record<string, unknown>>;
  for (const operationId of Object.keys(OPERATIONS) as OperationId[]) {
    const service = OPERATIONS[operationId].service;
    (resources[service] ??= {})[METHOD_NAMES[operationId]] = (parameters?: Record<string, unknown>, callOptions?: CallOptions) =>
      call(operationId, parameters, callOptions);
  }
  return Object.assign(raw, resources) as unknown as CodeArtsClient;
}

// An empty header says nothing; the body's request_id (gateway errors) may still.
function requestIdOf(response: Response): string | undefined {
  return response.headers.get("x-request-id") || undefined;
}

function operationAt(schemaPath: string): OperationId {
  const operationId = OPERATION_BY_PATH.get(schemaPath);
  if (!operationId) throw new InvalidParameterError("path", `${JSON.stringify(schemaPath)} is not a path of the CodeArts package status APIs`);
  return operationId;
}

/** A 2xx body must be JSON: an empty or malformed one is a typed error, not a SyntaxError. */
function parseJsonBody(operationId: string, response: Response, text: string): unknown {
  const requestId = requestIdOf(response);
  const fail = (message: string) =>
    new ResponseValidationError(operationId, { status: response.status, requestId, issues: [{ path: "", message }], body: text.slice(0, 1000) });
  // Same whitespace set as trim(), without copying the whole body on every call.
  if (/^\s*$/.test(text)) throw fail("is empty, expected a JSON body");
  try {
    return JSON.parse(text);
  } catch {
    throw fail(`is not valid JSON (${response.headers.get("content-type") ?? "no content type"})`);
  }
}

type ValidationModule = { validateResponse(operationId: string, status: number, body: unknown): ValidationIssue[] };

function lazyValidation(): (operationId: string, response: Response, body: unknown) => Promise<void> {
  let module: Promise<ValidationModule> | undefined;
  return async (operationId, response, body) => {
    // The build turns this into an import of the package's own `./validation` export, so the
    // schemas load only here, on the first validated response.
    module ??= import("./validation.js");
    const issues = (await module).validateResponse(operationId, response.status, body);
    if (issues.length > 0) {
      throw new ResponseValidationError(operationId, {
        status: response.status,
        requestId: requestIdOf(response),
        issues,
        body,
      });
    }
  };
}
