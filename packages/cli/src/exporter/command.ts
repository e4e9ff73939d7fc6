// `codearts-package-status exporter`: serves the target its options name, and any other one,
// as Prometheus metrics until it is told to stop. Its options are parsed with the report's
// (src/command-line.ts), and it sets up exactly as a report does (src/session.ts).
import type { AddressInfo } from "node:net";
import { PACKAGE_SERVICES } from "@codearts-package-status/client";
import type { Settings } from "../command-line.js";
import { escapeText } from "../escape.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { formatFailure } from "../format.js";
import { openSession } from "../session.js";
import { EXPORTER_DEFAULTS, PROGRAM } from "../usage.js";
import { TargetCache } from "./cache.js";
import type { Prom } from "./metrics.js";
import { exporterRequestListener, type CachedAnswer } from "./server.js";
import { Slots } from "./slots.js";
import { createCollector } from "./target.js";
import { loadWebConfig, PLAIN_HTTP, WebConfigError, type WebConfig } from "./web-config.js";

/** What the exporter needs besides its settings: where to write, and when to stop. */
export interface ExporterContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  version: string;
  /** Resolves when the exporter should stop (SIGTERM, SIGINT). */
  stopped: Promise<unknown>;
  /** A monotonic clock in milliseconds, for the cache's time to live. */
  now: () => number;
}

/** Runs the exporter until `context.stopped` resolves; returns the exit code. */
export async function exporterCommand(settings: Settings, context: ExporterContext): Promise<ExitCode> {
  const note = (text: string): void => context.stderr(`${escapeText(text)}\n`);
  // Before anything starts (the mock, a credential lookup): a file that cannot be used is one line and exit 3.
  let web: WebConfig = PLAIN_HTTP;
  if (settings.webConfig !== undefined) {
    try {
      web = await loadWebConfig(settings.webConfig);
    } catch (error) {
      if (!(error instanceof WebConfigError)) throw error;
      note(`${PROGRAM} exporter: --web-config ${settings.webConfig}: ${error.message}`);
      return EXIT.unknown;
    }
  }
  const announce = (url: string) => note(`${PROGRAM} exporter: using the embedded mock server at ${url}: documented example data, nothing is sent to Huawei Cloud`);
  const session = await openSession(settings, note, announce);
  if (!session) return EXIT.unknown;
  const server = { close: async (): Promise<void> => {} };
  try {
    // Loaded here, not at the top: the report never needs it.
    const prom = (await import("prom-client")) as Prom;
    const own = ownRegistry(prom, context.version);
    const cache = new TargetCache<CachedAnswer>(settings.cacheSeconds * 1000, settings.maxTargets, context.now);
    const slots = new Slots(settings.maxConcurrent);
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
    new prom.Gauge({
      name: "codearts_exporter_collections_in_flight",
      help: "Collections running now (at most --max-concurrent).",
      registers: [own],
      collect() {
        this.set(slots.inUse);
      },
    });
    new prom.Gauge({
      name: "codearts_exporter_collections_waiting",
      help: "Scrapes waiting for a free --max-concurrent slot now.",
      registers: [own],
      collect() {
        this.set(slots.waiting);
      },
    });
    const dropped = new prom.Counter({
      name: "codearts_exporter_series_dropped_total",
      help: "Package series left out of answers to stay within --max-series, counted once per collection, over every target.",
      registers: [own],
    });
    const http = web.createServer(
      exporterRequestListener({
        prom,
        collect: createCollector(settings, session),
        cache,
        slots,
        maxSeries: settings.maxSeries,
        scrapeTimeoutSeconds: EXPORTER_DEFAULTS.scrapeTimeoutSeconds,
        defaults: { region: settings.region, ...settings.ids },
        regionRequired: PACKAGE_SERVICES.some((service) => session.endpoints[service] === undefined),
        env: settings.env,
        own,
        collected: (collection, droppedSeries) => {
          collections.inc();
          dropped.inc(droppedSeries);
          const where = `${collection.target.region ?? "endpoints"} project ${collection.target.projectId}`;
          for (const failure of collection.errors) {
            failures.inc({ service: failure.service, kind: failure.kind });
            note(`${PROGRAM} exporter: ${where}: ${formatFailure(failure, session.credentialKind, session.proxyVariable(collection.urls[failure.service]))}`);
          }
        },
      }),
    );
    server.close = () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });

    const { listen } = settings;
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
      note(`${PROGRAM} exporter: cannot listen on ${listen.text}${typeof code === "string" ? `: ${code}` : ""}`);
      return EXIT.unknown;
    }
    const address = http.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    context.stdout(`${web.scheme}://${host}:${address.port}/metrics\n`);
    await context.stopped;
    return EXIT.ok;
  } finally {
    await server.close();
    await session.close();
  }
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
