#!/usr/bin/env node
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { KNOWN_REGIONS, SERVICES, type Credentials, type Endpoints, type Service } from "@codearts-package-status/client";
import { ENV } from "./env.js";
import { escapeText } from "./escape.js";
import type { CredentialKind } from "./format.js";
import { ENDPOINT_FLAGS, ID_RULES, SERVICE_NAMES } from "./generated/tables.js";
import { proxyFromEnv } from "./proxy.js";
import { DEFAULT_CRITICAL_DAYS, DEFAULT_WARN_DAYS, EXIT } from "./exit-codes.js";
import { run, type RunSettings } from "./run.js";

const PROGRAM = "codearts-package-status";

// The documented example IDs, so that `--mock` alone shows every documented package.
const DEMO_PROJECT_ID = ID_RULES.projectId.example;
const DEMO_TENANT_ID = ID_RULES.tenantId.example;
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

const USAGE = `Usage: ${PROGRAM} --region REGION --project-id ID --tenant-id ID [options]
       ${PROGRAM} --mock [options]

Reports the tenant's CodeArts packages (Artifact, Check, Pipeline): status, days left, next
action and renewal link, soonest expiry first.

  --region REGION          region ID, e.g. cn-north-4            (env ${ENV.region})
  --project-id ID          ${ID_RULES.projectId.maxLength}-character CodeArts project ID      (env ${ENV.projectId})
  --tenant-id ID           ${ID_RULES.tenantId.maxLength}-character tenant (domain) ID       (env ${ENV.tenantId})
  --json                   print JSON instead of a table
  --warn-days N            WARNING (exit 1) when a package expires within N days (default ${DEFAULT_WARN_DAYS})
  --critical-days N        CRITICAL (exit 2) within N days (default ${DEFAULT_CRITICAL_DAYS}, at most --warn-days)
  --mock                   ask the embedded mock server (documented examples) instead
  --timeout-ms N           timeout of each request attempt (default 30000, at most 2147483647)
${SERVICES.map((service) => option(`${ENDPOINT_FLAGS[service]} URL`, `base URL of ${SERVICE_NAMES[service]} instead of the region's`)).join("\n")}
  -h, --help               show this help
  -v, --version            show the version

Credentials (flags win over the environment; values are never printed):
  ${ENV.accessKey} + ${ENV.secretKey} [+ ${ENV.securityToken}]   access key pair
  ${ENV.token}                                                  IAM token
  --access-key AK --secret-key SK [--security-token T] | --token T

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

function parse(argv: string[], env: Env, stdoutIsTty: boolean): RunSettings | "help" | "version" {
  const { values } = parseArgs({
    args: argv,
    options: {
      region: { type: "string" },
      "project-id": { type: "string" },
      "tenant-id": { type: "string" },
      json: { type: "boolean" },
      "warn-days": { type: "string" },
      "critical-days": { type: "string" },
      mock: { type: "boolean" },
      "timeout-ms": { type: "string" },
      ...ENDPOINT_OPTIONS,
      token: { type: "string" },
      "access-key": { type: "string" },
      "secret-key": { type: "string" },
      "security-token": { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";
  if (values.version) return "version";
  const mock = values.mock === true;

  const endpoints: Endpoints = {};
  for (const service of SERVICES) {
    const value = values[endpointOption(service)];
    if (value === undefined) continue;
    if (!/^https?:\/\/[^/]/i.test(value) || !URL.canParse(value)) throw new UsageError(`${ENDPOINT_FLAGS[service]} must be an http or https URL`);
    endpoints[service] = value;
  }

  const region = values.region ?? nonEmpty(env[ENV.region]);
  if (region !== undefined && !KNOWN_REGIONS.includes(region)) {
    throw new UsageError(`unknown region "${region}"; valid regions: ${KNOWN_REGIONS.join(", ")}`);
  }
  if (region === undefined && !mock && SERVICES.some((service) => endpoints[service] === undefined)) {
    throw new UsageError(`no region: pass --region or set ${ENV.region} (valid regions: ${KNOWN_REGIONS.join(", ")})`);
  }

  const projectId = id("--project-id", ENV.projectId, ID_RULES.projectId, values["project-id"] ?? nonEmpty(env[ENV.projectId]) ?? (mock ? DEMO_PROJECT_ID : undefined));
  const tenantId = id("--tenant-id", ENV.tenantId, ID_RULES.tenantId, values["tenant-id"] ?? nonEmpty(env[ENV.tenantId]) ?? (mock ? DEMO_TENANT_ID : undefined));

  const found = credentialsFrom(values, env);
  if (!found && !mock) {
    throw new UsageError(
      `no credentials: set ${ENV.accessKey} and ${ENV.secretKey} (an access key pair) or ${ENV.token} (an IAM token), or pass --access-key and --secret-key, or --token`,
    );
  }
  const credentials = found ?? { credentials: { token: DEMO_TOKEN }, kind: "token" as const };

  return {
    region,
    ids: { projectId, tenantId },
    credentials: credentials.credentials,
    credentialKind: credentials.kind,
    endpoints,
    timeoutMs: values["timeout-ms"] === undefined ? undefined : integer("--timeout-ms", values["timeout-ms"], 1, MAX_TIMEOUT_MS),
    mock,
    json: values.json === true,
    color: stdoutIsTty && values.json !== true && !nonEmpty(env[ENV.noColor]),
    thresholds: thresholds(values["warn-days"], values["critical-days"]),
    proxy: proxyFromEnv(env),
  };
}

// Flags win over the environment, and a flag pair never mixes with an environment pair: a
// secret key from one place and an access key from another would only fail to sign.
function credentialsFrom(
  flags: { token?: string | undefined; "access-key"?: string | undefined; "secret-key"?: string | undefined; "security-token"?: string | undefined },
  env: Env,
): { credentials: Credentials; kind: CredentialKind } | undefined {
  const flagToken = flags.token;
  const flagAk = flags["access-key"];
  const flagSk = flags["secret-key"];
  const flagSecurityToken = flags["security-token"];
  if (flagToken !== undefined && (flagAk !== undefined || flagSk !== undefined)) {
    throw new UsageError("pass either --token or --access-key and --secret-key, not both");
  }
  if (flagToken !== undefined) {
    if (flagSecurityToken !== undefined) throw new UsageError("--security-token goes with --access-key and --secret-key, not --token");
    return { credentials: { token: flagToken }, kind: "token" };
  }
  if (flagAk !== undefined || flagSk !== undefined) {
    if (flagAk === undefined || flagSk === undefined) throw new UsageError("--access-key and --secret-key must be given together");
    return { credentials: accessKeyPair(flagAk, flagSk, flagSecurityToken), kind: "aksk" };
  }
  const envAk = nonEmpty(env[ENV.accessKey]);
  const envSk = nonEmpty(env[ENV.secretKey]);
  if (envAk !== undefined || envSk !== undefined) {
    if (envAk === undefined) throw new UsageError(`${ENV.secretKey} is set but ${ENV.accessKey} is not`);
    if (envSk === undefined) throw new UsageError(`${ENV.accessKey} is set but ${ENV.secretKey} is not`);
    return { credentials: accessKeyPair(envAk, envSk, flagSecurityToken ?? nonEmpty(env[ENV.securityToken])), kind: "aksk" };
  }
  if (flagSecurityToken !== undefined) throw new UsageError("--security-token needs an access key pair (--access-key and --secret-key)");
  const envToken = nonEmpty(env[ENV.token]);
  return envToken === undefined ? undefined : { credentials: { token: envToken }, kind: "token" };
}

function accessKeyPair(accessKey: string, secretKey: string, securityToken: string | undefined): Credentials {
  return securityToken === undefined ? { accessKey, secretKey } : { accessKey, secretKey, securityToken };
}

function id(flag: string, envName: string, rule: (typeof ID_RULES)[keyof typeof ID_RULES], value: string | undefined): string {
  if (value === undefined) throw new UsageError(`no ${flag.slice(2).replace("-", " ").replace(" id", " ID")}: pass ${flag} or set ${envName}`);
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

async function main(): Promise<number> {
  const stdout = (text: string): void => void process.stdout.write(text);
  const stderr = (text: string): void => void process.stderr.write(text);
  try {
    const argv = process.argv.slice(2);
    // No arguments and nothing configured in the environment is someone finding out what the
    // command does, not a missing --region; a cron job configured by variables alone still runs.
    if (argv.length === 0 && !CONFIG_VARIABLES.some((name) => nonEmpty(process.env[name]))) return stderr(`${USAGE}\n`), EXIT.unknown;
    const settings = parse(argv, process.env, process.stdout.isTTY === true);
    if (settings === "help") return stdout(`${USAGE}\n`), EXIT.ok;
    if (settings === "version") return stdout(`${version()}\n`), EXIT.ok;
    return await run(settings, { stdout, stderr });
  } catch (error) {
    // Only the message, never the error object or a stack: its fields could hold a flag's value.
    const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
    const usage = error instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
    const message =
      // parseArgs quotes a stray argument, which may be a secret pasted in the wrong place.
      code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
        ? "unexpected argument: this command takes options only"
        : (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
    // Escaped: a message can quote a flag's or variable's value, and the value anything.
    stderr(`${PROGRAM}: ${escapeText(message)}${usage ? ` (see ${PROGRAM} --help)` : ""}\n`);
    return EXIT.unknown;
  }
}

// process.exitCode rather than process.exit(): stdout is flushed first when it is a pipe.
main().then((code) => {
  process.exitCode = code;
});
