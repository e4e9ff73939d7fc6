// A hostile upstream on loopback stands in for every service (IAM included): it echoes every
// credential it can see, and the secret key it cannot, with terminal escapes and bidi controls,
// breaks the spec, cuts connections and sends garbage. No credential may reach a tool result or
// the server's stderr, no control character may reach a text raw, the server must never say OK
// about what it could not read, and it must go on answering.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type RecordedRequest, type ScriptedAnswer, type TestServer } from "@codearts-package-status/test-support";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { IDS, endpointFlags, startMcp, textOf, type McpSession } from "./support/mcp.js";

const AK = "AKHOSTILETEST0000001";
const SK = "SK-secret-must-never-leak-0123456789";
const SECURITY_TOKEN = "STS-security-token-must-never-leak-77";
const TOKEN = "MIIT-hostile-token-must-never-leak-42";
const SECRETS = [AK, SK, SECURITY_TOKEN, TOKEN];
// Control characters a text must never carry raw: C0 but the newline, DEL, C1, bidi controls, line separators.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const ESC = "\u001b[31m";
const RLO = "\u202e";

type Service = "artifact" | "check" | "pipeline" | "iam";
const serviceOf = (url: string): Service => (url.startsWith("/devreposerver/") ? "artifact" : url.startsWith("/v4/") ? "check" : url.startsWith("/v3/") ? "iam" : "pipeline");

/**
 * Every credential the request let the upstream see (a signed request also gets the secret key
 * and the access key on their own, as if the upstream knew them), with an escape and a bidi override.
 */
const echo = (request: RecordedRequest): string => {
  const seen = [request.headers.authorization, request.headers["x-security-token"], request.headers["x-auth-token"]].filter((value) => value !== undefined).map(String);
  if (request.headers.authorization !== undefined) seen.push(SK, AK);
  return `${ESC}seen: ${seen.join(" ")}${RLO}gnp.exe`;
};

// Answers that follow the spec, one package each.
const GOOD: Record<Exclude<Service, "iam">, unknown> = {
  artifact: { status: "success", result: { codeartsStorageExtension: { packageStatus: 2, remainDays: 11, serviceType: "hws.resource.type.codearts.extension.storage", nextActionUrl: "https://renew.example/artifact" } } },
  check: { result: { main_resource_list: [{ resourceType: "hws.resource.type.codearts.combo", resourceSpecCode: "codearts.china.enterprise", status: "normal" }], other_resource_list: [], tips: { status: 2, next_action: 0, next_action_remain_day: 32, next_action_url: "https://renew.example/check" } } },
  pipeline: [{ resource_name: "CodeArts Combo", resource_type: "hws.resource.type.codearts.combo", resource_spec_code: "codearts.china.free", tips: null }],
};
const good = (request: RecordedRequest): ScriptedAnswer => {
  const service = serviceOf(request.url);
  return service === "iam" ? { status: 401, body: {} } : { status: 200, headers: { "x-request-id": `req-${service}` }, body: GOOD[service] };
};

let answer: (request: RecordedRequest, response: import("node:http").ServerResponse) => ScriptedAnswer | void = good;
let upstream: TestServer;
let withKeys: McpSession;
let withToken: McpSession;
beforeAll(async () => {
  upstream = await startTestServer((request, response) => answer(request, response));
  const args = [...IDS, ...endpointFlags(upstream.url), "--timeout-ms", "600", "--verbose"];
  [withKeys, withToken] = await Promise.all([
    startMcp(args, { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK, HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN }),
    startMcp(args, { HUAWEICLOUD_SDK_TOKEN: TOKEN }),
  ]);
});
afterAll(async () => {
  await Promise.all([withKeys?.close(), withToken?.close()]);
  await upstream?.close();
});
beforeEach(() => {
  answer = good;
});

const SESSIONS = [
  ["AK/SK with a security token", () => withKeys],
  ["an IAM token", () => withToken],
] as const;
const OPERATION_TOOLS = ["show_package_info", "show_tenant_package_status", "validate_tenant_package_is_expired"];

/** Everything of a result a client could show or read: its texts, its structured content, its _meta. */
const everything = (result: CallToolResult): string => `${textOf(result)}\n${JSON.stringify(result.structuredContent ?? null)}\n${JSON.stringify(result._meta ?? null)}`;

function expectNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) expect(text, `${where} shows ${secret}`).not.toContain(secret);
  // Nor a recognizable piece of one.
  expect(text, where).not.toMatch(/must-never-leak|AKHOSTILE/);
}

describe.each(SESSIONS)("with %s", (_, session) => {
  it("a 401 that echoes the credentials with escapes is an error result that names the status and shows neither the credentials nor a raw control character", async () => {
    answer = (request) => ({ status: 401, headers: { "x-request-id": `req-${request.headers["x-auth-token"] ?? request.headers["x-security-token"] ?? ""}` }, body: { error_code: "APIG.0301", error_msg: echo(request) } });
    for (const tool of OPERATION_TOOLS) {
      const result = await session().call(tool, {});
      const text = textOf(result);
      expect(result.isError, tool).toBe(true);
      expect(result.content).toHaveLength(1);
      expectNoSecret(everything(result), tool);
      expect(text, tool).not.toMatch(RAW_CONTROL);
      // Escaped as the command escapes its messages, so the assistant sees what was sent.
      expect(text, tool).toContain("\\x1b[31mseen:");
      expect(text, tool).toContain("\\u202egnp.exe");
      expect(text, tool).toMatch(/HTTP 401, error_code APIG\.0301/);
      expect(text, tool).toContain("[REDACTED]");
    }
    expectNoSecret(session().stderr(), "stderr");
    expect(session().stderr()).not.toMatch(RAW_CONTROL);
  });

  it("package_report over a 401 everywhere is UNKNOWN, every service failed, and shows no credential", async () => {
    answer = (request) => ({ status: 401, body: { error_code: "APIG.0301", error_msg: echo(request) } });
    const result = await session().call("package_report", {});
    const structured = result.structuredContent as { verdict: { status: string; exitCode: number; failedServices: number }; errors: Array<{ kind: string }> };
    expect(structured.verdict).toMatchObject({ status: "UNKNOWN", exitCode: 3, failedServices: 3 });
    expect(structured.errors.map((error) => error.kind)).toEqual(["authentication", "authentication", "authentication"]);
    expectNoSecret(everything(result), "package_report");
    expect(textOf(result)).not.toMatch(RAW_CONTROL);
    expect(textOf(result)).toContain("\\u202e");
    expectNoSecret(session().stderr(), "stderr");
  });

  it("a 200 that echoes the credentials inside its string fields shows them nowhere: not in the structured content, not in the text", async () => {
    answer = (request) => {
      const seen = echo(request);
      const service = serviceOf(request.url);
      if (service === "artifact") return { status: 200, body: { status: "success", result: { [`ext-${seen}`]: { resourceId: seen, packageStatus: 2, remainDays: 40, serviceType: seen, nextActionUrl: `https://renew.example/?k=${encodeURIComponent(seen)}` } } } };
      if (service === "check") return { status: 200, body: { result: { charge_type: seen, tenantId: "389efb76b1354e4482eabeedxxxxxxxx", main_resource_list: [{ resourceType: seen, status: "normal" }], other_resource_list: [], tips: null } } };
      return { status: 200, body: [{ resource_name: seen, resource_id: seen, tips: { status: 2, next_action: 0, next_action_remain_day: 40, next_action_url: seen } }] };
    };
    for (const tool of [...OPERATION_TOOLS, "package_report"]) {
      const result = await session().call(tool, {});
      expect(result.isError ?? false, textOf(result)).toBe(false);
      expectNoSecret(everything(result), tool);
      expect(JSON.stringify(result.structuredContent), tool).toContain("[REDACTED]");
      expect(textOf(result), tool).not.toMatch(RAW_CONTROL);
    }
    expectNoSecret(session().stderr(), "stderr");
  });
});

describe("an answer that breaks the spec", () => {
  it('Artifact\'s remainDays "1" is an error result that says the body breaks the spec and names the field', async () => {
    answer = (request) => (serviceOf(request.url) === "artifact" ? { status: 200, body: { status: "success", result: { codeartsStorageExtension: { packageStatus: 2, remainDays: "1" } } } } : good(request));
    const result = await withToken.call("show_package_info", {});
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toMatch(/^CodeArts Artifact: unexpected response: ShowPackageInfo returned a body that breaks the spec: .*remainDays must be integer/);
  });

  it("a list where Artifact documents an object is an error result that names the body, not the input", async () => {
    answer = (request) => (serviceOf(request.url) === "artifact" ? { status: 200, body: [{ status: "success" }] } : good(request));
    const result = await withToken.call("show_package_info", {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/breaks the spec: the body must be object/);
  });

  it("package_report over it reports Artifact failed and the others as usual, and says UNKNOWN, never OK", async () => {
    answer = (request) => (serviceOf(request.url) === "artifact" ? { status: 200, body: { status: "success", result: { codeartsStorageExtension: { packageStatus: 2, remainDays: "1" } } } } : good(request));
    const result = await withToken.call("package_report", { warn_days: 0, critical_days: 0 });
    const structured = result.structuredContent as { verdict: { status: string; exitCode: number; failedServices: number }; errors: Array<{ service: string; kind: string; message: string }>; packages: Array<{ service: string }> };
    expect(result.isError ?? false).toBe(false);
    // Under thresholds of 0 days, every package it could read is fine: only the failure stands between the report and OK.
    expect(structured.verdict).toMatchObject({ status: "UNKNOWN", exitCode: 3, failedServices: 1 });
    expect(structured.errors).toEqual([expect.objectContaining({ service: "artifact", kind: "invalid-response" })]);
    expect(structured.errors[0]!.message).toContain("remainDays");
    expect(structured.packages.map((row) => row.service).sort()).toEqual(["check", "pipeline"]);
    expect(textOf(result)).toMatch(/^UNKNOWN: /);
    expect(textOf(result)).not.toMatch(/^OK/m);
  });

  it.each([
    ["show_tenant_package_status", "check", { result: { tips: { status: "2" } } }, "tips"],
    ["show_tenant_package_status", "check", { result: { supportedLanguages: "JAVA" } }, "supportedLanguages"],
    ["validate_tenant_package_is_expired", "pipeline", { 0: { resource_name: "x" } }, "body must be array"],
    ["validate_tenant_package_is_expired", "pipeline", [{ resource_name: 42 }], "resource_name must be string"],
  ])("%s answered %j: an error result naming %s", async (tool, service, body, words) => {
    answer = (request) => (serviceOf(request.url) === service ? { status: 200, body } : good(request));
    const result = await withToken.call(tool, {});
    expect(result.isError, textOf(result)).toBe(true);
    expect(textOf(result)).toContain("breaks the spec");
    expect(textOf(result)).toContain(words);
    const report = (await withToken.call("package_report", {})).structuredContent as { verdict: { status: string }; errors: Array<{ service: string }> };
    expect(report.errors.map((error) => error.service)).toEqual([service]);
    expect(report.verdict.status).not.toBe("OK");
  });
});

describe("a status code the spec does not list", () => {
  // The operation tool promises the spec's enums in its output schema, so it cannot pass such an
  // answer on; the report, which reads shapes only, shows the package and never says OK about it.
  it("is an error result of the operation tool naming the field, and an UNKNOWN package in package_report", async () => {
    const pipeline = [{ resource_name: "CodeArts Combo", tips: { status: 7, next_action: 0, next_action_remain_day: 300 } }];
    answer = (request) => (serviceOf(request.url) === "pipeline" ? { status: 200, body: pipeline } : good(request));
    const result = await withToken.call("validate_tenant_package_is_expired", {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/breaks the spec: body\[0\]\.tips/);
    const report = (await withToken.call("package_report", { warn_days: 0, critical_days: 0 })).structuredContent as { verdict: { status: string; unknown: number }; packages: Array<{ service: string; severity: string; status: string }> };
    expect(report.verdict).toMatchObject({ status: "UNKNOWN", unknown: 1 });
    expect(report.packages.find((row) => row.service === "pipeline")).toMatchObject({ severity: "unknown", status: "unknown (7)" });
  });
});

describe("an upstream that misbehaves", () => {
  const misbehaviours: Array<[string, typeof answer]> = [
    ["cuts the connection", () => ({ reset: true })],
    ["sends bytes that are not HTTP", (_request, response) => void response.socket?.end("\u0000\u0001garbage\u001b[2J\r\n\r\n")],
    ["sends a 200 whose body is not JSON", () => ({ status: 200, body: "<html>\u001b]0;pwned\u0007" })],
    ["sends half a body and stops", () => ({ stallBody: true })],
    ["never answers", () => ({ hang: true })],
    // Asking for no wait before each retry, so the test does not wait for the backoff.
    ["answers 500 with an HTML page", () => ({ status: 500, headers: { "content-type": "text/html", "retry-after-ms": "0" }, body: `<h1>${ESC}oops${RLO}</h1>` })],
  ];

  it.each(misbehaviours.map(([what, misbehave], i) => [what, misbehave, OPERATION_TOOLS[i % OPERATION_TOOLS.length]!] as const))("that %s: an operation tool answers an error result, package_report UNKNOWN, and the server answers the next call", async (_, misbehave, tool) => {
    answer = misbehave;
    // At once, as a client may ask: each waits out its own retries.
    const [result, report] = await Promise.all([withToken.call(tool, {}), withToken.call("package_report", {})]);
    expect(result.isError, tool).toBe(true);
    expect(textOf(result), tool).not.toMatch(RAW_CONTROL);
    expect(textOf(result)).toMatch(/^CodeArts (Artifact|Check|Pipeline): /);
    expect((report.structuredContent as { verdict: { status: string; failedServices: number } }).verdict).toMatchObject({ status: "UNKNOWN", failedServices: 3 });
    expect(textOf(report)).not.toMatch(RAW_CONTROL);
    answer = good;
    const next = await withToken.call("show_package_info", {});
    expect(next.isError ?? false, textOf(next)).toBe(false);
    expect(next.structuredContent).toEqual(GOOD.artifact);
    expect(withToken.stderr()).not.toMatch(RAW_CONTROL);
  });

  it("a call the client cancels while the upstream hangs ends, and the server answers the next call", async () => {
    answer = () => ({ hang: true });
    const controller = new AbortController();
    const pending = withToken.client.callTool({ name: "show_package_info", arguments: {} }, undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toThrow();
    answer = good;
    const next = await withToken.call("show_tenant_package_status", {});
    expect(next.isError ?? false, textOf(next)).toBe(false);
  });
});

describe("a request ID that echoes a credential", () => {
  // The X-Request-Id header is the upstream's to fill: a hostile one puts what it saw there.
  it("shows it nowhere: not in _meta, not in an error, not in package_report", async () => {
    const echoed = (request: RecordedRequest) => `rid-${String(request.headers["x-auth-token"] ?? request.headers["x-security-token"] ?? "")}`;
    answer = (request) => ({ ...(good(request) as { status: number; body: unknown }), headers: { "x-request-id": echoed(request) } });
    for (const session of [withKeys, withToken]) {
      for (const tool of [...OPERATION_TOOLS, "package_report"]) expectNoSecret(everything(await session.call(tool, {})), tool);
    }
    answer = (request) => ({ status: 200, headers: { "x-request-id": echoed(request) }, body: serviceOf(request.url) === "pipeline" ? {} : { status: "success", result: { x: { remainDays: "1" } } } });
    for (const session of [withKeys, withToken]) {
      for (const tool of [...OPERATION_TOOLS, "package_report"]) expectNoSecret(everything(await session.call(tool, {})), tool);
    }
  });
});
