// An operation added to the spec becomes a tool with no other edit: the generator runs on a
// temporary copy of the bundled spec with one more operation, and a server made from what it
// wrote lists the new tool with the schemas the spec gives it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Reporter } from "@codearts-package-status/cli";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMcpServer } from "../src/server.js";
import type { OperationTool } from "../src/generated/tools.js";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const bundled = path.join(repoRoot, "packages/openapi/generated/openapi.json");
const generator = path.join(repoRoot, "scripts/generate-mcp-tools.mjs");

// A plausible later operation of CodeArts Pipeline: a path parameter the server fills in, a
// bounded query parameter, a nullable field and an OpenAPI 3.0 exclusive bound.
const ADDED = {
  parameters: [{ $ref: "#/components/parameters/TenantId" }],
  get: {
    operationId: "ListTenantPackageUsage",
    tags: ["pipeline"],
    "x-codearts-package-status": true,
    summary: "List the usage of the tenant's packages",
    description: "Lists how much of each package the tenant has used.",
    parameters: [
      { name: "limit", in: "query", required: true, description: "Entries per page.", schema: { type: "integer", minimum: 0, exclusiveMinimum: true, maximum: 100 }, example: 10 },
    ],
    responses: {
      "200": {
        description: "OK",
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["used"],
              properties: {
                used: { type: "integer", description: "Units used.", example: 3 },
                note: { type: "string", nullable: true, description: "A remark, or null." },
                tips: { $ref: "#/components/schemas/NullableTips" },
              },
            },
          },
        },
      },
    },
  },
};

let dir: string;
let tools: readonly OperationTool[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "mcp-tools-"));
  const spec = JSON.parse(readFileSync(bundled, "utf8"));
  spec.paths["/v5/{tenant_id}/api/package-specs/usage"] = { ...spec.paths["/v5/{tenant_id}/api/package-specs/count-down"], ...ADDED };
  delete spec.paths["/v5/{tenant_id}/api/package-specs/usage"].get.responses["401"];
  writeFileSync(path.join(dir, "openapi.json"), JSON.stringify(spec));
  execFileSync(process.execPath, [generator, "--spec", path.join(dir, "openapi.json"), "--out", dir], { stdio: "pipe" });
  ({ OPERATION_TOOLS: tools } = await import(pathToFileURL(path.join(dir, "tools.ts")).href));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an operation added to the spec", () => {
  test("gets a tool named from its operationId in snake case, read-only, described by its summary and description", () => {
    expect(tools.map((tool) => tool.name)).toEqual(["show_package_info", "show_tenant_package_status", "validate_tenant_package_is_expired", "list_tenant_package_usage"]);
    const tool = tools.at(-1)!;
    expect(tool).toMatchObject({ operationId: "ListTenantPackageUsage", service: "pipeline", method: "listTenantPackageUsage", wrapped: false, annotations: { readOnlyHint: true } });
    expect(tool.description).toContain("List the usage of the tenant's packages.");
    expect(tool.description).toContain("Lists how much of each package the tenant has used.");
  });

  test("takes its parameters as input with their constraints, tenant_id left to the server, and nothing else", () => {
    const input = tools.at(-1)!.inputSchema as unknown as { properties: Record<string, Record<string, unknown>>; required?: string[]; additionalProperties: boolean };
    expect(Object.keys(input.properties)).toEqual(["tenant_id", "limit"]);
    expect(input.required).toEqual(["limit"]);
    expect(input.additionalProperties).toBe(false);
    // OpenAPI 3.0's `exclusiveMinimum: true` on `minimum: 0` is JSON Schema's `exclusiveMinimum: 0`.
    expect(input.properties.limit).toEqual({ type: "integer", exclusiveMinimum: 0, maximum: 100, description: "Entries per page.", examples: [10] });
    expect(input.properties.tenant_id).toMatchObject({ type: "string", pattern: "^[0-9A-Za-z]{32}$", minLength: 32, maxLength: 32 });
  });

  test("returns its 200 body as structured content, nullable fields allowing null and references written out", () => {
    const output = tools.at(-1)!.outputSchema as unknown as { type: string; required: string[]; properties: Record<string, Record<string, unknown>> };
    expect(output.type).toBe("object");
    expect(output.required).toEqual(["used"]);
    expect(output.properties.used).toEqual({ type: "integer", description: "Units used.", examples: [3] });
    expect(output.properties.note).toEqual({ type: ["string", "null"], description: "A remark, or null." });
    expect(JSON.stringify(output)).not.toContain("$ref");
    const nullTips = (output.properties.tips!.anyOf as Array<Record<string, unknown>>)[1];
    expect(nullTips).toMatchObject({ type: ["object", "null"], enum: [null] });
  });

  test("is listed by a server made from the generated tools, next to package_report", async () => {
    const reporter = {} as Reporter;
    const server = createMcpServer(reporter, { version: "0.0.0", tools });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "test", version: "0.0.0" });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    try {
      const listed = await client.listTools();
      const tool = listed.tools.find((one) => one.name === "list_tenant_package_usage");
      expect(tool?.inputSchema.required).toEqual(["limit"]);
      expect(tool?.annotations?.readOnlyHint).toBe(true);
      expect(listed.tools.map((one) => one.name)).toContain("package_report");
    } finally {
      await client.close();
    }
  });
});

describe("the generator", () => {
  test("stops on a schema keyword it cannot carry into JSON Schema, naming it", () => {
    const spec = JSON.parse(readFileSync(bundled, "utf8"));
    spec.components.schemas.Tips.discriminator = { propertyName: "status" };
    writeFileSync(path.join(dir, "odd.json"), JSON.stringify(spec));
    expect(() => execFileSync(process.execPath, [generator, "--spec", path.join(dir, "odd.json"), "--out", path.join(dir, "odd")], { stdio: "pipe" })).toThrow(/"discriminator"/);
  });
});
