// Which operation a raw call names: openapi-fetch hands its middleware the path template
// (`schemaPath`), not the operation, so the raw surface looks the operation up here.
import { OPERATIONS, type OperationId } from "./generated/operations.js";

/** The operation served at an openapi-fetch schema path (the path template). */
export const OPERATION_BY_PATH: ReadonlyMap<string, OperationId> = new Map(
  (Object.keys(OPERATIONS) as OperationId[]).map((id) => [OPERATIONS[id].path, id]),
);
