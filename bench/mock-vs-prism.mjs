// The mock as a service, side by side with Prism (@stoplight/prism-cli, the usual OpenAPI mock):
// both serve the same bundled spec from packages/openapi/generated on 127.0.0.1, each in its own
// process started from its command, and each is measured alike:
//   start-up       spawn → first 200 to ShowTenantPackageStatus (polled every 10 ms)
//   throughput     N keep-alive clients send a fixed number of requests (after a warm-up)
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
const REQUESTS = quick ? 2000 : 10_000;
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

async function measure(server) {
  const port = await freePort();
  const [file, argv] = server.command(port);
  const started = now();
  // Its own process group, so that the shell shim and the node process under it stop together.
  const child = spawn(file, argv, { cwd: repoRoot, detached: true, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(`exited (${code ?? signal})`)));
  try {
    let startupMs;
    while (startupMs === undefined) {
      if (now() - started > START_TIMEOUT_MS) throw new Error(`${server.id}: no 200 within ${START_TIMEOUT_MS} ms`);
      const state = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10, "running"))]);
      if (state !== "running") throw new Error(`${server.id} ${state} before answering`);
      const answer = await get(port, undefined).catch(() => undefined);
      if (answer?.status === 200) startupMs = now() - started;
    }
    const idle = memoryOf(child.pid);
    await load(port, WARMUP);
    const t0 = now();
    const latencies = await load(port, REQUESTS);
    const seconds = (now() - t0) / 1000;
    const end = memoryOf(child.pid);
    latencies.sort((x, y) => x - y);
    return {
      startupMs,
      requestsPerSecond: REQUESTS / seconds,
      p50Ms: median(latencies),
      p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))],
      idleRssBytes: idle.rss,
      peakRssBytes: end.peak,
      endRssBytes: end.rss,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, "SIGTERM");
      const stopped = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (stopped === undefined) process.kill(-child.pid, "SIGKILL");
    }
  }
}

async function main() {
  if (process.platform !== "linux") throw new Error("memory is read from /proc: run this on Linux");
  if (!existsSync(mockCli)) throw new Error(`${path.relative(repoRoot, mockCli)} is missing: run \`pnpm build\` first`);
  if (!existsSync(prismBin)) throw new Error("Prism is not installed: run `pnpm install`");
  const loadAtStart = os.loadavg()[0].toFixed(1);
  const results = {};
  for (const server of servers) {
    console.log(`${server.name}: ${WARMUP} warm-up + ${REQUESTS} requests, ${CONCURRENCY} keep-alive clients`);
    results[server.id] = await measure(server);
  }
  const MiB = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const rows = [
    ["time to first 200 (spawn → answer)", (r) => `${fmt.ms(r.startupMs)} ms`],
    [`throughput, ${CONCURRENCY} keep-alive clients`, (r) => `${fmt.int(r.requestsPerSecond)} req/s`],
    ["latency p50 / p99", (r) => `${fmt.ms(r.p50Ms)} / ${fmt.ms(r.p99Ms)} ms`],
    ["resident memory idle after start-up", (r) => MiB(r.idleRssBytes)],
    [`resident memory after ${fmt.int(WARMUP + REQUESTS)} requests (peak)`, (r) => `${MiB(r.endRssBytes)} (${MiB(r.peakRssBytes)})`],
  ];
  const tables = {
    "mock-vs-prism": table(
      ["", ...servers.map((s) => s.name)],
      [
        ...rows.map(([label, cell]) => [label, ...servers.map((s) => cell(results[s.id]))]),
        ["mock ÷ Prism throughput", fmt.ratio(results.mock.requestsPerSecond / results.prism.requestsPerSecond), ""],
      ],
      ["l", "r", "r"],
    ),
  };
  // The machine table describes a whole `pnpm bench`; this one is often run alone, so it says its own context.
  const m = machine();
  tables["mock-vs-prism"] +=
    `\n\n${fmt.int(WARMUP)} warm-up requests, then ${fmt.int(REQUESTS)} measured, per server; start-up is from \`spawn\` to the first 200, polled every 10 ms. ` +
    `Measured ${new Date().toISOString().slice(0, 10)} with \`node bench/run.mjs --only mock-vs-prism${quick ? " --quick" : ""}\` on ${m.nproc} CPUs (load average ${loadAtStart} at the start), Node ${m.node}.`;
  const out = { settings: { quick, concurrency: CONCURRENCY, warmup: WARMUP, requests: REQUESTS }, results, tables };
  if (a.json) {
    mkdirSync(path.dirname(a.json), { recursive: true });
    writeFileSync(a.json, JSON.stringify(out, null, 2));
  }
  for (const text of Object.values(tables)) console.log(`${text}\n`);
}

await main();
