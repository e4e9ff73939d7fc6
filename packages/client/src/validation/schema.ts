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

/** Every way `value` breaks `schema` (`$ref`s resolved against `components`), empty when it conforms. */
export function validateAgainst(schema: SchemaNode, value: unknown, components: Readonly<Record<string, SchemaNode>>, path = ""): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  check(schema, value, path, components, issues);
  return issues;
}

function check(schema: SchemaNode, value: unknown, path: string, components: Readonly<Record<string, SchemaNode>>, issues: ValidationIssue[]): void {
  if (schema.$ref) {
    const target = components[schema.$ref.replace("#/components/schemas/", "")];
    if (!target) throw new Error(`unresolved schema ${schema.$ref}`);
    check(target, value, path, components, issues);
    return;
  }
  if (schema.anyOf) {
    if (!schema.anyOf.some((branch) => validateAgainst(branch, value, components, path).length === 0)) {
      issues.push({ path, message: "matches none of the allowed shapes" });
    }
    return;
  }
  if (value === null) {
    if (schema.nullable) {
      if (schema.enum && !schema.enum.includes(null)) issues.push({ path, message: "must not be null" });
      return;
    }
    if (schema.type) issues.push({ path, message: `must be ${schema.type}, not null` });
    return;
  }
  if (schema.type && !hasType(value, schema.type)) {
    issues.push({ path, message: `must be ${schema.type}, not ${describeType(value)}` });
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    issues.push({ path, message: `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}` });
  }
  if (typeof value === "string") checkString(schema, value, path, issues);
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => check(schema.items as SchemaNode, item, `${path}/${i}`, components, issues));
  } else if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) issues.push({ path, message: `must have ${key}` });
    for (const [key, child] of Object.entries(record)) {
      const childSchema = schema.properties?.[key] ?? schema.additionalProperties;
      const childPath = `${path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
      if (childSchema === false) issues.push({ path: childPath, message: "is not allowed" });
      else if (childSchema && childSchema !== true) check(childSchema, child, childPath, components, issues);
    }
  }
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
