// The client validates responses with its own small validator (no runtime dependency). It must
// reach ajv's verdict on every documented example and every counter-example derived from them.
import { describe, expect, test } from "vitest";
import { validateResponse } from "@codearts-package-status/client";
import { counterExamples, responseExamples, withUnknownFields } from "../src/cases.js";
import { validatorAt } from "../src/spec.js";

for (const example of responseExamples()) {
  describe(`the client's validator on ${example.operationId} ${example.status} ${example.name}`, () => {
    const validate = validatorAt(example.schemaPointer);
    const status = Number(example.status);

    test("accepts the documented example, as ajv does", () => {
      expect(validate(example.value)).toBe(true);
      expect(validateResponse(example.operationId, status, example.value)).toEqual([]);
    });

    test("accepts it with fields from a later API version, as ajv does", () => {
      const extended = withUnknownFields(example.schemaPointer, example.value);
      expect(validate(extended)).toBe(true);
      expect(validateResponse(example.operationId, status, extended)).toEqual([]);
    });

    test.each(counterExamples(example.schemaPointer, example.value).map((c) => [c.label, c] as const))("rejects %s, as ajv does", (_, counter) => {
      expect(validate(counter.value)).toBe(false);
      const issues = validateResponse(example.operationId, status, counter.value);
      expect(issues.length).toBeGreaterThan(0);
      // Reported at the place the counter-example broke (or at the anyOf that contains it).
      expect(issues.some((issue) => counter.instancePath.startsWith(issue.path))).toBe(true);
    });
  });
}
