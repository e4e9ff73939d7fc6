// The exporter in production: the work in flight is bounded however many scrapes arrive, every
// scrape answers within the deadline Prometheus sends (what did not finish is a service down with
// a `timeout` failure), a collection no scrape waits for any more is cancelled, answers are
// rendered once per collection and capped in series, and expiry is a fixed timestamp too.
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parameterExample, startTestServer, type TestServer } from "@codearts-package-status/test-support";
import { EXPORTER_DEFAULTS } from "../src/usage.js";
import { ONE_PACKAGE_EACH, parseExposition, samplesOf, startExporter, type RunningExporter, type Service } from "./support/exporter.js";

const PROJECT = String(parameterExample("ProjectId"));
const TENANT = String(parameterExample("TenantId"));
const TOKEN_ENV = { HUAWEICLOUD_SDK_TOKEN: "exporter-bounds-token-0123456789" };
const project = (n: number) => n.toString(16).padStart(32, "0");

// Each service's delay and answer, changed by the tests; the requests in flight, counted.
let delays: Record<Service, number>;
let bodies: Record<Service, unknown>;
let inFlight = 0;
let mostInFlight = 0;
let server: TestServer;
let flags: string[];
let running: RunningExporter[] = [];

const reset = () => {
  delays = { artifact: 0, check: 0, pipeline: 0 };
  bodies = { artifact: ONE_PACKAGE_EACH.artifact.body, check: ONE_PACKAGE_EACH.check.body, pipeline: ONE_PACKAGE_EACH.pipeline.body };
  // Not inFlight: a test's abandoned requests still end after it.
  mostInFlight = inFlight;
};
reset();

beforeAll(async () => {
  server = await startTestServer(async (request, response) => {
    const service: Service = request.url.startsWith("/devreposerver/") ? "artifact" : request.url.startsWith("/v4/") ? "check" : "pipeline";
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    // A request the exporter gave up on ends here, not when its delay is over.
    let closed = false;
    const done = new Promise<void>((resolve) => response.once("close", () => ((closed = true), resolve())));
    try {
      await Promise.race([new Promise((resolve) => setTimeout(resolve, delays[service])), done]);
    } finally {
      inFlight--;
    }
    return closed ? undefined : { status: 200, body: bodies[service] };
  });
  flags = ["--endpoint-artifact", server.url, "--endpoint-check", server.url, "--endpoint-pipeline", server.url];
});
afterAll(() => server.close());
afterEach(async () => {
  await Promise.all(running.map((exporter) => exporter.stop("SIGKILL")));
  running = [];
  reset();
});

async function exporter(extra: string[] = []): Promise<RunningExporter> {
  const started = await startExporter(["--listen", "127.0.0.1:0", "--project-id", PROJECT, "--tenant-id", TENANT, ...flags, ...extra], TOKEN_ENV);
  running.push(started);
  return started;
}

const probe = async (base: string, projectId: string, init: RequestInit & { timeoutSeconds?: number } = {}) => {
  const headers = init.timeoutSeconds === undefined ? {} : { "X-Prometheus-Scrape-Timeout-Seconds": String(init.timeoutSeconds) };
  const started = performance.now();
  const response = await fetch(`${base}/probe?project_id=${projectId}&tenant_id=${TENANT}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, text, seconds: (performance.now() - started) / 1000 };
};
const upOf = (text: string) => Object.fromEntries(samplesOf(parseExposition(text), "codearts_service_up").map((s) => [s.labels.service, s.value]));
const ownMetric = async (started: RunningExporter, name: string) => samplesOf(parseExposition(await (await fetch(started.url)).text()), name)[0]?.value;

describe("--max-concurrent", () => {
  it("100 concurrent probes of distinct targets never put more than 3 × --max-concurrent calls in flight, and every one is answered", async () => {
    delays = { artifact: 20, check: 20, pipeline: 20 };
    const started = await exporter(["--max-concurrent", "2", "--cache-seconds", "0"]);
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => probe(started.base, project(i + 1))));
    expect(answers.every((answer) => answer.status === 200 && Object.values(upOf(answer.text)).every((up) => up === 1))).toBe(true);
    expect(mostInFlight).toBeGreaterThan(0);
    expect(mostInFlight).toBeLessThanOrEqual(3 * 2);
    expect(await ownMetric(started, "codearts_exporter_collections_in_flight")).toBe(0);
    expect(await ownMetric(started, "codearts_exporter_collections_waiting")).toBe(0);
  });

  it("a probe that cannot get a slot before its deadline answers in time, every service down with a timeout", async () => {
    delays = { artifact: 10_000, check: 10_000, pipeline: 10_000 };
    const started = await exporter(["--max-concurrent", "1"]);
    const first = probe(started.base, project(1), { timeoutSeconds: 2 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await probe(started.base, project(2), { timeoutSeconds: 1.5 });
    expect(second.status).toBe(200);
    expect(second.seconds).toBeLessThan(1.5);
    expect(upOf(second.text)).toEqual({ artifact: 0, check: 0, pipeline: 0 });
    await first;
  });

  it("a collection every scrape has left is cancelled: its slot goes to the next target at once", async () => {
    delays = { artifact: 30_000, check: 30_000, pipeline: 30_000 };
    const started = await exporter(["--max-concurrent", "1"]);
    const leaving = new AbortController();
    const abandoned = probe(started.base, project(1), { signal: leaving.signal }).catch(() => undefined);
    const before = inFlight;
    await expect.poll(() => inFlight).toBe(before + 3);
    leaving.abort();
    await abandoned;
    // The upstream requests of the abandoned collection are dropped, and the slot is free.
    await expect.poll(() => inFlight).toBe(before);
    delays = { artifact: 0, check: 0, pipeline: 0 };
    const next = await probe(started.base, project(2), { timeoutSeconds: 5 });
    expect(upOf(next.text)).toEqual({ artifact: 1, check: 1, pipeline: 1 });
  });
});

describe("scrape deadlines", () => {
  it("with the header saying 3 s and a service that takes 20 s, /probe answers within 3 s with that service down as a timeout, the others up", async () => {
    delays = { artifact: 0, check: 20_000, pipeline: 0 };
    const started = await exporter();
    const answer = await probe(started.base, project(1), { timeoutSeconds: 3 });
    expect(answer.seconds).toBeLessThan(3);
    expect(upOf(answer.text)).toEqual({ artifact: 1, check: 0, pipeline: 1 });
    expect(samplesOf(parseExposition(answer.text), "codearts_package_info").map((s) => s.labels.service).sort()).toEqual(["artifact", "pipeline"]);
    await expect.poll(() => started.stderr()).toMatch(/CodeArts Check: no answer from 127\.0\.0\.1:\d+ within the deadline of 2\.\d s/);
    const own = parseExposition(await (await fetch(started.url, { headers: { "X-Prometheus-Scrape-Timeout-Seconds": "3" } })).text());
    expect(samplesOf(own, "codearts_exporter_service_failures_total").find((s) => s.labels.service === "check")?.labels.kind).toBe("timeout");
  });

  it("the default deadline without the header fits the scrape_timeout of the shipped prometheus.yml", () => {
    const shipped = readFileSync(new URL("../deploy/prometheus.yml", import.meta.url), "utf8");
    const timeouts = [...shipped.matchAll(/^\s*scrape_timeout:\s*(\d+)s\s*$/gm)].map((match) => Number(match[1]));
    expect(timeouts.length).toBeGreaterThan(0);
    for (const seconds of timeouts) expect(seconds).toBe(EXPORTER_DEFAULTS.scrapeTimeoutSeconds);
  });
});

describe("answers", () => {
  it("are rendered once per collection: cached scrapes serve the same text, only the cache age moving, and expiry is a fixed timestamp", async () => {
    const started = await exporter(["--cache-seconds", "300"]);
    const before = Date.now() / 1000;
    const first = await probe(started.base, project(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await probe(started.base, project(1));
    const withoutAge = (text: string) => text.replace(/^codearts_probe_cache_age_seconds .*$/m, "");
    expect(withoutAge(second.text)).toBe(withoutAge(first.text));
    const age = (text: string) => samplesOf(parseExposition(text), "codearts_probe_cache_age_seconds")[0]!.value;
    expect(age(second.text)).toBeGreaterThan(age(first.text));
    const expiry = samplesOf(parseExposition(first.text), "codearts_package_expiry_timestamp_seconds");
    const remaining = samplesOf(parseExposition(first.text), "codearts_package_remaining_seconds");
    expect(expiry.map((s) => s.labels)).toEqual(remaining.map((s) => s.labels));
    for (const [i, sample] of expiry.entries()) {
      expect(sample.value - remaining[i]!.value).toBeGreaterThanOrEqual(before);
      expect(sample.value - remaining[i]!.value).toBeLessThanOrEqual(Date.now() / 1000);
    }
  });

  it("--max-series keeps the soonest to expire, and counts what it left out in the exporter's own metrics", async () => {
    bodies.artifact = { status: "success", result: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`ext${String(i).padStart(2, "0")}`, { packageStatus: 2, remainDays: 100 - i }])) };
    bodies.pipeline = [];
    bodies.check = { result: {} };
    const started = await exporter(["--max-series", "30"]);
    // /metrics: its own target's collection, and the exporter's metrics counting it.
    const answer = parseExposition(await (await fetch(started.url)).text());
    // Three series per expiring package (remaining, expiry, info): ten packages, the ten soonest.
    expect(samplesOf(answer, "codearts_package_remaining_seconds").map((s) => s.value / 86_400).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 51 + i));
    expect(samplesOf(answer, "codearts_exporter_series_dropped_total")[0]?.value).toBe(40 * 3);
  });
});

describe("health", () => {
  it.each([
    ["/-/healthy", "Healthy.\n"],
    ["/-/ready", "Ready.\n"],
  ])("%s answers 200 without asking any service", async (path, body) => {
    const started = await exporter();
    const response = await fetch(`${started.base}${path}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(body);
    expect(mostInFlight).toBe(0);
  });
});
