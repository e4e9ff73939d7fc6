#!/usr/bin/env node
import { parseArgs } from "node:util";
import { startMockServer, type MockServerOptions } from "./server.js";

const USAGE = `Usage: codearts-package-status-mock [--port N] [--host ADDR] [--access-key AK:SK]... [--latency-ms N]
                                    [--request-log-size N] [--max-body-bytes N] [--docs]

Serves every operation of the CodeArts package status API spec on one port and prints its URL.
  --port N              port to listen on (default 0: a free port)
  --host ADDR           interface to listen on (default 127.0.0.1)
  --access-key AK:SK    accept AK/SK signatures of this access key; repeatable
  --latency-ms N        delay every response by N milliseconds
  --request-log-size N  how many recent requests to keep in memory (default 1000; 0: none)
  --max-body-bytes N    answer 413 to larger request bodies without reading them (default 65536)
  --docs                also serve the API reference at /docs, its try-it sending to this mock
Stops on SIGINT or SIGTERM. Exit codes: 0 stopped by a signal, 3 bad usage or the server could not start.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "access-key": { type: "string", multiple: true },
      "latency-ms": { type: "string" },
      "request-log-size": { type: "string" },
      "max-body-bytes": { type: "string" },
      docs: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const options: MockServerOptions = {};
  if (values.port !== undefined) options.port = integer("--port", values.port);
  if (values.host !== undefined) options.host = values.host;
  if (values["latency-ms"] !== undefined) options.latencyMs = integer("--latency-ms", values["latency-ms"]);
  if (values["request-log-size"] !== undefined) options.requestLogSize = integer("--request-log-size", values["request-log-size"]);
  if (values["max-body-bytes"] !== undefined) options.maxBodyBytes = integer("--max-body-bytes", values["max-body-bytes"]);
  const accessKeys: Record<string, string> = {};
  for (const pair of values["access-key"] ?? []) {
    // Split on the first colon only: secret keys may contain colons, access keys do not.
    const colon = pair.indexOf(":");
    if (colon <= 0 || colon === pair.length - 1) throw new UsageError("--access-key must be AK:SK");
    accessKeys[pair.slice(0, colon)] = pair.slice(colon + 1);
  }
  options.credentials = { accessKeys };
  if (values.docs === true) options.docs = true;

  const server = await startMockServer(options);
  process.stdout.write(`${server.url}\n`);
  // On stderr, so that stdout stays the one line scripts read the mock's URL from.
  if (options.docs === true) process.stderr.write(`API reference with try-it: ${server.url}/docs\n`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

class UsageError extends Error {}

// The toolkit's one convention (the Nagios plugin one, as the report command's
// packages/cli/src/exit-codes.ts): a server that cannot start is UNKNOWN, like bad usage.
const EXIT_UNKNOWN = 3;

function integer(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new UsageError(`${flag} must be a non-negative integer`);
  return value;
}

main().catch((error: unknown) => {
  // Only the message: a stack or the options object could echo a secret key given on the command line.
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  const usage = error instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
  process.stderr.write(`codearts-package-status-mock: ${message}\n${usage ? `\n${USAGE}\n` : ""}`);
  process.exit(EXIT_UNKNOWN);
});
