// Validates path, query and header parameters against their schemas in the spec, with the same
// ajv dialect the contract tests use, so the mock rejects exactly what the spec forbids.
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsPlugin from "ajv-formats";
import type { Json, OperationSpec, ParameterSpec } from "./spec.js";

// ajv-formats is CJS with a default export; under NodeNext its namespace is what arrives.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

const ROOT_ID = "mock-spec";

/** Raw parameter values of one request, before validation. */
export interface RequestParameters {
  /** Path parameter values, still percent-encoded as they were matched. */
  path: Map<string, string>;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
}

/** Checks each request's parameters against the operation's schemas; compiled once per server. */
export type ParameterValidator = (operation: OperationSpec, request: RequestParameters) => string | undefined;

/** Compiles the validators of every parameter of every operation up front, so a broken schema fails at start-up. */
export function createParameterValidator(doc: { [key: string]: Json }, operations: Iterable<OperationSpec>): ParameterValidator {
  // coerceTypes lets an integer or boolean parameter, which always arrives as text, match its schema.
  const ajv = new Ajv({ allErrors: false, strict: true, strictTuples: false, coerceTypes: true });
  addFormats(ajv);
  // OpenAPI annotations that JSON Schema draft-07 does not know; they never change validity.
  for (const keyword of ["example", "externalDocs", "xml"]) ajv.addKeyword({ keyword });
  // Containers only, so that `#/components/...` refs inside parameter schemas resolve.
  for (const keyword of ["components", "paths"]) ajv.addKeyword({ keyword });
  ajv.addSchema({ $id: ROOT_ID, components: doc.components ?? {}, paths: doc.paths ?? {} }, ROOT_ID);

  const validators = new Map<ParameterSpec, ValidateFunction>();
  for (const operation of operations) {
    for (const parameter of operation.parameters) {
      if (parameter.schemaPointer === undefined) continue;
      const ref = `${ROOT_ID}#${parameter.schemaPointer.split("/").map((s) => encodeURIComponent(s)).join("/")}`;
      // Wrapped in an object because ajv can only coerce a value that has a parent to write it back to.
      validators.set(parameter, ajv.compile({ type: "object", properties: { value: { $ref: ref } } }));
    }
  }

  return (operation, request) => {
    for (const parameter of operation.parameters) {
      const read = readParameter(parameter, request);
      if ("error" in read) return `Invalid parameter ${parameter.name}: ${read.error}`;
      if (read.value === undefined) {
        if (parameter.required) return `Invalid parameter ${parameter.name}: is required`;
        continue;
      }
      const validate = validators.get(parameter);
      if (validate && !validate({ value: read.value })) {
        const error = validate.errors?.[0];
        const where = error?.instancePath.replace(/^\/value/, "") ?? "";
        const detail = error?.params && "allowedValues" in error.params ? ` ${JSON.stringify(error.params.allowedValues)}` : "";
        return `Invalid parameter ${parameter.name}${where}: ${error?.message ?? "is invalid"}${detail}`;
      }
    }
    return undefined;
  };
}

function readParameter(parameter: ParameterSpec, request: RequestParameters): { value: string | string[] | undefined } | { error: string } {
  switch (parameter.in) {
    case "path": {
      const raw = request.path.get(parameter.name);
      if (raw === undefined) return { value: undefined };
      try {
        return { value: decodeURIComponent(raw) };
      } catch {
        return { error: "malformed percent-encoding" };
      }
    }
    case "query": {
      const values = request.query.getAll(parameter.name);
      if (values.length === 0) return { value: undefined };
      if (parameter.isArray) return { value: values };
      // A repeated scalar has no single value to check; guessing which one the service reads would hide a client bug.
      if (values.length > 1) return { error: "must appear at most once" };
      return { value: values[0] };
    }
    case "header": {
      const value = request.headers[parameter.name.toLowerCase()];
      return { value: Array.isArray(value) ? value.join(", ") : value };
    }
  }
}
