// Generates the MCP server's operation tools from the spec: one tool per operation of a package
// service (IAM's supporting lookup is not one), named from its operationId in snake case, its
// input schema from the operation's parameters, its output schema from the 200 response schema,
// its description from the summary and description. OpenAPI 3.0's schema dialect is turned into
// the JSON Schema MCP speaks here: `nullable` becomes a `null` type (and enum value), `example`
// becomes `examples`, references are written out in place. Every other keyword is one both
// dialects share; a keyword this script does not know stops it, naming what to handle.
//
// `--spec FILE` and `--out DIR` generate from another bundled spec into another folder (the test
// that proves an operation added to the spec gets its tool).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { bundledJson, repoRoot } from "./lib/repo.mjs";
import { operationsOf, resolveRef, serviceOf, servicesOf, successStatus } from "./lib/spec.mjs";

const { values: args } = parseArgs({ options: { spec: { type: "string" }, out: { type: "string" } } });
const specFile = args.spec ? path.resolve(args.spec) : bundledJson;
const outDir = args.out ? path.resolve(args.out) : path.join(repoRoot, "packages/mcp/src/generated");
const spec = JSON.parse(readFileSync(specFile, "utf8"));
const packageServices = new Set(servicesOf(spec).filter((service) => !service.supporting).map((service) => service.name));

// Kept as they are: keywords with one meaning in OpenAPI 3.0's schemas and in JSON Schema, and
// the spec's own extensions (`x-enumDescriptions`), which JSON Schema carries as annotations.
const SHARED = new Set([
  ...["type", "enum", "format", "required", "pattern", "minLength", "maxLength", "minimum", "maximum", "multipleOf"],
  ...["minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties"],
  ...["title", "description", "default", "deprecated", "readOnly", "writeOnly"],
]);
// Keywords that hold one schema, and those that hold a list of them.
const NESTED = new Set(["items", "additionalProperties", "not"]);
const NESTED_LISTS = new Set(["anyOf", "allOf", "oneOf"]);

/** A schema of the spec in JSON Schema, every `$ref` written out in place. */
function jsonSchema(node, where, seen = []) {
  if (node && typeof node.$ref === "string") {
    if (seen.includes(node.$ref)) throw new Error(`${where}: ${node.$ref} refers to itself; a recursive schema needs $defs here`);
    return jsonSchema(resolveRef(spec, node), where, [...seen, node.$ref]);
  }
  if (typeof node === "boolean") return node;
  if (!node || typeof node !== "object" || Array.isArray(node)) throw new Error(`${where}: a schema must be an object`);
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (SHARED.has(key) || key.startsWith("x-")) out[key] = value;
    else if (key === "example") out.examples = [value];
    else if (key === "nullable") continue;
    // OpenAPI 3.0's flag on `minimum`/`maximum` is JSON Schema's bound of its own.
    else if (key === "exclusiveMinimum" || key === "exclusiveMaximum") continue;
    else if (key === "properties") out.properties = Object.fromEntries(Object.entries(value).map(([name, v]) => [name, jsonSchema(v, `${where}/properties/${name}`, seen)]));
    else if (NESTED_LISTS.has(key)) out[key] = value.map((v, i) => jsonSchema(v, `${where}/${key}/${i}`, seen));
    else if (NESTED.has(key)) out[key] = jsonSchema(value, `${where}/${key}`, seen);
    else throw new Error(`${where}: scripts/generate-mcp-tools.mjs does not know how to carry "${key}" into JSON Schema`);
  }
  for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]]) {
    if (node[flag] === true && node[bound] !== undefined) {
      out[flag] = node[bound];
      delete out[bound];
    }
  }
  if (node.nullable === true) {
    if (out.type === undefined) throw new Error(`${where}: nullable without a type`);
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

const snakeCase = (operationId) => operationId.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toLowerCase();
const lowerCamel = (name) => name[0].toLowerCase() + name.slice(1);

const tools = operationsOf(spec)
  .filter((operation) => packageServices.has(serviceOf(operation)))
  .map((operation) => {
    const id = operation.operationId;
    const properties = {};
    const required = [];
    for (const parameter of operation.parameters) {
      if (parameter.in !== "path" && parameter.in !== "query") throw new Error(`${id}: a ${parameter.in} parameter (${parameter.name}) has no place in a tool's input yet`);
      const schema = jsonSchema(parameter.schema ?? {}, `${id} parameter ${parameter.name}`);
      properties[parameter.name] = {
        ...schema,
        ...(parameter.description ? { description: parameter.description } : {}),
        ...(parameter.example !== undefined ? { examples: [parameter.example] } : {}),
      };
      // The server, as the client, fills in a path's tenant_id the call leaves out (the
      // parameter's description says from where): an assistant seldom knows its tenant ID.
      if (parameter.required === true && !(parameter.in === "path" && parameter.name === "tenant_id")) required.push(parameter.name);
    }
    const status = successStatus(operation);
    if (status !== "200") throw new Error(`${id}: its success is ${status}; a tool's output schema is its 200 body`);
    const body = operation.responses[status].content?.["application/json"]?.schema;
    if (!body) throw new Error(`${id}: its 200 response has no application/json schema`);
    const bodySchema = jsonSchema(body, `${id} 200 response`);
    // MCP's structured content is an object: another body (Pipeline's list) is put under `body`.
    const wrapped = bodySchema.type !== "object";
    return {
      name: snakeCase(id),
      title: operation.summary,
      description: [operation.summary.replace(/\.?$/, "."), operation.description, `\`${operation.method.toUpperCase()} ${operation.path}\` (\`${id}\`).`].filter(Boolean).join("\n\n"),
      operationId: id,
      service: serviceOf(operation),
      method: lowerCamel(id),
      wrapped,
      inputSchema: { type: "object", properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false },
      outputSchema: wrapped
        ? {
            type: "object",
            description: `The ${status} body of ${id} under \`body\`: MCP's structured content is an object, and this body is not.`,
            properties: { body: bodySchema },
            required: ["body"],
            additionalProperties: false,
          }
        : bodySchema,
      annotations: { title: operation.summary, readOnlyHint: true, openWorldHint: true },
    };
  });

mkdirSync(outDir, { recursive: true });
writeFileSync(
  path.join(outDir, "tools.ts"),
  [
    "// Generated by scripts/generate-mcp-tools.mjs from the bundled spec. Do not edit: change spec/ and run `pnpm generate`.",
    "",
    'import type { PackageService } from "@codearts-package-status/client";',
    "",
    "/** The version of the spec (`info.version`) these tools were generated from. */",
    `export const SPEC_VERSION = ${JSON.stringify(spec.info.version)};`,
    "",
    "/** A tool made from one operation of the spec. */",
    "export interface OperationTool {",
    "  /** The operationId in snake case. */",
    "  readonly name: string;",
    "  /** The operation's summary. */",
    "  readonly title: string;",
    "  /** The operation's summary, description, method and path. */",
    "  readonly description: string;",
    "  /** Huawei's name of the operation. */",
    "  readonly operationId: string;",
    "  /** The service that serves it: the client's namespace of its method. */",
    "  readonly service: PackageService;",
    "  /** The client's resource method of the operation. */",
    "  readonly method: string;",
    "  /** Whether the 200 body, not an object, is structured content's `body`. */",
    "  readonly wrapped: boolean;",
    "  /** JSON Schema of the operation's parameters. */",
    "  readonly inputSchema: { readonly type: \"object\"; readonly properties: Readonly<Record<string, object>>; readonly required?: readonly string[]; readonly additionalProperties: false };",
    "  /** JSON Schema of the structured content: the 200 body's. */",
    "  readonly outputSchema: { readonly type: \"object\"; readonly [keyword: string]: unknown };",
    "  /** MCP's hints: read-only, and reaching Huawei Cloud. */",
    "  readonly annotations: { readonly title: string; readonly readOnlyHint: true; readonly openWorldHint: true };",
    "}",
    "",
    "/** One tool per operation of a package service, in the spec's order. */",
    `export const OPERATION_TOOLS: readonly OperationTool[] = ${JSON.stringify(tools, null, 2)};`,
    "",
  ].join("\n"),
);
console.log(`generated MCP tools: ${tools.map((tool) => tool.name).join(", ")}`);
