import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../src/index.js";
import { documentedOperations, documentedOperation, spec, type Json } from "@codearts-package-status/test-support";
import { TOKEN } from "./support/fixtures.js";

const pipeline = documentedOperation("ValidateTenantPackageIsExpired");
const withProjectId = documentedOperations().filter((op) => op.parameters.some((p) => p.name === "project_id"));
// CodeArts Artifact documents no length or characters for its project_id; the others state 32.
const constrainsProjectId = (op: (typeof withProjectId)[number]) => op.operationId !== "ShowPackageInfo";
const TENANT = "389efb76b1354e4482eabeedxxxxxxxx";
const PROJECT = "666666af0f00445f85dec483fbc97c78";
const countDown = (tenant: string, query = ""): string => `/v5/${tenant}/api/package-specs/count-down${query}`;

// strict off: the spec's schemas carry OpenAPI's `example`, which plain JSON Schema does not know.
const isHuaweiError = new Ajv({ strict: false }).compile(spec.components.schemas.HuaweiError as object);

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(async () => {
  await server.close();
});

async function get(target: string, headers: Record<string, string> = { "X-Auth-Token": TOKEN }, method = "GET") {
  const res = await fetch(`${server.url}${target}`, { method, headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

function replaceQuery(target: string, name: string, value: string | string[]): string {
  const url = new URL(target, "http://x");
  url.searchParams.delete(name);
  for (const v of [value].flat()) url.searchParams.append(name, v);
  return `${url.pathname}${url.search}`;
}

describe("parameters", () => {
  it("checks that every operation with project_id was found", () => {
    expect(withProjectId.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(withProjectId)("$operationId", (op) => {
    const documented400 = op.examples.find((r) => r.status === "400")?.value;

    it.runIf(constrainsProjectId(op)).each([
      ["too short", "666666af0f00445f85dec483fbc97c7"],
      ["too long", `${PROJECT}0`],
      ["not alphanumeric", "666666af-f00445f85dec483fbc97c78"],
      ["empty", ""],
      ["repeated", [PROJECT, PROJECT]],
    ])("rejects a project_id that is %s with a Huawei error body", async (_label, value) => {
      const { status, body, headers } = await get(replaceQuery(op.target, "project_id", value));
      expect(status).toBe(400);
      expect(isHuaweiError(body)).toBe(true);
      expect(headers.get("x-mock-reason")).toContain("project_id");
      if (documented400 !== undefined) {
        expect(body).toEqual(documented400);
      } else {
        expect(body.error_code).toBe("MOCK.0400");
        expect(body.error_msg).toMatch(/^Invalid parameter project_id: /);
      }
    });

    it.runIf(!constrainsProjectId(op)).each([
      ["of another length, a UUID with dashes", "666666af-0f00-445f-85de-c483fbc97c78"],
      ["short", "p1"],
    ])("accepts a project_id %s, as its page documents no length", async (_label, value) => {
      expect((await get(replaceQuery(op.target, "project_id", value))).status).toBe(200);
    });

    it("accepts the request without the optional project_id", async () => {
      const url = new URL(op.target, "http://x");
      url.searchParams.delete("project_id");
      expect((await get(`${url.pathname}${url.search}`)).status).toBe(200);
    });
  });

  it("serves the documented 400 example of an operation that has one", () => {
    expect(withProjectId.some((op) => op.examples.some((r) => r.status === "400"))).toBe(true);
  });

  it.each([
    ["too short", "389efb76b1354e4482eabeed"],
    ["not alphanumeric", "389efb76b1354e4482eabeedxxxxxxx!"],
    ["an encoded slash", "389efb76b1354e4482eabee%2Fxxxxxxx"],
    ["malformed percent-encoding", "389efb76b1354e4482eabeedxxxxx%zz"],
  ])("rejects a tenant_id that is %s", async (_label, tenant) => {
    const { status, body } = await get(countDown(tenant, `?project_id=${PROJECT}`));
    expect(status).toBe(400);
    expect(isHuaweiError(body)).toBe(true);
    expect(body.error_code).toBe("MOCK.0400");
    expect(body.error_msg).toMatch(/^Invalid parameter tenant_id: /);
  });

  it.each(["yes", "TRUE", "1", ""])("rejects is_main=%s with the allowed values", async (value) => {
    const { status, body } = await get(replaceQuery(pipeline.target, "is_main", value));
    expect(status).toBe(400);
    expect(body.error_code).toBe("MOCK.0400");
    expect(body.error_msg).toContain('Invalid parameter is_main: must be equal to one of the allowed values ["true","false"]');
  });

  it("rejects a non-numeric cache buster", async () => {
    const { status, body } = await get(replaceQuery(pipeline.target, "_", "now"));
    expect(status).toBe(400);
    expect(body.error_msg).toMatch(/^Invalid parameter _: must match pattern/);
  });

  it("ignores query parameters the spec does not declare, as the gateway does", async () => {
    expect((await get(`${pipeline.target}&extra=1`)).status).toBe(200);
  });

  it("checks credentials before parameters", async () => {
    const { status, body } = await get(countDown("short"), {});
    expect(status).toBe(401);
    expect(body).toEqual(pipeline.examples.find((r) => r.status === "401")?.value);
  });
});

describe("routing", () => {
  const notFound = { error_code: "APIG.0101", error_msg: "The API does not exist or has not been published in the environment." };

  it.each([
    "/v5/api/package-specs/count-down",
    `/v5/${TENANT}/api/package-specs/count-down/extra`,
    "/devreposerver/v5/data/package/info/",
    "/v4/tenant/tenant-package-status/x",
    "/",
  ])("answers the unknown path %s with 404 APIG.0101", async (path) => {
    const { status, body, headers } = await get(path);
    expect(status).toBe(404);
    expect(body).toEqual({ ...notFound, request_id: headers.get("x-request-id") });
  });

  it("routes before it authenticates, as the gateway does", async () => {
    expect((await get("/nowhere", {})).status).toBe(404);
  });

  it.each(["POST", "PUT", "DELETE", "PATCH"])("answers %s on a GET-only path with 405 and Allow", async (method) => {
    const { status, body, headers } = await get(pipeline.target, { "X-Auth-Token": TOKEN }, method);
    expect(status).toBe(405);
    expect(headers.get("allow")).toBe("GET");
    expect(body).toEqual({ ...notFound, request_id: headers.get("x-request-id") });
  });
});
