// The exporter's HTTP side: /metrics for its own target and its own metrics, /probe for any
// target (blackbox_exporter's multi-target pattern: Prometheus holds the target list and the
// schedule, the exporter answers for whichever target a scrape names), and the health checks
// Prometheus and blackbox_exporter answer. Every scrape answers within its deadline, what did not
// finish reported as a service down with a `timeout` failure, as blackbox_exporter bounds a probe.
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { PACKAGE_SERVICES, type Env } from "@codearts-package-status/client";
import type * as PromClient from "prom-client";
import { escapeText } from "../escape.js";
import type { ServiceFailure } from "../report.js";
import type { TargetCache } from "./cache.js";
import { cacheAgeText, renderCollection, type Prom } from "./metrics.js";
import type { Slots } from "./slots.js";
import { BadTargetError, targetFromQuery, targetKey, type Collection, type CollectWithin, type Target } from "./target.js";

/**
 * What the cache keeps per target: a collection's exposition, rendered once, and when it was
 * made. Not its rows: a 150,000-row target held 34 MiB of them for a 1.7 MiB answer.
 */
export interface CachedAnswer {
  /** When the collection ended, in milliseconds since the epoch. */
  collectedAt: number;
  /** The exposition of the collection, its cache age left out. */
  text: string;
}

/** What the server needs: how to collect a target, the cache, the bounds, the defaults and the exporter's own registry. */
export interface ExporterServerOptions {
  prom: Prom;
  collect: (target: Target, within: CollectWithin) => Promise<Collection>;
  cache: TargetCache<CachedAnswer>;
  /** The --max-concurrent collections in flight. */
  slots: Slots;
  /** The --max-series package series per answer. */
  maxSeries: number;
  /** The scrape timeout assumed without `X-Prometheus-Scrape-Timeout-Seconds`, in seconds. */
  scrapeTimeoutSeconds: number;
  /** The target of /metrics, and the values a /probe query leaves out. */
  defaults: Target;
  /** True unless every service has an endpoint override (then a region is only a label). */
  regionRequired: boolean;
  /** The environment whose endpoint overrides decide which regions /probe may name, as for --region. */
  env: Env;
  /** The exporter's own metrics, answered on /metrics only. */
  own: PromClient.Registry;
  /** Called once per fresh collection (not per scrape), to log what failed and count what was dropped. */
  collected: (collection: Collection, droppedSeries: number) => void;
}

/** Taken off the scrape timeout Prometheus sends, for the answer to travel back: blackbox_exporter's default offset. */
export const SCRAPE_TIMEOUT_OFFSET_SECONDS = 0.5;

// The services are given up on this long before the deadline, for the answer to be rendered.
const COLLECTION_MARGIN_MS = 150;

const INDEX = `CodeArts package status exporter

/metrics  the exporter's own target, and the exporter's metrics
/probe?region=REGION&project_id=ID&tenant_id=ID  any target (a parameter left out takes the exporter's own value)
/-/healthy, /-/ready  health checks
`;

/** The milliseconds a scrape has: the timeout Prometheus sends (or the default) less the offset, at least 0.1 s. */
export function scrapeDeadlineMs(headers: IncomingHttpHeaders, defaultSeconds: number): number {
  const sent = Number(headers["x-prometheus-scrape-timeout-seconds"]);
  const seconds = Number.isFinite(sent) && sent > 0 ? sent : defaultSeconds;
  return Math.max(100, Math.round((seconds - SCRAPE_TIMEOUT_OFFSET_SECONDS) * 1000));
}

/** The request listener of the exporter: give it to an HTTP or HTTPS server. */
export function exporterRequestListener(options: ExporterServerOptions): RequestListener {
  // The answer for a target, within the scrape's deadline. `gone` aborts when the scraper leaves.
  const scrape = async (target: Target, deadlineMs: number, gone: AbortSignal): Promise<string> => {
    const started = performance.now();
    // At the deadline the answer is given whatever the collection is still doing (asking the ECS
    // metadata service for credentials, say); the collection itself stops asking the services a
    // little earlier, so that what it has is what is answered.
    const late = AbortSignal.timeout(deadlineMs);
    try {
      const answer = await options.cache.get(
        targetKey(target),
        async (cancel) => {
          // Waiting for a slot counts against the deadline too.
          const release = await options.slots.acquire(AbortSignal.any([cancel, late]));
          try {
            const collection = await options.collect(target, { signal: cancel, deadlineAt: started + deadlineMs - COLLECTION_MARGIN_MS });
            const rendered = await renderCollection(options.prom, collection, options.maxSeries);
            options.collected(collection, rendered.droppedSeries);
            return { collectedAt: collection.collectedAt, text: rendered.text };
          } finally {
            release();
          }
        },
        AbortSignal.any([gone, late]),
      );
      return answer.text + cacheAgeText((Date.now() - answer.collectedAt) / 1000);
    } catch {
      // Not collected in time (no slot, or the collection outlived its deadline), or the scraper
      // left: every service is down for this answer, which is not kept.
      return notCollected(target, deadlineMs, (performance.now() - started) / 1000);
    }
  };

  const notCollected = async (target: Target, deadlineMs: number, seconds: number): Promise<string> => {
    const message = `not collected within the scrape's deadline of ${(deadlineMs / 1000).toFixed(1)} s (${options.slots.inUse} of --max-concurrent ${options.slots.size} collections in flight, ${options.slots.waiting} waiting)`;
    const errors: ServiceFailure[] = PACKAGE_SERVICES.map((service) => ({ region: target.region ?? null, service, kind: "timeout", message, httpStatus: null, errorCode: null, requestId: null }));
    const collection: Collection = { target, services: [...PACKAGE_SERVICES], urls: {}, packages: [], errors, skipped: [], durationSeconds: seconds, collectedAt: Date.now() };
    return (await renderCollection(options.prom, collection, options.maxSeries)).text + cacheAgeText(0);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const head = request.method === "HEAD";
    const send = (status: number, contentType: string, body: string, headers: Record<string, string> = {}): void => {
      if (response.destroyed) return;
      response.writeHead(status, { "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(body)), "Cache-Control": "no-store", ...headers });
      response.end(head ? undefined : body);
    };
    const text = (status: number, body: string, headers?: Record<string, string>): void => send(status, "text/plain; charset=utf-8", body, headers);
    if (request.method !== "GET" && !head) return text(405, "only GET and HEAD\n", { Allow: "GET, HEAD" });

    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://exporter.invalid");
    } catch {
      return text(400, "malformed request target\n");
    }
    if (url.pathname === "/") return text(200, INDEX);
    // As Prometheus answers them: alive, and ready to serve (it is, once it listens).
    if (url.pathname === "/-/healthy") return text(200, "Healthy.\n");
    if (url.pathname === "/-/ready") return text(200, "Ready.\n");
    const deadlineMs = scrapeDeadlineMs(request.headers, options.scrapeTimeoutSeconds);
    const gone = new AbortController();
    response.once("close", () => {
      if (!response.writableFinished) gone.abort(new Error("the scraper went away"));
    });
    const contentType = options.prom.register.contentType;
    if (url.pathname === "/metrics") {
      // The exporter's own metrics after the collection, so that they count it.
      const target = await scrape(options.defaults, deadlineMs, gone.signal);
      return send(200, contentType, (await options.own.metrics()) + target);
    }
    if (url.pathname === "/probe") {
      let target: Target;
      try {
        target = await targetFromQuery(url.searchParams, options.defaults, options.regionRequired, options.env);
      } catch (error) {
        // The message can quote what the query sent (an unknown parameter's name): escaped as
        // the command's own output is, so a bidi override or a line separator is shown, not obeyed.
        if (error instanceof BadTargetError) return text(400, `${escapeText(error.message)}\n`);
        throw error;
      }
      return send(200, contentType, await scrape(target, deadlineMs, gone.signal));
    }
    return text(404, "not found: see / for the paths\n");
  };

  return (request, response) => {
    handle(request, response).catch(() => {
      // Not expected (a collection never rejects); the error itself is not sent, it could quote
      // what a service answered.
      if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("internal error\n");
    });
  };
}
