// What a response says beyond its status: the request ID to quote to support, and its 2xx body,
// which must be JSON.
import { ResponseValidationError } from "./errors.js";
import type { Redact } from "./redact.js";

/** The response's `X-Request-Id`; an empty header says nothing (the body's request_id of a gateway error may still). */
export function requestIdOf(response: Response): string | undefined {
  return response.headers.get("x-request-id") || undefined;
}

/** A 2xx body must be JSON: an empty or malformed one is a typed error (its sample of the body redacted, then cut), not a SyntaxError. */
export function parseJsonBody(operationId: string, response: Response, text: string, redact: Redact): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // /\S/ uses the whitespace set of trim(), without copying the whole body.
    const problem = `is ${/\S/.test(text) ? "not valid JSON" : "empty"} (${response.headers.get("content-type") ?? "no content type"})`;
    throw new ResponseValidationError(operationId, {
      status: response.status,
      requestId: requestIdOf(response),
      issues: [{ path: "", message: problem }],
      body: redact(text).slice(0, 1000),
    });
  }
}
