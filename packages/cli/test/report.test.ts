import {
  AuthenticationError,
  ConnectionError,
  InternalServerError,
  PermissionDeniedError,
  ResponseValidationError,
  TimeoutError,
  createClient,
} from "@codearts-package-status/client";
import { describe, expect, it } from "vitest";
import { artifactRows, checkRows, collectPackages, describeFailure, pipelineRows, sortPackages, type PackageRow } from "../src/report.js";

const row = (resource: string, daysLeft: number | null, service: PackageRow["service"] = "check"): PackageRow => ({
  region: null,
  service,
  resource,
  resourceId: null,
  resourceType: null,
  specCode: null,
  status: "normal",
  statusCode: "normal",
  expiryStatusCode: null,
  daysLeft,
  nextAction: null,
  nextActionCode: null,
  renewalUrl: null,
});

describe("sortPackages", () => {
  it("sorts by days left ascending, no expiry last, ties in input order, without touching the input", () => {
    const input = [row("a", null), row("b", 30), row("c", -2), row("d", 30), row("e", null), row("f", 0)];
    expect(sortPackages(input).map((r) => r.resource)).toEqual(["c", "f", "b", "d", "a", "e"]);
    expect(input.map((r) => r.resource)).toEqual(["a", "b", "c", "d", "e", "f"]);
  });
});

describe("rows", () => {
  it("Artifact: unknown and missing codes, missing days", () => {
    expect(artifactRows({ result: { x: { packageStatus: 42 }, y: {} } })).toEqual([
      { ...row("x", null, "artifact"), status: "unknown (42)", statusCode: "42" },
      { ...row("y", null, "artifact"), status: "not reported", statusCode: null },
    ]);
  });

  it("Artifact: a 200 with status error is a failure, not an empty list", () => {
    expect(() => artifactRows({ status: "error", trace_id: "1-2" })).toThrow('the service answered status "error" (trace 1-2)');
  });

  it("Check: without tips, no expiry; unknown resource status words", () => {
    expect(checkRows({ result: { main_resource_list: [{ resourceType: "t", resourceSpecCode: "s", status: "freeze" }], other_resource_list: [{ resourceId: "id1", resourceStatus: "close" }] } })).toEqual([
      { ...row("t (main package)", null), resourceType: "t", specCode: "s", status: "frozen", statusCode: "freeze" },
      { ...row("id1", null), resourceId: "id1", status: "invalid", statusCode: "close" },
    ]);
  });

  it("Pipeline: tips null does not expire; tips present gives status, days and next action", () => {
    expect(
      pipelineRows([
        { resource_name: "A", resource_spec_code: "a", tips: null },
        { resource_name: "B", tips: { status: 5, next_action: 4, next_action_remain_day: 3, next_action_url: "https://r" } },
      ]),
    ).toEqual([
      { ...row("A", null, "pipeline"), specCode: "a", status: "does not expire", statusCode: null },
      { ...row("B", 3, "pipeline"), status: "in grace period", statusCode: "5", expiryStatusCode: "5", nextAction: "frozen", nextActionCode: 4, renewalUrl: "https://r" },
    ]);
  });

  it("Check: a resource of a subscription past its expiry says so next to its own status, and carries the subscription's code", () => {
    const answer = (status: number) => ({
      result: {
        tips: { status, next_action: 4, next_action_remain_day: 40, next_action_url: "https://r" },
        main_resource_list: [{ resourceType: "hws.resource.type.codearts.combo", status: "normal" }],
      },
    });
    expect(checkRows(answer(5))[0]).toMatchObject({ status: "normal (package in grace period)", statusCode: "normal", expiryStatusCode: "5", daysLeft: 40 });
    expect(checkRows(answer(7))[0]).toMatchObject({ status: "normal (package unknown (7))", statusCode: "normal", expiryStatusCode: "7" });
    // In effect is what a resource's `normal` already implies: said once.
    expect(checkRows(answer(2))[0]).toMatchObject({ status: "normal", expiryStatusCode: "2" });
  });
});

describe("describeFailure", () => {
  const api = { body: { error_code: "CC.1", error_msg: "Nope." }, requestId: "req-1", operationId: "ShowTenantPackageStatus" };

  it.each([
    [new AuthenticationError({ ...api, status: 401 }), { kind: "authentication", message: "authentication failed: CC.1 Nope. (request req-1)", httpStatus: 401, errorCode: "CC.1", requestId: "req-1" }],
    [new PermissionDeniedError({ ...api, status: 403 }), { kind: "permission", message: "permission denied: CC.1 Nope. (request req-1)", httpStatus: 403 }],
    [new InternalServerError({ ...api, status: 503 }), { kind: "api", message: "HTTP 503: CC.1 Nope. (request req-1)", httpStatus: 503 }],
    [new AuthenticationError({ status: 401, body: "", requestId: undefined, operationId: "X" }), { kind: "authentication", message: "authentication failed: HTTP 401", requestId: null, errorCode: null }],
    [new TimeoutError("GET /x", 250), { kind: "timeout", message: "no answer from host.example: timed out after 3 attempts in 0.8 s (each attempt limited to 250 ms)" }],
    [new ConnectionError("GET /x could not reach host.example: ENOTFOUND getaddrinfo ENOTFOUND host.example", { code: "ENOTFOUND" }), { kind: "connection", message: "cannot reach host.example: host name not found (ENOTFOUND)" }],
    [new ConnectionError("GET /x could not reach host.example: EPROTO tls", { code: "EPROTO" }), { kind: "connection", message: "GET /x could not reach host.example: EPROTO tls" }],
    [new ConnectionError("GET /x could not reach host.example: Failed to fetch"), { kind: "connection", message: "GET /x could not reach host.example: Failed to fetch" }],
    [new ResponseValidationError("X", { status: 200, requestId: "r", issues: [{ path: "", message: "is empty, expected a JSON body" }], body: "" }), { kind: "invalid-response", httpStatus: 200, requestId: "r" }],
    ["a string", { kind: "other", message: "a string" }],
  ])("%s", (error, expected) => {
    expect(describeFailure("check", error, "host.example")).toMatchObject({ service: "check", ...expected });
  });
});

describe("a timeout's words", () => {
  it("say the total time and the attempts, not one attempt's limit", () => {
    expect(describeFailure("check", new TimeoutError("GET /x", 2000), "h.example", { maxRetries: 2, elapsedMs: 7_649 }).message).toBe(
      "no answer from h.example: timed out after 3 attempts in 7.6 s (each attempt limited to 2000 ms)",
    );
    expect(describeFailure("check", new TimeoutError("GET /x", 2000), "h.example", { maxRetries: 0, elapsedMs: 2_004 }).message).toBe(
      "no answer from h.example: timed out after 1 attempt in 2.0 s (each attempt limited to 2000 ms)",
    );
  });
});

describe("collectPackages", () => {
  it("asks only the services given, and turns each failure into an entry instead of rejecting", async () => {
    const seen: string[] = [];
    const client = createClient({
      credentials: { token: "t" },
      endpoints: { artifact: "http://artifact.test", check: "http://check.test", pipeline: "http://pipeline.test" },
      maxRetries: 0,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        seen.push(new URL(request.url).host);
        if (request.url.startsWith("http://check.test")) return new Response(JSON.stringify({ error_code: "CC.00000003", error_msg: "Expired." }), { status: 401 });
        return new Response(JSON.stringify([{ resource_name: "Combo", tips: null }]), { status: 200, headers: { "X-Request-Id": "req-pipeline-ok" } });
      },
    });
    const ids = { projectId: "666666af0f00445f85dec483fbc97c78", tenantId: "389efb76b1354e4482eabeedxxxxxxxx" };
    const result = await collectPackages(client, ids, { services: ["check", "pipeline"] });
    expect(seen.sort()).toEqual(["check.test", "pipeline.test"]);
    expect(result.packages.map((p) => [p.service, p.resource, p.status])).toEqual([["pipeline", "Combo", "does not expire"]]);
    expect(result.errors).toEqual([
      { region: null, service: "check", kind: "authentication", message: "authentication failed: CC.00000003 Expired.", httpStatus: 401, errorCode: "CC.00000003", requestId: null },
    ]);
    // The request ID of each success, from the client's _request_id.
    expect(result.answered).toEqual([{ region: null, service: "pipeline", requestId: "req-pipeline-ok" }]);
  });
});
