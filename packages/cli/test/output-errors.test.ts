// Where the output goes can fail under the command: a reader that leaves (`| head -1`, a log
// collector restarting), a full disk (`> /dev/full`), a closed descriptor. The command must end
// as its run decided, or with UNKNOWN and one line when the output could not be written, never
// with a stack; the exporter must keep answering scrapes. Most of these need a process of its
// own (the real bin); main's contract is also checked in-process with failing streams.
import { spawn, type StdioOptions } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { Writable } from "node:stream";
import { closedPort, startTestServer } from "@codearts-package-status/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { BIN_ARGS, CLEAN_ENV, collector } from "./support/cli.js";

const PROGRAM = "codearts-package-status";
// The mock's packages expire in 11 and 32 days: within 20 days is CRITICAL, exit code 2, which
// neither a crash (1) nor a failed run (3) can pass for.
const CRITICAL_MOCK = ["--mock", "--critical-days", "20"];
const CRITICAL = 2;
const UNKNOWN = 3;
// What Node prints for an unhandled error: the start of a stack frame, or its own source.
const STACK = /^\s+at |node:internal|node:events|Unhandled|Error: /m;

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the child wrote on descriptor 3, when it was given one. */
  fd3: string;
}

/**
 * Runs `command` with `stdio` ("pipe" entries are read here), after `started` has had the child
 * (to close a pipe early).
 */
function runProcess(command: string, args: readonly string[], stdio: StdioOptions, started: (child: ReturnType<typeof spawn>) => void = () => {}): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...CLEAN_ENV }, stdio });
    const texts = ["", "", "", ""];
    child.stdio.forEach((stream, fd) => {
      if (stream && "on" in stream && fd !== 0) stream.on("data", (chunk: Buffer) => (texts[fd] += chunk.toString("utf8")));
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`still running after 30 s; stderr: ${texts[2]}`));
    }, 30_000);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: texts[1] ?? "", stderr: texts[2] ?? "", fd3: texts[3] ?? "" });
    });
    started(child);
  });
}

/** The bin with `args`, with the given stdio. */
const runBinWith = (args: readonly string[], stdio: StdioOptions, started?: (child: ReturnType<typeof spawn>) => void): Promise<Ended> => runProcess(process.execPath, [...BIN_ARGS, ...args], stdio, started);

/** `sh -c script` with `sh`'s "$@" set to the bin's command line. */
const shWithBin = (script: string, args: readonly string[], stdio: StdioOptions): Promise<Ended> => runProcess("sh", ["-c", script, "sh", process.execPath, ...BIN_ARGS, ...args], stdio);

const lines = (text: string): string[] => text.split("\n").filter((line) => line !== "");
const ANNOUNCEMENT = /^Using the embedded mock server at http:\/\/127\.0\.0\.1:\d+: /;

// An Artifact answer of 150,000 extensions: a table of about 15 MB, far more than a pipe holds.
let huge: { url: string; close(): Promise<void> };
beforeAll(async () => {
  const entries: string[] = [];
  for (let i = 0; i < 150_000; i++) entries.push(`"e${i.toString(36)}":{"remainDays":${i}}`);
  const body = `{"status":"success","result":{${entries.join(",")}}}`;
  huge = await startTestServer(() => ({ status: 200, body }));
});
afterAll(() => huge.close());

describe("stdout's reader leaving (EPIPE)", () => {
  it("`| head -1` of a long report prints the header, no stack, and the run's own exit code", async () => {
    // The command's exit code, which the pipeline's own (head's) hides, comes back on fd 3.
    const ended = await shWithBin('{ "$@"; echo $? >&3; } | head -1', ["--mock", "--endpoint-artifact", huge.url], ["ignore", "pipe", "pipe", "pipe"]);
    expect(ended.stdout).toMatch(/^SERVICE +RESOURCE +SPEC CODE +STATUS +DAYS LEFT +NEXT ACTION\n$/);
    expect(ended.stderr).not.toMatch(STACK);
    // Days left count up from 0: the run's verdict is CRITICAL.
    expect(lines(ended.stderr).filter((line) => !ANNOUNCEMENT.test(line))).toEqual([
      expect.stringMatching(new RegExp(`^${PROGRAM}: CRITICAL: `)),
      expect.stringMatching(new RegExp(`^${PROGRAM}: WARNING: `)),
    ]);
    expect(ended.fd3.trim()).toBe(String(CRITICAL));
  });

  it("a reader gone before anything is written ends the report quietly with its verdict's exit code", async () => {
    const ended = await runBinWith(CRITICAL_MOCK, ["ignore", "pipe", "pipe"], (child) => child.stdout?.destroy());
    expect(ended.stderr).not.toMatch(STACK);
    expect(lines(ended.stderr)).toEqual([expect.stringMatching(ANNOUNCEMENT), expect.stringMatching(new RegExp(`^${PROGRAM}: CRITICAL: 2 packages`))]);
    expect(ended.code).toBe(CRITICAL);
  });

  it("--json into a reader gone early ends quietly with the verdict's exit code too", async () => {
    const ended = await runBinWith([...CRITICAL_MOCK, "--json"], ["ignore", "pipe", "pipe"], (child) => child.stdout?.destroy());
    expect(ended.stderr).not.toMatch(STACK);
    expect(ended.code).toBe(CRITICAL);
  });
});

describe("stdout that cannot be written", () => {
  it("> /dev/full is UNKNOWN, with one line on stderr saying so and no stack", async () => {
    const full = openSync("/dev/full", "w");
    try {
      const ended = await runBinWith(CRITICAL_MOCK, ["ignore", full, "pipe"]);
      expect(ended.stderr).not.toMatch(STACK);
      const failures = lines(ended.stderr).filter((line) => !ANNOUNCEMENT.test(line) && !line.startsWith(`${PROGRAM}: CRITICAL: `));
      expect(failures).toEqual([`${PROGRAM}: cannot write to stdout: ENOSPC: no space left on device, write`]);
      expect(ended.code).toBe(UNKNOWN);
    } finally {
      closeSync(full);
    }
  });

  it("> /dev/full 2>&1 is UNKNOWN, silently: the line about it cannot be written either", async () => {
    const ended = await shWithBin('"$@" >/dev/full 2>&1', CRITICAL_MOCK, ["ignore", "pipe", "pipe"]);
    expect(ended.stderr).toBe("");
    expect(ended.code).toBe(UNKNOWN);
  });
});

describe("stderr gone", () => {
  it("2>&- (closed) changes nothing: the report whole on stdout, the verdict's exit code", async () => {
    const ended = await shWithBin('"$@" 2>&-', CRITICAL_MOCK, ["ignore", "pipe", "pipe"]);
    expect(lines(ended.stdout)).toHaveLength(8);
    expect(ended.code).toBe(CRITICAL);
  });

  it("a stderr whose reader left before anything was written changes nothing either", async () => {
    const ended = await runBinWith(CRITICAL_MOCK, ["ignore", "pipe", "pipe"], (child) => child.stderr?.destroy());
    expect(lines(ended.stdout)).toHaveLength(8);
    expect(ended.code).toBe(CRITICAL);
  });

  it("2>/dev/full changes nothing: losing notes is not a failure of the report", async () => {
    const ended = await shWithBin('"$@" 2>/dev/full', CRITICAL_MOCK, ["ignore", "pipe", "pipe"]);
    expect(lines(ended.stdout)).toHaveLength(8);
    expect(ended.code).toBe(CRITICAL);
  });
});

describe("the exporter with its stdout and stderr gone", () => {
  it("keeps answering /metrics and /probe after every line it would have logged, and stops cleanly", async () => {
    // A port of our own choosing: with stdout gone, the exporter's URL line is never read.
    const port = await closedPort();
    const dead = `http://127.0.0.1:${await closedPort()}`;
    // --cache-seconds 0: every scrape collects, and the unreachable Pipeline makes each collection log a line.
    const args = ["exporter", "--mock", "--listen", `127.0.0.1:${port}`, "--cache-seconds", "0", "--endpoint-pipeline", dead];
    const child = spawn(process.execPath, [...BIN_ARGS, ...args], { env: { ...CLEAN_ENV }, stdio: ["ignore", "pipe", "pipe"] });
    // Both readers gone before the exporter writes anything: its mock announcement, its URL and
    // every log line meet a closed pipe.
    child.stdout.destroy();
    child.stderr.destroy();
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let crashed = false;
    void exited.then(() => (crashed = true));
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (crashed) throw new Error(`the exporter exited with ${await exited} before answering`);
        if (await fetch(`${base}/metrics`).then((response) => response.ok, () => false)) break;
        if (Date.now() > deadline) throw new Error("the exporter did not answer within 20 s");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (const path of ["/metrics", "/probe?region=cn-north-4", "/metrics", "/probe", "/probe?region=cn-north-4"]) {
        const response = await fetch(`${base}${path}`);
        expect(response.status).toBe(200);
        expect(await response.text()).toMatch(/^codearts_service_up\{service="pipeline",region="[^"]*"\} 0$/m);
        // A failed write surfaces a tick later: give it the time to end the process if it were going to.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(crashed).toBe(false);
      }
    } finally {
      if (!crashed) child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});

// main itself, in this process: the streams it is given may fail, however the bin's do.
describe("main with streams that fail", () => {
  const failing = (code: string, seen: string[] = []) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        seen.push(chunk.toString());
        callback(Object.assign(new Error(`${code}: the stream failed, write`), { code, errno: -1, syscall: "write" }));
      },
    });
  const args = ["--mock", "--critical-days", "20"];

  it("EPIPE on stdout: the verdict's exit code, and nothing said about it", async () => {
    const stderr = collector();
    const code = await main({ argv: args, env: CLEAN_ENV, stdout: failing("EPIPE"), stderr });
    expect(code).toBe(CRITICAL);
    expect(stderr.text()).not.toMatch(/stdout|EPIPE/);
  });

  it("any other failure of stdout: UNKNOWN, with one line on stderr", async () => {
    const stderr = collector();
    const code = await main({ argv: args, env: CLEAN_ENV, stdout: failing("EBADF"), stderr });
    expect(code).toBe(UNKNOWN);
    expect(lines(stderr.text()).filter((line) => line.includes("stdout"))).toEqual([`${PROGRAM}: cannot write to stdout: EBADF: the stream failed, write`]);
  });

  it("a stream that throws instead of failing its write is handled the same way", async () => {
    const stderr = collector();
    const throwing = { write: (): never => { throw Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" }); } };
    expect(await main({ argv: args, env: CLEAN_ENV, stdout: throwing, stderr })).toBe(UNKNOWN);
    expect(lines(stderr.text()).filter((line) => line.includes("stdout"))).toEqual([`${PROGRAM}: cannot write to stdout: EIO: i/o error, write`]);
    const quiet = { write: (): never => { throw Object.assign(new Error("write EPIPE"), { code: "EPIPE" }); } };
    expect(await main({ argv: args, env: CLEAN_ENV, stdout: collector(), stderr: quiet })).toBe(CRITICAL);
  });

  it("a failing stderr is written to no more, and changes neither stdout nor the exit code", async () => {
    const stdout = collector();
    const seen: string[] = [];
    const code = await main({ argv: args, env: CLEAN_ENV, stdout, stderr: failing("ENOSPC", seen) });
    expect(code).toBe(CRITICAL);
    expect(lines(stdout.text())).toHaveLength(8);
    expect(seen).toHaveLength(1);
  });

  it("resolves only once the streams have taken everything written", async () => {
    let pending = 0;
    const slow = new Writable({
      write(_chunk, _encoding, callback) {
        pending++;
        setTimeout(() => {
          pending--;
          callback();
        }, 50);
      },
    });
    expect(await main({ argv: ["--version"], env: CLEAN_ENV, stdout: slow, stderr: collector() })).toBe(0);
    expect(pending).toBe(0);
  });
});
