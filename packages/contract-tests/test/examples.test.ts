import { describe, expect, test } from "vitest";
import {
  operations,
  parameterExamples,
  responseExamples,
  responsesOf,
  schemaExamples,
  UNKNOWN_FIELD,
  withUnknownFields,
} from "../src/cases.js";
import { validatorAt, type Json } from "../src/spec.js";

function errorsOf(pointer: string, value: Json) {
  const validate = validatorAt(pointer);
  return validate(value) ? [] : (validate.errors ?? []);
}

describe("documented response examples", () => {
  test.each(responseExamples().map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const))(
    "%s conforms to its response schema",
    (_, example) => {
      expect(errorsOf(example.schemaPointer, example.value)).toEqual([]);
    },
  );

  test.each(responseExamples().map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const))(
    "%s still conforms with a field added by a later API version in every object",
    (_, example) => {
      const extended = withUnknownFields(example.schemaPointer, example.value);
      expect(JSON.stringify(extended)).toContain(UNKNOWN_FIELD);
      expect(errorsOf(example.schemaPointer, extended)).toEqual([]);
    },
  );
});

describe("example coverage", () => {
  test.each(operations().map((o) => [o.operationId, o] as const))(
    "%s has at least one named example for every documented response",
    (_, operation) => {
      const responses = responsesOf(operation);
      expect(responses.length).toBeGreaterThan(0);
      for (const { status } of responses) {
        const examples = responseExamples().filter((e) => e.operationId === operation.operationId && e.status === status);
        expect(examples.length, `${operation.operationId} ${status}`).toBeGreaterThan(0);
      }
    },
  );
});

describe("documented parameter examples", () => {
  test.each(parameterExamples().map((p) => [`${p.operationId} ${p.in} parameter ${p.name}`, p] as const))(
    "%s has an example that conforms to its schema",
    (_, parameter) => {
      expect(parameter.value).toBeDefined();
      expect(errorsOf(parameter.schemaPointer, parameter.value)).toEqual([]);
    },
  );
});

describe("schema-level examples", () => {
  test("the spec carries schema-level examples to check", () => {
    expect(schemaExamples().length).toBeGreaterThan(20);
  });

  test.each(schemaExamples().map((e) => [e.pointer, e] as const))("the example at %s conforms to the schema it annotates", (_, example) => {
    expect(errorsOf(example.pointer, example.value)).toEqual([]);
  });
});
