// Proxies for the command, the way curl and npm honour them: HTTPS_PROXY, HTTP_PROXY and NO_PROXY
// in either case, applied by undici's EnvHttpProxyAgent. Node's fetch never reads these variables
// itself. undici is imported only when a proxy variable is set, so the common run pays nothing.
import type { Dispatcher } from "undici";

type Env = Readonly<Record<string, string | undefined>>;

/** The proxy variables, as curl and npm read them (the lower-case spelling is read too, and wins). */
export const PROXY_VARIABLES = { httpsProxy: "HTTPS_PROXY", httpProxy: "HTTP_PROXY", noProxy: "NO_PROXY" } as const;

/** One proxy variable in effect: the spelling that was read, and its value. */
export interface ProxyVariable {
  /** The variable's name as set: `https_proxy` or `HTTPS_PROXY`, … */
  name: string;
  /** Its value: the proxy's URL, credentials included. Never printed. */
  value: string;
}

/** The proxy variables in effect; undefined when neither proxy variable is set. */
export interface ProxySettings {
  /** Proxy for http:// hosts (and for https:// ones when `https` is unset, as undici does). */
  http: ProxyVariable | undefined;
  /** Proxy for https:// hosts. */
  https: ProxyVariable | undefined;
  /** Hosts that bypass the proxy: undici's NO_PROXY syntax (`host`, `.domain`, `*.domain`, `host:port`, `*`). */
  noProxy: string;
}

// The lower-case spelling first, like undici (and curl for http_proxy); an empty value counts as
// set, so an empty https_proxy turns off an inherited HTTPS_PROXY.
function variable(env: Env, upper: string): ProxyVariable | undefined {
  for (const name of [upper.toLowerCase(), upper]) {
    const value = env[name];
    if (value !== undefined) return value === "" ? undefined : { name, value: proxyUrl(name, value) };
  }
  return undefined;
}

// curl takes `host:port` as an http:// proxy; undici would reject it. Checked here so a bad value
// fails once, naming the variable, and never quoted: it may hold the proxy's password.
function proxyUrl(name: string, value: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== "http:" && protocol !== "https:") throw new Error(`${name} must be a proxy URL such as http://host:port (http or https; the value is not shown)`);
  return url;
}

/** Reads the proxy variables; undefined when no proxy is configured. Throws, naming the variable, on a value that is not a proxy URL. */
export function proxyFromEnv(env: Env): ProxySettings | undefined {
  const http = variable(env, PROXY_VARIABLES.httpProxy);
  const https = variable(env, PROXY_VARIABLES.httpsProxy);
  if (http === undefined && https === undefined) return undefined;
  return { http, https, noProxy: env[PROXY_VARIABLES.noProxy.toLowerCase()] ?? env[PROXY_VARIABLES.noProxy] ?? "" };
}

/** The variable whose proxy a request to `url` goes through, ignoring NO_PROXY: for hints. */
export function proxyVariableFor(settings: ProxySettings | undefined, url: string): string | undefined {
  if (settings === undefined) return undefined;
  return (new URL(url).protocol === "https:" ? (settings.https ?? settings.http) : settings.http)?.name;
}

/** A fetch for the client that goes through the proxies, and how to release its connections. */
export interface ProxiedFetch {
  fetch: (input: string | Request, init: RequestInit) => Promise<Response>;
  close(): Promise<void>;
}

/**
 * Node's own fetch with an EnvHttpProxyAgent as its dispatcher. `bypass` lists `host:port`s that
 * never go through the proxy (the embedded mock on 127.0.0.1: a proxy elsewhere cannot reach it).
 */
export async function proxiedFetch(settings: ProxySettings, bypass: readonly string[] = []): Promise<ProxiedFetch> {
  const { EnvHttpProxyAgent } = await import("undici");
  // undici announces the agent as experimental on stderr; the command's stderr is one line per
  // failure, so that one warning (and only it) is dropped.
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const options = rest[0] as { code?: string } | undefined;
    if (options?.code === "UNDICI-EHPA") return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  let dispatcher: Dispatcher;
  try {
    dispatcher = new EnvHttpProxyAgent({
      // Given explicitly, so the agent follows exactly what proxyFromEnv read.
      httpProxy: settings.http?.value ?? "",
      httpsProxy: settings.https?.value ?? settings.http?.value ?? "",
      noProxy: [settings.noProxy, ...bypass].filter((entry) => entry !== "").join(","),
    });
  } finally {
    process.emitWarning = emitWarning;
  }
  return {
    // Node's fetch, not undici's: it is the fetch the client uses without a proxy (undici's own
    // rejects a Request made by Node's), and it takes the agent through the `dispatcher` option.
    fetch: (input, init) => globalThis.fetch(input, { ...init, dispatcher } as RequestInit),
    close: () => dispatcher.close(),
  };
}
