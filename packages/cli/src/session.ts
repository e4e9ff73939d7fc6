// What the report and the exporter both set up before they ask anything, in one place so that
// the two commands cannot differ: the credentials (asked once, first, so that "no credentials" is
// one line naming every place looked), the embedded mock when asked, the proxy agent, and a
// client per region made from the endpoints the client resolved for it.
import {
  createClient,
  createRedactor,
  CredentialsError,
  PACKAGE_SERVICES,
  type CodeArtsClient,
  type Endpoints,
  type PackageService,
  type ProvidedCredentials,
  type Redact,
  type ResolvedEndpoints,
  type Service,
} from "@codearts-package-status/client";
import type { Settings } from "./command-line.js";
import type { CredentialKind } from "./format.js";
import { proxiedFetch, proxyVariableFor, type ProxiedFetch, type ProxySettings } from "./proxy.js";
import type { SkippedService } from "./report.js";
import { PROGRAM } from "./usage.js";

/** A run's set-up, open until `close()`. */
export interface Session {
  /** The credentials the run starts with. */
  first: ProvidedCredentials;
  /** Where they came from, a place, never a value: `command line`, `environment`, `profile <path>`, `ECS metadata`, … */
  source: string;
  /** Which kind they are, for the hint after an authentication failure. */
  credentialKind: CredentialKind;
  /** Where the tenant ID comes from: the flag or variable, the profile that carries a domain_id, else IAM. */
  tenantSource: string;
  /** The --endpoint-* flags over the embedded mock's URL for every service (with --mock). */
  endpoints: Endpoints;
  /** The embedded mock's URL, with --mock. */
  mockUrl: string | undefined;
  /** The fetch through the proxy, when a proxy variable is set. */
  fetch: ProxiedFetch["fetch"] | undefined;
  /**
   * Removes, in place, the proxies' URLs and passwords from a value: a proxy may echo them into an
   * answer or an error, which the client, not knowing them, leaves as they are. (The client
   * redacts its own credentials.)
   */
  redact: Redact;
  /** The proxy variable a request to `url` goes through, for hints; never for the embedded mock. */
  proxyVariable(url: string | undefined): string | undefined;
  /** Stops the mock and releases the proxy's connections. */
  close(): Promise<void>;
}

/**
 * Asks the credentials, starts the mock (with --mock; `announce` says where it listens) and the
 * proxy agent; says where the credentials and the tenant ID came from with --verbose. Undefined,
 * the line written, when there are no credentials.
 */
export async function openSession(settings: Settings, note: (text: string) => void, announce: (mockUrl: string) => void): Promise<Session | undefined> {
  let first: ProvidedCredentials;
  settings.warnings.writeTo((text) => note(`${PROGRAM}: warning: ${text}`));
  try {
    first = await settings.credentials();
  } catch (error) {
    if (!(error instanceof CredentialsError)) throw error;
    // The places looked, without the client's "No credentials: " lead, for one line of our own.
    const looked = Array.isArray(error.sources) && error.sources.length > 0 ? error.sources.join("; ") : error.message;
    note(`${PROGRAM}: no credentials: pass --access-key and --secret-key, or --token; looked in: ${looked}`);
    return undefined;
  }
  const source = first.source ?? "the credentials provider";
  const tenantSource = settings.tenantSource ?? (first.domainId ? source : "IAM (KeystoneListAuthDomains)");
  if (settings.verbose) {
    note(`${PROGRAM}: credentials from ${source}`);
    note(`${PROGRAM}: tenant ID from ${tenantSource}`);
  }
  // The flags and the variables are named by kind; any other source by where it is.
  const credentialKind: CredentialKind = source === "command line" || source === "environment" ? ("token" in first ? "token" : "aksk") : { source };

  let mock: { url: string; close(): Promise<void> } | undefined;
  let proxied: ProxiedFetch | undefined;
  let endpoints = settings.endpoints;
  try {
    if (settings.mock) {
      // Loaded only for --mock: the mock reads and compiles the whole spec when it starts.
      const { startMockServer } = await import("@codearts-package-status/mock");
      const accessKeys = "accessKey" in first ? { [first.accessKey]: first.secretKey } : {};
      mock = await startMockServer({ host: "127.0.0.1", port: 0, credentials: { accessKeys } });
      announce(mock.url);
      endpoints = { artifact: mock.url, check: mock.url, pipeline: mock.url, iam: mock.url, ...settings.endpoints };
    }
    // The embedded mock listens on this machine's loopback, which a proxy elsewhere cannot reach.
    if (settings.proxy) proxied = await proxiedFetch(settings.proxy, mock ? [new URL(mock.url).host] : []);
  } catch (error) {
    await mock?.close();
    throw error;
  }
  return {
    first,
    source,
    credentialKind,
    tenantSource,
    endpoints,
    mockUrl: mock?.url,
    fetch: proxied?.fetch,
    redact: createRedactor(proxySecrets(settings.proxy)),
    proxyVariable: (url) => (url === undefined || url === mock?.url ? undefined : proxyVariableFor(settings.proxy, url)),
    async close() {
      await proxied?.close();
      await mock?.close();
    },
  };
}

/**
 * The client of one region, given the endpoints just resolved for it (every URL of each service,
 * in order), so that it neither resolves them again nor calls anywhere but where the plan, the
 * messages and the proxy expect.
 */
export function regionClient(region: string | undefined, resolved: Partial<Record<Service, ResolvedEndpoints>>, settings: Settings, session: Session): CodeArtsClient {
  return createClient({
    region,
    endpoints: Object.fromEntries(Object.entries(resolved).map(([service, found]) => [service, found.urls])),
    credentials: settings.credentials,
    env: settings.env,
    ...(session.fetch ? { fetch: session.fetch } : {}),
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
  });
}

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

// The proxies' URLs and their passwords as a proxy may echo them.
function proxySecrets(proxy: ProxySettings | undefined): string[] {
  const secrets: string[] = [];
  for (const variable of [proxy?.http, proxy?.https]) {
    if (!variable) continue;
    secrets.push(variable.value);
    try {
      const { password } = new URL(variable.value);
      if (password) secrets.push(decodeURIComponent(password));
    } catch {
      // proxyFromEnv accepted only URLs that parse.
    }
  }
  return secrets;
}
