// Derives every test case from the spec itself: the documented examples of every response and
// parameter, and for each example a counter-example per constraint it can break. Adding an
// example, a field or a constraint to the spec adds its cases here with no other edit.
import { documentedExamples, documentedOperation } from "@codearts-package-status/test-support";
import { deref, pointerSegment, spec, type Json, type Schema } from "./spec.js";

/** One documented example of one response of one operation. */
export interface ResponseExample {
  operationId: string;
  status: string;
  mediaType: string;
  name: string;
  value: Json;
  /** JSON pointer of the response's schema inside the document. */
  schemaPointer: string;
}

/** One parameter of one operation with its documented example. */
export interface ParameterExample {
  operationId: string;
  name: string;
  in: string;
  required: boolean;
  value: Json;
  schemaPointer: string;
}

/** A documented example changed in exactly one place so that exactly one constraint breaks. */
export interface CounterExample {
  /** What was changed, e.g. `/result/tips/status = 3`. */
  label: string;
  value: Json;
  /** The ajv keyword that must reject it. */
  keyword: string;
  /** The instance path where ajv must report it. */
  instancePath: string;
  /** For `required`: the property that must be reported missing. */
  missingProperty?: string;
}

/** One operation of the document. */
export interface Operation {
  operationId: string;
  method: string;
  path: string;
  pointer: string;
  node: Schema;
  pathItem: Schema;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Every operation of the document, in document order. */
export function operations(): Operation[] {
  const paths = spec.paths as Record<string, Schema>;
  return Object.entries(paths).flatMap(([path, pathItem]) =>
    METHODS.filter((method) => pathItem[method]).map((method) => {
      const node = pathItem[method] as Schema;
      return {
        operationId: String(node.operationId),
        method,
        path,
        pointer: `/paths/${pointerSegment(path)}/${method}`,
        node,
        pathItem,
      };
    }),
  );
}

/** The responses of an operation, resolved, with the pointer each resolved to. */
export function responsesOf(operation: Operation): { status: string; pointer: string; response: Schema }[] {
  return Object.entries(operation.node.responses as Record<string, Json>).map(([status, raw]) => {
    const { value, pointer } = deref(raw, `${operation.pointer}/responses/${pointerSegment(status)}`);
    return { status, pointer, response: value as Schema };
  });
}

/**
 * Every documented example of every response of every operation, as the shared reader lists
 * them, each with the pointer of its schema in `openapi.json` for ajv.
 */
export function responseExamples(): ResponseExample[] {
  const byId = new Map(operations().map((operation) => [operation.operationId, operation]));
  return documentedExamples().map(({ operationId, status, mediaType, name, value }) => ({
    operationId,
    status,
    mediaType,
    name,
    value,
    schemaPointer: responseSchemaPointer(byId.get(operationId)!, status, mediaType),
  }));
}

/** Where the schema of one media type of one response sits in `openapi.json`, `$ref`s followed. */
function responseSchemaPointer(operation: Operation, status: string, mediaType: string): string {
  const { value, pointer } = deref((operation.node.responses as Record<string, Json>)[status], `${operation.pointer}/responses/${pointerSegment(status)}`);
  const media = ((value as Schema).content as Record<string, Schema>)[mediaType]!;
  return deref(media.schema, `${pointer}/content/${pointerSegment(mediaType)}/schema`).pointer;
}

/** Every parameter of every operation (path-level ones included) with its documented example. */
export function parameterExamples(): ParameterExample[] {
  return operations().flatMap((operation) => {
    const declared = [
      ...((operation.pathItem.parameters ?? []) as Json[]).map((p, i) => deref(p, `/paths/${pointerSegment(operation.path)}/parameters/${i}`)),
      ...((operation.node.parameters ?? []) as Json[]).map((p, i) => deref(p, `${operation.pointer}/parameters/${i}`)),
    ];
    // The shared reader lists the same parameters in the same order: path-level ones first.
    const documented = documentedOperation(operation.operationId).parameters;
    return declared.map(({ pointer }, i) => {
      const parameter = documented[i]!;
      return {
        operationId: operation.operationId,
        name: parameter.name,
        in: parameter.in,
        required: parameter.required,
        value: parameter.example as Json,
        schemaPointer: `${pointer}/schema`,
      };
    });
  });
}

/**
 * Counter-examples of a valid value: for every place in it and every constraint its schema puts
 * there (type, nullability, enum, pattern, lengths, format, required properties, anyOf), one
 * copy of the value that breaks only that constraint. If a schema is loosened, the matching
 * counter-example validates and its test fails.
 */
export function counterExamples(schemaPointer: string, value: Json): CounterExample[] {
  const sites: Site[] = [];
  collectSites({ $ref: `#${schemaPointer}` }, value, [], sites);
  return sites.map((site) => ({
    label: site.label,
    value: site.remove ? withoutKey(value, site.path) : replaceAt(value, site.path, site.replacement ?? null),
    keyword: site.keyword,
    instancePath: toPointer(site.remove ? site.path.slice(0, -1) : site.path),
    ...(site.remove ? { missingProperty: String(site.path.at(-1)) } : {}),
  }));
}

/**
 * The value with a field no version of the spec declares added to every object that has
 * declared properties: responses must stay valid when Huawei adds fields.
 */
export function withUnknownFields(schemaPointer: string, value: Json): Json {
  return addUnknown({ $ref: `#${schemaPointer}` }, value);
}

/** The name of the field that `withUnknownFields` adds. */
export const UNKNOWN_FIELD = "fieldAddedByALaterApiVersion";

type Path = (string | number)[];
interface Site {
  path: Path;
  replacement?: Json;
  remove?: true;
  keyword: string;
  label: string;
}

function schemaAt(raw: Json | undefined): Schema {
  const { value } = deref(raw, "");
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("expected a schema object");
  return value as Schema;
}

/** `{ type: object, nullable: true, enum: [null] }`: OpenAPI 3.0's spelling of the null type. */
function isNullOnly(schema: Schema): boolean {
  return Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null;
}

function collectSites(raw: Json | undefined, value: Json, path: Path, out: Site[], nullAllowed = false): void {
  const schema = schemaAt(raw);
  const at = toPointer(path) || "(root)";
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf.map((branch) => schemaAt(branch));
    out.push({ path, replacement: 42, keyword: "anyOf", label: `${at} = 42 (matches no anyOf branch)` });
    if (!branches.some(isNullOnly)) out.push({ path, replacement: null, keyword: "anyOf", label: `${at} = null (no null branch)` });
    if (value === null) return;
    const branch = schema.anyOf[branches.findIndex((b) => !isNullOnly(b))];
    collectSites(branch, value, path, out, branches.some(isNullOnly));
    return;
  }
  const type = String(schema.type);
  const wrong = wrongTypeValue(type);
  out.push({ path, replacement: wrong, keyword: "type", label: `${at} = ${JSON.stringify(wrong)} (not ${type})` });
  if (schema.nullable !== true && !nullAllowed && value !== null) {
    out.push({ path, replacement: null, keyword: "type", label: `${at} = null (not nullable)` });
  }
  if (type === "integer") out.push({ path, replacement: 1.5, keyword: "type", label: `${at} = 1.5 (not an integer)` });
  if (Array.isArray(schema.enum) && !isNullOnly(schema)) {
    const outside = outsideEnum(schema.enum, type);
    out.push({ path, replacement: outside, keyword: "enum", label: `${at} = ${JSON.stringify(outside)} (not in enum)` });
  }
  if (type === "string" && typeof value === "string") collectStringSites(schema, value, path, at, out);
  if (type === "object" && value && typeof value === "object" && !Array.isArray(value)) {
    for (const key of (schema.required ?? []) as string[]) {
      if (key in value) out.push({ path: [...path, key], remove: true, keyword: "required", label: `${at} without required ${key}` });
    }
    const properties = (schema.properties ?? {}) as Record<string, Json>;
    for (const [key, child] of Object.entries(value)) {
      const childSchema = properties[key] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
      if (childSchema !== undefined) collectSites(childSchema as Json, child, [...path, key], out);
    }
  }
  // One item proves the item schema's constraints; the others would only repeat them.
  if (type === "array" && Array.isArray(value) && value.length > 0) collectSites(schema.items as Json, value[0] as Json, [...path, 0], out);
}

function collectStringSites(schema: Schema, value: string, path: Path, at: string, out: Site[]): void {
  if (typeof schema.pattern === "string") {
    const broken = breakPattern(value, schema.pattern);
    out.push({ path, replacement: broken, keyword: "pattern", label: `${at} = ${JSON.stringify(broken)} (breaks ${schema.pattern})` });
  }
  if (typeof schema.minLength === "number" && schema.minLength > 0) {
    const short = value.slice(0, schema.minLength - 1);
    out.push({ path, replacement: short, keyword: "minLength", label: `${at} shortened to ${short.length} characters` });
  }
  if (typeof schema.maxLength === "number") {
    const long = value.padEnd(schema.maxLength + 1, "0");
    out.push({ path, replacement: long, keyword: "maxLength", label: `${at} lengthened to ${long.length} characters` });
  }
  if (schema.format === "date-time") {
    out.push({ path, replacement: "2025-13-45 25:61", keyword: "format", label: `${at} = "2025-13-45 25:61" (not a date-time)` });
  }
}

function wrongTypeValue(type: string): Json {
  switch (type) {
    case "string":
      return 42;
    case "integer":
    case "number":
      return "42";
    case "boolean":
      return "true";
    case "array":
      return { not: "an array" };
    case "object":
      return ["not", "an", "object"];
    default:
      throw new Error(`schema without a type: counter-examples need one (${type})`);
  }
}

function outsideEnum(values: Json[], type: string): Json {
  if (type === "integer" || type === "number") {
    const numbers = values.filter((v): v is number => typeof v === "number");
    // Prefer a gap inside the documented range (e.g. 3 between 2 and 4): the likeliest typo.
    for (let candidate = Math.min(...numbers); ; candidate++) if (!numbers.includes(candidate)) return candidate;
  }
  const strings = values.map(String);
  let candidate = "not-a-documented-value";
  while (strings.includes(candidate)) candidate += "!";
  return candidate;
}

function breakPattern(value: string, pattern: string): string {
  const regex = new RegExp(pattern, "u");
  // Same length, one character changed: only the pattern, not a length limit, may reject it.
  for (const character of ["-", "/", ".", " ", "!", "é", "x", "0"]) {
    const candidate = character + value.slice(1);
    if (!regex.test(candidate)) return candidate;
  }
  throw new Error(`cannot derive a value that breaks ${pattern} from ${JSON.stringify(value)}`);
}

function addUnknown(raw: Json | undefined, value: Json): Json {
  if (value === null || typeof value !== "object") return value;
  const schema = schemaAt(raw);
  if (Array.isArray(schema.anyOf)) {
    return addUnknown(schema.anyOf.find((branch) => !isNullOnly(schemaAt(branch))), value);
  }
  if (Array.isArray(value)) return value.map((item) => addUnknown(schema.items as Json, item));
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const result: Record<string, Json> = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = properties[key] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
    result[key] = childSchema === undefined ? child : addUnknown(childSchema as Json, child);
  }
  // A map (additionalProperties with a schema) types its every key; only records are open.
  if (schema.properties) result[UNKNOWN_FIELD] = "a value from the future";
  return result;
}

function toPointer(path: Path): string {
  return path.map((segment) => `/${pointerSegment(segment)}`).join("");
}

function replaceAt(value: Json, path: Path, replacement: Json): Json {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? replaceAt(item, rest, replacement) : item));
  const object = value as Record<string, Json>;
  return { ...object, [head as string]: replaceAt(object[head as string] as Json, rest, replacement) };
}

function withoutKey(value: Json, path: Path): Json {
  const parentPath = path.slice(0, -1);
  const key = String(path.at(-1));
  const parent = parentPath.reduce<Json>((node, segment) => (node as Record<string, Json>)[segment as string] as Json, value);
  const { [key]: _removed, ...rest } = parent as Record<string, Json>;
  return replaceAt(value, parentPath, rest);
}

/** A schema of the document that carries its own `example`, with the pointer where it stands. */
export interface SchemaExample {
  pointer: string;
  value: Json;
}

/** Every schema under components that has an `example` of its own (properties included). */
export function schemaExamples(): SchemaExample[] {
  const found: SchemaExample[] = [];
  for (const [root, pointer] of schemaRoots()) {
    walkSchemas(root, pointer, (schema, at) => {
      if ("example" in schema) found.push({ pointer: at, value: schema.example as Json });
    });
  }
  return found;
}

/** The keywords that constrain a value, as opposed to annotating it. */
const CONSTRAINT_KEYWORDS = [
  "type",
  "nullable",
  "enum",
  "pattern",
  "minLength",
  "maxLength",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
  "uniqueItems",
  "required",
  "additionalProperties",
  "$ref",
] as const;

/**
 * Every constraint of every schema in the document, keyed by the schema's pointer: the
 * inventory that the contract tests compare with the reviewed snapshot, so that a loosened or
 * dropped constraint fails a test.
 */
export function constraintInventory(): Record<string, Record<string, Json>> {
  const inventory: Record<string, Record<string, Json>> = {};
  for (const [root, pointer] of schemaRoots()) {
    walkSchemas(root, pointer, (schema, at) => {
      const constraints: Record<string, Json> = {};
      for (const keyword of CONSTRAINT_KEYWORDS) {
        const value = schema[keyword];
        if (value === undefined) continue;
        // A nested schema is inventoried at its own pointer; here only whether it exists.
        constraints[keyword] = typeof value === "object" && value !== null && !Array.isArray(value) ? "schema" : (value as Json);
      }
      if (Array.isArray(schema.anyOf)) constraints.anyOf = schema.anyOf.length;
      if (schema.properties) constraints.properties = Object.keys(schema.properties as object);
      inventory[at] = constraints;
    });
  }
  return inventory;
}

function schemaRoots(): [Schema, string][] {
  const schemas = Object.entries(spec.components.schemas).map(
    ([name, schema]) => [schema as Schema, `/components/schemas/${pointerSegment(name)}`] as [Schema, string],
  );
  const parameters = Object.entries(spec.components.parameters).map(
    ([name, parameter]) =>
      [(parameter as Schema).schema as Schema, `/components/parameters/${pointerSegment(name)}/schema`] as [Schema, string],
  );
  return [...schemas, ...parameters];
}

function walkSchemas(schema: Schema, pointer: string, visit: (schema: Schema, pointer: string) => void): void {
  if (typeof schema.$ref === "string") {
    visit(schema, pointer);
    return;
  }
  visit(schema, pointer);
  for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    walkSchemas(child, `${pointer}/properties/${pointerSegment(key)}`, visit);
  }
  if (schema.items) walkSchemas(schema.items as Schema, `${pointer}/items`, visit);
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    walkSchemas(schema.additionalProperties as Schema, `${pointer}/additionalProperties`, visit);
  }
  ((schema.anyOf ?? []) as Schema[]).forEach((branch, i) => walkSchemas(branch, `${pointer}/anyOf/${i}`, visit));
}
