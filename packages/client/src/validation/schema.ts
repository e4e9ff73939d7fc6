// A small validator for the subset of OpenAPI 3.0 schemas the spec uses, so that response
// validation needs no runtime dependency. The contract tests hold it to ajv's verdicts.
import type { ValidationIssue } from "../errors.js";

/** A schema node of the spec, annotations stripped. */
export interface SchemaNode {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: readonly unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  format?: string;
  required?: readonly string[];
  properties?: Readonly<Record<string, SchemaNode>>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  anyOf?: readonly SchemaNode[];
}

const patterns = new Map<string, RegExp>();
// RFC 3339 date-time, as JSON Schema's `format: date-time` means it.
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * How much of a schema to hold a value to. `"all"`: everything the spec says. `"shape"`: types,
 * nullability, required and disallowed fields only; values the spec constrains further (a code
 * of an enum, a pattern, a length, a format) are accepted as sent, because a new status code is how an API
 * evolves, and a reader that fails on it reports nothing at all.
 */
export type ValidationMode = "all" | "shape";

// Values nest no deeper than the spec's schemas (a handful of levels); this bounds the walk if a
// schema ever refers to itself, so that a hostile body ends as an issue, not a stack overflow.
const MAX_DEPTH = 64;
// A body of a million wrong items would otherwise make a million issues, and a message to match.
const MAX_ISSUES = 100;
// A path names where a value is; an object key a server sent may be a megabyte long.
const MAX_KEY_LENGTH = 64;

/** Every way `value` breaks `schema` (`$ref`s resolved against `components`), empty when it conforms; at most 100 are listed. */
export function validateAgainst(
  schema: SchemaNode,
  value: unknown,
  components: Readonly<Record<string, SchemaNode>>,
  path = "",
  mode: ValidationMode = "all",
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  check(schema, value, path, { components, mode, depth: 0 }, issues);
  return issues;
}

interface Walk {
  components: Readonly<Record<string, SchemaNode>>;
  mode: ValidationMode;
  depth: number;
}

function check(schema: SchemaNode, value: unknown, path: string, walk: Walk, issues: ValidationIssue[]): void {
  if (issues.length >= MAX_ISSUES) return;
  if (walk.depth > MAX_DEPTH) {
    issues.push({ path, message: `nests deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if (schema.$ref) {
    const target = walk.components[schema.$ref.replace("#/components/schemas/", "")];
    if (!target) throw new Error(`unresolved schema ${schema.$ref}`);
    check(target, value, path, walk, issues);
    return;
  }
  if (schema.anyOf) {
    if (!schema.anyOf.some((branch) => validateAgainst(branch, value, walk.components, path, walk.mode).length === 0)) {
      issues.push({ path, message: "matches none of the allowed shapes" });
    }
    return;
  }
  const all = walk.mode === "all";
  if (value === null) {
    if (schema.nullable) {
      if (all && schema.enum && !schema.enum.includes(null)) issues.push({ path, message: "must not be null" });
      return;
    }
    if (schema.type) issues.push({ path, message: `must be ${schema.type}, not null` });
    return;
  }
  if (schema.type && !hasType(value, schema.type)) {
    issues.push({ path, message: `must be ${schema.type}, not ${describeType(value)}` });
    return;
  }
  // Only a code (a string or a number) is open: `enum: [null]` on an object is how OpenAPI 3.0
  // says "null and nothing else", a shape.
  const code = typeof value === "string" || typeof value === "number";
  if (schema.enum && !(code && !all) && !schema.enum.includes(value)) {
    issues.push({ path, message: `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}` });
  }
  if (all && typeof value === "string") checkString(schema, value, path, issues);
  const deeper = { ...walk, depth: walk.depth + 1 };
  if (Array.isArray(value)) {
    if (schema.items) {
      for (let i = 0; i < value.length && issues.length < MAX_ISSUES; i++) check(schema.items, value[i], `${path}/${i}`, deeper, issues);
    }
  } else if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) issues.push({ path, message: `must have ${key}` });
    for (const key in record) {
      if (issues.length >= MAX_ISSUES) return;
      if (!Object.hasOwn(record, key)) continue;
      // Own properties only: a key named `constructor` must not find Object's.
      const childSchema = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : schema.additionalProperties;
      if (childSchema === undefined || childSchema === true) continue;
      const childPath = `${path}/${pointerToken(key)}`;
      if (childSchema === false) issues.push({ path: childPath, message: "is not allowed" });
      else check(childSchema, record[key], childPath, deeper, issues);
    }
  }
}

function pointerToken(key: string): string {
  const short = key.length > MAX_KEY_LENGTH ? `${key.slice(0, MAX_KEY_LENGTH)}…` : key;
  return short.replaceAll("~", "~0").replaceAll("/", "~1");
}

function checkString(schema: SchemaNode, value: string, path: string, issues: ValidationIssue[]): void {
  const length = schema.minLength === undefined && schema.maxLength === undefined ? 0 : codePoints(value);
  if (schema.minLength !== undefined && length < schema.minLength) issues.push({ path, message: `must be at least ${schema.minLength} characters long` });
  if (schema.maxLength !== undefined && length > schema.maxLength) issues.push({ path, message: `must be at most ${schema.maxLength} characters long` });
  if (schema.pattern !== undefined) {
    let regex = patterns.get(schema.pattern);
    if (!regex) patterns.set(schema.pattern, (regex = new RegExp(schema.pattern, "u")));
    if (!regex.test(value)) issues.push({ path, message: `must match ${schema.pattern}` });
  }
  if (schema.format === "date-time" && !DATE_TIME.test(value)) issues.push({ path, message: "must be an RFC 3339 date-time" });
}

// Counted by iterating: [...value] would copy a string of megabytes from a response into an
// array of as many one-character strings, for every string, bounded or not.
function codePoints(value: string): number {
  let count = 0;
  for (const _char of value) count++;
  return count;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && !Number.isInteger(value)) return "number";
  return typeof value === "number" ? "integer" : typeof value;
}
