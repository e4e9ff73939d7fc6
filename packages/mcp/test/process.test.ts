// The bin as a process: --help and --version on stdout, bad usage and missing credentials as one
// line on stderr and exit code 3, and during a session nothing on stdout but protocol messages
// (a stray line there would break the client's framing), exit 0 once the client goes.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, CLEAN_ENV, HOME, nodeArgs, runNode } from "./support/mcp.js";

describe("usage", () => {
  it("--help prints the usage on stdout, nothing on stderr, and exits 0", async () => {
    const { code, stdout, stderr } = await runNode(BIN, ["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: codearts-package-status-mcp /);
    for (const words of ["--mock", "--region", "--endpoint-artifact", "package_report", "show_package_info", "HUAWEICLOUD_SDK_AK"]) expect(stdout).toContain(words);
    expect(stderr).toBe("");
  });

  it("--version prints the package's version and exits 0", async () => {
    const { code, stdout } = await runNode(BIN, ["--version"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it.each([
    ["--json", ["--mock", "--json"], /^codearts-package-status-mcp: --json does not apply to the MCP server/],
    ["--listen :1", ["--mock", "--listen", ":1"], /^codearts-package-status-mcp: --listen does not apply to the MCP server/],
    ["--warn-days 3", ["--mock", "--warn-days", "3"], /^codearts-package-status-mcp: --warn-days does not apply to the MCP server .*warn_days/],
    ["an unknown option", ["--mock", "--bogus"], /^codearts-package-status-mcp: unknown option --bogus/],
    ["an unknown region", ["--region", "cn-nort-4", "--token", "t0ken"], /^codearts-package-status-mcp: unknown region "cn-nort-4" \(did you mean cn-north-4\?\)/],
    ["no credentials", ["--region", "cn-north-4"], /^codearts-package-status-mcp: no credentials: /],
  ])("%s: exit code 3, one line on stderr naming the problem, nothing on stdout", async (_, args, line) => {
    const { code, stdout, stderr } = await runNode(BIN, args);
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr).toMatch(line);
    expect(stderr.split("\n").filter(Boolean)).toHaveLength(1);
    // Never the metadata service: the guard loaded into the process would have said so.
    expect(stderr).not.toContain("metadata guard");
  });

  it("no credentials names where it looked, the empty HOME's profile included, and never asks the metadata service", async () => {
    const { code, stderr } = await runNode(BIN, ["--region", "cn-north-4"]);
    expect(code).toBe(3);
    expect(stderr).toContain("HUAWEICLOUD_SDK_AK");
    expect(stderr).toContain(HOME);
  });
});

describe("a session on stdio", () => {
  it("stdout carries JSON-RPC messages only, one a line, each answering its request; the process exits 0 when stdin ends", async () => {
    const child = spawn(process.execPath, nodeArgs(BIN, ["--mock", "--verbose"]), { env: CLEAN_ENV, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const waiting = new Map<number, (message: Record<string, unknown>) => void>();
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      for (const line of stdout.split("\n").slice(0, -1)) {
        try {
          const message = JSON.parse(line) as Record<string, unknown>;
          waiting.get(message.id as number)?.(message);
        } catch {
          // Checked below, over the whole output.
        }
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
    const request = (id: number, method: string, params: object) =>
      new Promise<Record<string, unknown>>((resolve) => {
        waiting.set(id, resolve);
        send({ id, method, params });
      });

    const init = await request(1, "initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } });
    expect(init.result).toMatchObject({ serverInfo: { name: "codearts-package-status" }, capabilities: { tools: {} } });
    send({ method: "notifications/initialized" });
    const list = await request(2, "tools/list", {});
    expect((list.result as { tools: unknown[] }).tools).toHaveLength(4);
    const ok = await request(3, "tools/call", { name: "show_package_info", arguments: {} });
    expect((ok.result as { isError?: boolean }).isError ?? false).toBe(false);
    const bad = await request(4, "tools/call", { name: "show_tenant_package_status", arguments: { project_id: 1 } });
    expect(bad.result).toMatchObject({ isError: true });
    const report = await request(5, "tools/call", { name: "package_report", arguments: {} });
    expect(report.result).toMatchObject({ structuredContent: { mock: true } });
    // A line that is not JSON-RPC does not stop the server.
    child.stdin.write("this is not JSON\n");
    const after = await request(6, "tools/list", {});
    expect(after.result).toBeDefined();
    child.stdin.end();

    expect(await exited).toBe(0);
    const lines = stdout.split("\n");
    expect(lines.pop()).toBe("");
    for (const line of lines) {
      const message = JSON.parse(line) as Record<string, unknown>;
      expect(message.jsonrpc, line.slice(0, 200)).toBe("2.0");
      expect("result" in message || "error" in message || "method" in message, line.slice(0, 200)).toBe(true);
    }
    expect(lines.map((line) => (JSON.parse(line) as { id?: number }).id).filter((id) => id !== undefined)).toEqual([1, 2, 3, 4, 5, 6]);
    // Notes go to stderr, one line each, under the program's name.
    expect(stderr).toContain("using the embedded mock server");
    for (const line of stderr.split("\n").filter(Boolean)) expect(line).toMatch(/^codearts-package-status-mcp: /);
  });

  it("answers every request a script piped in before stdin ended, then exits 0", async () => {
    const child = spawn(process.execPath, nodeArgs(BIN, ["--mock"]), { env: CLEAN_ENV, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    const messages = [
      { id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "script", version: "0" } } },
      { method: "notifications/initialized" },
      { id: 2, method: "tools/call", params: { name: "package_report", arguments: {} } },
      { id: 3, method: "tools/call", params: { name: "validate_tenant_package_is_expired", arguments: {} } },
    ];
    child.stdin.end(messages.map((message) => `${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`).join(""));
    expect(await exited).toBe(0);
    const answers = stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { id: number; result: { structuredContent?: Record<string, unknown> } });
    expect(answers.map((answer) => answer.id).sort()).toEqual([1, 2, 3]);
    expect(answers.find((answer) => answer.id === 2)?.result.structuredContent).toMatchObject({ mock: true, verdict: { status: "WARNING" } });
  });

  it("ends quietly when the reader of its stdout has gone, with no stack on stderr", async () => {
    const child = spawn(process.execPath, nodeArgs(BIN, ["--mock"]), { env: CLEAN_ENV, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    // Once it is up (it says where the mock listens), the client's reading end goes away.
    await new Promise<void>((resolve) => child.stderr.on("data", () => resolve()));
    child.stdout.destroy();
    child.stdin.on("error", () => {});
    const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "gone", version: "0" } } };
    child.stdin.write(`${JSON.stringify(initialize)}\n`);
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    const code = await exited;
    clearTimeout(timer);
    expect(child.signalCode).toBeNull();
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain("EPIPE");
  });
});
