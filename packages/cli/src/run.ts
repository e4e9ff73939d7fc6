// One run of the report once its settings are known: set up (src/session.ts), resolve each
// region's endpoints as the client does, ask the services, print.
import { ENV_VARIABLES, InvalidParameterError, KNOWN_REGIONS, PACKAGE_SERVICES, resolveEndpoints, type ResolvedEndpoints, type Service } from "@codearts-package-status/client";
import type { Settings } from "./command-line.js";
import { escapeJson, escapeText } from "./escape.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { formatFailure, renderTable } from "./format.js";
import { SERVICE_NAMES } from "./generated/tables.js";
import { nagiosLine } from "./nagios.js";
import { collectPackages, sortPackages, type EndpointSource, type PackageRow, type PackageStatusReport } from "./report.js";
import { openSession, plan, regionClient } from "./session.js";
import { assess } from "./severity.js";
import { suggest } from "./suggest.js";
import { PROGRAM } from "./usage.js";

/** Where a run writes. */
export interface RunOutput {
  /** The table or the JSON. */
  stdout: (text: string) => void;
  /** Notes, warnings and errors, one line each. */
  stderr: (text: string) => void;
}

/** The variables and file that can name a region's endpoints, for the message when none does. */
const ENDPOINT_OVERRIDES = `--endpoint-*, HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}, ${ENV_VARIABLES.regionsFile} or ~/.huaweicloud/regions.yaml`;

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
    // One client per region, all at once: a region whose services fail hides nothing of another's.
    const regions = settings.regions.length > 0 ? settings.regions : [undefined];
    // Where each region's services are called, worked out as the clients will (flags, Huawei's
    // HUAWEICLOUD_SDK_REGION_* variables, the regions file, the built-in table), so that the
    // services asked, the hosts in messages, the proxy chosen and --verbose all agree with them.
    let resolved: Array<Partial<Record<Service, ResolvedEndpoints>>>;
    try {
      resolved = await Promise.all(regions.map((region) => resolveEndpoints({ region, endpoints: session.endpoints, env: settings.env })));
    } catch (error) {
      if (!(error instanceof InvalidParameterError)) throw error;
      note(`${PROGRAM}: ${error.message}`);
      return EXIT.unknown;
    }
    const unserved = regions.filter((region, index) => region !== undefined && !KNOWN_REGIONS.includes(region) && PACKAGE_SERVICES.every((service) => !resolved[index]![service]));
    if (unserved.length > 0) {
      // Accepted by the parser because an override might name it; none does.
      for (const region of unserved) {
        const hint = suggest(region!, KNOWN_REGIONS);
        note(`${PROGRAM}: unknown region "${region}"${hint ? ` (did you mean ${hint}?)` : ""}: neither the built-in table nor an override (${ENDPOINT_OVERRIDES}) names its endpoints`);
      }
      return EXIT.unknown;
    }
    // The package services, and IAM when the tenant ID is discovered there.
    const endpointServices: Service[] = settings.ids.tenantId === undefined ? [...PACKAGE_SERVICES, "iam"] : [...PACKAGE_SERVICES];
    const endpointSources: EndpointSource[] = regions.flatMap((region, index) =>
      endpointServices.flatMap((service) => {
        const found = resolved[index]![service];
        if (!found) return [];
        const source: string = settings.endpoints[service] !== undefined ? "command line" : settings.mock ? "embedded mock (--mock)" : found.source === "option" ? "command line" : found.source;
        return [{ region: region ?? null, service, source }];
      }),
    );
    if (settings.verbose) {
      for (const { region, service, source } of endpointSources) note(`${PROGRAM}: ${SERVICE_NAMES[service]} endpoint${region ? ` in ${region}` : ""} from ${source}`);
    }
    const collected = await Promise.all(
      regions.map(async (region, index) => {
        const { services, skipped, hosts, urls } = plan(region, resolved[index]!);
        const client = regionClient(region, resolved[index]!, settings, session);
        return { urls, skipped, ...(await collectPackages(client, settings.ids, { services, hosts, region, redact: session.redact })) };
      }),
    );
    // Loops, not spreads: an answer may hold hundreds of thousands of rows.
    const all: PackageRow[] = [];
    for (const one of collected) for (const row of one.packages) all.push(row);
    const packages = collected.length === 1 ? all : sortPackages(all);
    const answered = collected.flatMap((one) => one.answered);
    const errors = collected.flatMap((one) => one.errors.map((failure) => ({ failure, url: one.urls[failure.service] })));
    const skipped = collected.flatMap((one) => one.skipped);
    const report: PackageStatusReport = {
      regions: settings.regions,
      mock: settings.mock,
      packages,
      answered,
      errors: errors.map((e) => e.failure),
      skipped,
      sources: { credentials: session.source, tenantId: session.tenantSource, endpoints: endpointSources },
    };

    const assessment = assess(packages, errors.length, settings.thresholds);
    if (settings.json) out.stdout(`${escapeJson(JSON.stringify(report, null, 2))}\n`);
    else if (settings.nagios) out.stdout(nagiosLine(packages, report.errors, assessment, settings.thresholds));
    else if (packages.length > 0) {
      out.stdout(renderTable(packages, { color: settings.color, thresholds: settings.thresholds, wide: settings.wide, width: settings.width, region: settings.regions.length > 1 }));
    } else if (errors.length === 0) out.stdout("No packages reported.\n");

    for (const skip of skipped) note(`${PROGRAM}: ${SERVICE_NAMES[skip.service]} skipped: ${skip.reason}`);
    for (const { failure, url } of errors) note(`${PROGRAM}: ${formatFailure(failure, session.credentialKind, session.proxyVariable(url), settings.regions.length > 1)}`);

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
