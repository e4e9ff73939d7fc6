// The exporter at fleet scale (issue 22): the real bin in its own process, a loopback upstream
// standing in for CodeArts Artifact, Check and Pipeline (each answer after a fixed delay, so that
// calls overlap as they would against a real service), and /probe for many distinct targets:
//   fleet        for N targets (100, 1,000, 10,000), a fresh exporter, N distinct /probe in a
//                bounded pool of clients, then the same N again: upstream calls per target (the
//                second pass must make none within --cache-seconds), scrape latency p50/p99,
//                resident memory (VmRSS after, VmHWM for the peak) against the idle exporter
//   burst        1,000 distinct /probe sent at once to a fresh exporter: the most calls the
//                upstream saw in flight, against 3 × --max-concurrent, and whether memory comes
//                back once they are answered
//   large        one target whose Artifact answer has 150,000 extensions: four concurrent scrapes
//                of it once cached, timed together, with the default --max-series and with
//                --max-series 200000; how long /-/healthy waits while it is first collected; and
//                whether a second such target is answered within Prometheus's default 10 s
// Memory is read from /proc, so this runs on Linux only. Resident memory says little about what
// is held until V8 collects its garbage, which it does when it likes: the exporter is started
// with --expose-gc and a preload (lib/gc-on-signal.cjs) that runs a full collection on SIGUSR2,
// and memory per target is read after one, at the start and at the end alike. The exporter's own
// /metrics (codearts_exporter_cached_targets, codearts_exporter_collections_in_flight, its heap)
// is read as a cross-check of what the upstream counted. Every wait is bounded.
//   --quick      100 and 1,000 targets only, one round of the large target (its memory slope
//                is then taken from 100 targets, whose fixed cost of serving the probes is smaller:
//                for trying the script out, not for BENCHMARKS.md)
//   --json FILE  write the results and the table for run.mjs
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { args, fmt, machine, median, now, repoRoot, table } from "./lib/common.mjs";

const a = args();
const quick = Boolean(a.quick);
const SIZES = quick ? [100, 1000] : [100, 1000, 10_000];
const CLIENTS = 200;
const BURST = 1000;
const LARGE_ROWS = 150_000;
const LARGE_ROUNDS = quick ? 1 : 3;
const UPSTREAM_DELAY_MS = 20;
// The exporter's default; the goal is stated against it, so the bench does not pass it.
const MAX_CONCURRENT = 4;
const MAX_TARGETS = 20_000;
// A scrape timeout far above any wait here: the deadline would otherwise answer queued probes
// with a `timeout` failure, and this measures the work, not the deadline.
const SCRAPE_HEADERS = { "X-Prometheus-Scrape-Timeout-Seconds": "60" };
const START_TIMEOUT_MS = 30_000;
const PASS_TIMEOUT_MS = 240_000;

const bin = path.join(repoRoot, "packages/cli/bin/codearts-package-status.js");
const gcPreload = path.join(path.dirname(new URL(import.meta.url).pathname), "lib/gc-on-signal.cjs");
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
const TENANT = "0123456789abcdef0123456789abcdef";
// The exporter's own target (/metrics) and the large one are kept apart from the fleet's IDs.
const OWN_PROJECT = "ffffffffffffffffffffffffffffffff";
const LARGE_PROJECT = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
// A second large target, first scraped with Prometheus's default 10 s scrape timeout.
const LARGE_PROJECT_10S = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee1";
const projectOf = (i) => i.toString(16).padStart(32, "0");

const ARTIFACT = JSON.stringify({ status: "success", result: { ext: { packageStatus: 2, remainDays: 11 } } });
const CHECK = JSON.stringify({ result: { main_resource_list: [], other_resource_list: [], tips: null } });
const PIPELINE = "[]";

/** The 150,000-extension Artifact answer, as prepared text (each extension a distinct series, expiring on different days). */
function largeArtifact() {
  const parts = new Array(LARGE_ROWS);
  for (let i = 0; i < LARGE_ROWS; i++) parts[i] = `"ext-${i}":{"packageStatus":2,"remainDays":${i % 365},"resourceId":"res-${i}","serviceType":"bench"}`;
  return `{"status":"success","result":{${parts.join(",")}}}`;
}

/** The stand-in for the three services; counts every call, the most in flight, and calls per (service, project). */
async function startUpstream() {
  const large = largeArtifact();
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0, unknown: 0, perKey: new Map() };
  const server = http.createServer((req, res) => {
    stats.calls++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.once("close", () => stats.inFlight--);
    const url = new URL(req.url ?? "/", "http://upstream.invalid");
    const project = url.searchParams.get("project_id") ?? "";
    let service;
    let body;
    if (url.pathname === "/devreposerver/v5/data/package/info") [service, body] = ["artifact", project.startsWith("eeee") ? large : ARTIFACT];
    else if (url.pathname === "/v4/tenant/tenant-package-status") [service, body] = ["check", CHECK];
    else if (/^\/v5\/[^/]+\/api\/package-specs\/count-down$/.test(url.pathname)) [service, body] = ["pipeline", PIPELINE];
    if (!service) {
      stats.unknown++;
      res.writeHead(404).end();
      return;
    }
    const key = `${service} ${project}`;
    stats.perKey.set(key, (stats.perKey.get(key) ?? 0) + 1);
    setTimeout(() => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) });
      res.end(body);
    }, UPSTREAM_DELAY_MS);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    stats,
    reset() {
      Object.assign(stats, { calls: 0, maxInFlight: stats.inFlight, unknown: 0, perKey: new Map() });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Resident and peak resident memory of a process, in bytes. */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

/** CPU time a process has used, user and system, in ms. */
function cpuOf(pid) {
  // The command name (field 2) may hold spaces: the fields are counted after its closing parenthesis.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** Samples a process's VmRSS every 50 ms (VmHWM only says the peak of the whole life, start-up included). */
function rssSampler(pid) {
  let max = 0;
  const take = () => {
    try {
      max = Math.max(max, memoryOf(pid).rss);
    } catch {
      /* exited */
    }
  };
  take();
  const timer = setInterval(take, 50);
  return {
    stop() {
      clearInterval(timer);
      take();
      return max;
    },
  };
}

/** One GET; resolves with its status, duration in ms, body size, and the body when asked. */
function get(port, pathAndQuery, agent, { keep = false, headers = SCRAPE_HEADERS } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const req = http.request({ host: "127.0.0.1", port, path: pathAndQuery, agent, headers }, (res) => {
      const chunks = [];
      let bytes = 0;
      res.on("data", (chunk) => {
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      });
      res.on("end", () => resolve({ status: res.statusCode, ms: now() - t0, bytes, body: keep ? Buffer.concat(chunks).toString("utf8") : undefined }));
      res.on("error", reject);
    });
    req.setTimeout(90_000, () => req.destroy(new Error(`no answer to ${pathAndQuery} within 90 s`)));
    req.on("error", reject).end();
  });
}

const probePath = (project) => `/probe?project_id=${project}`;

/** GETs every path from `clients` concurrent clients; returns the sorted latencies and the wall time. */
async function pool(port, paths, clients, agent) {
  const latencies = [];
  let next = 0;
  const deadline = now() + PASS_TIMEOUT_MS;
  const t0 = now();
  const client = async () => {
    while (next < paths.length) {
      if (now() > deadline) throw new Error(`pass did not finish within ${PASS_TIMEOUT_MS} ms`);
      const { status, ms } = await get(port, paths[next++], agent);
      if (status !== 200) throw new Error(`HTTP ${status}`);
      latencies.push(ms);
    }
  };
  await Promise.all(Array.from({ length: Math.min(clients, paths.length) }, client));
  return { latencies: latencies.sort((x, y) => x - y), wallMs: now() - t0 };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** The exporter's own samples (no labels) from /metrics, by name. */
async function ownMetrics(port) {
  const { status, body } = await get(port, "/metrics", undefined, { keep: true });
  if (status !== 200) throw new Error(`/metrics: HTTP ${status}`);
  const out = {};
  for (const line of body.split("\n")) {
    const m = /^([a-z_:]+) (\S+)$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** Starts the bin; resolves once it has printed its /metrics URL. */
async function startExporter(upstream, extra = []) {
  await builtCli();
  // An empty HOME: no credentials or regions file of the machine's is read.
  const home = mkdtempSync(path.join(os.tmpdir(), "bench-exporter-home-"));
  const argv = [bin, "exporter", "--listen", "127.0.0.1:0", "--endpoint-artifact", upstream.url, "--endpoint-check", upstream.url, "--endpoint-pipeline", upstream.url, "--tenant-id", TENANT, "--project-id", OWN_PROJECT, "--max-targets", String(MAX_TARGETS), ...extra];
  // Only what it needs: a proxy variable of the machine's would route loopback calls elsewhere.
  const env = { PATH: process.env.PATH, HOME: home, HUAWEICLOUD_SDK_TOKEN: "bench-token-0123456789", CODEARTS_ECS_METADATA_DISABLED: "true" };
  const child = spawn(process.execPath, ["--expose-gc", "--require", gcPreload, ...argv], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    if (stderr.length < 20_000) stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(`exited (${code ?? signal})`)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      if ((await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])) === undefined) child.kill("SIGKILL");
      await exited;
    }
    rmSync(home, { recursive: true, force: true });
  };
  let out = "";
  const url = await Promise.race([
    new Promise((resolve) =>
      child.stdout.on("data", (chunk) => {
        out += chunk;
        const m = /(http:\/\/127\.0\.0\.1:(\d+))\/metrics/.exec(out);
        if (m) resolve(m[2]);
      }),
    ),
    exited.then((state) => Promise.reject(new Error(`the exporter ${state} before listening: ${stderr}`))),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`the exporter printed no URL within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)),
  ]).catch(async (error) => {
    await stop();
    throw error;
  });
  const port = Number(url);
  // Its own target collected, and prom-client and the client loaded: the idle state a fleet starts from.
  await get(port, "/metrics");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const running = { port, pid: child.pid, stop, stderr: () => stderr };
  running.idle = memoryOf(child.pid);
  running.idleCollected = await collected(running);
  return running;
}

/** Waits (up to 3 minutes) while the cli's dist is missing: a build in the same tree empties it first. */
async function builtCli() {
  const entry = path.join(repoRoot, "packages/cli/dist/index.js");
  for (const t0 = now(); !existsSync(entry); ) {
    if (now() - t0 > 180_000) throw new Error("packages/cli/dist is missing: run `pnpm --filter @codearts-package-status/cli build` first");
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  // A build writes its files one after the other: a moment for the rest to land.
  await new Promise((resolve) => setTimeout(resolve, 2000));
}

/** Resident memory and heap in use right after a full garbage collection in the exporter. */
async function collected(exporter) {
  process.kill(exporter.pid, "SIGUSR2");
  // The collection runs on the exporter's one thread, so /metrics is answered after it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const own = await ownMetrics(exporter.port);
  return { rss: memoryOf(exporter.pid).rss, heap: own.nodejs_heap_size_used_bytes };
}

/** N distinct targets twice through a pool of CLIENTS clients. */
async function fleet(upstream, n) {
  const exporter = await startExporter(upstream);
  try {
    const paths = Array.from({ length: n }, (_, i) => probePath(projectOf(i)));
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    upstream.reset();
    const sampler = rssSampler(exporter.pid);
    const cpu0 = cpuOf(exporter.pid);
    const first = await pool(exporter.port, paths, CLIENTS, agent);
    const cpu1 = cpuOf(exporter.pid);
    const firstCalls = upstream.stats.calls;
    const maxInFlight = upstream.stats.maxInFlight;
    const afterFirst = memoryOf(exporter.pid);
    const second = await pool(exporter.port, paths, CLIENTS, agent);
    const cpu2 = cpuOf(exporter.pid);
    const secondCalls = upstream.stats.calls - firstCalls;
    agent.destroy();
    const own = await ownMetrics(exporter.port);
    const sampledPeak = sampler.stop();
    const end = memoryOf(exporter.pid);
    const endCollected = await collected(exporter);
    const perKey = [...upstream.stats.perKey.values()];
    return {
      targets: n,
      firstCalls,
      secondCalls,
      unknownCalls: upstream.stats.unknown,
      maxCallsPerServiceAndTarget: Math.max(...perKey),
      keys: perKey.length,
      maxInFlight,
      first: { p50: median(first.latencies), p99: percentile(first.latencies, 0.99), wallMs: first.wallMs },
      second: { p50: median(second.latencies), p99: percentile(second.latencies, 0.99), wallMs: second.wallMs },
      cpuMsPerCollection: (cpu1 - cpu0) / n,
      cpuMsPerCachedScrape: (cpu2 - cpu1) / n,
      idleRss: exporter.idle.rss,
      idleCollected: exporter.idleCollected,
      endCollected,
      rssAfterFirst: afterFirst.rss,
      rssEnd: end.rss,
      sampledPeakRss: sampledPeak,
      peakRss: end.peak,
      cachedTargets: own.codearts_exporter_cached_targets,
      collectionsTotal: own.codearts_exporter_collections_total,
      heapUsed: own.nodejs_heap_size_used_bytes,
    };
  } finally {
    await exporter.stop();
  }
}

/** BURST distinct /probe sent at once, each on its own connection. */
async function burst(upstream) {
  const exporter = await startExporter(upstream);
  try {
    const before = await ownMetrics(exporter.port);
    upstream.reset();
    // The exporter's own count of collections in flight, read while the burst runs (its own
    // target is cached, so /metrics answers without waiting for a slot).
    let ownMaxInFlight = 0;
    let ownMaxWaiting = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const own = await ownMetrics(exporter.port).catch(() => ({}));
        ownMaxInFlight = Math.max(ownMaxInFlight, own.codearts_exporter_collections_in_flight ?? 0);
        ownMaxWaiting = Math.max(ownMaxWaiting, own.codearts_exporter_collections_waiting ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const sampler = rssSampler(exporter.pid);
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    const t0 = now();
    const answers = await Promise.all(Array.from({ length: BURST }, (_, i) => get(exporter.port, probePath(projectOf(1_000_000 + i)), agent)));
    const wallMs = now() - t0;
    polling = false;
    await poller;
    const peakDuring = sampler.stop();
    const rightAfter = memoryOf(exporter.pid).rss;
    // Time for the garbage of 1,000 requests to be collected and the sockets to close.
    const settled = [];
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      settled.push(memoryOf(exporter.pid).rss);
    }
    const after = await ownMetrics(exporter.port);
    const endCollected = await collected(exporter);
    const latencies = answers.map((x) => x.ms).sort((x, y) => x - y);
    return {
      requests: BURST,
      non200: answers.filter((x) => x.status !== 200).length,
      calls: upstream.stats.calls,
      maxInFlight: upstream.stats.maxInFlight,
      ownMaxInFlight,
      ownMaxWaiting,
      wallMs,
      p50: median(latencies),
      p99: percentile(latencies, 0.99),
      idleRss: exporter.idle.rss,
      peakDuring,
      rightAfter,
      settledRss: settled.at(-1),
      idleCollected: exporter.idleCollected,
      endCollected,
      cachedTargets: after.codearts_exporter_cached_targets,
      inFlightAfter: after.codearts_exporter_collections_in_flight,
      collections: after.codearts_exporter_collections_total - before.codearts_exporter_collections_total,
    };
  } finally {
    await exporter.stop();
  }
}

/** The 150,000-row target: its first scrape, then LARGE_ROUNDS rounds of four concurrent scrapes of it cached. */
async function large(upstream, extra) {
  const exporter = await startExporter(upstream, extra);
  try {
    upstream.reset();
    const sampler = rssSampler(exporter.pid);
    const target = probePath(LARGE_PROJECT);
    // The exporter answers on one thread: how long /-/healthy waits while the large target is
    // collected and rendered is how long every other scrape waits.
    let healthyMaxMs = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        healthyMaxMs = Math.max(healthyMaxMs, (await get(exporter.port, "/-/healthy")).ms);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const first = await get(exporter.port, target, undefined, { keep: true });
    polling = false;
    await poller;
    if (first.status !== 200) throw new Error(`large target: HTTP ${first.status}`);
    const series = first.body.split("\n").filter((line) => line.startsWith("codearts_package_")).length;
    const up = [...first.body.matchAll(/^codearts_service_up\{service="(\w+)"[^}]*\} (\d)/gm)].map((m) => `${m[1]}=${m[2]}`);
    const rounds = [];
    for (let i = 0; i < LARGE_ROUNDS; i++) {
      const t0 = now();
      await Promise.all(Array.from({ length: 4 }, () => get(exporter.port, target)));
      rounds.push(now() - t0);
    }
    const own = await ownMetrics(exporter.port);
    const peakRss = sampler.stop();
    const endRss = memoryOf(exporter.pid).rss;
    const endCollected = await collected(exporter);
    const calls = upstream.stats.calls;
    // Last, so that the memory above holds one large target: Prometheus sends its scrape timeout
    // (10 s unless configured) and the exporter answers within it, collected or not.
    const tenSeconds = await get(exporter.port, probePath(LARGE_PROJECT_10S), undefined, { keep: true, headers: { "X-Prometheus-Scrape-Timeout-Seconds": "10" } });
    const tenSecondsUp = /^codearts_service_up\{service="artifact"[^}]*\} 1/m.test(tenSeconds.body);
    return {
      tenSeconds: { ms: tenSeconds.ms, artifactUp: tenSecondsUp },
      healthyMaxMs,
      endCollected,
      idleCollected: exporter.idleCollected,
      maxSeries: extra.length ? Number(extra[1]) : 10_000,
      firstMs: first.ms,
      bytes: first.bytes,
      series,
      up: up.join(", "),
      dropped: own.codearts_exporter_series_dropped_total,
      calls,
      rounds,
      idleRss: exporter.idle.rss,
      peakRss,
      endRss,
    };
  } finally {
    await exporter.stop();
  }
}

const MiB = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const KiB = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (v) => `${fmt.ms(v)} ms`;
const verdict = (ok) => (ok ? "**met**" : "**not met**");

/** The commit measured, and whether the exporter's sources differ from it. */
function commit() {
  const git = (...argv) => execFileSync("git", argv, { cwd: repoRoot, encoding: "utf8" }).trim();
  try {
    const dirty = git("status", "--porcelain", "--", "packages/cli/src", "packages/client/src") !== "";
    return `\`${git("rev-parse", "--short", "HEAD")}\`${dirty ? " (with uncommitted changes to the cli or client sources)" : ""}`;
  } catch {
    return "unknown";
  }
}

async function main() {
  if (process.platform !== "linux") throw new Error("memory is read from /proc: run this on Linux");
  const loadAtStart = os.loadavg()[0].toFixed(1);
  const started = now();
  const upstream = await startUpstream();
  const results = { fleet: [], burst: undefined, large: [] };
  try {
    for (const n of SIZES) {
      console.log(`fleet: ${fmt.int(n)} targets`);
      results.fleet.push(await fleet(upstream, n));
      console.log(JSON.stringify(results.fleet.at(-1)));
    }
    console.log(`burst: ${BURST} distinct /probe at once`);
    results.burst = await burst(upstream);
    console.log(JSON.stringify(results.burst));
    for (const extra of [[], ["--max-series", "200000"]]) {
      console.log(`large: ${fmt.int(LARGE_ROWS)} rows ${extra.join(" ") || "(default --max-series)"}`);
      results.large.push(await large(upstream, extra));
      console.log(JSON.stringify(results.large.at(-1)));
    }
  } finally {
    await upstream.close();
  }
  const totalMs = now() - started;

  // Per target, both after a full collection in the exporter: resident memory (what the machine
  // gives it) and heap in use (what it holds).
  const rssPerTarget = (r) => (r.endCollected.rss - r.idleCollected.rss) / r.targets;
  const heapPerTarget = (r) => (r.endCollected.heap - r.idleCollected.heap) / r.targets;
  const fleetTable = table(
    ["targets", "upstream calls, 1st pass (per target)", "2nd pass, same targets", "most calls in flight upstream", "scrape p50 / p99, 1st pass", "2nd pass (cached)", "1st pass wall time", "exporter CPU per collection / cached scrape", "RSS idle → end (peak, VmHWM)", "after a full GC: RSS per target", "heap per target", "cached targets (gauge)"],
    results.fleet.map((r) => [
      fmt.int(r.targets),
      `${fmt.int(r.firstCalls)} (${(r.firstCalls / r.targets).toFixed(2)})`,
      fmt.int(r.secondCalls),
      String(r.maxInFlight),
      `${ms(r.first.p50)} / ${ms(r.first.p99)}`,
      `${ms(r.second.p50)} / ${ms(r.second.p99)}`,
      fmt.s(r.first.wallMs),
      `${ms(r.cpuMsPerCollection)} / ${ms(r.cpuMsPerCachedScrape)}`,
      `${MiB(r.idleRss)} → ${MiB(r.rssEnd)} (${MiB(r.peakRss)})`,
      KiB(rssPerTarget(r)),
      `**${KiB(heapPerTarget(r))}**`,
      fmt.int(r.cachedTargets),
    ]),
    ["r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
  );

  // The growth curve: what the exporter holds above its idle self, by cached targets.
  const widest = Math.max(...results.fleet.map((r) => Math.max(r.endCollected.rss - r.idleCollected.rss, r.endCollected.heap - r.idleCollected.heap)), 1);
  const bar = (bytes) => "#".repeat(Math.max(0, Math.round((bytes / widest) * 40))).padEnd(40);
  const curve = [
    "```text",
    "held above the idle exporter after a full GC, by cached targets (each size a fresh exporter)",
    ...results.fleet.flatMap((r) => {
      const rss = r.endCollected.rss - r.idleCollected.rss;
      const heap = r.endCollected.heap - r.idleCollected.heap;
      return [
        `${fmt.int(r.targets).padStart(7)} RSS  | ${bar(rss)} ${MiB(rss).padStart(10)} ${KiB(rssPerTarget(r)).padStart(10)}/target`,
        `${"".padStart(7)} heap | ${bar(heap)} ${MiB(heap).padStart(10)} ${KiB(heapPerTarget(r)).padStart(10)}/target`,
      ];
    }),
    "```",
  ].join("\n");

  const b = results.burst;
  const wave1000 = results.fleet.find((r) => r.targets === 1000);
  const burstTable = table(
    ["", ""],
    [
      ["distinct /probe sent at once (one connection each)", `${fmt.int(b.requests)} (${b.non200} not 200)`],
      ["upstream calls (collections counted by the exporter)", `${fmt.int(b.calls)} (${fmt.int(b.collections)})`],
      [`most CodeArts calls in flight upstream (goal ≤ 3 × --max-concurrent = ${3 * MAX_CONCURRENT})`, `**${b.maxInFlight}**`],
      ["most collections in flight / waiting (exporter's gauges, read every 200 ms)", `${b.ownMaxInFlight} / ${fmt.int(b.ownMaxWaiting)}`],
      ["all answered after / scrape p50 / p99", `${fmt.s(b.wallMs)} / ${ms(b.p50)} / ${ms(b.p99)}`],
      ["RSS idle → peak during → right after → 10 s later", `${MiB(b.idleRss)} → ${MiB(b.peakDuring)} → ${MiB(b.rightAfter)} → ${MiB(b.settledRss)}`],
      ["after a full GC: RSS / heap above idle", `${MiB(b.endCollected.rss - b.idleCollected.rss)} / **${MiB(b.endCollected.heap - b.idleCollected.heap)}**`],
      ...(wave1000 ? [["the same 1,000 targets cached through 200 clients (fleet row above), after a full GC: RSS / heap above idle", `${MiB(wave1000.endCollected.rss - wave1000.idleCollected.rss)} / ${MiB(wave1000.endCollected.heap - wave1000.idleCollected.heap)}`]] : []),
      ["cached targets / collections in flight after", `${fmt.int(b.cachedTargets)} / ${b.inFlightAfter}`],
    ],
    ["l", "r"],
  );

  const largeTable = table(
    ["--max-series", "first scrape (collect + render)", "longest /-/healthy meanwhile", "answer", "package series answered", "series dropped (counter)", "four concurrent cached scrapes, together (each round)", "upstream calls", "RSS idle → peak → end", "after a full GC: heap above idle", "first scrape of another such target with a 10 s scrape timeout"],
    results.large.map((r) => [
      `${fmt.int(r.maxSeries)}${r.maxSeries === 10_000 ? " (default)" : ""}`,
      fmt.s(r.firstMs),
      ms(r.healthyMaxMs),
      MiB(r.bytes),
      fmt.int(r.series),
      fmt.int(r.dropped),
      `**${fmt.s(median(r.rounds))}** (${r.rounds.map((x) => fmt.s(x)).join(", ")})`,
      String(r.calls),
      `${MiB(r.idleRss)} → ${MiB(r.peakRss)} → ${MiB(r.endRss)}`,
      MiB(r.endCollected.heap - r.idleCollected.heap),
      `${fmt.s(r.tenSeconds.ms)}, ${r.tenSeconds.artifactUp ? "collected" : "not collected (answered as a timeout)"}`,
    ]),
    ["r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
  );

  // Goals, judged from the numbers above.
  const oncePerWindow = results.fleet.every((r) => r.firstCalls === 3 * r.targets && r.secondCalls === 0 && r.maxCallsPerServiceAndTarget === 1);
  // What one more cached target costs: the slope between the two largest sizes, above each
  // exporter's idle self. Serving 200 probes at once has a cost of its own that does not grow
  // with the targets (sockets, buffers, the heap's high-water mark), which the slope leaves out
  // and memory ÷ targets at a small size does not.
  const [smaller, larger] = results.fleet.slice(-2);
  const held = (r, kind) => r.endCollected[kind] - r.idleCollected[kind];
  const slope = (kind) => (held(larger, kind) - held(smaller, kind)) / (larger.targets - smaller.targets);
  // No faster than linear: the slope between the two largest sizes is no steeper than the one below them.
  const steeper = (kind) => {
    if (results.fleet.length < 3) return false;
    const [a0, a1] = results.fleet.slice(-3, -1);
    const below = (held(a1, kind) - held(a0, kind)) / (a1.targets - a0.targets);
    return slope(kind) > 1.5 * Math.max(below, 1024);
  };
  const memoryOk = !steeper("rss") && !steeper("heap") && slope("rss") < 50 * 1024 && slope("heap") < 50 * 1024;
  const inFlightOk = b.maxInFlight <= 3 * MAX_CONCURRENT;
  // The burst leaves 1,000 cached targets: it has given back what the burst itself took when it
  // holds, after a full GC, no more than the same 1,000 targets cached a few at a time (10% slack).
  const burstHeld = b.endCollected.heap - b.idleCollected.heap;
  const waveHeld = wave1000 ? wave1000.endCollected.heap - wave1000.idleCollected.heap : Number.NaN;
  const returned = burstHeld <= 1.1 * waveHeld + 2 ** 20;
  const largeOk = results.large.map((r) => median(r.rounds) < 2000);
  const m = machine();
  const goals = [
    `- Calls per target per cache window = 1: ${verdict(oncePerWindow)}. Each target's first probe made one call to each of the three services (${results.fleet.map((r) => `${fmt.int(r.firstCalls)} calls for ${fmt.int(r.targets)} targets`).join(", ")}; no service was asked twice for one project), and the second pass over the same targets, within \`--cache-seconds\`, made ${results.fleet.map((r) => r.secondCalls).join(", ")} calls.`,
    `- Memory linear in targets, under 50 KiB per cached target: ${verdict(memoryOk)}. From ${fmt.int(smaller.targets)} to ${fmt.int(larger.targets)} targets each more cached target added ${KiB(slope("rss"))} of RSS and ${KiB(slope("heap"))} of heap, measured after a full GC. Divided by the targets, RSS above idle is ${results.fleet.map((r) => `${KiB(rssPerTarget(r))} at ${fmt.int(r.targets)}`).join(", ")}: it also holds what serving ${CLIENTS} probes at once took and V8 has not given back, the same at every size, while the heap, what the exporter keeps, is ${results.fleet.map((r) => `${KiB(heapPerTarget(r))}`).join(", ")} per target.`,
    `- 1,000 concurrent distinct /probe never put more than 3 × --max-concurrent (${3 * MAX_CONCURRENT}) CodeArts calls in flight: ${verdict(inFlightOk)} (at most ${b.maxInFlight} seen upstream; the exporter's gauge showed at most ${b.ownMaxInFlight} collections in flight and ${fmt.int(b.ownMaxWaiting)} waiting).`,
    `- Memory returns once they finish: ${verdict(returned)}. The burst peaked at ${MiB(b.peakDuring)} RSS; after a full GC the exporter held ${MiB(burstHeld)} of heap above idle, against ${MiB(waveHeld)} for the same number of targets cached through 200 clients, so what is left is the 1,000 cached answers. RSS is slower: ${MiB(b.settledRss)} still 10 s after the last answer, ${MiB(b.endCollected.rss)} once a full GC ran (V8 collects when it likes; an idle exporter may hold the higher figure for long).`,
    ...results.large.map((r, i) => `- Four concurrent scrapes of a cached ${fmt.int(LARGE_ROWS)}-row target under 2 s together, --max-series ${fmt.int(r.maxSeries)}: ${verdict(largeOk[i])} (median ${fmt.s(median(r.rounds))} of ${r.rounds.length}; ${fmt.int(r.series)} package series answered, ${fmt.int(r.dropped)} dropped; the first, uncached scrape took ${fmt.s(r.firstMs)}).`),
  ].join("\n");

  const note =
    `Each size is a fresh exporter (\`--max-targets ${fmt.int(MAX_TARGETS)}\`, default \`--cache-seconds\` 300 and \`--max-concurrent\` ${MAX_CONCURRENT}) whose own target was collected first; the upstream answers every call after ${UPSTREAM_DELAY_MS} ms. ` +
    `Probes go through a pool of ${CLIENTS} keep-alive clients with \`X-Prometheus-Scrape-Timeout-Seconds: 60\`, so first-pass latency is mostly the wait for one of the ${MAX_CONCURRENT} slots. ` +
    `Per-target memory is (end − idle) ÷ targets, both read just after a full GC in the exporter (\`--expose-gc\` and \`bench/lib/gc-on-signal.cjs\`, SIGUSR2); heap is its own \`nodejs_heap_size_used_bytes\`. CPU is the exporter's user + system time over the pass. ` +
    `Measured ${new Date().toISOString().slice(0, 10)} at commit ${commit()} by \`bench/exporter-fleet.mjs${quick ? " --quick" : ""}\` in ${fmt.s(totalMs)} on ${m.nproc} CPUs (load average ${loadAtStart} at the start), Node ${m.node}.`;

  const tables = {
    "exporter-fleet": [fleetTable, curve, note, `1,000 distinct targets at once, on a fresh exporter:\n\n${burstTable}`, `A target whose Artifact answer has ${fmt.int(LARGE_ROWS)} extensions (${fmt.int(LARGE_ROWS * 3)} package series uncapped), on a fresh exporter per row; ${LARGE_ROUNDS} round(s) of four concurrent scrapes after the first:\n\n${largeTable}`, goals].join("\n\n"),
  };
  const out = { settings: { quick, sizes: SIZES, clients: CLIENTS, burst: BURST, largeRows: LARGE_ROWS, upstreamDelayMs: UPSTREAM_DELAY_MS }, results, tables };
  if (a.json) {
    mkdirSync(path.dirname(a.json), { recursive: true });
    writeFileSync(a.json, JSON.stringify(out, null, 2));
  }
  for (const text of Object.values(tables)) console.log(`${text}\n`);
}

await main();
