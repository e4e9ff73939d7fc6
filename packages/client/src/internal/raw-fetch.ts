/**
 * The openapi-fetch half of the raw surface (src/raw-client.ts): the routing middleware and the
 * fetch that hands requests to the transport. It loads with openapi-fetch, on the first call that
 * needs it, so that neither sits in the initial load. A package export (`./internal/raw-fetch`)
 * only so that the client can load it lazily: not public API, it may change in any release.
 *
 * Built on its own, this module would carry its own copies of the error classes; whatever throws
 * a client error is therefore passed in, so that `instanceof` sees the main module's classes.
 *
 * @internal
 * @module
 */
import createFetchClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths } from "@codearts-package-status/types";
import type { InvalidParameterError } from "../errors.js";
import { OPERATIONS, type OperationId, type OperationSpec } from "../generated/operations.js";
import { OPERATION_BY_PATH } from "../operation-paths.js";
import type { checkParameters } from "../parameters.js";
import type { RedactLater } from "./redact.js";
import type { parseJsonBody, ResponseValidator } from "../responses.js";
import type { Transport } from "../transport.js";

/**
 * What the raw fetch client needs from the main module.
 *
 * @internal
 */
export interface RawFetchDependencies {
  send: Transport;
  /** The base URL of an operation's service; rejects with `InvalidParameterError` when it has none. */
  baseUrlOf: (operation: OperationSpec) => Promise<string>;
  validate: ResponseValidator | undefined;
  /** Removes the client's credentials from a body before an error quotes it (src/internal/redact.ts). */
  redact: RedactLater;
  checkParameters: typeof checkParameters;
  parseJsonBody: typeof parseJsonBody;
  InvalidParameterError: typeof InvalidParameterError;
}

// Requests start at this origin; the routing middleware moves each to its service's host.
const UNROUTED_ORIGIN = "https://unrouted.codearts-package-status.invalid";

// Statuses whose responses cannot carry a body (the Response constructor rejects one).
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * An openapi-fetch client whose requests go through the transport, routed to their service's host.
 *
 * @internal
 */
export function createRawFetchClient({ send, baseUrlOf, validate, redact, checkParameters, parseJsonBody, InvalidParameterError }: RawFetchDependencies): Client<paths> {
  const operationAt = (schemaPath: string): OperationId => {
    const operationId = OPERATION_BY_PATH.get(schemaPath);
    if (!operationId) throw new InvalidParameterError("path", `${JSON.stringify(schemaPath)} is not a path of the CodeArts package status APIs`);
    return operationId;
  };

  const routing: Middleware = {
    async onRequest({ request, schemaPath, params }) {
      const operation = OPERATIONS[operationAt(schemaPath)];
      if (request.method !== operation.method) {
        throw new InvalidParameterError("method", `${schemaPath} is called with ${operation.method}, not ${request.method}`);
      }
      checkParameters(operation, params);
      const url = new URL(request.url);
      if (url.origin !== UNROUTED_ORIGIN) return undefined;
      return new Request(`${await baseUrlOf(operation)}${url.pathname}${url.search}`, request);
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

  const client = createFetchClient<paths>({ baseUrl: UNROUTED_ORIGIN, fetch: fetchThroughTransport });
  client.use(routing);
  return client;
}
