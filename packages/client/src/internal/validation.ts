/**
 * Response validation against the spec, loaded only by clients created with
 * `validateResponses: true`, so that the schemas stay out of everyone else's bundle. It is a
 * package export (`./internal/validation`) only so that the client can load it lazily: not
 * public API, it may change in any release.
 *
 * @internal
 * @module
 */
import type { ValidationIssue } from "../errors.js";
import { COMPONENT_SCHEMAS, RESPONSE_SCHEMAS } from "../generated/response-schemas.js";
import { validateAgainst } from "../schema-validator.js";

/**
 * Every way a response body breaks the spec for that operation and status (empty when it
 * conforms). A status the operation does not document is checked against its `default`
 * response, or accepted when it has none.
 *
 * @internal
 */
export function validateResponse(operationId: string, status: number, body: unknown): ValidationIssue[] {
  const responses = RESPONSE_SCHEMAS[operationId];
  if (!responses) throw new Error(`unknown operation ${operationId}`);
  const schema = responses[String(status)] ?? responses.default;
  return schema ? validateAgainst(schema, body, COMPONENT_SCHEMAS) : [];
}
