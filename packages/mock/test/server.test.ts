import { Agent, request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../src/index.js";
import { bundle, documentedOperation } from "@codearts-package-status/test-support";
import { TOKEN } from "./support/fixtures.js";

const pipeline = documentedOperation("ValidateTenantPackageIsExpired");
const servers: MockServer[] = [];

async function start(options: Parameters<typeof startMockServer>[0] = {}): Promise<MockServer> {
  const server = await startMockServer(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("startMockServer", () => {
  it("listens on 127.0.0.1 and a free port by default", async () => {
    const server = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it("rejects when the port is taken", async () => {
    const first = await start();
    await expect(startMockServer({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it("records method, path, query, header names, operation and status", async () => {
    const server = await start();
    const query = "project_id=666666af0f00445f85dec483fbc97c78&is_main=true&is_main=false&_=1";
    await fetch(`${server.url}/v5/389efb76b1354e4482eabeedxxxxxxxx/api/package-specs/count-down?${query}`, {
      headers: { "X-Auth-Token": TOKEN, "X-Custom": "v" },
    });
    await fetch(`${server.url}/nowhere?a=1`, { method: "DELETE" });
    const [first, second] = server.requests;
    expect(first).toMatchObject({
      method: "GET",
      path: "/v5/389efb76b1354e4482eabeedxxxxxxxx/api/package-specs/count-down",
      query: { project_id: "666666af0f00445f85dec483fbc97c78", is_main: ["true", "false"], _: "1" },
      operationId: "ValidateTenantPackageIsExpired",
      queryLength: query.length,
      status: 400,
    });
    expect(first?.headerNames).toEqual(expect.arrayContaining(["x-auth-token", "x-custom", "host"]));
    expect(second).toEqual({ method: "DELETE", path: "/nowhere", query: { a: "1" }, queryLength: 3, headerNames: expect.any(Array), status: 404 });
  });

  it("keeps only the most recent requestLogSize requests, oldest first, in a clearable array", async () => {
    const server = await start({ requestLogSize: 3 });
    for (let i = 0; i < 5; i++) await fetch(`${server.url}/nowhere?i=${i}`);
    expect(server.requests.map((r) => r.query)).toEqual([{ i: "2" }, { i: "3" }, { i: "4" }]);
    server.requests.length = 0;
    await fetch(`${server.url}/nowhere?i=5`);
    expect(server.requests.map((r) => r.query)).toEqual([{ i: "5" }]);
  });

  it("records nothing with requestLogSize 0 and still answers", async () => {
    const server = await start({ requestLogSize: 0 });
    expect((await fetch(`${server.url}${pipeline.target}`, { headers: { "X-Auth-Token": TOKEN } })).status).toBe(200);
    expect(server.requests).toEqual([]);
  });

  it("keeps only the start of a long path, query and header list, and the query's full length", async () => {
    const server = await start();
    const query = `a=1&b=${"x".repeat(3000)}&c=3`;
    const headers = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`x-header-${String(i).padStart(40, "0")}`, "v"]));
    await fetch(`${server.url}/${"p".repeat(5000)}?${query}`, { headers });
    const [recorded] = server.requests;
    // The cut falls inside b's value: b is left out rather than recorded half-read.
    expect(recorded).toMatchObject({ path: `/${"p".repeat(2047)}`, query: { a: "1" }, queryLength: query.length, truncated: true, status: 404 });
    expect(recorded!.headerNames.join("").length).toBeLessThanOrEqual(2048);
    expect(recorded!.headerNames.length).toBeGreaterThan(0);
  });

  it("answers 413 with the gateway's error body to a body over maxBodyBytes, declared or chunked, and accepts one at the limit", async () => {
    const server = await start({ maxBodyBytes: 10 });
    const url = `${server.url}/nowhere`;
    const declared = await fetch(url, { method: "POST", body: "x".repeat(11) });
    expect(declared.status).toBe(413);
    expect(declared.headers.get("connection")).toBe("close");
    expect(await declared.json()).toEqual({ error_code: "APIG.0201", error_msg: "Request entity too large", request_id: declared.headers.get("x-request-id") });
    const stream = new ReadableStream({
      start(controller) {
        for (const part of ["xxxxxx", "xxxxxx"]) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    });
    const chunked = await fetch(url, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await fetch(url, { method: "POST", body: "x".repeat(10) })).status).toBe(404);
    expect(server.requests.map((r) => r.status)).toEqual([413, 413, 404]);
  });

  it.each([
    ["requestLogSize", -1],
    ["requestLogSize", 1.5],
    ["maxBodyBytes", Number.NaN],
  ])("refuses %s %s", async (name, value) => {
    await expect(startMockServer({ [name]: value })).rejects.toThrow(`${name} must be a non-negative integer`);
  });

  it("closes idle keep-alive connections instead of waiting for them to time out", async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    try {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(`${server.url}${pipeline.target}`, { agent, headers: { "X-Auth-Token": TOKEN } }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode));
        });
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(200);
      const started = Date.now();
      await server.close();
      // Well under the 5 s keep-alive timeout that a close waiting on idle sockets would take.
      expect(Date.now() - started).toBeLessThan(4000);
      await expect(fetch(`${server.url}/`)).rejects.toThrow();
    } finally {
      agent.destroy();
    }
  });

  it("can be closed twice", async () => {
    const server = await start();
    await server.close();
    await expect(server.close()).resolves.toBeUndefined();
  });

  it("delays every response by latencyMs", async () => {
    const server = await start({ latencyMs: 150 });
    const started = Date.now();
    const res = await fetch(`${server.url}${pipeline.target}`, { headers: { "X-Auth-Token": TOKEN } });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("serves an operation added to the spec with no change to the mock", async () => {
    const extended = structuredClone(bundle) as { paths: Record<string, unknown> };
    extended.paths["/v1/{tenant_id}/widgets/{widget_id}"] = {
      parameters: [{ $ref: "#/components/parameters/TenantId" }],
      post: {
        operationId: "CreateWidget",
        security: [],
        parameters: [
          { name: "widget_id", in: "path", required: true, schema: { type: "integer", minimum: 1 } },
          { name: "X-Color", in: "header", required: true, schema: { type: "string", enum: ["red", "blue"] } },
        ],
        responses: {
          "201": { description: "Created", content: { "application/json": { examples: { Made: { value: { id: 7 } } } } } },
          "409": { description: "Conflict", content: { "application/json": { example: { error_code: "W.409", error_msg: "exists" } } } },
        },
      },
    };
    const server = await start({ spec: extended });
    // Edits to the caller's object after start-up must not change what is served.
    delete extended.paths["/v1/{tenant_id}/widgets/{widget_id}"];
    const url = `${server.url}/v1/389efb76b1354e4482eabeedxxxxxxxx/widgets/3`;

    const created = await fetch(url, { method: "POST", headers: { "X-Color": "red" } });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ id: 7 });

    const conflict = await fetch(url, { method: "POST", headers: { "X-Color": "red", Prefer: "code=409" } });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ error_code: "W.409", error_msg: "exists" });

    const badHeader = await fetch(url, { method: "POST", headers: { "X-Color": "green" } });
    expect(badHeader.status).toBe(400);
    expect(((await badHeader.json()) as { error_msg: string }).error_msg).toMatch(/^Invalid parameter X-Color: /);

    const badId = await fetch(url.replace(/3$/, "0"), { method: "POST", headers: { "X-Color": "red" } });
    expect(((await badId.json()) as { error_msg: string }).error_msg).toBe("Invalid parameter widget_id: must be >= 1");

    const missingHeader = await fetch(url, { method: "POST" });
    expect(((await missingHeader.json()) as { error_msg: string }).error_msg).toBe("Invalid parameter X-Color: is required");
  });

  it("refuses a spec whose parameter schema ajv cannot compile", async () => {
    const broken = structuredClone(bundle);
    // The mock reads openapi.json, whose paths reach this schema through a $ref.
    broken.components.parameters.IsMain!.schema = { type: "string", pattern: "(" };
    await expect(startMockServer({ spec: broken })).rejects.toThrow();
  });

  it("refuses a spec with an external $ref", async () => {
    const external = structuredClone(bundle) as { paths: Record<string, unknown> };
    external.paths["/x"] = { get: { parameters: [{ $ref: "other.yaml#/P" }], responses: {} } };
    await expect(startMockServer({ spec: external })).rejects.toThrow(/only internal \$refs/);
  });
});
