// What the command does with the files and endpoint values a user hands it by mistake: a
// credentials or regions file that is a FIFO, a link to /dev/zero or enormous, a credentials file
// others can read, an endpoint with a password in it. Each is one clear line on stderr, at once,
// and never the value. Real files in temp dirs; the services are loopback stand-ins.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { closedPort, fifos, parameterExample } from "@codearts-package-status/test-support";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ANSWERED, runCli, withoutVerdict } from "./support/cli.js";
import { ONE_PACKAGE_EACH, parseExposition, samplesOf, startExporter, startServices, type RunningExporter, type Services } from "./support/exporter.js";

const IDS = ["--project-id", String(parameterExample("ProjectId")), "--tenant-id", String(parameterExample("TenantId"))];
const TOKEN_ENV = { HUAWEICLOUD_SDK_TOKEN: "local-files-test-token-0123" };
const PASSWORD = "s3cret-pa55word";
const NO_CHAIN_CREDENTIALS = "environment (HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_TOKEN not set)";

let services: Services;
let endpoints: string[];
let dir: string;
// Released after each test: a reader blocked opening one would keep the worker from exiting.
const madeFifos = fifos();
let running: RunningExporter[] = [];
beforeAll(async () => {
  services = await startServices((service) => ONE_PACKAGE_EACH[service]);
  endpoints = services.flags;
});
afterAll(() => services.close());
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "codearts-cli-local-files-"));
  services.requests.length = 0;
});
afterEach(async () => {
  await Promise.all(running.map((exporter) => exporter.stop("SIGKILL")));
  running = [];
  madeFifos.release();
  rmSync(dir, { recursive: true, force: true });
});

const fifo = (name: string): string => madeFifos.make(dir, name);

/** A run of the command given at most 3 s, with how long it took and how much the process grew. */
async function timed(run: Promise<{ code: number | null; stdout: string; stderr: string }>) {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([run, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("the command still runs after 3 s")), 3000)))]);
  clearTimeout(timer);
  return { ...result, ms: performance.now() - started, rssMiB: (process.memoryUsage().rss - rss) / 2 ** 20 };
}

describe("the credentials file", () => {
  it.each([
    ["a FIFO", () => fifo("credentials"), "is a FIFO, not a regular file"],
    ["a link to /dev/zero", () => (symlinkSync("/dev/zero", path.join(dir, "credentials")), path.join(dir, "credentials")), "is a character device, not a regular file"],
  ])("that is %s: one line naming it, exit 3, within a second and a few MiB", async (_, make, problem) => {
    const file = make();
    const { code, stdout, stderr, ms, rssMiB } = await timed(runCli(["--region", "cn-north-4", ...IDS, ...endpoints], { HUAWEICLOUD_SDK_CREDENTIALS_FILE: file }));
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr).toBe(`codearts-package-status: no credentials: pass --access-key and --secret-key, or --token; looked in: ${NO_CHAIN_CREDENTIALS}; profile ${file} (${problem})\n`);
    expect(ms).toBeLessThan(1000);
    expect(rssMiB).toBeLessThan(32);
    expect(services.requests).toEqual([]);
  });

  it("that others can read: used, with one warning line on stderr, once however many regions are asked", async () => {
    const file = path.join(dir, "credentials");
    writeFileSync(file, "[basic]\nak = LOCALFILESACCESSKEY1\nsk = local-files-secret-key-0123\n", { mode: 0o644 });
    const { code, stderr } = await runCli(["--region", "cn-north-4,cn-south-1", ...IDS, ...endpoints], { HUAWEICLOUD_SDK_CREDENTIALS_FILE: file });
    expect(ANSWERED).toContain(code);
    expect(withoutVerdict(stderr)).toBe(`codearts-package-status: warning: credentials file ${file} can be read by other users (mode 644): run chmod 600 on it\n`);
  });
});

describe("the regions file", () => {
  it("of 78 MiB: one line naming the variable and the file, exit 3, within a second and a few MiB", async () => {
    const file = path.join(dir, "regions.yaml");
    writeFileSync(file, `CodeArtsCheck:\n  - id: xx-private-1\n    endpoint: ${services.url}\n`);
    truncateSync(file, 78 * 2 ** 20);
    const { code, stderr, ms, rssMiB } = await timed(runCli(["--region", "xx-private-1", ...IDS, ...endpoints], { ...TOKEN_ENV, HUAWEICLOUD_SDK_REGIONS_FILE: file }));
    expect(code).toBe(3);
    expect(stderr).toBe(`codearts-package-status: Invalid HUAWEICLOUD_SDK_REGIONS_FILE: ${file} is larger than 1 MiB\n`);
    expect(ms).toBeLessThan(1000);
    expect(rssMiB).toBeLessThan(32);
  });

  it("that is a FIFO: one line naming it, exit 3, within a second, for a region only the file could name", async () => {
    const file = fifo("regions.yaml");
    const { code, stderr, ms } = await timed(runCli(["--region", "xx-private-1", ...IDS, ...endpoints], { ...TOKEN_ENV, HUAWEICLOUD_SDK_REGIONS_FILE: file }));
    expect(code).toBe(3);
    expect(stderr).toBe(`codearts-package-status: Invalid HUAWEICLOUD_SDK_REGIONS_FILE: ${file} is a FIFO, not a regular file\n`);
    expect(ms).toBeLessThan(1000);
  });

  it("is not read at all when all four --endpoint-* are given: any region is then a label", async () => {
    const file = fifo("regions.yaml");
    const { code, stderr } = await timed(runCli(["--region", "xx-private-1", ...IDS, ...endpoints, "--endpoint-iam", services.url, "--verbose"], { ...TOKEN_ENV, HUAWEICLOUD_SDK_REGIONS_FILE: file }));
    expect(ANSWERED).toContain(code);
    expect(withoutVerdict(stderr)).not.toContain("regions");
    expect(services.requests).toHaveLength(3);
  });

  it("the exporter's /probe?region= with a FIFO regions file answers at once: every service down, the file named in the log", async () => {
    const file = fifo("regions.yaml");
    const started = await startExporter(["--listen", "127.0.0.1:0", ...IDS, ...endpoints, "--region", "cn-north-4"], { ...TOKEN_ENV, HUAWEICLOUD_SDK_REGIONS_FILE: file });
    running.push(started);
    const began = performance.now();
    const response = await fetch(`${started.base}/probe?region=xx-test-1`, { signal: AbortSignal.timeout(3000) });
    const text = await response.text();
    expect(performance.now() - began).toBeLessThan(1000);
    expect(response.status).toBe(200);
    expect(samplesOf(parseExposition(text), "codearts_service_up").map((sample) => sample.value)).toEqual([0, 0, 0]);
    expect(started.stderr()).toContain(`${file} is a FIFO, not a regular file`);
  });
});

describe("endpoint values", () => {
  // Every other service goes to the loopback stand-in, and each bad value names a closed port on
  // loopback: even a build that let a value through would dial nothing else.
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
  });
  const allButCheck = () => ["--endpoint-artifact", services.url, "--endpoint-pipeline", services.url, "--endpoint-iam", services.url];
  const flags = (overrides: Record<string, string> = {}) => Object.entries({ "--endpoint-artifact": services.url, "--endpoint-check": services.url, "--endpoint-pipeline": services.url, "--endpoint-iam": services.url, ...overrides }).flat();

  it.each([
    ["a password", "--endpoint-check", () => `https://user:${PASSWORD}@127.0.0.1:${port}`, "--endpoint-check must not contain a user name or password"],
    ["a query", "--endpoint-artifact", () => `http://127.0.0.1:${port}/?key=${PASSWORD}`, "--endpoint-artifact must not contain a query or fragment"],
    ["a fragment", "--endpoint-pipeline", () => `http://127.0.0.1:${port}/#${PASSWORD}`, "--endpoint-pipeline must not contain a query or fragment"],
    ["not a URL, with a password", "--endpoint-iam", () => `https://user:${PASSWORD}@[::1`, "--endpoint-iam must be an http or https URL"],
  ])("--endpoint-* with %s is refused as usage, the flag and the rule named, never the value", async (_, flag, value, problem) => {
    const { code, stderr } = await runCli(["--region", "cn-north-4", ...IDS, ...flags({ [flag]: value() })], TOKEN_ENV);
    expect(code).toBe(3);
    expect(stderr).toBe(`codearts-package-status: ${problem} (see codearts-package-status --help)\n`);
    expect(services.requests).toEqual([]);
  });

  it("HUAWEICLOUD_SDK_REGION_* with a password: one line naming the variable and the rule, never the value", async () => {
    const { code, stderr } = await runCli(["--region", "cn-north-4", ...IDS, ...allButCheck()], { ...TOKEN_ENV, HUAWEICLOUD_SDK_REGION_CODEARTSCHECK_CN_NORTH_4: `https://user:${PASSWORD}@[::1` });
    expect(code).toBe(3);
    expect(stderr).toBe("codearts-package-status: Invalid HUAWEICLOUD_SDK_REGION_CODEARTSCHECK_CN_NORTH_4: must be an http or https URL\n");
  });

  it("in the regions file, with a password: one line naming the file and the line, never the value", async () => {
    mkdirSync(path.join(dir, ".huaweicloud"));
    const file = path.join(dir, ".huaweicloud", "regions.yaml");
    writeFileSync(file, `CodeArtsCheck:\n  - id: cn-north-4\n    endpoint: "https://user:${PASSWORD}@127.0.0.1:${port}"\n`);
    const { code, stderr } = await runCli(["--region", "cn-north-4", ...IDS, ...allButCheck()], { ...TOKEN_ENV, HOME: dir });
    expect(code).toBe(3);
    expect(stderr).toBe(`codearts-package-status: Invalid regions file: ${file} line 3: the endpoint of CODEARTSCHECK in cn-north-4 must not contain a user name or password\n`);
    expect(services.requests).toEqual([]);
  });
});
