// The one way tests read the spec: the dereferenced bundle exactly as
// @codearts-package-status/openapi publishes it, so no test resolves `$ref` by hand and every
// suite sees the same operations and the same documented examples, however many there are.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** A JSON value as it appears in the spec. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object of the spec. */
export type JsonObject = { [key: string]: Json };

/** The parts of the OpenAPI document that tests reach into by name; everything else stays `Json`. */
export type OpenApiDocument = JsonObject & {
  info: JsonObject & { title: string; version: string };
  tags: Array<JsonObject & { name: string; "x-displayName"?: string }>;
  paths: { [template: string]: JsonObject };
  components: { [section in "schemas" | "parameters" | "examples" | "responses" | "headers" | "securitySchemes"]: { [name: string]: JsonObject } };
};

const published = (file: string): OpenApiDocument =>
  JSON.parse(readFileSync(createRequire(import.meta.url).resolve(`@codearts-package-status/openapi/${file}`), "utf8")) as OpenApiDocument;

/** The published dereferenced bundle (`@codearts-package-status/openapi/openapi.dereferenced.json`): no `$ref` anywhere. */
export const spec = published("openapi.dereferenced.json");

/**
 * The published bundle with its internal `$ref`s (`openapi.json`), for input to code under test
 * that must follow them itself (the mock, ajv's schemas by JSON pointer); never for expectations.
 */
export const bundle = published("openapi.json");

/** One documented example of one response of an operation. */
export interface DocumentedExample {
  /** The key in `responses`: `200`, `401`, … */
  status: string;
  mediaType: string;
  /** The key in the media type's `examples`; a singular `example` is listed as `example`. */
  name: string;
  summary: string | undefined;
  description: string | undefined;
  value: Json;
}

/** One parameter of an operation, path-level ones included. */
export interface DocumentedParameter {
  name: string;
  in: string;
  required: boolean;
  example: Json | undefined;
}

/** One operation of the spec with everything a test needs to call it and to check its answers. */
export interface DocumentedOperation {
  operationId: string;
  /** Upper case, as sent: `GET`. */
  method: string;
  /** The path template as the spec writes it: `/v5/{tenant_id}/api/package-specs/count-down`. */
  path: string;
  /** The first tag: the service (`artifact`, `check`, `pipeline`). */
  tag: string;
  summary: string;
  parameters: DocumentedParameter[];
  /** A valid path and query, filled in from the parameters' documented examples. */
  target: string;
  /** Every documented response status, in document order, with or without examples. */
  statuses: string[];
  /** Every documented example of every response, in document order. */
  examples: DocumentedExample[];
  /** The operation object itself, for what the fields above do not cover. */
  node: JsonObject;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const text = (value: Json | undefined): string | undefined => (typeof value === "string" ? value : undefined);

function examplesOf(status: string, response: JsonObject): DocumentedExample[] {
  const content = isObject(response.content) ? response.content : {};
  return Object.entries(content).flatMap(([mediaType, media]) => {
    if (!isObject(media)) return [];
    const named = Object.entries(isObject(media.examples) ? media.examples : {}).flatMap(([name, example]) =>
      isObject(example) ? [{ status, mediaType, name, summary: text(example.summary), description: text(example.description), value: example.value ?? null }] : [],
    );
    const single = media.example === undefined ? [] : [{ status, mediaType, name: "example", summary: undefined, description: undefined, value: media.example }];
    return [...named, ...single];
  });
}

function targetOf(template: string, parameters: DocumentedParameter[]): string {
  let path = template;
  const query = new URLSearchParams();
  for (const p of parameters) {
    if (p.example === undefined) continue;
    if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(String(p.example)));
    if (p.in === "query") query.append(p.name, String(p.example));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** Every operation of the spec, in document order. */
export function documentedOperations(): DocumentedOperation[] {
  return Object.entries(spec.paths).flatMap(([template, item]) =>
    METHODS.flatMap((method) => {
      const node = item[method];
      if (!isObject(node)) return [];
      const declared = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(node.parameters) ? node.parameters : [])];
      const parameters = declared.filter(isObject).map((p) => ({ name: String(p.name), in: String(p.in), required: p.required === true, example: p.example }));
      const responses = Object.entries(isObject(node.responses) ? node.responses : {});
      return [
        {
          operationId: String(node.operationId),
          method: method.toUpperCase(),
          path: template,
          tag: String((Array.isArray(node.tags) ? node.tags : [])[0]),
          summary: String(node.summary),
          parameters,
          target: targetOf(template, parameters),
          statuses: responses.map(([status]) => status),
          examples: responses.flatMap(([status, response]) => (isObject(response) ? examplesOf(status, response) : [])),
          node,
        },
      ];
    }),
  );
}

/** The operation with this `operationId`; throws when the spec has none. */
export function documentedOperation(operationId: string): DocumentedOperation {
  const found = documentedOperations().find((o) => o.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in the spec`);
  return found;
}

/** Every documented example of every operation, with the operation's id. */
export function documentedExamples(): Array<DocumentedExample & { operationId: string }> {
  return documentedOperations().flatMap((o) => o.examples.map((e) => ({ ...e, operationId: o.operationId })));
}

/** The documented example of a parameter under `components.parameters` (`ProjectId`, `TenantId`, …). */
export function parameterExample(component: string): Json {
  const example = spec.components.parameters[component]?.example;
  if (example === undefined) throw new Error(`no documented example for parameter ${component}`);
  return example;
}

/** The value of a documented example under `components.examples`, by its component name. */
export function componentExample(component: string): Json {
  const example = spec.components.examples[component];
  if (!example) throw new Error(`no example ${component} under components.examples`);
  return example.value ?? null;
}

export { CHROMIUM_PATH_VARIABLE, chromiumLaunchOptions } from "./chromium.js";
export { startForwardProxy, type ForwardProxy, type ForwardProxyOptions, type ProxiedRequest } from "./proxy.js";
export { commandEnv, commitAll, gitSync, ok, run, type CommandResult } from "./commands.js";
export {
  metadataCredential,
  startEcsMetadataServer,
  type EcsMetadataOptions,
  type EcsMetadataServer,
  type MetadataCredential,
  type MetadataRequest,
} from "./ecs-metadata.js";
export { fifos, type Fifos } from "./fifo.js";
export { closedPort, startTestServer, type RecordedRequest, type ScriptedAnswer, type TestHandler, type TestServer } from "./http-server.js";
