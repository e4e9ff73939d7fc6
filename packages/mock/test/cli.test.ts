import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { signRequest } from "@codearts-package-status/client/signer";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { documentedOperation } from "@codearts-package-status/test-support";
import { TOKEN } from "./support/fixtures.js";

// The CLI is tested as shipped; turbo runs `build` before `test`.
const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const pipeline = documentedOperation("ValidateTenantPackageIsExpired");
const children: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`pnpm build\` first`);
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function run(args: string[]): { child: ChildProcess; firstLine: Promise<string>; exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0] ?? "");
    });
    void exit.then(({ code }) => reject(new Error(`CLI exited with ${code}: ${stderr}`)));
  });
  // Tests of failing invocations never await the URL; its rejection is expected there.
  firstLine.catch(() => undefined);
  return { child, firstLine, exit };
}

describe("codearts-package-status-mock", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("prints its URL, answers token and AK/SK requests, and exits 0 on %s", async (signal) => {
    const { child, firstLine, exit } = run(["--port", "0", "--host", "127.0.0.1", "--access-key", "CLIAK:cli:secret", "--access-key", "AK2:SK2"]);
    const url = await firstLine;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const withToken = await fetch(`${url}${pipeline.target}`, { headers: { "X-Auth-Token": TOKEN } });
    expect(withToken.status).toBe(200);
    expect(await withToken.json()).toEqual(pipeline.examples.find((r) => r.status === "200")?.value);

    // The secret contains a colon: only the first one separates AK from SK.
    const headers = await signRequest({ method: "GET", url: `${url}${pipeline.target}`, accessKey: "CLIAK", secretKey: "cli:secret" });
    expect((await fetch(`${url}${pipeline.target}`, { headers })).status).toBe(200);

    const started = Date.now();
    child.kill(signal);
    expect((await exit).code).toBe(0);
    // Well under the 5 s keep-alive timeout that a close waiting on idle sockets would take.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it.each([
    [["--port", "http"], /--port must be a non-negative integer/],
    [["--access-key", "no-colon"], /--access-key must be AK:SK/],
    [["--bogus"], /Unknown option/],
  ])("exits 2 with usage on bad arguments %j", async (args, message) => {
    const { exit } = run(args);
    const { code, stderr } = await exit;
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain("Usage: codearts-package-status-mock");
  });

  it("prints usage on --help", async () => {
    const child = spawn(process.execPath, [CLI, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(stdout).toContain("--access-key AK:SK");
  });
});
