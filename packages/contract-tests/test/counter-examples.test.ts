import { describe, expect, test } from "vitest";
import { constraintInventory, counterExamples, parameterExamples, responseExamples, schemaExamples, type CounterExample } from "../src/cases.js";
import { validatorAt } from "../src/spec.js";

function expectRejected(schemaPointer: string, counter: CounterExample) {
  const validate = validatorAt(schemaPointer);
  expect(validate(counter.value), `accepted: ${counter.label}`).toBe(false);
  // The rejection must come from the constraint the counter-example breaks, at its place.
  expect(validate.errors).toContainEqual(
    expect.objectContaining({
      keyword: counter.keyword,
      instancePath: counter.instancePath,
      ...(counter.missingProperty ? { params: { missingProperty: counter.missingProperty } } : {}),
    }),
  );
}

for (const example of responseExamples()) {
  describe(`counter-examples of ${example.operationId} ${example.status} ${example.name}`, () => {
    const counters = counterExamples(example.schemaPointer, example.value);

    test("exist for every constrained place", () => {
      expect(counters.length).toBeGreaterThan(0);
    });

    test.each(counters.map((c) => [c.label, c.keyword, c] as const))("rejects %s by %s", (_, __, counter) => {
      expectRejected(example.schemaPointer, counter);
    });
  });
}

for (const parameter of parameterExamples()) {
  describe(`counter-examples of ${parameter.operationId} ${parameter.in} parameter ${parameter.name}`, () => {
    test.each(counterExamples(parameter.schemaPointer, parameter.value).map((c) => [c.label, c.keyword, c] as const))(
      "rejects %s by %s",
      (_, __, counter) => {
        expectRejected(parameter.schemaPointer, counter);
      },
    );
  });
}

for (const example of schemaExamples()) {
  describe(`counter-examples of the schema example at ${example.pointer}`, () => {
    test.each(counterExamples(example.pointer, example.value).map((c) => [c.label, c.keyword, c] as const))(
      "rejects %s by %s",
      (_, __, counter) => {
        expectRejected(example.pointer, counter);
      },
    );
  });
}

describe("constraint inventory", () => {
  // The counter-examples above are derived from the spec, so a dropped constraint would take
  // its counter-example with it. The reviewed snapshot keeps the constraints themselves:
  // loosening, dropping or adding one fails here until the snapshot is updated on purpose
  // (`pnpm update-snapshots`, which rebuilds what the suite reads first) and reviewed.
  test("every constraint of every schema and parameter matches the reviewed snapshot", async () => {
    await expect(`${JSON.stringify(constraintInventory(), null, 2)}\n`).toMatchFileSnapshot(
      "./__snapshots__/constraint-inventory.json",
    );
  });
});
