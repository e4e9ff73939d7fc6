import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../src/index.js";
import { parsePrefer } from "../src/prefer.js";
import { documentedOperation } from "@codearts-package-status/test-support";
import { TOKEN } from "./support/fixtures.js";

const check = documentedOperation("ShowTenantPackageStatus");
const pipeline = documentedOperation("ValidateTenantPackageIsExpired");
let server: MockServer;

beforeAll(async () => {
  server = await startMockServer();
});
afterAll(async () => {
  await server.close();
});

async function call(target: string, prefer: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${target}`, { headers: { "X-Auth-Token": TOKEN, Prefer: prefer } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("parsePrefer", () => {
  it("reads code and example among other preferences, quoted or not, in any case", () => {
    expect(parsePrefer('return=minimal, Code=400; example="ShowTenantPackageStatusBadRequest"')).toEqual({
      code: "400",
      example: "ShowTenantPackageStatusBadRequest",
    });
  });

  it("joins repeated Prefer headers", () => {
    expect(parsePrefer(["code=401", "example=X"])).toEqual({ code: "401", example: "X" });
  });

  it("ignores preferences without a value", () => {
    expect(parsePrefer("respond-async, wait")).toEqual({});
  });
});

describe("Prefer selection", () => {
  it("picks a status by code", async () => {
    const { status, body } = await call(check.target, "code=400");
    expect(status).toBe(400);
    expect(body).toEqual(check.examples.find((r) => r.status === "400")?.value);
  });

  it("picks a named example from any response of the operation", async () => {
    const { status, body } = await call(check.target, "example=ShowTenantPackageStatusUnauthorized");
    expect(status).toBe(401);
    expect(body.error_code).toBe("CC.00000003");
  });

  it("combines code and example", async () => {
    const { status, body } = await call(pipeline.target, "code=401, example=GatewayUnauthorized");
    expect(status).toBe(401);
    expect(body.error_code).toBe("APIG.0301");
  });

  it.each([
    ["an undocumented code", "code=418", /no response for code=418/],
    ["an unknown example", "example=NoSuchExample", /no example named "NoSuchExample"/],
    ["an example under another code", "code=200, example=ShowTenantPackageStatusUnauthorized", /under code=200/],
  ])("rejects %s with a MOCK.0400 error listing the choices", async (_label, prefer, message) => {
    const { status, body } = await call(check.target, prefer);
    expect(status).toBe(400);
    expect(body.error_code).toBe("MOCK.0400");
    expect(body.error_msg).toMatch(message);
    for (const status of check.statuses) expect(body.error_msg).toContain(`code=${status}`);
    expect(body.error_msg).toContain("example=ShowTenantPackageStatusOk");
  });
});
