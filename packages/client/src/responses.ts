// Turns a received response into the call's result: the parsed 2xx body (checked against the
// spec when asked), or a typed error.
import { ApiError, CodeArtsError, ResponseValidationError, type ValidationIssue } from "./errors.js";
import { lazily } from "./internal/lazy.js";
import type { RedactLater } from "./internal/redact.js";
import { retryAfterMs } from "./retry.js";

/** A response as openapi-fetch hands it over: the 2xx body as text, or the error body parsed. */
export interface Outcome {
  response: Response;
  /** The 2xx body's text (undefined when openapi-fetch saw no body). */
  data?: unknown;
  /** A non-2xx body: parsed JSON, or the raw text when it is not JSON. */
  error?: unknown;
}

/** Checks a parsed 2xx body against the spec; rejects with `ResponseValidationError`. */
export type ResponseValidator = (operationId: string, response: Response, body: unknown) => Promise<void>;

/** An error body the way openapi-fetch reads one: parsed JSON, the raw text otherwise, nothing when empty. */
export function errorBodyOf(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The call's result: the 2xx body parsed (and validated), or the `ApiError` for the status. */
export async function resultOf(operationId: string, { response, data, error }: Outcome, validate: ResponseValidator | undefined, redact: RedactLater): Promise<unknown> {
  if (!response.ok) {
    throw ApiError.from({
      status: response.status,
      // Redacted before the message quotes (and cuts) it, so that no part of a secret is left.
      body: await redact(error),
      requestId: requestIdOf(response),
      operationId,
      retryAfterMs: retryAfterMs(response.headers),
    });
  }
  const body = await parseJsonBody(operationId, response, typeof data === "string" ? data : "", redact);
  if (validate) await validate(operationId, response, body);
  // Non-enumerable: JSON.stringify and deep equality of results stay those of the body as sent.
  // A body with a field of that name keeps it: the field is what the service sent.
  if (body && typeof body == "object" && !("_request_id" in body)) Object.defineProperty(body, "_request_id", { value: requestIdOf(response) });
  return body;
}

/** An empty header says nothing; the body's request_id (gateway errors) may still. */
export function requestIdOf(response: Response): string | undefined {
  return response.headers.get("x-request-id") || undefined;
}

/** A 2xx body must be JSON: an empty or malformed one is a typed error (its sample of the body redacted, then cut), not a SyntaxError. */
export async function parseJsonBody(operationId: string, response: Response, text: string, redact: RedactLater): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch {
    // /\S/ uses the whitespace set of trim(), without copying the whole body.
    const problem = `is ${/\S/.test(text) ? "not valid JSON" : "empty"} (${response.headers.get("content-type") ?? "no content type"})`;
    throw new ResponseValidationError(operationId, {
      status: response.status,
      requestId: requestIdOf(response),
      issues: [{ path: "", message: problem }],
      body: (await redact(text)).slice(0, 1000),
    });
  }
}

type ValidationModule = { validateResponse(operationId: string, status: number, body: unknown): ValidationIssue[] };

// Loaded on the first validated response: its schemas are most of the client's size. The build
// turns the import into one of the package's own `./internal/validation` export.
const loadValidation = lazily<ValidationModule>(
  () => import("./internal/validation.js"),
  (cause) => new CodeArtsError("The response validator could not be loaded", { cause }),
);

/** The opt-in response validator (`validateResponses`); its schemas load on the first validated response. */
export const validateBody: ResponseValidator = async (operationId, response, body) => {
  const issues = (await loadValidation()).validateResponse(operationId, response.status, body);
  if (issues.length > 0) {
    throw new ResponseValidationError(operationId, {
      status: response.status,
      requestId: requestIdOf(response),
      issues,
      body,
    });
  }
};
