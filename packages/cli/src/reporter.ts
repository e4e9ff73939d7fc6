// The report's set-up for a program that stays up and makes reports on request (the MCP server,
// @codearts-package-status/mcp): the command's own options, environment, credential chain,
// --mock and proxy, parsed and opened here, so that such a program has no configuration of its
// own to drift from the command's, and its reports are the command's (src/regions-report.ts).
import { KNOWN_REGIONS, resolveEndpoints, type CodeArtsClient, type Env, type Redact, type Service } from "@codearts-package-status/client";
import { parseCommandLine, servesRegion, unknownRegion, type Settings } from "./command-line.js";
import { escapeText } from "./escape.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { formatFailure } from "./format.js";
import { problemLines } from "./main.js";
import { reportRegions, type RegionsReport } from "./regions-report.js";
import { describeFailure, type PackageIds, type ServiceFailure } from "./report.js";
import { openSession, plan, regionClient, type Session } from "./session.js";
import type { Thresholds } from "./severity.js";

/** What a report is asked for; every field defaults to the program's options. */
export interface ReportRequest {
  /** The region IDs to report on, each checked with {@link Reporter.regionProblem} first. */
  regions?: readonly string[] | undefined;
  /** The WARNING and CRITICAL thresholds. */
  thresholds?: Thresholds | undefined;
  /** Aborts every request of the report. */
  signal?: AbortSignal | undefined;
}

/** The open set-up of a program started by {@link runWithReporter}. */
export interface Reporter {
  /** The regions the options name (`--region a,b`, `HUAWEICLOUD_SDK_REGION`); empty with `--mock` or every `--endpoint-*` alone. */
  readonly regions: readonly string[];
  /** The tenant and project the options name; with `--mock` and no `--project-id`, the documented example project. */
  readonly ids: Readonly<PackageIds>;
  /** The thresholds a report takes when not given its own: the command's defaults. */
  readonly thresholds: Readonly<Thresholds>;
  /** Whether the services are the embedded mock (`--mock`). */
  readonly mock: boolean;
  /** Makes the report `codearts-package-status --json` prints, and its verdict, over the regions asked. */
  report(request?: ReportRequest): Promise<RegionsReport>;
  /** Why a region ID cannot be reported on, as the command words it; undefined when the options, the built-in table or an override name its endpoints. */
  regionProblem(region: string): Promise<string | undefined>;
  /**
   * The client of the first of the options' regions on this set-up (its endpoints, credentials
   * and proxy), and how the command words a failure of its calls; rejects with the client's
   * `InvalidParameterError` when an override is malformed.
   */
  client(): Promise<ReporterClient>;
  /** Removes, in place, the proxies' URLs and passwords from a value; the client removes its own credentials. */
  readonly redact: Redact;
}

/** A client on the program's set-up, with the command's words for its failures. */
export interface ReporterClient {
  /** The client of the first of the options' regions. */
  client: CodeArtsClient;
  /** A failed call of `service` as the report lists it, and its line as the command prints it (hint included, not yet escaped). */
  describe(service: Service, error: unknown): { failure: ServiceFailure; line: string };
}

/** How a program made on the report's set-up starts. */
export interface ReporterProgram {
  /** Its name, leading each line it writes on stderr. */
  program: string;
  /** Its `--help` text. */
  usage: string;
  /** Its `--version` text. */
  version: string;
  /** Its arguments: the report's target, credential and proxy options (`--region`, `--mock`, `--endpoint-*`, …). */
  argv: readonly string[];
  /** The environment, read as the command reads it. */
  env: Env;
  /** Where `--help` and `--version` go; nothing else is written there. */
  stdout: (text: string) => void;
  /** Where notes, warnings and problems go, one escaped line each. */
  stderr: (text: string) => void;
  /** Runs the program on the open set-up; its exit code when it ends. */
  serve(reporter: Reporter): Promise<ExitCode>;
}

/**
 * Parses `argv` as the report's options, asks the credentials, starts the embedded mock with
 * `--mock`, runs `serve`, and closes the set-up when it ends. Resolves to {@link EXIT}'s code:
 * a usage problem or no credentials is one line each on stderr and 3, as for every command; never rejects.
 */
export async function runWithReporter(program: ReporterProgram): Promise<ExitCode> {
  const note = (text: string): void => program.stderr(`${escapeText(text)}\n`);
  try {
    const settings = await parseCommandLine("mcp", program.argv, program.env, { color: false, width: undefined });
    if (settings === "help") return program.stdout(`${program.usage}\n`), EXIT.ok;
    if (settings === "version") return program.stdout(`${program.version}\n`), EXIT.ok;
    const announce = (url: string) => note(`${program.program}: using the embedded mock server at ${url}: documented example data, nothing is sent to Huawei Cloud`);
    const session = await openSession(settings, (text) => note(text.replace(/^codearts-package-status:/, `${program.program}:`)), announce);
    if (!session) return EXIT.unknown;
    try {
      return await program.serve(reporterOf(settings, session, (text) => note(`${program.program}: ${text}`)));
    } finally {
      await session.close();
    }
  } catch (error) {
    for (const line of problemLines(program.program, error)) program.stderr(line);
    return EXIT.unknown;
  }
}

function reporterOf(settings: Settings, session: Session, note: (text: string) => void): Reporter {
  let client: Promise<ReporterClient> | undefined;
  return {
    regions: settings.regions,
    ids: { ...settings.ids },
    thresholds: { ...settings.thresholds },
    mock: settings.mock,
    report: (request = {}) =>
      reportRegions(settings, session, { regions: request.regions ?? settings.regions, thresholds: request.thresholds ?? settings.thresholds, signal: request.signal }, note),
    async regionProblem(region) {
      // The flags' endpoints, not the session's: with --mock those name the mock for every
      // service, and would make any region ID a label where --mock --region refuses a typo.
      if (await servesRegion(region, settings.env, settings.endpoints)) return undefined;
      return `${unknownRegion(region)}; valid regions: ${KNOWN_REGIONS.join(", ")}`;
    },
    client() {
      // Resolved once: the environment and the options are fixed for the program's life, so a
      // malformed override fails every call the same way.
      client ??= resolveEndpoints({ region: settings.region, endpoints: session.endpoints, env: settings.env }).then((resolved) => {
        const { hosts, urls } = plan(settings.region, resolved);
        return {
          client: regionClient(settings.region, resolved, settings, session),
          describe(service, error) {
            const failure = session.redact({ ...describeFailure(service, error, hosts[service]), region: settings.region ?? null });
            return { failure, line: formatFailure(failure, session.credentialKind, session.proxyVariable(urls[service])) };
          },
        };
      });
      return client;
    },
    redact: session.redact,
  };
}
