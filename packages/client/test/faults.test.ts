import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  createClient,
  InternalServerError,
  RateLimitError,
  RequestAbortedError,
  ResponseValidationError,
  TimeoutError,
  type ClientOptions,
} from "../src/index.js";
import { example, PROJECT_ID, SECRETS } from "./support/fixtures.js";
import { closedPort, startTestServer, type ScriptedAnswer, type TestServer } from "@codearts-package-status/test-support";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ok = { status: 200, body: example("ShowTenantPackageStatusOk") as object };

type Client = ReturnType<typeof createClient>;

// Resource methods go straight to the transport, or through openapi-fetch when middleware is
// registered: every fault must come out the same both ways.
const ROUTES: [string, (client: Client) => void][] = [
  ["straight to the transport", () => {}],
  ["through registered middleware", (client) => client.use({ onRequest: () => undefined, onResponse: () => undefined })],
];
let route: (client: Client) => void = () => {};

function routed(client: Client): Client {
  route(client);
  return client;
}

async function clientFor(answers: (index: number) => ScriptedAnswer, options: Partial<ClientOptions> = {}) {
  server = await startTestServer(({ index }) => answers(index));
  return routed(createClient({
    region: "cn-north-4",
    endpoints: { check: server.url },
    credentials: { token: SECRETS.token },
    retry: { initialDelayMs: 10, maxDelayMs: 50 },
    ...options,
  }));
}

const call = (client: Client) => client.check.showTenantPackageStatus({ project_id: PROJECT_ID });

describe.each(ROUTES)("resource methods %s", (_, register) => {
  beforeEach(() => {
    route = register;
  });

  describe("the request ID of a success", () => {
    test("is the result's non-enumerable _request_id, and leaves JSON and deep equality as the body sent", async () => {
      const client = await clientFor(() => ({ ...ok, headers: { "x-request-id": "req-ok-0001" } }));
      const result = await call(client);
      expect(result._request_id).toBe("req-ok-0001");
      expect(Object.keys(result)).not.toContain("_request_id");
      expect(JSON.stringify(result)).toBe(JSON.stringify(ok.body));
      expect(result).toStrictEqual(ok.body);
    });

    test("is on an array body too, and undefined when the service sent none", async () => {
      server = await startTestServer(() => ({ status: 200, body: [{ resource_name: "x", tips: null }] }));
      const client = routed(createClient({ region: "cn-north-4", endpoints: { pipeline: server.url }, credentials: { token: SECRETS.token } }));
      const result = await client.pipeline.validateTenantPackageIsExpired({ tenant_id: "389efb76b1354e4482eabeedxxxxxxxx", project_id: PROJECT_ID });
      expect(Object.getOwnPropertyDescriptor(result, "_request_id")).toEqual({ value: undefined, writable: false, enumerable: false, configurable: false });
      expect(JSON.stringify(result)).toBe('[{"resource_name":"x","tips":null}]');
    });

    test("a body's own _request_id field is kept as the service sent it", async () => {
      const client = await clientFor(() => ({ status: 200, body: { result: {}, _request_id: "from-the-body" } }));
      const result = await call(client);
      expect(result._request_id).toBe("from-the-body");
      expect(JSON.parse(JSON.stringify(result))).toEqual({ result: {}, _request_id: "from-the-body" });
    });
  });

  describe("retries", () => {
    test("a 503 followed by a 200 is retried and resolves to the 200 body", async () => {
      const client = await clientFor((i) => (i === 0 ? { status: 503, body: { error_code: "APIG.0503", error_msg: "busy" } } : ok));
      await expect(call(client)).resolves.toEqual(example("ShowTenantPackageStatusOk"));
      expect(server?.requests).toHaveLength(2);
    });

    test.each([408, 429, 500, 502, 503, 504])("HTTP %i is retried up to maxRetries, then thrown", async (status) => {
      const client = await clientFor(() => ({ status, body: { error_code: `X.${status}`, error_msg: "transient" } }), { maxRetries: 2 });
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toMatchObject({ status, errorCode: `X.${status}`, errorMsg: "transient" });
      expect(server?.requests).toHaveLength(3);
    });

    test.each([400, 401, 403, 404])("HTTP %i is never retried", async (status) => {
      const client = await clientFor(() => ({ status, body: { error_code: "CC.1", error_msg: "no" } }), { maxRetries: 5 });
      await expect(call(client)).rejects.toMatchObject({ status });
      expect(server?.requests).toHaveLength(1);
    });

    test("maxRetries: 0 turns retries off", async () => {
      const client = await clientFor(() => ({ status: 503, body: {} }), { maxRetries: 0 });
      await expect(call(client)).rejects.toBeInstanceOf(InternalServerError);
      expect(server?.requests).toHaveLength(1);
    });

    test("a 429 with Retry-After in seconds waits that long before retrying", async () => {
      const client = await clientFor((i) => (i === 0 ? { status: 429, headers: { "retry-after": "1" }, body: { error_code: "APIG.0308", error_msg: "throttled" } } : ok), {
        retry: { initialDelayMs: 1, maxDelayMs: 1 },
      });
      const started = performance.now();
      await expect(call(client)).resolves.toBeDefined();
      // The backoff alone would have waited 1 ms; only Retry-After explains a second.
      expect(performance.now() - started).toBeGreaterThanOrEqual(950);
      expect(server?.requests).toHaveLength(2);
    });

    test("a Retry-After given as an HTTP date is honoured too", async () => {
      const client = await clientFor((i) =>
        i === 0 ? { status: 503, headers: { "retry-after": new Date(Date.now() + 1500).toUTCString() }, body: {} } : ok,
      );
      const started = performance.now();
      await expect(call(client)).resolves.toBeDefined();
      expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    });

    test("a Retry-After beyond the cap is not waited for: the RateLimitError says how long the server asked", async () => {
      const client = await clientFor(() => ({ status: 429, headers: { "retry-after": "3600" }, body: { error_code: "APIG.0308", error_msg: "throttled" } }));
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ retryAfterMs: 3_600_000, errorCode: "APIG.0308" });
      expect(server?.requests).toHaveLength(1);
    });
  });

  describe("typed failures", () => {
    test("a 401 is an AuthenticationError with Huawei's error code, message and request id, and is not retried", async () => {
      const body = example("ShowTenantPackageStatusUnauthorized") as object;
      const client = await clientFor(() => ({ status: 401, body, headers: { "x-request-id": "rid-401" } }));
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({
        status: 401,
        errorCode: "CC.00000003",
        errorMsg: "Authentication information expired.",
        requestId: "rid-401",
        operationId: "ShowTenantPackageStatus",
        body,
      });
      expect(server?.requests).toHaveLength(1);
    });

    test("a 400 is a BadRequestError carrying the documented body", async () => {
      const client = await clientFor(() => ({ status: 400, body: example("ShowTenantPackageStatusBadRequest") as object }));
      await expect(call(client)).rejects.toSatisfy((e) => e instanceof BadRequestError && e.errorCode === "CC.xxxxxxxx.400");
    });

    test("the gateway's request_id in the body is the request id when no header carries one", async () => {
      const client = await clientFor(() => ({ status: 401, body: example("GatewayUnauthorized") as object }));
      await expect(call(client)).rejects.toMatchObject({ errorCode: "APIG.0301", requestId: "******" });
    });

    test("an HTML 502 page is retried, then thrown as an InternalServerError naming the page's title", async () => {
      const html = "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>";
      const client = await clientFor(() => ({ status: 502, headers: { "content-type": "text/html" }, body: html }));
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error).toMatchObject({ status: 502, errorCode: undefined, body: html });
      expect((error as Error).message).toContain("502 Bad Gateway");
      expect(server?.requests).toHaveLength(3);
    });

    test("a 200 with malformed JSON is a ResponseValidationError, not a SyntaxError", async () => {
      const client = await clientFor(() => ({ status: 200, body: '{"result": {"duration": -1,' }));
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect(error).toMatchObject({ status: 200, body: '{"result": {"duration": -1,' });
    });

    test("a 200 with an empty body is a ResponseValidationError", async () => {
      const client = await clientFor(() => ({ status: 200 }));
      await expect(call(client)).rejects.toSatisfy((e) => e instanceof ResponseValidationError && /empty/.test(e.message));
    });

    test("a server that never answers is a TimeoutError after each attempt's timeout", async () => {
      const client = await clientFor(() => ({ hang: true }), { timeoutMs: 100, maxRetries: 1 });
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ timeoutMs: 100 });
      expect(server?.requests).toHaveLength(2);
    });

    test("a body that stalls halfway is a timeout too", async () => {
      const client = await clientFor(() => ({ stallBody: true }), { timeoutMs: 100, maxRetries: 0 });
      await expect(call(client)).rejects.toBeInstanceOf(TimeoutError);
    });

    test("a reset connection is a ConnectionError after the retries", async () => {
      const client = await clientFor(() => ({ reset: true }), { maxRetries: 2 });
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(server?.requests).toHaveLength(3);
    });

    test("a reset connection followed by a 200 is retried and succeeds", async () => {
      const client = await clientFor((i) => (i === 0 ? { reset: true } : ok));
      await expect(call(client)).resolves.toEqual(example("ShowTenantPackageStatusOk"));
    });

    test("a refused connection is a ConnectionError that carries the socket's ECONNREFUSED", async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      const client = routed(createClient({ endpoints: { check: url }, credentials: { token: SECRETS.token }, maxRetries: 0 }));
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error).toMatchObject({ code: "ECONNREFUSED" });
      expect((error as Error).message).toMatch(/could not reach 127\.0\.0\.1:\d+: ECONNREFUSED/);
    });
  });

  describe("the caller's AbortSignal", () => {
    test("aborting while the server is thinking rejects with RequestAbortedError at once", async () => {
      const client = await clientFor(() => ({ hang: true }), { timeoutMs: 10_000 });
      const controller = new AbortController();
      const pending = client.check.showTenantPackageStatus({ project_id: PROJECT_ID }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toBeInstanceOf(RequestAbortedError);
    });

    test("aborting during a backoff wait stops the retries", async () => {
      const controller = new AbortController();
      const client = await clientFor(() => {
        // Abort once the first answer is out, while the client waits the 30 s Retry-After.
        setTimeout(() => controller.abort(), 50);
        return { status: 503, headers: { "retry-after": "30" }, body: {} };
      });
      const pending = client.check.showTenantPackageStatus({ project_id: PROJECT_ID }, { signal: controller.signal });
      await expect(pending).rejects.toBeInstanceOf(RequestAbortedError);
      expect(server?.requests).toHaveLength(1);
    });

    test("an already aborted signal sends nothing", async () => {
      const client = await clientFor(() => ok);
      await expect(client.check.showTenantPackageStatus({ project_id: PROJECT_ID }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
        RequestAbortedError,
      );
      expect(server?.requests).toHaveLength(0);
    });
  });
});
