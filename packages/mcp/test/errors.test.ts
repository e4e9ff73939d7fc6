// Input that breaks a tool's schema is refused before anything is sent: the mock the server is
// pointed at records every request it gets, so "nothing was sent" is checked, not trusted. And no
// arguments at all, however odd, take the server down.
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { parameterExample, spec, type JsonObject } from "@codearts-package-status/test-support";
import { IDS, endpointFlags, startMcp, textOf, type McpSession } from "./support/mcp.js";

const PROJECT = String(parameterExample("ProjectId"));
const TENANT = String(parameterExample("TenantId"));
const OTHER_PROJECT = "0123456789abcdefABCDEF0123456789";

let mock: MockServer;
let session: McpSession;
beforeAll(async () => {
  mock = await startMockServer();
  session = await startMcp([...IDS, ...endpointFlags(mock.url)], { HUAWEICLOUD_SDK_TOKEN: "MIIT-errors-test-token" });
});
afterAll(async () => {
  await session?.close();
  await mock?.close();
});
beforeEach(() => {
  mock.requests.length = 0;
});

/** Calls the tool, and says whether the mock got a request meanwhile. */
async function call(name: string, args: Record<string, unknown>) {
  const before = mock.requests.length;
  const result = await session.call(name, args);
  return { result, text: textOf(result), sent: mock.requests.length - before };
}

describe("bad input names the parameter and the rule, and nothing is sent", () => {
  it.each([
    ["show_tenant_package_status", "a project_id 31 characters long", { project_id: PROJECT.slice(1) }, "project_id must NOT have fewer than 32 characters"],
    ["show_tenant_package_status", "a project_id 33 characters long", { project_id: `${PROJECT}0` }, "project_id must NOT have more than 32 characters"],
    ["show_tenant_package_status", "a project_id with a hyphen", { project_id: `${PROJECT.slice(0, 31)}-` }, "project_id must match the pattern ^[0-9A-Za-z]{32}$"],
    ["show_tenant_package_status", "a project_id that tries another path", { project_id: "../../../v3/auth/domains?x=aaaaaa" }, "project_id must match the pattern"],
    ["show_tenant_package_status", "a project_id sent as a number", { project_id: 666666 }, "project_id must be string"],
    ["show_tenant_package_status", "a project_id of null", { project_id: null }, "project_id must be string"],
    ["show_tenant_package_status", "an unknown parameter", { project_id: PROJECT, projectId: PROJECT }, "projectId is not a parameter of this tool"],
    ["show_package_info", "a project_id sent as a number", { project_id: 1 }, "project_id must be string"],
    ["show_package_info", "an unknown parameter", { region: "cn-north-4" }, "region is not a parameter of this tool"],
    ["validate_tenant_package_is_expired", "an is_main of yes", { is_main: "yes" }, 'is_main must be one of "true", "false"'],
    ["validate_tenant_package_is_expired", "an is_main sent as a boolean", { is_main: true }, "is_main must be string"],
    ["validate_tenant_package_is_expired", "a cache-buster that is not digits", { _: "now" }, "_ must match the pattern ^[0-9]+$"],
    ["validate_tenant_package_is_expired", "a tenant_id that tries another path", { tenant_id: ".." }, "tenant_id must NOT have fewer than 32 characters"],
    ["validate_tenant_package_is_expired", "a tenant_id with a slash", { tenant_id: `${TENANT.slice(0, 31)}/` }, "tenant_id must match the pattern"],
  ])("%s: %s", async (tool, _, args, words) => {
    const { result, text, sent } = await call(tool, args);
    expect(result.isError).toBe(true);
    expect(text).toMatch(new RegExp(`^${tool}: invalid input, nothing was sent: `));
    expect(text).toContain(words);
    expect(result.structuredContent).toBeUndefined();
    expect(sent).toBe(0);
    expect(mock.requests).toEqual([]);
  });

  it("every problem is listed at once", async () => {
    const { text, sent } = await call("validate_tenant_package_is_expired", { project_id: 1, is_main: "maybe", extra: true });
    expect(text).toContain("project_id must be string");
    expect(text).toContain("is_main must be one of");
    expect(text).toContain("extra is not a parameter of this tool");
    expect(sent).toBe(0);
  });

  it("the message names the rule, never the value (which may be a secret pasted in the wrong place)", async () => {
    const pasted = "SK-pasted-by-mistake-0123456789-XYZ";
    const { text, sent } = await call("show_tenant_package_status", { project_id: pasted });
    expect(text).toContain("project_id");
    expect(text).not.toContain(pasted);
    expect(text).not.toContain("pasted-by-mistake");
    expect(sent).toBe(0);
  });

  it('a "__proto__" argument (which the SDK drops when it parses the request) never stands in for project_id', async () => {
    const args = JSON.parse(`{"__proto__": {"project_id": "${OTHER_PROJECT}", "tenant_id": "${OTHER_PROJECT}"}}`) as Record<string, unknown>;
    const { result, text } = await call("validate_tenant_package_is_expired", args);
    expect(result.isError ?? false, text).toBe(false);
    expect(mock.requests[0]).toMatchObject({ path: `/v5/${TENANT}/api/package-specs/count-down`, query: { project_id: PROJECT } });
  });
});

describe("a good call", () => {
  it("leaving out project_id and tenant_id, asks with the server's --project-id and --tenant-id", async () => {
    const { result, sent } = await call("validate_tenant_package_is_expired", {});
    expect(result.isError ?? false, textOf(result)).toBe(false);
    expect(sent).toBe(1);
    expect(mock.requests[0]).toMatchObject({ operationId: "ValidateTenantPackageIsExpired", path: `/v5/${TENANT}/api/package-specs/count-down`, query: { project_id: PROJECT }, status: 200 });
  });

  it("naming its own project_id and tenant_id, asks with those", async () => {
    const tenant = "abcdefabcdefabcdefabcdefabcdef12";
    const { result, sent } = await call("validate_tenant_package_is_expired", { project_id: OTHER_PROJECT, tenant_id: tenant, is_main: "false" });
    expect(result.isError ?? false, textOf(result)).toBe(false);
    expect(sent).toBe(1);
    expect(mock.requests[0]).toMatchObject({ path: `/v5/${tenant}/api/package-specs/count-down`, query: { project_id: OTHER_PROJECT, is_main: "false" } });
  });

  it("sends Artifact's project_id as given, any string, percent-encoded into the query", async () => {
    const { result } = await call("show_package_info", { project_id: "a b&c=d/../e" });
    expect(result.isError ?? false, textOf(result)).toBe(false);
    expect(mock.requests[0]).toMatchObject({ path: "/devreposerver/v5/data/package/info", query: { project_id: "a b&c=d/../e" } });
  });
});

// What the spec allows of each tool's input, worked out here from its parameters.
const PARAMETERS: Record<string, JsonObject[]> = {};
for (const item of Object.values(spec.paths)) {
  for (const node of Object.values(item)) {
    if (typeof node !== "object" || node === null || Array.isArray(node) || node["x-codearts-package-status"] !== true) continue;
    const name = String(node.operationId)
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .toLowerCase();
    PARAMETERS[name] = [...((item.parameters as JsonObject[] | undefined) ?? []), ...((node.parameters as JsonObject[] | undefined) ?? [])];
  }
}

const length = (text: string): number => [...text].length;

function satisfies(schema: JsonObject, value: unknown): boolean {
  if (typeof value !== "string") return false;
  if (typeof schema.minLength === "number" && length(value) < schema.minLength) return false;
  if (typeof schema.maxLength === "number" && length(value) > schema.maxLength) return false;
  if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  return true;
}

/** Whether `args` is input the spec allows for the operation tool `tool`. */
function allowed(tool: string, args: Record<string, unknown>): boolean {
  const parameters = PARAMETERS[tool]!;
  return Object.entries(args).every(([key, value]) => {
    const parameter = parameters.find((p) => p.name === key);
    return parameter !== undefined && satisfies(parameter.schema as JsonObject, value);
  });
}

/** Whether `args` is input package_report's schema allows (regions it may still refuse, before sending). */
function reportAllowed(args: Record<string, unknown>): boolean {
  const day = (value: unknown) => value === undefined || (typeof value === "number" && Number.isInteger(value) && value >= 0);
  const { regions, warn_days: warn, critical_days: critical, ...rest } = args;
  if (Object.keys(rest).length > 0 || !day(warn) || !day(critical)) return false;
  if (typeof warn === "number" && typeof critical === "number" && critical > warn) return false;
  if (regions === undefined) return true;
  return Array.isArray(regions) && regions.length >= 1 && regions.length <= 64 && regions.every((r) => typeof r === "string" && length(r) >= 1 && length(r) <= 64);
}

const TOOLS = [...Object.keys(PARAMETERS), "package_report", "no_such_tool"];
// Values near the rules (the documented examples, off by one, other types) and any JSON at all.
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(PROJECT, TENANT, `${PROJECT}0`, PROJECT.slice(1), "true", "false", "1763887110995", "", "cn-north-4", 30, 7, -1, 1.5, null, true, ["cn-north-4"], [], ["CN-NORTH-4", "x"]),
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const key = fc.oneof(fc.constantFrom("project_id", "tenant_id", "is_main", "_", "regions", "warn_days", "critical_days", "__proto__", "constructor", "toString", ""), fc.string({ maxLength: 12 }));
const argsArbitrary = fc.oneof(
  fc.dictionary(key, value, { maxKeys: 4 }),
  fc.record({ project_id: value, tenant_id: value, is_main: value, _: value }, { requiredKeys: [] }),
  fc.record({ regions: value, warn_days: value, critical_days: value }, { requiredKeys: [] }),
  fc.record({ project_id: fc.constantFrom(PROJECT, OTHER_PROJECT), tenant_id: fc.constantFrom(TENANT, OTHER_PROJECT), is_main: fc.constantFrom("true", "false") }, { requiredKeys: [] }),
);

describe("any arguments at all", () => {
  it("get a result, never a crash; input the schema refuses sends nothing; input it allows is answered", async () => {
    let refused = 0;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TOOLS), argsArbitrary, async (tool, raw) => {
        // As the client sends it: JSON.
        const args = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
        const { result, text, sent } = await call(tool, args);
        // The SDK's parsing of the request drops a "__proto__" key before the server sees it.
        delete args["__proto__"];
        expect(Array.isArray(result.content)).toBe(true);
        expect(text.length).toBeGreaterThan(0);
        const ok = tool === "package_report" ? reportAllowed(args) : tool !== "no_such_tool" && allowed(tool, args);
        if (!ok) {
          refused++;
          expect(result.isError, text).toBe(true);
          expect(sent, text).toBe(0);
        } else if (tool !== "package_report") {
          answered++;
          expect(result.isError ?? false, text).toBe(false);
          expect(sent).toBe(1);
        }
        // package_report may still refuse a region it cannot place; then nothing is sent either.
        else if (result.isError) {
          expect(text, text).toMatch(/^package_report: invalid input, nothing was sent: regions\[\d+\]: /);
          expect(sent).toBe(0);
        }
      }),
      { numRuns: 60 },
    );
    expect(refused).toBeGreaterThan(0);
    // The server is still up and answers.
    const after = await call("show_tenant_package_status", {});
    expect(after.result.isError ?? false, after.text).toBe(false);
    expect(after.sent).toBe(1);
    expect(answered).toBeGreaterThan(0);
  });
});
