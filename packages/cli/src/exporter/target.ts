// What the exporter reports on (a target: region, project, tenant) and how one collection of a
// target is made. The client and the plan of which service to ask come from the same pieces the
// report uses (src/session.ts, src/report.ts); only the lifetime differs: the exporter keeps one
// client per region and one proxy agent for as long as it runs.
import { KNOWN_REGIONS, PACKAGE_SERVICES, resolveEndpoints, type CodeArtsClient, type Env, type PackageService, type ResolvedEndpoints, type Service } from "@codearts-package-status/client";
import { idProblem, servesRegion, type IdRule, type Settings } from "../command-line.js";
import { ID_RULES } from "../generated/tables.js";
import { collectPackages, describeFailure, type PackageRow, type ServiceFailure, type SkippedService } from "../report.js";
import { plan, regionClient, type Session } from "../session.js";
import { suggest } from "../suggest.js";

/** One tenant's project in one region: what a scrape reports on. */
export interface Target {
  /** Region ID, or undefined when every service has an endpoint. */
  region: string | undefined;
  projectId?: string | undefined;
  tenantId?: string | undefined;
}

/** One collection of a target: what every service answered, or how it failed. */
export interface Collection {
  target: Target;
  /** The services asked. */
  services: Service[];
  /** The base URL each service was asked at first. */
  urls: Partial<Record<Service, string>>;
  packages: PackageRow[];
  errors: ServiceFailure[];
  skipped: SkippedService[];
  /** How long the collection took, in seconds. */
  durationSeconds: number;
  /** When it ended, in milliseconds since the epoch. */
  collectedAt: number;
}

/** How long a collection may take, and what cancels it. */
export interface CollectWithin {
  /** Cancels the collection (every scrape waiting for it went away). */
  signal?: AbortSignal | undefined;
  /** The scrape's deadline, in `performance.now()` milliseconds: what has not answered by then is a `timeout` failure. */
  deadlineAt?: number | undefined;
}

/** The cache key of a target. */
export const targetKey = (target: Target): string => `${target.region ?? ""}\u0000${target.projectId}\u0000${target.tenantId}`;

/** A `/probe` query that does not name a valid target: answered 400, and no service is asked. */
export class BadTargetError extends Error {
  override name = "BadTargetError";
}

const PARAMETERS = { region: "region", projectId: ID_RULES.projectId.parameter, tenantId: ID_RULES.tenantId.parameter } as const;

/**
 * The target a `/probe` query names. A parameter left out takes the exporter's own target's value
 * (so a job may vary only the tenant); each is checked by the spec's rules, as the command's flags
 * are, before anything is sent. A region is accepted as --region is (`servesRegion`, src/command-line.ts):
 * in the built-in table, or named by an endpoint override.
 */
export async function targetFromQuery(query: URLSearchParams, defaults: Target, regionRequired: boolean, env: Env): Promise<Target> {
  const known = new Set<string>(Object.values(PARAMETERS));
  for (const name of new Set(query.keys())) {
    if (!known.has(name)) throw new BadTargetError(`unknown parameter ${quoted(name)}; /probe takes ${[...known].join(", ")}`);
    if (query.getAll(name).length > 1) throw new BadTargetError(`${name} is given more than once`);
  }
  // Any case, as the command's --region: region IDs are lower case.
  const region = query.get(PARAMETERS.region)?.trim().toLowerCase() ?? defaults.region;
  if (region !== undefined && !(await servesRegion(region, env))) {
    // The suggestion is a known region, never the value sent (which may be anything).
    const hint = suggest(region, KNOWN_REGIONS);
    throw new BadTargetError(`unknown region; ${hint ? `did you mean ${hint}? ` : ""}valid regions: ${KNOWN_REGIONS.join(", ")}`);
  }
  if (region === undefined && regionRequired) throw new BadTargetError("no region: pass region=");
  return {
    region,
    projectId: checkedId(PARAMETERS.projectId, ID_RULES.projectId, query.get(PARAMETERS.projectId) ?? defaults.projectId),
    tenantId: checkedId(PARAMETERS.tenantId, ID_RULES.tenantId, query.get(PARAMETERS.tenantId) ?? defaults.tenantId),
  };
}

// A name a client sent, cut to 64 characters (never inside a surrogate pair). Not escaped here:
// the server escapes every answer it writes, and escaping twice would show `\\` for `\`.
function quoted(name: string): string {
  const shown = [...name.slice(0, 256)].slice(0, 64).join("");
  return `"${shown}${shown.length < name.length ? "…" : ""}"`;
}

// Either ID may be left out, as on the command line: the calls then omit project_id, and the
// client discovers the tenant ID.
function checkedId(name: string, rule: IdRule, value: string | undefined): string | undefined {
  const problem = idProblem(name, rule, value);
  if (problem) throw new BadTargetError(problem);
  return value;
}

/**
 * Makes collections. Per region, its endpoints are resolved (flags, HUAWEICLOUD_SDK_REGION_*, the
 * regions file, the built-in table) and its client made once, on first use: there are only so
 * many regions, and a scrape should not read the regions file.
 */
export function createCollector(settings: Settings, session: Session): (target: Target, within?: CollectWithin) => Promise<Collection> {
  const regions = new Map<string | undefined, Promise<{ client: CodeArtsClient; resolved: Partial<Record<Service, ResolvedEndpoints>> }>>();
  const regionFor = (region: string | undefined) => {
    let found = regions.get(region);
    if (!found) {
      found = resolveEndpoints({ region, endpoints: session.endpoints, env: settings.env }).then((resolved) => ({ resolved, client: regionClient(region, resolved, settings, session) }));
      regions.set(region, found);
      // A malformed override fails every scrape of the region until it is fixed, not only the first.
      found.catch(() => regions.delete(region));
    }
    return found;
  };
  return async (target, within = {}) => {
    const started = performance.now();
    let services: PackageService[] = [...PACKAGE_SERVICES];
    let skipped: SkippedService[] = [];
    let urls: Partial<Record<Service, string>> = {};
    let packages: PackageRow[] = [];
    let errors: ServiceFailure[];
    try {
      const { client, resolved } = await regionFor(target.region);
      let hosts: Partial<Record<Service, string>>;
      ({ services, skipped, hosts, urls } = plan(target.region, resolved));
      ({ packages, errors } = await collectPackages(client, { projectId: target.projectId, tenantId: target.tenantId }, { services, hosts, redact: session.redact, signal: within.signal, deadlineMs: within.deadlineAt === undefined ? undefined : within.deadlineAt - performance.now() }));
    } catch (error) {
      // collectPackages reports each service's failure itself; this is the region's endpoints or
      // client failing to be made at all (a malformed override). Every service is then down, and
      // the scrape still answers.
      errors = session.redact(services.map((service) => describeFailure(service, error)));
    }
    return { target, services, urls, packages, errors, skipped, durationSeconds: (performance.now() - started) / 1000, collectedAt: Date.now() };
  };
}
