// The openapi-fetch surface of the client (`client.GET(path, init)`, `request`, `use`, `eject`),
// typed by the spec and sharing the client's transport. openapi-fetch itself is imported on the
// first call that needs it: a raw call, or a resource call with middleware to run. Applications
// that only call resource methods never load it, and their bundlers put it in a lazy chunk.
import type { Client, Middleware } from "openapi-fetch";
import type { paths } from "@codearts-package-status/types";
import { InvalidParameterError } from "./errors.js";
import type { RedactLater } from "./internal/redact.js";
import { OPERATIONS, type OperationId, type OperationSpec } from "./generated/operations.js";
import { checkParameters, type SplitParameters } from "./parameters.js";
import { parseJsonBody, type Outcome, type ResponseValidator } from "./responses.js";
import { OPERATION_BY_PATH } from "./operation-paths.js";
import type { Transport } from "./transport.js";

/** What the raw surface needs from the client. */
export interface RawSurfaceOptions {
  send: Transport;
  /** The base URL of an operation's service; throws `InvalidParameterError` when it has none. */
  baseUrlOf: (operation: OperationSpec) => string;
  validate: ResponseValidator | undefined;
  /** Removes the client's credentials from an error or an error body (src/internal/redact.ts). */
  redact: RedactLater;
}

/** The raw surface, and what resource methods need of it. */
export interface RawSurface {
  client: Client<paths>;
  /** The middleware registered with `client.use`, in order. */
  middleware: readonly Middleware[];
  /** Calls an operation through openapi-fetch, so that the registered middleware runs. */
  callWithMiddleware(operation: OperationSpec, params: SplitParameters, signal: AbortSignal | undefined): Promise<Outcome>;
}

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

// Requests start at this origin; the routing middleware moves each to its service's host.
const UNROUTED_ORIGIN = "https://unrouted.codearts-package-status.invalid";

// Statuses whose responses cannot carry a body (the Response constructor rejects one).
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Creates the raw surface; nothing is imported until the first call that needs openapi-fetch. */
export function createRawSurface({ send, baseUrlOf, validate, redact }: RawSurfaceOptions): RawSurface {
  const middleware: Middleware[] = [];

  const routing: Middleware = {
    onRequest({ request, schemaPath, params }) {
      const operation = OPERATIONS[operationAt(schemaPath)];
      if (request.method !== operation.method) {
        throw new InvalidParameterError("method", `${schemaPath} is called with ${operation.method}, not ${request.method}`);
      }
      checkParameters(operation, params);
      const url = new URL(request.url);
      if (url.origin !== UNROUTED_ORIGIN) return undefined;
      return new Request(`${baseUrlOf(operation)}${url.pathname}${url.search}`, request);
    },
    // Only for raw calls: resource methods check the bodies they read themselves.
    async onResponse({ response, schemaPath, options }) {
      if (options.parseAs !== "json" || !response.ok || response.status === 204) return undefined;
      const operationId = operationAt(schemaPath);
      const body = await parseJsonBody(operationId, response, await response.clone().text(), redact);
      if (validate) await validate(operationId, response, body);
      return undefined;
    },
  };

  // openapi-fetch's fetch: the transport, handing back a Response whose body it has read.
  const fetchThroughTransport = async (request: Request): Promise<Response> => {
    const { response, text } = await send(
      { method: request.method, url: request.url, headers: Object.fromEntries(request.headers), template: request },
      request.signal,
    );
    return new Response(NULL_BODY_STATUSES.has(response.status) ? null : text, response);
  };

  let loaded: Promise<Client<paths>> | undefined;
  const load = () =>
    (loaded ??= import("openapi-fetch").then(({ default: createFetchClient }) => {
      const client = createFetchClient<paths>({ baseUrl: UNROUTED_ORIGIN, fetch: fetchThroughTransport });
      client.use(routing);
      return client;
    }));
  // The registered middleware goes with each call, after routing, so `use` and `eject` need no
  // loaded client and take effect on the next call.
  const withMiddleware = (init: object | undefined) => {
    const own = (init as { middleware?: Middleware[] } | undefined)?.middleware ?? [];
    return { ...init, middleware: [...middleware, ...own] };
  };

  // A raw call hands back the error body it parsed, or throws: either way without a credential.
  const redacted = (result: Promise<{ error?: unknown }>) =>
    result.then(
      async (outcome) => ((outcome.error &&= await redact(outcome.error)), outcome),
      async (error: unknown) => {
        throw await redact(error);
      },
    );
  const client = {
    request: (method: string, path: string, init?: object) => redacted(load().then((c) => (c.request as AnyCall)(method, path, withMiddleware(init)) as Promise<object>)),
    use(...added: Middleware[]) {
      for (const m of added) {
        if (!m) continue;
        if (typeof m !== "object" || !("onRequest" in m || "onResponse" in m || "onError" in m)) {
          throw new InvalidParameterError("middleware", "must be an object with onRequest(), onResponse() or onError()");
        }
        middleware.push(m);
      }
    },
    eject(...removed: Middleware[]) {
      for (const m of removed) {
        const index = middleware.indexOf(m);
        if (index !== -1) middleware.splice(index, 1);
      }
    },
  } as Record<string, unknown>;
  for (const method of METHODS) {
    client[method] = (path: string, init?: object) => redacted(load().then((c) => (c[method] as AnyCall)(path, withMiddleware(init)) as Promise<object>));
  }

  return {
    client: client as unknown as Client<paths>,
    middleware,
    async callWithMiddleware(operation, params, signal) {
      const c = await load();
      // The path comes from the operation table, so the per-path typing of GET adds nothing here;
      // a known base URL skips the routing rewrite, while the parameters are still checked there.
      return (c.GET as AnyCall)(
        operation.path,
        withMiddleware({ baseUrl: baseUrlOf(operation), params, parseAs: "text", ...(signal ? { signal } : {}) }),
      ) as Promise<Outcome>;
    },
  };
}

type AnyCall = (...args: unknown[]) => Promise<unknown>;

function operationAt(schemaPath: string): OperationId {
  const operationId = OPERATION_BY_PATH.get(schemaPath);
  if (!operationId) throw new InvalidParameterError("path", `${JSON.stringify(schemaPath)} is not a path of the CodeArts package status APIs`);
  return operationId;
}
