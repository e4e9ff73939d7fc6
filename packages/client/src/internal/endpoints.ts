/**
 * Where each service is called, and the tenant ID when a call leaves it out: loaded on a
 * client's first call (src/client.ts), so that neither the override conventions nor the
 * regions file reader sit in the initial load. A package export (`./internal/endpoints`) only so
 * that the client can load it lazily: not public API, it may change in any release.
 *
 * Endpoints follow Huawei's SDKs (huaweicloud-sdk-go-v3 `core/region`), most specific first:
 * the client's `endpoints` option, then `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}` (one URL or
 * several, comma-separated), then the regions file (`HUAWEICLOUD_SDK_REGIONS_FILE`, else
 * `~/.huaweicloud/regions.yaml`), then the spec's table. Several endpoints are tried in order:
 * a connection failure moves the service to the next one for good (src/transport.ts).
 *
 * Built on its own, this module would carry its own copies of the error classes; the one it
 * throws is therefore passed in, so that `instanceof` sees the main module's class.
 *
 * @internal
 * @module
 */
import type { InvalidParameterError } from "../errors.js";
import { SDK_SERVICE_NAMES, SERVICE_NAMES, SERVICES, type Service } from "../generated/operations.js";
import { tableEndpoints } from "./region-table.js";

/**
 * Where a service's endpoints came from: the `endpoints` option, an environment variable, a
 * regions file (with its path), or the spec's table.
 *
 * @internal
 */
export type EndpointSource = "option" | "environment" | `regions file ${string}` | "built-in table";

/**
 * A service's endpoints, in the order they are tried, and where they came from.
 *
 * @internal
 */
export interface ResolvedEndpoints {
  urls: string[];
  source: EndpointSource;
}

/**
 * What the resolver reads.
 *
 * @internal
 */
export interface ResolverOptions {
  region: string | undefined;
  /** The `endpoints` option, each value one URL or several. */
  endpoints: Partial<Record<Service, string | readonly string[]>> | undefined;
  /** The environment to read overrides from; undefined where there is none (a browser). */
  env: Readonly<Record<string, string | undefined>> | undefined;
  /** The tenant ID the caller gave. */
  tenantId: string | undefined;
  /** The tenant ID the credentials carry (a profile's `[global] domain_id`), if any. */
  domainId: () => Promise<unknown>;
  /** Asks IAM (`KeystoneListAuthDomains`) for the caller's accounts, through the client. */
  listAuthDomains: () => Promise<unknown>;
  InvalidParameterError: typeof InvalidParameterError;
}

/**
 * One client's endpoints and tenant ID, each worked out once.
 *
 * @internal
 */
export interface Resolver {
  /** The base URL a service is called at now; rejects with `InvalidParameterError` when it has none. */
  base(service: Service): Promise<string>;
  /** Every service's endpoints and their source; a service with none is left out. */
  all(): Promise<Partial<Record<Service, ResolvedEndpoints>>>;
  /** After a connection failure at `url`: the same request at its service's next endpoint, which later calls use too. */
  next(url: string): Promise<string | undefined>;
  /** The tenant ID: the one given, else the credentials' domain ID, else IAM's answer; worked out once however many calls wait for it. */
  tenantId(): Promise<string>;
}

/**
 * The name of the environment variable Huawei's SDKs read a service's endpoints from in a region.
 *
 * @internal
 */
export function overrideVariable(service: Service, region: string): string {
  return `HUAWEICLOUD_SDK_REGION_${SDK_SERVICE_NAMES[service]}_${region.toUpperCase().replaceAll("-", "_")}`;
}

/**
 * The URLs of a comma-separated list, each checked and without a trailing slash.
 *
 * @internal
 */
export function endpointList(value: string | readonly string[], where: string, Invalid: typeof InvalidParameterError): string[] {
  const items = (typeof value === "string" ? value.split(",") : [...value]).map((item) => (typeof item === "string" ? item.trim() : item));
  const urls = items.filter((item) => item !== "").map((item) => normalized(item, where, Invalid));
  if (urls.length === 0) throw new Invalid(where, "names no endpoint");
  return urls;
}

function normalized(value: unknown, where: string, Invalid: typeof InvalidParameterError): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new Invalid(where, `${JSON.stringify(value)} is not an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Invalid(where, "must be an http or https URL");
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/**
 * Where the regions file is: `HUAWEICLOUD_SDK_REGIONS_FILE` (`named`: it must exist), else
 * `~/.huaweicloud/regions.yaml` under HOME (or USERPROFILE, or the OS's home directory), which is
 * only looked for; undefined when there is no home to look in.
 *
 * @internal
 */
export function regionsFilePath(env: Readonly<Record<string, string | undefined>> | undefined, homedir: string | undefined): { path: string; named: boolean } | undefined {
  const named = env?.HUAWEICLOUD_SDK_REGIONS_FILE;
  if (named) return { path: named, named: true };
  const home = env?.HOME || env?.USERPROFILE || homedir;
  return home ? { path: `${home}/.huaweicloud/regions.yaml`, named: false } : undefined;
}

/**
 * The entries of a regions file (YAML, as Huawei's SDKs read it): per service name (any case),
 * a list of `{ id, endpoint }` or `{ id, endpoints: [...] }`. Only that subset of YAML is read:
 * block mappings and sequences, flow sequences, plain and quoted scalars, comments.
 *
 * @internal
 */
export function parseRegionsFile(text: string): Map<string, Map<string, string[]>> {
  const result = new Map<string, Map<string, string[]>>();
  let service: Map<string, string[]> | undefined;
  let entry: { id?: string; urls: string[] } | undefined;
  let inList = false;
  const flush = () => {
    if (service && entry?.id !== undefined && entry.urls.length > 0) service.set(entry.id, entry.urls);
    entry = undefined;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, "").trimEnd();
    if (line.trim() === "" || line.trim() === "---") continue;
    const indent = line.length - line.trimStart().length;
    let body = line.trim();
    if (indent === 0) {
      flush();
      const name = /^([^:]+):\s*$/.exec(body)?.[1];
      service = name === undefined ? undefined : new Map();
      if (name !== undefined) result.set(scalar(name).toUpperCase(), service!);
      inList = false;
      continue;
    }
    if (!service) continue;
    if (body.startsWith("- ") || body === "-") {
      const item = body.slice(1).trim();
      if (inList && entry && !/^[\w-]+\s*:(\s|$)/.test(item)) {
        if (item) entry.urls.push(scalar(item));
        continue;
      }
      flush();
      entry = { urls: [] };
      inList = false;
      body = item;
      if (!body) continue;
    }
    if (!entry) continue;
    const pair = /^([\w-]+)\s*:\s*(.*)$/.exec(body);
    if (!pair) continue;
    const [, key, value = ""] = pair;
    if (key === "id") entry.id = scalar(value);
    else if (key === "endpoint" && value) entry.urls.push(scalar(value));
    else if (key === "endpoints") {
      inList = value === "";
      if (value.startsWith("[")) entry.urls.push(...value.replace(/^\[|\]$/g, "").split(",").map(scalar).filter(Boolean));
    }
  }
  flush();
  return result;
}

function scalar(text: string): string {
  const value = text.trim();
  if (/^'.*'$/.test(value)) return value.slice(1, -1).replaceAll("''", "'");
  if (/^".*"$/.test(value)) return JSON.parse(value) as string;
  return value;
}

/**
 * The resolver of one client.
 *
 * @internal
 */
export function createResolver(options: ResolverOptions): Resolver {
  const { region, env, InvalidParameterError: Invalid } = options;
  const resolved = new Map<Service, Promise<ResolvedEndpoints | undefined>>();
  // Where each service is called now: the index of its endpoint that last answered.
  const current = new Map<Service, { urls: string[]; index: number }>();
  let file: Promise<{ path: string; entries: Map<string, Map<string, string[]>> } | undefined> | undefined;

  const regionsFile = () =>
    (file ??= (async () => {
      // By a computed name, so that no bundler pulls Node's modules into a browser build.
      const node = (name: string) => import(/* webpackIgnore: true */ /* @vite-ignore */ `node:${name}`).catch(() => undefined);
      const fs = (await node("fs/promises")) as typeof import("node:fs/promises") | undefined;
      const os = (await node("os")) as typeof import("node:os") | undefined;
      const { path, named } = regionsFilePath(env, os?.homedir()) ?? {};
      if (!fs || !path) return undefined;
      let text: string;
      try {
        text = await fs.readFile(path, "utf8");
      } catch {
        // The default file is only looked for; a file someone named must be there.
        if (!named) return undefined;
        throw new Invalid("HUAWEICLOUD_SDK_REGIONS_FILE", `${path} cannot be read`);
      }
      return { path, entries: parseRegionsFile(text) };
    })());

  const resolve = async (service: Service): Promise<ResolvedEndpoints | undefined> => {
    const given = options.endpoints?.[service];
    if (given !== undefined) return { urls: endpointList(given, `endpoints.${service}`, Invalid), source: "option" };
    if (service === "iam" && env?.HUAWEICLOUD_SDK_IAM_ENDPOINT) {
      return { urls: endpointList(env.HUAWEICLOUD_SDK_IAM_ENDPOINT, "HUAWEICLOUD_SDK_IAM_ENDPOINT", Invalid), source: "environment" };
    }
    if (region === undefined) return undefined;
    const variable = overrideVariable(service, region);
    const fromEnv = env?.[variable];
    if (fromEnv) return { urls: endpointList(fromEnv, variable, Invalid), source: "environment" };
    if (env) {
      const found = await regionsFile();
      const urls = found?.entries.get(SDK_SERVICE_NAMES[service])?.get(region);
      if (found && urls) return { urls: endpointList(urls, `${found.path} ${SDK_SERVICE_NAMES[service]} ${region}`, Invalid), source: `regions file ${found.path}` };
    }
    const urls = tableEndpoints(service, region);
    return urls.length > 0 ? { urls, source: "built-in table" } : undefined;
  };

  const endpointsOf = (service: Service) => {
    let found = resolved.get(service);
    if (!found) {
      found = resolve(service);
      resolved.set(service, found);
      // A file that could not be read is tried again on the next call.
      found.catch(() => resolved.delete(service));
    }
    return found;
  };

  let tenant: Promise<string> | undefined;
  const discoverTenant = async (): Promise<string> => {
    const domainId = await options.domainId();
    if (typeof domainId === "string" && domainId !== "") return domainId;
    const body = await options.listAuthDomains();
    const domains = (body as { domains?: Array<{ id?: unknown; enabled?: unknown }> } | null)?.domains;
    const usable = Array.isArray(domains) ? domains.filter((d) => typeof d?.id === "string" && d.enabled !== false) : [];
    if (usable.length !== 1) {
      throw new Invalid(
        "tenant_id",
        `IAM (KeystoneListAuthDomains) returned ${usable.length} enabled accounts, so the tenant ID cannot be discovered: pass tenant_id or the tenantId option`,
      );
    }
    return usable[0]!.id as string;
  };

  const base = async (service: Service) => {
    const known = current.get(service);
    if (known) return known.urls[known.index]!;
    const found = await endpointsOf(service);
    if (!found) {
      throw new Invalid(
        "region",
        region === undefined
          ? `no region was given and endpoints.${service} is not set, so ${SERVICE_NAMES[service]} has no host`
          : `${SERVICE_NAMES[service]} has no endpoint in ${region}: set endpoints.${service}, ${overrideVariable(service, region)} or a ${SDK_SERVICE_NAMES[service]} entry in the regions file`,
      );
    }
    if (!current.has(service)) current.set(service, { urls: found.urls, index: 0 });
    const now = current.get(service)!;
    return now.urls[now.index]!;
  };

  return {
    base,
    async all() {
      const entries = await Promise.all(SERVICES.map(async (service) => [service, await endpointsOf(service)] as const));
      return Object.fromEntries(entries.filter(([, found]) => found !== undefined));
    },
    async next(url) {
      for (const service of SERVICES) {
        // A call the client sent to the table's first host without this module (src/client.ts)
        // fails over from there: its service starts at its first endpoint.
        if (!current.has(service)) await base(service).catch(() => undefined);
        const state = current.get(service);
        const at = state ? state.urls.findIndex((prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)) : -1;
        if (!state || at === -1 || at + 1 >= state.urls.length) continue;
        state.index = Math.max(state.index, at + 1);
        return state.urls[at + 1] + url.slice(state.urls[at]!.length);
      }
      return undefined;
    },
    tenantId() {
      if (options.tenantId !== undefined) return Promise.resolve(options.tenantId);
      // One answer for every call that waits; a failed lookup is tried again next time.
      return (tenant ??= discoverTenant().catch((error: unknown) => {
        tenant = undefined;
        throw error;
      }));
    },
  };
}
