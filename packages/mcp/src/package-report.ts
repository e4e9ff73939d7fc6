// package_report: the command's report (`codearts-package-status --json`), its verdict and a short
// summary, for the question an assistant is asked: what expires, where, and where to renew it.
// The report is made by the command's own code (the CLI's runWithReporter set-up), so the two
// cannot disagree on a package, its order or the verdict.
import { DEFAULT_CRITICAL_DAYS, DEFAULT_WARN_DAYS, EXIT, severityOf, thresholdsOf, type PackageRow, type Reporter, type Thresholds } from "@codearts-package-status/cli";
import { KNOWN_REGIONS, PACKAGE_SERVICES, SERVICE_NAMES, SERVICES } from "@codearts-package-status/client";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { errorResult, structuredResult } from "./results.js";
import { schemaProblems } from "./schema-check.js";

/** The name of the report tool. */
export const PACKAGE_REPORT = "package_report";

// The most packages of each severity, and failures, the text summary lists; all are in the structured content.
const LISTED = 20;
// A report over more regions than Huawei Cloud has is a mistake, not a request.
const MAX_REGIONS = 64;

const nullable = (type: string, description: string) => ({ type: [type, "null"], description });
const text = (description: string) => ({ type: "string", description });

const INPUT_SCHEMA = {
  type: "object",
  properties: {
    regions: {
      type: "array",
      description: `Huawei Cloud region IDs to report on, each with its own endpoints; left out, the server's --region (or HUAWEICLOUD_SDK_REGION). Built-in: ${KNOWN_REGIONS.join(", ")}; an endpoint override can name others.`,
      items: { type: "string", minLength: 1, maxLength: 64, examples: ["cn-north-4"] },
      minItems: 1,
      maxItems: MAX_REGIONS,
    },
    warn_days: { type: "integer", minimum: 0, description: `A package with this many days left or fewer is a WARNING (default ${DEFAULT_WARN_DAYS}; given only critical_days, at least that).`, examples: [DEFAULT_WARN_DAYS] },
    critical_days: { type: "integer", minimum: 0, description: `A package with this many days left or fewer is CRITICAL, and so is one already expired or frozen (default ${DEFAULT_CRITICAL_DAYS}; never more than warn_days).`, examples: [DEFAULT_CRITICAL_DAYS] },
  },
  additionalProperties: false,
} as const;

const PACKAGE = {
  type: "object",
  description: "One package or resource of the tenant, as one service reports it.",
  properties: {
    region: nullable("string", "The region asked, or null when the service was reached by an endpoint override alone."),
    service: { type: "string", enum: [...PACKAGE_SERVICES], description: "The service that reported it." },
    resource: text("Its name when the service gives one, otherwise its resource type."),
    resourceId: nullable("string", "Its resource ID as the service sent it: what tells two packages of one type apart."),
    resourceType: nullable("string", "Its resource type (hws.resource.type.…)."),
    specCode: nullable("string", "Its specification code (codearts.china.enterprise, …)."),
    status: text("The status in words (in effect, normal, does not expire, unknown (7), …)."),
    statusCode: nullable("string", "The status code as the service sent it, as a string."),
    expiryStatusCode: nullable("string", "The status code of the expiry information (tips.status) as a string: for CodeArts Check the whole subscription's, which can be past expiry while a resource is normal."),
    daysLeft: nullable("number", "Days before the next action (expiry), or null when it does not expire or none is reported."),
    nextAction: nullable("string", "What happens when daysLeft runs out, in words."),
    nextActionCode: nullable("number", "tips.next_action as sent."),
    renewalUrl: nullable("string", "The console page where the package is renewed."),
    severity: { type: "string", enum: ["ok", "warning", "unknown", "critical"], description: "What its state means under the thresholds: unknown for a status code the spec does not list." },
  },
  required: ["region", "service", "resource", "resourceId", "resourceType", "specCode", "status", "statusCode", "expiryStatusCode", "daysLeft", "nextAction", "nextActionCode", "renewalUrl", "severity"],
};

const OUTPUT_SCHEMA = {
  type: "object",
  description: "The report `codearts-package-status --json` prints, each package with its severity, and the verdict.",
  properties: {
    verdict: {
      type: "object",
      description: "The verdict of the report, as the command's exit code gives it.",
      properties: {
        status: { type: "string", enum: ["OK", "WARNING", "CRITICAL", "UNKNOWN"], description: "CRITICAL when a package is critical; else UNKNOWN when a service failed or a status is not one the spec lists; else WARNING or OK." },
        exitCode: { type: "integer", enum: [EXIT.ok, EXIT.warning, EXIT.critical, EXIT.unknown], description: "The command's exit code for this report." },
        warnDays: { type: "integer", description: "The WARNING threshold used." },
        criticalDays: { type: "integer", description: "The CRITICAL threshold used." },
        critical: { type: "integer", description: "How many packages are critical." },
        warning: { type: "integer", description: "How many packages are warnings." },
        unknown: { type: "integer", description: "How many packages are in a status the spec does not list." },
        failedServices: { type: "integer", description: "How many services could not be reported." },
      },
      required: ["status", "exitCode", "warnDays", "criticalDays", "critical", "warning", "unknown", "failedServices"],
    },
    regions: { type: "array", items: { type: "string" }, description: "The regions asked; empty when only endpoint overrides (or the mock) were used." },
    mock: { type: "boolean", description: "True when the answers came from the embedded mock server." },
    packages: { type: "array", items: PACKAGE, description: "Every package reported, the soonest to expire first; packages with no expiry last." },
    answered: {
      type: "array",
      description: "One entry per service that answered, with the request ID of its answer.",
      items: { type: "object", properties: { region: nullable("string", "The region asked."), service: { type: "string", enum: [...SERVICES] }, requestId: nullable("string", "Its X-Request-Id.") }, required: ["region", "service", "requestId"] },
    },
    errors: {
      type: "array",
      description: "One entry per service that failed; empty when all answered.",
      items: {
        type: "object",
        properties: {
          region: nullable("string", "The region asked."),
          service: { type: "string", enum: [...SERVICES] },
          kind: { type: "string", enum: ["authentication", "permission", "api", "connection", "timeout", "invalid-response", "other"] },
          message: text("One line saying what went wrong; never a credential."),
          httpStatus: nullable("integer", "The HTTP status, when the service answered."),
          errorCode: nullable("string", "Huawei's error_code, when sent."),
          requestId: nullable("string", "The request ID to quote to Huawei Cloud support."),
        },
        required: ["region", "service", "kind", "message", "httpStatus", "errorCode", "requestId"],
      },
    },
    skipped: {
      type: "array",
      description: "Services not offered in a region, and so not asked.",
      items: { type: "object", properties: { region: nullable("string", "The region."), service: { type: "string", enum: [...SERVICES] }, reason: text("Why.") }, required: ["region", "service", "reason"] },
    },
    sources: {
      type: "object",
      description: "Where the settings came from: places, never values.",
      properties: {
        credentials: text("command line, environment, profile <path>, ECS metadata, or demo token (--mock)."),
        tenantId: text("Where the tenant ID came from."),
        endpoints: {
          type: "array",
          items: { type: "object", properties: { region: nullable("string", "The region."), service: { type: "string", enum: [...SERVICES] }, source: text("Where its endpoint came from.") }, required: ["region", "service", "source"] },
        },
      },
      required: ["credentials"],
    },
  },
  required: ["verdict", "regions", "mock", "packages", "answered", "errors", "skipped", "sources"],
};

/** package_report as `tools/list` shows it. */
export const PACKAGE_REPORT_TOOL: Tool = {
  name: PACKAGE_REPORT,
  title: "Which CodeArts packages expire, where, and where to renew them",
  description: [
    "Reports every CodeArts package of the tenant from CodeArts Artifact, Check and Pipeline, in one or more regions: status, days left, what happens at expiry and the renewal link, the soonest expiry first, with a verdict (OK, WARNING, CRITICAL, UNKNOWN) under the day thresholds.",
    "A service that cannot be asked is listed under errors and makes the verdict UNKNOWN at least: the report never says OK about what it could not see.",
    "The same report as `codearts-package-status --json`, on the server's credentials and options.",
  ].join("\n\n"),
  inputSchema: INPUT_SCHEMA as unknown as Tool["inputSchema"],
  outputSchema: OUTPUT_SCHEMA as unknown as Tool["outputSchema"],
  annotations: { title: "CodeArts package report", readOnlyHint: true, openWorldHint: true },
};

const VERDICT = { [EXIT.ok]: "OK", [EXIT.warning]: "WARNING", [EXIT.critical]: "CRITICAL", [EXIT.unknown]: "UNKNOWN" } as const;

/** Makes the report; never rejects. */
export async function callPackageReport(input: Record<string, unknown>, reporter: Reporter, signal: AbortSignal): Promise<CallToolResult> {
  const problems = schemaProblems(INPUT_SCHEMA, input);
  const given = input as { regions?: string[]; warn_days?: number; critical_days?: number };
  const thresholds: Thresholds | undefined = problems.length > 0 ? undefined : thresholdsOf(given.warn_days, given.critical_days);
  if (problems.length === 0 && !thresholds) problems.push("critical_days must not be more than warn_days");
  // Region IDs are lower case; `CN-NORTH-4` is the same region typed with caps lock on (as --region
  // reads it). Read only once the input has the schema's shape.
  const regions = problems.length > 0 || given.regions === undefined ? undefined : [...new Set(given.regions.map((region) => region.trim().toLowerCase()))];
  if (problems.length === 0 && regions) {
    for (const [index, region] of regions.entries()) {
      const problem = await reporter.regionProblem(region);
      if (problem) problems.push(`regions[${index}]: ${problem}`);
    }
  }
  if (problems.length > 0) return errorResult([`${PACKAGE_REPORT}: invalid input, nothing was sent: ${problems.join("; ")}`]);

  const made = await reporter.report({ regions, thresholds, signal });
  if (!made.ok) return errorResult(made.problems.map((problem) => `${PACKAGE_REPORT}: ${problem}`));
  const { report, assessment } = made;
  const used = thresholds!;
  const packages = report.packages.map((row) => ({ ...row, severity: severityOf(row, used) }));
  const verdict = {
    status: VERDICT[assessment.code],
    exitCode: assessment.code,
    warnDays: used.warnDays,
    criticalDays: used.criticalDays,
    critical: assessment.critical.length,
    warning: assessment.warning.length,
    unknown: assessment.unknown.length,
    failedServices: report.errors.length,
  };
  const structured = { verdict, ...report, packages };
  const broken = schemaProblems(OUTPUT_SCHEMA, structured, "the report");
  // The report is this package's own making: a mismatch is a bug here, said as one rather than
  // handed to a client that would reject it.
  if (broken.length > 0) return errorResult([`${PACKAGE_REPORT}: the report does not match its own output schema (a bug of this server): ${broken.join("; ")}`]);
  return structuredResult(structured, summary(verdict, packages, made.failureLines, made.skippedLines));
}

type Row = PackageRow & { severity: string };

// A few lines an assistant can quote: the verdict, then what needs attention, then what failed.
// Escaped line by line when the result is made (src/results.ts).
function summary(verdict: { status: string; warnDays: number; criticalDays: number }, packages: Row[], failures: string[], skipped: string[]): string {
  const lines = [`${verdict.status}: ${count(packages.length, "package")} reported (WARNING within ${verdict.warnDays} days, CRITICAL within ${verdict.criticalDays} days or past expiry).`];
  const groups: Array<[string, string]> = [
    ["critical", "Critical"],
    ["unknown", "In a status the spec does not list"],
    ["warning", "Expiring soon"],
  ];
  for (const [severity, heading] of groups) {
    const rows = packages.filter((row) => row.severity === severity);
    if (rows.length === 0) continue;
    lines.push(`${heading}:`);
    for (const row of rows.slice(0, LISTED)) lines.push(`- ${describeRow(row)}`);
    if (rows.length > LISTED) lines.push(`- and ${rows.length - LISTED} more (see the structured content)`);
  }
  if (failures.length > 0) lines.push("Not reported:", ...failures.slice(0, LISTED).map((line) => `- ${line}`));
  if (failures.length > LISTED) lines.push(`- and ${failures.length - LISTED} more`);
  if (skipped.length > 0) lines.push(...skipped.slice(0, LISTED).map((line) => `- ${line}`));
  if (packages.length > 0 && !packages.some((row) => row.severity !== "ok")) lines.push("No package needs attention.");
  return lines.join("\n");
}

function describeRow(row: Row): string {
  const where = row.region ? ` (${row.region})` : "";
  const days = row.daysLeft === null ? "" : `, ${row.daysLeft} day${row.daysLeft === 1 ? "" : "s"} left`;
  const next = row.nextAction ? `, then ${row.nextAction}` : "";
  const renew = row.renewalUrl ? `; renew at ${row.renewalUrl}` : "";
  return `${SERVICE_NAMES[row.service]} ${row.resource}${where}: ${row.status}${days}${next}${renew}`;
}

const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
