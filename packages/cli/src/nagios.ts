// `--nagios`: the one status line a Nagios plugin prints, so the command runs as an Icinga,
// Nagios or Zabbix check with graphs: "CODEARTS PACKAGES WARNING - …|perfdata", perfdata in
// base units (seconds), thresholds in the same units.
import { SERVICE_NAMES } from "@codearts-package-status/client";
import { escapeText } from "./escape.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import type { PackageRow, ServiceFailure } from "./report.js";
import type { Assessment, Thresholds } from "./severity.js";

const STATE: Readonly<Record<ExitCode, string>> = { [EXIT.ok]: "OK", [EXIT.warning]: "WARNING", [EXIT.critical]: "CRITICAL", [EXIT.unknown]: "UNKNOWN" };
const DAY_SECONDS = 86_400;

// Text from the services, made safe for the one line: escaped like every other output, and
// `|`, which starts the perfdata, written as \x7c.
const text = (value: string): string => escapeText(value).replace(/\|/g, "\\x7c");

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

function which(row: PackageRow, showStatus = false): string {
  const days = showStatus || row.daysLeft === null ? row.status : row.daysLeft < 0 ? `expired ${-row.daysLeft} days ago` : `${row.daysLeft} days left`;
  return `${text(row.resource)} (${SERVICE_NAMES[row.service]}${row.region ? ` ${text(row.region)}` : ""}: ${text(days)})`;
}

/** The Nagios plugin output of a report: one line, a newline at its end. */
export function nagiosLine(packages: readonly PackageRow[], errors: readonly ServiceFailure[], assessment: Assessment, thresholds: Thresholds): string {
  const { code, critical, warning, unknown } = assessment;
  const parts: string[] = [];
  // The worst first, as a pager shows only the start of the line.
  if (critical.length > 0) parts.push(`${plural(critical.length, "package")} critical (expired, past expiry or within ${thresholds.criticalDays} days): ${critical.slice(0, 3).map((row) => which(row)).join(", ")}${critical.length > 3 ? ", …" : ""}`);
  if (errors.length > 0) parts.push(`${plural(errors.length, "service")} failed: ${errors.map((e) => `${SERVICE_NAMES[e.service]}${e.region ? ` ${text(e.region)}` : ""}: ${text(e.message)}`).join("; ")}`);
  if (unknown.length > 0) parts.push(`${plural(unknown.length, "package")} in a status the spec does not list: ${unknown.slice(0, 3).map((row) => which(row, true)).join(", ")}${unknown.length > 3 ? ", …" : ""}`);
  if (warning.length > 0) parts.push(`${plural(warning.length, "package")} within ${thresholds.warnDays} days: ${warning.slice(0, 3).map((row) => which(row)).join(", ")}${warning.length > 3 ? ", …" : ""}`);
  if (parts.length === 0) parts.push(`${plural(packages.length, "package")}, none expires within ${thresholds.warnDays} days`);

  let soonest: number | undefined;
  for (const row of packages) if (row.daysLeft !== null && (soonest === undefined || row.daysLeft < soonest)) soonest = row.daysLeft;
  const perfdata = [
    // 'label'=value[UOM];warn;crit;min;max, in seconds; left out when no package expires. A
    // range `N:` alerts below N: whole days at or under --warn-days are under (days + 1) × 86400.
    ...(soonest === undefined ? [] : [`'soonest_expiry'=${soonest * DAY_SECONDS}s;${(thresholds.warnDays + 1) * DAY_SECONDS}:;${(thresholds.criticalDays + 1) * DAY_SECONDS}:;;`]),
    `'packages'=${packages.length};;;0;`,
    `'packages_warning'=${warning.length};;;0;`,
    `'packages_critical'=${critical.length};;;0;`,
    `'packages_unknown'=${unknown.length};;;0;`,
    `'services_failed'=${errors.length};;;0;`,
  ];
  return `CODEARTS PACKAGES ${STATE[code]} - ${parts.join("; ")}|${perfdata.join(" ")}\n`;
}
