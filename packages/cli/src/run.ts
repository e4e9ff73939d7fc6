// One run of the report once its settings are known: set up (src/session.ts), make the report
// (src/regions-report.ts), print it.
import type { Settings } from "./command-line.js";
import { escapeJson, escapeText } from "./escape.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { renderTable } from "./format.js";
import { nagiosLine } from "./nagios.js";
import { reportRegions } from "./regions-report.js";
import { openSession } from "./session.js";
import { PROGRAM } from "./usage.js";

/** Where a run writes. */
export interface RunOutput {
  /** The table or the JSON. */
  stdout: (text: string) => void;
  /** Notes, warnings and errors, one line each. */
  stderr: (text: string) => void;
}

/** Runs the report, prints it, and returns the exit code. */
export async function run(settings: Settings, out: RunOutput): Promise<ExitCode> {
  if (!settings.nagios) return report(settings, out);
  // Icinga 2 reads a plugin's stdout and stderr as one stream, so under --nagios a stderr line
  // would land in the check's output (the mock's banner, coming first, would be its short
  // output). The status line already carries the verdict and every failed service; the notes
  // are held back, and a run that ends before its status line (no credentials, an unknown
  // region) reports why in an UNKNOWN line of its own instead.
  const held: string[] = [];
  let printed = false;
  const stdout = (text: string): void => {
    printed = true;
    out.stdout(text);
  };
  let code: ExitCode;
  try {
    code = await report(settings, { stdout, stderr: (text) => void held.push(text) });
  } catch (error) {
    if (printed) throw error;
    held.push(`${escapeText((error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " "))}\n`);
    code = EXIT.unknown;
  }
  if (!printed) {
    const reasons = held.map((line) => line.trimEnd().replace(`${PROGRAM}: `, "")).filter((line) => !line.startsWith("warning: "));
    // Already escaped as notes; `|` would start the perfdata.
    out.stdout(`CODEARTS PACKAGES UNKNOWN - ${reasons.join("; ").replace(/\|/g, "\\x7c") || "no report"}\n`);
  }
  return code;
}

async function report(settings: Settings, out: RunOutput): Promise<ExitCode> {
  // Every message line is written through here: escaped, so that what a service sent (an
  // error_msg, a request ID) stays on its one line and cannot drive the terminal.
  const note = (text: string): void => out.stderr(`${escapeText(text)}\n`);
  // Always stderr: stdout is the report alone, so `awk 'NR>1'` or a JSON parser never sees it.
  // Not with --nagios: the status line is all a plugin prints.
  const announce = (url: string) => {
    if (!settings.nagios) out.stderr(`Using the embedded mock server at ${url}: documented example data, nothing is sent to Huawei Cloud\n`);
  };
  const session = await openSession(settings, note, announce);
  if (!session) return EXIT.unknown;
  try {
    const made = await reportRegions(settings, session, { regions: settings.regions, thresholds: settings.thresholds }, (text) => note(`${PROGRAM}: ${text}`));
    if (!made.ok) {
      for (const problem of made.problems) note(`${PROGRAM}: ${problem}`);
      return EXIT.unknown;
    }
    const { report, assessment } = made;
    const { packages } = report;
    if (settings.json) out.stdout(`${escapeJson(JSON.stringify(report, null, 2))}\n`);
    else if (settings.nagios) out.stdout(nagiosLine(packages, report.errors, assessment, settings.thresholds));
    else if (packages.length > 0) {
      out.stdout(renderTable(packages, { color: settings.color, thresholds: settings.thresholds, wide: settings.wide, width: settings.width, region: settings.regions.length > 1 }));
    } else if (report.errors.length === 0) out.stdout("No packages reported.\n");

    for (const line of made.skippedLines) note(`${PROGRAM}: ${line}`);
    for (const line of made.failureLines) note(`${PROGRAM}: ${line}`);

    const { code, critical, warning, unknown } = assessment;
    const { warnDays, criticalDays } = settings.thresholds;
    if (critical.length > 0) note(`${PROGRAM}: CRITICAL: ${count(critical.length)} expired, in a status past expiry, or expiring within ${criticalDays} days`);
    if (unknown.length > 0) note(`${PROGRAM}: UNKNOWN: ${count(unknown.length)} in a status the spec does not list`);
    if (warning.length > 0) note(`${PROGRAM}: WARNING: ${count(warning.length)} expiring within ${warnDays} days`);
    return code;
  } finally {
    await session.close();
  }
}

const count = (n: number): string => `${n} package${n === 1 ? "" : "s"}`;
