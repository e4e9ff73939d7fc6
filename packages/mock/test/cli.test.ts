import { spawn } from "node:child_process";
import { signRequest } from "@codearts-package-status/client/signer";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { documentedOperation } from "@codearts-package-status/test-support";
import { CLI, killCliChildren, requireBuiltCli, runCli as run } from "./support/cli.js";
import { TOKEN } from "./support/fixtures.js";

const pipeline = documentedOperation("ValidateTenantPackageIsExpired");

beforeAll(requireBuiltCli);
afterEach(killCliChildren);

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
    [["--request-log-size", "many"], /--request-log-size must be a non-negative integer/],
  ])("exits 3 (UNKNOWN, the toolkit's Nagios convention) with usage on bad arguments %j", async (args, message) => {
    const { exit } = run(args);
    const { code, stderr } = await exit;
    expect(code).toBe(3);
    expect(stderr).toMatch(message);
    expect(stderr).toContain("Usage: codearts-package-status-mock");
  });

  it("with --docs, serves the API reference at /docs next to the mock and says where on stderr", async () => {
    const { child, firstLine, exit } = run(["--docs"]);
    const url = await firstLine;
    const page = await fetch(`${url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await page.text();
    expect(html).toContain("Scalar.createApiReference");
    // Try-it goes to the origin that served the page, whatever its port.
    expect(html).toContain("window.location.origin");
    // The mock itself still answers next to it.
    expect((await fetch(`${url}${pipeline.target}`, { headers: { "X-Auth-Token": TOKEN } })).status).toBe(200);
    child.kill("SIGTERM");
    const { stderr } = await exit;
    expect(stderr).toContain(`API reference with try-it: ${url}/docs`);
  });

  it("without --docs, /docs is the gateway's 404 like any unknown path", async () => {
    const { firstLine } = run([]);
    expect((await fetch(`${await firstLine}/docs`)).status).toBe(404);
  });

  it("exits 3 without the usage when its port is taken", async () => {
    const { firstLine } = run(["--port", "0"]);
    const port = new URL(await firstLine).port;
    const { code, stderr } = await run(["--port", port]).exit;
    expect(code).toBe(3);
    expect(stderr).toMatch(/EADDRINUSE/);
    expect(stderr).not.toContain("Usage:");
  });

  it("refuses request bodies over --max-body-bytes with 413", async () => {
    const { firstLine } = run(["--max-body-bytes", "4", "--request-log-size", "0"]);
    const url = await firstLine;
    expect((await fetch(`${url}/nowhere`, { method: "POST", body: "1234" })).status).toBe(404);
    expect((await fetch(`${url}/nowhere`, { method: "POST", body: "12345" })).status).toBe(413);
  });

  it("prints usage on --help", async () => {
    const child = spawn(process.execPath, [CLI, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(stdout).toContain("--access-key AK:SK");
    expect(stdout).toContain("--request-log-size N");
  });
});
