// Asks the three services at once and turns their three differently shaped answers into one
// list of rows. A failing service never hides what the others answered.
import {
  ApiError,
  AuthenticationError,
  CLIENT_DEFAULTS,
  ConnectionError,
  InvalidParameterError,
  PermissionDeniedError,
  RequestAbortedError,
  ResponseValidationError,
  PACKAGE_SERVICES,
  type PackageService,
  TimeoutError,
  validateResponse,
  type CodeArtsClient,
  type OperationId,
  type Redact,
  type Service,
} from "@codearts-package-status/client";
import { DOES_NOT_EXPIRE, nextActionWords, resourceStatusWords, tipsStatusWords } from "./words.js";

/** One package or resource of the tenant, as one service reports it. */
export interface PackageRow {
  /** The region asked, or null when the service was reached by an endpoint override alone. */
  region: string | null;
  /** The service that reported it. */
  service: PackageService;
  /** Its name when the service gives one (Artifact's extension name, Pipeline's `resource_name`), otherwise its resource type. */
  resource: string;
  /** Its resource ID as the service sent it (Artifact's `resourceId`, Check's other resources' `resourceId`, Pipeline's `resource_id`), when reported: what tells two packages of one type apart. */
  resourceId: string | null;
  /** Its resource type (`hws.resource.type.…`), when reported. */
  resourceType: string | null;
  /** Its specification code (`codearts.china.enterprise`, …), when reported. */
  specCode: string | null;
  /** The status in words (`in effect`, `normal`, `does not expire`, `unknown (7)`, …). */
  status: string;
  /**
   * The status code as the service sent it, always as a string so the field has one type: Artifact's
   * `packageStatus` and Pipeline's `tips.status` are numbers (`2` becomes `"2"`), Check's status a
   * word (`"normal"`); null when absent.
   */
  statusCode: string | null;
  /**
   * The status code of the expiry information (`tips.status`: 2 in effect, 5 grace period, 99
   * frozen, …) as a string, when the service sends one: CodeArts Check's applies to the whole
   * tenant subscription, so a resource whose own status is `normal` can still be in a package
   * past its expiry. For Pipeline it is `statusCode` again; Artifact sends none (null).
   */
  expiryStatusCode: string | null;
  /** Days before the next action (expiry), or null when the package does not expire or none is reported. */
  daysLeft: number | null;
  /** What happens when `daysLeft` runs out, in words, when reported. */
  nextAction: string | null;
  /** `tips.next_action` as sent, when reported. */
  nextActionCode: number | null;
  /** The console page where the package is renewed, when reported. */
  renewalUrl: string | null;
}

/** Why one service could not be reported. */
export type FailureKind = "authentication" | "permission" | "api" | "connection" | "timeout" | "invalid-response" | "other";

/** A service that failed, in words that never contain a credential. */
export interface ServiceFailure {
  /** The region asked, or null without one. */
  region: string | null;
  /** The service that failed. */
  service: Service;
  /** What kind of failure it was. */
  kind: FailureKind;
  /** One line saying what went wrong. */
  message: string;
  /** The HTTP status, when the service answered. */
  httpStatus: number | null;
  /** Huawei's `error_code`, when the service sent one. */
  errorCode: string | null;
  /** The request ID to quote to Huawei Cloud support, when known. */
  requestId: string | null;
}

/** A service that was not asked because it is not offered in the region. */
export interface SkippedService {
  /** The region that does not offer it, or null without one. */
  region: string | null;
  /** The service that was not asked. */
  service: Service;
  /** Why. */
  reason: string;
}

/** The `--json` output of the CLI: what was asked, what came back, what failed. */
export interface PackageStatusReport {
  /** The regions asked (`--region a,b`), in the order given; empty when only endpoint overrides (or the mock) were used. */
  regions: string[];
  /** True when the answers came from the embedded mock server (`--mock`). */
  mock: boolean;
  /** Every package reported, the soonest to expire first; packages with no expiry last. */
  packages: PackageRow[];
  /** One entry per service that answered, with the request ID of its answer. */
  answered: AnsweredRequest[];
  /** One entry per service that failed; empty when all answered. */
  errors: ServiceFailure[];
  /** Services not offered in the region, and so not asked. */
  skipped: SkippedService[];
  /** Where each setting came from: places, never values. */
  sources: ReportSources;
}

/** Where the settings of a run came from (`--json`'s `sources`, `--verbose`'s lines). */
export interface ReportSources {
  /** `command line`, `environment`, `profile <path>`, `ECS metadata`, or `demo token (--mock)`. */
  credentials: string;
  /** `command line`, `environment`, the credentials' source when its profile carries a `domain_id`, or `IAM (KeystoneListAuthDomains)` when the client discovers it. */
  tenantId?: string | undefined;
  /** Where each service's endpoint in each region came from; IAM is listed when the tenant ID is discovered there. */
  endpoints?: EndpointSource[] | undefined;
}

/** Where one service's endpoint in one region came from: a place, never a URL. */
export interface EndpointSource {
  /** The region, or null when the run has none (every endpoint given). */
  region: string | null;
  /** The service. */
  service: Service;
  /** `command line`, `embedded mock (--mock)`, `environment`, `regions file <path>` or `built-in table`. */
  source: string;
}

/** The IDs the three operations need. */
export interface PackageIds {
  /** 32-character ID of a CodeArts project of the tenant. */
  projectId?: string | undefined;
  /** 32-character tenant (account domain) ID. */
  tenantId?: string | undefined;
}

/** Options of {@link collectPackages}. */
export interface CollectOptions {
  /** The services to ask; default all three. */
  services?: readonly PackageService[] | undefined;
  /** The host of each service, named in connection and timeout messages. */
  hosts?: Partial<Record<Service, string>> | undefined;
  /** Aborts every request. */
  signal?: AbortSignal | undefined;
  /**
   * Answer within this many milliseconds: a service that has not answered by then is aborted and
   * reported as a `timeout` failure (the exporter passes a scrape's deadline). Default: none.
   */
  deadlineMs?: number | undefined;
  /** The client's `maxRetries`, when not its default (2): a timeout's message counts the attempts. */
  maxRetries?: number | undefined;
  /** The client's region, written into every row, failure and answer; default null. */
  region?: string | undefined;
  /**
   * Removes, in place, secrets the client does not know of from every row and failure (the CLI
   * passes a proxy's URL and password). The client redacts its own credentials itself.
   */
  redact?: Redact | undefined;
}

/** The request ID of a service's successful answer. */
export interface AnsweredRequest {
  /** The region asked, or null without one. */
  region: string | null;
  /** The service that answered. */
  service: Service;
  /** Its `X-Request-Id`, to quote to Huawei Cloud support; null when it sent none. */
  requestId: string | null;
}

/** The rows of every service that answered and the failures of those that did not. */
export interface CollectResult {
  /** Rows of the services that answered, sorted by {@link sortPackages}. */
  packages: PackageRow[];
  /** One entry per service that answered, in service order, with its request ID. */
  answered: AnsweredRequest[];
  /** One entry per service that failed, in service order. */
  errors: ServiceFailure[];
}

type ArtifactBody = Awaited<ReturnType<CodeArtsClient["artifact"]["showPackageInfo"]>>;
type CheckBody = Awaited<ReturnType<CodeArtsClient["check"]["showTenantPackageStatus"]>>;
type PipelineBody = Awaited<ReturnType<CodeArtsClient["pipeline"]["validateTenantPackageIsExpired"]>>;
type TipsLike = { status?: number | undefined; next_action?: number | undefined; next_action_remain_day?: number | undefined; next_action_url?: string | undefined } | null | undefined;

/**
 * Asks Artifact, Check and Pipeline concurrently for the tenant's packages and returns one row
 * per package, sorted by days left. Never rejects because of a service: each failure becomes a
 * {@link ServiceFailure} next to the rows of the services that answered.
 */
export async function collectPackages(client: CodeArtsClient, ids: PackageIds, options: CollectOptions = {}): Promise<CollectResult> {
  const services = options.services ?? PACKAGE_SERVICES;
  const deadline = options.deadlineMs === undefined ? undefined : AbortSignal.timeout(Math.max(0, Math.round(options.deadlineMs)));
  const signal = deadline && options.signal ? AbortSignal.any([options.signal, deadline]) : (deadline ?? options.signal);
  const call = signal ? { signal } : undefined;
  // Left out when not given: every operation documents project_id as optional, and the client
  // discovers a tenant ID it is not given.
  const project = ids.projectId === undefined ? {} : { project_id: ids.projectId };
  const tenant = ids.tenantId === undefined ? {} : { tenant_id: ids.tenantId };
  const requestIds: Partial<Record<Service, string | null>> = {};
  // The client puts a success's X-Request-Id on the result, non-enumerable (`_request_id`).
  const noted = <T>(service: Service, body: T): T => {
    const id = (body as { _request_id?: unknown } | null)?._request_id;
    requestIds[service] = typeof id === "string" && id !== "" ? id : null;
    return body;
  };
  const fetchers: Record<PackageService, () => Promise<PackageRow[]>> = {
    artifact: async () => artifactRows(noted("artifact", await client.artifact.showPackageInfo(project, call))),
    check: async () => checkRows(noted("check", await client.check.showTenantPackageStatus(project, call))),
    pipeline: async () => pipelineRows(noted("pipeline", await client.pipeline.validateTenantPackageIsExpired({ ...tenant, ...project, is_main: "true" }, call))),
  };
  const region = options.region ?? null;
  const started = Date.now();
  const failedAfter: Partial<Record<Service, number>> = {};
  const settled = await Promise.allSettled(
    services.map((service) =>
      fetchers[service]().catch((error: unknown) => {
        failedAfter[service] = Date.now() - started;
        throw error;
      }),
    ),
  );
  const packages: PackageRow[] = [];
  const errors: ServiceFailure[] = [];
  const answered: AnsweredRequest[] = [];
  settled.forEach((outcome, index) => {
    const service = services[index] as PackageService;
    // One at a time: push(...rows) passes every row as an argument and overflows the stack
    // for an answer of a few hundred thousand rows.
    if (outcome.status === "fulfilled") {
      for (const row of outcome.value) packages.push(region === null ? row : { ...row, region });
      answered.push({ region, service, requestId: requestIds[service] ?? null });
    } else errors.push({ ...describeFailure(service, outcome.reason, options.hosts?.[service], { maxRetries: options.maxRetries, elapsedMs: failedAfter[service], deadlineMs: deadline?.aborted ? options.deadlineMs : undefined }), region });
  });
  const result = { packages: sortPackages(packages), answered, errors };
  return options.redact ? options.redact(result) : result;
}

/**
 * `body`, once its shape is the one the spec promises for the operation's answer (types, nulls;
 * a status code the spec does not list yet is kept, to be shown as `unknown (N)`). Throws the
 * client's `ResponseValidationError`, which names the first field that breaks it, otherwise.
 */
function decoded<T>(operationId: OperationId, body: unknown): T {
  const issues = validateResponse(operationId, 200, body, { mode: "shape" });
  if (issues.length === 0) return body as T;
  const requestId = (body as { _request_id?: unknown } | null)?._request_id;
  throw new ResponseValidationError(operationId, { status: 200, requestId: typeof requestId === "string" && requestId !== "" ? requestId : undefined, issues, body: undefined });
}

/** Sorts by days left, soonest first; packages with no expiry go last; ties keep service order. */
export function sortPackages(rows: readonly PackageRow[]): PackageRow[] {
  // Array.prototype.sort is stable, so equal days keep the order the services reported.
  return [...rows].sort((a, b) => {
    if (a.daysLeft === b.daysLeft) return 0;
    if (a.daysLeft === null) return 1;
    if (b.daysLeft === null) return -1;
    return a.daysLeft - b.daysLeft;
  });
}

// Each *Rows function decodes the body before it makes a row of it: the spec's types are a
// promise the server may break, and a row built from a value of another type could read as a
// package that is fine, or break every output.

/** The rows of a CodeArts Artifact `ShowPackageInfo` body: one per extension in `result`. Throws `ResponseValidationError` for a body of another shape. */
export function artifactRows(answer: unknown): PackageRow[] {
  const body = decoded<ArtifactBody>("ShowPackageInfo", answer);
  // A 200 with `status: "error"` is how this service reports a failed request.
  if (body.status === "error") throw new ServiceReportedError(`the service answered status "error"${body.trace_id ? ` (trace ${body.trace_id})` : ""}`);
  return Object.entries(body.result ?? {}).map(([name, extension]) => ({
    region: null,
    service: "artifact",
    resource: name,
    resourceId: extension.resourceId ?? null,
    resourceType: extension.serviceType ?? null,
    specCode: null,
    ...statusOf(extension.packageStatus, tipsStatusWords),
    expiryStatusCode: null,
    daysLeft: extension.remainDays ?? null,
    nextAction: null,
    nextActionCode: null,
    renewalUrl: extension.nextActionUrl || null,
  }));
}

/** The rows of a CodeArts Check `ShowTenantPackageStatus` body: the main resources, then the other resources, all with the tenant's `tips`. Throws `ResponseValidationError` for a body of another shape. */
export function checkRows(answer: unknown): PackageRow[] {
  const body = decoded<CheckBody>("ShowTenantPackageStatus", answer);
  const result = body.result ?? {};
  // Check reports one expiry (`tips`) for the whole tenant subscription, so every resource shares it.
  const expiry = expiryOf(result.tips);
  // The subscription's state next to each resource's own when it is not simply in effect: a
  // `normal` resource of a package in its grace period reads "normal (package in grace period)".
  const code = expiry.expiryStatusCode;
  const subscription = code === null || code === "2" ? "" : ` (package ${tipsStatusWords(Number(code))})`;
  const withSubscription = ({ status, statusCode }: { status: string; statusCode: string | null }) => ({ status: `${status}${subscription}`, statusCode });
  const main = (result.main_resource_list ?? []).map(
    (resource): PackageRow => ({
      region: null,
      service: "check",
      resource: `${resource.resourceType ?? "resource"} (main package)`,
      resourceId: null,
      resourceType: resource.resourceType ?? null,
      specCode: resource.resourceSpecCode ?? null,
      ...withSubscription(statusOf(resource.status, resourceStatusWords)),
      ...expiry,
    }),
  );
  const other = (result.other_resource_list ?? []).map(
    (resource): PackageRow => ({
      region: null,
      service: "check",
      resource: resource.resourceType ?? resource.resourceId ?? "resource",
      resourceId: resource.resourceId ?? null,
      resourceType: resource.resourceType ?? null,
      specCode: resource.specCode ?? null,
      ...withSubscription(statusOf(resource.resourceStatus, resourceStatusWords)),
      ...expiry,
    }),
  );
  return [...main, ...other];
}

/** The rows of a CodeArts Pipeline `ValidateTenantPackageIsExpired` body: one per entry; null `tips` means the package does not expire. Throws `ResponseValidationError` for a body of another shape. */
export function pipelineRows(answer: unknown): PackageRow[] {
  const body = decoded<PipelineBody>("ValidateTenantPackageIsExpired", answer);
  return (body ?? []).map((entry): PackageRow => {
    const tips = entry.tips as TipsLike;
    const base = {
      region: null,
      service: "pipeline" as const,
      resource: entry.resource_name ?? entry.resource_type ?? entry.resource_id ?? "resource",
      resourceId: entry.resource_id ?? null,
      resourceType: entry.resource_type ?? null,
      specCode: entry.resource_spec_code ?? null,
    };
    if (!tips) return { ...base, status: DOES_NOT_EXPIRE, statusCode: null, expiryStatusCode: null, daysLeft: null, nextAction: null, nextActionCode: null, renewalUrl: null };
    return { ...base, ...statusOf(tips.status, tipsStatusWords), ...expiryOf(tips) };
  });
}

/** Turns whatever a service call threw into one credential-free line and its details. */
export function describeFailure(service: Service, error: unknown, host?: string, timing?: CallTiming): ServiceFailure {
  const failure = (kind: FailureKind, message: string, extra: Partial<ServiceFailure> = {}): ServiceFailure => ({
    region: null,
    service,
    kind,
    message,
    httpStatus: null,
    errorCode: null,
    requestId: null,
    ...extra,
  });
  if (error instanceof ApiError) {
    const details = { httpStatus: error.status, errorCode: error.errorCode ?? null, requestId: error.requestId ?? null };
    const what = [error.errorCode ?? `HTTP ${error.status}`, error.errorMsg].filter(Boolean).join(" ");
    const request = error.requestId ? ` (request ${error.requestId})` : "";
    if (error instanceof AuthenticationError) return failure("authentication", `authentication failed: ${what}${request}`, details);
    if (error instanceof PermissionDeniedError) return failure("permission", `permission denied: ${what}${request}`, details);
    // Without a Huawei error body the client's message is the informative one (an HTML page's title).
    const message = error.errorCode ? `HTTP ${error.status}: ${what}${request}` : error.message;
    return failure("api", message, details);
  }
  if (error instanceof ConnectionError) {
    // For a code the table does not know, or none (a browser's fetch gives none), the client's message says most.
    const words = error.code && SOCKET_ERRORS[error.code];
    return failure("connection", words ? `cannot reach ${host ?? "the service"}: ${words} (${error.code})` : error.message);
  }
  if (error instanceof TimeoutError) {
    // The total and the attempts: "within 2000 ms" after 7.6 s of retries misled. The client
    // throws a TimeoutError only once its retries are spent, so every attempt was made.
    const attempts = (timing?.maxRetries ?? CLIENT_DEFAULTS.maxRetries) + 1;
    const elapsedMs = timing?.elapsedMs ?? error.timeoutMs * attempts;
    return failure(
      "timeout",
      `no answer from ${host ?? "the service"}: timed out after ${attempts} attempt${attempts === 1 ? "" : "s"} in ${(elapsedMs / 1000).toFixed(1)} s (each attempt limited to ${error.timeoutMs} ms)`,
    );
  }
  if (error instanceof ResponseValidationError) {
    return failure("invalid-response", `unexpected response: ${error.message}`, { httpStatus: error.status, requestId: error.requestId ?? null });
  }
  if (error instanceof RequestAbortedError && timing?.deadlineMs !== undefined) {
    return failure("timeout", `no answer from ${host ?? "the service"} within the deadline of ${(timing.deadlineMs / 1000).toFixed(1)} s`);
  }
  if (error instanceof ServiceReportedError) return failure("api", error.message);
  if (error instanceof InvalidParameterError) return failure("other", error.message);
  return failure("other", error instanceof Error ? error.message : String(error));
}

/** How a failed call went, for the words of a timeout. */
export interface CallTiming {
  /** The client's `maxRetries`; default the client's own (`CLIENT_DEFAULTS.maxRetries`). */
  maxRetries?: number | undefined;
  /** Milliseconds from the call to its failure, retries and waits included. */
  elapsedMs?: number | undefined;
  /** The deadline the call was given, when it passed: an abort is then a timeout. */
  deadlineMs?: number | undefined;
}


/** A 200 whose body says the request failed. */
class ServiceReportedError extends Error {
  override name = "ServiceReportedError";
}

function statusOf<T extends string | number>(code: T | undefined, words: (code: T) => string): { status: string; statusCode: string | null } {
  return code === undefined || code === null ? { status: "not reported", statusCode: null } : { status: words(code), statusCode: String(code) };
}

function expiryOf(tips: TipsLike): Pick<PackageRow, "expiryStatusCode" | "daysLeft" | "nextAction" | "nextActionCode" | "renewalUrl"> {
  return {
    expiryStatusCode: tips?.status === undefined || tips.status === null ? null : String(tips.status),
    daysLeft: tips?.next_action_remain_day ?? null,
    nextAction: tips?.next_action === undefined ? null : nextActionWords(tips.next_action),
    nextActionCode: tips?.next_action ?? null,
    renewalUrl: tips?.next_action_url || null,
  };
}

// A ConnectionError's socket error code (ECONNREFUSED, ENOTFOUND), in words a person can act on.
const SOCKET_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};
