import { describe, expect, test } from "vitest";
import { bundle, componentExample, documentedExamples, documentedOperation, documentedOperations, parameterExample, spec } from "../src/index.js";

describe("the published dereferenced bundle", () => {
  test("holds no $ref, so nothing that reads it needs a resolver", () => {
    expect(JSON.stringify(spec)).not.toContain('"$ref"');
  });

  test("is the bundle with every $ref followed", () => {
    expect(JSON.stringify(bundle)).toContain('"$ref"');
    expect(Object.keys(spec.paths)).toEqual(Object.keys(bundle.paths));
    expect(spec.components.examples).toEqual(bundle.components.examples);
  });

  test("lists every operation of every path once, with its method, template and service", () => {
    const operations = documentedOperations();
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      Object.entries(spec.paths).flatMap(([template, item]) => Object.keys(item).filter((k) => k === "get").map(() => `GET ${template}`)),
    );
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
    for (const o of operations) expect(spec.tags.map((t) => t.name)).toContain(o.tag);
  });
});

describe("documented examples", () => {
  test("every example of every response is listed with its status, name, summary and value", () => {
    type Responses = { [status: string]: { content?: { [type: string]: { examples?: { [name: string]: { summary?: string; value: unknown } } } } } };
    for (const operation of documentedOperations()) {
      const expected = Object.entries(operation.node.responses as Responses).flatMap(([status, response]) =>
        Object.values(response.content ?? {}).flatMap((media) => Object.entries(media.examples ?? {}).map(([name, e]) => ({ status, name, summary: e.summary, value: e.value }))),
      );
      expect(operation.examples.map(({ status, name, summary, value }) => ({ status, name, summary, value }))).toEqual(expected);
    }
  });

  test("the documented Check examples are found, and equal the shared components they came from", () => {
    const check = documentedOperation("ShowTenantPackageStatus");
    expect(check.statuses).toEqual(expect.arrayContaining(["200", "400", "401"]));
    expect(check.examples.map((e) => `${e.status} ${e.name}`)).toEqual(
      expect.arrayContaining(["200 ShowTenantPackageStatusOk", "400 ShowTenantPackageStatusBadRequest", "401 ShowTenantPackageStatusUnauthorized"]),
    );
    const ok = check.examples.find((e) => e.name === "ShowTenantPackageStatusOk");
    expect(ok?.summary).toBe(spec.components.examples.ShowTenantPackageStatusOk?.summary);
    expect(ok?.value).toEqual(componentExample("ShowTenantPackageStatusOk"));
  });

  test("a second example under a response is listed next to the first, in document order", () => {
    // Operation nodes are the bundle's own objects: adding an example to one is adding it to the spec.
    const response = documentedOperation("ShowPackageInfo").node.responses as { [status: string]: { content: { [type: string]: { examples: object } } } };
    const media = response["200"]?.content["application/json"];
    if (!media) throw new Error("ShowPackageInfo documents no JSON 200");
    const before = media.examples;
    media.examples = { ...before, Second: { summary: "a second one", value: { result: {} } } };
    try {
      const examples = documentedOperation("ShowPackageInfo").examples.filter((e) => e.status === "200");
      expect(examples.map((e) => e.name)).toEqual([...Object.keys(before), "Second"]);
      expect(examples.at(-1)).toMatchObject({ summary: "a second one", value: { result: {} } });
    } finally {
      media.examples = before;
    }
  });

  test("every operation has examples, and the flat list carries the operation's id", () => {
    const flat = documentedExamples();
    expect(flat.length).toBe(documentedOperations().reduce((n, o) => n + o.examples.length, 0));
    for (const o of documentedOperations()) expect(flat.filter((e) => e.operationId === o.operationId).length).toBeGreaterThan(0);
  });
});

describe("parameters", () => {
  test("a documented target fills every path parameter and every query parameter that has an example", () => {
    const pipeline = documentedOperation("ValidateTenantPackageIsExpired");
    const tenant = String(parameterExample("TenantId"));
    expect(pipeline.target.startsWith(`/v5/${tenant}/api/package-specs/count-down?`)).toBe(true);
    const query = new URL(pipeline.target, "http://127.0.0.1").searchParams;
    for (const p of pipeline.parameters.filter((p) => p.in === "query" && p.example !== undefined)) expect(query.get(p.name)).toBe(String(p.example));
  });

  test("an unknown operation, parameter or example is an error, not undefined", () => {
    expect(() => documentedOperation("NoSuchOperation")).toThrow(/no operation NoSuchOperation/);
    expect(() => parameterExample("NoSuchParameter")).toThrow(/NoSuchParameter/);
    expect(() => componentExample("NoSuchExample")).toThrow(/NoSuchExample/);
  });
});
