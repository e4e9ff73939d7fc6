// Several regions in one run: one client per region, one report with the region of every row,
// and a region whose services fail hides nothing of another's. The regions' hosts are routed to
// 127.0.0.1 by a fetch stub: nothing leaves this machine.
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { closedPort, parameterExample } from "@codearts-package-status/test-support";
import { parseTable, runCli } from "./support/cli.js";

const ids = { projectId: String(parameterExample("ProjectId")), tenantId: String(parameterExample("TenantId")) };

let mock: MockServer;
let dead: string;
beforeAll(async () => {
  mock = await startMockServer({ host: "127.0.0.1", port: 0 });
  dead = `http://127.0.0.1:${await closedPort()}`;
});
afterAll(() => mock.close());
afterEach(() => vi.unstubAllGlobals());

async function runWith(regions: string[], json: boolean): Promise<{ code: number; stdout: string; stderr: string; hosts: string[] }> {
  const hosts: string[] = [];
  const realFetch = globalThis.fetch;
  // cn-north-4's hosts answer from the mock; cn-south-1's are refused (a closed loopback port).
  vi.stubGlobal("fetch", (input: string | Request, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input.url);
    hosts.push(url.host);
    const to = url.host.includes(".cn-north-4.") ? mock.url : dead;
    return realFetch(`${to}${url.pathname}${url.search}`, init);
  });
  const args = ["--region", regions.join(","), "--project-id", ids.projectId, "--tenant-id", ids.tenantId, "--timeout-ms", "2000", ...(json ? ["--json"] : [])];
  const { code, stdout, stderr } = await runCli(args, { HUAWEICLOUD_SDK_TOKEN: "test-token" });
  return { code: code ?? -1, stdout, stderr, hosts };
}

describe("--region with several regions", () => {
  it("one report: each region's own hosts, every row and failure with its region; a failing region hides nothing", async () => {
    const { code, stdout, stderr, hosts } = await runWith(["cn-north-4", "cn-south-1"], true);
    const report = JSON.parse(stdout) as {
      regions: string[];
      packages: Array<{ region: string; service: string }>;
      errors: Array<{ region: string; service: string; kind: string }>;
      answered: Array<{ region: string; service: string }>;
    };
    expect(report.regions).toEqual(["cn-north-4", "cn-south-1"]);
    // cn-south-1 offers all three services too: each region's three hosts are asked (the refused
    // ones three times each: the client retries twice).
    expect(new Set(hosts.filter((h) => h.includes(".cn-north-4.")))).toHaveProperty("size", 3);
    expect(hosts.filter((h) => h.includes(".cn-north-4."))).toHaveLength(3);
    // Refused, CodeArts Check also fails over to its secondary host, codearts-check.cn-south-1.myhuaweicloud.cn.
    expect(new Set(hosts.filter((h) => h.includes(".cn-south-1.")))).toEqual(
      new Set(["artifact", "codearts-check", "cloudpipeline-ext"].map((h) => `${h}.cn-south-1.myhuaweicloud.com`).concat("codearts-check.cn-south-1.myhuaweicloud.cn")),
    );
    expect(report.packages.length).toBeGreaterThan(0);
    expect(new Set(report.packages.map((p) => p.region))).toEqual(new Set(["cn-north-4"]));
    expect(report.answered.map((a) => [a.region, a.service])).toEqual([["cn-north-4", "artifact"], ["cn-north-4", "check"], ["cn-north-4", "pipeline"]]);
    expect(report.errors.map((e) => [e.region, e.service, e.kind])).toEqual([["cn-south-1", "artifact", "connection"], ["cn-south-1", "check", "connection"], ["cn-south-1", "pipeline", "connection"]]);
    // Each failure line says which region's service failed.
    expect(stderr).toMatch(/^codearts-package-status: CodeArts Check \(cn-south-1\): cannot reach /m);
    expect(code).toBe(3);
  });

  it("the table gets a REGION column first", async () => {
    const { stdout } = await runWith(["cn-north-4", "cn-south-1"], false);
    expect(stdout.split("\n")[0]).toMatch(/^REGION {2,}SERVICE {2,}RESOURCE /);
    expect(new Set(parseTable(stdout).map((row) => row.REGION))).toEqual(new Set(["cn-north-4"]));
  });

  it("end to end: regions in any case, repeated once, each a client of its own, rows sorted across regions", async () => {
    const single = await runCli(["--mock", "--json", "--region", "cn-north-4"]);
    const both = await runCli(["--mock", "--json", "--region", "CN-NORTH-4,cn-south-1,cn-north-4"]);
    const one = JSON.parse(single.stdout) as { packages: Array<{ daysLeft: number | null; region: string }> };
    const report = JSON.parse(both.stdout) as { regions: string[]; packages: Array<{ daysLeft: number | null; region: string }> };
    expect(report.regions).toEqual(["cn-north-4", "cn-south-1"]);
    expect(report.packages).toHaveLength(one.packages.length * 2);
    const days = report.packages.map((p) => p.daysLeft ?? Infinity);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    expect(report.packages.filter((p) => p.region === "cn-south-1")).toHaveLength(one.packages.length);
    expect(both.code).toBe(single.code);
    const table = await runCli(["--mock", "--region", "cn-north-4,cn-south-1"]);
    expect(parseTable(table.stdout).map((row) => row.REGION)).toEqual(report.packages.map((p) => p.region));
  });

  it("an empty or unknown region among several is refused, each named, before any request", async () => {
    const { code, stdout, stderr } = await runCli(["--mock", "--region", "cn-north-4,,cn-nort-1"]);
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^codearts-package-status: an empty region, unknown region "cn-nort-1" \(did you mean cn-north-1\?\); valid regions: /);
  });
});
