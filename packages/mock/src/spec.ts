// Turns an OpenAPI 3.0 document into the route table the server answers from. Everything the
// mock knows about the API comes from here, so an operation or example added to the spec is
// served without any edit to the mock.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** A JSON value as it appears in the spec. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One documented example of a response. */
export interface ExampleChoice {
  /** Key of the example in the response's `examples` map; undefined for a singular `example`. */
  name: string | undefined;
  /** The example value, served verbatim. */
  value: Json;
}

/** One documented response of an operation. */
export interface ResponseChoice {
  /** The key in `responses`: `200`, `4XX`, … */
  key: string;
  /** Status code served for this response. */
  status: number;
  /** True when the response documents no body at all (e.g. 204). */
  noContent: boolean;
  /** Examples of its JSON content, in document order. */
  examples: ExampleChoice[];
}

/** One parameter of an operation, with where its schema sits in the document. */
export interface ParameterSpec {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  /** JSON pointer of the parameter's schema, or undefined when it has none (content-based). */
  schemaPointer: string | undefined;
  /** Whether the schema is an array, i.e. repeated query values are legal. */
  isArray: boolean;
}

/** An operation as the server needs it. */
export interface OperationSpec {
  operationId: string;
  method: string;
  pathTemplate: string;
  parameters: ParameterSpec[];
  responses: ResponseChoice[];
  /** False when the operation's effective `security` allows anonymous calls. */
  requiresAuth: boolean;
}

/** A path of the spec with its per-segment matcher and its operations by upper-case method. */
export interface RouteSpec {
  template: string;
  segments: SegmentMatcher[];
  /** Literal characters in the template, so concrete paths win over templated ones. */
  specificity: number;
  operations: Map<string, OperationSpec>;
}

interface SegmentMatcher {
  regex: RegExp;
  names: string[];
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const SPEC_MODULE = "@codearts-package-status/openapi/openapi.json";

/** Reads the bundled spec that ships in `@codearts-package-status/openapi`. */
export function loadBundledSpec(): JsonObject {
  // Read from disk at call time rather than imported, so the spec the openapi package holds
  // today is the one served, even by an already-built mock.
  const file = createRequire(import.meta.url).resolve(SPEC_MODULE);
  return JSON.parse(readFileSync(file, "utf8")) as JsonObject;
}

/** Escapes one JSON pointer segment. */
function pointerSegment(key: string | number): string {
  return String(key).replaceAll("~", "~0").replaceAll("/", "~1");
}

/** Resolves internal `$ref`s (repeatedly) to the value they name, with the pointer it sits at. */
export function deref(doc: Json, value: Json | undefined, pointer: string): { value: Json | undefined; pointer: string } {
  let current = value;
  let at = pointer;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (!ref.startsWith("#")) throw new Error(`only internal $refs are supported, found ${ref} at ${at}`);
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    at = ref.slice(1);
    current = at
      .split("/")
      .slice(1)
      .map((part) => decodeURIComponent(part).replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<Json | undefined>((node, key) => (isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined), doc);
    if (current === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return { value: current, pointer: at };
}

/** Builds the route table of every operation in the document. */
export function buildRoutes(doc: JsonObject): RouteSpec[] {
  const paths = doc.paths;
  if (!isObject(paths)) throw new Error("the spec has no paths");
  const topSecurity = doc.security;
  const routes: RouteSpec[] = [];
  for (const [template, rawItem] of Object.entries(paths)) {
    const itemPointer = `/paths/${pointerSegment(template)}`;
    const { value: item, pointer: itemAt } = deref(doc, rawItem, itemPointer);
    if (!isObject(item)) continue;
    const pathParameters = item.parameters;
    const operations = new Map<string, OperationSpec>();
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const opPointer = `${itemAt}/${method}`;
      const security = op.security ?? topSecurity;
      operations.set(method.toUpperCase(), {
        operationId: typeof op.operationId === "string" ? op.operationId : `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        pathTemplate: template,
        parameters: mergeParameters(doc, pathParameters, `${itemAt}/parameters`, op.parameters, `${opPointer}/parameters`),
        responses: readResponses(doc, op.responses, `${opPointer}/responses`),
        requiresAuth: Array.isArray(security) && security.length > 0 && !security.some((s) => isObject(s) && Object.keys(s).length === 0),
      });
    }
    const segments = template.split("/").map(segmentMatcher);
    routes.push({ template, segments, specificity: template.replace(/\{[^}]*\}/g, "").length, operations });
  }
  return routes.sort((a, b) => b.specificity - a.specificity);
}

/** Finds the route whose template matches a pathname, with its path parameter values still percent-encoded. */
export function matchRoute(routes: RouteSpec[], pathname: string): { route: RouteSpec; rawParams: Map<string, string> } | undefined {
  const parts = pathname.split("/");
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue;
    const rawParams = new Map<string, string>();
    const matched = route.segments.every((segment, i) => {
      const m = segment.regex.exec(parts[i] ?? "");
      if (!m) return false;
      segment.names.forEach((name, j) => rawParams.set(name, m[j + 1] ?? ""));
      return true;
    });
    if (matched) return { route, rawParams };
  }
  return undefined;
}

function segmentMatcher(segment: string): SegmentMatcher {
  const names: string[] = [];
  let source = "";
  let last = 0;
  for (const m of segment.matchAll(/\{([^}]+)\}/g)) {
    source += escapeRegExp(segment.slice(last, m.index));
    // Lazy, so `{a}.{b}` splits on the first literal; a parameter is never empty, as a gateway
    // cannot route `//` to a templated segment either.
    source += "([^/]+?)";
    names.push(m[1] ?? "");
    last = m.index + m[0].length;
  }
  source += escapeRegExp(segment.slice(last));
  return { regex: new RegExp(`^${source}$`), names };
}

function mergeParameters(doc: JsonObject, pathLevel: Json | undefined, pathPointer: string, opLevel: Json | undefined, opPointer: string): ParameterSpec[] {
  const byKey = new Map<string, ParameterSpec>();
  // Operation-level parameters override path-level ones with the same name and location (OAS 3.0 §4.7.9).
  for (const [list, pointer] of [[pathLevel, pathPointer], [opLevel, opPointer]] as const) {
    if (!Array.isArray(list)) continue;
    list.forEach((raw, i) => {
      const { value: param, pointer: at } = deref(doc, raw, `${pointer}/${i}`);
      if (!isObject(param) || typeof param.name !== "string") return;
      const location = param.in;
      if (location !== "path" && location !== "query" && location !== "header") return;
      // OAS 3.0 says these header parameters are ignored: they are transport, not API input.
      if (location === "header" && ["accept", "content-type", "authorization"].includes(param.name.toLowerCase())) return;
      const hasSchema = isObject(param.schema);
      const schema = hasSchema ? deref(doc, param.schema, `${at}/schema`).value : undefined;
      byKey.set(`${location}:${param.name}`, {
        name: param.name,
        in: location,
        required: location === "path" || param.required === true,
        schemaPointer: hasSchema ? `${at}/schema` : undefined,
        isArray: isObject(schema) && schema.type === "array",
      });
    });
  }
  return [...byKey.values()];
}

function readResponses(doc: JsonObject, responses: Json | undefined, pointer: string): ResponseChoice[] {
  if (!isObject(responses)) return [];
  const out: ResponseChoice[] = [];
  for (const [key, raw] of Object.entries(responses)) {
    const status = statusOf(key);
    if (status === undefined) continue;
    const { value: response } = deref(doc, raw, `${pointer}/${pointerSegment(key)}`);
    if (!isObject(response)) continue;
    const content = response.content;
    const media = isObject(content) ? Object.entries(content).find(([type]) => /\bjson\b|\+json\b/i.test(type))?.[1] : undefined;
    const examples: ExampleChoice[] = [];
    if (isObject(media)) {
      if (isObject(media.examples)) {
        for (const [name, rawExample] of Object.entries(media.examples)) {
          const { value: example } = deref(doc, rawExample, "");
          // An externalValue-only example has nothing the mock could serve.
          if (isObject(example) && "value" in example && example.value !== undefined) examples.push({ name, value: example.value });
        }
      }
      if (media.example !== undefined) examples.push({ name: undefined, value: media.example });
    }
    out.push({ key, status, noContent: !isObject(content) || Object.keys(content).length === 0, examples });
  }
  // Integer-like keys already enumerate in ascending order; ranges such as 4XX go after exact codes.
  return out;
}

function statusOf(key: string): number | undefined {
  if (/^[1-5]\d\d$/.test(key)) return Number(key);
  if (/^[1-5]XX$/i.test(key)) return Number(key[0]) * 100;
  // `default` stands for every undocumented status, so there is no single code to serve it with.
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Narrows a JSON value to a plain object. */
export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
