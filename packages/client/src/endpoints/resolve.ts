// Where each service is called. Endpoints follow Huawei's SDKs (huaweicloud-sdk-go-v3
// `core/region`), most specific first: the client's `endpoints` option, then
// `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}` (one URL or several, comma-separated), then the
// regions file (src/endpoints/regions-file.ts), then the spec's table. Several endpoints are
// tried in order: a connection failure moves the service to the next one for good
// (src/transport/transport.ts asks `next`).
import { ENV_VARIABLES, environmentSettings, processEnv, type Env } from "../environment.js";
import { InvalidParameterError } from "../errors.js";
import { SDK_SERVICE_NAMES, SERVICE_NAMES, SERVICES, type Service } from "../generated/operations.js";
import { endpointProblem } from "../endpoint-url.js";
import { readRegionsFile } from "./regions-file.js";
import { tableEndpoints, type Endpoints } from "./table.js";

/** A service's endpoints in the order they are tried, and where they came from: `option`, `environment`, `regions file <path>` or `built-in table`. */
export interface ResolvedEndpoints {
  /** Base URLs, tried in this order when one cannot be reached. */
  urls: string[];
  /** Where they came from; never a credential. */
  source: string;
}

/** What endpoint resolution reads. */
export interface EndpointOptions {
  /** The region; a service with no override is looked up in the spec's table there. `resolveEndpoints` defaults it to `HUAWEICLOUD_SDK_REGION` of `env`, as `createClient` does. */
  region?: string | undefined;
  /** The `endpoints` option, each value one URL or several. */
  endpoints?: Endpoints | undefined;
  /** The environment to read overrides from; `resolveEndpoints` defaults it to `process.env` where there is one, as `createClient` does. */
  env?: Env | undefined;
}

/** One client's endpoints, each worked out once. */
export interface EndpointResolver {
  /** The base URL a service is called at now; rejects with `InvalidParameterError` when it has none. */
  base(service: Service): Promise<string>;
  /** After a connection failure at `url`: the same request at its service's next endpoint, which later calls use too. */
  next(url: string): Promise<string | undefined>;
}

/**
 * The name of the environment variable Huawei's SDKs read a service's endpoints from in a
 * region: `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}`, the service's SDK name and the region
 * upper-cased with `-` as `_`.
 */
export function endpointVariable(service: Service, region: string): string {
  return `HUAWEICLOUD_SDK_REGION_${SDK_SERVICE_NAMES[service]}_${region.toUpperCase().replaceAll("-", "_")}`;
}

/**
 * Where a client made with these options calls each service, and where each endpoint came from;
 * a service with no endpoint is left out. Rejects with `InvalidParameterError` for a malformed
 * override or a regions file named but unreadable.
 */
export async function resolveEndpoints(options: EndpointOptions): Promise<Partial<Record<Service, ResolvedEndpoints>>> {
  // The defaults createClient applies: the environment of the process, and its region.
  const env = options.env ?? processEnv();
  const resolve = resolverOf({ ...options, env, region: options.region ?? environmentSettings(env).region });
  const entries = await Promise.all(SERVICES.map(async (service) => [service, await resolve(service)] as const));
  return Object.fromEntries(entries.filter(([, found]) => found !== undefined));
}

/** The endpoint resolver of one client. */
export function createEndpointResolver(options: EndpointOptions): EndpointResolver {
  const { region } = options;
  const resolve = resolverOf(options);
  const resolved = new Map<Service, Promise<ResolvedEndpoints | undefined>>();
  // Where each service is called now: the index of its endpoint that last answered.
  const current = new Map<Service, { urls: string[]; index: number }>();

  const base = async (service: Service): Promise<string> => {
    let state = current.get(service);
    if (!state) {
      let found = resolved.get(service);
      if (!found) {
        resolved.set(service, (found = resolve(service)));
        // A file that could not be read is tried again on the next call.
        found.catch(() => resolved.delete(service));
      }
      const endpoints = await found;
      if (!endpoints) {
        throw new InvalidParameterError(
          "region",
          region === undefined
            ? `no region was given and endpoints.${service} is not set, so ${SERVICE_NAMES[service]} has no host`
            : `${SERVICE_NAMES[service]} has no endpoint in ${region}: set endpoints.${service}, ${endpointVariable(service, region)} or a ${SDK_SERVICE_NAMES[service]} entry in the regions file`,
        );
      }
      // Concurrent first calls share one state.
      state = current.get(service) ?? { urls: endpoints.urls, index: 0 };
      current.set(service, state);
    }
    return state.urls[state.index]!;
  };

  return {
    base,
    async next(url) {
      for (const [, state] of current) {
        const at = state.urls.findIndex((prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`));
        if (at === -1 || at + 1 >= state.urls.length) continue;
        state.index = Math.max(state.index, at + 1);
        return state.urls[at + 1] + url.slice(state.urls[at]!.length);
      }
      return undefined;
    },
  };
}

// One service's endpoints by the conventions above; the regions file is read once per resolver,
// and only when a service's endpoint is looked for there (an option or a variable wins).
function resolverOf({ region, endpoints, env }: EndpointOptions): (service: Service) => Promise<ResolvedEndpoints | undefined> {
  let file: ReturnType<typeof readRegionsFile> | undefined;
  return async (service) => {
    const given = endpoints?.[service];
    if (given !== undefined) return { urls: endpointList(given, `endpoints.${service}`), source: "option" };
    const iam = service === "iam" ? env?.[ENV_VARIABLES.iamEndpoint] : undefined;
    if (iam) return { urls: endpointList(iam, ENV_VARIABLES.iamEndpoint), source: "environment" };
    if (region === undefined) return undefined;
    const variable = endpointVariable(service, region);
    const fromEnv = env?.[variable];
    if (fromEnv) return { urls: endpointList(fromEnv, variable), source: "environment" };
    if (env) {
      const found = await (file ??= readRegionsFile(env).catch((error: unknown) => {
        file = undefined;
        throw error;
      }));
      const entries = found?.entries.get(SDK_SERVICE_NAMES[service])?.get(region);
      if (found && entries) {
        const urls = entries.map(({ url, line }) => {
          const problem = endpointProblem(url);
          if (problem) throw new InvalidParameterError(found.parameter, `${found.path} line ${line}: the endpoint of ${SDK_SERVICE_NAMES[service]} in ${region} ${problem}`);
          return normalized(url);
        });
        return { urls, source: `regions file ${found.path}` };
      }
    }
    const urls = tableEndpoints(service, region);
    return urls.length > 0 ? { urls, source: "built-in table" } : undefined;
  };
}

// The URLs of a comma-separated list, each checked and without a trailing slash. A problem names
// where the list was set (and which of several it is), never the value.
function endpointList(value: string | readonly string[], where: string): string[] {
  const items = (typeof value === "string" ? value.split(",") : [...value]).map((item) => (typeof item === "string" ? item.trim() : String(item)));
  const urls = items.filter((item) => item !== "");
  if (urls.length === 0) throw new InvalidParameterError(where, "names no endpoint");
  return urls.map((url, index) => {
    const problem = endpointProblem(url);
    if (problem) throw new InvalidParameterError(where, urls.length > 1 ? `endpoint ${index + 1} of ${urls.length} ${problem}` : problem);
    return normalized(url);
  });
}

// Lossless for a URL endpointProblem accepts: it has no user name, query or fragment to drop.
function normalized(value: string): string {
  const url = new URL(value.trim());
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}
