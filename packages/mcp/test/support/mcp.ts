// Starts the MCP server as an MCP client does: the bin in a process of its own, spoken to by the
// SDK's own Client over stdio. Every process gets a clean environment (PATH, an empty HOME so no
// ~/.huaweicloud profile is read, the ECS metadata step off, and the metadata guard loaded with
// --import) plus what the test adds, never the developer's own HUAWEICLOUD_* variables.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { parameterExample } from "@codearts-package-status/test-support";

/**
 * The bin as shipped (it runs the built dist/index.js: build before testing). CODEARTS_MCP_TEST_BIN
 * runs the suite against another copy of the package instead: a deliberately broken build, to see
 * that the tests catch the break.
 */
export const BIN = process.env.CODEARTS_MCP_TEST_BIN ?? fileURLToPath(new URL("../../bin/codearts-package-status-mcp.js", import.meta.url));

/** The command's bin, for comparisons with the report it prints. */
export const CLI_BIN = fileURLToPath(new URL("../../../cli/bin/codearts-package-status.js", import.meta.url));

/** Every process's home: an empty directory. */
export const HOME = mkdtempSync(path.join(tmpdir(), "codearts-mcp-home-"));

/** What every process's environment starts from. */
export const CLEAN_ENV: Record<string, string> = { PATH: process.env.PATH ?? "", HOME, CODEARTS_ECS_METADATA_DISABLED: "true" };

// Loaded into every process the tests start: a connection to 169.254.169.254 fails and says so on stderr.
const METADATA_GUARD = pathToFileURL(createRequire(import.meta.url).resolve("@codearts-package-status/test-support/metadata-guard")).href;

/** Node's arguments that run `bin` with the metadata guard loaded. */
export const nodeArgs = (bin: string, args: readonly string[]): string[] => ["--import", METADATA_GUARD, bin, ...args];

/** The documented example project and tenant, as flags. */
export const IDS = ["--project-id", String(parameterExample("ProjectId")), "--tenant-id", String(parameterExample("TenantId"))];

/** The flags that send every service, IAM included, to `url`. */
export const endpointFlags = (url: string): string[] => ["artifact", "check", "pipeline", "iam"].flatMap((service) => [`--endpoint-${service}`, url]);

/** A running server and the SDK client connected to it. */
export interface McpSession {
  client: Client;
  /** Calls a tool; the SDK client checks structuredContent against the listed output schema. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  /** Closes the client (stdin ends) and waits for the process to go. */
  close(): Promise<void>;
}

/** Starts the bin with `args` and `env` (on top of {@link CLEAN_ENV}) and connects a client. */
export async function startMcp(args: readonly string[], env: Record<string, string> = {}): Promise<McpSession> {
  const transport = new StdioClientTransport({ command: process.execPath, args: nodeArgs(BIN, args), env: { ...CLEAN_ENV, ...env }, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const client = new Client({ name: "codearts-package-status-mcp-tests", version: "0.0.0" });
  try {
    await client.connect(transport);
  } catch (error) {
    await transport.close();
    throw new Error(`the server did not start: ${String(error)}; stderr: ${stderr}`);
  }
  return {
    client,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    stderr: () => stderr,
    close: () => client.close(),
  };
}

/** The text of every text content of a result, joined by newlines. */
export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}

/** How a process ended and what it wrote. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin ...args` with `input` on stdin (then closed), to its end. */
export function runNode(bin: string, args: readonly string[], env: Record<string, string> = {}, input = ""): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs(bin, args), { env: { ...CLEAN_ENV, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}
