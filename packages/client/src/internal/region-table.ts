/**
 * The spec's region table, read for one service in one region. The client's direct path
 * (src/client.ts), the public constants (src/hosts.ts) and the override resolution
 * (src/internal/endpoints.ts) all read it here, so that they cannot disagree on a host or its order.
 *
 * @internal
 * @module
 */
import { REGION_URLS, type Service } from "../generated/operations.js";

/**
 * The spec's base URLs of a service in a region, in the order they are tried; none where the
 * service is not offered there.
 *
 * @internal
 */
export function tableEndpoints(service: Service, region: string): string[] {
  return Object.entries(REGION_URLS[service]).flatMap(([template, regions]) => (regions.split(" ").includes(region) ? [template.replace("{region}", region)] : []));
}
