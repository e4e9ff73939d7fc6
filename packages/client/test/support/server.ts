// A real HTTP server on 127.0.0.1 whose every answer a test scripts, for fault injection.
import http from "node:http";
import type { AddressInfo } from "node:net";

/** What the server saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A scripted answer: status, headers and body, or a way to misbehave. */
export type Answer =
  | { status: number; headers?: Record<string, string>; body?: string | object }
  | { hang: true }
  | { reset: true }
  | { stallBody: true };

/** A running test server. */
export interface TestServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Starts a server that answers the n-th request with `answers(n, request)`. */
export async function startServer(answers: (index: number, request: SeenRequest) => Answer): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers };
    requests.push(seen);
    const answer = answers(requests.length - 1, seen);
    if ("hang" in answer) return;
    if ("reset" in answer) {
      req.socket.destroy();
      return;
    }
    if ("stallBody" in answer) {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"partial":');
      return;
    }
    const body = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, { "content-type": "application/json", "x-request-id": `req-${requests.length}`, ...answer.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
