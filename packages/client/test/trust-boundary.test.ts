// What a hostile or broken endpoint can answer, over real HTTP on 127.0.0.1: a redirect to
// another origin, an answer that is not HTTP, a nonsensical Retry-After. Bodies too large for
// memory are in body-cap.test.ts.
import net from "node:net";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import {
  ConnectionError,
  createClient,
  InvalidParameterError,
  InvalidResponseError,
  RateLimitError,
  RedirectError,
  ResponseTooLargeError,
  type ClientOptions,
} from "../src/index.js";
import { retryAfterMs } from "../src/transport/retry.js";
import { example, PROJECT_ID, SECRETS } from "./support/fixtures.js";
import { startTestServer, type ScriptedAnswer, type TestServer } from "@codearts-package-status/test-support";

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(answers: (index: number) => ScriptedAnswer): Promise<TestServer> {
  const started = await startTestServer(({ index }) => answers(index));
  servers.push(started);
  return started;
}

const ok = { status: 200, body: example("ShowTenantPackageStatusOk") as object };
type Client = ReturnType<typeof createClient>;

// Every way a call reaches the transport: a resource method straight, one through registered
// middleware (openapi-fetch), and the raw `client.GET` (a Request template).
const CALLS: [string, (client: Client) => Promise<unknown>][] = [
  ["a resource method", (client) => client.check.showTenantPackageStatus({ project_id: PROJECT_ID })],
  [
    "a resource method with middleware registered",
    (client) => {
      client.use({ onRequest: () => undefined });
      return client.check.showTenantPackageStatus({ project_id: PROJECT_ID });
    },
  ],
  ["the raw client.GET", (client) => client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id: PROJECT_ID } } })],
];

const CREDENTIALS: [string, ClientOptions["credentials"], string][] = [
  ["an IAM token", { token: SECRETS.token }, "x-auth-token"],
  ["an AK/SK pair with a security token", { accessKey: SECRETS.accessKey, secretKey: SECRETS.secretKey, securityToken: SECRETS.securityToken }, "x-security-token"],
];

function clientOf(url: string, options: Partial<ClientOptions> = {}): Client {
  return createClient({ endpoints: { check: url }, credentials: { token: SECRETS.token }, retry: { initialDelayMs: 1, maxDelayMs: 1 }, ...options });
}

describe.each(CALLS)("%s", (_, call) => {
  describe.each(CREDENTIALS)("with %s", (_, credentials, header) => {
    test.each([301, 302, 303, 307, 308])("a %i to another origin is a RedirectError naming that host; nothing reaches it", async (status) => {
      const elsewhere = await server(() => ok);
      const target = `${elsewhere.url}/collect?stolen=${header}`;
      const endpoint = await server(() => ({ status, headers: { location: target }, body: "moved" }));
      const error = await call(clientOf(endpoint.url, { credentials, maxRetries: 2 })).catch((e: unknown) => e);

      // Today's fetch forwards every header but Authorization and Cookie across origins.
      expect(elsewhere.requests.filter((r) => header in r.headers)).toEqual([]);
      expect(elsewhere.requests).toEqual([]);
      expect(error).toBeInstanceOf(RedirectError);
      expect(error).toMatchObject({ status, targetHost: new URL(elsewhere.url).host });
      // The host only: a Location's path and query may carry anything.
      expect((error as Error).message).toContain(new URL(elsewhere.url).host);
      expect((error as Error).message).not.toContain("stolen");
      // A redirect says where the resource is; asking the same host again would not change it.
      expect(endpoint.requests).toHaveLength(1);
    });
  });

  test("a redirect to the same host is not followed either, and a missing Location names no host", async () => {
    const endpoint = await server((i) => (i === 0 ? { status: 302, headers: { location: "/elsewhere" } } : { status: 307 }));
    const client = clientOf(endpoint.url);
    await expect(call(client)).rejects.toMatchObject({ name: "RedirectError", status: 302, targetHost: new URL(endpoint.url).host });
    await expect(call(client)).rejects.toMatchObject({ name: "RedirectError", status: 307, targetHost: undefined });
    expect(endpoint.requests.map((r) => r.url)).toEqual([
      `/v4/tenant/tenant-package-status?project_id=${PROJECT_ID}`,
      `/v4/tenant/tenant-package-status?project_id=${PROJECT_ID}`,
    ]);
  });

  test("a 304 is not a redirect: it comes back as the 304 it is (an ApiError, or the raw call's response)", async () => {
    const endpoint = await server(() => ({ status: 304 }));
    const outcome = (await call(clientOf(endpoint.url)).catch((e: unknown) => e)) as { status?: number; response?: Response };
    expect(outcome).not.toBeInstanceOf(RedirectError);
    expect(outcome.status ?? outcome.response?.status).toBe(304);
  });

  test("a body over maxResponseBytes is a ResponseTooLargeError, not retried; one of exactly that size is read", async () => {
    const body = JSON.stringify(example("ShowTenantPackageStatusOk"));
    const size = Buffer.byteLength(body);
    const endpoint = await server(() => ({ status: 200, body }));
    await expect(call(clientOf(endpoint.url, { maxResponseBytes: size - 1, maxRetries: 2 }))).rejects.toMatchObject({
      name: "ResponseTooLargeError",
      maxResponseBytes: size - 1,
    });
    expect(endpoint.requests).toHaveLength(1);
    await expect(call(clientOf(endpoint.url, { maxResponseBytes: size }))).resolves.toBeDefined();
  });

  test("the cap counts bytes after decompression: a small gzip body that inflates past it is refused", async () => {
    const inflated = 64 * 1024;
    const gzipped = zlib.gzipSync(Buffer.alloc(inflated, 0x20));
    const endpoint = await raw(() => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${gzipped.length}\r\n\r\n`, gzipped);
    const error = await call(clientOf(endpoint.url, { maxResponseBytes: inflated - 1 })).catch((e: unknown) => e);
    expect(gzipped.length).toBeLessThan(1024);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  test.each([
    ["a header section over the parser's limit", `HTTP/1.1 200 OK\r\nX-Filler: ${"a".repeat(70_000)}\r\nContent-Length: 2\r\n\r\n{}`, "UND_ERR_HEADERS_OVERFLOW"],
    ["an invalid status line", "HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\n{}", "HPE_INVALID_STATUS"],
    ["something that is not HTTP at all", "SSH-2.0-OpenSSH_9.6\r\n\r\n", "HPE_INVALID_CONSTANT"],
    ["a gzip body that is not gzip", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\n0123456789", "Z_DATA_ERROR"],
  ])("%s is an InvalidResponseError from the host, not a ConnectionError, and is not retried", async (_, answer, code) => {
    const endpoint = await raw(() => answer);
    const error = await call(clientOf(endpoint.url, { maxRetries: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toContain(`got an invalid response from ${new URL(endpoint.url).host}`);
    expect((error as Error).message).not.toMatch(/could not reach/);
    expect(endpoint.connections()).toBe(1);
  });
});

describe("Retry-After", () => {
  const headers = (value: string) => new Headers({ "retry-after": value });

  test.each(["-5", "-1", "1.5", "+3", "0x10", "1e3", "soon"])("%j says nothing, so the client's own backoff applies", (value) => {
    expect(retryAfterMs(headers(value))).toBeUndefined();
  });

  test("seconds and HTTP dates still count, a past date as no wait", () => {
    const now = Date.parse("Sun, 06 Nov 1994 08:49:37 GMT");
    expect(retryAfterMs(headers("7"), now)).toBe(7000);
    expect(retryAfterMs(headers("Sun, 06 Nov 1994 08:49:47 GMT"), now)).toBe(10_000);
    expect(retryAfterMs(headers("Sunday, 06-Nov-94 08:49:39 GMT"), now)).toBe(2000);
    expect(retryAfterMs(headers("Sun Nov  6 08:49:36 1994"), now + 3_600_000)).toBe(0);
  });

  test("property: a value of digits and signs that is not a plain number of seconds never reads as a wait", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[-+.0-9 ]{1,12}$/), (value) => {
        fc.pre(!/^\s*\d+\s*$/.test(value));
        expect(retryAfterMs(headers(value))).toBeUndefined();
      }),
    );
  });

  test("a 429 with Retry-After: -5 is a RateLimitError that claims no wait", async () => {
    const endpoint = await server(() => ({ status: 429, headers: { "retry-after": "-5" }, body: { error_code: "APIG.0308", error_msg: "throttled" } }));
    const error = await clientOf(endpoint.url, { maxRetries: 0 }).check.showTenantPackageStatus({ project_id: PROJECT_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: undefined });
  });
});

describe("createClient's bounds", () => {
  test.each([2 ** 31, 2 ** 40, Infinity, 0, -1, Number.NaN])("timeoutMs %d is refused: a timer cannot hold it", (timeoutMs) => {
    expect(() => createClient({ region: "cn-north-4", credentials: { token: SECRETS.token }, timeoutMs })).toThrow(InvalidParameterError);
  });

  test("timeoutMs 2 ** 31 - 1, the longest a timer holds, is accepted and does not fire early", async () => {
    const endpoint = await server(() => ok);
    await expect(clientOf(endpoint.url, { timeoutMs: 2 ** 31 - 1 }).check.showTenantPackageStatus({ project_id: PROJECT_ID })).resolves.toBeDefined();
  });

  test.each([0, -1, Number.NaN])("maxResponseBytes %d is refused", (maxResponseBytes) => {
    expect(() => createClient({ region: "cn-north-4", credentials: { token: SECRETS.token }, maxResponseBytes })).toThrow(
      expect.objectContaining({ name: "InvalidParameterError", parameter: "maxResponseBytes" }),
    );
  });
});

// A TCP server on 127.0.0.1 that answers every request with the bytes given, whatever they are,
// and counts the connections it got.
async function raw(head: () => string, body?: Buffer): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("data", () => {
      socket.write(head());
      socket.end(body ?? "");
    });
  });
  await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  const handle = {
    url: `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        tcp.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}
