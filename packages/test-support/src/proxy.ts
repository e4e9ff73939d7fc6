// A real forward proxy on 127.0.0.1 for the tests that check proxy variables are honoured: it
// tunnels `CONNECT host:port` (what undici's ProxyAgent sends, for http:// targets too) and
// forwards absolute-form requests (`GET http://host:port/path`, what curl -x sends for http://).
// It only ever connects to loopback, so a test can never reach past the machine through it.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import type { Duplex } from "node:stream";

/** One request the proxy received. Credentials are never recorded, only whether they came. */
export interface ProxiedRequest {
  /** `CONNECT` for a tunnel, otherwise the forwarded request's method. */
  method: string;
  /** `host:port` for a tunnel, the absolute URL for a forwarded request. */
  target: string;
  /** Whether a `Proxy-Authorization` header came with it (its value is never kept). */
  proxyAuthorization: boolean;
}

/** Options of {@link startForwardProxy}. */
export interface ForwardProxyOptions {
  /** `user:password` the proxy demands in `Proxy-Authorization: Basic …`; anything else gets 407. */
  credentials?: string | undefined;
}

/** A running forward proxy. */
export interface ForwardProxy {
  /** `http://127.0.0.1:<port>`, without credentials. */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: ProxiedRequest[];
  /** Stops listening and cuts every open connection and tunnel. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

// Headers that describe one hop; a proxy must not pass them on.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);

/** Starts a forward proxy on 127.0.0.1 at a port the OS picks. */
export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket | Duplex>();
  const expected = options.credentials === undefined ? undefined : `Basic ${Buffer.from(options.credentials).toString("base64")}`;

  // Records the request and says whether it may pass; credentials are compared, never stored.
  const admit = (method: string, target: string, headers: IncomingHttpHeaders): boolean => {
    const given = headers["proxy-authorization"];
    requests.push({ method, target, proxyAuthorization: given !== undefined });
    return expected === undefined || given === expected;
  };

  const server = createServer((req, res) => {
    const target = parseTarget(req);
    if (!admit(req.method ?? "GET", req.url ?? "", req.headers)) {
      res.writeHead(407, { "proxy-authenticate": 'Basic realm="test"', connection: "close" }).end();
      return;
    }
    if (target === undefined) {
      // Origin-form is a request for the proxy itself; any other host is out of bounds.
      res.writeHead(req.url?.startsWith("/") ? 400 : 403, { connection: "close" }).end();
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const upstream = httpRequest({ host: target.hostname.replace(/^\[|\]$/g, ""), port: target.port || 80, method: req.method, path: `${target.pathname}${target.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name))));
      answer.pipe(res);
    });
    upstream.on("error", () => res.headersSent ? res.destroy() : res.writeHead(502, { connection: "close" }).end());
    req.pipe(upstream);
  });

  server.on("connect", (req: IncomingMessage, client: Duplex, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    const authority = req.url ?? "";
    if (!admit("CONNECT", authority, req.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(authority);
    if (!match || !LOOPBACK.has(match[1] as string)) {
      client.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    const upstream = connect(Number(match[2]), (match[1] as string).replace(/^\[|\]$/g, ""), () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// An absolute-form target on loopback, or undefined (origin-form, another host, not a URL).
function parseTarget(req: IncomingMessage): URL | undefined {
  if (!/^http:\/\//i.test(req.url ?? "")) return undefined;
  try {
    const url = new URL(req.url as string);
    return LOOPBACK.has(url.hostname) ? url : undefined;
  } catch {
    return undefined;
  }
}
