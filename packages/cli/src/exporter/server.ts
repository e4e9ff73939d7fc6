// The exporter's HTTP side: /metrics for its own target and its own metrics, /probe for any
// target (blackbox_exporter's multi-target pattern: Prometheus holds the target list and the
// schedule, the exporter answers for whichever target a scrape names).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type * as PromClient from "prom-client";
import type { Env } from "@codearts-package-status/client";
import { escapeText } from "../escape.js";
import type { TargetCache } from "./cache.js";
import { collectionRegistry, type Prom } from "./metrics.js";
import { BadTargetError, targetFromQuery, targetKey, type Collection, type Target } from "./target.js";

/** What the server needs: how to collect a target, the cache, the defaults and the exporter's own registry. */
export interface ExporterServerOptions {
  prom: Prom;
  collect: (target: Target) => Promise<Collection>;
  cache: TargetCache<Collection>;
  /** The target of /metrics, and the values a /probe query leaves out. */
  defaults: Target;
  /** True unless every service has an endpoint override (then a region is only a label). */
  regionRequired: boolean;
  /** The environment whose endpoint overrides decide which regions /probe may name, as for --region. */
  env: Env;
  /** The exporter's own metrics, answered on /metrics only. */
  own: PromClient.Registry;
  /** Called once per fresh collection (not per scrape), to log what failed. */
  collected: (collection: Collection) => void;
}

const INDEX = `CodeArts package status exporter

/metrics  the exporter's own target, and the exporter's metrics
/probe?region=REGION&project_id=ID&tenant_id=ID  any target (a parameter left out takes the exporter's own value)
`;

/** The HTTP server of the exporter (not yet listening). */
export function createExporterServer(options: ExporterServerOptions): Server {
  const scrape = async (target: Target): Promise<PromClient.Registry> => {
    const collection = await options.cache.get(targetKey(target), async () => {
      const fresh = await options.collect(target);
      options.collected(fresh);
      return fresh;
    });
    return collectionRegistry(options.prom, collection, (Date.now() - collection.collectedAt) / 1000);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const head = request.method === "HEAD";
    const send = (status: number, contentType: string, body: string, headers: Record<string, string> = {}): void => {
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
    if (url.pathname === "/metrics") {
      const registry = options.prom.Registry.merge([options.own, await scrape(options.defaults)]);
      return send(200, registry.contentType, await registry.metrics());
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
      const registry = await scrape(target);
      return send(200, registry.contentType, await registry.metrics());
    }
    return text(404, "not found: see / for the paths\n");
  };

  return createServer((request, response) => {
    handle(request, response).catch(() => {
      // Not expected (a collection never rejects); the error itself is not sent, it could quote
      // what a service answered.
      if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("internal error\n");
    });
  });
}
