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
