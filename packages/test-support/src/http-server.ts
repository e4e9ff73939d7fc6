// The one HTTP server the tests stand up in place of a real service: on 127.0.0.1 at a port the
// OS picks, answering each request with whatever the test's handler says (a scripted answer, a
// way to misbehave, or a response the handler writes itself), and recording every request it saw.
// Its close() also cuts keep-alive and still-pending connections, so a test that left a request
// hanging never holds the run open.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";

/** What the server saw of one request, once its body had arrived. */
export interface RecordedRequest {
  /** 0 for the first request the server received, 1 for the next, … */
  index: number;
  method: string;
  /** The request target as sent: path and query (`/v4/tenant/tenant-package-status?project_id=…`). */
  url: string;
  /** Header names in lower case, as node:http gives them. */
  headers: IncomingHttpHeaders;
  /** The request body as UTF-8 text; `""` when there was none. */
  body: string;
}

/**
 * An answer the server sends for the handler. A status answer's `body` goes out as it is when it
 * is a string or bytes and as JSON otherwise (nothing when it is `undefined`); `Content-Type` is
 * `application/json` unless `headers` say otherwise. The other forms misbehave:
 * - `{ hang: true }` never answers (until {@link TestServer.close} cuts the connection);
 * - `{ reset: true }` destroys the connection without a word;
 * - `{ stallBody: true }` sends a 200 JSON head and the start of a body, then nothing more.
 */
export type ScriptedAnswer =
  | { status: number; headers?: Record<string, string | number | string[]>; body?: unknown }
  | { hang: true }
  | { reset: true }
  | { stallBody: true };

/**
 * Decides what one request gets. Return a {@link ScriptedAnswer} (or a promise of one: an async
 * handler delays its answer), or write to `response` yourself and return nothing (streaming,
 * raw status lines, …). A handler that returns nothing and writes nothing leaves the request
 * hanging. A handler that throws gets its request a 500 and makes {@link TestServer.close} reject.
 */
export type TestHandler = (request: RecordedRequest, response: ServerResponse) => ScriptedAnswer | void | Promise<ScriptedAnswer | void>;

/** A running server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Every request received, in order of arrival. */
  requests: RecordedRequest[];
  /**
   * Stops listening and destroys every connection, idle keep-alive and pending ones included.
   * Rejects (after closing) when a handler threw, so a broken handler fails the test that used it.
   */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 at a port the OS picks; `handler` answers each request.
 *
 * @example
 * // Scripted by request: a 503, then the documented body.
 * const server = await startTestServer(({ index }) => (index === 0 ? { status: 503, body: {} } : { status: 200, body: ok }));
 * // Every service's stand-in on one port, answering after 200 ms.
 * const services = await startTestServer(async ({ url }) => {
 *   await setTimeout(200);
 *   return answerOf(url.startsWith("/v4/") ? "check" : "pipeline");
 * });
 * // Counting per service: services.requests.filter((r) => r.url.startsWith("/v4/")).length
 */
export async function startTestServer(handler: TestHandler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const failures: unknown[] = [];

  const respond = async (request: RecordedRequest, response: ServerResponse): Promise<void> => {
    try {
      const answer = await handler(request, response);
      if (answer) send(answer, response);
    } catch (error) {
      failures.push(error);
      if (response.headersSent) response.destroy();
      else response.writeHead(500, { "content-type": "text/plain" }).end(`the test server's handler threw: ${String(error)}`);
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => {});
    req.on("end", () => {
      const recorded = { index: requests.length, method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(recorded);
      void respond(recorded, res);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed.then(() => {
        if (failures.length > 0) throw new AggregateError(failures, `the test server's handler threw ${failures.length} time(s): ${failures.map(String).join("; ")}`);
      });
    },
  };
}

function send(answer: ScriptedAnswer, response: ServerResponse): void {
  if ("hang" in answer) return;
  if ("reset" in answer) {
    response.socket?.destroy();
    return;
  }
  if ("stallBody" in answer) {
    response.writeHead(200, { "content-type": "application/json" });
    response.write('{"partial":');
    return;
  }
  const { body } = answer;
  const bytes = body === undefined ? "" : typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
  response.end(bytes);
}

/**
 * A port on 127.0.0.1 that nothing listens on: bound at a port the OS picks, then released, so
 * a connection to it is refused (`ECONNREFUSED`). Another process could take it in between;
 * on a test machine that is rare enough not to matter.
 */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
