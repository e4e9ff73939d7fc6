// Generates the code samples of every operation from the bundled spec: curl with an IAM token,
// the typed client, the command-line tool and the client's raw openapi-fetch form, each filled in
// with the documented example values. The reference page attaches them as `x-codeSamples`, and
// docs/test/code-samples.test.ts runs every one of them against the mock, so an operation or a
// parameter added to the spec gets working samples with no other edit.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { bundledDir, bundledJson } from "./lib/repo.mjs";
import { operationsOf, serviceOf } from "./lib/spec.mjs";

const spec = JSON.parse(readFileSync(bundledJson, "utf8"));
const output = path.join(bundledDir, "code-samples.json");

// The variable the client's default credential chain reads a token from (ENV_VARIABLES in
// packages/client/src/environment.ts), so that the samples and the CLI agree on where it comes from.
const TOKEN_VARIABLE = "HUAWEICLOUD_SDK_TOKEN";
const CLI = "codearts-package-status";
const CLI_ID_FLAGS = { project_id: "--project-id", tenant_id: "--tenant-id" };

const lowerCamel = (name) => name[0].toLowerCase() + name.slice(1);
const isSupporting = (operation) =>
  operation["x-codearts-supporting"] === true || spec.tags?.find((tag) => tag.name === serviceOf(operation))?.["x-codearts-supporting"] === true;

/** The documented example value of a parameter; a parameter without one cannot be sampled. */
function exampleOf(parameter) {
  if (parameter.example !== undefined) return parameter.example;
  const named = Object.values(parameter.examples ?? {})[0];
  if (named?.value !== undefined) return named.value;
  if (parameter.schema?.example !== undefined) return parameter.schema.example;
  return undefined;
}

/** The first server of the operation with its variables at their defaults: the region the samples name. */
function defaultServer(operation) {
  const server = operation.servers[0];
  if (!server) throw new Error(`${operation.operationId} has no servers: its samples need a host`);
  const variables = Object.fromEntries(Object.entries(server.variables ?? {}).map(([name, v]) => [name, String(v.default)]));
  const url = server.url.replace(/\{([^}]+)\}/g, (_, name) => {
    if (variables[name] === undefined) throw new Error(`${operation.operationId}: server variable ${name} has no default`);
    return variables[name];
  });
  return { url: url.replace(/\/$/, ""), region: variables.region };
}

/** The documented answer the samples receive by default: the first 2xx response's first example, as the mock serves it. */
function expectedResponse(operation) {
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!status.startsWith("2")) continue;
    const media = response.content?.["application/json"];
    const named = Object.entries(media?.examples ?? {})[0];
    if (named) return { status: Number(status), example: named[0], value: resolveExample(named[1]).value };
    if (media?.example !== undefined) return { status: Number(status), example: "example", value: media.example };
    if (!response.content) return { status: Number(status), example: null, value: null };
  }
  throw new Error(`${operation.operationId} documents no 2xx example: its samples would have nothing to show`);
}

function resolveExample(example) {
  if (typeof example?.$ref !== "string") return example;
  const pointer = example.$ref.replace(/^#\//, "").split("/");
  return pointer.reduce((node, key) => node?.[key], spec);
}

const tsString = (value) => JSON.stringify(String(value));
const tsKey = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
// Single quotes keep a shell word literal; a quote inside is closed, escaped and reopened.
const shellWord = (value) => (/^[\w./:=@%+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`);

function tsObject(entries, indent) {
  if (entries.length === 0) return "{}";
  const inner = entries.map(([key, value]) => `${indent}  ${tsKey(key)}: ${tsString(value)},`);
  return `{\n${inner.join("\n")}\n${indent}}`;
}

// The command asks every package service at once, so its one command line carries every ID
// those operations take, with the documented example values.
const cliIds = new Map();
for (const operation of operationsOf(spec).filter((o) => !isSupporting(o))) {
  for (const p of operation.parameters) {
    const value = exampleOf(p);
    if (CLI_ID_FLAGS[p.name] !== undefined && value !== undefined && !cliIds.has(p.name)) cliIds.set(p.name, String(value));
  }
}

const operations = operationsOf(spec).map((operation) => {
  const id = operation.operationId;
  const service = serviceOf(operation);
  const server = defaultServer(operation);
  const parameters = operation.parameters.map((p) => {
    const value = exampleOf(p);
    if (value === undefined && p.required) throw new Error(`${id}: required parameter ${p.name} has no documented example to fill its samples with`);
    return { name: p.name, in: p.in, value };
  }).filter((p) => p.value !== undefined);

  let pathname = operation.path;
  const query = new URLSearchParams();
  const headers = [];
  for (const p of parameters) {
    if (p.in === "path") pathname = pathname.replace(`{${p.name}}`, encodeURIComponent(String(p.value)));
    else if (p.in === "query") query.append(p.name, String(p.value));
    else if (p.in === "header") headers.push([p.name, String(p.value)]);
  }
  const search = query.toString();
  const target = search ? `${pathname}?${search}` : pathname;
  const method = operation.method.toUpperCase();
  const clientOptions = `{ region: ${tsString(server.region)}, credentials: { token: process.env.${TOKEN_VARIABLE}! } }`;

  const curl = [
    `curl --silent --show-error${method === "GET" ? "" : ` --request ${method}`} \\`,
    `  --header "X-Auth-Token: $${TOKEN_VARIABLE}" \\`,
    ...headers.map(([name, value]) => `  --header ${shellWord(`${name}: ${value}`)} \\`),
    `  ${shellWord(`${server.url}${target}`)}`,
  ].join("\n");

  const typescript = [
    'import { createClient } from "@codearts-package-status/client";',
    "",
    `const client = createClient(${clientOptions});`,
    "",
    `const body = await client.${service}.${lowerCamel(id)}(${tsObject(parameters.map((p) => [p.name, p.value]), "")});`,
    "console.log(JSON.stringify(body, null, 2));",
    "",
  ].join("\n");

  const groups = ["path", "query", "header"]
    .map((where) => [where, parameters.filter((p) => p.in === where).map((p) => [p.name, p.value])])
    .filter(([, entries]) => entries.length > 0);
  const params = groups.map(([where, entries]) => `    ${where}: ${tsObject(entries, "    ")},`);
  const raw = [
    'import { createClient } from "@codearts-package-status/client";',
    "",
    `const client = createClient(${clientOptions});`,
    "",
    `const { data, error, response } = await client.${method}(${tsString(operation.path)}, {`,
    ...(params.length > 0 ? ["  params: {", ...params, "  },"] : []),
    "});",
    "if (error !== undefined) throw new Error(`HTTP ${response.status}: ${JSON.stringify(error)}`);",
    "console.log(JSON.stringify(data, null, 2));",
    "",
  ].join("\n");

  const samples = [
    { lang: "Shell", label: "curl", source: curl },
    { lang: "TypeScript", label: "TypeScript client", source: typescript },
  ];
  const omitted = [];
  if (isSupporting(operation)) {
    omitted.push({
      label: "CLI",
      reason: `${CLI} has no command line of its own for ${id}: it is a supporting operation (x-codearts-supporting), not a package service, which the CLI calls only to discover the tenant ID when none is given.`,
    });
  } else if (operation["x-codearts-package-status"] !== true) {
    omitted.push({
      label: "CLI",
      reason: `${CLI} does not call ${id}: it reports each service's packages from the operation marked x-codearts-package-status.`,
    });
  } else {
    const cli = [
      `# ${spec.tags?.find((t) => t.name === service)?.["x-displayName"] ?? service} reports its packages as the rows with "service": "${service}".`,
      `${CLI} --region ${shellWord(server.region)} \\`,
      ...[...cliIds].map(([name, value]) => `  ${CLI_ID_FLAGS[name]} ${shellWord(value)} \\`),
      "  --json",
    ].join("\n");
    samples.push({ lang: "Shell", label: "CLI", source: cli });
  }
  samples.push({ lang: "TypeScript", label: `client.${method} (openapi-fetch)`, source: raw });

  return [
    id,
    {
      service,
      method,
      path: operation.path,
      supporting: isSupporting(operation),
      // What the samples name, so that a test can point them at a mock: the base URL in curl, the
      // region in the TypeScript samples and the CLI.
      baseUrl: server.url,
      region: server.region,
      target,
      tokenVariable: TOKEN_VARIABLE,
      expected: expectedResponse(operation),
      samples,
      omitted,
    },
  ];
});

mkdirSync(bundledDir, { recursive: true });
writeFileSync(output, `${JSON.stringify({ $comment: "Generated by scripts/generate-code-samples.mjs from the bundled spec. Do not edit: change spec/ and run `pnpm generate`.", operations: Object.fromEntries(operations) }, null, 2)}\n`);
console.log(`generated code samples: ${operations.length} operations`);
