import { describe, expect, test } from "vitest";
import { createClient, ResponseValidationError } from "../src/index.js";
import { validateResponse } from "../src/validation/validate.js";
import { createFetchStub, jsonResponse } from "./support/fetch-stub.js";
import { example, PROJECT_ID, TENANT_ID } from "./support/fixtures.js";

function clientAnswering(body: unknown, validateResponses: boolean) {
  const stub = createFetchStub(() => jsonResponse(200, body, { "x-request-id": "rid-v" }));
  return createClient({ region: "cn-north-4", credentials: { token: "t" }, fetch: stub.fetch, validateResponses });
}

describe("validateResponses", () => {
  test("documented examples pass validation", async () => {
    await expect(clientAnswering(example("ShowTenantPackageStatusOk"), true).check.showTenantPackageStatus()).resolves.toEqual(
      example("ShowTenantPackageStatusOk"),
    );
    await expect(
      clientAnswering(example("ValidateTenantPackageIsExpiredOk"), true).pipeline.validateTenantPackageIsExpired({ tenant_id: TENANT_ID }),
    ).resolves.toEqual(example("ValidateTenantPackageIsExpiredOk"));
    await expect(clientAnswering(example("ShowPackageInfoOk"), true).artifact.showPackageInfo({ project_id: PROJECT_ID })).resolves.toEqual(
      example("ShowPackageInfoOk"),
    );
  });

  test("a body that breaks the spec is a ResponseValidationError listing where and why", async () => {
    const body = { result: { tips: { status: 7, next_action: 0 }, duration: "-1" } };
    const error = await clientAnswering(body, true).check.showTenantPackageStatus().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ status: 200, requestId: "rid-v", body });
    expect((error as ResponseValidationError).issues).toEqual(
      expect.arrayContaining([
        { path: "/result/duration", message: "must be integer, not string" },
        { path: "/result/tips", message: "matches none of the allowed shapes" },
      ]),
    );
  });

  test("without validateResponses the same body is returned as sent", async () => {
    const body = { result: { duration: "-1" } };
    await expect(clientAnswering(body, false).check.showTenantPackageStatus()).resolves.toEqual(body);
  });

  test("the raw surface validates too when asked", async () => {
    const client = clientAnswering([{ tips: "soon" }], true);
    await expect(client.GET("/v5/{tenant_id}/api/package-specs/count-down", { params: { path: { tenant_id: TENANT_ID } } })).rejects.toBeInstanceOf(
      ResponseValidationError,
    );
  });

  test("fields added by a later API version pass validation", async () => {
    const body = { ...(example("ShowPackageInfoOk") as object), newTopLevelField: { nested: true } };
    await expect(clientAnswering(body, true).artifact.showPackageInfo()).resolves.toEqual(body);
  });
});

describe("validateResponse", () => {
  test.each([
    ["ValidateTenantPackageIsExpired", 200, [{ tips: null }], []],
    ["ValidateTenantPackageIsExpired", 200, [{ tips: { status: 99, next_action: 5 } }], []],
    ["ValidateTenantPackageIsExpired", 200, [{ tips: { next_action: 3 } }], ["/0/tips"]],
    ["ShowTenantPackageStatus", 200, { result: { other_resource_list: [{ id: null, createTime: "2025-04-11T06:24:47Z" }] } }, []],
    ["ShowTenantPackageStatus", 200, { result: { other_resource_list: [{ createTime: "yesterday" }] } }, ["/result/other_resource_list/0/createTime"]],
    ["ShowTenantPackageStatus", 200, { result: { tenantId: "short" } }, ["/result/tenantId"]],
    ["ShowTenantPackageStatus", 401, { error_code: "CC.00000003" }, [""]],
    ["ShowPackageInfo", 200, { trace_id: "abc" }, ["/trace_id"]],
    ["ShowPackageInfo", 200, { result: { anyExtension: { remainDays: 1.5 } } }, ["/result/anyExtension/remainDays"]],
  ])("%s %i %j breaks the spec at %j", (operationId, status, body, paths) => {
    expect(validateResponse(operationId, status, body).map((issue) => issue.path)).toEqual(paths);
  });

  test("string lengths count characters, not UTF-16 units, as JSON Schema does", () => {
    const withTenant = (tenantId: string) => ({ result: { other_resource_list: [{ tenantId }] } });
    expect(validateResponse("ShowTenantPackageStatus", 200, withTenant("😀".repeat(32)))).toEqual([]);
    expect(validateResponse("ShowTenantPackageStatus", 200, withTenant("😀".repeat(31)))).toEqual([
      { path: "/result/other_resource_list/0/tenantId", message: "must be at least 32 characters long" },
    ]);
    expect(validateResponse("ShowTenantPackageStatus", 200, withTenant("😀".repeat(33)))).toEqual([
      { path: "/result/other_resource_list/0/tenantId", message: "must be at most 32 characters long" },
    ]);
  });
});

describe("validateResponse in shape mode (what a reader checks before it believes an answer)", () => {
  const shape = (operationId: string, body: unknown) => validateResponse(operationId, 200, body, { mode: "shape" });

  test.each([
    ["a status code the spec does not list yet", "ValidateTenantPackageIsExpired", [{ tips: { status: 7, next_action: 3 } }]],
    ["a resource status the spec does not list yet", "ShowTenantPackageStatus", { result: { main_resource_list: [{ status: "suspended" }] } }],
    ["a trace ID, tenant ID or date that breaks its pattern, length or format", "ShowTenantPackageStatus", { result: { tenantId: "short", other_resource_list: [{ createTime: "yesterday" }] } }],
  ])("accepts %s", (_, operationId, body) => {
    expect(shape(operationId, body)).toEqual([]);
  });

  test.each([
    ["a number sent as a decimal string", "ShowPackageInfo", { result: { ext: { remainDays: "1" } } }, "/result/ext/remainDays", "must be integer, not string"],
    ["a name sent as an array", "ValidateTenantPackageIsExpired", [{ resource_name: ['"} 99999999\n'] }], "/0/resource_name", "must be string, not array"],
    ["a name sent as a number", "ValidateTenantPackageIsExpired", [{ resource_name: 42 }], "/0/resource_name", "must be string, not integer"],
    ["tips of the wrong type", "ValidateTenantPackageIsExpired", [{ tips: "soon" }], "/0/tips", "matches none of the allowed shapes"],
    ["days left with a fraction", "ValidateTenantPackageIsExpired", [{ tips: { next_action_remain_day: 2.5 } }], "/0/tips", "matches none of the allowed shapes"],
    ["a list sent as an object", "ShowTenantPackageStatus", { result: { main_resource_list: { 0: {} } } }, "/result/main_resource_list", "must be array, not object"],
    ["an entry nested 200,000 arrays deep", "ValidateTenantPackageIsExpired", [JSON.parse(`${"[".repeat(200_000)}${"]".repeat(200_000)}`)], "/0", "must be object, not array"],
  ])("refuses %s, naming the field", (_, operationId, body, path, message) => {
    expect(shape(operationId, body)).toEqual([{ path, message }]);
  });

  test("a key named like an Object.prototype member is an ordinary extension name", () => {
    expect(shape("ShowPackageInfo", JSON.parse('{"result":{"constructor":{"remainDays":3},"__proto__":{"remainDays":4}}}'))).toEqual([]);
    expect(shape("ShowPackageInfo", JSON.parse('{"result":{"constructor":{"remainDays":"3"}}}'))).toEqual([{ path: "/result/constructor/remainDays", message: "must be integer, not string" }]);
  });

  test("lists at most 100 issues, however many values are wrong", () => {
    expect(shape("ValidateTenantPackageIsExpired", Array.from({ length: 100_000 }, () => ({ resource_name: 1 })))).toHaveLength(100);
  });

  test("cuts an object key a server sent to 64 characters in a path", () => {
    const [issue] = shape("ShowPackageInfo", { result: { ["k".repeat(100_000)]: { remainDays: "1" } } });
    expect(issue!.path).toBe(`/result/${"k".repeat(64)}…/remainDays`);
  });
});
