// The openapi-fetch surface of the client (`client.GET(path, init)`, `request`, `use`, `eject`),
// typed by the spec and sharing the client's transport. openapi-fetch itself, with the routing
// middleware (src/internal/raw-fetch.ts), is imported on the first call that needs it: a raw
// call, or a resource call with middleware to run. Applications that only call resource methods
// never load it, and their bundlers put it in a lazy chunk.
import type { Client, Middleware } from "openapi-fetch";
import type { paths } from "@codearts-package-status/types";
import { InvalidParameterError } from "./errors.js";
import type { OperationSpec } from "./generated/operations.js";
import type { RedactLater } from "./internal/redact.js";
import { checkParameters, type SplitParameters } from "./parameters.js";
import { parseJsonBody, type Outcome, type ResponseValidator } from "./responses.js";
import type { Transport } from "./transport.js";

/** What the raw surface needs from the client. */
export interface RawSurfaceOptions {
  send: Transport;
  /** The base URL of an operation's service; rejects with `InvalidParameterError` when it has none. */
  baseUrlOf: (operation: OperationSpec) => Promise<string>;
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

const METHODS = "GET PUT POST DELETE OPTIONS HEAD PATCH TRACE".split(" ");

/** Creates the raw surface; nothing is imported until the first call that needs openapi-fetch. */
export function createRawSurface({ send, baseUrlOf, validate, redact }: RawSurfaceOptions): RawSurface {
  const middleware: Middleware[] = [];

  let loaded: Promise<Client<paths>> | undefined;
  // The build turns this into an import of the package's own `./internal/raw-fetch` export.
  const load = () =>
    (loaded ??= import("./internal/raw-fetch.js").then(({ createRawFetchClient }) =>
      createRawFetchClient({ send, baseUrlOf, validate, redact, checkParameters, parseJsonBody, InvalidParameterError }),
    ));
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
    client[method] = (path: string, init?: object) => redacted(load().then((c) => (c as unknown as Record<string, AnyCall>)[method]!(path, withMiddleware(init)) as Promise<object>));
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
        withMiddleware({ baseUrl: await baseUrlOf(operation), params, parseAs: "text", signal }),
      ) as Promise<Outcome>;
    },
  };
}

type AnyCall = (...args: unknown[]) => Promise<unknown>;
