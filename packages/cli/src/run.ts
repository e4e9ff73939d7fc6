// One run of the command once its settings are known: start the mock if asked, ask the
// services, print. Kept apart from cli.ts so the flag handling stays readable on its own.
import {
  createClient,
  CredentialsError,
  type CodeArtsClient,
  type Credentials,
  InvalidParameterError,
  KNOWN_REGIONS,
  resolveEndpoints,
  type ResolvedEndpoints,
  PACKAGE_SERVICES,
  type PackageService,
  type CredentialsProvider,
  type Endpoints,
  type ProvidedCredentials,
  type Service,
} from "@codearts-package-status/client";
import { EXIT } from "./exit-codes.js";
import { escapeJson, escapeText } from "./escape.js";
import { formatFailure, renderTable, type CredentialKind } from "./format.js";
import { collectPackages, sortPackages, type EndpointSource, type PackageIds, type PackageRow, type PackageStatusReport, type SkippedService } from "./report.js";
import { SERVICE_NAMES } from "./generated/tables.js";
import { assess, type Thresholds } from "./severity.js";
import { nagiosLine } from "./nagios.js";
import { suggest } from "./suggest.js";
import { proxiedFetch, proxyVariableFor, type ProxiedFetch, type ProxySettings } from "./proxy.js";

/** Everything a run needs, resolved from flags and environment variables. */
export interface RunSettings {
  /** The first of `regions`, or undefined when none was given. */
  region: string | undefined;
  /** The region IDs to report on, each with its own client; empty when every service has an endpoint (or with --mock). */
  regions: string[];
  /** Whether a region is served: in the built-in table, or named by an endpoint override (src/regions.ts). */
  acceptsRegion: (region: string) => boolean;
  /** The tenant and project to report on. */
  ids: PackageIds;
  /** Where the credentials come from: the flags or variables, the rest of the chain, or (--mock) a demo token. */
  credentials: CredentialsProvider;
  /** Say on stderr where each setting came from. */
  verbose: boolean;
  /** Where the tenant ID comes from: `command line`, `environment`, or IAM when it is discovered. */
  tenantSource?: string | undefined;
  /** Per-service base URLs given with --endpoint-*. */
  endpoints: Endpoints;
  /** Timeout of each attempt, when given. */
  timeoutMs: number | undefined;
  /** Start the embedded mock server and ask it. */
  mock: boolean;
  /** Print JSON instead of the table. */
  json: boolean;
  /** Print the one Nagios plugin status line instead of the table (`--nagios`). */
  nagios?: boolean | undefined;
  /** Color the table (src/terminal.ts decides; never with --json). */
  color: boolean;
  /** Add the renewal link column (--wide). */
  wide: boolean;
  /** Fit the table into this many columns (stdout is a terminal), or undefined to print values whole. */
  width: number | undefined;
  /** --warn-days and --critical-days, defaults applied. */
  thresholds: Thresholds;
  /** The proxy variables in effect, or undefined for direct connections. */
  proxy: ProxySettings | undefined;
}

/** Where a run writes. */
export interface RunOutput {
  /** The table or the JSON. */
  stdout: (text: string) => void;
  /** Notes, warnings and errors, one line each. */
  stderr: (text: string) => void;
}

const PROGRAM = "codearts-package-status";

/** Runs the report, prints it, and returns the exit code. */
export async function run(settings: RunSettings, out: RunOutput): Promise<number> {
  // Every message line is written through here: escaped, so that what a service sent (an
  // error_msg, a request ID) stays on its one line and cannot drive the terminal.
  const note = (text: string): void => out.stderr(`${escapeText(text)}\n`);
  let mock: { url: string; close(): Promise<void> } | undefined;
  let proxied: ProxiedFetch | undefined;
  try {
    const found = await credentialsFor(settings, note);
    if (!found) return EXIT.unknown;
    const { first, source, credentialKind, credentials } = found;

    let endpoints = settings.endpoints;
    if (settings.mock) {
      // Loaded only for --mock: the mock reads and compiles the whole spec when it starts.
      const { startMockServer } = await import("@codearts-package-status/mock");
      const accessKeys = "accessKey" in first ? { [first.accessKey]: first.secretKey } : {};
      mock = await startMockServer({ host: "127.0.0.1", port: 0, credentials: { accessKeys } });
      // Always stderr: stdout is the report alone, so `awk 'NR>1'` or a JSON parser never sees it.
      out.stderr(
        `Using the embedded mock server at ${mock.url}: documented example data, nothing is sent to Huawei Cloud\n`,
      );
      endpoints = { artifact: mock.url, check: mock.url, pipeline: mock.url, iam: mock.url, ...settings.endpoints };
    }

    // The embedded mock listens on this machine's loopback, which a proxy elsewhere cannot reach.
    if (settings.proxy) proxied = await proxiedFetch(settings.proxy, mock ? [new URL(mock.url).host] : []);
    // One client per region, all at once: a region whose services fail hides nothing of another's.
    const regions = settings.regions.length > 0 ? settings.regions : [undefined];
    // Where each region's services are called, worked out as the clients will (flags, Huawei's
    // HUAWEICLOUD_SDK_REGION_* variables, the regions file, the built-in table), so that the
    // services asked, the hosts in messages, the proxy chosen and --verbose all agree with them.
    let resolved: Array<Partial<Record<Service, ResolvedEndpoints>>>;
    try {
      resolved = await Promise.all(regions.map((region) => resolveEndpoints({ region, endpoints })));
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
    const endpointSources: EndpointSource[] = regions.flatMap((region, index) =>
      endpointServices(settings).flatMap((service) => {
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
        const client = regionClient(region, resolved[index]!, { credentials, timeoutMs: settings.timeoutMs, fetch: proxied?.fetch });
        return { urls, skipped, ...(await collectPackages(client, settings.ids, { services, hosts, region })) };
      }),
    );
    // Loops, not spreads: an answer may hold hundreds of thousands of rows.
    const all: PackageRow[] = [];
    for (const one of collected) for (const row of one.packages) all.push(row);
    const packages = collected.length === 1 ? all : sortPackages(all);
    const answered = collected.flatMap((one) => one.answered);
    const errors = collected.flatMap((one) => one.errors.map((failure) => ({ failure, url: one.urls[failure.service] as string })));
    const skipped = collected.flatMap((one) => one.skipped);
    const report: PackageStatusReport = { regions: settings.regions, mock: settings.mock, packages, answered, errors: errors.map((e) => e.failure), skipped, sources: { credentials: source, tenantId: tenantSource(settings, found), endpoints: endpointSources } };

    const assessment = assess(packages, errors.length, settings.thresholds);
    if (settings.json) out.stdout(`${escapeJson(JSON.stringify(report, null, 2))}\n`);
    else if (settings.nagios) out.stdout(nagiosLine(packages, report.errors, assessment, settings.thresholds));
    else if (packages.length > 0) {
      out.stdout(renderTable(packages, { color: settings.color, thresholds: settings.thresholds, wide: settings.wide, width: settings.width, region: settings.regions.length > 1 }));
    } else if (errors.length === 0) out.stdout("No packages reported.\n");

    for (const skip of skipped) note(`${PROGRAM}: ${SERVICE_NAMES[skip.service]} skipped: ${skip.reason}`);
    for (const { failure, url } of errors) {
      const proxyVariable = url === mock?.url ? undefined : proxyVariableFor(settings.proxy, url);
      note(`${PROGRAM}: ${formatFailure(failure, credentialKind, proxyVariable, settings.regions.length > 1)}`);
    }

    const { code, critical, warning } = assessment;
    const { warnDays, criticalDays } = settings.thresholds;
    if (critical.length > 0) note(`${PROGRAM}: CRITICAL: ${count(critical.length)} expired, in a status past expiry, or expiring within ${criticalDays} days`);
    if (warning.length > 0) note(`${PROGRAM}: WARNING: ${count(warning.length)} expiring within ${warnDays} days`);
    return code;
  } finally {
    await proxied?.close();
    await mock?.close();
  }
}

/** The credentials a run starts with, where they came from, and the provider to give the client. */
export interface FoundCredentials {
  first: ProvidedCredentials;
  /** A place, never a value: `command line`, `environment`, `profile <path>`, `ECS metadata`, … */
  source: string;
  /** Which kind they are, for the hint after an authentication failure. */
  credentialKind: CredentialKind;
  /** Gives `first`, then newer credentials once these are due for a refresh; `learn` sees every credential given. */
  credentials: CredentialsProvider;
}

/**
 * Asks the settings' provider once, before anything else, so that "no credentials" is one line
 * naming every place looked rather than one failure per service; says where they came from with
 * --verbose. Undefined (the line written) when there are none. `learn` is told every credential
 * given out, this one and refreshed ones, for a redactor of the caller's.
 */
export async function credentialsFor(settings: RunSettings, note: (text: string) => void, learn?: (credentials: ProvidedCredentials) => void): Promise<FoundCredentials | undefined> {
  let first: ProvidedCredentials;
  try {
    first = await settings.credentials();
  } catch (error) {
    if (!(error instanceof CredentialsError)) throw error;
    note(`${PROGRAM}: no credentials: ${credentialsProblem(error)}`);
    return undefined;
  }
  learn?.(first);
  const source = first.source ?? "the credentials provider";
  if (settings.verbose) note(`${PROGRAM}: credentials from ${source}`);
  if (settings.verbose) note(`${PROGRAM}: tenant ID from ${tenantSource(settings, { first, source })}`);
  // Shared by every client of the run (one per region, in the exporter too): each gets the latest
  // credentials while they are fresh, and the source (the ECS metadata service, say) is asked
  // again only once they are due for the refresh each client's cache makes (two hours, or half
  // their lifetime, before expiry), by one call however many clients ask at once.
  let latest = { credentials: first, dueAt: dueAt(first, Date.now()) };
  let pending: Promise<ProvidedCredentials> | undefined;
  const credentials: CredentialsProvider = async () => {
    if (Date.now() < latest.dueAt) return latest.credentials;
    return (pending ??= (async () => {
      try {
        const given = await settings.credentials();
        learn?.(given);
        latest = { credentials: given, dueAt: dueAt(given, Date.now()) };
        return given;
      } finally {
        pending = undefined;
      }
    })());
  };
  // A token is a token wherever it came from; a key pair's hint names the file or the ECS it came from.
  const credentialKind: CredentialKind = "token" in first ? "token" : source === "command line" || source === "environment" ? "aksk" : { source };
  return { first, source, credentialKind, credentials };
}

// When credentials received at `now` are due for a refresh, as the client reckons it.
function dueAt(credentials: ProvidedCredentials, now: number): number {
  const expires = credentials.expiresAt?.getTime();
  if (expires === undefined || Number.isNaN(expires)) return Infinity;
  // The client also stops using credentials a minute before they expire, whatever their lifetime.
  return Math.min(expires - Math.min(2 * 3_600_000, (expires - now) / 2), expires - 60_000);
}

// The places looked, without the client's "No credentials: " lead, for one line of our own.
function credentialsProblem(error: CredentialsError): string {
  const sources = Array.isArray(error.sources) ? error.sources : [];
  const looked = sources.length > 0 ? sources.join("; ") : error.message;
  return `pass --access-key and --secret-key, or --token; looked in: ${looked}`;
}

const count = (n: number): string => `${n} package${n === 1 ? "" : "s"}`;

/** Which services to ask, which the region does not offer, and the base URL and host of each, from the region's resolved endpoints. */
export function plan(
  region: string | undefined,
  resolved: Partial<Record<Service, ResolvedEndpoints>>,
): { services: PackageService[]; skipped: SkippedService[]; hosts: Partial<Record<Service, string>>; urls: Partial<Record<Service, string>> } {
  const services: PackageService[] = [];
  const skipped: SkippedService[] = [];
  const hosts: Partial<Record<Service, string>> = {};
  const urls: Partial<Record<Service, string>> = {};
  for (const service of PACKAGE_SERVICES) {
    const base = resolved[service]?.urls[0];
    if (base === undefined) {
      // A service missing from a region is not a failure: the tenant cannot have a package there.
      skipped.push({ service, region: region ?? null, reason: `not offered in ${region ?? "any region given"}` });
      continue;
    }
    services.push(service);
    hosts[service] = new URL(base).host;
    urls[service] = base;
  }
  return { services, skipped, hosts, urls };
}

/**
 * The client of one region, given the endpoints just resolved for it (every URL of each service,
 * in order), so that it neither reads the regions file again nor calls anywhere but where the
 * plan, the messages and the proxy expect. The run and the exporter both make theirs here.
 */
export function regionClient(
  region: string | undefined,
  resolved: Partial<Record<Service, ResolvedEndpoints>>,
  options: { credentials: Credentials | CredentialsProvider; timeoutMs: number | undefined; fetch: ((input: string | Request, init: RequestInit) => Promise<Response>) | undefined },
): CodeArtsClient {
  return createClient({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    region,
    endpoints: Object.fromEntries(Object.entries(resolved).map(([service, found]) => [service, found.urls])),
    credentials: options.credentials,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}

/** The variables and file that can name a region's endpoints, for the message when none does. */
const ENDPOINT_OVERRIDES = "--endpoint-*, HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}, HUAWEICLOUD_SDK_REGIONS_FILE or ~/.huaweicloud/regions.yaml";

// The services whose endpoint a run uses: the package services, and IAM when the tenant ID is discovered there.
function endpointServices(settings: RunSettings): Service[] {
  return settings.ids.tenantId === undefined ? [...PACKAGE_SERVICES, "iam"] : [...PACKAGE_SERVICES];
}

// Where the tenant ID comes from: the flag or variable, else the profile that carries a domain_id
// (the client prefers it to asking IAM), else IAM.
function tenantSource(settings: RunSettings, found: { first: ProvidedCredentials; source: string }): string {
  if (settings.ids.tenantId !== undefined && settings.tenantSource) return settings.tenantSource;
  return found.first.domainId ? found.source : "IAM (KeystoneListAuthDomains)";
}
