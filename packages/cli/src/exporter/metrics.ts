// The Prometheus metrics of a collection, following the conventions of the exporters operators
// already run: base units (seconds, as x509-certificate-exporter's expiry), an `_info` metric of
// value 1 carrying the text, and `up`-style 0/1 gauges. Every scrape renders into a registry of
// its own, so a target's series never leak into another target's answer.
import type * as PromClient from "prom-client";
import type { Service } from "@codearts-package-status/client";
import type { Collection } from "./target.js";

/** prom-client, loaded by the exporter command only (the one-shot command never pays for it). */
export type Prom = typeof PromClient;

const DAY_SECONDS = 86_400;

/** The labels that name a package (its ID tells two of one type apart); the others add to them. */
const PACKAGE_LABELS = ["service", "resource", "resource_id", "resource_type", "spec_code", "region"] as const;

/**
 * A registry holding the metrics of one collection, `age` seconds after it was made. Its rows
 * were decoded and redacted when they were collected (`collectPackages`), so every label value
 * is a string; prom-client escapes it.
 */
export function collectionRegistry(prom: Prom, collection: Collection, ageSeconds: number): PromClient.Registry {
  const registry = new prom.Registry();
  const registers = [registry];
  const remaining = new prom.Gauge({
    name: "codearts_package_remaining_seconds",
    help: "Time left before the package's next action (its expiry): days left as the service reports them, times 86400. Absent for a package that does not expire.",
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
  const age = new prom.Gauge({
    name: "codearts_probe_cache_age_seconds",
    help: "How old the collection behind this answer is: collections are reused for --cache-seconds.",
    registers,
  });

  const region = collection.target.region ?? "";
  // Two rows with the same labels would be one series: the one that expires first is kept,
  // since it is the one an alert must see.
  const soonest = new Map<string, { labels: Record<(typeof PACKAGE_LABELS)[number], string>; seconds: number }>();
  for (const row of collection.packages) {
    const labels = {
      service: row.service,
      resource: row.resource,
      resource_id: row.resourceId ?? "",
      resource_type: row.resourceType ?? "",
      spec_code: row.specCode ?? "",
      region,
    };
    if (row.daysLeft !== null && Number.isFinite(row.daysLeft)) {
      const key = JSON.stringify(PACKAGE_LABELS.map((name) => labels[name]));
      const seconds = row.daysLeft * DAY_SECONDS;
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
  for (const { labels, seconds } of soonest.values()) remaining.set(labels, seconds);
  const failed = new Set<Service>(collection.errors.map((failure) => failure.service));
  for (const service of collection.services) up.set({ service, region }, failed.has(service) ? 0 : 1);
  duration.set(collection.durationSeconds);
  age.set(Math.max(0, ageSeconds));
  return registry;
}
