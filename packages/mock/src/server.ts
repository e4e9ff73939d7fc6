import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { authenticate } from "./auth.js";
import { createParameterValidator } from "./params.js";
import { parsePrefer, selectResponse } from "./prefer.js";
import { buildRoutes, isObject, loadBundledSpec, matchRoute, type Json, type OperationSpec } from "./spec.js";

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number | undefined;
  /** Interface to listen on; defaults to `127.0.0.1` so the mock is never reachable from another machine by accident. */
  host?: string | undefined;
  /** OpenAPI 3.0 document to serve instead of the one in `@codearts-package-status/openapi`. */
  spec?: object | undefined;
  /** Delay added before every response, to exercise client timeouts. */
  latencyMs?: number | undefined;
  /** Credentials the mock accepts for AK/SK-signed requests. */
  credentials?: MockCredentials | undefined;
}

/** Credentials known to the mock. */
export interface MockCredentials {
  /** Secret key (SK) of each access key (AK) whose signatures the mock verifies. */
  accessKeys?: Record<string, string> | undefined;
}

/** One request the mock received. Holds header names only: credentials are never stored. */
export interface RecordedRequest {
  /** HTTP method as received. */
  method: string;
  /** Path without the query, as received. */
  path: string;
  /** Decoded query parameters; a repeated name maps to an array. */
  query: Record<string, string | string[]>;
  /** Lower-cased names of the request headers, never their values. */
  headerNames: string[];
  /** Operation the path and method matched, if any. */
  operationId?: string;
  /** Status code the mock answered with. */
  status: number;
}

/** A running mock server. */
export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`; every operation is served under it. */
  url: string;
  /** Port the server listens on. */
  port: number;
  /** Every request answered so far, oldest first; clear it with `requests.length = 0`. */
  requests: RecordedRequest[];
  /** Stops listening and closes open keep-alive connections; safe to call twice. */
  close(): Promise<void>;
}

const MAX_HEADER_BYTES = 256 * 1024;
const GATEWAY_NOT_FOUND = "The API does not exist or has not been published in the environment.";
const GATEWAY_SIGNATURE_FAIL = "Incorrect IAM authentication information: verify aksk signature fail";
// Mirrors the API Gateway's "decrypt token fail" for operations whose spec documents no 401 body.
const GATEWAY_TOKEN_FAIL = "Incorrect IAM authentication information: decrypt token fail";

/**
 * Starts an HTTP mock of every operation in the spec on one port. Each request is routed by
 * path and method, authenticated (IAM token or verified AK/SK signature), its parameters are
 * validated against the spec, and it is answered with a documented example chosen by the
 * `Prefer` header (`code=`, `example=`) or, by default, the first documented 2xx example.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  // A JSON round-trip snapshots the document, so later edits to the caller's object change nothing.
  const doc = JSON.parse(JSON.stringify(options.spec ?? loadBundledSpec())) as Json;
  if (!isObject(doc)) throw new TypeError("spec must be an OpenAPI document object");
  const routes = buildRoutes(doc);
  const validateParameters = createParameterValidator(doc, routes.flatMap((r) => [...r.operations.values()]));
  const accessKeys = new Map(Object.entries(options.credentials?.accessKeys ?? {}));
  const latencyMs = options.latencyMs ?? 0;
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const send = async (req: IncomingMessage, res: ServerResponse, record: RecordedRequest, answer: Answer): Promise<void> => {
    if (latencyMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, latencyMs);
        timers.add(timer);
      });
    }
    if (res.destroyed) return;
    record.status = answer.status;
    requests.push(record);
    const headers: Record<string, string> = { "X-Request-Id": answer.requestId };
    for (const [name, value] of Object.entries(answer.headers)) headers[name] = headerSafe(value);
    if (answer.body === undefined || req.method === "HEAD") {
      res.writeHead(answer.status, headers).end();
      return;
    }
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, { ...headers, "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)) }).end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomBytes(16).toString("hex");
    const body = await readBody(req);
    const rawUrl = req.url ?? "/";
    const method = req.method ?? "GET";
    // Parsed against a fixed origin: only path and query matter, and the Host header is client input.
    const url = new URL(rawUrl.startsWith("/") ? `http://mock${rawUrl}` : rawUrl, "http://mock");
    const record: RecordedRequest = {
      method,
      path: rawUrl.split("?")[0] ?? rawUrl,
      query: queryRecord(url.searchParams),
      headerNames: Object.keys(req.headers),
      status: 0,
    };
    const gatewayError = (status: number, code: string, message: string, extra: Record<string, string> = {}): Answer => ({
      status,
      requestId,
      body: { error_code: code, error_msg: message, request_id: requestId },
      headers: extra,
    });

    const matched = matchRoute(routes, url.pathname);
    if (!matched) return send(req, res, record, gatewayError(404, "APIG.0101", GATEWAY_NOT_FOUND));
    const operation = matched.route.operations.get(method);
    if (!operation) {
      const allow = [...matched.route.operations.keys()].join(", ");
      return send(req, res, record, gatewayError(405, "APIG.0101", GATEWAY_NOT_FOUND, { Allow: allow, "X-Mock-Reason": `${method} is not allowed; allowed: ${allow}` }));
    }
    record.operationId = operation.operationId;

    if (operation.requiresAuth) {
      const auth = await authenticate({ method, rawUrl, headers: req.headers, body }, accessKeys);
      if (auth.kind === "missing") return send(req, res, record, documentedError(operation, 401, requestId, auth.reason) ?? gatewayError(401, "APIG.0301", GATEWAY_TOKEN_FAIL, { "X-Mock-Reason": auth.reason }));
      if (auth.kind === "rejected") return send(req, res, record, gatewayError(401, "APIG.0301", GATEWAY_SIGNATURE_FAIL, { "X-Mock-Reason": auth.reason }));
    }

    const invalid = validateParameters(operation, { path: matched.rawParams, query: url.searchParams, headers: req.headers });
    if (invalid !== undefined) {
      return send(req, res, record, documentedError(operation, 400, requestId, invalid) ?? gatewayError(400, "MOCK.0400", invalid, { "X-Mock-Reason": invalid }));
    }

    const selection = selectResponse(operation, parsePrefer(req.headers.prefer));
    if (!selection.ok) return send(req, res, record, gatewayError(400, "MOCK.0400", selection.message, { "X-Mock-Reason": selection.message }));
    const { response, example } = selection;
    return send(req, res, record, { status: response.status, requestId, body: response.noContent ? undefined : example?.value, headers: {} });
  };

  // Node's default 16 KiB header limit would answer 431 to the 100,000-character tokens IAM may issue.
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const message = error instanceof Error ? error.message : String(error);
      const text = JSON.stringify({ error_code: "MOCK.0500", error_msg: `mock server error: ${message}` });
      res.writeHead(500, { "Content-Type": "application/json", "X-Request-Id": randomBytes(16).toString("hex") }).end(text);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // Node 18.0-18.3 reports the family as the number 6.
  const host = ["IPv6", "6"].includes(String(address.family)) ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        // Without this, an idle keep-alive socket from fetch holds the server open for seconds.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

interface Answer {
  status: number;
  requestId: string;
  body: Json | undefined;
  headers: Record<string, string>;
}

/** The operation's own documented error for a status, served verbatim, if the spec has one. */
function documentedError(operation: OperationSpec, status: number, requestId: string, reason: string): Answer | undefined {
  const response = operation.responses.find((r) => r.status === status && r.examples.length > 0);
  const example = response?.examples[0];
  if (!example) return undefined;
  return { status, requestId, body: example.value, headers: { "X-Mock-Reason": reason } };
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  // Collected in a Map so that a client-chosen key such as `__proto__` stays an ordinary entry.
  const out = new Map<string, string | string[]>();
  for (const [key, value] of params) {
    const existing = out.get(key);
    out.set(key, existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]);
  }
  return Object.fromEntries(out);
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function headerSafe(text: string): string {
  // Header values must be printable ASCII here; a reason quoting client input could carry anything.
  return text.replace(/[^\x20-\x7e]/g, "?");
}
