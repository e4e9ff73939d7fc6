// Runs the built CLI as a user would, and reads the documented examples straight from the
// bundled spec, so expectations come from the document rather than from the code under test.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** The CLI as shipped; turbo runs `build` before `test`. */
export const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` with only PATH and `env` in its environment. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`pnpm build\` first`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      // A clean environment: the developer's own HUAWEICLOUD_* variables must not leak into a test.
      { env: { PATH: process.env.PATH ?? "", ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const spec = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@codearts-package-status/openapi/openapi.json"), "utf8")) as JsonObject;

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolveRef(value: Json | undefined): Json | undefined {
  let current = value;
  while (isObject(current) && typeof current.$ref === "string") {
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce<Json | undefined>((node, key) => (isObject(node) ? node[key.replaceAll("~1", "/").replaceAll("~0", "~")] : undefined), spec);
  }
  return current;
}

/** The value of the first documented example of an operation's response with this status. */
export function documentedExample(operationId: string, status = "200"): unknown {
  for (const item of Object.values(spec.paths as JsonObject)) {
    if (!isObject(item)) continue;
    for (const operation of Object.values(item)) {
      if (!isObject(operation) || operation.operationId !== operationId) continue;
      const response = resolveRef((operation.responses as JsonObject)[status]);
      const content = isObject(response) && isObject(response.content) ? response.content["application/json"] : undefined;
      const examples = isObject(content) && isObject(content.examples) ? content.examples : {};
      const first = resolveRef(Object.values(examples)[0]);
      if (isObject(first)) return first.value;
    }
  }
  throw new Error(`no documented ${status} example for ${operationId}`);
}

/** The documented example of a parameter (`ProjectId`, `TenantId`). */
export function documentedParameter(name: string): string {
  const parameter = (spec.components as JsonObject & { parameters: JsonObject }).parameters[name];
  if (!isObject(parameter) || typeof parameter.example !== "string") throw new Error(`no example for parameter ${name}`);
  return parameter.example;
}

/** Splits the table by the header's column positions: cells may contain single spaces. */
export function parseTable(text: string): Array<Record<string, string>> {
  const lines = text.split("\n").filter((line) => line.length > 0);
  const header = lines[0] ?? "";
  const names = header.split(/ {2,}/);
  const starts = names.map((name) => header.indexOf(name));
  return lines.slice(1).map((line) =>
    Object.fromEntries(names.map((name, i) => [name, line.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim()])),
  );
}

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
