#!/usr/bin/env node
import { createRequire } from "node:module";
import { parseArgs, type ParseArgsConfig } from "node:util";
import {
  credentialChain,
  fromEcsMetadata,
  fromEnv,
  fromProfile,
  KNOWN_REGIONS,
  PACKAGE_SERVICES,
  SERVICES,
  type Credentials,
  type CredentialsProvider,
  type Endpoints,
  type Service,
} from "@codearts-package-status/client";
import { ENV } from "./env.js";
import { escapeText } from "./escape.js";
import { ENDPOINT_FLAGS, ID_RULES, SERVICE_NAMES } from "./generated/tables.js";
import { proxyFromEnv } from "./proxy.js";
import { DEFAULT_CRITICAL_DAYS, DEFAULT_WARN_DAYS, EXIT } from "./exit-codes.js";
import { regionCheck } from "./regions.js";
import { run, type RunSettings } from "./run.js";
import { suggest } from "./suggest.js";
import { terminalFor, type Terminal } from "./terminal.js";

const PROGRAM = "codearts-package-status";

// The documented example IDs, so that `--mock` alone shows every documented package.
const DEMO_PROJECT_ID = ID_RULES.projectId.example;
// The mock accepts any non-empty token; this one only ever goes to 127.0.0.1.
const DEMO_TOKEN = "demo-token-for-the-embedded-mock";
// Node's timers hold at most 2^31-1 ms; a longer delay fires after 1 ms, so every call would time out.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

// Option names and their help lines share one column for the descriptions.
const option = (flag: string, description: string): string => `  ${flag.padEnd(23)}  ${description}`;

type OptionName<Flag> = Flag extends `--${infer Name}` ? Name : never;
/** The parseArgs name of each `--endpoint-*` flag: `endpoint-artifact`, … */
type EndpointOption = OptionName<(typeof ENDPOINT_FLAGS)[Service]>;
const endpointOption = (service: Service): EndpointOption => ENDPOINT_FLAGS[service].slice(2) as EndpointOption;
const ENDPOINT_OPTIONS = Object.fromEntries(SERVICES.map((service) => [endpointOption(service), { type: "string" }])) as Record<EndpointOption, { type: "string" }>;

const USAGE = `Usage: ${PROGRAM} --region REGION [options]
       ${PROGRAM} --mock [options]
       ${PROGRAM} exporter [--listen HOST:PORT] [options]   Prometheus metrics (see exporter --help)

Reports the tenant's CodeArts packages (Artifact, Check, Pipeline): status, days left, next
action and renewal link, soonest expiry first.

  --region REGION[,…]      region ID, e.g. cn-north-4; several give one report (env ${ENV.region})
  --project-id ID          ${ID_RULES.projectId.maxLength}-character CodeArts project ID; optional (env ${ENV.projectId})
  --tenant-id ID           ${ID_RULES.tenantId.maxLength}-character tenant (domain) ID; optional, else asked of IAM (env ${ENV.tenantId})
  --json                   print JSON instead of a table
  --wide                   add the RENEWAL LINK column to the table
  --nagios                 print one Nagios plugin status line with perfdata instead
  --warn-days N            WARNING (exit 1) when a package expires within N days (default ${DEFAULT_WARN_DAYS})
  --critical-days N        CRITICAL (exit 2) within N days (default ${DEFAULT_CRITICAL_DAYS}, at most --warn-days)
  --mock                   ask the embedded mock server (documented examples) instead
  --verbose                say on stderr where the credentials, the tenant ID and each endpoint came from (never a value)
  --timeout-ms N           timeout of each request attempt (default 30000, at most 2147483647)
${SERVICES.map((service) => option(`${ENDPOINT_FLAGS[service]} URL`, `base URL of ${SERVICE_NAMES[service]} instead of the region's`)).join("\n")}
  -h, --help               show this help
  -v, --version            show the version

Credentials, the first found of (values are never printed):
  1. --access-key AK --secret-key SK [--security-token T] | --token T
  2. ${ENV.accessKey} + ${ENV.secretKey} [+ ${ENV.securityToken}] (access key pair),
     else ${ENV.token} (IAM token)
  3. the profile file ${ENV.credentialsFile}, else ~/.huaweicloud/credentials
     ([basic] or [global]: ak, sk, security_token; [basic] project_id; [global] domain_id)
  4. the ECS agency's temporary keys from the ECS metadata service (on an ECS; gives up within
     a second elsewhere): ${ENV.ecsMetadataEndpoint}=URL asks another one,
     ${ENV.ecsMetadataDisabled}=true skips it
  ${ENV.iamProjectId}: the IAM project ID of the region, sent signed as X-Project-Id
  with an access key pair (not the CodeArts project ID of --project-id)

Table: columns SERVICE, RESOURCE, SPEC CODE, STATUS, DAYS LEFT, NEXT ACTION (RENEWAL LINK with
--wide); on a terminal long values are cut to its width with "…", to a pipe or file never.
Color only on a terminal; ${ENV.noColor} (wins), ${ENV.forceColor}=0|1-3 and ${ENV.term}=dumb are honoured.

Proxy (either case; the lower-case one wins when both are set):
  ${ENV.httpsProxy}, ${ENV.httpProxy}, ${ENV.noProxy}   like curl: http://[user:password@]host:port; --mock is never proxied

Exit codes (the Nagios plugin convention):
  ${EXIT.ok}  OK        every service answered, no package expires within --warn-days
  ${EXIT.warning}  WARNING   a package expires within --warn-days
  ${EXIT.critical}  CRITICAL  a package expires within --critical-days, has expired, or is in a status
             past expiry (deleted, retention or grace period, frozen, closed)
  ${EXIT.unknown}  UNKNOWN   bad usage, no credentials, or a service could not be asked (unless CRITICAL)`;

// The variables that configure a run; the proxy and color ones only change how it runs.
const CONFIG_VARIABLES = [ENV.region, ENV.projectId, ENV.tenantId, ENV.accessKey, ENV.secretKey, ENV.token];

/** A problem with the command line or the environment: one line on stderr, exit 3 (UNKNOWN). */
class UsageError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

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
} as const satisfies ParseArgsConfig["options"];

type Values = { [Name in keyof typeof OPTIONS]?: (typeof OPTIONS)[Name]["type"] extends "string" ? string : boolean };

/** Every problem with the command line at once, one message each; never a value, which may be a secret. */
class UsageErrors extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("; "));
  }
}

// parseArgs in its lenient mode, with its strict checks redone here so that every problem is
// reported in one run instead of one per run, and so that no message quotes a value.
function readArgs(argv: string[]): { values: Values; problems: string[] } {
  const { values, tokens } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const problems: string[] = [];
  const names = Object.keys(OPTIONS).map((name) => `--${name}`);
  // Options whose value is already reported, so no check of that value reports it again.
  const unusable = new Set<string>();
  let positionals = 0;
  for (const token of tokens) {
    if (token.kind === "positional") positionals++;
    if (token.kind !== "option") continue;
    const option = (OPTIONS as Record<string, { type: string }>)[token.name];
    if (option === undefined) {
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

function parse(argv: string[], env: Env, terminal: Terminal): RunSettings | "help" | "version" {
  const { values, problems } = readArgs(argv);
  if (values.help) return "help";
  if (values.version) return "version";
  // Each check adds its problem and goes on, so that one run names everything to fix.
  const check = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const mock = values.mock === true;

  const endpoints: Endpoints = {};
  for (const service of SERVICES) {
    const value = values[endpointOption(service)];
    if (value === undefined) continue;
    if (!/^https?:\/\/[^/]/i.test(value) || !URL.canParse(value)) problems.push(`${ENDPOINT_FLAGS[service]} must be an http or https URL`);
    else endpoints[service] = value;
  }

  const acceptsRegion = regionCheck(env);
  const regions = check(() => regionsFrom(values.region ?? nonEmpty(env[ENV.region]), mock || PACKAGE_SERVICES.every((service) => endpoints[service] !== undefined), acceptsRegion)) ?? [];
  const projectId = check(() => id("--project-id", ID_RULES.projectId, values["project-id"] ?? nonEmpty(env[ENV.projectId]) ?? (mock ? DEMO_PROJECT_ID : undefined)));
  // Left out, the client discovers it (with --mock, from the mock's IAM).
  const tenantId = check(() => id("--tenant-id", ID_RULES.tenantId, values["tenant-id"] ?? nonEmpty(env[ENV.tenantId])));
  const tenantSource = values["tenant-id"] !== undefined ? "command line" : nonEmpty(env[ENV.tenantId]) !== undefined ? "environment" : "IAM (KeystoneListAuthDomains)";
  // Flags and the two variable pairs are read here, so a half-given pair fails as usage; what is
  // left is the rest of the chain, asked when the run starts (src/run.ts).
  const found = check(() => credentialsFrom(values, env));
  const iamProjectId = nonEmpty(env[ENV.iamProjectId]);
  const credentials: CredentialsProvider = found
    ? async () => ({ ...found.credentials, ...(iamProjectId === undefined ? {} : { projectId: iamProjectId }), source: found.source })
    : mock
      ? async () => ({ token: DEMO_TOKEN, source: "demo token (--mock)" })
      : credentialChain(fromEnv(), fromProfile(), fromEcsMetadata());
  const timeoutMs = check(() => (values["timeout-ms"] === undefined ? undefined : integer("--timeout-ms", values["timeout-ms"], 1, MAX_TIMEOUT_MS)));
  const limits = check(() => thresholds(values["warn-days"], values["critical-days"]));
  if (values.json && values.nagios) problems.push("pass either --json or --nagios, not both");
  if (problems.length > 0) throw new UsageErrors(problems);

  return {
    region: regions[0],
    regions,
    acceptsRegion,
    ids: { projectId, tenantId },
    tenantSource,
    credentials,
    verbose: values.verbose === true,
    endpoints,
    timeoutMs,
    mock,
    json: values.json === true,
    nagios: values.nagios === true,
    color: terminal.color && values.json !== true,
    wide: values.wide === true,
    width: terminal.width,
    thresholds: limits as RunSettings["thresholds"],
    proxy: proxyFromEnv(env),
  };
}

// `cn-north-4,cn-south-1` asks both, once each, in the order given. Region IDs are lower case;
// `CN-NORTH-4` is the same region typed with caps lock on.
// A region the built-in table lacks is accepted when an override may name its endpoints (a
// HUAWEICLOUD_SDK_REGION_* variable for it, or a regions file); the run then resolves them as the
// client does and stops, with the same hint, if none does (src/run.ts).
function regionsFrom(given: string | undefined, optional: boolean, accepts: (region: string) => boolean): string[] {
  if (given === undefined) {
    if (optional) return [];
    throw new UsageError(`no region: pass --region or set ${ENV.region} (valid regions: ${KNOWN_REGIONS.join(", ")})`);
  }
  const regions: string[] = [];
  const unknown: string[] = [];
  for (const typed of given.split(",")) {
    const region = typed.trim().toLowerCase();
    if (accepts(region)) {
      if (!regions.includes(region)) regions.push(region);
      continue;
    }
    const hint = region === "" ? undefined : suggest(region, KNOWN_REGIONS);
    unknown.push(region === "" ? "an empty region" : `unknown region "${typed.trim()}"${hint ? ` (did you mean ${hint}?)` : ""}`);
  }
  if (unknown.length > 0) throw new UsageError(`${unknown.join(", ")}; valid regions: ${KNOWN_REGIONS.join(", ")}`);
  return regions;
}

// Flags win over the environment, and a flag pair never mixes with an environment pair: a
// secret key from one place and an access key from another would only fail to sign.
function credentialsFrom(
  flags: { token?: string | undefined; "access-key"?: string | undefined; "secret-key"?: string | undefined; "security-token"?: string | undefined },
  env: Env,
): { credentials: Credentials; source: string } | undefined {
  const flagToken = flags.token;
  const flagAk = flags["access-key"];
  const flagSk = flags["secret-key"];
  const flagSecurityToken = flags["security-token"];
  if (flagToken !== undefined && (flagAk !== undefined || flagSk !== undefined)) {
    throw new UsageError("pass either --token or --access-key and --secret-key, not both");
  }
  if (flagToken !== undefined) {
    if (flagSecurityToken !== undefined) throw new UsageError("--security-token goes with --access-key and --secret-key, not --token");
    return { credentials: { token: flagToken }, source: "command line" };
  }
  if (flagAk !== undefined || flagSk !== undefined) {
    if (flagAk === undefined || flagSk === undefined) throw new UsageError("--access-key and --secret-key must be given together");
    return { credentials: accessKeyPair(flagAk, flagSk, flagSecurityToken), source: "command line" };
  }
  const envAk = nonEmpty(env[ENV.accessKey]);
  const envSk = nonEmpty(env[ENV.secretKey]);
  if (envAk !== undefined || envSk !== undefined) {
    if (envAk === undefined) throw new UsageError(`${ENV.secretKey} is set but ${ENV.accessKey} is not`);
    if (envSk === undefined) throw new UsageError(`${ENV.accessKey} is set but ${ENV.secretKey} is not`);
    return { credentials: accessKeyPair(envAk, envSk, flagSecurityToken ?? nonEmpty(env[ENV.securityToken])), source: "environment" };
  }
  if (flagSecurityToken !== undefined) throw new UsageError("--security-token needs an access key pair (--access-key and --secret-key)");
  const envToken = nonEmpty(env[ENV.token]);
  return envToken === undefined ? undefined : { credentials: { token: envToken }, source: "environment" };
}

function accessKeyPair(accessKey: string, secretKey: string, securityToken: string | undefined): Credentials {
  return securityToken === undefined ? { accessKey, secretKey } : { accessKey, secretKey, securityToken };
}

// Both IDs are optional: without a project ID the calls leave project_id out (every operation
// documents it as optional), and without a tenant ID the client discovers it.
function id(flag: string, rule: (typeof ID_RULES)[keyof typeof ID_RULES], value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Checked here, by the spec's rule, so a typo fails once, clearly, instead of once per service.
  // The words assume the spec's letters-and-digits pattern of one fixed length.
  if (!new RegExp(rule.pattern).test(value) || value.length < rule.minLength || value.length > rule.maxLength) {
    throw new UsageError(`${flag} must be ${rule.maxLength} letters and digits`);
  }
  return value;
}

// Given only one threshold, the other follows it: `--warn-days 3` alone makes CRITICAL 3 days
// too rather than an error about a default the user never typed.
function thresholds(warnText: string | undefined, criticalText: string | undefined): RunSettings["thresholds"] {
  const warn = warnText === undefined ? undefined : integer("--warn-days", warnText, 0);
  const critical = criticalText === undefined ? undefined : integer("--critical-days", criticalText, 0);
  if (warn !== undefined && critical !== undefined && critical > warn) throw new UsageError("--critical-days must not be more than --warn-days");
  return {
    warnDays: warn ?? Math.max(DEFAULT_WARN_DAYS, critical ?? 0),
    criticalDays: critical ?? Math.min(DEFAULT_CRITICAL_DAYS, warn ?? DEFAULT_CRITICAL_DAYS),
  };
}

function integer(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : min > 0 ? ` of at least ${min}` : ", 0 or more";
    throw new UsageError(`${flag} must be a whole number${range}`);
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function version(): string {
  // Read at run time rather than bundled, so the number printed is always the installed package's.
  return (createRequire(import.meta.url)("../package.json") as { version: string }).version;
}

// The exporter command (src/exporter/command.ts) takes the same target and credential options.
const EXPORTER = process.argv[2] === "exporter";

async function main(): Promise<number> {
  const stdout = (text: string): void => void process.stdout.write(text);
  const stderr = (text: string): void => void process.stderr.write(text);
  try {
    if (EXPORTER) {
      // Loaded only for this command: it brings prom-client and an HTTP server.
      const { exporterCommand } = await import("./exporter/command.js");
      return await exporterCommand(process.argv.slice(3), {
        parse: (argv) => parse(argv, process.env, { color: false, width: undefined }),
        usageError: (message) => new UsageError(message),
        stdout,
        stderr,
        version: version(),
        stopped: new Promise((resolve) => {
          process.once("SIGTERM", resolve);
          process.once("SIGINT", resolve);
        }),
      });
    }
    const argv = process.argv.slice(2);
    // No arguments and nothing configured in the environment is someone finding out what the
    // command does, not a missing --region; a cron job configured by variables alone still runs.
    if (argv.length === 0 && !CONFIG_VARIABLES.some((name) => nonEmpty(process.env[name]))) return stderr(`${USAGE}\n`), EXIT.unknown;
    const settings = parse(argv, process.env, terminalFor(process.stdout, process.env));
    if (settings === "help") return stdout(`${USAGE}\n`), EXIT.ok;
    if (settings === "version") return stdout(`${version()}\n`), EXIT.ok;
    return await run(settings, { stdout, stderr });
  } catch (error) {
    // Only the message, never the error object or a stack: its fields could hold a flag's value.
    const problems = error instanceof UsageErrors ? error.problems : [(error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ")];
    // One line per problem, the pointer to --help once, after the last. Escaped: a message can
    // quote a variable's value (an unknown region), and the value may be anything.
    problems.forEach((problem, index) => {
      const last = index === problems.length - 1;
      const usage = error instanceof UsageErrors || error instanceof UsageError;
      stderr(`${PROGRAM}: ${escapeText(problem)}${last && usage ? ` (see ${PROGRAM} --help)` : ""}\n`);
    });
    return EXIT.unknown;
  }
}

// process.exitCode rather than process.exit(): stdout is flushed first when it is a pipe.
main().then((code) => {
  process.exitCode = code;
  // A stopped exporter may still hold timers of its metrics library; nothing is left to write.
  if (EXPORTER) process.exit(code);
});
