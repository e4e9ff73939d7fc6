// The breaking-change rules: a pure diff of two dereferenced OpenAPI 3.0 documents (no $ref
// left) into a list of changes, each classified from the point of view of a consumer of the
// API and of the packages generated from it.
//
// The rule that decides most cases: a request may accept more and must not accept less (a
// consumer's existing request must stay valid), a response may send less and must not send
// more (a consumer's existing handling of a response must stay valid). So narrowing a request
// parameter or body is breaking and widening it is not; widening a response (new enum value,
// wider type, `nullable` added, a bound loosened) is breaking and narrowing it is not. Removing
// anything a consumer may use (operation, parameter, response field, status, region, schema
// name that the types package exports) is breaking; adding something optional is not.

export type Severity = "breaking" | "compatible";

export interface Change {
  severity: Severity;
  /** A stable identifier of the rule that produced the change, e.g. `response-property-removed`. */
  rule: string;
  /** Where: `GET /v4/tenant/tenant-package-status response 200 application/json body.result`. */
  location: string;
  /** What changed, in words. */
  message: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
/** A schema, parameter, operation… of a dereferenced document. */
type Node = JsonObject;
type Direction = "request" | "response";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

function isObject(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): Node {
  return isObject(value) ? value : {};
}

function asArray(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

/** Deterministic JSON: key order does not count as a change. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : canonical(value);
}

class Collector {
  readonly changes: Change[] = [];
  add(severity: Severity, rule: string, location: string, message: string): void {
    this.changes.push({ severity, rule, location, message });
  }
  /** A change that lets more values through: compatible on a request, breaking on a response. */
  widened(direction: Direction, rule: string, location: string, message: string): void {
    this.add(direction === "response" ? "breaking" : "compatible", `${direction}-${rule}`, location, message);
  }
  /** A change that lets fewer values through: breaking on a request, compatible on a response. */
  narrowed(direction: Direction, rule: string, location: string, message: string): void {
    this.add(direction === "request" ? "breaking" : "compatible", `${direction}-${rule}`, location, message);
  }
}

// ---------------------------------------------------------------------------------------------
// Schemas

/** `{ nullable: true, enum: [null] }` or `{ type: "null" }`: the spelling of "null" in 3.0 / 3.1. */
function isNullOnly(schema: Node): boolean {
  if (schema.type === "null") return true;
  const values = asArray(schema.enum);
  return schema.nullable === true && values.length > 0 && values.every((value) => value === null);
}

/**
 * `anyOf`/`oneOf` of one schema and a null-only schema (how the spec spells "this object or
 * null", see NullableTips) is read as that schema with `nullable: true`, so that switching a
 * field between the two spellings is seen as what it is: `nullable` added or removed.
 */
function normalize(schema: Node): Node {
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const branches = asArray(schema[keyword]).filter(isObject);
    if (branches.length < 2) continue;
    const nonNull = branches.filter((branch) => !isNullOnly(branch));
    if (nonNull.length !== 1 || nonNull.length === branches.length) continue;
    const { [keyword]: _dropped, ...rest } = schema;
    const inner = normalize(nonNull[0] as Node);
    return { ...inner, ...rest, nullable: true };
  }
  return schema;
}

const ANNOTATIONS = new Set(["description", "title", "example", "examples", "externalDocs", "xml", "deprecated", "$schema", "$id", "$comment"]);
const UPPER_BOUNDS = ["maxLength", "maximum", "maxItems", "maxProperties"] as const;
const LOWER_BOUNDS = ["minLength", "minimum", "minItems", "minProperties"] as const;
const HANDLED = new Set<string>([
  ...ANNOTATIONS,
  ...UPPER_BOUNDS,
  ...LOWER_BOUNDS,
  "type",
  "nullable",
  "enum",
  "pattern",
  "format",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "anyOf",
  "oneOf",
  "allOf",
  "exclusiveMaximum",
  "exclusiveMinimum",
  "default",
  "multipleOf",
  "uniqueItems",
]);

function typeName(schema: Node): string | undefined {
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) return schema.type.filter((t) => t !== "null").join("|") || undefined;
  return undefined;
}

function acceptsNull(schema: Node): boolean {
  return schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes("null")) || schema.type === "null";
}

const MAX_DEPTH = 64;

export function diffSchema(base: Node, head: Node, direction: Direction, location: string, out: Collector, depth = 0): void {
  if (depth > MAX_DEPTH || same(base, head)) return;
  const b = normalize(base);
  const h = normalize(head);
  const field = direction === "response" ? "field" : "property";

  // type
  const bType = typeName(b);
  const hType = typeName(h);
  if (bType !== hType) {
    if (bType === undefined) {
      out.narrowed(direction, "type-narrowed", location, `type restricted from any to ${hType}`);
    } else if (hType === undefined) {
      out.widened(direction, "type-widened", location, `type widened from ${bType} to any`);
    } else if (bType === "integer" && hType === "number") {
      out.widened(direction, "type-widened", location, "type widened from integer to number");
    } else if (bType === "number" && hType === "integer") {
      out.narrowed(direction, "type-narrowed", location, "type narrowed from number to integer");
    } else {
      out.add("breaking", `${direction}-type-changed`, location, `type changed from ${bType} to ${hType}`);
      return; // the rest of the two schemas describe different kinds of values
    }
  }

  // nullable
  const bNull = acceptsNull(b);
  const hNull = acceptsNull(h);
  if (!bNull && hNull) out.widened(direction, "nullable-added", location, "became nullable (null is now a possible value)");
  if (bNull && !hNull) out.narrowed(direction, "nullable-removed", location, "no longer nullable");

  // enum (null, the nullable marker, is handled above)
  const bEnum = Array.isArray(b.enum) ? b.enum.filter((v) => v !== null) : undefined;
  const hEnum = Array.isArray(h.enum) ? h.enum.filter((v) => v !== null) : undefined;
  if (bEnum && hEnum) {
    const bKeys = new Set(bEnum.map(canonical));
    const hKeys = new Set(hEnum.map(canonical));
    const added = hEnum.filter((v) => !bKeys.has(canonical(v)));
    const removed = bEnum.filter((v) => !hKeys.has(canonical(v)));
    if (added.length) out.widened(direction, "enum-widened", location, `enum value${added.length > 1 ? "s" : ""} added: ${added.map(show).join(", ")}`);
    if (removed.length) out.narrowed(direction, "enum-narrowed", location, `enum value${removed.length > 1 ? "s" : ""} removed: ${removed.map(show).join(", ")}`);
  } else if (bEnum && !hEnum) {
    out.widened(direction, "enum-widened", location, `enum removed (was ${bEnum.map(show).join(", ")}): any value is now possible`);
  } else if (!bEnum && hEnum) {
    out.narrowed(direction, "enum-narrowed", location, `enum added: only ${hEnum.map(show).join(", ")}`);
  }

  // bounds
  for (const key of UPPER_BOUNDS) bound(b, h, key, "upper", direction, location, out);
  for (const key of LOWER_BOUNDS) bound(b, h, key, "lower", direction, location, out);
  for (const key of ["exclusiveMaximum", "exclusiveMinimum"] as const) {
    const was = b[key] === true;
    const is = h[key] === true;
    if (!was && is) out.narrowed(direction, "bound-tightened", location, `${key} added`);
    if (was && !is) out.widened(direction, "bound-loosened", location, `${key} removed`);
  }
  if (b.uniqueItems !== true && h.uniqueItems === true) out.narrowed(direction, "bound-tightened", location, "uniqueItems added");
  if (b.uniqueItems === true && h.uniqueItems !== true) out.widened(direction, "bound-loosened", location, "uniqueItems removed");

  // pattern, format, multipleOf: added narrows, removed widens, changed can go either way
  for (const key of ["pattern", "format", "multipleOf"] as const) {
    if (same(b[key], h[key])) continue;
    if (b[key] === undefined) out.narrowed(direction, `${key}-added`, location, `${key} ${show(h[key])} added`);
    else if (h[key] === undefined) out.widened(direction, `${key}-removed`, location, `${key} ${show(b[key])} removed`);
    else out.add("breaking", `${direction}-${key}-changed`, location, `${key} changed from ${show(b[key])} to ${show(h[key])}`);
  }

  // default: on a request it is what the server assumes when the consumer sends nothing
  if (!same(b.default, h.default)) {
    const message = `default changed from ${b.default === undefined ? "none" : show(b.default)} to ${h.default === undefined ? "none" : show(h.default)}`;
    out.add(direction === "request" ? "breaking" : "compatible", `${direction}-default-changed`, location, message);
  }

  // object properties
  const bProps = asObject(b.properties);
  const hProps = asObject(h.properties);
  const bRequired = new Set(asArray(b.required).map(String));
  const hRequired = new Set(asArray(h.required).map(String));
  for (const name of Object.keys(bProps)) {
    const at = `${location}.${name}`;
    if (!(name in hProps)) {
      out.add("breaking", `${direction}-property-removed`, at, `${field} removed`);
      continue;
    }
    if (direction === "response") {
      if (bRequired.has(name) && !hRequired.has(name)) out.add("breaking", "response-property-became-optional", at, "field no longer always present (removed from required)");
      if (!bRequired.has(name) && hRequired.has(name)) out.add("compatible", "response-property-became-required", at, "field now always present (added to required)");
    } else {
      if (!bRequired.has(name) && hRequired.has(name)) out.add("breaking", "request-property-became-required", at, "property became required");
      if (bRequired.has(name) && !hRequired.has(name)) out.add("compatible", "request-property-became-optional", at, "property became optional");
    }
    diffSchema(asObject(bProps[name]), asObject(hProps[name]), direction, at, out, depth + 1);
  }
  for (const name of Object.keys(hProps)) {
    if (name in bProps) continue;
    const at = `${location}.${name}`;
    if (direction === "request" && hRequired.has(name)) out.add("breaking", "request-property-required-added", at, "required property added");
    else out.add("compatible", `${direction}-property-added`, at, `${direction === "request" ? "optional property" : "field"} added`);
  }

  // additionalProperties: undefined/true = anything, false = nothing, a schema = those values
  const bAdd = b.additionalProperties;
  const hAdd = h.additionalProperties;
  if (!same(bAdd, hAdd)) {
    const at = `${location}.*`;
    const open = (value: Json | undefined) => value === undefined || value === true;
    if (isObject(bAdd) && isObject(hAdd)) diffSchema(bAdd, hAdd, direction, at, out, depth + 1);
    else if (open(bAdd) && !open(hAdd)) out.narrowed(direction, "additional-properties-narrowed", at, hAdd === false ? "additional properties no longer allowed" : "additional properties restricted to a schema");
    else if (!open(bAdd) && open(hAdd)) out.widened(direction, "additional-properties-widened", at, "any additional property is now allowed");
    else if (bAdd === false) out.widened(direction, "additional-properties-widened", at, "additional properties now allowed");
    else out.narrowed(direction, "additional-properties-narrowed", at, "additional properties no longer allowed");
  }

  // array items
  if (isObject(b.items) && isObject(h.items)) diffSchema(b.items, h.items, direction, `${location}[]`, out, depth + 1);
  else if (isObject(b.items) !== isObject(h.items)) out.add("breaking", `${direction}-items-changed`, `${location}[]`, "array items schema added or removed");

  // composition that is not "X or null"
  for (const keyword of ["anyOf", "oneOf", "allOf"] as const) {
    const bs = Array.isArray(b[keyword]) ? asArray(b[keyword]) : undefined;
    const hs = Array.isArray(h[keyword]) ? asArray(h[keyword]) : undefined;
    if (!bs && !hs) continue;
    if (bs && hs && bs.length === hs.length) {
      bs.forEach((branch, index) => diffSchema(asObject(branch), asObject(hs[index]), direction, `${location}(${keyword}[${index}])`, out, depth + 1));
    } else if (!same(bs, hs)) {
      out.add("breaking", `${direction}-composition-changed`, location, `${keyword} changed (${bs?.length ?? 0} → ${hs?.length ?? 0} schemas)`);
    }
  }

  annotations(b, h, location, out, `${direction}-schema`);

  // anything else: unknown keywords are not guessed at
  for (const key of new Set([...Object.keys(b), ...Object.keys(h)])) {
    if (HANDLED.has(key) || same(b[key], h[key])) continue;
    if (key.startsWith("x-")) out.add("compatible", "extension-changed", location, `${key} changed`);
    else out.add("breaking", "unclassified-change", location, `${key} changed from ${show(b[key])} to ${show(h[key])} (not classified: review by hand)`);
  }
}

function bound(b: Node, h: Node, key: string, kind: "upper" | "lower", direction: Direction, location: string, out: Collector): void {
  const was = typeof b[key] === "number" ? (b[key] as number) : undefined;
  const is = typeof h[key] === "number" ? (h[key] as number) : undefined;
  if (was === is) return;
  const message = `${key} ${was ?? "none"} → ${is ?? "none"}`;
  const loosened = is === undefined || (was !== undefined && (kind === "upper" ? is > was : is < was));
  if (loosened) out.widened(direction, "bound-loosened", location, `${message} (loosened)`);
  else out.narrowed(direction, "bound-tightened", location, `${message} (tightened)`);
}

/** description, example(s), deprecated…: documentation, never breaking. */
function annotations(b: Node, h: Node, location: string, out: Collector, rule: string): void {
  for (const key of ["description", "summary", "title", "example", "examples", "externalDocs"]) {
    if (!same(b[key], h[key])) out.add("compatible", `${rule}-${key}-changed`, location, `${key} ${b[key] === undefined ? "added" : h[key] === undefined ? "removed" : "changed"}`);
  }
  if (b.deprecated !== true && h.deprecated === true) out.add("compatible", "deprecated", location, "deprecated");
  if (b.deprecated === true && h.deprecated !== true) out.add("compatible", "undeprecated", location, "no longer deprecated");
}

// ---------------------------------------------------------------------------------------------
// Operations

interface Operation {
  key: string;
  method: string;
  path: string;
  pathItem: Node;
  operation: Node;
}

function operationsOf(document: Node): Map<string, Operation> {
  const result = new Map<string, Operation>();
  for (const [path, pathItem] of Object.entries(asObject(document.paths))) {
    if (!isObject(pathItem)) continue;
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (!isObject(operation)) continue;
      const key = `${method.toUpperCase()} ${path}`;
      result.set(key, { key, method, path, pathItem, operation });
    }
  }
  return result;
}

/** Path-level parameters, overridden by operation-level ones with the same `in` and `name`. */
function parametersOf(op: Operation): Map<string, Node> {
  const result = new Map<string, Node>();
  for (const parameter of [...asArray(op.pathItem.parameters), ...asArray(op.operation.parameters)]) {
    if (!isObject(parameter)) continue;
    result.set(`${String(parameter.in)} ${String(parameter.name)}`, parameter);
  }
  return result;
}

/** Every concrete server an operation can be called on, keyed by its variable values (its region). */
function endpointsOf(document: Node, op: Operation): Map<string, string> {
  const servers = [op.operation.servers, op.pathItem.servers, document.servers].find((s) => Array.isArray(s) && s.length > 0);
  const result = new Map<string, string>();
  for (const server of asArray(servers ?? [{ url: "/" }])) {
    if (!isObject(server) || typeof server.url !== "string") continue;
    let expansions: Array<{ key: string[]; url: string }> = [{ key: [], url: server.url }];
    for (const [name, variable] of Object.entries(asObject(server.variables))) {
      const spec = asObject(variable);
      const values = Array.isArray(spec.enum) && spec.enum.length > 0 ? spec.enum.map(String) : [String(spec.default)];
      expansions = expansions.flatMap(({ key, url }) => values.map((value) => ({ key: [...key, `${name} ${value}`], url: url.split(`{${name}}`).join(value) })));
    }
    for (const { key, url } of expansions) {
      const name = key.length > 0 ? key.join(", ") : url;
      if (!result.has(name)) result.set(name, url);
    }
  }
  return result;
}

function securityOf(document: Node, op: Operation): Set<string> {
  const requirements = Array.isArray(op.operation.security) ? op.operation.security : asArray(document.security);
  return new Set(requirements.map(canonical));
}

function diffOperation(baseDoc: Node, headDoc: Node, b: Operation, h: Operation, out: Collector): void {
  const at = b.key;
  if (b.operation.operationId !== h.operation.operationId) {
    out.add("breaking", "operation-id-changed", at, `operationId changed from ${show(b.operation.operationId)} to ${show(h.operation.operationId)} (the client's method and the types' exported names follow it)`);
  }
  if (!same(b.operation.tags, h.operation.tags)) {
    out.add("breaking", "operation-tags-changed", at, `tags changed from ${show(b.operation.tags ?? [])} to ${show(h.operation.tags ?? [])} (the client groups its methods by tag)`);
  }
  annotations(b.operation, h.operation, at, out, "operation");

  // servers: a region that disappears or moves to another host breaks whoever calls it there
  const bEndpoints = endpointsOf(baseDoc, b);
  const hEndpoints = endpointsOf(headDoc, h);
  for (const [region, url] of bEndpoints) {
    const now = hEndpoints.get(region);
    if (now === undefined) out.add("breaking", "server-removed", `${at} servers`, `${region} removed (was ${url})`);
    else if (now !== url) out.add("breaking", "server-changed", `${at} servers`, `${region} moved from ${url} to ${now}`);
  }
  for (const [region, url] of hEndpoints) {
    if (!bEndpoints.has(region)) out.add("compatible", "server-added", `${at} servers`, `${region} added (${url})`);
  }

  // security: every way of authenticating that worked must still work
  const bSecurity = securityOf(baseDoc, b);
  const hSecurity = securityOf(headDoc, h);
  for (const requirement of bSecurity) if (!hSecurity.has(requirement)) out.add("breaking", "security-removed", `${at} security`, `security requirement ${requirement} removed`);
  for (const requirement of hSecurity) if (!bSecurity.has(requirement)) out.add("compatible", "security-added", `${at} security`, `security requirement ${requirement} added`);

  // parameters
  const bParams = parametersOf(b);
  const hParams = parametersOf(h);
  for (const [key, parameter] of bParams) {
    const location = `${at} parameter ${key}`;
    const now = hParams.get(key);
    if (!now) {
      out.add("breaking", "parameter-removed", location, "parameter removed");
      continue;
    }
    if (parameter.required !== true && now.required === true) out.add("breaking", "parameter-became-required", location, "parameter became required");
    if (parameter.required === true && now.required !== true) out.add("compatible", "parameter-became-optional", location, "parameter became optional");
    for (const key of ["style", "explode", "allowReserved", "allowEmptyValue"]) {
      if (!same(parameter[key], now[key])) out.add("breaking", "parameter-serialization-changed", location, `${key} changed from ${show(parameter[key] ?? "default")} to ${show(now[key] ?? "default")}`);
    }
    annotations(parameter, now, location, out, "parameter");
    diffSchema(asObject(parameter.schema), asObject(now.schema), "request", location, out);
  }
  for (const [key, parameter] of hParams) {
    if (bParams.has(key)) continue;
    const location = `${at} parameter ${key}`;
    if (parameter.required === true) out.add("breaking", "parameter-required-added", location, "required parameter added");
    else out.add("compatible", "parameter-added", location, "optional parameter added");
  }

  // request body
  const bBody = isObject(b.operation.requestBody) ? b.operation.requestBody : undefined;
  const hBody = isObject(h.operation.requestBody) ? h.operation.requestBody : undefined;
  const bodyAt = `${at} request body`;
  if (bBody && !hBody) out.add("breaking", "request-body-removed", bodyAt, "request body removed");
  if (!bBody && hBody) {
    if (hBody.required === true) out.add("breaking", "request-body-required-added", bodyAt, "required request body added");
    else out.add("compatible", "request-body-added", bodyAt, "optional request body added");
  }
  if (bBody && hBody) {
    if (bBody.required !== true && hBody.required === true) out.add("breaking", "request-body-became-required", bodyAt, "request body became required");
    if (bBody.required === true && hBody.required !== true) out.add("compatible", "request-body-became-optional", bodyAt, "request body became optional");
    annotations(bBody, hBody, bodyAt, out, "request-body");
    diffContent(asObject(bBody.content), asObject(hBody.content), "request", bodyAt, out);
  }

  // responses
  const bResponses = asObject(b.operation.responses);
  const hResponses = asObject(h.operation.responses);
  for (const [status, response] of Object.entries(bResponses)) {
    const location = `${at} response ${status}`;
    const now = hResponses[status];
    if (!isObject(now)) {
      out.add("breaking", "response-status-removed", location, `response status ${status} removed`);
      continue;
    }
    const was = asObject(response);
    annotations(was, now, location, out, "response");
    const bHeaders = asObject(was.headers);
    const hHeaders = asObject(now.headers);
    for (const [name, header] of Object.entries(bHeaders)) {
      const headerAt = `${location} header ${name}`;
      if (!isObject(hHeaders[name])) out.add("breaking", "response-header-removed", headerAt, "response header removed");
      else {
        annotations(asObject(header), asObject(hHeaders[name]), headerAt, out, "response-header");
        diffSchema(asObject(asObject(header).schema), asObject(asObject(hHeaders[name]).schema), "response", headerAt, out);
      }
    }
    for (const name of Object.keys(hHeaders)) if (!(name in bHeaders)) out.add("compatible", "response-header-added", `${location} header ${name}`, "response header added");
    diffContent(asObject(was.content), asObject(now.content), "response", location, out);
  }
  for (const status of Object.keys(hResponses)) {
    if (!(status in bResponses)) out.add("compatible", "response-status-added", `${at} response ${status}`, `response status ${status} added`);
  }
}

function diffContent(b: Node, h: Node, direction: Direction, location: string, out: Collector): void {
  for (const [mediaType, media] of Object.entries(b)) {
    const at = `${location} ${mediaType}`;
    const now = h[mediaType];
    if (!isObject(now)) {
      out.add("breaking", `${direction}-media-type-removed`, at, "media type removed");
      continue;
    }
    const was = asObject(media);
    for (const key of ["example", "examples"]) if (!same(was[key], now[key])) out.add("compatible", `${direction}-examples-changed`, at, `${key} changed`);
    diffSchema(asObject(was.schema), asObject(now.schema), direction, `${at} body`, out);
  }
  for (const mediaType of Object.keys(h)) {
    if (!(mediaType in b)) out.add("compatible", `${direction}-media-type-added`, `${location} ${mediaType}`, "media type added");
  }
}

// ---------------------------------------------------------------------------------------------
// Documents

/** Every change between two dereferenced OpenAPI 3.0 documents, in document order. */
export function diffDocuments(base: unknown, head: unknown): Change[] {
  const out = new Collector();
  const b = asObject(base);
  const h = asObject(head);

  const bInfo = asObject(b.info);
  const hInfo = asObject(h.info);
  if (bInfo.version !== hInfo.version) out.add("compatible", "info-version-changed", "info.version", `${show(bInfo.version)} → ${show(hInfo.version)}`);
  for (const key of Object.keys({ ...bInfo, ...hInfo })) {
    if (key !== "version" && !same(bInfo[key], hInfo[key])) out.add("compatible", "info-changed", `info.${key}`, `${key} changed`);
  }

  const bOps = operationsOf(b);
  const hOps = operationsOf(h);
  for (const [key, op] of bOps) {
    const now = hOps.get(key);
    if (!now) out.add("breaking", "operation-removed", key, `operation ${show(op.operation.operationId ?? key)} removed`);
    else diffOperation(b, h, op, now, out);
  }
  for (const [key, op] of hOps) {
    if (!bOps.has(key)) out.add("compatible", "operation-added", key, `operation ${show(op.operation.operationId ?? key)} added`);
  }

  // Named schemas: @codearts-package-status/types exports one type per schema name.
  const bSchemas = asObject(asObject(b.components).schemas);
  const hSchemas = asObject(asObject(h.components).schemas);
  for (const name of Object.keys(bSchemas)) {
    if (!(name in hSchemas)) out.add("breaking", "schema-removed", `components.schemas.${name}`, `schema removed (the types package no longer exports ${name})`);
  }
  for (const name of Object.keys(hSchemas)) {
    if (!(name in bSchemas)) out.add("compatible", "schema-added", `components.schemas.${name}`, "schema added");
  }

  const bSchemes = asObject(asObject(b.components).securitySchemes);
  const hSchemes = asObject(asObject(h.components).securitySchemes);
  for (const [name, scheme] of Object.entries(bSchemes)) {
    const now = hSchemes[name];
    const at = `components.securitySchemes.${name}`;
    if (!isObject(now)) out.add("breaking", "security-scheme-removed", at, "security scheme removed");
    else {
      const { description: _b, ...bRest } = asObject(scheme);
      const { description: _h, ...hRest } = now;
      if (!same(bRest, hRest)) out.add("breaking", "security-scheme-changed", at, "security scheme changed (type, location or name)");
      else if (!same(_b, _h)) out.add("compatible", "security-scheme-description-changed", at, "description changed");
    }
  }
  for (const name of Object.keys(hSchemes)) if (!(name in bSchemes)) out.add("compatible", "security-scheme-added", `components.securitySchemes.${name}`, "security scheme added");

  if (!same(b.tags, h.tags)) out.add("compatible", "tags-changed", "tags", "tag descriptions changed");

  if (out.changes.length === 0 && !same(b, h)) {
    out.add("compatible", "other-change", "(document)", "changed, with no effect on the operations (components not used by any operation, or formatting)");
  }
  return out.changes;
}

export function hasBreaking(changes: readonly Change[]): boolean {
  return changes.some((change) => change.severity === "breaking");
}

/** One line per change: `BREAKING   <location>: <what changed>`, breaking changes first. */
export function formatReport(changes: readonly Change[]): string {
  if (changes.length === 0) return "No changes to the spec.";
  const ordered = [...changes.filter((c) => c.severity === "breaking"), ...changes.filter((c) => c.severity === "compatible")];
  const lines = ordered.map((change) => `${change.severity === "breaking" ? "BREAKING  " : "compatible"}  ${change.location}: ${change.message}`);
  const breaking = changes.filter((c) => c.severity === "breaking").length;
  lines.push("", `${changes.length} change${changes.length === 1 ? "" : "s"}: ${breaking} breaking, ${changes.length - breaking} compatible`);
  return lines.join("\n");
}
