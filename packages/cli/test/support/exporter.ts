// Runs `codearts-package-status exporter` as its bin does, in this process (`main`, port 0 on
// 127.0.0.1), or as an operator would, in a process of its own (for signals); and loopback
// stand-ins for the three services that count what they are asked.
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { startTestServer } from "@codearts-package-status/test-support";
import { main, type MainOptions } from "../../src/main.js";
import { BIN_ARGS, CLEAN_ENV, collector, runCli } from "./cli.js";

/** An exporter that printed its URL. */
export interface RunningExporter {
  /** The URL it printed: `http://127.0.0.1:PORT/metrics` (`https://` with TLS). */
  url: string;
  /** `http://127.0.0.1:PORT` (or `https://`). */
  base: string;
  /** `127.0.0.1:PORT`. */
  address: string;
  /** Everything it printed so far. */
  stdout(): string;
  stderr(): string;
  /** Sends the signal (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

// Resolves once `stdout` holds the URL line; rejects with what was printed when `ended` comes first.
function whenListening(stdout: () => string, stderr: () => string, ended: Promise<number | null>, stop: RunningExporter["stop"]): Promise<RunningExporter> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop("SIGKILL");
      reject(new Error(`the exporter printed no URL within 20 s; stderr: ${stderr()}`));
    }, 20_000);
    const poll = setInterval(() => {
      const line = /^(https?:\/\/[^\n]+)\n/.exec(stdout());
      if (!line) return;
      clearInterval(poll);
      clearTimeout(timer);
      const url = line[1] as string;
      const base = url.replace(/\/metrics$/, "");
      resolve({ url, base, address: new URL(base).host, stdout, stderr, stop });
    }, 5);
    void ended.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(Object.assign(new Error(`the exporter exited with ${code} before printing a URL; stderr: ${stderr()}`), { code, stdout: stdout(), stderr: stderr() }));
    });
  });
}

/**
 * Starts the exporter in this process with only PATH, an empty HOME, the ECS metadata step off
 * (CLEAN_ENV) and `env` in its environment; `stop` emits the signal main listens for (any signal
 * stops it: there is no process to kill). Rejects with its output when it ends before printing a URL.
 */
export function startExporter(args: readonly string[], env: Record<string, string> = {}, options: Partial<MainOptions> = {}): Promise<RunningExporter> {
  const signals = new EventEmitter();
  const stdout = collector();
  const stderr = collector();
  const ended = main({ argv: ["exporter", ...args], env: { ...CLEAN_ENV, ...env }, stdout, stderr, signals, ...options });
  const stop = (signal: NodeJS.Signals = "SIGTERM") => {
    signals.emit(signal === "SIGINT" ? "SIGINT" : "SIGTERM");
    return ended;
  };
  return whenListening(stdout.text, stderr.text, ended, stop);
}

/** Starts the bin itself, `node bin/codearts-package-status.js exporter ...args`, in a process of its own: for what only a process shows (signals, its exit code). */
export function spawnExporter(args: readonly string[], env: Record<string, string> = {}): Promise<RunningExporter> {
  const child = spawn(process.execPath, [...BIN_ARGS, "exporter", ...args], { env: { ...CLEAN_ENV, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const ended = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return ended;
  };
  return whenListening(() => stdout, () => stderr, ended, stop);
}

/** Runs `exporter ...args` in this process to its end (for usage errors). */
export function runExporter(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCli(["exporter", ...args], env);
}

export type Service = "artifact" | "check" | "pipeline";

/** One answer of a stand-in service. */
export interface Answer {
  status: number;
  body: unknown;
}

/** Each service's answer with one package each (Pipeline's does not expire). */
export const ONE_PACKAGE_EACH: Record<Service, Answer> = {
  artifact: { status: 200, body: { status: "success", result: { codeartsStorageExtension: { packageStatus: 2, remainDays: 11, serviceType: "hws.resource.type.codearts.extension.storage", nextActionUrl: "https://renew.example/artifact" } } } },
  check: {
    status: 200,
    body: {
      result: {
        main_resource_list: [{ resourceType: "hws.resource.type.codearts.combo", resourceSpecCode: "codearts.china.enterprise", status: "normal" }],
        other_resource_list: [],
        tips: { status: 2, next_action: 0, next_action_remain_day: 32, next_action_url: "https://renew.example/check" },
      },
    },
  },
  pipeline: { status: 200, body: [{ resource_name: "CodeArts Combo", resource_type: "hws.resource.type.codearts.combo", resource_spec_code: "codearts.china.free", tips: null }] },
};

/** Loopback stand-ins for the three services on one port, counting the requests each saw. */
export interface Services {
  url: string;
  /** The `--endpoint-*` flags that send every service here. */
  flags: string[];
  counts: Record<Service, number>;
  /** Requests seen, with their query strings. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts the stand-ins; `answer` is asked at each request, after `delayMs`. */
export async function startServices(answer: (service: Service) => Answer, delayMs = 0): Promise<Services> {
  const counts: Record<Service, number> = { artifact: 0, check: 0, pipeline: 0 };
  const requests: string[] = [];
  const server = await startTestServer(async (request) => {
    const service: Service = request.url.startsWith("/devreposerver/") ? "artifact" : request.url.startsWith("/v4/") ? "check" : "pipeline";
    counts[service]++;
    requests.push(request.url);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return answer(service);
  });
  return { url: server.url, flags: ["--endpoint-artifact", server.url, "--endpoint-check", server.url, "--endpoint-pipeline", server.url], counts, requests, close: () => server.close() };
}

/** One sample of the text format: name, labels (unescaped) and value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses the Prometheus text format written independently of prom-client: comments skipped,
 * label values unescaped (`\\`, `\"`, `\n`). Throws on a line it cannot read, so a value that
 * breaks out of its quotes fails the test.
 */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (!head) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const name = head[1] as string;
    let i = name.length;
    const labels: Record<string, string> = {};
    if (line[i] === "{") {
      i++;
      while (line[i] !== "}") {
        const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(i));
        if (!label) throw new Error(`bad label at ${i}: ${JSON.stringify(line)}`);
        i += label[0].length;
        let value = "";
        for (;;) {
          const char = line[i++];
          if (char === undefined) throw new Error(`unterminated label value: ${JSON.stringify(line)}`);
          if (char === '"') break;
          if (char === "\\") {
            const next = line[i++];
            if (next === "n") value += "\n";
            else if (next === "\\" || next === '"') value += next;
            else throw new Error(`bad escape \\${next}: ${JSON.stringify(line)}`);
          } else value += char;
        }
        labels[label[1] as string] = value;
        if (line[i] === ",") i++;
      }
      i++;
    }
    const rest = line.slice(i);
    if (!/^ [^ ]+$/.test(rest)) throw new Error(`bad value: ${JSON.stringify(line)}`);
    samples.push({ name, labels, value: Number(rest.slice(1)) });
  }
  return samples;
}

/** The samples of one metric. */
export const samplesOf = (samples: Sample[], name: string): Sample[] => samples.filter((sample) => sample.name === name);
