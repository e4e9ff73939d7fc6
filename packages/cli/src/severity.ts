// How bad each package is, and so the exit code of a run: the thresholds are days left, and a
// package already past its expiry (or unusable) is critical whatever its days left say.
import { DEFAULT_CRITICAL_DAYS, DEFAULT_WARN_DAYS, EXIT, type ExitCode } from "./exit-codes.js";
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

/** What a package's state means for its owner. */
export type Severity = "ok" | "warning" | "critical";

// Status codes (as the JSON carries them, strings) that mean the package no longer works: past
// its expiry (`tips.status` 3 deleted, 4 retention period, 5 grace period), frozen (99), or a
// Check resource frozen or closed. Its days left, if any, count down to the next step, not to
// the expiry, so they must not make it look fine.
const PAST_EXPIRY: Readonly<Record<PackageRow["service"], ReadonlySet<string>>> = {
  artifact: new Set(["3", "4", "5", "99"]),
  check: new Set(["freeze", "close"]),
  pipeline: new Set(["3", "4", "5", "99"]),
};

/** The severity of one package under the thresholds. */
export function severityOf(row: PackageRow, thresholds: Thresholds = DEFAULT_THRESHOLDS): Severity {
  if (row.statusCode !== null && PAST_EXPIRY[row.service]?.has(String(row.statusCode))) return "critical";
  if (typeof row.daysLeft !== "number") return "ok";
  if (row.daysLeft <= thresholds.criticalDays) return "critical";
  return row.daysLeft <= thresholds.warnDays ? "warning" : "ok";
}

/** The outcome of a run: its exit code and the packages that made it so. */
export interface Assessment {
  /** The exit code ({@link EXIT}). */
  code: ExitCode;
  /** The packages that are critical. */
  critical: PackageRow[];
  /** The packages that are warnings (not critical). */
  warning: PackageRow[];
}

/**
 * The exit code of a report: CRITICAL when any package is critical; else UNKNOWN when a service
 * failed (what it would have reported may be worse than a warning); else WARNING or OK.
 */
export function assess(packages: readonly PackageRow[], failedServices: number, thresholds: Thresholds = DEFAULT_THRESHOLDS): Assessment {
  const critical: PackageRow[] = [];
  const warning: PackageRow[] = [];
  for (const row of packages) {
    const severity = severityOf(row, thresholds);
    if (severity === "critical") critical.push(row);
    else if (severity === "warning") warning.push(row);
  }
  const code = critical.length > 0 ? EXIT.critical : failedServices > 0 ? EXIT.unknown : warning.length > 0 ? EXIT.warning : EXIT.ok;
  return { code, critical, warning };
}
