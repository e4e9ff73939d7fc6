// The spec's region table: which hosts serve each service in each region, generated from the
// spec's servers (src/generated/operations.ts). The endpoint resolution (src/endpoints/resolve.ts)
// and the public constants below read it through `tableEndpoints`, so they cannot disagree on a
// host or its order. Each constant is built by a call marked pure, so that a bundle which never
// reads it drops it.
import { REGION_URLS, SERVICES, type Service } from "../generated/operations.js";

/** Per-service base URLs that replace the region's hosts (a mock server, a proxy, a private endpoint); several are tried in order. */
export type Endpoints = Partial<Record<Service, string | readonly string[]>>;

/** The spec's base URLs of a service in a region, in the order they are tried; none where the service is not offered there. */
export function tableEndpoints(service: Service, region: string): string[] {
  return Object.entries(REGION_URLS[service]).flatMap(([template, regions]) => (regions.split(" ").includes(region) ? [template.replace("{region}", region)] : []));
}

/** The base URLs of each service in each region it is offered in, from the spec's servers, in the order they are tried. */
export const REGION_ENDPOINTS: Record<Service, Readonly<Record<string, readonly string[]>>> = /* @__PURE__ */ (() =>
  Object.fromEntries(
    SERVICES.map((service) => {
      const regions = new Set(Object.values(REGION_URLS[service]).flatMap((list) => list.split(" ")));
      return [service, Object.fromEntries([...regions].map((region) => [region, tableEndpoints(service, region)]))];
    }),
  ) as unknown as Record<Service, Readonly<Record<string, readonly string[]>>>)();

/** The first base URL of each service in each region it is offered in, from the spec's servers (`REGION_ENDPOINTS` has the others). */
export const REGION_HOSTS: Record<Service, Readonly<Record<string, string>>> = /* @__PURE__ */ (() =>
  Object.fromEntries(
    SERVICES.map((service) => [service, Object.fromEntries(Object.entries(REGION_ENDPOINTS[service]).map(([region, urls]) => [region, urls[0]]))]),
  ) as unknown as Record<Service, Readonly<Record<string, string>>>)();

/** Every region at least one service is offered in. */
export const KNOWN_REGIONS: readonly string[] = /* @__PURE__ */ (() => [...new Set(SERVICES.flatMap((s) => Object.keys(REGION_HOSTS[s])))].sort())();
