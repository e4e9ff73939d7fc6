// The mock as a service, side by side with Prism (@stoplight/prism-cli, the usual OpenAPI mock):
// both serve the same bundled spec from packages/openapi/generated on 127.0.0.1, each in its own
// process started from its command, and each is measured alike:
//   start-up       spawn → first 200 to ShowTenantPackageStatus (polled every 10 ms), each alone
//   throughput     both running, N keep-alive clients send a fixed number of requests to each in
//                  alternating rounds (after a warm-up); compared by the median per-round ratio
//   latency        median and 99th percentile of those requests
//   memory         resident memory (Linux /proc) idle after start-up, and its peak by the end
// Servers are stopped by process group (Prism's pnpm bin is a shell shim). Every wait is bounded.
//   --quick      fewer requests, for trying the script out
//   --json FILE  write the results and the table for run.mjs
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { args, benchDir, fmt, machine, median, now, repoRoot, table, versionOf } from "./lib/common.mjs";

const a = args();
const quick = Boolean(a.quick);
const TARGET = "/v4/tenant/tenant-package-status?project_id=666666af0f00445f85dec483fbc97c78";
const TOKEN = "MIIbench-token-" + "x".repeat(2000); // IAM tokens are a few KB long
const CONCURRENCY = 16;
const WARMUP = quick ? 200 : 1000;
const ROUNDS = quick ? 2 : 6;
const PER_ROUND = quick ? 500 : 2000;
const STARTS = quick ? 1 : 3;
const START_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 180_000;

const mockCli = path.join(repoRoot, "packages/mock/dist/cli.js");
const prismBin = path.join(benchDir, "node_modules/.bin/prism");
const specYaml = path.join(repoRoot, "packages/openapi/generated/openapi.yaml");

const servers = [
  {
    id: "mock",
    name: `@codearts-package-status/mock ${JSON.parse(readFileSync(path.join(repoRoot, "packages/mock/package.json"), "utf8")).version}`,
    // The mock reads openapi.json from the same folder: the same bundle, rendered as JSON.
    command: (port) => [process.execPath, [mockCli, "--port", String(port), "--host", "127.0.0.1"]],
  },
  {
    id: "prism",
    name: `Prism ${versionOf("@stoplight/prism-cli")} (\`prism mock\`, log level error)`,
    // Prism logs every request at its default level; "error" keeps terminal output out of its throughput.
    command: (port) => [prismBin, ["mock", specYaml, "--port", String(port), "--host", "127.0.0.1", "--verboseLevel", "error"]],
  },
];

/** A port the OS reports free; Prism cannot be told to pick one itself. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resident and peak resident memory of a process, in bytes. */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

/** One GET of TARGET on `agent`; resolves with its status and duration in ms. */
function get(port, agent) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const req = http.request({ host: "127.0.0.1", port, path: TARGET, agent, headers: { "X-Auth-Token": TOKEN } }, (res) => {
      res.resume().on("end", () => resolve({ status: res.statusCode, ms: now() - t0 }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", reject).end();
  });
}

/** Sends `count` requests from CONCURRENCY keep-alive clients; returns the latencies, or throws on a non-200. */
async function load(port, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  let next = 0;
  const deadline = now() + RUN_TIMEOUT_MS;
  const client = async () => {
    while (next < count) {
      if (now() > deadline) throw new Error(`load did not finish within ${RUN_TIMEOUT_MS} ms`);
      next++;
      const { status, ms } = await get(port, agent);
      if (status !== 200) throw new Error(`HTTP ${status}`);
      latencies.push(ms);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
  } finally {
    agent.destroy();
  }
  return latencies;
}

/** Starts a server from its command in its own process group; resolves once it has answered a 200. */
async function start(server) {
  const port = await freePort();
  const [file, argv] = server.command(port);
  const started = now();
  // Its own process group, so that the shell shim and the node process under it stop together.
  const child = spawn(file, argv, { cwd: repoRoot, detached: true, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(`exited (${code ?? signal})`)));
  const running = { port, pid: child.pid, stop: () => stop(child, exited) };
  try {
    for (;;) {
      if (now() - started > START_TIMEOUT_MS) throw new Error(`${server.id}: no 200 within ${START_TIMEOUT_MS} ms`);
      const state = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10, "running"))]);
      if (state !== "running") throw new Error(`${server.id} ${state} before answering`);
      const answer = await get(port, undefined).catch(() => undefined);
      if (answer?.status === 200) return { ...running, startupMs: now() - started };
    }
  } catch (error) {
    await running.stop();
    throw error;
  }
}

async function stop(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  process.kill(-child.pid, "SIGTERM");
  const stopped = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  if (stopped === undefined) process.kill(-child.pid, "SIGKILL");
}

/**
 * Start-up alone, `STARTS` times each, alternating; then both servers at once, loaded in
 * alternating rounds so that the machine's drift hits them alike (compared by per-round ratio).
 */
async function measure() {
  const startups = Object.fromEntries(servers.map((s) => [s.id, []]));
  for (let i = 0; i < STARTS; i++) {
    for (const server of servers) {
      const running = await start(server);
      startups[server.id].push(running.startupMs);
      await running.stop();
    }
  }
  const running = {};
  try {
    for (const server of servers) running[server.id] = await start(server);
    const results = {};
    for (const server of servers) {
      const { port, pid } = running[server.id];
      results[server.id] = { startupMs: median(startups[server.id]), idle: memoryOf(pid), latencies: [], rates: [] };
      await load(port, WARMUP);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...servers].reverse() : servers;
      for (const server of order) {
        const t0 = now();
        results[server.id].latencies.push(...(await load(running[server.id].port, PER_ROUND)));
        results[server.id].rates.push(PER_ROUND / ((now() - t0) / 1000));
      }
    }
    const ratios = results.mock.rates.map((rate, i) => rate / results.prism.rates[i]);
    for (const server of servers) {
      const r = results[server.id];
      const end = memoryOf(running[server.id].pid);
      r.latencies.sort((x, y) => x - y);
      Object.assign(r, {
        requestsPerSecond: median(r.rates),
        p50Ms: median(r.latencies),
        p99Ms: r.latencies[Math.min(r.latencies.length - 1, Math.floor(r.latencies.length * 0.99))],
        idleRssBytes: r.idle.rss,
        endRssBytes: end.rss,
        peakRssBytes: end.peak,
        latencies: undefined,
        idle: undefined,
      });
    }
    return { results, throughputRatio: median(ratios), ratios };
  } finally {
    for (const r of Object.values(running)) await r.stop();
  }
}

async function main() {
  if (process.platform !== "linux") throw new Error("memory is read from /proc: run this on Linux");
  if (!existsSync(mockCli)) throw new Error(`${path.relative(repoRoot, mockCli)} is missing: run \`pnpm build\` first`);
  if (!existsSync(prismBin)) throw new Error("Prism is not installed: run `pnpm install`");
  const loadAtStart = os.loadavg()[0].toFixed(1);
  console.log(`${servers.map((x) => x.name).join(" vs ")}: ${STARTS} starts each, then ${ROUNDS} rounds of ${PER_ROUND} requests each, ${CONCURRENCY} keep-alive clients`);
  const { results, throughputRatio, ratios } = await measure();
  const MiB = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const rows = [
    [`time to first 200 (spawn → answer, median of ${STARTS})`, (r) => `${fmt.ms(r.startupMs)} ms`],
    [`throughput, ${CONCURRENCY} keep-alive clients (median of ${ROUNDS} rounds)`, (r) => `${fmt.int(r.requestsPerSecond)} req/s`],
    ["latency p50 / p99", (r) => `${fmt.ms(r.p50Ms)} / ${fmt.ms(r.p99Ms)} ms`],
    ["resident memory idle after start-up", (r) => MiB(r.idleRssBytes)],
    [`resident memory after ${fmt.int(WARMUP + ROUNDS * PER_ROUND)} requests (peak)`, (r) => `${MiB(r.endRssBytes)} (${MiB(r.peakRssBytes)})`],
  ];
  const tables = {
    "mock-vs-prism": table(
      ["", ...servers.map((s) => s.name)],
      [
        ...rows.map(([label, cell]) => [label, ...servers.map((s) => cell(results[s.id]))]),
        ["mock ÷ Prism throughput (median of per-round ratios)", fmt.ratio(throughputRatio), ""],
      ],
      ["l", "r", "r"],
    ),
  };
  // The machine table describes a whole `pnpm bench`; this one is often run alone, so it says its own context.
  const m = machine();
  tables["mock-vs-prism"] +=
    `\n\n${fmt.int(WARMUP)} warm-up requests, then ${ROUNDS} alternating rounds of ${fmt.int(PER_ROUND)} per server, both running; per-round ratios ${ratios.map((x) => fmt.ratio(x)).join(", ")}. ` +
    `Start-up is from \`spawn\` to the first 200 (polled every 10 ms), each server alone. ` +
    `Measured ${new Date().toISOString().slice(0, 10)} with \`node bench/run.mjs --only mock-vs-prism${quick ? " --quick" : ""}\` on ${m.nproc} CPUs (load average ${loadAtStart} at the start), Node ${m.node}.`;
  const out = { settings: { quick, concurrency: CONCURRENCY, warmup: WARMUP, rounds: ROUNDS, perRound: PER_ROUND, starts: STARTS }, results, ratios, tables };
  if (a.json) {
    mkdirSync(path.dirname(a.json), { recursive: true });
    writeFileSync(a.json, JSON.stringify(out, null, 2));
  }
  for (const text of Object.values(tables)) console.log(`${text}\n`);
}

await main();
