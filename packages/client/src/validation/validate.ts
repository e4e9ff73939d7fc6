// Response validation against the spec (`validateResponses: true`, and the decoding a reader of
// the answers does before it believes them): the generated schemas of each operation's
// responses, checked by the small validator next to this file.
import { ResponseValidationError, type ValidationIssue } from "../errors.js";
import { COMPONENT_SCHEMAS, RESPONSE_SCHEMAS } from "../generated/response-schemas.js";
import { requestIdOf } from "../responses.js";
import { validateAgainst, type ValidationMode } from "./schema.js";

/** Options of {@link validateResponse}. */
export interface ValidateOptions {
  /**
   * `"all"` (the default): everything the spec says. `"shape"`: types, nullability, required and
   * disallowed fields only, so that a status code the spec does not list yet is kept as sent.
   */
  mode?: ValidationMode | undefined;
}

/**
 * Every way a response body breaks the spec for that operation and status (empty when it
 * conforms; at most 100 are listed). A status the operation does not document is checked against
 * its `default` response, or accepted when it has none.
 */
export function validateResponse(operationId: string, status: number, body: unknown, options: ValidateOptions = {}): ValidationIssue[] {
  const responses = RESPONSE_SCHEMAS[operationId];
  if (!responses) throw new Error(`unknown operation ${operationId}`);
  const schema = responses[String(status)] ?? responses.default;
  return schema ? validateAgainst(schema, body, COMPONENT_SCHEMAS, "", options.mode) : [];
}

/** Throws `ResponseValidationError` listing every way `body` breaks the spec for that operation and status. */
export function checkResponse(operationId: string, response: Response, body: unknown): void {
  const issues = validateResponse(operationId, response.status, body);
  if (issues.length > 0) {
    throw new ResponseValidationError(operationId, { status: response.status, requestId: requestIdOf(response), issues, body });
  }
}
