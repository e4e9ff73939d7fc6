// One error class per failure kind, so callers branch with `instanceof` instead of parsing
// messages. None of them ever holds a credential: they are built from the status, the
// response body and parameter values, never from request headers. Fields are `declare`d and
// set in the constructors: a class field would add its name to every user's bundle again.

/** Base class of every error this client throws. */
export class CodeArtsError extends Error {
  override name = "CodeArtsError";
}

/** What an `ApiError` knows about the failed response. */
export interface ApiErrorDetails {
  /** The HTTP status. */
  status: number;
  /** The parsed JSON body, or the raw text when the body was not JSON (an HTML error page). */
  body: unknown;
  /** `X-Request-Id` of the response, or the gateway's `request_id` in the body. */
  requestId: string | undefined;
  /** The operation that failed. */
  operationId: string;
  /** Milliseconds the server asked to wait (`Retry-After`), when it said. */
  retryAfterMs?: number | undefined;
}

/** The API answered with a non-2xx status. Subclasses name the common statuses. */
export class ApiError extends CodeArtsError {
  override name = "ApiError";
  /** The HTTP status. */
  declare readonly status: number;
  /** Huawei's `error_code` (e.g. `CC.00000003`, `APIG.0301`), when the body carried one. */
  declare readonly errorCode: string | undefined;
  /** Huawei's `error_msg`, when the body carried one. */
  declare readonly errorMsg: string | undefined;
  /** The request ID to quote to Huawei Cloud support. */
  declare readonly requestId: string | undefined;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  declare readonly body: unknown;
  /** The operation that failed. */
  declare readonly operationId: string;

  constructor(details: ApiErrorDetails) {
    const huawei = huaweiErrorOf(details.body);
    const what = huawei.errorCode ? `${huawei.errorCode}: ${huawei.errorMsg ?? ""}`.trim() : describeBody(details.body);
    super(`${details.operationId} failed with HTTP ${details.status}${what ? ` (${what})` : ""}${details.requestId ? ` [request ${details.requestId}]` : ""}`);
    this.status = details.status;
    this.errorCode = huawei.errorCode;
    this.errorMsg = huawei.errorMsg;
    this.requestId = details.requestId ?? huawei.requestId;
    this.body = details.body;
    this.operationId = details.operationId;
  }

  /** The `ApiError` subclass for a status. */
  static from(details: ApiErrorDetails): ApiError {
    return apiErrorFor(details);
  }
}

// Outside the class: a class that names itself in its own body is renamed by the bundler
// (`class _ApiError`), and that name would be the one users see as `ApiError.name`.
function apiErrorFor(details: ApiErrorDetails): ApiError {
  const { status } = details;
  if (status === 400) return new BadRequestError(details);
  if (status === 401) return new AuthenticationError(details);
  if (status === 403) return new PermissionDeniedError(details);
  if (status === 404) return new NotFoundError(details);
  if (status === 429) return new RateLimitError(details);
  if (status >= 500) return new InternalServerError(details);
  return new ApiError(details);
}

/** HTTP 400: the service rejected the request's parameters. */
export class BadRequestError extends ApiError {
  override name = "BadRequestError";
}

/** HTTP 401: the token or the AK/SK signature was rejected (expired, wrong, or missing). */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
}

/** HTTP 403: the credentials are valid but not allowed to call this operation. */
export class PermissionDeniedError extends ApiError {
  override name = "PermissionDeniedError";
}

/** HTTP 404: no such resource (or no such API on that host). */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}

/** HTTP 429: throttled, after the retries allowed were spent. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
  /** Milliseconds the server asked to wait before the next request, when it said. */
  declare readonly retryAfterMs: number | undefined;

  constructor(details: ApiErrorDetails) {
    super(details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** HTTP 5xx: the service or the gateway failed, after the retries allowed were spent. */
export class InternalServerError extends ApiError {
  override name = "InternalServerError";
}

/** The request never got an HTTP response: DNS failure, refused or reset connection. */
export class ConnectionError extends CodeArtsError {
  override name = "ConnectionError";
  /** The socket error code (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`…), when the runtime gave one; browsers give none. */
  declare readonly code: string | undefined;

  constructor(message: string, options?: { cause?: unknown; code?: string | undefined }) {
    super(message, options);
    this.code = options?.code;
  }
}

/** AK/SK signing failed, so the request was not sent. Its message and cause never hold a credential. */
export class SigningError extends CodeArtsError {
  override name = "SigningError";
}

/**
 * The AK/SK signer module could not be loaded. Never thrown any more: the signer is part of the
 * client, not a chunk loaded on first use. Kept so that code naming it still compiles.
 *
 * @deprecated No call throws it.
 */
export class SignerLoadError extends SigningError {
  override name = "SignerLoadError";
}

/**
 * No usable credentials could be had from a provider (src/auth/): none configured
 * anywhere it looked, a source configured but broken, or credentials that expired. Its message
 * and `sources` name every place looked, never a value.
 */
export class CredentialsError extends CodeArtsError {
  override name = "CredentialsError";
  /** Every place looked, each with why it gave nothing (`environment (…not set)`, `profile /home/me/.huaweicloud/credentials (no such file)`, …). */
  declare readonly sources: readonly string[];
}

/** An attempt took longer than `timeoutMs`, and no retry was left. */
export class TimeoutError extends CodeArtsError {
  override name = "TimeoutError";
  /** The per-attempt timeout that elapsed. */
  declare readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number) {
    super(`${operation} timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The host answered with a redirect (a 3xx other than 304). The client never follows one, so
 * credentials never reach another host or a plain-http URL; not retried.
 */
export class RedirectError extends CodeArtsError {
  override name = "RedirectError";
  /** The redirect's HTTP status (0 where the runtime hides it: a browser's opaque redirect). */
  declare readonly status: number;
  /** Host and port the `Location` header points to, never its path or query; undefined when there was none to read. */
  declare readonly targetHost: string | undefined;

  constructor(message: string, status: number, targetHost: string | undefined) {
    super(message);
    this.status = status;
    this.targetHost = targetHost;
  }
}

/** The response body, once decompressed, was larger than `maxResponseBytes`; the rest was not read. Not retried. */
export class ResponseTooLargeError extends CodeArtsError {
  override name = "ResponseTooLargeError";
  /** The cap that was exceeded, in bytes. */
  declare readonly maxResponseBytes: number;

  constructor(message: string, maxResponseBytes: number) {
    super(message);
    this.maxResponseBytes = maxResponseBytes;
  }
}

/**
 * The host answered, but not with HTTP the runtime could parse: a header section too large, an
 * invalid status line, a corrupt compressed body. Not retried.
 */
export class InvalidResponseError extends CodeArtsError {
  override name = "InvalidResponseError";
  /** The parser's error code (`HPE_INVALID_STATUS`, `UND_ERR_HEADERS_OVERFLOW`, `Z_DATA_ERROR`…), when the runtime gave one. */
  declare readonly code: string | undefined;

  constructor(message: string, options?: { cause?: unknown; code?: string | undefined }) {
    super(message, options);
    this.code = options?.code;
  }
}

/** The caller's own `AbortSignal` aborted the call. */
export class RequestAbortedError extends CodeArtsError {
  override name = "RequestAbortedError";
}

/** A parameter or option is invalid; thrown before any request is sent. */
export class InvalidParameterError extends CodeArtsError {
  override name = "InvalidParameterError";
  /** The parameter or option at fault, e.g. `tenant_id` or `credentials.token`. */
  declare readonly parameter: string;

  constructor(parameter: string, problem: string) {
    super(`Invalid ${parameter}: ${problem}`);
    this.parameter = parameter;
  }
}

/** One way a response body breaks the spec. */
export interface ValidationIssue {
  /** JSON pointer of the offending value inside the body (`""` for the body itself). */
  path: string;
  /** What is wrong there. */
  message: string;
}

/** A 2xx response whose body is not valid JSON, or (with `validateResponses`) breaks the spec. */
export class ResponseValidationError extends CodeArtsError {
  override name = "ResponseValidationError";
  /** The HTTP status of the response. */
  declare readonly status: number;
  /** The request ID of the response, when known. */
  declare readonly requestId: string | undefined;
  /** What is wrong with the body. */
  declare readonly issues: readonly ValidationIssue[];
  /** The body: parsed JSON when it parsed, otherwise its first 1,000 characters. */
  declare readonly body: unknown;

  constructor(operationId: string, details: { status: number; requestId: string | undefined; issues: ValidationIssue[]; body: unknown }) {
    const first = details.issues[0];
    super(
      `${operationId} returned a body that breaks the spec: ${first ? `${first.path || "(body)"} ${first.message}` : "invalid"}${
        details.issues.length > 1 ? ` (and ${details.issues.length - 1} more)` : ""
      }`,
    );
    this.status = details.status;
    this.requestId = details.requestId;
    this.issues = details.issues;
    this.body = details.body;
  }
}

function huaweiErrorOf(body: unknown): { errorCode: string | undefined; errorMsg: string | undefined; requestId: string | undefined } {
  const record = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const text = (key: string) => (typeof record[key] === "string" ? (record[key] as string) : undefined);
  return { errorCode: text("error_code"), errorMsg: text("error_msg"), requestId: text("request_id") };
}

function describeBody(body: unknown): string {
  if (typeof body !== "string" || !body) return "";
  // An HTML error page says little in its markup; its title is the useful part.
  const title = body.match(/<title>([^<]*)<\/title>/i)?.[1]?.trim();
  const text = title ?? body.replace(/\s+/g, " ").trim();
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
