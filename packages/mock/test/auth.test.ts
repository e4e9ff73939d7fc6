import { signRequest } from "@codearts-package-status/client/signer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../src/index.js";
import { documentedOperations, documentedOperation } from "@codearts-package-status/test-support";
import { TOKEN } from "./support/fixtures.js";

const AK = "HPUAMOCKACCESSKEY0001";
const SK = "mock-secret-key-never-logged-0123456789";
const SECURITY_TOKEN = "gQpjbi1ub3J0aC00SECURITYTOKENVALUE";
const pipeline = documentedOperation("ValidateTenantPackageIsExpired");
const operations = documentedOperations();
let server: MockServer;

beforeAll(async () => {
  server = await startMockServer({ credentials: { accessKeys: { [AK]: SK, OTHERAK: "other-secret" } } });
});
afterAll(async () => {
  await server.close();
});

interface Signed {
  url: string;
  headers: Headers;
}

async function signed(target: string, options: { secretKey?: string; accessKey?: string; date?: Date; securityToken?: string } = {}): Promise<Signed> {
  const url = `${server.url}${target}`;
  const headers = await signRequest({
    method: "GET",
    url,
    accessKey: options.accessKey ?? AK,
    secretKey: options.secretKey ?? SK,
    date: options.date,
    securityToken: options.securityToken,
  });
  return { url, headers };
}

async function send({ url, headers }: Signed): Promise<{ status: number; requestId: string | null; body: Record<string, unknown> }> {
  const res = await fetch(url, { headers });
  return { status: res.status, requestId: res.headers.get("x-request-id"), body: (await res.json()) as Record<string, unknown> };
}

function expectSignatureFailure(result: { status: number; requestId: string | null; body: Record<string, unknown> }): void {
  expect(result.status).toBe(401);
  expect(result.body).toEqual({
    error_code: "APIG.0301",
    error_msg: "Incorrect IAM authentication information: verify aksk signature fail",
    request_id: result.requestId,
  });
}

describe("IAM token", () => {
  it.each(operations)("answers $operationId without credentials with its documented 401 example", async (op) => {
    const res = await fetch(`${server.url}${op.target}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(op.examples.find((r) => r.status === "401")?.value);
  });

  it.each(operations)("answers $operationId with a token with 200", async (op) => {
    const res = await fetch(`${server.url}${op.target}`, { headers: { "X-Auth-Token": TOKEN } });
    expect(res.status).toBe(200);
  });

  it("accepts a token of the documented maximum of 100000 characters", async () => {
    const res = await fetch(`${server.url}${pipeline.target}`, { headers: { "X-Auth-Token": "t".repeat(100_000) } });
    expect(res.status).toBe(200);
  });

  it.each([
    ["empty", ""],
    ["longer than 100000 characters", "t".repeat(100_001)],
  ])("rejects a token that is %s with the documented 401", async (_label, token) => {
    const res = await fetch(`${server.url}${pipeline.target}`, { headers: { "X-Auth-Token": token } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(pipeline.examples.find((r) => r.status === "401")?.value);
  });

  it("treats an Authorization header of another scheme as no credentials", async () => {
    const res = await fetch(`${server.url}${pipeline.target}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(pipeline.examples.find((r) => r.status === "401")?.value);
  });
});

describe("AK/SK signature", () => {
  it.each(operations)("accepts $operationId signed with the right secret key", async (op) => {
    const result = await send(await signed(op.target));
    expect(result.status).toBe(200);
    expect(result.body).toEqual(op.examples.find((r) => r.status.startsWith("2"))?.value);
  });

  it("accepts temporary credentials with a signed X-Security-Token", async () => {
    const request = await signed(pipeline.target, { securityToken: SECURITY_TOKEN });
    expect(request.headers.get("x-security-token")).toBe(SECURITY_TOKEN);
    expect((await send(request)).status).toBe(200);
  });

  it("rejects a signature made with the wrong secret key", async () => {
    expectSignatureFailure(await send(await signed(pipeline.target, { secretKey: "not-the-secret" })));
  });

  it("rejects an access key the mock was not given", async () => {
    expectSignatureFailure(await send(await signed(pipeline.target, { accessKey: "UNKNOWNAK" })));
  });

  it("rejects another configured key's signature presented under this access key", async () => {
    expectSignatureFailure(await send(await signed(pipeline.target, { secretKey: "other-secret" })));
  });

  it("rejects a query changed after signing", async () => {
    const request = await signed(pipeline.target);
    const url = new URL(request.url);
    url.searchParams.set("is_main", "false");
    expectSignatureFailure(await send({ url: url.toString(), headers: request.headers }));
  });

  it("rejects a path changed after signing", async () => {
    const request = await signed(pipeline.target);
    const tampered = request.url.replace("389efb76b1354e4482eabeedxxxxxxxx", "389efb76b1354e4482eabeedyyyyyyyy");
    expect(tampered).not.toBe(request.url);
    expectSignatureFailure(await send({ url: tampered, headers: request.headers }));
  });

  it("rejects a signed header changed after signing", async () => {
    const request = await signed(pipeline.target, { securityToken: SECURITY_TOKEN });
    request.headers.set("X-Security-Token", `${SECURITY_TOKEN}x`);
    expectSignatureFailure(await send(request));
  });

  it("accepts an X-Project-Id covered by the signature", async () => {
    const url = `${server.url}${pipeline.target}`;
    const headers = await signRequest({ method: "GET", url, headers: { "X-Project-Id": "0123456789abcdef0123456789abcdef" }, accessKey: AK, secretKey: SK });
    expect(headers.get("authorization")).toContain("x-project-id");
    expect((await send({ url, headers })).status).toBe(200);
  });

  it("rejects an X-Project-Id added after signing, as the gateway does", async () => {
    const request = await signed(pipeline.target);
    request.headers.set("X-Project-Id", "0123456789abcdef0123456789abcdef");
    expectSignatureFailure(await send(request));
  });

  it.each([
    ["more than 15 minutes old", -16],
    ["more than 15 minutes ahead", 16],
  ])("rejects an X-Sdk-Date %s", async (_label, minutes) => {
    expectSignatureFailure(await send(await signed(pipeline.target, { date: new Date(Date.now() + minutes * 60_000) })));
  });

  it("accepts an X-Sdk-Date within the 15 minutes", async () => {
    expect((await send(await signed(pipeline.target, { date: new Date(Date.now() - 10 * 60_000) }))).status).toBe(200);
  });

  it("rejects a signed request without X-Sdk-Date", async () => {
    const request = await signed(pipeline.target);
    request.headers.delete("X-Sdk-Date");
    expectSignatureFailure(await send(request));
  });

  it("rejects a malformed SDK-HMAC-SHA256 Authorization header", async () => {
    const request = await signed(pipeline.target);
    request.headers.set("Authorization", `SDK-HMAC-SHA256 Access=${AK}`);
    expectSignatureFailure(await send(request));
  });

  it("lets the Prefer header pick a documented response for a signed request", async () => {
    const request = await signed(pipeline.target);
    request.headers.set("Prefer", "code=401");
    const result = await send(request);
    expect(result.status).toBe(401);
    expect(result.body).toEqual(pipeline.examples.find((r) => r.status === "401")?.value);
  });
});

describe("recorded requests", () => {
  it("record header names but never a credential", async () => {
    server.requests.length = 0;
    await fetch(`${server.url}${pipeline.target}`, { headers: { "X-Auth-Token": TOKEN } });
    const request = await signed(pipeline.target, { securityToken: SECURITY_TOKEN });
    await send(request);
    const signature = /Signature=([0-9a-f]+)/.exec(request.headers.get("authorization") ?? "")?.[1];
    expect(signature).toMatch(/^[0-9a-f]{64}$/);

    const recorded = JSON.stringify(server.requests);
    for (const secret of [TOKEN, AK, SK, SECURITY_TOKEN, signature ?? "?"]) expect(recorded).not.toContain(secret);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.headerNames).toContain("x-auth-token");
    expect(server.requests[1]?.headerNames).toEqual(expect.arrayContaining(["authorization", "x-sdk-date", "x-security-token"]));
  });
});
