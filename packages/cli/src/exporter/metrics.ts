// The Prometheus metrics of a collection, following the conventions of the exporters operators
// already run: base units (seconds, as x509-certificate-exporter's expiry), expiry as a timestamp
// too (its `_not_after`), an `_info` metric of value 1 carrying the text, and `up`-style 0/1
// gauges. A collection is rendered once, when it completes, into a registry of its own (so a
// target's series never leak into another target's answer); every scrape of it until the next
// collection serves that text, with only its age added.
import type * as PromClient from "prom-client";
import type { Service } from "@codearts-package-status/client";
import type { Collection } from "./target.js";

/** prom-client, loaded by the exporter command only (the one-shot command never pays for it). */
export type Prom = typeof PromClient;

const DAY_SECONDS = 86_400;

/** The labels that name a package (its ID tells two of one type apart); the others add to them. */
const PACKAGE_LABELS = ["service", "resource", "resource_id", "resource_type", "spec_code", "region"] as const;

/** A collection's exposition, made once. */
export interface RenderedCollection {
  /** The text format of its metrics, the cache age left out. */
  text: string;
  /** Package series left out to stay within `--max-series`. */
  droppedSeries: number;
}

/**
 * Renders a collection once, at most `maxSeries` package series, the soonest to expire first
 * (the rows come sorted so, and they are the ones an alert needs). Its rows were decoded and
 * redacted when they were collected (`collectPackages`), so every label value is a string;
 * prom-client escapes it.
 */
export async function renderCollection(prom: Prom, collection: Collection, maxSeries: number): Promise<RenderedCollection> {
  const registry = new prom.Registry();
  const registers = [registry];
  const remaining = new prom.Gauge({
    name: "codearts_package_remaining_seconds",
    help: "Time left before the package's next action (its expiry) when it was collected: days left as the service reports them, times 86400. Absent for a package that does not expire.",
    labelNames: PACKAGE_LABELS,
    registers,
  });
  const expiry = new prom.Gauge({
    name: "codearts_package_expiry_timestamp_seconds",
    help: "When the package's next action (its expiry) falls, in seconds since the epoch: the collection's time plus the days left. Fixed between collections. Absent for a package that does not expire.",
    labelNames: PACKAGE_LABELS,
    registers,
  });
  const info = new prom.Gauge({
    name: "codearts_package_info",
    help: "A package as a service reports it (value 1): its status and next action, in words and as sent, and its renewal link.",
    labelNames: [...PACKAGE_LABELS, "status", "status_code", "next_action", "next_action_code", "renewal_url"],
    registers,
  });
  const up = new prom.Gauge({
    name: "codearts_service_up",
    help: "1 when the service answered the last collection, 0 when it failed (its packages are then absent). A service the region does not offer is not listed.",
    labelNames: ["service", "region"],
    registers,
  });
  const duration = new prom.Gauge({
    name: "codearts_probe_duration_seconds",
    help: "How long the collection behind this answer took, all services asked at once.",
    registers,
  });

  const region = collection.target.region ?? "";
  const collectedSeconds = collection.collectedAt / 1000;
  // Two rows with the same labels would be one series: the one that expires first is kept,
  // since it is the one an alert must see.
  const soonest = new Map<string, { labels: Record<(typeof PACKAGE_LABELS)[number], string>; seconds: number }>();
  let series = 0;
  let droppedSeries = 0;
  for (const row of collection.packages) {
    const expires = row.daysLeft !== null && Number.isFinite(row.daysLeft);
    // Its info series, and its two expiry series when it expires.
    const cost = expires ? 3 : 1;
    if (series + cost > maxSeries) {
      droppedSeries += cost;
      continue;
    }
    series += cost;
    const labels = {
      service: row.service,
      resource: row.resource,
      resource_id: row.resourceId ?? "",
      resource_type: row.resourceType ?? "",
      spec_code: row.specCode ?? "",
      region,
    };
    if (expires) {
      const key = JSON.stringify(PACKAGE_LABELS.map((name) => labels[name]));
      const seconds = (row.daysLeft as number) * DAY_SECONDS;
      const previous = soonest.get(key);
      if (previous === undefined || seconds < previous.seconds) soonest.set(key, { labels, seconds });
    }
    info.set(
      {
        ...labels,
        status: row.status,
        status_code: row.statusCode === null ? "" : String(row.statusCode),
        next_action: row.nextAction ?? "",
        next_action_code: row.nextActionCode === null ? "" : String(row.nextActionCode),
        renewal_url: row.renewalUrl ?? "",
      },
      1,
    );
  }
  for (const { labels, seconds } of soonest.values()) {
    remaining.set(labels, seconds);
    expiry.set(labels, collectedSeconds + seconds);
  }
  const failed = new Set<Service>(collection.errors.map((failure) => failure.service));
  for (const service of collection.services) up.set({ service, region }, failed.has(service) ? 0 : 1);
  duration.set(collection.durationSeconds);
  return { text: await registry.metrics(), droppedSeries };
}

/** The text of `codearts_probe_cache_age_seconds`: how old the collection behind an answer is. */
export function cacheAgeText(ageSeconds: number): string {
  return [
    "# HELP codearts_probe_cache_age_seconds How old the collection behind this answer is: collections are reused for --cache-seconds.",
    "# TYPE codearts_probe_cache_age_seconds gauge",
    `codearts_probe_cache_age_seconds ${Math.max(0, ageSeconds)}`,
    "",
  ].join("\n");
}
