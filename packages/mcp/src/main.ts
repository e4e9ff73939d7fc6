// The server as a function: arguments, environment and streams in, exit code out, so tests run
// it in-process as they spawn the bin (bin/codearts-package-status-mcp.js).
import { createRequire } from "node:module";
import type { Readable, Writable } from "node:stream";
import { escapeJson, runWithReporter, type ExitCode } from "@codearts-package-status/cli";
import type { Env } from "@codearts-package-status/client";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { createMcpServer } from "./server.js";
import { USAGE, PROGRAM } from "./usage.js";

/** What {@link main} runs with. */
export interface McpMainOptions {
  /** The arguments after the program's name: the report's options (`--region`, `--mock`, …). */
  argv: readonly string[];
  /** The environment, read as `codearts-package-status` reads it. */
  env: Env;
  /** Where the client's messages come from. */
  stdin: Readable;
  /** Where the server's messages go: the protocol alone. */
  stdout: Writable;
  /** Where notes, warnings and problems go, one line each. */
  stderr: Pick<Writable, "write">;
}

/**
 * Runs the stdio MCP server until its client closes stdin; resolves to the exit code of the
 * toolkit's convention (0, or 3 for bad usage or no credentials, one line each on stderr).
 */
export async function main(options: McpMainOptions): Promise<ExitCode> {
  const version = (createRequire(import.meta.url)("../package.json") as { version: string }).version;
  return runWithReporter({
    program: PROGRAM,
    usage: USAGE,
    version,
    argv: options.argv,
    env: options.env,
    stdout: (text) => void options.stdout.write(text),
    stderr: (text) => void options.stderr.write(text),
    async serve(reporter) {
      const server = createMcpServer(reporter, { version });
      const transport = new EscapingStdioTransport(options.stdin, options.stdout);
      let readerGone = false;
      const closed = new Promise<void>((resolve) => {
        server.onclose = resolve;
        // The client went away (stdin ended, or stdout's reader closed: EPIPE, which unheard
        // would end the process with a stack): the conversation is over.
        options.stdin.once("end", resolve);
        options.stdin.once("close", resolve);
        options.stdout.on("error", () => {
          readerGone = true;
          resolve();
        });
      });
      await server.connect(transport);
      await closed;
      // A client that wrote its requests and closed stdin (a script piping them in) still gets
      // every answer: the calls in flight finish before the server closes.
      if (!readerGone) await transport.answered();
      await server.close();
      return 0;
    },
  });
}

/**
 * The SDK's stdio transport with each line escaped as `--json` escapes it: the same JSON values,
 * but no character of what a service sent (a bidi override, an ANSI escape's C1 form) reaches a
 * terminal or log viewer that shows the conversation raw. It also knows which requests are still
 * unanswered, so that the server ends only after answering them.
 */
class EscapingStdioTransport extends StdioServerTransport {
  private readonly unanswered = new Set<string | number>();
  private allAnswered: (() => void) | undefined;

  constructor(
    stdin: Readable,
    private readonly out: Writable,
  ) {
    super(stdin, out);
  }

  override start(): Promise<void> {
    // The server installs its handler before it starts the transport (Protocol.connect).
    const deliver = this.onmessage;
    this.onmessage = (message: JSONRPCMessage) => {
      if ("method" in message && "id" in message) this.unanswered.add(message.id);
      // A cancelled request is never answered (the SDK drops its result).
      else if ("method" in message && message.method === "notifications/cancelled") this.settle((message.params as { requestId?: string | number } | undefined)?.requestId);
      deliver?.(message);
    };
    return super.start();
  }

  override send(message: JSONRPCMessage): Promise<void> {
    if (!("method" in message) && "id" in message) this.settle(message.id);
    return new Promise((resolve) => {
      if (this.out.write(`${escapeJson(JSON.stringify(message))}\n`)) resolve();
      else this.out.once("drain", resolve);
    });
  }

  /** Resolves once every request received so far is answered or cancelled. */
  answered(): Promise<void> {
    if (this.unanswered.size === 0) return Promise.resolve();
    return new Promise((resolve) => (this.allAnswered = resolve));
  }

  private settle(id: string | number | undefined): void {
    if (id === undefined || !this.unanswered.delete(id) || this.unanswered.size > 0) return;
    this.allAnswered?.();
  }
}
