// The report over a run's regions, from a session that is already open: each region's endpoints
// resolved as its client resolves them, every package service asked, the rows merged and sorted,
// the verdict taken. The command prints what this returns (src/run.ts); the MCP server
// (@codearts-package-status/mcp) hands it to an assistant: both are this one path.
import { ENV_VARIABLES, InvalidParameterError, KNOWN_REGIONS, PACKAGE_SERVICES, resolveEndpoints, SERVICE_NAMES, type ResolvedEndpoints, type Service } from "@codearts-package-status/client";
import { unknownRegion, type Settings } from "./command-line.js";
import { formatFailure } from "./format.js";
import { collectPackages, sortPackages, type EndpointSource, type PackageRow, type PackageStatusReport } from "./report.js";
import { plan, regionClient, type Session } from "./session.js";
import { assess, type Assessment, type Thresholds } from "./severity.js";

/** The variables and file that can name a region's endpoints, for the message when none does. */
const ENDPOINT_OVERRIDES = `--endpoint-*, HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}, ${ENV_VARIABLES.regionsFile} or ~/.huaweicloud/regions.yaml`;

/** A report over regions, or why none could be made. */
export type RegionsReport =
  | {
      ok: true;
      /** What `--json` prints. */
      report: PackageStatusReport;
      /** The verdict under the thresholds asked. */
      assessment: Assessment;
      /** One line per failed service as the command prints it, hint included; not yet escaped. */
      failureLines: string[];
      /** One line per service a region does not offer; not yet escaped. */
      skippedLines: string[];
    }
  | {
      ok: false;
      /** What stopped it before any service was asked (an unknown region), one line each; not yet escaped. */
      problems: string[];
    };

/**
 * Reports on `regions` (none: the endpoint overrides or the mock alone) with `thresholds`.
 * `note` hears the --verbose lines, before any service is asked.
 */
export async function reportRegions(
  settings: Settings,
  session: Session,
  request: { regions: readonly string[]; thresholds: Thresholds; signal?: AbortSignal | undefined },
  note: (text: string) => void,
): Promise<RegionsReport> {
  // One client per region, all at once: a region whose services fail hides nothing of another's.
  const regions: Array<string | undefined> = request.regions.length > 0 ? [...request.regions] : [undefined];
  // Where each region's services are called, worked out as the clients will (flags, Huawei's
  // HUAWEICLOUD_SDK_REGION_* variables, the regions file, the built-in table), so that the
  // services asked, the hosts in messages, the proxy chosen and --verbose all agree with them.
  let resolved: Array<Partial<Record<Service, ResolvedEndpoints>>>;
  try {
    resolved = await Promise.all(regions.map((region) => resolveEndpoints({ region, endpoints: session.endpoints, env: settings.env })));
  } catch (error) {
    if (!(error instanceof InvalidParameterError)) throw error;
    return { ok: false, problems: [error.message] };
  }
  const unserved = regions.filter((region, index) => region !== undefined && !KNOWN_REGIONS.includes(region) && PACKAGE_SERVICES.every((service) => !resolved[index]![service]));
  if (unserved.length > 0) {
    // Accepted by the parser because an override might name it; none does.
    return {
      ok: false,
      problems: unserved.map((region) => `${unknownRegion(region!)}: neither the built-in table nor an override (${ENDPOINT_OVERRIDES}) names its endpoints`),
    };
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
    for (const { region, service, source } of endpointSources) note(`${SERVICE_NAMES[service]} endpoint${region ? ` in ${region}` : ""} from ${source}`);
  }
  const collected = await Promise.all(
    regions.map(async (region, index) => {
      const { services, skipped, hosts, urls } = plan(region, resolved[index]!);
      const client = regionClient(region, resolved[index]!, settings, session);
      return { urls, skipped, ...(await collectPackages(client, settings.ids, { services, hosts, region, redact: session.redact, signal: request.signal })) };
    }),
  );
  // Loops, not spreads: an answer may hold hundreds of thousands of rows.
  const all: PackageRow[] = [];
  for (const one of collected) for (const row of one.packages) all.push(row);
  const packages = collected.length === 1 ? all : sortPackages(all);
  const errors = collected.flatMap((one) => one.errors.map((failure) => ({ failure, url: one.urls[failure.service] })));
  const skipped = collected.flatMap((one) => one.skipped);
  const report: PackageStatusReport = {
    regions: [...request.regions],
    mock: settings.mock,
    packages,
    answered: collected.flatMap((one) => one.answered),
    errors: errors.map((e) => e.failure),
    skipped,
    sources: { credentials: session.source, tenantId: session.tenantSource, endpoints: endpointSources },
  };
  return {
    ok: true,
    report,
    assessment: assess(packages, errors.length, request.thresholds),
    failureLines: errors.map(({ failure, url }) => formatFailure(failure, session.credentialKind, session.proxyVariable(url), request.regions.length > 1)),
    skippedLines: skipped.map((skip) => `${SERVICE_NAMES[skip.service]} skipped: ${skip.reason}`),
  };
}
