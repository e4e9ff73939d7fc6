// The tools as an MCP client sees them, compared with the spec read on its own: the published
// dereferenced bundle, converted here from OpenAPI 3.0's schema dialect to JSON Schema by a few
// lines written apart from scripts/generate-mcp-tools.mjs, so a drift in either shows.
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spec, type Json, type JsonObject } from "@codearts-package-status/test-support";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { startMcp, textOf, type McpSession } from "./support/mcp.js";

const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** One package operation of the spec, with what its tool must show. */
interface SpecOperation {
  operationId: string;
  /** The tool's name: the operationId in snake case. */
  tool: string;
  summary: string;
  description: string;
  /** Path-level parameters first, then the operation's own. */
  parameters: JsonObject[];
  /** The 200 application/json schema. */
  body: JsonObject;
  /** The value of the first documented 200 example. */
  example: Json;
}

const snake = (id: string): string => id.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

// Every operation the spec marks as a package status API (IAM's tenant lookup only supports them).
const OPERATIONS: SpecOperation[] = Object.values(spec.paths).flatMap((item) =>
  Object.values(item)
    .filter((node): node is JsonObject => isObject(node) && node["x-codearts-package-status"] === true)
    .map((node) => {
      const ok = (node.responses as JsonObject)["200"] as JsonObject;
      const media = (ok.content as JsonObject)["application/json"] as JsonObject;
      const examples = Object.values(media.examples as JsonObject);
      return {
        operationId: String(node.operationId),
        tool: snake(String(node.operationId)),
        summary: String(node.summary),
        description: String(node.description),
        parameters: [...((item.parameters as Json[] | undefined) ?? []), ...((node.parameters as Json[] | undefined) ?? [])].filter(isObject),
        body: media.schema as JsonObject,
        example: (examples[0] as JsonObject).value ?? null,
      };
    }),
);

/** A schema of the spec as JSON Schema: `example` becomes `examples: [example]`, `nullable` a `null` type (and enum value). */
function jsonSchema(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "nullable") continue;
    if (key === "example") out.examples = [value];
    else if (key === "properties" && isObject(value)) out.properties = Object.fromEntries(Object.entries(value).map(([name, v]) => [name, jsonSchema(v as JsonObject)]));
    else if ((key === "items" || key === "additionalProperties" || key === "not") && isObject(value)) out[key] = jsonSchema(value);
    else if ((key === "anyOf" || key === "oneOf" || key === "allOf") && Array.isArray(value)) out[key] = value.map((v) => jsonSchema(v as JsonObject));
    else out[key] = value;
  }
  if (node.nullable === true) {
    out.type = [node.type as Json, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
const accepts = (schema: unknown, value: unknown): boolean => ajv.validate(schema as object, value);

/** Every pair of a spec schema and the tool's schema at the same place, with the place. */
function* alongside(specNode: JsonObject, toolNode: JsonObject, at: string): Generator<[JsonObject, JsonObject, string]> {
  yield [specNode, toolNode, at];
  for (const [name, child] of Object.entries(isObject(specNode.properties) ? specNode.properties : {})) {
    yield* alongside(child as JsonObject, ((toolNode.properties ?? {}) as JsonObject)[name] as JsonObject, `${at}.${name}`);
  }
  for (const key of ["items", "additionalProperties"] as const) {
    if (isObject(specNode[key])) yield* alongside(specNode[key], toolNode[key] as JsonObject, `${at}.${key}`);
  }
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const list = specNode[key];
    if (Array.isArray(list)) for (const [i, child] of list.entries()) yield* alongside(child as JsonObject, (toolNode[key] as Json[])[i] as JsonObject, `${at}.${key}[${i}]`);
  }
}

let session: McpSession;
let tools: Tool[];
beforeAll(async () => {
  session = await startMcp(["--mock"]);
  tools = (await session.client.listTools()).tools;
});
afterAll(async () => {
  await session.close();
});

const toolOf = (name: string): Tool => {
  const tool = tools.find((one) => one.name === name);
  if (!tool) throw new Error(`no tool ${name} listed`);
  return tool;
};

it("the spec has the three package operations these tests expect", () => {
  expect(OPERATIONS.map((o) => o.tool)).toEqual(["show_package_info", "show_tenant_package_status", "validate_tenant_package_is_expired"]);
});

it("tools/list lists one tool per package operation of the spec, in its order, then package_report, and nothing else", () => {
  expect(tools.map((tool) => tool.name)).toEqual([...OPERATIONS.map((o) => o.tool), "package_report"]);
});

it("every tool is read-only, has a title and an object output schema", () => {
  for (const tool of tools) {
    expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    expect(tool.title, tool.name).toBeTruthy();
    expect(tool.outputSchema?.type, tool.name).toBe("object");
    expect(tool.inputSchema.type, tool.name).toBe("object");
  }
});

describe.each(OPERATIONS)("$tool", (operation) => {
  it("is titled by the operation's summary, and its description carries the summary and the description", () => {
    const tool = toolOf(operation.tool);
    expect(tool.title).toBe(operation.summary);
    expect(tool.description).toContain(operation.summary);
    expect(tool.description).toContain(operation.description);
    expect(tool.description).toContain(operation.operationId);
  });

  it("takes exactly the operation's parameters, each with its schema, description and example, and refuses others", () => {
    const { inputSchema } = toolOf(operation.tool);
    const expected = Object.fromEntries(
      operation.parameters.map((p) => [
        String(p.name),
        { ...jsonSchema(p.schema as JsonObject), ...(p.description === undefined ? {} : { description: p.description }), ...(p.example === undefined ? {} : { examples: [p.example] }) },
      ]),
    );
    expect(inputSchema.properties).toEqual(expected);
    expect(inputSchema.additionalProperties).toBe(false);
    // The key facts, said one by one for a readable failure.
    for (const p of operation.parameters) {
      const listed = (inputSchema.properties as Record<string, Record<string, unknown>>)[String(p.name)]!;
      const schema = p.schema as JsonObject;
      for (const rule of ["type", "pattern", "minLength", "maxLength", "enum"]) expect(listed[rule], `${String(p.name)} ${rule}`).toEqual(schema[rule]);
      expect(listed.description).toBe(p.description);
      expect(listed.examples).toEqual([p.example]);
    }
  });

  it("requires what the spec requires, except a path's tenant_id, which the server fills in", () => {
    const { inputSchema } = toolOf(operation.tool);
    const required = operation.parameters.filter((p) => p.required === true && !(p.in === "path" && p.name === "tenant_id")).map((p) => String(p.name));
    expect(inputSchema.required ?? []).toEqual(required);
    if (operation.parameters.some((p) => p.name === "tenant_id")) expect(inputSchema.required ?? []).not.toContain("tenant_id");
  });

  it("promises the 200 body of the spec as its output schema (a list under `body`)", () => {
    const { outputSchema } = toolOf(operation.tool);
    const body = jsonSchema(operation.body);
    if (operation.body.type === "object") {
      expect(outputSchema).toEqual(body);
    } else {
      expect(outputSchema).toMatchObject({ type: "object", required: ["body"], additionalProperties: false });
      expect(Object.keys(outputSchema!.properties!)).toEqual(["body"]);
      expect(outputSchema!.properties!.body).toEqual(body);
    }
  });

  it("keeps every field, enum, pattern and nullability of the spec's 200 schema at every depth", () => {
    const { outputSchema } = toolOf(operation.tool);
    const root = (operation.body.type === "object" ? outputSchema : outputSchema!.properties!.body) as JsonObject;
    let nullable = 0;
    for (const [specNode, toolNode, at] of alongside(operation.body, root, operation.operationId)) {
      expect(toolNode, at).toBeDefined();
      expect(Object.keys((toolNode.properties ?? {}) as JsonObject), at).toEqual(Object.keys((specNode.properties ?? {}) as JsonObject));
      for (const rule of ["pattern", "minLength", "maxLength", "format", "description", "required"]) expect(toolNode[rule], `${at} ${rule}`).toEqual(specNode[rule]);
      if (specNode.nullable === true) {
        nullable++;
        expect(accepts(toolNode, null), `${at} accepts null`).toBe(true);
        if (Array.isArray(specNode.enum)) expect(toolNode.enum, at).toEqual(specNode.enum.includes(null) ? specNode.enum : [...specNode.enum, null]);
      } else {
        if (Array.isArray(specNode.enum)) expect(toolNode.enum, at).toEqual(specNode.enum);
        if (typeof specNode.type === "string") expect(accepts(toolNode, null), `${at} refuses null`).toBe(false);
      }
      if (specNode.example !== undefined) expect(accepts(toolNode, specNode.example), `${at} accepts its own example`).toBe(true);
    }
    if (operation.operationId !== "ShowPackageInfo") expect(nullable, "the spec's nullable fields were seen").toBeGreaterThan(0);
  });

  it("accepts the documented 200 example as its output, and refuses a body of the wrong type", () => {
    const { outputSchema } = toolOf(operation.tool);
    const wrap = (value: unknown) => (operation.body.type === "object" ? value : { body: value });
    expect(accepts(outputSchema, wrap(operation.example))).toBe(true);
    expect(accepts(outputSchema, wrap("not the body"))).toBe(false);
  });

  it("called on --mock with no arguments, answers the documented 200 example as structured content, its JSON as text, and the request ID", async () => {
    const result = await session.call(operation.tool, {});
    expect(result.isError ?? false, textOf(result)).toBe(false);
    const structured = result.structuredContent as Record<string, unknown>;
    if (operation.body.type === "object") expect(structured).toEqual(operation.example);
    else expect(structured).toEqual({ body: operation.example });
    expect(JSON.parse(textOf(result))).toEqual(structured);
    expect(result._meta?.["codearts-package-status/request-id"]).toMatch(/^\S+$/);
  });
});

describe("package_report", () => {
  it("takes regions, warn_days and critical_days only, is read-only, and promises a verdict", () => {
    const tool = toolOf("package_report");
    expect(Object.keys(tool.inputSchema.properties ?? {}).sort()).toEqual(["critical_days", "regions", "warn_days"]);
    expect(tool.inputSchema.required ?? []).toEqual([]);
    expect(tool.inputSchema.additionalProperties).toBe(false);
    expect(tool.annotations?.readOnlyHint).toBe(true);
    expect(tool.outputSchema?.required).toEqual(expect.arrayContaining(["verdict", "packages", "errors"]));
  });
});

it("a tool that does not exist is an error result naming the tools, and the server goes on", async () => {
  const result = await session.call("delete_everything", {});
  expect(result.isError).toBe(true);
  expect(textOf(result)).toContain('no tool named "delete_everything"');
  expect(textOf(result)).toContain("package_report");
  expect((await session.call("show_package_info", {})).isError ?? false).toBe(false);
});
