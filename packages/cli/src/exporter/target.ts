// What the exporter reports on (a target: region, project, tenant) and how one collection of a
// target is made. The client and the plan of which service to ask come from the same pieces the
// one-shot command uses (src/run.ts, src/report.ts, src/proxy.ts); only the lifetime differs:
// the exporter keeps one client per region and one proxy agent for as long as it runs.
import { createClient, KNOWN_REGIONS, type CodeArtsClient, type Credentials, type CredentialsProvider, type Endpoints, type Service } from "@codearts-package-status/client";
import { ID_RULES } from "../generated/tables.js";
import { collectPackages, describeFailure, type PackageRow, type ServiceFailure, type SkippedService } from "../report.js";
import { plan } from "../run.js";
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
  packages: PackageRow[];
  errors: ServiceFailure[];
  skipped: SkippedService[];
  /** How long the collection took, in seconds. */
  durationSeconds: number;
  /** When it ended, in milliseconds since the epoch. */
  collectedAt: number;
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
 * are, before anything is sent.
 */
export function targetFromQuery(query: URLSearchParams, defaults: Target, regionRequired: boolean): Target {
  const known = new Set<string>(Object.values(PARAMETERS));
  for (const name of new Set(query.keys())) {
    // Quoted through JSON so a name cannot break the one-line answer.
    if (!known.has(name)) throw new BadTargetError(`unknown parameter ${JSON.stringify(name).slice(0, 80)}; /probe takes ${[...known].join(", ")}`);
    if (query.getAll(name).length > 1) throw new BadTargetError(`${name} is given more than once`);
  }
  // Any case, as the command's --region: region IDs are lower case.
  const region = query.get(PARAMETERS.region)?.trim().toLowerCase() ?? defaults.region;
  if (region !== undefined && !KNOWN_REGIONS.includes(region)) {
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

// Either ID may be left out, as on the command line: the calls then omit project_id, and the
// client discovers the tenant ID.
function checkedId(name: string, rule: (typeof ID_RULES)[keyof typeof ID_RULES], value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!new RegExp(rule.pattern).test(value) || value.length < rule.minLength || value.length > rule.maxLength) {
    throw new BadTargetError(`${name} must be ${rule.maxLength} letters and digits`);
  }
  return value;
}

/** What every collection shares: credentials, endpoint overrides, timeout and the fetch to use. */
export interface CollectorSettings {
  /** Static credentials, or a provider each region's client asks (and asks again to refresh). */
  credentials: Credentials | CredentialsProvider;
  endpoints: Endpoints;
  timeoutMs: number | undefined;
  fetch: ((input: string | Request, init: RequestInit) => Promise<Response>) | undefined;
}

/** Makes collections; one client per region, created on first use (there are only so many regions). */
export function createCollector(settings: CollectorSettings): (target: Target) => Promise<Collection> {
  const clients = new Map<string | undefined, CodeArtsClient>();
  const clientFor = (region: string | undefined): CodeArtsClient => {
    let client = clients.get(region);
    if (!client) {
      client = createClient({
        ...(settings.fetch ? { fetch: settings.fetch } : {}),
        region,
        endpoints: settings.endpoints,
        credentials: settings.credentials,
        ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
      });
      clients.set(region, client);
    }
    return client;
  };
  return async (target) => {
    const started = performance.now();
    const { services, skipped, hosts } = plan(target.region, settings.endpoints);
    let packages: PackageRow[] = [];
    let errors: ServiceFailure[];
    try {
      ({ packages, errors } = await collectPackages(clientFor(target.region), { projectId: target.projectId, tenantId: target.tenantId }, { services, hosts }));
    } catch (error) {
      // collectPackages reports each service's failure itself; this is the client failing to be
      // made at all. Every service is then down, and the scrape still answers.
      errors = services.map((service) => describeFailure(service, error, hosts[service]));
    }
    return { target, services, packages, errors, skipped, durationSeconds: (performance.now() - started) / 1000, collectedAt: Date.now() };
  };
}
