// Middleware registered with `client.use()` (openapi-fetch's contract) runs for resource methods
// and raw calls alike, and credentials are added only after it, so no middleware ever sees them.
import type { Middleware } from "openapi-fetch";
import { afterEach, describe, expect, test } from "vitest";
import { createClient, InvalidParameterError, type CodeArtsClient } from "../src/index.js";
import { createFetchStub, jsonResponse } from "./support/fetch-stub.js";
import { example, PROJECT_ID, SECRETS, TENANT_ID } from "./support/fixtures.js";
import { startTestServer, type TestServer } from "@codearts-package-status/test-support";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientOnServer(): Promise<CodeArtsClient> {
  server = await startTestServer(() => ({ status: 200, headers: { "x-request-id": "req-1" }, body: example("ShowTenantPackageStatusOk") as object }));
  return createClient({ endpoints: { check: server.url }, credentials: { token: SECRETS.token }, maxRetries: 0 });
}

describe("middleware registered with use()", () => {
  test("runs for resource methods: onRequest's header reaches the server, onResponse sees the response", async () => {
    const client = await clientOnServer();
    const seen: string[] = [];
    client.use({
      onRequest({ request }) {
        request.headers.set("X-Trace-Id", "trace-42");
        seen.push(`request ${new URL(request.url).pathname}`);
        return undefined;
      },
      onResponse({ response }) {
        seen.push(`response ${response.status} ${response.headers.get("x-request-id")}`);
        return undefined;
      },
    });
    await expect(client.check.showTenantPackageStatus({ project_id: PROJECT_ID })).resolves.toEqual(example("ShowTenantPackageStatusOk"));
    expect(seen).toEqual(["request /v4/tenant/tenant-package-status", "response 200 req-1"]);
    expect(server?.requests[0]?.headers["x-trace-id"]).toBe("trace-42");
  });

  test("runs onRequest in registration order and onResponse in reverse, as openapi-fetch does", async () => {
    const client = await clientOnServer();
    const order: string[] = [];
    const named = (name: string): Middleware => ({
      onRequest: () => void order.push(`${name}.onRequest`),
      onResponse: () => void order.push(`${name}.onResponse`),
    });
    client.use(named("a"), named("b"));
    await client.check.showTenantPackageStatus();
    expect(order).toEqual(["a.onRequest", "b.onRequest", "b.onResponse", "a.onResponse"]);
  });

  test("a Response returned by onResponse replaces the server's, and is checked like one", async () => {
    const client = await clientOnServer();
    client.use({ onResponse: () => jsonResponse(503, { error_code: "LOCAL.503", error_msg: "replaced" }) });
    await expect(client.check.showTenantPackageStatus()).rejects.toMatchObject({ status: 503, errorCode: "LOCAL.503" });
  });

  test("a Response returned by onRequest answers the call without sending anything", async () => {
    const client = await clientOnServer();
    client.use({ onRequest: () => jsonResponse(200, { result: { cached: true } }) });
    await expect(client.check.showTenantPackageStatus()).resolves.toEqual({ result: { cached: true } });
    expect(server?.requests).toHaveLength(0);
  });

  test("eject() removes it: the next call runs without it", async () => {
    const client = await clientOnServer();
    let calls = 0;
    const counting: Middleware = { onRequest: () => void calls++ };
    client.use(counting);
    await client.check.showTenantPackageStatus();
    client.eject(counting);
    await client.check.showTenantPackageStatus();
    expect(calls).toBe(1);
    expect(server?.requests).toHaveLength(2);
  });

  test("applies to raw calls too, next to a call's own middleware", async () => {
    const client = await clientOnServer();
    const order: string[] = [];
    client.use({ onRequest: () => void order.push("registered") });
    const { data } = await client.GET("/v4/tenant/tenant-package-status", {
      params: { query: { project_id: PROJECT_ID } },
      middleware: [{ onRequest: () => void order.push("per call") }],
    });
    expect(data).toEqual(example("ShowTenantPackageStatusOk"));
    expect(order).toEqual(["registered", "per call"]);
  });

  test("never sees the credentials: they are added after every middleware, per attempt", async () => {
    const client = await clientOnServer();
    const headersSeen: string[] = [];
    client.use({ onRequest: ({ request }) => void headersSeen.push(JSON.stringify([...request.headers])) });
    await client.check.showTenantPackageStatus();
    await client.GET("/v4/tenant/tenant-package-status");
    expect(headersSeen).toHaveLength(2);
    for (const headers of headersSeen) expect(headers.toLowerCase()).not.toContain("x-auth-token");
    expect(server?.requests.map((r) => r.headers["x-auth-token"])).toEqual([SECRETS.token, SECRETS.token]);
  });

  test.each([
    ["a function", () => undefined],
    ["an object without hooks", { before: () => undefined }],
    ["a string", "log"],
  ])("rejects %s with InvalidParameterError", (_, candidate) => {
    const client = createClient({ region: "cn-north-4", credentials: { token: "t" } });
    expect(() => client.use(candidate as unknown as Middleware)).toThrow(InvalidParameterError);
  });
});

describe("raw calls", () => {
  test("a method the operation does not have is rejected before anything is sent", async () => {
    const stub = createFetchStub();
    const client = createClient({ region: "cn-north-4", credentials: { token: "t" }, fetch: stub.fetch });
    const post = client.request as unknown as (method: string, path: string) => Promise<unknown>;
    await expect(post("post", "/v4/tenant/tenant-package-status")).rejects.toThrow(/called with GET, not POST/);
    expect(stub.requests).toHaveLength(0);
  });

  test("a resource method and its raw call send the same headers: the token and nothing else", async () => {
    const stub = createFetchStub(() => jsonResponse(200, {}));
    const client = createClient({ region: "cn-north-4", credentials: { token: "t" }, fetch: stub.fetch });
    await client.pipeline.validateTenantPackageIsExpired({ tenant_id: TENANT_ID });
    await client.GET("/v5/{tenant_id}/api/package-specs/count-down", { params: { path: { tenant_id: TENANT_ID } } });
    const [direct, raw] = stub.requests.map((r) => Object.fromEntries(r.headers));
    expect(direct).toEqual(raw);
    expect(direct).toEqual({ "x-auth-token": "t" });
  });
});
