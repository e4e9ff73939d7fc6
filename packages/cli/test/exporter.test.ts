// `codearts-package-status exporter` as an operator runs it: the built command on 127.0.0.1
// port 0, scraped over real HTTP, asking loopback stand-ins for the three services.
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parameterExample } from "@codearts-package-status/test-support";
import { ONE_PACKAGE_EACH, parseExposition, runExporter, samplesOf, spawnExporter, startExporter, startServices, type Answer, type RunningExporter, type Service, type Services } from "./support/exporter.js";

const PROJECT = String(parameterExample("ProjectId"));
const TENANT = String(parameterExample("TenantId"));
const IDS = ["--project-id", PROJECT, "--tenant-id", TENANT];
const TOKEN = "exporter-test-token-not-secret-0123";
const TOKEN_ENV = { HUAWEICLOUD_SDK_TOKEN: TOKEN };
const OTHER_PROJECT = "0123456789abcdef0123456789abcdef";
const PROMTOOL = process.env.PROMTOOL_PATH ?? "/usr/bin/promtool";

let answers: Record<Service, Answer> = { ...ONE_PACKAGE_EACH };
let services: Services;
let running: RunningExporter[] = [];
beforeAll(async () => {
  services = await startServices((service) => answers[service], 100);
});
afterAll(() => services.close());
afterEach(async () => {
  await Promise.all(running.map((exporter) => exporter.stop("SIGKILL")));
  running = [];
  answers = { ...ONE_PACKAGE_EACH };
  services.counts.artifact = services.counts.check = services.counts.pipeline = 0;
  services.requests.length = 0;
});

async function exporter(extra: string[] = [], env: Record<string, string> = TOKEN_ENV): Promise<RunningExporter> {
  const started = await startExporter(["--listen", "127.0.0.1:0", ...IDS, ...services.flags, ...extra], env);
  running.push(started);
  return started;
}

const scrape = async (url: string): Promise<{ status: number; text: string; contentType: string | null }> => {
  const response = await fetch(url);
  return { status: response.status, text: await response.text(), contentType: response.headers.get("content-type") };
};

describe("starting and stopping", () => {
  it("prints exactly one line, its /metrics URL on 127.0.0.1 with the port the OS picked, once it answers", async () => {
    const started = await exporter();
    expect(started.stdout()).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/metrics\n$/);
    expect((await scrape(started.url)).status).toBe(200);
  });

  it.each(["SIGTERM", "SIGINT"] as const)("the bin stops with exit code 0 on %s", async (signal) => {
    const started = await spawnExporter(["--listen", "127.0.0.1:0", ...IDS, ...services.flags], TOKEN_ENV);
    running.push(started);
    expect(await started.stop(signal)).toBe(0);
    await expect(fetch(started.url)).rejects.toThrow();
  });

  it("exits 3 and says so when it cannot listen (the port is taken)", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const { code, stdout, stderr } = await runExporter(["--listen", `127.0.0.1:${port}`, ...IDS, ...services.flags], TOKEN_ENV);
      expect(code).toBe(3);
      expect(stdout).toBe("");
      expect(stderr).toContain(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it.each([
    [["--listen", "localhost"], "--listen must be HOST:PORT"],
    [["--listen", "127.0.0.1:65536"], "--listen must be HOST:PORT"],
    [["--cache-seconds", "five"], "--cache-seconds must be a whole number"],
    [["--max-targets", "0"], "--max-targets must be a whole number from 1"],
    [["--json"], "--json does not apply to the exporter"],
    [["--warn-days", "3"], "--warn-days does not apply to the exporter"],
    [["--critical-days=3"], "--critical-days does not apply to the exporter"],
    [["--region", "cn-nowhere-1"], "unknown region"],
  ])("exits 3 on a usage error, before listening: %j", async (extra, message) => {
    const { code, stdout, stderr } = await runExporter(["--listen", "127.0.0.1:0", ...IDS, ...services.flags, ...extra], TOKEN_ENV);
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
  });

  it("exits 3 without credentials, and asks no service", async () => {
    const { code, stderr } = await runExporter(["--listen", "127.0.0.1:0", ...IDS, ...services.flags], {});
    expect(code).toBe(3);
    expect(stderr).toContain("no credentials");
    expect(services.requests).toEqual([]);
  });

  it("prints its own usage for exporter --help", async () => {
    const { code, stdout } = await runExporter(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--listen HOST:PORT");
    expect(stdout).toContain("/probe?region=&project_id=&tenant_id=");
  });
});

describe("the metrics", () => {
  it("reports days left in seconds, the status as labels of the info metric, and every service up", async () => {
    const samples = parseExposition((await scrape((await exporter()).url)).text);
    const remaining = samplesOf(samples, "codearts_package_remaining_seconds");
    expect(remaining).toEqual([
      { name: "codearts_package_remaining_seconds", labels: { service: "artifact", resource: "codeartsStorageExtension", resource_id: "", resource_type: "hws.resource.type.codearts.extension.storage", spec_code: "", region: "" }, value: 11 * 86400 },
      { name: "codearts_package_remaining_seconds", labels: { service: "check", resource: "hws.resource.type.codearts.combo (main package)", resource_id: "", resource_type: "hws.resource.type.codearts.combo", spec_code: "codearts.china.enterprise", region: "" }, value: 32 * 86400 },
    ]);
    // Pipeline's package does not expire: an info series, and no remaining-seconds series.
    const info = samplesOf(samples, "codearts_package_info");
    expect(info.map((sample) => sample.labels.service)).toEqual(["artifact", "check", "pipeline"]);
    expect(info[2]?.labels).toMatchObject({ resource: "CodeArts Combo", status: "does not expire", status_code: "", spec_code: "codearts.china.free" });
    expect(info[1]?.labels).toMatchObject({ status: "normal", status_code: "normal", next_action: "enters grace period on expiry", next_action_code: "0", renewal_url: "https://renew.example/check" });
    expect(info.every((sample) => sample.value === 1)).toBe(true);
    expect(samplesOf(samples, "codearts_service_up").map((sample) => [sample.labels.service, sample.value])).toEqual([["artifact", 1], ["check", 1], ["pipeline", 1]]);
    expect(samplesOf(samples, "codearts_probe_duration_seconds")[0]?.value).toBeGreaterThan(0);
    expect(samplesOf(samples, "codearts_exporter_build_info")[0]?.labels.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(samplesOf(samples, "process_start_time_seconds")).toHaveLength(1);
  });

  it("answers in the Prometheus text format that promtool accepts", async () => {
    const { text, contentType } = await scrape((await exporter()).url);
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(() => execFileSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8" })).not.toThrow();
  });

  it("keeps reporting the other services when one fails, with that one down and its packages absent", async () => {
    answers = { ...ONE_PACKAGE_EACH, check: { status: 401, body: { error_code: "APIG.0301", error_msg: "Incorrect IAM authentication information" } } };
    const started = await exporter();
    const { status, text } = await scrape(started.url);
    expect(status).toBe(200);
    const samples = parseExposition(text);
    expect(samplesOf(samples, "codearts_service_up").map((sample) => [sample.labels.service, sample.value])).toEqual([["artifact", 1], ["check", 0], ["pipeline", 1]]);
    expect(samplesOf(samples, "codearts_package_info").map((sample) => sample.labels.service)).toEqual(["artifact", "pipeline"]);
    // Counted in the exporter's own metrics, by kind.
    const failures = samplesOf(samples, "codearts_exporter_service_failures_total");
    expect(failures.map((sample) => [sample.labels, sample.value])).toEqual([[{ service: "check", kind: "authentication" }, 1]]);
    // Logged once, on one line, with the hint the report gives.
    await expect.poll(() => started.stderr()).toContain("CodeArts Check: authentication failed: APIG.0301");
  });
});

describe("the cache", () => {
  it("lets concurrent scrapes share one collection, and serves later ones from it within --cache-seconds", async () => {
    const started = await exporter();
    const first = await Promise.all(Array.from({ length: 10 }, () => scrape(started.url)));
    expect(first.every((answer) => answer.status === 200)).toBe(true);
    expect(services.counts).toEqual({ artifact: 1, check: 1, pipeline: 1 });
    await scrape(started.url);
    await scrape(`${started.base}/probe?project_id=${PROJECT}&tenant_id=${TENANT}`);
    expect(services.counts).toEqual({ artifact: 1, check: 1, pipeline: 1 });
    const samples = parseExposition((await scrape(started.url)).text);
    expect(samplesOf(samples, "codearts_exporter_collections_total")[0]?.value).toBe(1);
  });

  it("asks again once --cache-seconds have passed, not before", async () => {
    let now = 0;
    const started = await startExporter(["--listen", "127.0.0.1:0", ...IDS, ...services.flags, "--cache-seconds", "1"], TOKEN_ENV, { now: () => now });
    running.push(started);
    await scrape(started.url);
    now = 999;
    await scrape(started.url);
    expect(services.counts).toEqual({ artifact: 1, check: 1, pipeline: 1 });
    now = 1000;
    await scrape(started.url);
    expect(services.counts).toEqual({ artifact: 2, check: 2, pipeline: 2 });
  });

  it("keeps at most --max-targets targets, dropping the least recently scraped", async () => {
    const started = await exporter(["--max-targets", "2"]);
    const probe = (project: string) => scrape(`${started.base}/probe?project_id=${project}`);
    const projects = ["a".repeat(32), "b".repeat(32), "c".repeat(32)];
    for (const project of projects) expect((await probe(project)).status).toBe(200);
    expect(services.counts.artifact).toBe(3);
    await probe(projects[2] as string); // still held
    expect(services.counts.artifact).toBe(3);
    await probe(projects[0] as string); // dropped for the third, so asked again
    expect(services.counts.artifact).toBe(4);
    const own = parseExposition((await scrape(started.url)).text);
    // /metrics' own target is one more, and pushes out another: never more than 2 held.
    expect(samplesOf(own, "codearts_exporter_cached_targets")[0]?.value).toBe(2);
  });
});

describe("/probe", () => {
  it("reports the target its query names, with the region as a label", async () => {
    const started = await exporter();
    const { status, text } = await scrape(`${started.base}/probe?region=cn-north-4&project_id=${OTHER_PROJECT}&tenant_id=${TENANT}`);
    expect(status).toBe(200);
    const samples = parseExposition(text);
    expect(samplesOf(samples, "codearts_service_up").map((sample) => sample.labels.region)).toEqual(["cn-north-4", "cn-north-4", "cn-north-4"]);
    expect(services.requests.some((request) => request.includes(OTHER_PROJECT))).toBe(true);
    // Only the target's metrics: the exporter's own are on /metrics.
    expect(samplesOf(samples, "codearts_exporter_build_info")).toEqual([]);
  });

  it("takes a region ID in any case, as --region does", async () => {
    const started = await exporter();
    const { status, text } = await scrape(`${started.base}/probe?region=CN-North-4`);
    expect(status).toBe(200);
    expect(samplesOf(parseExposition(text), "codearts_service_up").map((sample) => sample.labels.region)).toEqual(["cn-north-4", "cn-north-4", "cn-north-4"]);
  });

  it("probes a region the built-in table lacks when HUAWEICLOUD_SDK_REGION_* names its endpoints, asking them, and refuses one nothing names", async () => {
    const url = services.flags[1]!;
    const overrides = (region: string) => Object.fromEntries(["CODEARTSARTIFACT", "CODEARTSCHECK", "CODEARTSPIPELINE"].map((name) => [`HUAWEICLOUD_SDK_REGION_${name}_${region}`, url]));
    const started = await startExporter(["--listen", "127.0.0.1:0", ...IDS, "--region", "cn-north-4"], { ...TOKEN_ENV, ...overrides("CN_NORTH_4"), ...overrides("XX_TEST_1") });
    running.push(started);
    const named = await scrape(`${started.base}/probe?region=xx-test-1`);
    expect(named.status).toBe(200);
    expect(samplesOf(parseExposition(named.text), "codearts_service_up").map((sample) => [sample.labels.region, sample.value])).toEqual([["xx-test-1", 1], ["xx-test-1", 1], ["xx-test-1", 1]]);
    expect(services.requests).toHaveLength(3);
    // The exporter's own target goes where the override says too, not to the table's host.
    expect(samplesOf(parseExposition((await scrape(started.url)).text), "codearts_service_up").map((sample) => sample.value)).toEqual([1, 1, 1]);
    expect(services.requests).toHaveLength(6);
    const unnamed = await scrape(`${started.base}/probe?region=xx-test-2`);
    expect(unnamed.status).toBe(400);
    expect(unnamed.text).toContain("unknown region");
    expect(services.requests).toHaveLength(6);
  });

  it.each([
    ["a project ID of the wrong length", `project_id=${PROJECT.slice(1)}`, "project_id must be 32 letters and digits"],
    ["a tenant ID with a slash", `tenant_id=${TENANT.slice(1)}/`, "tenant_id must be 32 letters and digits"],
    ["a path traversal", "tenant_id=..", "tenant_id must be 32 letters and digits"],
    ["an unknown region, with the closest known one", "region=cn-nort-4", "unknown region; did you mean cn-north-4?"],
    ["an unknown parameter", "projectid=x", 'unknown parameter "projectid"'],
    ["an unknown parameter with a quote and a backslash, escaped once (by the answer), not twice", "a%22b%5Cc=x", 'unknown parameter "a"b\\\\c"'],
    ["a long unknown parameter, cut at 64 characters and never inside a pair", `${"x".repeat(63)}%F0%9F%98%80y=1`, `unknown parameter "${"x".repeat(63)}\u{1f600}…"`],
    ["a parameter given twice", `project_id=${PROJECT}&project_id=${OTHER_PROJECT}`, "project_id is given more than once"],
  ])("answers 400 to %s, and asks no service", async (_, query, message) => {
    const started = await exporter();
    const response = await scrape(`${started.base}/probe?${query}`);
    expect(response.status).toBe(400);
    expect(response.text).toContain(message);
    expect(services.requests).toEqual([]);
  });
});

describe("HTTP", () => {
  it("answers 404 elsewhere, 405 with Allow to other methods, and HEAD without a body", async () => {
    const started = await exporter();
    expect((await fetch(`${started.base}/metric`)).status).toBe(404);
    const post = await fetch(started.url, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    const head = await fetch(started.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(0);
  });
});
