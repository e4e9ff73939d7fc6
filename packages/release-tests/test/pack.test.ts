// Every public package of the workspace (discovered, not listed: a new one is covered the day it
// is added) as a consumer gets it: `pnpm pack`, then `npm install` of the tarballs into a fresh
// project. What each manifest declares is checked for every package: the files shipped, ESM
// import and CJS require of every export, every bin, and tsc on a usage file. Then the client is
// used as its README says, against the packed mock over 127.0.0.1. publint and attw run in each
// package's own `lint`.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ok, packageDir, publishablePackages, run, type WorkspacePackage } from "./support/repo.js";

const packages = publishablePackages();
let consumer: string;
const contents = new Map<string, string[]>();

type Exports = Record<string, unknown>;
const manifestOf = (p: WorkspacePackage) => JSON.parse(readFileSync(path.join(p.path, "package.json"), "utf8"));
const short = (p: WorkspacePackage) => p.name.split("/")[1]!;
const installed = (p: WorkspacePackage, file = "") => path.join(consumer, "node_modules", p.name, file);

/** Every file an entry of `exports` (per subpath and condition) points to. */
function exportTargets(exports: unknown, subpath = "."): Array<{ subpath: string; conditions: string[]; target: string }> {
  if (typeof exports === "string") return [{ subpath, conditions: [], target: exports }];
  if (!exports || typeof exports !== "object") return [];
  const entries = Object.entries(exports as Exports);
  if (entries.every(([key]) => key.startsWith("."))) return entries.flatMap(([key, value]) => exportTargets(value, key));
  return entries.flatMap(([condition, value]) => exportTargets(value, subpath).map((t) => ({ ...t, conditions: [condition, ...t.conditions] })));
}

/** The manifest's bins as name → file, whichever of its two forms it uses. */
function binsOf(p: WorkspacePackage): Record<string, string> {
  const bin: unknown = manifestOf(p).bin;
  return typeof bin === "string" ? { [short(p)]: bin } : ((bin ?? {}) as Record<string, string>);
}

function typedSubpaths(p: WorkspacePackage): string[] {
  const typed = exportTargets(manifestOf(p).exports).filter((e) => e.subpath !== "./package.json" && (e.conditions.includes("types") || /\.d\.[cm]?ts$/.test(e.target)));
  return [...new Set(typed.map((e) => e.subpath))];
}

const runtime = (target: string) => /\.(c|m)?js$|\.json$/.test(target);
const specifier = (name: string, subpath: string) => (subpath === "." ? name : `${name}/${subpath.slice(2)}`);
const client = packages.find((p) => p.name === "@codearts-package-status/client");
const mcp = packages.find((p) => p.name === "@codearts-package-status/mcp");

// A consumer's typed use of the client, as its README shows it: resource methods and the raw
// openapi-fetch surface, with the types package's names; once as ESM and once as CJS.
const CLIENT_USAGE_ESM = `import { createClient, type CodeArtsClient } from "@codearts-package-status/client";
import type { SpecsCountDownInfo, TenantPackageStatus } from "@codearts-package-status/types";
const client: CodeArtsClient = createClient({ region: "cn-north-4", credentials: { token: "t" } });
export async function check(): Promise<TenantPackageStatus | undefined> {
  const body = await client.check.showTenantPackageStatus({ project_id: "666666af0f00445f85dec483fbc97c78" });
  return body.result;
}
export async function pipeline(): Promise<SpecsCountDownInfo[]> {
  return client.pipeline.validateTenantPackageIsExpired({ tenant_id: "389efb76b1354e4482eabeedxxxxxxxx", is_main: "true" });
}
export async function raw() {
  const { data } = await client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id: "666666af0f00445f85dec483fbc97c78" } } });
  return data?.result?.tips?.next_action_remain_day;
}
`;
const CLIENT_USAGE_CJS = `import { createClient, TimeoutError } from "@codearts-package-status/client";
import type { ShowPackageInfoResponse } from "@codearts-package-status/types";
export async function artifact(): Promise<ShowPackageInfoResponse> {
  return createClient({ region: "cn-north-4", credentials: { accessKey: "a", secretKey: "s" } }).artifact.showPackageInfo();
}
export const isTimeout = (e: unknown) => e instanceof TimeoutError;
`;
// The parameter type is the only mistake: line 3 must be the only error.
const CLIENT_WRONG_CALL = `import { createClient } from "@codearts-package-status/client";
const client = createClient({ region: "cn-north-4", credentials: { token: "t" } });
await client.pipeline.validateTenantPackageIsExpired({ tenant_id: "389efb76b1354e4482eabeedxxxxxxxx", is_main: true });
`;

// The two tsc runs over every usage file take half a minute on an idle 2-core machine; whichever
// test starts them waits for them.
const TSC_TIMEOUT = 180_000;
let checked: Promise<{ usage: { code: number; stdout: string }; wrong: { code: number; stdout: string } }> | undefined;
/**
 * One tsc run over the usage files of every typed package (ESM and CJS) and the client's typed
 * usage, expected clean; and one over a file per package importing a name it does not export,
 * plus a client call with a wrongly typed parameter, each expected to fail on exactly that.
 */
function typecheck() {
  checked ??= (async () => {
    const usageFiles: string[] = [];
    const wrongFiles: string[] = [];
    const write = (list: string[], file: string, text: string) => {
      writeFileSync(path.join(consumer, file), text);
      list.push(file);
    };
    for (const p of packages) {
      const subpaths = typedSubpaths(p);
      if (subpaths.length === 0) continue;
      const usage = subpaths.map((s, i) => `import type * as ns${i} from "${specifier(p.name, s)}";\nexport type Names${i} = keyof typeof ns${i};`).join("\n");
      for (const ext of ["mts", "cts"]) write(usageFiles, `usage-${short(p)}.${ext}`, usage);
      write(wrongFiles, `wrong-${short(p)}.mts`, `import type { NotAnExportOfThisPackage } from "${p.name}";\nexport type X = NotAnExportOfThisPackage;\n`);
    }
    if (client) {
      write(usageFiles, "client-calls.mts", CLIENT_USAGE_ESM);
      write(usageFiles, "client-calls.cts", CLIENT_USAGE_CJS);
      write(wrongFiles, "client-wrong-call.mts", CLIENT_WRONG_CALL);
    }
    const tsc = async (name: string, files: string[]) => {
      writeFileSync(
        path.join(consumer, name),
        JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", noEmit: true, types: ["node"], lib: ["ES2022", "DOM"] }, files }),
      );
      return run("node", ["node_modules/typescript/bin/tsc", "-p", name], consumer);
    };
    const [usage, wrong] = await Promise.all([tsc("tsconfig-usage.json", usageFiles), tsc("tsconfig-wrong.json", wrongFiles)]);
    expect(usage.code, usage.stdout).toBe(0);
    return { usage, wrong };
  })();
  return checked;
}

/** The relative modules a bin launcher loads (`import("…")`, `import "…"` or `from "…"`), as package paths. */
function launched(p: WorkspacePackage, launcher: string): string[] {
  const text = readFileSync(installed(p, launcher), "utf8");
  const specifiers = [...text.matchAll(/\bimport\s*(?:\(\s*)?["'](\.{1,2}\/[^"']+)["']|\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => (m[1] ?? m[2])!);
  return specifiers.map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(launcher), s)));
}

beforeAll(async () => {
  consumer = mkdtempSync(path.join(os.tmpdir(), "codearts-pack-"));
  const tarballs = path.join(consumer, "tarballs");
  mkdirSync(tarballs);
  for (const p of packages) {
    const before = new Set(readdirSync(tarballs));
    await ok("pnpm", ["pack", "--pack-destination", tarballs], p.path);
    const tarball = readdirSync(tarballs).find((file) => !before.has(file))!;
    contents.set(p.name, execFileSync("tar", ["-tzf", path.join(tarballs, tarball)], { encoding: "utf8" }).split("\n").filter(Boolean).map((f) => f.replace(/^package\//, "")));
  }
  writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "0.0.0" }));
  const packed = readdirSync(tarballs).map((file) => path.join(tarballs, file));
  await ok("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...packed, "typescript@5.9.3", "@types/node@20.19.43"], consumer);
}, 300_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

test("there are public packages, and this package depends on each (so turbo builds them before these tests)", () => {
  expect(packages.length).toBeGreaterThanOrEqual(4);
  const own = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
  for (const p of packages) expect(own.devDependencies?.[p.name], `add "${p.name}": "workspace:*" to release-tests' devDependencies`).toBe("workspace:*");
});

describe.each(packages.map((p) => ({ ...p, label: p.name })))("$label", (p) => {
  const manifest = manifestOf(p);
  const exportsList = exportTargets(manifest.exports);
  const bins = binsOf(p);
  const binFiles = Object.values(bins).map((target) => target.replace(/^\.\//, ""));

  test("publishes publicly, with provenance", () => {
    expect(manifest.publishConfig).toMatchObject({ access: "public", provenance: true });
    expect(manifest.license).toBe("MIT");
  });

  test("the tarball ships the build or the generated files, its bins, README, LICENSE and package.json, and no tests or sources", () => {
    const files = contents.get(p.name)!;
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE"]));
    const shipped = manifest.files as string[];
    // What an operator copies (the CLI's Prometheus configuration, rules and systemd unit): data, never a script.
    const deploys = shipped.includes("deploy");
    for (const file of files) {
      const topLevelDoc = !file.includes("/") && (/\.md$/i.test(file) || file === "LICENSE" || file === "package.json");
      const built = /^(dist|generated)\//.test(file) && shipped.some((entry) => file.startsWith(`${entry.replace(/\/$/, "")}/`));
      const deployFile = deploys && /^deploy\/[^/]+\.(ya?ml|service)$/.test(file);
      expect(topLevelDoc || built || deployFile || binFiles.includes(file), `${p.name} ships ${file}`).toBe(true);
      expect(file).not.toMatch(/(^|\/)(src|test|tests|__tests__|coverage|node_modules|\.turbo)\/|\.(test|spec)\.[cm]?[jt]s$|tsconfig|vitest\.config|tsup\.config|turbo\.json|\.tsbuildinfo$/);
    }
    // openapi and types ship only what is generated from the spec; the code packages only their
    // build, and the launchers their bins name
    const dirs = new Set(files.filter((f) => f.includes("/")).map((f) => f.split("/")[0]));
    const built = exportsList.some((e) => e.target.startsWith("./generated/")) || /generated/.test(String(manifest.types)) ? "generated" : "dist";
    const binDirs = binFiles.filter((f) => f.includes("/")).map((f) => f.split("/")[0]!);
    expect([...dirs].sort()).toEqual([...new Set([built, ...binDirs, ...(deploys ? ["deploy"] : [])])].sort());
  });

  const entryPoints = [
    ...exportsList.map((e) => e.target),
    ...[manifest.main, manifest.module, manifest.types].filter((t): t is string => typeof t === "string"),
    ...binFiles,
  ].map((target) => target.replace(/^\.\//, ""));

  test("every entry point of the manifest is in the tarball", () => {
    const files = new Set(contents.get(p.name));
    for (const target of entryPoints) expect(files.has(target), `${p.name}: ${target}`).toBe(true);
  });

  // No package is built with code splitting, so every script it ships is one of its entry
  // points or the program a bin launcher loads; any other is dead weight in every install (a
  // format built for nobody).
  test("ships no script that no entry point names", () => {
    const named = new Set([...entryPoints, ...binFiles.flatMap((launcher) => launched(p, launcher))]);
    for (const file of contents.get(p.name)!.filter((f) => /\.[cm]?js$/.test(f))) {
      expect(named.has(file), `${p.name} ships ${file}, which no entry point names`).toBe(true);
    }
  });

  const esm = exportsList.filter((e) => e.subpath !== "./package.json" && runtime(e.target) && (e.conditions.length === 0 || e.conditions.some((c) => c === "import" || c === "default")));
  const cjs = exportsList.filter((e) => e.subpath !== "./package.json" && runtime(e.target) && (e.conditions.length === 0 || e.conditions.some((c) => c === "require" || c === "default")));

  if (esm.length > 0) test("ESM import of every runtime export works", async () => {
    const subpaths = [...new Set(esm.map((e) => e.subpath))];
    const lines = subpaths.map((subpath, i) =>
      subpath.endsWith(".json") ? `import m${i} from "${specifier(p.name, subpath)}" with { type: "json" };` : `import * as m${i} from "${specifier(p.name, subpath)}";`,
    );
    lines.push(`console.log(JSON.stringify([${subpaths.map((_, i) => `Object.keys(m${i}).length`).join(", ")}]));`);
    const file = `esm-${short(p)}.mjs`;
    writeFileSync(path.join(consumer, file), lines.join("\n"));
    const { stdout } = await ok("node", [file], consumer);
    for (const count of JSON.parse(stdout) as number[]) expect(count).toBeGreaterThan(0);
  });

  if (cjs.length > 0) test("CJS require of every runtime export works", async () => {
    const subpaths = [...new Set(cjs.map((e) => e.subpath))];
    const file = `cjs-${short(p)}.cjs`;
    writeFileSync(path.join(consumer, file), `console.log(JSON.stringify(${JSON.stringify(subpaths.map((s) => specifier(p.name, s)))}.map((s) => Object.keys(require(s)).length)));`);
    const { stdout } = await ok("node", [file], consumer);
    for (const count of JSON.parse(stdout) as number[]) expect(count).toBeGreaterThan(0);
  });

  if (esm.length === 0 && cjs.length === 0) test("a types-only package has no runtime entry, and says so", () => {
    expect(exportsList.every((e) => e.subpath === "./package.json" || !runtime(e.target))).toBe(true);
  });

  if (binFiles.length > 0) {
    test("every bin is installed, and answers --help", async () => {
      for (const bin of Object.keys(bins)) {
        const result = await run(path.join(consumer, "node_modules/.bin", bin), ["--help"], consumer);
        expect(result.code, `${bin} --help: ${result.stderr}`).toBe(0);
        expect(result.stdout).toMatch(new RegExp(bin));
      }
    });

    // The launchers exist so that pnpm can link a bin before the workspace is built; run from a
    // package without its build, they must say what to do rather than print a stack.
    test("a bin launcher without the build it loads says to build the package", async () => {
      const unbuilt = mkdtempSync(path.join(os.tmpdir(), "codearts-unbuilt-"));
      try {
        cpSync(installed(p, "package.json"), path.join(unbuilt, "package.json"));
        for (const launcher of binFiles) cpSync(installed(p, launcher), path.join(unbuilt, launcher));
        for (const launcher of binFiles) {
          const result = await run("node", [path.join(unbuilt, launcher), "--help"], unbuilt);
          expect(result.code, result.stdout).toBe(1);
          expect(result.stderr.trim()).toBe(`${p.name}: ${launched(p, launcher).join(", ")} is missing: this package has not been built (in the repository: pnpm build)`);
        }
      } finally {
        rmSync(unbuilt, { recursive: true, force: true });
      }
    });
  }

  if (typedSubpaths(p).length > 0) {
    test("a usage file type-checks under tsc (NodeNext), as ESM and as CJS, and a wrong import is caught", async () => {
      const { usage, wrong } = await typecheck();
      expect(usage.stdout.split("\n").filter((line) => line.includes(`usage-${short(p)}.`))).toEqual([]);
      expect(wrong.stdout).toMatch(new RegExp(`wrong-${short(p)}\\.mts\\(1,\\d+\\): error TS2305: Module .* has no exported member 'NotAnExportOfThisPackage'`));
    }, TSC_TIMEOUT);
  }
});

// The client once more, used as its README says: created, called with both credential kinds and
// a rejected one, against the packed mock on 127.0.0.1, from ESM and from CJS.
describe.runIf(client)("the packed client, as a consumer uses it", () => {
  const calls = (load: string) => `${load}
const server = await startMockServer({ credentials: { accessKeys: { "consumer-ak": "consumer-sk" } } });
try {
  const query = "project_id=666666af0f00445f85dec483fbc97c78";
  const sent = await (await fetch(\`\${server.url}/v4/tenant/tenant-package-status?\${query}\`, { headers: { "X-Auth-Token": "consumer-token" } })).json();
  const endpoints = { artifact: server.url, check: server.url, pipeline: server.url };
  const results = [];
  for (const credentials of [{ token: "consumer-token" }, { accessKey: "consumer-ak", secretKey: "consumer-sk" }]) {
    // validateResponses loads the validation module lazily: from the tarball, too
    const client = createClient({ region: "cn-north-4", endpoints, credentials, validateResponses: true });
    const body = await client.check.showTenantPackageStatus({ project_id: "666666af0f00445f85dec483fbc97c78" });
    results.push(JSON.stringify(body) === JSON.stringify(sent) ? "as sent" : JSON.stringify(body));
  }
  try {
    await createClient({ region: "cn-north-4", endpoints, credentials: { accessKey: "unknown-ak", secretKey: "sk" } }).check.showTenantPackageStatus();
    results.push("no error");
  } catch (error) {
    results.push(error instanceof ApiError ? \`\${error.status} \${error.errorCode}\` : String(error));
  }
  console.log(JSON.stringify(results));
} finally {
  await server.close();
}
`;

  test("ESM import works against the packed mock with a token and with AK/SK, and a rejected key is an ApiError", async () => {
    writeFileSync(
      path.join(consumer, "calls.mjs"),
      calls('import { createClient, ApiError } from "@codearts-package-status/client";\nimport { startMockServer } from "@codearts-package-status/mock";'),
    );
    const { stdout } = await ok("node", ["calls.mjs"], consumer);
    expect(JSON.parse(stdout)).toEqual(["as sent", "as sent", "401 APIG.0301"]);
  });

  test("CJS require works against the packed mock with a token and with AK/SK, and a rejected key is an ApiError", async () => {
    writeFileSync(
      path.join(consumer, "calls.cjs"),
      `(async () => {\n${calls('const { createClient, ApiError } = require("@codearts-package-status/client");\nconst { startMockServer } = require("@codearts-package-status/mock");')}\n})();`,
    );
    const { stdout } = await ok("node", ["calls.cjs"], consumer);
    expect(JSON.parse(stdout)).toEqual(["as sent", "as sent", "401 APIG.0301"]);
  });

  test("the AK/SK signer's own export signs a request for any HTTP library: signRequest and computeSignature", async () => {
    writeFileSync(
      path.join(consumer, "signer.mjs"),
      `import { computeSignature, signRequest } from "@codearts-package-status/client/signer";
const input = { method: "GET", url: "https://example.test/a?b=c", accessKey: "ak", secretKey: "sk", date: new Date(0) };
const headers = await signRequest(input);
const details = await computeSignature(input);
console.log(JSON.stringify([headers.get("x-sdk-date"), headers.get("authorization") === details.authorization, /^SDK-HMAC-SHA256 Access=ak, SignedHeaders=host;x-sdk-date, Signature=[0-9a-f]{64}$/.test(details.authorization)]));`,
    );
    const { stdout } = await ok("node", ["signer.mjs"], consumer);
    expect(JSON.parse(stdout)).toEqual(["19700101T000000Z", true, true]);
  });

  test("a typed usage file compiles under tsc (NodeNext) as ESM and as CJS, and a call with a wrong parameter type is its only error", async () => {
    const { usage, wrong } = await typecheck();
    expect(usage.stdout.split("\n").filter((line) => line.startsWith("client-calls."))).toEqual([]);
    const errors = wrong.stdout.split("\n").filter((line) => line.startsWith("client-wrong-call.mts("));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^client-wrong-call\.mts\(3,\d+\): error TS2322: Type 'true' is not assignable to type '"false" \| "true" \| undefined'/);
  }, TSC_TIMEOUT);
});

// The MCP server as an MCP client gets it from the tarballs: the bin answers --help, both module
// formats give main and the generated tools, and the bin holds a conversation over stdio with the
// SDK, the CLI and the mock resolved from the install (an MCP client passes on little of its own
// environment: here PATH and an empty HOME).
describe.runIf(mcp)("the packed MCP server, as an MCP client starts it", () => {
  const bin = () => path.join(consumer, "node_modules/.bin/codearts-package-status-mcp");

  test("codearts-package-status-mcp --help exits 0 and names its tools", async () => {
    const result = await run(bin(), ["--help"], consumer);
    expect(result.code, result.stderr).toBe(0);
    for (const tool of ["package_report", "show_package_info", "show_tenant_package_status", "validate_tenant_package_is_expired"]) expect(result.stdout).toContain(tool);
  });

  test("ESM import and CJS require of @codearts-package-status/mcp expose main and the generated tools", async () => {
    writeFileSync(path.join(consumer, "mcp-names.mjs"), `import { main, OPERATION_TOOLS } from "@codearts-package-status/mcp";\nconsole.log(JSON.stringify([typeof main, OPERATION_TOOLS.map((tool) => tool.name)]));\n`);
    writeFileSync(path.join(consumer, "mcp-names.cjs"), `const { main, OPERATION_TOOLS } = require("@codearts-package-status/mcp");\nconsole.log(JSON.stringify([typeof main, OPERATION_TOOLS.map((tool) => tool.name)]));\n`);
    for (const file of ["mcp-names.mjs", "mcp-names.cjs"]) {
      const { stdout } = await ok("node", [file], consumer);
      expect(JSON.parse(stdout), file).toEqual(["function", ["show_package_info", "show_tenant_package_status", "validate_tenant_package_is_expired"]]);
    }
  });

  test("with --mock, the installed bin lists its tools, answers package_report with structured content, and exits 0 when stdin ends", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "codearts-mcp-home-"));
    const child = spawn(bin(), ["--mock"], { cwd: consumer, env: { PATH: process.env.PATH ?? "", HOME: home, CODEARTS_ECS_METADATA_DISABLED: "true" }, stdio: ["pipe", "pipe", "pipe"] });
    const answers = new Map<number, (message: Record<string, unknown>) => void>();
    let buffered = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let end = buffered.indexOf("\n"); end !== -1; end = buffered.indexOf("\n")) {
        const message = JSON.parse(buffered.slice(0, end)) as { id?: number } & Record<string, unknown>;
        buffered = buffered.slice(end + 1);
        if (typeof message.id === "number") answers.get(message.id)?.(message);
      }
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    let id = 0;
    const ask = (method: string, params: object) =>
      Promise.race([
        new Promise<Record<string, unknown>>((resolve) => {
          answers.set(++id, resolve);
          child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
        }),
        exited.then((code): never => {
          throw new Error(`the server exited (${code}) before answering ${method}: ${stderr}`);
        }),
      ]);
    try {
      const initialized = (await ask("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "pack-test", version: "0.0.0" } })) as { result: { serverInfo: { name: string; version: string } } };
      expect(initialized.result.serverInfo).toMatchObject({ name: "codearts-package-status", version: manifestOf(mcp!).version });
      child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
      const listed = (await ask("tools/list", {})) as { result: { tools: Array<{ name: string; annotations?: { readOnlyHint?: boolean } }> } };
      expect(listed.result.tools.map((tool) => tool.name).sort()).toEqual(["package_report", "show_package_info", "show_tenant_package_status", "validate_tenant_package_is_expired"]);
      expect(listed.result.tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      const called = (await ask("tools/call", { name: "package_report", arguments: {} })) as { result: { isError?: boolean; structuredContent: { mock: boolean; verdict: { status: string }; packages: unknown[] } } };
      expect(called.result.isError).toBeUndefined();
      expect(called.result.structuredContent).toMatchObject({ mock: true, verdict: { status: "WARNING" } });
      expect(called.result.structuredContent.packages.length).toBeGreaterThan(0);
    } finally {
      child.stdin.end();
    }
    expect(await exited, stderr).toBe(0);
    expect(stderr).toMatch(/^codearts-package-status-mcp: using the embedded mock server at http:\/\/127\.0\.0\.1:\d+: /);
    rmSync(home, { recursive: true, force: true });
  });
});
