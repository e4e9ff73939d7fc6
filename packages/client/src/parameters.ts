// Checks parameter values against the spec's constraints before anything is sent, and keeps
// every path parameter inside its own path segment.
import { InvalidParameterError } from "./errors.js";
import type { OperationSpec, ParameterSpec } from "./generated/operations.js";

/** Parameters split by where they go, as openapi-fetch takes them. */
export interface SplitParameters {
  path: Record<string, string>;
  query: Record<string, string>;
}

const patterns = new Map<string, RegExp>();

/** Splits a resource method's flat parameter object into path and query parameters, rejecting names the operation does not have. */
export function splitParameters(operation: OperationSpec, values: Readonly<Record<string, unknown>> | undefined): SplitParameters {
  const split: SplitParameters = { path: {}, query: {} };
  for (const [name, value] of Object.entries(values ?? {})) {
    if (value === undefined) continue;
    const parameter = operation.parameters.find((p) => p.name === name);
    if (!parameter) {
      throw new InvalidParameterError(name, `not a parameter of this operation (expected one of ${operation.parameters.map((p) => p.name).join(", ")})`);
    }
    if (parameter.in === "path" || parameter.in === "query") split[parameter.in][name] = value as string;
  }
  return split;
}

/**
 * Throws `InvalidParameterError` unless every parameter satisfies the spec and every path value
 * stays in its segment; a required parameter named `later` may still be missing (the client
 * finds it afterwards, and checks it then).
 */
export function checkParameters(operation: OperationSpec, values: { path?: Record<string, unknown> | undefined; query?: Record<string, unknown> | undefined }, later?: string): void {
  for (const parameter of operation.parameters) {
    if (parameter.in !== "path" && parameter.in !== "query") continue;
    const value = values[parameter.in]?.[parameter.name];
    if (value === undefined) {
      if (parameter.required && parameter.name !== later) throw new InvalidParameterError(parameter.name, "is required");
      continue;
    }
    checkValue(parameter, value);
  }
  for (const location of ["path", "query"] as const) {
    for (const name of Object.keys(values[location] ?? {})) {
      if (!operation.parameters.some((p) => p.name === name && p.in === location)) {
        throw new InvalidParameterError(name, `not a ${location} parameter of this operation`);
      }
    }
  }
}

function checkValue(parameter: ParameterSpec, value: unknown): void {
  const { name, schema } = parameter;
  if (typeof value !== "string") throw new InvalidParameterError(name, `must be a string, got ${value === null ? "null" : typeof value}`);
  // Built only for a message: a valid value (every call's case) never pays for quoting it.
  const shown = () => JSON.stringify(value.length > 64 ? `${value.slice(0, 61)}...` : value);
  if (parameter.in === "path") {
    // openapi-fetch percent-encodes path values but lets these through, and a gateway that
    // normalises paths would then route the request to another resource.
    if (value === "" || value === "." || value === ".." || /[/\\?#]/.test(value)) {
      throw new InvalidParameterError(name, `${shown()} would not stay inside its path segment`);
    }
  }
  if (schema.enum && !schema.enum.includes(value)) {
    throw new InvalidParameterError(name, `${shown()} must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  }
  // Code points, not UTF-16 units; only strings with surrogates need the slower count.
  const length = /[\uD800-\uDFFF]/.test(value) ? [...value].length : value.length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    throw new InvalidParameterError(name, `${shown()} must be at least ${schema.minLength} characters long`);
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    throw new InvalidParameterError(name, `${shown()} must be at most ${schema.maxLength} characters long`);
  }
  if (schema.pattern !== undefined) {
    let regex = patterns.get(schema.pattern);
    if (!regex) patterns.set(schema.pattern, (regex = new RegExp(schema.pattern, "u")));
    if (!regex.test(value)) throw new InvalidParameterError(name, `${shown()} must match ${schema.pattern}`);
  }
}
