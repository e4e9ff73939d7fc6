import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
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
  /** How many of the most recent requests `server.requests` keeps (default 1000); 0 records none. */
  requestLogSize?: number | undefined;
  /** Largest request body accepted, in bytes (default 64 KiB); a larger one is answered 413 without being buffered. */
  maxBodyBytes?: number | undefined;
  /**
   * Also serve the API reference at `/docs`: one self-contained page whose try-it sends every
   * operation to this server, with a token filled in and a `Prefer` choice per documented response.
   * Page loads are not recorded in `requests`.
   */
  docs?: boolean | undefined;
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
  /** Path without the query, as received; cut to its first 2,048 characters (see `truncated`). */
  path: string;
  /** Decoded query parameters; a repeated name maps to an array. Read from the first 2,048 characters of the query string only. */
  query: Record<string, string | string[]>;
  /** Length of the raw query string (without `?`) in characters, also when `query` holds only its start. */
  queryLength: number;
  /** Lower-cased names of the request headers, never their values; at most 2,048 characters of names in all. */
  headerNames: string[];
  /** Present when the path, query or header names were too long to keep whole. */
  truncated?: true;
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
  /** The most recent requests answered (at most `requestLogSize`), oldest first; clear it with `requests.length = 0`. */
  requests: RecordedRequest[];
  /** Stops listening and closes open keep-alive connections; safe to call twice. */
  close(): Promise<void>;
}

const MAX_HEADER_BYTES = 256 * 1024;
const DEFAULT_REQUEST_LOG_SIZE = 1000;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
// Bounds what one log entry keeps, so that the log's memory is bounded by its length alone.
const MAX_RECORDED_CHARS = 2048;
const GATEWAY_NOT_FOUND = "The API does not exist or has not been published in the environment.";
const GATEWAY_SIGNATURE_FAIL = "Incorrect IAM authentication information: verify aksk signature fail";
// Mirrors the API Gateway's "decrypt token fail" for operations whose spec documents no 401 body.
const GATEWAY_TOKEN_FAIL = "Incorrect IAM authentication information: decrypt token fail";
const GATEWAY_TOO_LARGE = "Request entity too large";

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
  const requestLogSize = nonNegativeInteger("requestLogSize", options.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE);
  const maxBodyBytes = nonNegativeInteger("maxBodyBytes", options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const docsPage = options.docs === true ? loadDocsPage() : undefined;

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
    if (requestLogSize > 0) {
      // A plain array keeps the documented API (`length = 0`, `at(-1)`, iteration); with the default
      // size, moving a thousand references per request costs far less than answering it.
      if (requests.length >= requestLogSize) requests.splice(0, requests.length - requestLogSize + 1);
      requests.push(record);
    }
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
    const rawUrl = req.url ?? "/";
    const method = req.method ?? "GET";
    if (docsPage !== undefined && isDocsRequest(method, rawUrl)) return serveDocs(req, res, docsPage);
    const record = recordOf(method, rawUrl, Object.keys(req.headers));
    const gatewayError = (status: number, code: string, message: string, extra: Record<string, string> = {}): Answer => ({
      status,
      requestId,
      body: { error_code: code, error_msg: message, request_id: requestId },
      headers: extra,
    });
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) {
      // The body is left unread, which holds the client back, and the connection then closes
      // once the client has had time to read the answer (lingerOnClose).
      const reason = `request body exceeds ${maxBodyBytes} bytes`;
      lingerOnClose(req);
      return send(req, res, record, gatewayError(413, "APIG.0201", GATEWAY_TOO_LARGE, { Connection: "close", "X-Mock-Reason": reason }));
    }
    // Parsed against a fixed origin: only path and query matter, and the Host header is client input.
    const url = new URL(rawUrl.startsWith("/") ? `http://mock${rawUrl}` : rawUrl, "http://mock");

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

const DOCS_PATH = /^\/docs\/?(?:[?#].*)?$/;

function isDocsRequest(method: string, rawUrl: string): boolean {
  return (method === "GET" || method === "HEAD") && DOCS_PATH.test(rawUrl);
}

function serveDocs(req: IncomingMessage, res: ServerResponse, page: Buffer): void {
  const headers = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": String(page.length),
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
  };
  res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : page);
}

/** The reference page the package's build renders next to the code (dist/docs/index.html). */
function loadDocsPage(): Buffer {
  // From dist/ (the published code) and from src/ (the repository's tests) alike.
  const file = new URL("../dist/docs/index.html", import.meta.url);
  try {
    return readFileSync(file);
  } catch {
    throw new Error(`the API reference page ${fileURLToPath(file)} is missing: build @codearts-package-status/mock first`);
  }
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

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer`);
  return value;
}

/** What the log keeps of one request: bounded in size whatever the client sent. */
function recordOf(method: string, rawUrl: string, headerNames: string[]): RecordedRequest {
  const mark = rawUrl.indexOf("?");
  const path = mark < 0 ? rawUrl : rawUrl.slice(0, mark);
  const search = mark < 0 ? "" : rawUrl.slice(mark + 1);
  const names: string[] = [];
  let chars = 0;
  for (const name of headerNames) {
    chars += name.length;
    if (chars > MAX_RECORDED_CHARS) break;
    names.push(name);
  }
  const truncated = path.length > MAX_RECORDED_CHARS || search.length > MAX_RECORDED_CHARS || names.length < headerNames.length;
  // A cut query keeps only its complete parameters, so that no value is recorded half-read.
  const kept = search.length > MAX_RECORDED_CHARS ? search.slice(0, search.lastIndexOf("&", MAX_RECORDED_CHARS) + 1) : search;
  return {
    method,
    path: detached(path.slice(0, MAX_RECORDED_CHARS)),
    query: queryRecord(new URLSearchParams(detached(kept))),
    queryLength: search.length,
    headerNames: names,
    ...(truncated ? { truncated: true as const } : {}),
    status: 0,
  };
}

/**
 * A copy of `text` that does not share memory with the string it was cut from. V8 represents a
 * slice as a view of its parent, so a 30-character path cut from a 200 KB URL would keep the
 * whole URL alive for as long as the log holds the entry; and parsed query values are slices too.
 */
function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
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

// A lingering close, after nginx's `lingering_close`: closing a socket while the upload is still
// arriving makes the kernel answer the client with a reset, and a client still writing then
// fails on its write before it reads the 413 (about half the time on loopback). So the socket
// only half-closes after the answer and stays open, unread (the client is held by TCP flow
// control), until the client goes or LINGER_MS pass.
const LINGER_MS = 2_000;

function lingerOnClose(req: IncomingMessage): void {
  const socket = req.socket;
  // Node's server calls destroySoon() once a `Connection: close` answer is written, right after
  // it set an unread request body flowing to drain it.
  socket.destroySoon = () => {
    req.pause();
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once("close", () => clearTimeout(timer));
  };
}

/**
 * The request body, or `undefined` as soon as it is known to exceed `limit` bytes: from its
 * Content-Length before reading anything, or while counting a chunked body. The rest is never
 * buffered: it stays unread in the socket until the connection closes (see lingerOnClose).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (body: Uint8Array | undefined): void => {
      req.off("data", onData).off("end", onEnd).off("error", reject);
      resolve(body);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        // Read no further: the rest of the upload waits in the socket until it closes.
        req.pause();
        finish(undefined);
      } else chunks.push(chunk);
    };
    const onEnd = (): void => finish(Buffer.concat(chunks, size));
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
}

function headerSafe(text: string): string {
  // Header values must be printable ASCII here; a reason quoting client input could carry anything.
  return text.replace(/[^\x20-\x7e]/g, "?");
}
