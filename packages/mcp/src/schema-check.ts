// Checks a tool's input and structured output against its JSON Schema, as the SDK's client
// checks the output (Ajv, every error, ajv-formats' formats), and words each problem for the
// assistant: the parameter or field, and the rule broken, never the value, which may be anything
// (a secret pasted into the wrong place, or what a hostile server sent).
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS with a default export; its namespace's `default` is the function in
// both of our builds.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

// The SDK's own settings (@modelcontextprotocol/sdk/validation/ajv): what passes here passes there.
const ajv = addFormats(new Ajv({ strict: false, validateFormats: true, validateSchema: false, allErrors: true }));
const compiled = new WeakMap<object, ValidateFunction>();

// At most this many problems are listed, and a name the server chose is cut to this many characters.
const MAX_PROBLEMS = 10;
const MAX_NAME = 64;

/** The problems of `value` under `schema`, one phrase each, the whole value named `whole`; empty when it conforms. */
export function schemaProblems(schema: object, value: unknown, whole = "the input"): string[] {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  if (validate(value)) return [];
  const problems = [...new Set((validate.errors ?? []).map((error) => describe(error, whole)))];
  return problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more`] : problems;
}

function describe(error: ErrorObject, whole: string): string {
  const at = where(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${join(at, name(String(params.missingProperty)))} is required`;
    case "additionalProperties":
      return `${name(String(params.additionalProperty))} is not ${at ? `a field of ${at}` : whole === "the input" ? "a parameter of this tool" : `a field of ${whole}`}`;
    case "enum":
      return `${at || whole} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "pattern":
      return `${at} must match the pattern ${String(params.pattern)}`;
    case "type":
      return `${at || whole} must be ${Array.isArray(params.type) ? params.type.join(" or ") : String(params.type)}`;
    default:
      // Ajv's words name the rule and its limit, never the value: "must NOT have fewer than 32 characters".
      return `${at || whole} ${error.message ?? `breaks ${error.keyword}`}`;
  }
}

// `/regions/0` is `regions[0]`, `/result/codeartsStorageExtension/remainDays` stays a path.
function where(pointer: string): string {
  if (pointer === "") return "";
  const parts = pointer
    .slice(1)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
  return parts.map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : `${i === 0 ? "" : "."}${name(part)}`)).join("");
}

const join = (at: string, field: string): string => (at ? `${at}.${field}` : field);
const name = (text: string): string => (text.length > MAX_NAME ? `${text.slice(0, MAX_NAME)}…` : text);
