// Answers of hundreds of thousands of rows, over real HTTP on 127.0.0.1: the report, the table
// and --json handle them whole. Spreading such an array as call arguments (push(...rows),
// Math.max(...widths)) throws RangeError: Maximum call stack size exceeded.
import { createClient } from "@codearts-package-status/client";
import { parameterExample, startTestServer } from "@codearts-package-status/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectPackages } from "../src/report.js";
import { runBin, runCli, withoutVerdict } from "./support/cli.js";

const ids = { projectId: String(parameterExample("ProjectId")), tenantId: String(parameterExample("TenantId")) };
const TOKEN_ENV = { HUAWEICLOUD_SDK_TOKEN: "test-token-not-secret" };

/** An Artifact answer with `count` extensions, days left counting down from `count - 1`, kept compact (about 25 bytes each). */
function artifactBody(count: number): string {
  const entries: string[] = [];
  for (let i = 0; i < count; i++) entries.push(`"e${i.toString(36)}":{"remainDays":${count - 1 - i}}`);
  return `{"status":"success","result":{${entries.join(",")}}}`;
}

const BODIES = { 150_000: artifactBody(150_000), 500_000: artifactBody(500_000) };
let size: keyof typeof BODIES = 150_000;
let servers: Array<{ url: string; close(): Promise<void> }> = [];
let endpoints: { artifact: string; check: string; pipeline: string };
beforeAll(async () => {
  servers = await Promise.all([
    startTestServer(() => ({ status: 200, body: BODIES[size] })),
    startTestServer(() => ({ status: 200, body: { result: { main_resource_list: [], other_resource_list: [] } } })),
    startTestServer(() => ({ status: 200, body: [] })),
  ]);
  endpoints = { artifact: servers[0]?.url ?? "", check: servers[1]?.url ?? "", pipeline: servers[2]?.url ?? "" };
});
afterAll(() => Promise.all(servers.map((server) => server.close())));

/** Number of lines of `text`, counted without splitting a string of tens of megabytes. */
function lineCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

describe("hundreds of thousands of rows", () => {
  it("collectPackages resolves with all 500,000, soonest expiry first", async () => {
    size = 500_000;
    const client = createClient({ endpoints, credentials: { token: "t" } });
    const { packages, errors } = await collectPackages(client, ids);
    expect(errors).toEqual([]);
    expect(packages).toHaveLength(500_000);
    expect([packages[0]?.daysLeft, packages[1]?.daysLeft, packages.at(-1)?.daysLeft]).toEqual([0, 1, 499_999]);
  }, 60_000);

  it.each([
    ["the table", false],
    ["--json", true],
  ])("%s of 500,000 rows is printed whole", async (_name, json) => {
    size = 500_000;
    const args = ["--project-id", ids.projectId, "--tenant-id", ids.tenantId, "--endpoint-artifact", endpoints.artifact, "--endpoint-check", endpoints.check, "--endpoint-pipeline", endpoints.pipeline, "--wide"];
    const { code, stdout, stderr } = await runCli(json ? [...args, "--json"] : args, TOKEN_ENV);
    expect(withoutVerdict(stderr)).toBe("");
    const output = stdout;
    // Days left count down from 499,999 to 0: the last one expires today.
    expect(code).toBe(2);
    if (json) expect((JSON.parse(output) as { packages: unknown[] }).packages).toHaveLength(500_000);
    else expect(lineCount(output)).toBe(500_001);
  }, 60_000);

  it("the bin prints 150,000 rows through a pipe whole, as a table and as --json", async () => {
    size = 150_000;
    const args = ["--project-id", ids.projectId, "--tenant-id", ids.tenantId, "--endpoint-artifact", endpoints.artifact, "--endpoint-check", endpoints.check, "--endpoint-pipeline", endpoints.pipeline];
    const table = await runBin(args, TOKEN_ENV);
    expect(withoutVerdict(table.stderr)).toBe("");
    expect(table.code).toBe(2);
    expect(lineCount(table.stdout)).toBe(150_001);
    const json = await runBin([...args, "--json"], TOKEN_ENV);
    expect(withoutVerdict(json.stderr)).toBe("");
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stdout) as { packages: unknown[] }).packages).toHaveLength(150_000);
  }, 60_000);
});
