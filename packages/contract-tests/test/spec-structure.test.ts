import { describe, expect, test } from "vitest";
import { deref, spec, validatorAt, type Json } from "../src/spec.js";
import { operations, type Operation } from "../src/cases.js";

const HUAWEI_OPERATIONS: Record<string, { path: string; tag: string }> = {
  ShowPackageInfo: { path: "/devreposerver/v5/data/package/info", tag: "artifact" },
  ShowTenantPackageStatus: { path: "/v4/tenant/tenant-package-status", tag: "check" },
  ValidateTenantPackageIsExpired: { path: "/v5/{tenant_id}/api/package-specs/count-down", tag: "pipeline" },
  KeystoneListAuthDomains: { path: "/v3/auth/domains", tag: "iam" },
};

type Server = { url: string; variables?: { region?: { default: string; enum?: string[] } } };

describe("operations", () => {
  test("are exactly Huawei's three package status operations and IAM's tenant lookup, under their own names and paths", () => {
    expect(Object.fromEntries(operations().map((o) => [o.operationId, { path: o.path, tag: (o.node.tags as string[])[0] }]))).toEqual(
      HUAWEI_OPERATIONS,
    );
  });

  test("only IAM's tenant lookup is marked as a supporting operation, so no tool reports it as a package service", () => {
    const supporting = operations().filter((o) => o.node["x-codearts-supporting"] === true).map((o) => o.operationId);
    expect(supporting).toEqual(["KeystoneListAuthDomains"]);
  });

  test("each package service's status operation, and only it, is marked x-codearts-package-status: the ones the CLI reports", () => {
    const marked = operations().filter((o) => o.node["x-codearts-package-status"] === true).map((o) => o.operationId);
    expect(marked.sort()).toEqual(["ShowPackageInfo", "ShowTenantPackageStatus", "ValidateTenantPackageIsExpired"]);
  });

  test("every service tag names the service Huawei's SDKs read endpoint overrides under", () => {
    expect(Object.fromEntries((spec.tags as Array<Record<string, Json>>).map((t) => [t.name, t["x-huaweicloud-sdk-service"]]))).toEqual({
      artifact: "CODEARTSARTIFACT",
      check: "CODEARTSCHECK",
      pipeline: "CODEARTSPIPELINE",
      iam: "IAM",
    });
  });

  test.each(operations().map((o) => [o.operationId, o] as const))("%s has one service tag, a summary and a description", (_, o) => {
    expect(o.node.tags).toHaveLength(1);
    expect(String(o.node.summary).length).toBeGreaterThan(10);
    expect(String(o.node.description).length).toBeGreaterThan(50);
  });

  test.each(operations().map((o) => [o.operationId, o] as const))("%s accepts an IAM token or an AK/SK signature", () => {
    expect(spec.security).toEqual([{ IamToken: [] }, { AkSkSignature: [] }]);
    expect(spec.components.securitySchemes).toMatchObject({
      IamToken: { type: "apiKey", in: "header", name: "X-Auth-Token" },
      AkSkSignature: { type: "apiKey", in: "header", name: "Authorization" },
    });
  });
});

describe("servers", () => {
  const servers = (o: Operation) => o.pathItem.servers as unknown as Server[];

  test.each(operations().map((o) => [o.operationId, o] as const))(
    "%s is served from https hosts of its own service, each with a region variable whose default is one of its regions",
    (_, o) => {
      const list = servers(o);
      expect(list.length).toBeGreaterThan(0);
      for (const server of list) {
        expect(server.url).toMatch(/^https:\/\/[a-z-]+\.\{region\}\.myhuaweicloud\.(com|cn)$/);
        // Descriptions, not YAML comments: the bundle and the reference page keep only these.
        expect(String((server as { description?: string }).description ?? "").length).toBeGreaterThan(20);
        const region = server.variables?.region;
        expect(region?.enum?.length).toBeGreaterThan(0);
        expect(region?.enum).toContain(region?.default);
      }
    },
  );

  test.each(operations().map((o) => [o.operationId, o] as const))("%s serves cn-north-4, and lists a region's hosts in order, each once", (_, o) => {
    const regions = servers(o).flatMap((server) => server.variables?.region?.enum ?? []);
    expect(regions).toContain("cn-north-4");
    for (const server of servers(o)) expect(new Set(server.variables?.region?.enum).size).toBe(server.variables?.region?.enum?.length);
    expect(new Set(servers(o).map((s) => s.url)).size).toBe(servers(o).length);
  });

  test("a region's secondary hosts are the ones Huawei's SDK tables list: CodeArts Check's .cn hosts in the Chinese mainland regions", () => {
    // By service: every operation of a service is served from the same hosts.
    const byRegion = new Map<string, Set<string>>();
    for (const o of operations()) {
      const service = (o.node.tags as string[])[0];
      for (const server of servers(o)) {
        for (const region of server.variables?.region?.enum ?? []) byRegion.set(`${service} ${region}`, (byRegion.get(`${service} ${region}`) ?? new Set()).add(server.url));
      }
    }
    const several = [...byRegion].filter(([, urls]) => urls.size > 1);
    expect(several.map(([key]) => key).sort()).toEqual(["cn-east-2", "cn-east-3", "cn-north-1", "cn-north-4", "cn-south-1"].map((r) => `check ${r}`).sort());
    for (const [, urls] of several) expect([...urls]).toEqual(["https://codearts-check.{region}.myhuaweicloud.com", "https://codearts-check.{region}.myhuaweicloud.cn"]);
  });

  test("the servers descriptions name the hosts the endpoint pages give where they disagree, and the override that switches to them", () => {
    const described = (id: string) => servers(operations().find((o) => o.operationId === id)!).map((s) => (s as { description?: string }).description).join("\n");
    expect(described("ShowTenantPackageStatus")).toMatch(/devcloud\.\{region\}.*la-north-2, sa-brazil-1 and ap-southeast-3/s);
    expect(described("ShowTenantPackageStatus")).toContain("HUAWEICLOUD_SDK_REGION_CODEARTSCHECK_");
    expect(described("ValidateTenantPackageIsExpired")).toMatch(/devcloud\.cn-northeast-1/);
    expect(described("ValidateTenantPackageIsExpired")).toContain("HUAWEICLOUD_SDK_REGION_CODEARTSPIPELINE_");
  });

  test("hosts of different services never coincide, so a path is routed to one service", () => {
    const hostsByService = new Map<string, Set<string>>();
    for (const o of operations()) {
      const service = (o.node.tags as string[])[0]!;
      for (const server of servers(o)) hostsByService.set(service, (hostsByService.get(service) ?? new Set()).add(server.url));
    }
    const all = [...hostsByService.values()].flatMap((set) => [...set]);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe("documentation flaws resolved toward what the API sends", () => {
  const tenantPackageStatus = () => deref(spec.components.schemas.TenantPackageStatus, "").value as Record<string, Json>;

  test("CodeArts Check's languages are read from supportedLanguages; the table's supportedLanguage stays declared and deprecated", () => {
    const properties = tenantPackageStatus().properties as Record<string, Record<string, Json>>;
    expect(properties.supportedLanguages?.type).toBe("array");
    expect(properties.supportedLanguage).toMatchObject({ type: "array", deprecated: true });
  });

  test("tips admits null under JSON Schema semantics, and nothing else that is not a Tips object", () => {
    const validate = validatorAt("/components/schemas/NullableTips");
    expect(validate(null)).toBe(true);
    expect(validate({ status: 2, next_action: 0, next_action_remain_day: 3 })).toBe(true);
    expect(validate("null")).toBe(false);
    expect(validate({ status: 6 })).toBe(false);
  });

  test("an other resource's id may be null, as the documented example sends it", () => {
    expect(validatorAt("/components/schemas/OtherResource")({ id: null, resourceId: "r" })).toBe(true);
  });

  test("the Pipeline page's cache-busting _ parameter is declared, optional, and digits only", () => {
    expect(spec.components.parameters.CacheBuster).toMatchObject({ name: "_", in: "query", required: false, schema: { pattern: "^[0-9]+$" } });
  });

  test("each operation description records the documented example request, the malformed one included", () => {
    const descriptions = Object.fromEntries(operations().map((o) => [o.operationId, String(o.node.description)]));
    expect(descriptions.ShowPackageInfo).toContain("?project_id=666666af0f00445f85dec483fbc97c78");
    expect(descriptions.ShowTenantPackageStatus).toContain("tenant-package-status&project_id=&");
    expect(descriptions.ValidateTenantPackageIsExpired).toContain("&_=1763887110995");
  });

  test("CodeArts Artifact's result is a map of extension name to package status", () => {
    const validate = validatorAt("/components/schemas/PackageInfo");
    expect(validate({ result: { anyFutureExtension: { remainDays: 3 } } })).toBe(true);
    expect(validate({ result: { codeartsStorageExtension: { remainDays: "3" } } })).toBe(false);
  });
});

describe("enum meanings", () => {
  // Every schema in the document that carries x-enumDescriptions, with where it is.
  const described = (node: Json | undefined, at: string): { at: string; schema: Record<string, Json> }[] => {
    if (!node || typeof node !== "object") return [];
    if (Array.isArray(node)) return node.flatMap((item, index) => described(item, `${at}/${index}`));
    const here = "x-enumDescriptions" in node ? [{ at, schema: node }] : [];
    return [...here, ...Object.entries(node).flatMap(([key, value]) => described(value, `${at}/${key}`))];
  };

  // The enums whose values the command-line tool prints in words: its word tables are generated
  // from these by scripts/generate-cli-tables.mjs.
  test.each([
    "/components/schemas/Tips/properties/status",
    "/components/schemas/Tips/properties/next_action",
    "/components/schemas/ResourceStatus",
    "/components/schemas/NullableTips/anyOf/1",
  ])(
    "%s, which the tools put into words, says what each of its values means",
    (pointer) => {
      expect(described(spec, "").map((d) => d.at)).toContain(pointer);
    },
  );

  test.each(described(spec, "").map((d) => [d.at, d.schema] as const))("%s describes exactly its enum's values, each in words", (_, schema) => {
    const descriptions = schema["x-enumDescriptions"] as Record<string, Json>;
    expect(Array.isArray(schema.enum)).toBe(true);
    expect(Object.keys(descriptions).sort()).toEqual((schema.enum as Json[]).map(String).sort());
    for (const words of Object.values(descriptions)) expect(words).toMatch(/^\S(.*\S)?$/);
  });
});
