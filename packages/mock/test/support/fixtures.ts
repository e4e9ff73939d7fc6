// Reads the spec independently of the mock's own loader, so the tests check the mock against
// the document rather than against the mock's reading of it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const spec = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve("@codearts-package-status/openapi/openapi.json"), "utf8"),
) as JsonObject;

export const TOKEN = "MIIZ-test-token-0123456789abcdef";

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolve(value: Json | undefined): Json | undefined {
  let current = value;
  while (isObject(current) && typeof current.$ref === "string") {
    current = current.$ref
      .slice(2)
      .split("/")
      .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<Json | undefined>((node, key) => (isObject(node) ? node[key] : undefined), spec);
  }
  return current;
}

export interface DocumentedExample {
  status: string;
  name: string;
  value: Json;
}

export interface DocumentedOperation {
  operationId: string;
  method: string;
  /** A valid URL path and query, built from the parameters' documented examples. */
  target: string;
  responses: DocumentedExample[];
  parameters: Array<{ name: string; in: string; example: Json | undefined }>;
}

/** Every operation of the spec with every documented response example, in document order. */
export function documentedOperations(): DocumentedOperation[] {
  const out: DocumentedOperation[] = [];
  for (const [template, item] of Object.entries(spec.paths as JsonObject)) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!["get", "put", "post", "delete", "patch"].includes(method) || !isObject(op)) continue;
      const parameters = [...((item.parameters as Json[] | undefined) ?? []), ...((op.parameters as Json[] | undefined) ?? [])]
        .map(resolve)
        .filter(isObject)
        .map((p) => ({ name: String(p.name), in: String(p.in), example: p.example }));
      let path = template;
      const query = new URLSearchParams();
      for (const p of parameters) {
        if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(String(p.example)));
        if (p.in === "query" && p.example !== undefined) query.append(p.name, String(p.example));
      }
      const responses: DocumentedExample[] = [];
      for (const [status, raw] of Object.entries(op.responses as JsonObject)) {
        const response = resolve(raw);
        const media = isObject(response) && isObject(response.content) ? response.content["application/json"] : undefined;
        if (!isObject(media) || !isObject(media.examples)) continue;
        for (const [name, example] of Object.entries(media.examples)) {
          const resolved = resolve(example);
          if (isObject(resolved)) responses.push({ status, name, value: resolved.value ?? null });
        }
      }
      const search = query.toString();
      out.push({ operationId: String(op.operationId), method: method.toUpperCase(), target: search ? `${path}?${search}` : path, responses, parameters });
    }
  }
  return out;
}

/** The documented operation with this id. */
export function operation(operationId: string): DocumentedOperation {
  const found = documentedOperations().find((o) => o.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in the spec`);
  return found;
}
