// Bodies too large for memory, measured where nothing else runs: the client's source is built
// with tsup into a temporary directory, and a child Node process calls a loopback server with it
// while sampling its own resident set size.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { build } from "tsup";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "@codearts-package-status/test-support";

const MiB = 1024 * 1024;
const HUGE = 300 * MiB;
const BOMB = 400 * MiB;

let dir: string;
let server: TestServer | undefined;
let bomb: Buffer;

// The child: one call with the default cap, then its outcome and how far its RSS rose above
// where it was before the call.
const CHILD = `
import { createClient } from "./client.js";
const before = process.memoryUsage().rss;
let peak = before;
const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
const client = createClient({ endpoints: { check: process.argv[2] }, credentials: { token: "child-token" }, maxRetries: 0, timeoutMs: 120000 });
let outcome;
try { await client.check.showTenantPackageStatus(); outcome = "resolved"; } catch (error) { outcome = error.name; }
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(sample);
console.log(JSON.stringify({ outcome, growthMiB: (peak - before) / ${MiB} }));
`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "client-body-cap-"));
  await build({
    entry: { client: path.join(import.meta.dirname, "../src/index.ts") },
    outDir: dir,
    format: ["esm"],
    platform: "node",
    target: "node20",
    // Bundled in: the temporary directory has no node_modules to find it in.
    noExternal: ["openapi-fetch"],
    config: false,
    dts: false,
    silent: true,
  });
  writeFileSync(path.join(dir, "child.mjs"), CHILD);

  // 400 MiB of spaces, gzipped as it is produced: the test process never holds it inflated.
  const compressed: Buffer[] = [];
  const spaces = Buffer.alloc(MiB, 0x20);
  await pipeline(
    Readable.from((function* () {
      for (let i = 0; i < BOMB / MiB; i++) yield spaces;
    })()),
    zlib.createGzip({ level: 9 }),
    async function* (chunks) {
      for await (const chunk of chunks) compressed.push(chunk as Buffer);
    },
  );
  bomb = Buffer.concat(compressed);

  server = await startTestServer((req, res) => {
    if (req.url.startsWith("/bomb")) {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": bomb.length });
      res.end(bomb);
      return;
    }
    // 300 MiB of one JSON string, written chunk by chunk as the socket drains, never allocated whole.
    res.writeHead(200, { "content-type": "application/json", "content-length": HUGE });
    const chunk = Buffer.alloc(MiB, 0x61);
    let sent = 0;
    const write = () => {
      while (sent < HUGE) {
        const piece = sent === 0 ? Buffer.concat([Buffer.from('{"a":"'), chunk.subarray(6)]) : sent + MiB === HUGE ? Buffer.concat([chunk.subarray(2), Buffer.from('"}')]) : chunk;
        sent += MiB;
        if (!res.write(piece)) return void res.once("drain", write);
      }
      res.end();
    };
    res.on("close", () => {
      sent = HUGE;
    });
    write();
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function child(endpoint: string): Promise<{ outcome: string; growthMiB: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(dir, "child.mjs"), endpoint], { cwd: dir, timeout: 120_000 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout)),
    );
  });
}

test("a 300 MiB body is cut off at the default 32 MiB cap: ResponseTooLargeError, and memory grows far less than the body", async () => {
  const { outcome, growthMiB } = await child(`${server!.url}/huge`);
  expect(outcome).toBe("ResponseTooLargeError");
  expect(growthMiB).toBeLessThan(150);
}, 120_000);

test("a gzip body under 1 MiB that inflates to 400 MiB is cut off after decompression, with memory bounded the same way", async () => {
  expect(bomb.length).toBeLessThan(MiB);
  const { outcome, growthMiB } = await child(`${server!.url}/bomb`);
  expect(outcome).toBe("ResponseTooLargeError");
  expect(growthMiB).toBeLessThan(150);
}, 120_000);
