// Compiles the published, bundled spec's schemas with ajv under the JSON Schema
// semantics a validating consumer gets (OpenAPI 3.0's `nullable` included).
import { bundle } from "@codearts-package-status/test-support";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsPlugin from "ajv-formats";

/** A JSON value as it appears in the spec and in response bodies. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A schema object of the spec (OpenAPI 3.0.3 dialect). */
export type Schema = { [keyword: string]: Json | undefined };

/**
 * The bundled OpenAPI document with its `$ref`s (`openapi.json`), read the way a consumer of
 * @codearts-package-status/openapi reads it: ajv compiles its schemas by JSON pointer.
 */
export const spec = bundle as { [key: string]: Json } & {
  components: { schemas: { [name: string]: Json }; parameters: { [name: string]: Json }; securitySchemes: { [name: string]: Json } };
};

const SPEC_ID = "spec";

// ajv-formats is CJS with a default export; under NodeNext its namespace is what arrives.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

const ajv = new Ajv({ allErrors: true, strict: true, strictTuples: false });
addFormats(ajv);
// OpenAPI annotations that JSON Schema draft-07 does not know, and the spec's extension for the
// meaning of each enum value (which Redoc renders); they never change validity.
for (const keyword of ["example", "externalDocs", "xml", "x-enumDescriptions"]) ajv.addKeyword({ keyword });
// Only the components hold JSON Schema; `components` itself is a container, not a keyword.
ajv.addKeyword({ keyword: "components" });
ajv.addSchema({ $id: SPEC_ID, components: spec.components as Json }, SPEC_ID);

/** The validator of the schema at a JSON pointer inside the document, e.g. `/components/schemas/Tips`. */
export function validatorAt(pointer: string): ValidateFunction {
  const validate = ajv.getSchema(`${SPEC_ID}#${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return validate;
}

/** Resolves an internal `$ref` (repeatedly) to the value it names, with the pointer it came from. */
export function deref(value: Json | undefined, pointer: string): { value: Json | undefined; pointer: string } {
  let current = value;
  let at = pointer;
  while (current && typeof current === "object" && !Array.isArray(current) && typeof current.$ref === "string") {
    at = current.$ref.replace(/^#/, "");
    current = at
      .split("/")
      .slice(1)
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<Json | undefined>((node, key) => (node && typeof node === "object" ? (node as Record<string, Json>)[key] : undefined), spec);
  }
  return { value: current, pointer: at };
}

/** Escapes one JSON pointer segment. */
export function pointerSegment(key: string | number): string {
  return String(key).replaceAll("~", "~0").replaceAll("/", "~1");
}
