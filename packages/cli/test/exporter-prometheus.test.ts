// The exporter as Prometheus sees it: Debian's prometheus (installed by
// scripts/ensure-prometheus.mjs, never a downloaded binary) scrapes the exporter running against
// the embedded mock, with the shipped scrape configuration (deploy/prometheus.yml, pointed at
// 127.0.0.1 ports the OS picked), and the series are read back through Prometheus's HTTP API.
// promtool checks the shipped configuration and runs the shipped rules' unit tests.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { parameterExample } from "@codearts-package-status/test-support";
import { startExporter, type RunningExporter } from "./support/exporter.js";
import { startPrometheus, type RunningPrometheus } from "./support/prometheus.js";

const PROMTOOL = process.env.PROMTOOL_PATH ?? "/usr/bin/promtool";
const DEPLOY = fileURLToPath(new URL("../deploy/", import.meta.url));
const SHIPPED_ADDRESS = "127.0.0.1:9842";
const PROJECT = String(parameterExample("ProjectId"));
const TENANT = String(parameterExample("TenantId"));
const run = promisify(execFile);

interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

let dir: string;
let exporter: RunningExporter;
let prometheus: RunningPrometheus | undefined;
let api: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "codearts-exporter-prometheus-"));
  exporter = await startExporter(["--mock", "--listen", "127.0.0.1:0"]);

  // The shipped configuration, only faster and pointed at this exporter.
  const config = parse(readFileSync(path.join(DEPLOY, "prometheus.yml"), "utf8")) as {
    global: Record<string, string>;
    rule_files: string[];
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }>; relabel_configs?: Array<Record<string, unknown>> }>;
  };
  config.global = { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" };
  config.rule_files = config.rule_files.map((file) => path.join(DEPLOY, file));
  const text = stringify(config).replaceAll(SHIPPED_ADDRESS, exporter.address);
  expect(text).not.toContain(SHIPPED_ADDRESS);
  writeFileSync(path.join(dir, "prometheus.yml"), text);

  prometheus = await startPrometheus(path.join(dir, "prometheus.yml"), dir);
  api = prometheus.api;
});

afterAll(async () => {
  await prometheus?.stop();
  expect(await exporter.stop()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

async function query(expression: string): Promise<Series[]> {
  const response = await fetch(`${api}/query?query=${encodeURIComponent(expression)}`);
  const body = (await response.json()) as { status: string; data: { result: Series[] } };
  expect(body.status).toBe("success");
  return body.data.result;
}

// Polls until Prometheus has scraped what `expression` asks for, or fails with its log.
async function scraped(expression: string, count: number): Promise<Series[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await query(expression).catch(() => []);
    if (result.length >= count) return result;
    if (prometheus?.exitCode() !== null) throw new Error(`Prometheus exited with ${prometheus?.exitCode()}; its log:\n${prometheus?.log()}`);
    if (Date.now() > deadline) throw new Error(`Prometheus did not scrape ${expression} within 30 s; its log:\n${prometheus?.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("a real Prometheus with the shipped scrape configuration", () => {
  it("scrapes /metrics for the exporter's own metrics only: the packages come once, through /probe", async () => {
    expect(await scraped('codearts_exporter_build_info{job="codearts-package-status"}', 1)).toHaveLength(1);
    expect(await scraped('codearts_exporter_collections_total{job="codearts-package-status"}', 1)).toHaveLength(1);
    expect(await scraped('up{job="codearts-package-status"} == 1', 1)).toHaveLength(1);
    expect(await query('{job="codearts-package-status",__name__=~"codearts_(package|service|probe)_.*"}')).toEqual([]);
  });

  it("probes a target through /probe, relabelled as blackbox_exporter does: the target is the instance, its region a label", async () => {
    const target = `cn-north-4/${PROJECT}/${TENANT}`;
    const remaining = await scraped('codearts_package_remaining_seconds{job="codearts-package-status-probe"}', 6);
    expect(new Set(remaining.map((series) => series.metric.instance))).toEqual(new Set([target]));
    expect(new Set(remaining.map((series) => series.metric.region))).toEqual(new Set(["cn-north-4"]));
    const artifact = remaining.filter((series) => series.metric.service === "artifact");
    expect(artifact.map((series) => [series.metric.resource, series.value[1]]).sort()).toEqual([
      ["codeartsStorageExtension", String(11 * 86400)],
      ["codeartsTrafficExtension", String(11 * 86400)],
    ]);
    const info = await scraped('codearts_package_info{job="codearts-package-status-probe",status="does not expire"}', 1);
    expect(info[0]?.metric).toMatchObject({ service: "pipeline", resource: "CodeArts Combo", instance: target });
    const services = await scraped('codearts_service_up{job="codearts-package-status-probe"}', 3);
    expect(services.map((series) => series.value[1])).toEqual(["1", "1", "1"]);
    const up = await scraped('up{job="codearts-package-status-probe"}', 1);
    expect(up[0]?.value[1]).toBe("1");
    // /probe answers for the target only.
    expect(await query('codearts_exporter_build_info{job="codearts-package-status-probe"}')).toEqual([]);
  });

  it("loads the shipped alerting rules, and the expiry alert fires once for each package with 11 days left", async () => {
    await scraped('ALERTS{alertname="CodeArtsPackageExpiringSoon"}', 2);
    // Both jobs scraped, and the rules evaluated a few times after that: an alert that two
    // jobs' series raise has had every chance to appear twice.
    await scraped('up{job=~"codearts-package-status|codearts-package-status-probe"} == 1', 2);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const alerts = await query("ALERTS");
    expect(alerts.map((series) => [series.metric.alertname, series.metric.service, series.metric.resource, series.metric.severity]).sort()).toEqual([
      ["CodeArtsPackageExpiringSoon", "artifact", "codeartsStorageExtension", "warning"],
      ["CodeArtsPackageExpiringSoon", "artifact", "codeartsTrafficExtension", "warning"],
    ]);
  });
});

describe("promtool", () => {
  it("accepts the exporter's /metrics and /probe answers (check metrics)", async () => {
    for (const url of [exporter.url, `${exporter.base}/probe?region=cn-north-4&project_id=${PROJECT}&tenant_id=${TENANT}`]) {
      const text = await (await fetch(url)).text();
      const check = spawn(PROMTOOL, ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
      let output = "";
      check.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      check.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      check.stdin.end(text);
      const code = await new Promise((resolve) => check.once("exit", resolve));
      expect({ url, code, output }).toEqual({ url, code: 0, output: "" });
    }
  });

  it("passes the shipped rules' unit tests (test rules)", async () => {
    const { stdout } = await run(PROMTOOL, ["test", "rules", "codearts-package-status.rules.test.yml"], { cwd: DEPLOY });
    expect(stdout).toContain("SUCCESS");
  });

  it("accepts the shipped scrape configuration and its rule file (check config)", async () => {
    const { stdout } = await run(PROMTOOL, ["check", "config", "prometheus.yml"], { cwd: DEPLOY });
    expect(stdout).toContain("SUCCESS: prometheus.yml is valid prometheus config file syntax");
    expect(stdout).toContain("SUCCESS: 4 rules found");
  });
});
