// The base URL of each service: the region's host from the spec, or the caller's override for
// that service. Which service an operation belongs to is in generated/operations.ts; which
// operation a raw call's path names is in operation-paths.ts.
import { InvalidParameterError } from "./errors.js";
import { REGION_URLS, SERVICE_NAMES, SERVICES, type Service } from "./generated/operations.js";

/** Per-service base URLs that replace the region's hosts (a mock server, a proxy, a private endpoint). */
export type Endpoints = Partial<Record<Service, string>>;

/** The base URL of each service in each region it is offered in, from the spec's servers. */
export const REGION_HOSTS: Record<Service, Readonly<Record<string, string>>> = Object.fromEntries(
  SERVICES.map((service) => [
    service,
    Object.fromEntries(
      Object.entries(REGION_URLS[service]).flatMap(([template, regions]) => regions.split(" ").map((region) => [region, template.replace("{region}", region)])),
    ),
  ]),
) as Record<Service, Readonly<Record<string, string>>>;

/** Every region at least one service is offered in. */
export const KNOWN_REGIONS: readonly string[] = [...new Set(SERVICES.flatMap((s) => Object.keys(REGION_HOSTS[s])))].sort();

/** Resolves the base URL of each service once, so a bad region or endpoint fails at `createClient`. */
export function resolveBaseUrls(region: string | undefined, endpoints: Endpoints | undefined): Partial<Record<Service, string>> {
  if (region !== undefined && !KNOWN_REGIONS.includes(region)) {
    throw new InvalidParameterError("region", `${JSON.stringify(region)} is not a region any CodeArts package status API is offered in (known: ${KNOWN_REGIONS.join(", ")})`);
  }
  const resolved: Partial<Record<Service, string>> = {};
  for (const service of SERVICES) {
    const override = endpoints?.[service];
    if (override !== undefined) {
      let url: URL;
      try {
        url = new URL(override);
      } catch {
        throw new InvalidParameterError(`endpoints.${service}`, `${JSON.stringify(override)} is not an absolute URL`);
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new InvalidParameterError(`endpoints.${service}`, "must be an http or https URL");
      }
      resolved[service] = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
    } else if (region !== undefined && REGION_HOSTS[service][region]) {
      resolved[service] = REGION_HOSTS[service][region];
    }
  }
  return resolved;
}

/** The base URL of a service, or the reason there is none. */
export function baseUrlFor(service: Service, baseUrls: Partial<Record<Service, string>>, region: string | undefined): string {
  const base = baseUrls[service];
  if (base) return base;
  const offered = Object.keys(REGION_HOSTS[service]).join(", ");
  throw new InvalidParameterError(
    "region",
    region === undefined
      ? `no region was given and endpoints.${service} is not set, so ${SERVICE_NAMES[service]} has no host`
      : `${SERVICE_NAMES[service]} is not offered in ${region} (offered in: ${offered}); set endpoints.${service} to use another host`,
  );
}
