// Proves the published shape: the packed tarballs install into a fresh project, load with ESM
// import and CJS require, type-check (and reject a wrongly typed call), and talk to a server
// with both credential kinds.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { example, PROJECT_ID, TENANT_ID } from "./support/fixtures.js";
import { startServer, type TestServer } from "./support/server.js";

const run = promisify(execFile);
const packagesDir = path.resolve(fileURLToPath(import.meta.url), "../../..");
let consumer: string;
let server: TestServer;

beforeAll(async () => {
  consumer = mkdtempSync(path.join(os.tmpdir(), "codearts-consumer-"));
  const tarballs = path.join(consumer, "tarballs");
  for (const name of ["types", "client"]) {
    await run("pnpm", ["pack", "--pack-destination", tarballs], { cwd: path.join(packagesDir, name) });
  }
  writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "0.0.0" }));
  const packed = readdirSync(tarballs).map((file) => path.join(tarballs, file));
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...packed, "typescript@5.9.3", "@types/node@20.19.43"], { cwd: consumer });

  server = await startServer((_, request) => {
    const token = request.headers["x-auth-token"];
    const signature = request.headers.authorization;
    if (token !== "consumer-token" && !/^SDK-HMAC-SHA256 Access=consumer-ak, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/.test(signature ?? "")) {
      return { status: 401, body: example("GatewayUnauthorized") as object };
    }
    return { status: 200, body: example("ShowTenantPackageStatusOk") as object };
  });
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

const usage = (importLine: string) => `${importLine}
const url = process.argv[2];
const results = [];
for (const credentials of [{ token: "consumer-token" }, { accessKey: "consumer-ak", secretKey: "consumer-sk" }]) {
  const client = createClient({ region: "cn-north-4", endpoints: { check: url }, credentials });
  const body = await client.check.showTenantPackageStatus({ project_id: "${PROJECT_ID}" });
  results.push(body.result.tenantId);
}
try {
  await createClient({ endpoints: { check: url }, credentials: { token: "wrong" } }).check.showTenantPackageStatus();
} catch (error) {
  results.push(error instanceof ApiError ? error.errorCode : String(error));
}
console.log(JSON.stringify(results));
`;

describe("the packed packages in a fresh project", () => {
  test("ESM import works against a local server with both credential kinds", async () => {
    writeFileSync(path.join(consumer, "esm.mjs"), usage('import { createClient, ApiError } from "@codearts-package-status/client";'));
    const { stdout } = await run("node", ["esm.mjs", server.url], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual(["389efb76b1354e4482eabeedxxxxxxxx", "389efb76b1354e4482eabeedxxxxxxxx", "APIG.0301"]);
  });

  test("CJS require works against a local server with both credential kinds", async () => {
    writeFileSync(
      path.join(consumer, "cjs.cjs"),
      `(async () => {\n${usage('const { createClient, ApiError } = require("@codearts-package-status/client");')}\n})();`,
    );
    const { stdout } = await run("node", ["cjs.cjs", server.url], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual(["389efb76b1354e4482eabeedxxxxxxxx", "389efb76b1354e4482eabeedxxxxxxxx", "APIG.0301"]);
  });

  test("the AK/SK signer and response validation load from their own exports", async () => {
    writeFileSync(
      path.join(consumer, "subpaths.mjs"),
      `import { signRequest } from "@codearts-package-status/client/signer";
import { validateResponse } from "@codearts-package-status/client/validation";
const headers = await signRequest({ method: "GET", url: "https://example.test/a?b=c", accessKey: "ak", secretKey: "sk", date: new Date(0) });
console.log(JSON.stringify([headers.get("x-sdk-date"), validateResponse("ValidateTenantPackageIsExpired", 200, [{ tips: null }]).length]));`,
    );
    const { stdout } = await run("node", ["subpaths.mjs"], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual(["19700101T000000Z", 0]);
  });

  const tsconfig = (files: string[]) =>
    JSON.stringify({
      compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", noEmit: true, types: ["node"], lib: ["ES2022", "DOM"] },
      files,
    });

  test("a typed usage file compiles under tsc (NodeNext), and a call with a wrong parameter type is the only error", async () => {
    writeFileSync(
      path.join(consumer, "usage.mts"),
      `import { createClient, type CodeArtsClient } from "@codearts-package-status/client";
import type { SpecsCountDownInfo, TenantPackageStatus } from "@codearts-package-status/types";
const client: CodeArtsClient = createClient({ region: "cn-north-4", credentials: { token: "t" } });
export async function check(): Promise<TenantPackageStatus | undefined> {
  const body = await client.check.showTenantPackageStatus({ project_id: "${PROJECT_ID}" });
  return body.result;
}
export async function pipeline(): Promise<SpecsCountDownInfo[]> {
  return client.pipeline.validateTenantPackageIsExpired({ tenant_id: "${TENANT_ID}", is_main: "true" });
}
export async function raw() {
  const { data } = await client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id: "${PROJECT_ID}" } } });
  return data?.result?.tips?.next_action_remain_day;
}
`,
    );
    writeFileSync(path.join(consumer, "tsconfig.json"), tsconfig(["usage.mts"]));
    await run("npx", ["tsc", "-p", "tsconfig.json"], { cwd: consumer });

    writeFileSync(
      path.join(consumer, "wrong.mts"),
      `import { createClient } from "@codearts-package-status/client";
const client = createClient({ region: "cn-north-4", credentials: { token: "t" } });
await client.pipeline.validateTenantPackageIsExpired({ tenant_id: "${TENANT_ID}", is_main: true });
`,
    );
    writeFileSync(path.join(consumer, "tsconfig.json"), tsconfig(["usage.mts", "wrong.mts"]));
    const failure = await run("npx", ["tsc", "-p", "tsconfig.json"], { cwd: consumer }).then(
      () => undefined,
      (error: { stdout: string }) => error.stdout,
    );
    expect(failure).toMatch(/wrong\.mts\(3,\d+\): error TS2322: Type 'true' is not assignable to type '"false" \| "true" \| undefined'/);
    expect(failure?.trim().split("\n").filter((line) => /error TS/.test(line))).toHaveLength(1);
  }, 180_000);

  test("a CJS consumer type-checks too", async () => {
    writeFileSync(
      path.join(consumer, "usage.cts"),
      `import { createClient, TimeoutError } from "@codearts-package-status/client";
import type { ShowPackageInfoResponse } from "@codearts-package-status/types";
export async function artifact(): Promise<ShowPackageInfoResponse> {
  return createClient({ region: "cn-north-4", credentials: { accessKey: "a", secretKey: "s" } }).artifact.showPackageInfo();
}
export const isTimeout = (e: unknown) => e instanceof TimeoutError;
`,
    );
    writeFileSync(path.join(consumer, "tsconfig.json"), tsconfig(["usage.cts"]));
    await run("npx", ["tsc", "-p", "tsconfig.json"], { cwd: consumer });
  }, 180_000);
});
