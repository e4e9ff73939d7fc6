// The one parser of both commands: the report and `exporter` take the same target, credential and
// proxy options (node:util parseArgs), and each its own few more. Settings the client owns (the
// region, the tenant ID, the credential chain, the endpoint overrides) are asked of the client,
// with the environment it is given; the command reads only its own variables.
import { parseArgs, type ParseArgsConfig } from "node:util";
import {
  cachedCredentials,
  defaultCredentialChain,
  endpointProblem,
  ENV_VARIABLES,
  environmentSettings,
  InvalidParameterError,
  KNOWN_REGIONS,
  PACKAGE_SERVICES,
  resolveEndpoints,
  SERVICES,
  type Credentials,
  type CredentialsProvider,
  type Endpoints,
  type Env,
  type Service,
} from "@codearts-package-status/client";
import { ENDPOINT_FLAGS, ID_RULES } from "./generated/tables.js";
import { proxyFromEnv, type ProxySettings } from "./proxy.js";
import type { PackageIds } from "./report.js";
import { thresholdsOf, type Thresholds } from "./severity.js";
import { suggest } from "./suggest.js";
import type { Terminal } from "./terminal.js";
import { EXPORTER_DEFAULTS, PROJECT_VARIABLE } from "./usage.js";

// The documented example IDs, so that `--mock` alone shows every documented package.
const DEMO_PROJECT_ID = ID_RULES.projectId.example;
// The mock accepts any non-empty token; this one only ever goes to 127.0.0.1.
const DEMO_TOKEN = "demo-token-for-the-embedded-mock";
// Node's timers hold at most 2^31-1 ms; a longer delay fires after 1 ms, so every call would time out.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
// Huawei's region IDs: lower-case words and numbers joined by hyphens (cn-north-4, ap-southeast-1).
const REGION_ID = /^[a-z]+(-[a-z0-9]+)+$/;

type OptionName<Flag> = Flag extends `--${infer Name}` ? Name : never;
/** The parseArgs name of each `--endpoint-*` flag: `endpoint-artifact`, … */
type EndpointOption = OptionName<(typeof ENDPOINT_FLAGS)[Service]>;
const endpointOption = (service: Service): EndpointOption => ENDPOINT_FLAGS[service].slice(2) as EndpointOption;
const ENDPOINT_OPTIONS = Object.fromEntries(SERVICES.map((service) => [endpointOption(service), { type: "string" }])) as Record<EndpointOption, { type: "string" }>;

const OPTIONS = {
  region: { type: "string" },
  "project-id": { type: "string" },
  "tenant-id": { type: "string" },
  json: { type: "boolean" },
  nagios: { type: "boolean" },
  wide: { type: "boolean" },
  "warn-days": { type: "string" },
  "critical-days": { type: "string" },
  mock: { type: "boolean" },
  verbose: { type: "boolean" },
  "timeout-ms": { type: "string" },
  ...ENDPOINT_OPTIONS,
  token: { type: "string" },
  "access-key": { type: "string" },
  "secret-key": { type: "string" },
  "security-token": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
  // The exporter's own.
  listen: { type: "string" },
  "cache-seconds": { type: "string" },
  "max-targets": { type: "string" },
  "max-concurrent": { type: "string" },
  "max-series": { type: "string" },
  "web-config": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

type OptionKey = keyof typeof OPTIONS;
type Values = { [Name in OptionKey]?: (typeof OPTIONS)[Name]["type"] extends "string" ? string : boolean };

/** The commands: the report, the exporter, and the MCP server (@codearts-package-status/mcp), and the options only one of them takes. */
export type Command = "report" | "exporter" | "mcp";
const ONLY: Readonly<Record<Command, readonly OptionKey[]>> = {
  exporter: ["listen", "cache-seconds", "max-targets", "max-concurrent", "max-series", "web-config"],
  // The report's output and thresholds: Prometheus's alerting rules take their place, and the
  // MCP server's package_report takes them per call.
  report: ["json", "nagios", "warn-days", "critical-days"],
  mcp: [],
};
// Why another command's option is refused, where the refusal says more than "unknown option".
const NOT_HERE: Partial<Record<Command, string>> = {
  exporter: "does not apply to the exporter (its alerting rules set the thresholds)",
  mcp: "does not apply to the MCP server (package_report takes warn_days and critical_days per call; it speaks on stdin and stdout)",
};

/** Everything a run of either command needs, resolved from flags and the environment. */
export interface Settings {
  /** The first of `regions`, or undefined when none was given. */
  region: string | undefined;
  /** The region IDs to report on, each with its own client; empty when every service has an endpoint (or with --mock). */
  regions: string[];
  /** The tenant and project to report on. */
  ids: PackageIds;
  /** Where the tenant ID comes from: `command line`, `environment`, or undefined when the client finds it. */
  tenantSource: string | undefined;
  /** Where the credentials come from: the flags, the client's default chain, or (--mock) a demo token; one cache, shared by every client of the run. */
  credentials: CredentialsProvider;
  /** The environment the client reads its own settings from. */
  env: Env;
  /** What the credential chain warns of (a credentials file others can read), held until a run writes it on stderr (src/session.ts). */
  warnings: Warnings;
  /** Say on stderr where each setting came from. */
  verbose: boolean;
  /** Per-service base URLs given with --endpoint-*. */
  endpoints: Endpoints;
  /** Timeout of each attempt, when given. */
  timeoutMs: number | undefined;
  /** Start the embedded mock server and ask it. */
  mock: boolean;
  /** Print JSON instead of the table. */
  json: boolean;
  /** Print the one Nagios plugin status line instead of the table (`--nagios`). */
  nagios: boolean;
  /** Color the table (src/terminal.ts decides; never with --json). */
  color: boolean;
  /** Add the renewal link column (--wide). */
  wide: boolean;
  /** Fit the table into this many columns (stdout is a terminal), or undefined to print values whole. */
  width: number | undefined;
  /** --warn-days and --critical-days, defaults applied. */
  thresholds: Thresholds;
  /** The proxy variables in effect, or undefined for direct connections. */
  proxy: ProxySettings | undefined;
  /** The exporter's --listen, parsed. */
  listen: { text: string; host: string | undefined; port: number };
  /** The exporter's --cache-seconds. */
  cacheSeconds: number;
  /** The exporter's --max-targets. */
  maxTargets: number;
  /** The exporter's --max-concurrent: collections in flight at once, over every target. */
  maxConcurrent: number;
  /** The exporter's --max-series: package series per target answer. */
  maxSeries: number;
  /** The exporter's --web-config: exporter-toolkit's web configuration file (TLS, basic auth), read when it starts. */
  webConfig: string | undefined;
}

/** Every problem with the command line at once, one message each; never a value, which may be a secret. */
export class UsageErrors extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("; "));
  }
}

/** One problem with the command line or the environment; collected into {@link UsageErrors}. */
class UsageError extends Error {}

/** Warnings that arise while the settings are used, held until a run says where they go. */
export class Warnings {
  private held: string[] = [];
  private write: ((text: string) => void) | undefined;

  /** Writes `text`, or holds it until {@link Warnings.writeTo}. */
  add(text: string): void {
    if (this.write) this.write(text);
    else this.held.push(text);
  }

  /** Where this and every later warning goes; the held ones go there first. */
  writeTo(write: (text: string) => void): void {
    this.write = write;
    for (const text of this.held.splice(0)) write(text);
  }
}

/**
 * Parses a command's arguments. Resolves to its settings, `"help"` or `"version"`; rejects with
 * {@link UsageErrors} naming every problem at once, before anything is asked of a service.
 */
export async function parseCommandLine(command: Command, argv: readonly string[], env: Env, terminal: Terminal): Promise<Settings | "help" | "version"> {
  const { values, problems } = readArgs(command, argv);
  if (values.help) return "help";
  if (values.version) return "version";
  // Each check adds its problem and goes on, so that one run names everything to fix.
  const check = async <T>(read: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const mock = values.mock === true;
  const fromEnv = environmentSettings(env);

  const endpoints: Endpoints = {};
  for (const service of SERVICES) {
    const value = values[endpointOption(service)];
    if (value === undefined) continue;
    const problem = endpointProblem(value);
    if (problem) problems.push(`${ENDPOINT_FLAGS[service]} ${problem}`);
    else endpoints[service] = value;
  }

  const regions = (await check(() => regionsFrom(values.region ?? fromEnv.region, mock || PACKAGE_SERVICES.every((service) => endpoints[service] !== undefined), env, endpoints))) ?? [];
  const projectId = await check(() => id("--project-id", ID_RULES.projectId, values["project-id"] ?? projectFromEnv(env) ?? (mock ? DEMO_PROJECT_ID : undefined)));
  // Left out, the client discovers it (with --mock, from the mock's IAM).
  const tenantId = await check(() => id("--tenant-id", ID_RULES.tenantId, values["tenant-id"] ?? fromEnv.tenantId));
  const tenantSource = values["tenant-id"] !== undefined ? "command line" : fromEnv.tenantId !== undefined ? "environment" : undefined;
  // The flags are read here, so a half-given pair fails as usage; without them, the client's
  // default chain (environment, profile file, ECS metadata) is asked when the run starts.
  const flags = await check(() => credentialsFromFlags(values));
  const warnings = new Warnings();
  const credentials = cachedCredentials(
    flags
      ? async () => ({ ...flags, ...(fromEnv.projectId === undefined ? {} : { projectId: fromEnv.projectId }), source: "command line" })
      : mock
        ? async () => ({ token: DEMO_TOKEN, source: "demo token (--mock)" })
        : defaultCredentialChain({ env, onWarning: (message) => warnings.add(message) }),
  );
  const timeoutMs = await check(() => (values["timeout-ms"] === undefined ? undefined : integer("--timeout-ms", values["timeout-ms"], 1, MAX_TIMEOUT_MS)));
  const thresholds = await check(() => thresholdsFrom(values["warn-days"], values["critical-days"]));
  if (values.json && values.nagios) problems.push("pass either --json or --nagios, not both");
  const listenText = values.listen ?? EXPORTER_DEFAULTS.listen;
  const listen = parseListen(listenText);
  if (!listen) problems.push("--listen must be HOST:PORT, [IPv6]:PORT or :PORT, with a port from 0 to 65535");
  const cacheSeconds = await check(() => (values["cache-seconds"] === undefined ? EXPORTER_DEFAULTS.cacheSeconds : integer("--cache-seconds", values["cache-seconds"], 0, 31_536_000)));
  const maxTargets = await check(() => (values["max-targets"] === undefined ? EXPORTER_DEFAULTS.maxTargets : integer("--max-targets", values["max-targets"], 1, 1_000_000)));
  const maxConcurrent = await check(() => (values["max-concurrent"] === undefined ? EXPORTER_DEFAULTS.maxConcurrent : integer("--max-concurrent", values["max-concurrent"], 1, 1_000)));
  const maxSeries = await check(() => (values["max-series"] === undefined ? EXPORTER_DEFAULTS.maxSeries : integer("--max-series", values["max-series"], 1, 10_000_000)));
  // Its /metrics serves one target; /probe?region= serves any other.
  if (command === "exporter" && regions.length > 1) problems.push("the exporter takes one --region; scrape /probe?region=… for the others");
  if (problems.length > 0) throw new UsageErrors(problems);
  // Not a usage error: the command line is right, the environment is not (the message names the variable).
  const proxy = proxyFromEnv(env);

  return {
    region: regions[0],
    regions,
    ids: { projectId, tenantId },
    tenantSource,
    credentials,
    env,
    warnings,
    verbose: values.verbose === true,
    endpoints,
    timeoutMs,
    mock,
    json: values.json === true,
    nagios: values.nagios === true,
    color: terminal.color && values.json !== true,
    wide: values.wide === true,
    width: terminal.width,
    thresholds: thresholds!,
    proxy,
    listen: { text: listenText, ...listen! },
    cacheSeconds: cacheSeconds!,
    maxTargets: maxTargets!,
    maxConcurrent: maxConcurrent!,
    maxSeries: maxSeries!,
    webConfig: values["web-config"],
  };
}

/**
 * Whether a region (lower case) is served: in the built-in table, or shaped like a region ID and
 * with a package service's endpoints named there by an override, as the client resolves them
 * (`HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}`, the regions file). When `endpoints` (the
 * --endpoint-* flags) name every service, the region names no host: any region ID is a label, and
 * no override is read. The command's --region and the exporter's /probe?region= accept exactly these.
 */
export async function servesRegion(region: string, env: Env, endpoints: Endpoints = {}): Promise<boolean> {
  if (KNOWN_REGIONS.includes(region)) return true;
  if (!REGION_ID.test(region)) return false;
  if (SERVICES.every((service) => endpoints[service] !== undefined)) return true;
  try {
    const resolved = await resolveEndpoints({ region, env });
    return PACKAGE_SERVICES.some((service) => resolved[service] !== undefined);
  } catch (error) {
    // A malformed override names the region all the same: the run then reports what is wrong with it.
    if (error instanceof InvalidParameterError) return true;
    throw error;
  }
}

/** `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (every interface). */
export function parseListen(text: string): { host: string | undefined; port: number } | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s/]*)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65_535) return undefined;
  const host = match[1] ?? match[2];
  return { host: host === "" ? undefined : host, port };
}

// parseArgs in its lenient mode, with its strict checks redone here so that every problem is
// reported in one run instead of one per run, and so that no message quotes a value.
function readArgs(command: Command, argv: readonly string[]): { values: Values; problems: string[] } {
  const { values, tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const problems: string[] = [];
  const others = (Object.keys(ONLY) as Command[]).filter((one) => one !== command).flatMap((one) => ONLY[one]);
  const names = Object.keys(OPTIONS)
    .filter((name) => !others.includes(name as OptionKey))
    .map((name) => `--${name}`);
  // Options whose value is already reported, so no check of that value reports it again.
  const unusable = new Set<string>();
  let positionals = 0;
  for (const token of tokens) {
    if (token.kind === "positional") positionals++;
    if (token.kind !== "option") continue;
    const option = (OPTIONS as Record<string, { type: string }>)[token.name];
    if (option !== undefined && others.includes(token.name as OptionKey)) {
      unusable.add(token.name);
      const why = NOT_HERE[command];
      if (why) problems.push(`--${token.name} ${why}`);
      // The exporter's flags are not the report's: to the report they are unknown.
      else problems.push(`unknown option ${token.rawName.slice(0, 64)}`);
    } else if (option === undefined) {
      // The name only: `--tokn=SECRET` must not echo its value.
      const hint = suggest(`--${token.name}`, names);
      problems.push(`unknown option ${token.rawName.slice(0, 64)}${hint ? ` (did you mean ${hint}?)` : ""}`);
    } else if (option.type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))) {
      // `--region --json` is a forgotten value, not a region named "--json" (`--flag=-x` passes).
      problems.push(`${token.rawName} needs a value`);
      unusable.add(token.name);
    } else if (option.type === "boolean" && token.value !== undefined) {
      problems.push(`${token.rawName} takes no value`);
    }
  }
  // A stray argument may be a secret pasted in the wrong place: it is counted, never quoted.
  if (positionals > 0) problems.push(`unexpected argument${positionals === 1 ? "" : "s"}: this command takes options only`);
  const typed: Values = {};
  for (const [name, value] of Object.entries(values)) {
    const option = (OPTIONS as Record<string, { type: string }>)[name];
    if (option && !unusable.has(name) && typeof value === (option.type === "string" ? "string" : "boolean")) (typed as Record<string, unknown>)[name] = value;
  }
  return { values: typed, problems };
}

// `cn-north-4,cn-south-1` asks both, once each, in the order given. Region IDs are lower case;
// `CN-NORTH-4` is the same region typed with caps lock on.
async function regionsFrom(given: string | undefined, optional: boolean, env: Env, endpoints: Endpoints): Promise<string[]> {
  if (given === undefined) {
    if (optional) return [];
    throw new UsageError(`no region: pass --region or set ${ENV_VARIABLES.region} (valid regions: ${KNOWN_REGIONS.join(", ")})`);
  }
  const regions: string[] = [];
  const unknown: string[] = [];
  for (const typed of given.split(",")) {
    const region = typed.trim().toLowerCase();
    if (await servesRegion(region, env, endpoints)) {
      if (!regions.includes(region)) regions.push(region);
      continue;
    }
    unknown.push(region === "" ? "an empty region" : unknownRegion(typed.trim(), region));
  }
  if (unknown.length > 0) throw new UsageError(`${unknown.join(", ")}; valid regions: ${KNOWN_REGIONS.join(", ")}`);
  return regions;
}

/** `unknown region "CN-NORT-4" (did you mean cn-north-4?)`: the region as typed, and the known one closest to its lower-case form. */
export function unknownRegion(typed: string, region = typed): string {
  const hint = suggest(region, KNOWN_REGIONS);
  return `unknown region "${typed}"${hint ? ` (did you mean ${hint}?)` : ""}`;
}

// A flag pair never mixes with anything else: a secret key from one place and an access key
// from another would only fail to sign.
function credentialsFromFlags(flags: Values): Credentials | undefined {
  const { token, "access-key": accessKey, "secret-key": secretKey, "security-token": securityToken } = flags;
  if (token !== undefined && (accessKey !== undefined || secretKey !== undefined)) throw new UsageError("pass either --token or --access-key and --secret-key, not both");
  if (token !== undefined) {
    if (securityToken !== undefined) throw new UsageError("--security-token goes with --access-key and --secret-key, not --token");
    return { token };
  }
  if (accessKey === undefined && secretKey === undefined) {
    if (securityToken !== undefined) throw new UsageError("--security-token needs an access key pair (--access-key and --secret-key)");
    return undefined;
  }
  if (accessKey === undefined || secretKey === undefined) throw new UsageError("--access-key and --secret-key must be given together");
  return securityToken === undefined ? { accessKey, secretKey } : { accessKey, secretKey, securityToken };
}

// Both IDs are optional: without a project ID the calls leave project_id out (every operation
// documents it as optional), and without a tenant ID the client discovers it.
function id(flag: string, rule: IdRule, value: string | undefined): string | undefined {
  const problem = idProblem(flag, rule, value);
  if (problem) throw new UsageError(problem);
  return value;
}

/** An ID rule of the spec (`ID_RULES`). */
export type IdRule = (typeof ID_RULES)[keyof typeof ID_RULES];

/**
 * What is wrong with an ID by the spec's rule, named as `name`; undefined when it is fine or
 * left out. Checked before any request, so a typo fails once, clearly, instead of once per
 * service. The words assume the spec's letters-and-digits pattern of one fixed length.
 */
export function idProblem(name: string, rule: IdRule, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!new RegExp(rule.pattern).test(value) || value.length < rule.minLength || value.length > rule.maxLength) return `${name} must be ${rule.maxLength} letters and digits`;
  return undefined;
}

function thresholdsFrom(warnText: string | undefined, criticalText: string | undefined): Thresholds {
  const warn = warnText === undefined ? undefined : integer("--warn-days", warnText, 0);
  const critical = criticalText === undefined ? undefined : integer("--critical-days", criticalText, 0);
  const thresholds = thresholdsOf(warn, critical);
  if (!thresholds) throw new UsageError("--critical-days must not be more than --warn-days");
  return thresholds;
}

function integer(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : min > 0 ? ` of at least ${min}` : ", 0 or more";
    throw new UsageError(`${flag} must be a whole number${range}`);
  }
  return value;
}

/** The CodeArts project ID `CODEARTS_PROJECT_ID` sets, or undefined when it is unset or blank. */
export function projectFromEnv(env: Env): string | undefined {
  const value = env[PROJECT_VARIABLE];
  return value === undefined || value.trim() === "" ? undefined : value;
}
