// How bad each package is, and so the exit code of a run: the thresholds are days left, and a
// package already past its expiry (or unusable) is critical whatever its days left say.
import { DEFAULT_CRITICAL_DAYS, DEFAULT_WARN_DAYS, EXIT, type ExitCode } from "./exit-codes.js";
import { RESOURCE_STATUS_WORDS, TIPS_STATUS_WORDS } from "./generated/tables.js";
import type { PackageRow } from "./report.js";

/** The day thresholds of WARNING and CRITICAL. */
export interface Thresholds {
  /** A package with this many days left or fewer is a WARNING. */
  warnDays: number;
  /** A package with this many days left or fewer is CRITICAL. */
  criticalDays: number;
}

/** The default thresholds: {@link DEFAULT_WARN_DAYS} and {@link DEFAULT_CRITICAL_DAYS}. */
export const DEFAULT_THRESHOLDS: Thresholds = { warnDays: DEFAULT_WARN_DAYS, criticalDays: DEFAULT_CRITICAL_DAYS };

/**
 * The thresholds from the days given (whole numbers, 0 or more), the defaults for the rest.
 * Given only one, the other follows it: a warning at 3 days alone makes CRITICAL 3 days too,
 * rather than an error about a default nobody typed. Undefined when `criticalDays` is more than
 * `warnDays`.
 */
export function thresholdsOf(warnDays: number | undefined, criticalDays: number | undefined): Thresholds | undefined {
  if (warnDays !== undefined && criticalDays !== undefined && criticalDays > warnDays) return undefined;
  return {
    warnDays: warnDays ?? Math.max(DEFAULT_WARN_DAYS, criticalDays ?? 0),
    criticalDays: criticalDays ?? Math.min(DEFAULT_CRITICAL_DAYS, warnDays ?? DEFAULT_CRITICAL_DAYS),
  };
}

/** What a package's state means for its owner; `unknown` when its status code is one the spec does not list. */
export type Severity = "ok" | "warning" | "unknown" | "critical";

// Status codes (as the JSON carries them, strings) that mean the package no longer works: past
// its expiry (`tips.status` 3 deleted, 4 retention period, 5 grace period), frozen (99), or a
// Check resource frozen or closed. Its days left, if any, count down to the next step, not to
// the expiry, so they must not make it look fine.
const PAST_EXPIRY: Readonly<Record<PackageRow["service"], ReadonlySet<string>>> = {
  artifact: new Set(["3", "4", "5", "99"]),
  check: new Set(["freeze", "close"]),
  pipeline: new Set(["3", "4", "5", "99"]),
};

// Every status code each service's vocabulary has (the spec's enums, through the generated tables).
const KNOWN_STATUS: Readonly<Record<PackageRow["service"], ReadonlySet<string>>> = {
  artifact: new Set(Object.keys(TIPS_STATUS_WORDS)),
  check: new Set(Object.keys(RESOURCE_STATUS_WORDS)),
  pipeline: new Set(Object.keys(TIPS_STATUS_WORDS)),
};

// The expiry information's (`tips.status`) codes: past expiry, and every one the spec lists.
const TIPS_PAST_EXPIRY: ReadonlySet<string> = PAST_EXPIRY.pipeline;
const TIPS_KNOWN: ReadonlySet<string> = KNOWN_STATUS.pipeline;

/**
 * The severity of one package under the thresholds: its own status and its expiry information's
 * (`expiryStatusCode`, the whole subscription's for CodeArts Check) both count. A status code the
 * spec does not list (a later API version's) is `unknown` unless its days left are already
 * critical: the package may be frozen, and a check that does not know must not say OK.
 */
export function severityOf(row: PackageRow, thresholds: Thresholds = DEFAULT_THRESHOLDS): Severity {
  const status = row.statusCode === null ? null : String(row.statusCode);
  const expiry = row.expiryStatusCode === null || row.expiryStatusCode === undefined ? null : String(row.expiryStatusCode);
  if (status !== null && PAST_EXPIRY[row.service]?.has(status)) return "critical";
  if (expiry !== null && TIPS_PAST_EXPIRY.has(expiry)) return "critical";
  const days = typeof row.daysLeft === "number" ? row.daysLeft : null;
  if (days !== null && days <= thresholds.criticalDays) return "critical";
  if (status !== null && !KNOWN_STATUS[row.service]?.has(status)) return "unknown";
  if (expiry !== null && !TIPS_KNOWN.has(expiry)) return "unknown";
  if (days === null) return "ok";
  return days <= thresholds.warnDays ? "warning" : "ok";
}

/** The outcome of a run: its exit code and the packages that made it so. */
export interface Assessment {
  /** The exit code ({@link EXIT}). */
  code: ExitCode;
  /** The packages that are critical. */
  critical: PackageRow[];
  /** The packages that are warnings (not critical). */
  warning: PackageRow[];
  /** The packages in a status the spec does not list (not critical). */
  unknown: PackageRow[];
}

/**
 * The exit code of a report: CRITICAL when any package is critical; else UNKNOWN when a service
 * failed or a package is in a status the spec does not list (either may hide worse than a
 * warning); else WARNING or OK.
 */
export function assess(packages: readonly PackageRow[], failedServices: number, thresholds: Thresholds = DEFAULT_THRESHOLDS): Assessment {
  const graded: Record<Severity, PackageRow[]> = { ok: [], warning: [], unknown: [], critical: [] };
  for (const row of packages) graded[severityOf(row, thresholds)].push(row);
  const { critical, warning, unknown } = graded;
  const code = critical.length > 0 ? EXIT.critical : failedServices > 0 || unknown.length > 0 ? EXIT.unknown : warning.length > 0 ? EXIT.warning : EXIT.ok;
  return { code, critical, warning, unknown };
}
