// createClient: one method per operation (`client.check.showTenantPackageStatus()`), and the raw
// openapi-fetch surface typed by the spec, sharing one transport.
import type { Client } from "openapi-fetch";
import type { paths } from "@codearts-package-status/types";
import { createAuthenticator, type Credentials } from "./auth.js";
import type { CallOptions } from "./call-options.js";
import { CodeArtsError, CredentialsError, InvalidParameterError } from "./errors.js";
import { OPERATIONS, type OperationId, type Service } from "./generated/operations.js";
import { METHOD_NAMES, type Resources } from "./generated/resources.js";
import { checkParameters, requestTarget, splitParameters } from "./parameters.js";
import { createRawSurface } from "./raw-client.js";
import { errorBodyOf, resultOf, validateBody, type Outcome } from "./responses.js";
import type { RetryOptions } from "./retry.js";
import type { Endpoints } from "./hosts.js";
import type { Resolver as EndpointResolver } from "./internal/endpoints.js";
import { lazily } from "./internal/lazy.js";
import { tableEndpoints } from "./internal/region-table.js";
import type { RedactLater } from "./internal/redact.js";
import { loadProviders, type CredentialsProvider } from "./providers.js";
import type { Resolver } from "./internal/provide.js";
import { createTransport } from "./transport.js";

// Loaded on the first failure only, as the signer is on the first signed request: a call that
// succeeds never loads it. The build turns this into an import of the package's own
// `./internal/redact` export. Until it loads, nothing the server sent leaves: it may hold a
// credential.
const loadRedaction = lazily(
  () => import("./internal/redact.js"),
  () => new CodeArtsError("The redaction could not be loaded"),
);

// Loaded on a client's first call wherever an override may apply: the endpoint overrides
// (`endpoints` option, environment, regions file), the failover between a service's endpoints
// and the tenant ID discovery. The build turns this into an import of the package's own
// `./internal/endpoints` export.
const loadEndpoints = lazily(
  () => import("./internal/endpoints.js"),
  () => new CodeArtsError("The endpoint resolution could not be loaded"),
);

/** Options of `createClient`. */
export interface ClientOptions {
  /** Huawei Cloud region, e.g. `cn-north-4`: each operation goes to its own service's host there. */
  region?: string | undefined;
  /**
   * Per-service base URLs that replace the region's hosts (a mock server, a proxy, a private
   * endpoint); several for one service are tried in order when one cannot be reached. Without
   * one, `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}`, then the regions file
   * (`HUAWEICLOUD_SDK_REGIONS_FILE`, else `~/.huaweicloud/regions.yaml`), then the spec's table.
   */
  endpoints?: Endpoints | undefined;
  /**
   * The tenant (account domain) ID that CodeArts Pipeline's calls use when they leave `tenant_id`
   * out. Omitted: the credentials' `domainId`, else IAM's answer (`KeystoneListAuthDomains`), asked once.
   */
  tenantId?: string | undefined;
  /** Where endpoint overrides are read from; default `process.env` where there is one. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * An IAM token (`{ token }`), an access key pair to sign requests with (`{ accessKey, secretKey, securityToken? }`),
   * or a provider of either (`fromEnv()`, `credentialChain(…)`, your own function). Omitted: the default
   * chain, environment → profile file → ECS metadata.
   */
  credentials?: Credentials | CredentialsProvider | undefined;
  /** Timeout of each attempt, in milliseconds, response body included. Default 30,000; at most 2,147,483,647 (what a timer holds). */
  timeoutMs?: number | undefined;
  /** Most bytes a response body may have once decompressed; a larger one is a `ResponseTooLargeError`. Default 33,554,432 (32 MiB). */
  maxResponseBytes?: number | undefined;
  /** Retries after a 408, 429, 5xx, connection error or timeout. Default 2; 0 turns retries off. */
  maxRetries?: number | undefined;
  /** How retries wait (backoff and the cap on `Retry-After`). */
  retry?: RetryOptions | undefined;
  /** The fetch to use instead of `globalThis.fetch`: called like it, once per attempt, with a URL (a `Request` for raw calls) and an init. */
  fetch?: ((input: string | Request, init: RequestInit) => Promise<Response>) | undefined;
  /** Check every response body against the spec, and reject one that breaks it. Default false. */
  validateResponses?: boolean | undefined;
}

/** A service's endpoints in the order they are tried, and where they came from: `option`, `environment`, `regions file <path>` or `built-in table`. */
export interface ResolvedEndpoints {
  /** Base URLs, tried in this order when one cannot be reached. */
  urls: string[];
  /** Where they came from; never a credential. */
  source: string;
}

/**
 * Where a client made with these options calls each service, and where each endpoint came from;
 * a service with no endpoint is left out. Rejects with `InvalidParameterError` for a malformed override.
 */
export async function resolveEndpoints(options: Pick<ClientOptions, "region" | "endpoints" | "env">): Promise<Partial<Record<Service, ResolvedEndpoints>>> {
  const module = await loadEndpoints();
  const none = async () => undefined;
  return module.createResolver({ region: options.region, endpoints: options.endpoints, env: options.env ?? globalThis.process?.env, tenantId: undefined, domainId: none, listAuthDomains: none, InvalidParameterError }).all();
}

/** The client: one namespace per service, and openapi-fetch's `GET`/`request`/`use`/`eject` typed by the spec. */
export type CodeArtsClient = Client<paths> & Resources;

/** Creates a client. Throws `InvalidParameterError` for an unknown region, a bad endpoint or unusable credentials. */
export function createClient(options: ClientOptions): CodeArtsClient {
  if (!options || typeof options !== "object") throw new InvalidParameterError("options", "pass { region, credentials }");
  const { region } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 2;
  const maxResponseBytes = options.maxResponseBytes ?? 2 ** 25;
  // Timers hold a signed 32-bit count: Node runs a longer timeout after 1 ms, so every call would time out.
  if (!(timeoutMs > 0 && timeoutMs < 2 ** 31)) throw new InvalidParameterError("timeoutMs", "must be a positive number of milliseconds, at most 2147483647");
  if (!(maxResponseBytes > 0)) throw new InvalidParameterError("maxResponseBytes", "must be a positive number of bytes");
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) throw new InvalidParameterError("maxRetries", "must be a whole number, 0 or more");
  // Looked up per call, so a fetch installed (or mocked) after createClient is the one used.
  const fetchImpl = options.fetch ?? ((input: string | Request, init: RequestInit) => globalThis.fetch(input, init));

  const given = options.credentials;
  // Static credentials were checked by createAuthenticator below. Whatever a server echoes of them
  // (the access key too, which costs nothing) is redacted from every error and error body a
  // call hands back (src/internal/redact.ts); a provider's are added as they arrive.
  const secrets: unknown[] = typeof given == "object" ? Object.values(given) : [];
  // A provider (or the default chain) loads with its cache on the first request, in
  // src/internal/provide.ts; tenant discovery reads `resolveCredentials()` of the same resolver.
  let resolver: Resolver | undefined;
  const provided = given === undefined || typeof given == "function";
  const credentialResolver = async () => {
    const providers = await loadProviders();
    // Made after the load, synchronously: concurrent first requests share one resolver.
    return (resolver ??= providers.createResolver(given as CredentialsProvider | undefined, secrets, CredentialsError, createAuthenticator));
  };
  const send = createTransport({
    fetch: fetchImpl,
    timeoutMs,
    maxResponseBytes,
    maxRetries,
    retry: options.retry ?? {},
    // A module that cannot load (a browser gone offline) means no failover: the call then
    // reports its own ConnectionError, not the loader's.
    failover: async (url) => (await endpointsOf().catch(() => undefined))?.next(url),
    authenticate: provided ? async (request) => (await credentialResolver()).authenticate(request) : createAuthenticator(given as Credentials),
  });
  const redact: RedactLater = async (value) => (await loadRedaction()).default(secrets)(value);
  const validate = options.validateResponses ? validateBody : undefined;
  const env = options.env ?? globalThis.process?.env;
  let endpoints: EndpointResolver | undefined;
  const endpointsOf = async () => {
    const module = await loadEndpoints();
    // Made after the load, synchronously: concurrent first calls share one resolver.
    return (endpoints ??= module.createResolver({
      region,
      endpoints: options.endpoints,
      env,
      tenantId: options.tenantId,
      // The credentials' domain ID (a profile's `[global] domain_id`), read when it is needed.
      domainId: async () => ((provided ? await (await credentialResolver()).resolveCredentials() : given) as { domainId?: unknown } | undefined)?.domainId,
      listAuthDomains: () => call("KeystoneListAuthDomains", undefined, undefined),
      InvalidParameterError,
    }));
  };
  // With no `endpoints` option and no environment (a browser), nothing can override the spec's
  // table: a call goes to the region's first host without loading the endpoints module, which
  // loads only to fail over (and from then on routes every call), to explain a missing host or
  // to discover the tenant ID.
  const directRegion = options.endpoints || env ? undefined : region;
  const baseUrlOf = async ({ service }: { service: Service }) =>
    (!endpoints && directRegion && tableEndpoints(service, directRegion)[0]) || (await endpointsOf()).base(service);
  const raw = createRawSurface({ send, baseUrlOf, validate, redact });

  async function call(operationId: OperationId, parameters: Readonly<Record<string, unknown>> | undefined, callOptions: CallOptions | undefined): Promise<unknown> {
    const operation = OPERATIONS[operationId];
    const params = splitParameters(operation, parameters);
    const signal = callOptions?.signal;
    try {
      if (operation.path.includes("{tenant_id}") && params.path.tenant_id === undefined) {
        // The other parameters first: bad input never costs a request to IAM.
        checkParameters(operation, params, "tenant_id");
        params.path.tenant_id = await (await endpointsOf()).tenantId();
      }
      let outcome: Outcome;
      if (raw.middleware.length > 0) {
        outcome = await raw.callWithMiddleware(operation, params, signal);
      } else {
        // Without middleware to run, openapi-fetch would only add a Request and a Response per call.
        checkParameters(operation, params);
        const url = (await baseUrlOf(operation)) + requestTarget(operation.path, params);
        const { response, text } = await send({ method: operation.method, url, headers: {} }, signal);
        outcome = response.ok ? { response, data: text } : { response, error: errorBodyOf(text) };
      }
      return await resultOf(operationId, outcome, validate, redact);
    } catch (error) {
      throw await redact(error);
    }
  }

  const resources = {} as Record<Service, Record<string, unknown>>;
  for (const operationId of Object.keys(OPERATIONS) as OperationId[]) {
    const service = OPERATIONS[operationId].service;
    (resources[service] ??= {})[METHOD_NAMES[operationId]] = (parameters?: Record<string, unknown>, callOptions?: CallOptions) =>
      call(operationId, parameters, callOptions);
  }
  return Object.assign(raw.client, resources) as unknown as CodeArtsClient;
}
