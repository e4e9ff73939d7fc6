// Per-request cost of calling CodeArts Check's ShowTenantPackageStatus, side by side:
//   raw fetch (with and without a timeout) | bare openapi-fetch (typed by `paths`) | OpenAPI
//   Generator's typescript-fetch client | our client with a token (alone, and with one middleware
//   registered) | our client with AK/SK signing
// (a) loopback: against one node:http server on 127.0.0.1 (own process, keep-alive, the
//     documented 200 example), throughput in requests/s and its ratio to raw fetch;
// (b) in process: against a fetch stub that answers at once, i.e. pure client overhead per call.
// Contenders run in interleaved rounds (the order rotates every round) with a fixed number of
// requests each, so machine drift hits them all alike; ratios are the median of per-round ratios.
// Targets: AK/SK costs at most 1.5× the token client's time per call in process, and keeps at
// least 0.85× its loopback throughput. The older targets against raw fetch and bare openapi-fetch
// are still reported.
import { fork } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import createFetchClient from "openapi-fetch";
import { createClient } from "@codearts-package-status/client";
import { args, benchDir, bundledJson, fmt, median, now, table } from "./lib/common.mjs";
import { compiledEntry, generateTypescriptFetch } from "./generate-typescript-fetch.mjs";

const CHECK_PATH = "/v4/tenant/tenant-package-status";
const PROJECT_ID = "666666af0f00445f85dec483fbc97c78";
const TOKEN = "MIIbench-token-" + "x".repeat(2000); // IAM tokens are a few KB long
const AK = "BENCHACCESSKEYID0001";
const SK = "bench-secret-access-key-0000000000000000";

/** Each contender: a name and a factory that, given a base URL and a fetch, returns one call. */
async function contenders() {
  const { CheckApi, Configuration } = await import(pathToFileURL(compiledEntry).href);
  return [
    {
      id: "raw-fetch",
      name: "raw `fetch`",
      make: (base, fetchImpl) => {
        const url = `${base}${CHECK_PATH}?project_id=${PROJECT_ID}`;
        const init = { headers: { "X-Auth-Token": TOKEN } };
        return async () => {
          const response = await fetchImpl(url, init);
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return response.json();
        };
      },
    },
    {
      // What any client with a per-attempt timeout pays on top of raw fetch: undici follows the
      // caller's AbortSignal per request (a listener, a WeakRef and a finalizer), and a timer.
      id: "raw-fetch-timeout",
      name: "raw `fetch` + a timeout (AbortController, setTimeout)",
      make: (base, fetchImpl) => {
        const url = `${base}${CHECK_PATH}?project_id=${PROJECT_ID}`;
        return async () => {
          const control = new AbortController();
          const timer = setTimeout(() => control.abort(), 30_000);
          try {
            const response = await fetchImpl(url, { headers: { "X-Auth-Token": TOKEN }, signal: control.signal });
            if (!response.ok) throw new Error(`HTTP ${response.status}`);
            return await response.json();
          } finally {
            clearTimeout(timer);
          }
        };
      },
    },
    {
      id: "openapi-fetch",
      name: "bare openapi-fetch",
      make: (base, fetchImpl) => {
        const client = createFetchClient({ baseUrl: base, fetch: fetchImpl, headers: { "X-Auth-Token": TOKEN } });
        return async () => {
          const { data, error, response } = await client.GET(CHECK_PATH, { params: { query: { project_id: PROJECT_ID } } });
          if (error !== undefined) throw new Error(`HTTP ${response.status}`);
          return data;
        };
      },
    },
    {
      id: "typescript-fetch",
      name: "typescript-fetch (OpenAPI Generator)",
      make: (base, fetchImpl) => {
        const api = new CheckApi(new Configuration({ basePath: base, fetchApi: fetchImpl, headers: { "X-Auth-Token": TOKEN } }));
        return () => api.showTenantPackageStatus({ projectId: PROJECT_ID });
      },
    },
    {
      id: "client-token",
      name: "our client, token",
      make: (base, fetchImpl) => {
        const client = createClient({ endpoints: { check: base }, credentials: { token: TOKEN }, fetch: fetchImpl });
        return () => client.check.showTenantPackageStatus({ project_id: PROJECT_ID });
      },
    },
    {
      // What one (empty) middleware adds: openapi-fetch runs it on every request and response.
      id: "client-token-middleware",
      name: "our client, token, one middleware registered",
      make: (base, fetchImpl) => {
        const client = createClient({ endpoints: { check: base }, credentials: { token: TOKEN }, fetch: fetchImpl });
        client.use({ onRequest: () => undefined });
        return () => client.check.showTenantPackageStatus({ project_id: PROJECT_ID });
      },
    },
    {
      id: "client-aksk",
      name: "our client, AK/SK",
      make: (base, fetchImpl) => {
        const client = createClient({ endpoints: { check: base }, credentials: { accessKey: AK, secretKey: SK }, fetch: fetchImpl });
        return () => client.check.showTenantPackageStatus({ project_id: PROJECT_ID });
      },
    },
  ];
}

/** Median of the same-round ratios of two contenders' throughputs: a / b (b / a is their time-per-call ratio). */
function vs(a, b) {
  return median(a.rounds.map((v, r) => v / b.rounds[r]));
}

/** Runs `count` calls with `concurrency` in flight; returns elapsed milliseconds. */
async function drive(call, count, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const body = await call();
      if (body?.result?.tenantId === undefined) throw new Error("unexpected body");
    }
  };
  const t0 = now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return now() - t0;
}

/** Interleaved rounds; returns per contender the per-round throughput (calls/s) and ratios vs the reference. */
async function rounds(calls, { rounds: roundCount, perRound, concurrency, reference }) {
  const ids = Object.keys(calls);
  // Warm-up: JIT, connection pool, lazy imports.
  for (const id of ids) await drive(calls[id], Math.max(50, perRound >> 2), concurrency);
  const perSecond = Object.fromEntries(ids.map((id) => [id, []]));
  for (let r = 0; r < roundCount; r++) {
    const order = ids.map((_, i) => ids[(i + r) % ids.length]);
    for (const id of order) {
      const ms = await drive(calls[id], perRound, concurrency);
      perSecond[id].push((perRound / ms) * 1000);
    }
  }
  return Object.fromEntries(
    ids.map((id) => {
      const ratios = perSecond[id].map((v, r) => v / perSecond[reference][r]);
      return [id, { perSecond: median(perSecond[id]), ratio: median(ratios), ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios), rounds: perSecond[id] }];
    }),
  );
}

function startServer() {
  const child = fork(path.join(benchDir, "lib/check-server.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", (m) => {
      const stop = () =>
        new Promise((done) => {
          child.once("message", (stats) => done(stats));
          child.send("stop");
        });
      resolve({ port: m.port, bodyBytes: m.bodyBytes, stop, child });
    });
  });
}

/** The fetch stub of (b): answers every request at once with the documented 200 example. */
function stubFetch() {
  const spec = JSON.parse(readFileSync(bundledJson, "utf8"));
  const body = JSON.stringify(spec.components.examples.ShowTenantPackageStatusOk.value);
  const init = { status: 200, headers: { "content-type": "application/json", "x-request-id": "bench" } };
  return async () => new Response(body, init);
}

export async function run(options = {}) {
  const quick = options.quick ?? false;
  if (!existsSync(compiledEntry)) await generateTypescriptFetch();
  const list = await contenders();
  const names = Object.fromEntries(list.map((c) => [c.id, c.name]));
  const results = { loopback: {}, inProcess: undefined };

  // (a) loopback
  const server = await startServer();
  let serverStats;
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const fetchImpl = (input, init) => globalThis.fetch(input, init);
    const calls = Object.fromEntries(list.map((c) => [c.id, c.make(base, fetchImpl)]));
    for (const concurrency of [1, 8]) {
      const settings = { rounds: quick ? 3 : 12, perRound: quick ? 300 : 1000, concurrency, reference: "raw-fetch" };
      results.loopback[`c${concurrency}`] = { settings, byContender: await rounds(calls, settings) };
    }
  } finally {
    serverStats = await server.stop();
  }
  results.server = { bodyBytes: server.bodyBytes, ...serverStats };

  // (b) in process
  {
    const base = "http://127.0.0.1:1";
    const fetchImpl = stubFetch();
    const calls = Object.fromEntries(list.map((c) => [c.id, c.make(base, fetchImpl)]));
    // Many short rounds: a burst of load from elsewhere spoils a few rounds' ratios, not their median.
    const settings = { rounds: quick ? 3 : 25, perRound: quick ? 1000 : 1500, concurrency: 1, reference: "openapi-fetch" };
    results.inProcess = { settings, byContender: await rounds(calls, settings) };
  }

  const ip = results.inProcess.byContender;
  const [c1, c8] = [results.loopback.c1.byContender, results.loopback.c8.byContender];
  // Same-round ratios of AK/SK to the token client: time per call in process, throughput on loopback.
  results.aksk = {
    inProcessTime: vs(ip["client-token"], ip["client-aksk"]),
    loopbackC1: vs(c1["client-aksk"], c1["client-token"]),
    loopbackC8: vs(c8["client-aksk"], c8["client-token"]),
  };
  const targets = {
    akskInProcess: results.aksk.inProcessTime <= 1.5,
    akskLoopback: results.aksk.loopbackC1 >= 0.85,
    akskLoopbackC8: results.aksk.loopbackC8 >= 0.85,
    loopback: c1["client-token"].ratio >= 0.9,
    loopbackC8: c8["client-token"].ratio >= 0.9,
    inProcess: 1 / ip["client-token"].ratio <= 1.3,
  };
  return { results, targets, tables: tablesOf(results, names, targets) };
}

const metOrNot = (ok) => `**${ok ? "met" : "not met"}**`;

function tablesOf(results, names, targets) {
  const c1 = results.loopback.c1;
  const c8 = results.loopback.c8;
  const { aksk } = results;
  const loopbackRows = Object.keys(c1.byContender).map((id) => [
    names[id],
    fmt.int(c1.byContender[id].perSecond),
    fmt.ratio(c1.byContender[id].ratio),
    fmt.int(c8.byContender[id].perSecond),
    fmt.ratio(c8.byContender[id].ratio),
  ]);
  const token1 = c1.byContender["client-token"];
  const token8 = c8.byContender["client-token"];
  const loopback = [
    table(
      ["contender", "req/s, 1 in flight", "vs raw fetch", "req/s, 8 in flight", "vs raw fetch"],
      loopbackRows,
      ["l", "r", "r", "r", "r"],
    ),
    "",
    `${c1.settings.rounds} interleaved rounds × ${fmt.int(c1.settings.perRound)} requests per contender and concurrency (plus a warm-up); ` +
      `req/s is the median round, the ratio the median of same-round ratios. The server answered ${fmt.int(results.server.served)} requests, ${results.server.rejected} with 404, and was stopped.`,
    "",
    `Target "AK/SK client ≥ 0.85× the token client's throughput on loopback": ${metOrNot(targets.akskLoopback)} with 1 request in flight ` +
      `(${fmt.ratio(aksk.loopbackC1)}), ${metOrNot(targets.akskLoopbackC8)} with 8 (${fmt.ratio(aksk.loopbackC8)}).`,
    "",
    `Target "token client ≥ 0.9× raw-fetch throughput on loopback": ${metOrNot(targets.loopback)} with 1 request in flight ` +
      `(${fmt.ratio(token1.ratio)}, rounds ${fmt.ratio(token1.ratioMin)}–${fmt.ratio(token1.ratioMax)}), ` +
      `${metOrNot(targets.loopbackC8)} with 8 (${fmt.ratio(token8.ratio)}). ` +
      `Every call of our client goes through openapi-fetch, which builds a \`Request\` and hands back a \`Response\` per call, so it pays what bare openapi-fetch pays. ` +
      `Raw \`fetch\` with nothing but a per-attempt timeout runs at ${fmt.ratio(c1.byContender["raw-fetch-timeout"].ratio)} (1 in flight) and ` +
      `${fmt.ratio(c8.byContender["raw-fetch-timeout"].ratio)} (8): the floor of any client that can time out a request, ours included; ` +
      `against it our client runs at ${fmt.ratio(vs(token1, c1.byContender["raw-fetch-timeout"]))} and ${fmt.ratio(vs(token8, c8.byContender["raw-fetch-timeout"]))}.`,
  ].join("\n");
  const ip = results.inProcess;
  const ref = ip.byContender["openapi-fetch"].perSecond;
  const token = ip.byContender["client-token"];
  const inProcessRows = Object.keys(ip.byContender).map((id) => {
    const r = ip.byContender[id];
    return [names[id], fmt.int(r.perSecond), (1e6 / r.perSecond).toFixed(1), fmt.ratio(1 / r.ratio), fmt.ratio(vs(token, r))];
  });
  const inProcess = [
    table(["contender", "calls/s", "µs per call", "time per call vs bare openapi-fetch", "vs our token client"], inProcessRows, ["l", "r", "r", "r", "r"]),
    "",
    `${ip.settings.rounds} interleaved rounds × ${fmt.int(ip.settings.perRound)} calls per contender, one at a time, against a fetch stub that resolves a new ` +
      `\`Response\` with the example body at once (the stub's own cost is in every row; bare openapi-fetch runs ${fmt.int(ref)} calls/s). ` +
      "µs per call is the median round's; the ratios are medians of same-round ratios.",
    "",
    `Target "AK/SK client's time per call within 1.5× the token client's": ${metOrNot(targets.akskInProcess)} (${fmt.ratio(aksk.inProcessTime)}).`,
    "",
    `Target "in-process overhead within 1.3× of bare openapi-fetch": ${metOrNot(targets.inProcess)} ` +
      `(${fmt.ratio(1 / token.ratio)} the time per call). Our client runs openapi-fetch on every call and adds its own work on top ` +
      "(parameter checks, routing, a per-attempt timeout, the retry policy, typed errors, JSON checks); it has no second code path that skips openapi-fetch.",
  ].join("\n");
  return { "request-loopback": loopback, "request-in-process": inProcess };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const a = args();
  const out = await run({ quick: Boolean(a.quick) });
  if (a.json) {
    mkdirSync(path.dirname(a.json), { recursive: true });
    writeFileSync(a.json, JSON.stringify(out, null, 2));
  }
  for (const text of Object.values(out.tables)) console.log(`${text}\n`);
}
