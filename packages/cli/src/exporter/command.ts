// `codearts-package-status exporter`: the command's target and credential options (parsed by
// src/cli.ts exactly as for a report) plus where to listen and how long to keep a collection.
// Runs until SIGTERM or SIGINT.
import type { AddressInfo } from "node:net";
import { PACKAGE_SERVICES, type ProvidedCredentials } from "@codearts-package-status/client";
import createRedactor from "@codearts-package-status/client/internal/redact";
import { escapeText } from "../escape.js";
import { EXIT } from "../exit-codes.js";
import { formatFailure } from "../format.js";
import { proxiedFetch, proxyVariableFor, type ProxiedFetch, type ProxySettings } from "../proxy.js";
import { credentialsFor, type RunSettings } from "../run.js";
import { TargetCache } from "./cache.js";
import type { Prom } from "./metrics.js";
import { createExporterServer } from "./server.js";
import { createCollector, type Collection } from "./target.js";

const PROGRAM = "codearts-package-status";

/** Defaults of the exporter's own flags. */
export const EXPORTER_DEFAULTS = { listen: "127.0.0.1:9842", cacheSeconds: 300, maxTargets: 1000 } as const;

/** The exporter's lines of the usage text. */
export const EXPORTER_USAGE = `Usage: ${PROGRAM} exporter [--listen HOST:PORT] [--cache-seconds N] [--max-targets N] [target and credential options]

Serves the packages as Prometheus metrics: /metrics (the target the options name, and the
exporter's own metrics) and /probe?region=&project_id=&tenant_id= (any target). Prints its URL
when ready; stops on SIGTERM or SIGINT.

  --listen HOST:PORT       where to listen (default ${EXPORTER_DEFAULTS.listen}; port 0 picks a free one;
                           :PORT listens on every interface)
  --cache-seconds N        ask each target at most once per N seconds (default ${EXPORTER_DEFAULTS.cacheSeconds})
  --max-targets N          keep at most N targets' answers, the least recently scraped dropped first
                           (default ${EXPORTER_DEFAULTS.maxTargets})
  --region, --project-id, --tenant-id, --mock, --timeout-ms, --endpoint-*, credentials and
  proxies: as for the report (see ${PROGRAM} --help)

Exit codes: 0 stopped by SIGTERM or SIGINT, 3 bad usage or cannot listen.`;

/** What the exporter command needs from src/cli.ts: its option parser, its way to report usage errors, and where to write. */
export interface ExporterContext {
  /** Parses the target and credential options as the report does. */
  parse: (argv: string[]) => RunSettings | "help" | "version";
  /** Makes the error src/cli.ts reports as a usage error. */
  usageError: (message: string) => Error;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  version: string;
  /** Resolves when the exporter should stop (SIGTERM, SIGINT). */
  stopped: Promise<unknown>;
}

interface ExporterFlags {
  listen: string;
  cacheSeconds: number;
  maxTargets: number;
  help: boolean;
  rest: string[];
}

// The exporter's own flags are taken out here; every other argument goes to the report's parser,
// so the two commands can never disagree on a target or credential option.
function takeFlags(argv: readonly string[], usageError: (message: string) => Error): ExporterFlags {
  const values: Record<string, string> = {};
  const rest: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-h" || arg === "--help") help = true;
    const match = /^--(listen|cache-seconds|max-targets)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      // The report's output and thresholds: Prometheus's alerting rules take their place.
      const reportOnly = /^--(json|nagios|warn-days|critical-days)(?:=|$)/.exec(arg);
      if (reportOnly) throw usageError(`--${reportOnly[1]} does not apply to the exporter (its alerting rules set the thresholds)`);
      rest.push(arg);
      continue;
    }
    const name = match[1] as string;
    const value = match[2] ?? argv[++i];
    if (value === undefined || (match[2] === undefined && value.startsWith("--"))) throw usageError(`--${name} needs a value`);
    // The last one wins, as for the report's options (node:util parseArgs).
    values[name] = value;
  }
  return {
    listen: values.listen ?? EXPORTER_DEFAULTS.listen,
    cacheSeconds: values["cache-seconds"] === undefined ? EXPORTER_DEFAULTS.cacheSeconds : whole("--cache-seconds", values["cache-seconds"], 0, usageError),
    maxTargets: values["max-targets"] === undefined ? EXPORTER_DEFAULTS.maxTargets : whole("--max-targets", values["max-targets"], 1, usageError),
    help,
    rest,
  };
}

function whole(flag: string, text: string, min: number, usageError: (message: string) => Error): number {
  const value = Number(text);
  // A year at most: the cache time becomes milliseconds, and a timer beyond that is meaningless.
  const max = flag === "--cache-seconds" ? 31_536_000 : 1_000_000;
  if (!/^\d+$/.test(text) || value < min || value > max) throw usageError(`${flag} must be a whole number from ${min} to ${max}`);
  return value;
}

/** `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (every interface). */
export function parseListen(text: string): { host: string | undefined; port: number } | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s/]*)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65_535) return undefined;
  const host = match[1] ?? match[2];
  return { host: host === "" ? undefined : host, port };
}

/** Runs the exporter until `context.stopped` resolves; returns the exit code. */
export async function exporterCommand(argv: readonly string[], context: ExporterContext): Promise<number> {
  const flags = takeFlags(argv, context.usageError);
  if (flags.help) return context.stdout(`${EXPORTER_USAGE}\n`), EXIT.ok;
  const settings = context.parse(flags.rest);
  if (settings === "help") return context.stdout(`${EXPORTER_USAGE}\n`), EXIT.ok;
  if (settings === "version") return context.stdout(`${context.version}\n`), EXIT.ok;
  // Its /metrics serves one target; /probe?region= serves any other.
  if (settings.regions.length > 1) throw context.usageError("the exporter takes one --region; scrape /probe?region=… for the others");
  const listen = parseListen(flags.listen);
  if (!listen) throw context.usageError("--listen must be HOST:PORT, [IPv6]:PORT or :PORT, with a port from 0 to 65535");

  const note = (text: string): void => context.stderr(`${escapeText(text)}\n`);
  let mock: { url: string; close(): Promise<void> } | undefined;
  let proxied: ProxiedFetch | undefined;
  const server = { close: async (): Promise<void> => {} };
  try {
    // Loaded here, not at the top: the report never needs it.
    const prom = (await import("prom-client")) as Prom;
    // Every credential the exporter is given, the refreshed ones too, for its redactor.
    const secrets = secretsOf(undefined, settings.proxy);
    const found = await credentialsFor(settings, note, (given) => void secrets.push(...secretsOf(given, undefined)));
    if (!found) return EXIT.unknown;
    const { first, credentialKind } = found;
    let endpoints = settings.endpoints;
    if (settings.mock) {
      const { startMockServer } = await import("@codearts-package-status/mock");
      const accessKeys = "accessKey" in first ? { [first.accessKey]: first.secretKey } : {};
      mock = await startMockServer({ host: "127.0.0.1", port: 0, credentials: { accessKeys } });
      note(`${PROGRAM} exporter: using the embedded mock server at ${mock.url}: documented example data, nothing is sent to Huawei Cloud`);
      endpoints = { artifact: mock.url, check: mock.url, pipeline: mock.url, iam: mock.url, ...settings.endpoints };
    }
    if (settings.proxy) proxied = await proxiedFetch(settings.proxy, mock ? [new URL(mock.url).host] : []);

    // Rebuilt when a refresh brought new credentials, which the clients' own redaction knows too.
    let redactor = { size: secrets.length, redact: createRedactor(secrets) };
    const redact = (text: string): string => {
      if (redactor.size !== secrets.length) redactor = { size: secrets.length, redact: createRedactor(secrets) };
      return redactor.redact(text);
    };
    const own = ownRegistry(prom, context.version);
    const cache = new TargetCache<Collection>(flags.cacheSeconds * 1000, flags.maxTargets);
    const collections = new prom.Counter({ name: "codearts_exporter_collections_total", help: "Collections made (each asks every service of one target once); scrapes served from the cache do not count.", registers: [own] });
    const failures = new prom.Counter({
      name: "codearts_exporter_service_failures_total",
      help: "Services that failed a collection, by service and kind of failure (authentication, permission, api, connection, timeout, invalid-response, other), over every target.",
      labelNames: ["service", "kind"],
      registers: [own],
    });
    new prom.Gauge({
      name: "codearts_exporter_cached_targets",
      help: "Targets whose last collection the exporter holds (at most --max-targets).",
      registers: [own],
      collect() {
        this.set(cache.size);
      },
    });
    const http = createExporterServer({
      prom,
      collect: createCollector({ credentials: found.credentials, endpoints, timeoutMs: settings.timeoutMs, fetch: proxied?.fetch }),
      cache,
      defaults: { region: settings.region, ...settings.ids },
      regionRequired: PACKAGE_SERVICES.some((service) => endpoints[service] === undefined),
      acceptsRegion: settings.acceptsRegion,
      redact,
      own,
      collected: (collection) => {
        collections.inc();
        const where = `${collection.target.region ?? "endpoints"} project ${collection.target.projectId}`;
        for (const failure of collection.errors) {
          failures.inc({ service: failure.service, kind: failure.kind });
          const url = collection.urls[failure.service];
          const proxyVariable = url === undefined || url === mock?.url ? undefined : proxyVariableFor(settings.proxy, url);
          note(`${PROGRAM} exporter: ${where}: ${redact(formatFailure(failure, credentialKind, proxyVariable))}`);
        }
      },
    });
    server.close = () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });

    try {
      await new Promise<void>((resolve, reject) => {
        http.once("error", reject);
        http.listen({ host: listen.host, port: listen.port }, () => {
          http.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      note(`${PROGRAM} exporter: cannot listen on ${flags.listen}${typeof code === "string" ? `: ${code}` : ""}`);
      return EXIT.unknown;
    }
    const address = http.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    context.stdout(`http://${host}:${address.port}/metrics\n`);
    await context.stopped;
    return EXIT.ok;
  } finally {
    await server.close();
    await proxied?.close();
    await mock?.close();
  }
}

// Every value the redactor must find in what a service sends back: the credentials, and the
// proxies' URLs and passwords.
function secretsOf(credentials: ProvidedCredentials | undefined, proxy: ProxySettings | undefined): string[] {
  const { token, accessKey, secretKey, securityToken } = (credentials ?? {}) as Partial<Record<"token" | "accessKey" | "secretKey" | "securityToken", unknown>>;
  const secrets: string[] = [token, accessKey, secretKey, securityToken].filter((value): value is string => typeof value === "string");
  for (const variable of [proxy?.http, proxy?.https]) {
    if (!variable) continue;
    secrets.push(variable.value);
    try {
      const { password } = new URL(variable.value);
      if (password) secrets.push(decodeURIComponent(password));
    } catch {
      // proxyFromEnv accepted only URLs that parse.
    }
  }
  return secrets;
}

function ownRegistry(prom: Prom, version: string): import("prom-client").Registry {
  const own = new prom.Registry();
  prom.collectDefaultMetrics({ register: own });
  // prom-client also sends these three gauges with a counter's suffix, which promtool's lint
  // (and so `promtool check metrics`) rejects; the same values stay under the names without it.
  for (const name of ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]) own.removeSingleMetric(name);
  new prom.Gauge({
    name: "codearts_exporter_build_info",
    help: "The exporter's version and the Node.js it runs on (value 1).",
    labelNames: ["version", "nodejs_version"],
    registers: [own],
  }).set({ version, nodejs_version: process.versions.node }, 1);
  return own;
}
