// Debian's prometheus (installed by scripts/ensure-prometheus.mjs, never a downloaded binary),
// run for a test on a 127.0.0.1 port the OS picked, with the test's configuration file.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { closedPort } from "@codearts-package-status/test-support";

/** The prometheus binary the tests run. */
export const PROMETHEUS = process.env.PROMETHEUS_PATH ?? "/usr/bin/prometheus";

/** A prometheus started by {@link startPrometheus}. */
export interface RunningPrometheus {
  /** Its HTTP API, `http://127.0.0.1:PORT/api/v1`. */
  api: string;
  /** What it logged so far, for a failing test's message. */
  log(): string;
  /** Its exit code once it has exited (null while it runs). */
  exitCode(): number | null;
  /** Stops it (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts prometheus with `config` (a file's path), keeping its data in `dir`/data. */
export async function startPrometheus(config: string, dir: string): Promise<RunningPrometheus> {
  const port = await closedPort();
  let log = "";
  const child: ChildProcess = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString("utf8")));
  return {
    api: `http://127.0.0.1:${port}/api/v1`,
    log: () => log,
    exitCode: () => child.exitCode,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
