// Every rule of the diff, on pairs of small dereferenced specs, in both directions: the change
// one way and its reverse the other way, with the classification each must get.
import { spec } from "@codearts-package-status/test-support";
import { describe, expect, test } from "vitest";
import { diffDocuments, formatReport, hasBreaking, type Change } from "../src/diff.js";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function base(): Doc {
  return {
    openapi: "3.0.3",
    info: { title: "t", version: "1.0.0" },
    security: [{ IamToken: [] }],
    paths: {
      "/v1/{tenant_id}/status": {
        servers: [
          {
            url: "https://svc.{region}.example.com",
            variables: { region: { default: "cn-north-4", enum: ["cn-north-4", "cn-east-3"] } },
          },
        ],
        parameters: [{ name: "tenant_id", in: "path", required: true, schema: { type: "string" } }],
        get: {
          operationId: "ShowStatus",
          tags: ["check"],
          description: "Shows the status.",
          parameters: [
            {
              name: "project_id",
              in: "query",
              required: false,
              description: "Project.",
              schema: { type: "string", minLength: 32, maxLength: 32, pattern: "^[0-9a-z]{32}$" },
              example: "a".repeat(32),
            },
            { name: "is_main", in: "query", required: false, schema: { type: "string", enum: ["true", "false"] } },
            { name: "limit", in: "query", required: false, schema: { type: "integer", maximum: 100 } },
          ],
          responses: {
            "200": {
              description: "OK",
              headers: { "X-Request-Id": { schema: { type: "string" } } },
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["status"],
                    properties: {
                      status: { type: "string", enum: ["success", "error"] },
                      count: { type: "integer" },
                      ratio: { type: "number" },
                      name: { type: "string", maxLength: 10, description: "Name." },
                      tips: { type: "object", properties: { days: { type: "integer" } } },
                    },
                  },
                  examples: { ok: { value: { status: "success" } } },
                },
              },
            },
            "401": { description: "Unauthorized", content: { "application/json": { schema: { type: "object" } } } },
          },
        },
      },
      "/v1/things": {
        post: {
          operationId: "CreateThing",
          tags: ["check"],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { type: "object", required: ["a"], properties: { a: { type: "string" }, b: { type: "integer" } } } } },
          },
          responses: { "201": { description: "Created" } },
        },
      },
    },
    components: {
      schemas: { Status: { type: "object" } },
      securitySchemes: {
        IamToken: { type: "apiKey", in: "header", name: "X-Auth-Token" },
        AkSk: { type: "apiKey", in: "header", name: "Authorization" },
      },
    },
  };
}

const op = (d: Doc) => d.paths["/v1/{tenant_id}/status"].get;
const param = (d: Doc, name: string) => op(d).parameters.find((p: Doc) => p.name === name);
const body = (d: Doc) => op(d).responses["200"].content["application/json"].schema;
const requestBody = (d: Doc) => d.paths["/v1/things"].post.requestBody.content["application/json"].schema;

function edited(edit: (d: Doc) => void): Doc {
  const d = base();
  edit(d);
  return d;
}

/** Changes from the base spec to the edited one (`forward`) and back (`backward`). */
function both(edit: (d: Doc) => void, from: (d: Doc) => void = () => {}): { forward: Change[]; backward: Change[] } {
  const a = edited(from);
  const b = edited((d) => {
    from(d);
    edit(d);
  });
  return { forward: diffDocuments(a, b), backward: diffDocuments(b, a) };
}

function expectOnly(changes: Change[], severity: Change["severity"], rule: string | RegExp, location?: string | RegExp): void {
  expect(changes.length, formatReport(changes)).toBeGreaterThan(0);
  const match = changes.find((c) => (typeof rule === "string" ? c.rule === rule : rule.test(c.rule)));
  expect(match, `no ${String(rule)} in\n${formatReport(changes)}`).toBeDefined();
  expect(match?.severity).toBe(severity);
  if (location) expect(match?.location).toMatch(location);
  // a compatible change must not drag a breaking one along
  if (severity === "compatible") expect(hasBreaking(changes), formatReport(changes)).toBe(false);
}

interface Rule {
  name: string;
  edit: (d: Doc) => void;
  from?: (d: Doc) => void;
  forward: [Change["severity"], string | RegExp, (string | RegExp)?];
  backward: [Change["severity"], string | RegExp, (string | RegExp)?];
}

const rules: Rule[] = [
  {
    name: "operation removed / added",
    edit: (d) => delete d.paths["/v1/things"],
    forward: ["breaking", "operation-removed", "POST /v1/things"],
    backward: ["compatible", "operation-added", "POST /v1/things"],
  },
  {
    name: "parameter removed / optional parameter added",
    edit: (d) => (op(d).parameters = op(d).parameters.filter((p: Doc) => p.name !== "is_main")),
    forward: ["breaking", "parameter-removed", "GET /v1/{tenant_id}/status parameter query is_main"],
    backward: ["compatible", "parameter-added", /parameter query is_main$/],
  },
  {
    name: "new required parameter / its removal",
    edit: (d) => op(d).parameters.push({ name: "region_id", in: "query", required: true, schema: { type: "string" } }),
    forward: ["breaking", "parameter-required-added", /parameter query region_id$/],
    backward: ["breaking", "parameter-removed", /parameter query region_id$/],
  },
  {
    name: "parameter became required / became optional",
    edit: (d) => (param(d, "project_id").required = true),
    forward: ["breaking", "parameter-became-required", /parameter query project_id$/],
    backward: ["compatible", "parameter-became-optional", /parameter query project_id$/],
  },
  {
    name: "request enum narrowed (value removed) / widened (value added)",
    edit: (d) => (param(d, "is_main").schema.enum = ["true"]),
    forward: ["breaking", "request-enum-narrowed"],
    backward: ["compatible", "request-enum-widened"],
  },
  {
    name: "request enum added / removed",
    edit: (d) => (param(d, "limit").schema.enum = [10, 50]),
    forward: ["breaking", "request-enum-narrowed"],
    backward: ["compatible", "request-enum-widened"],
  },
  {
    name: "request pattern added / removed",
    edit: (d) => (param(d, "is_main").schema.pattern = "^t"),
    forward: ["breaking", "request-pattern-added"],
    backward: ["compatible", "request-pattern-removed"],
  },
  {
    name: "request pattern changed (either way)",
    edit: (d) => (param(d, "project_id").schema.pattern = "^[0-9]{32}$"),
    forward: ["breaking", "request-pattern-changed"],
    backward: ["breaking", "request-pattern-changed"],
  },
  {
    name: "request maxLength tightened / loosened",
    edit: (d) => (param(d, "project_id").schema.maxLength = 20),
    forward: ["breaking", "request-bound-tightened"],
    backward: ["compatible", "request-bound-loosened"],
  },
  {
    name: "request minLength raised / lowered",
    edit: (d) => (param(d, "project_id").schema.minLength = 40),
    forward: ["breaking", "request-bound-tightened"],
    backward: ["compatible", "request-bound-loosened"],
  },
  {
    name: "request maximum lowered / removed",
    edit: (d) => (param(d, "limit").schema.maximum = 50),
    forward: ["breaking", "request-bound-tightened"],
    backward: ["compatible", "request-bound-loosened"],
  },
  {
    name: "request type narrowed number → integer / widened integer → number",
    from: (d) => (param(d, "limit").schema.type = "number"),
    edit: (d) => (param(d, "limit").schema.type = "integer"),
    forward: ["breaking", "request-type-narrowed"],
    backward: ["compatible", "request-type-widened"],
  },
  {
    name: "request type changed string → integer (either way)",
    edit: (d) => (param(d, "is_main").schema = { type: "boolean" }),
    forward: ["breaking", "request-type-changed"],
    backward: ["breaking", "request-type-changed"],
  },
  {
    name: "request body property became required / optional",
    edit: (d) => requestBody(d).required.push("b"),
    forward: ["breaking", "request-property-became-required", "POST /v1/things request body application/json body.b"],
    backward: ["compatible", "request-property-became-optional"],
  },
  {
    name: "request body: required property added / removed",
    edit: (d) => {
      requestBody(d).properties.c = { type: "string" };
      requestBody(d).required.push("c");
    },
    forward: ["breaking", "request-property-required-added"],
    backward: ["breaking", "request-property-removed"],
  },
  {
    name: "request body: optional property added / removed",
    edit: (d) => (requestBody(d).properties.c = { type: "string" }),
    forward: ["compatible", "request-property-added"],
    backward: ["breaking", "request-property-removed"],
  },
  {
    name: "response field removed / added",
    edit: (d) => delete body(d).properties.tips.properties.days,
    forward: ["breaking", "response-property-removed", "GET /v1/{tenant_id}/status response 200 application/json body.tips.days"],
    backward: ["compatible", "response-property-added", /body\.tips\.days$/],
  },
  {
    name: "response field no longer required / now required",
    edit: (d) => (body(d).required = []),
    forward: ["breaking", "response-property-became-optional", /body\.status$/],
    backward: ["compatible", "response-property-became-required", /body\.status$/],
  },
  {
    name: "response enum widened (value added) / narrowed (value removed)",
    edit: (d) => body(d).properties.status.enum.push("pending"),
    forward: ["breaking", "response-enum-widened", /body\.status$/],
    backward: ["compatible", "response-enum-narrowed", /body\.status$/],
  },
  {
    name: "response enum removed / added",
    edit: (d) => delete body(d).properties.status.enum,
    forward: ["breaking", "response-enum-widened"],
    backward: ["compatible", "response-enum-narrowed"],
  },
  {
    name: "response type widened integer → number / narrowed number → integer",
    edit: (d) => (body(d).properties.count.type = "number"),
    forward: ["breaking", "response-type-widened", /body\.count$/],
    backward: ["compatible", "response-type-narrowed", /body\.count$/],
  },
  {
    name: "response type changed (either way)",
    edit: (d) => (body(d).properties.name = { type: "integer" }),
    forward: ["breaking", "response-type-changed", /body\.name$/],
    backward: ["breaking", "response-type-changed", /body\.name$/],
  },
  {
    name: "response field became nullable / no longer nullable",
    edit: (d) => (body(d).properties.name.nullable = true),
    forward: ["breaking", "response-nullable-added", /body\.name$/],
    backward: ["compatible", "response-nullable-removed", /body\.name$/],
  },
  {
    name: "response object became `anyOf [object, null]` (the spec's NullableTips spelling) / back",
    edit: (d) => (body(d).properties.tips = { description: "or null", anyOf: [body(d).properties.tips, { type: "object", nullable: true, enum: [null] }] }),
    forward: ["breaking", "response-nullable-added", /body\.tips$/],
    backward: ["compatible", "response-nullable-removed", /body\.tips$/],
  },
  {
    name: "response maxLength loosened / tightened",
    edit: (d) => (body(d).properties.name.maxLength = 100),
    forward: ["breaking", "response-bound-loosened"],
    backward: ["compatible", "response-bound-tightened"],
  },
  {
    name: "response status removed / added",
    edit: (d) => delete op(d).responses["401"],
    forward: ["breaking", "response-status-removed", "GET /v1/{tenant_id}/status response 401"],
    backward: ["compatible", "response-status-added"],
  },
  {
    name: "response header removed / added",
    edit: (d) => delete op(d).responses["200"].headers["X-Request-Id"],
    forward: ["breaking", "response-header-removed"],
    backward: ["compatible", "response-header-added"],
  },
  {
    name: "response media type removed / added",
    edit: (d) => {
      const responses = op(d).responses["200"].content;
      responses["application/xml"] = responses["application/json"];
      delete responses["application/json"];
    },
    forward: ["breaking", "response-media-type-removed"],
    backward: ["breaking", "response-media-type-removed"],
  },
  {
    name: "region removed / added",
    edit: (d) => (d.paths["/v1/{tenant_id}/status"].servers[0].variables.region.enum = ["cn-north-4"]),
    forward: ["breaking", "server-removed", "GET /v1/{tenant_id}/status servers"],
    backward: ["compatible", "server-added", "GET /v1/{tenant_id}/status servers"],
  },
  {
    name: "server host changed (either way)",
    edit: (d) => (d.paths["/v1/{tenant_id}/status"].servers[0].url = "https://other.{region}.example.com"),
    forward: ["breaking", "server-changed"],
    backward: ["breaking", "server-changed"],
  },
  {
    name: "a region moved to a new host of its own / back",
    edit: (d) => {
      const servers = d.paths["/v1/{tenant_id}/status"].servers;
      servers[0].variables.region.enum = ["cn-north-4"];
      servers.push({ url: "https://svc-east.{region}.example.com", variables: { region: { default: "cn-east-3", enum: ["cn-east-3"] } } });
    },
    forward: ["breaking", "server-changed"],
    backward: ["breaking", "server-changed"],
  },
  {
    name: "a new host with new regions / its removal",
    edit: (d) => d.paths["/v1/{tenant_id}/status"].servers.push({ url: "https://svc.{region}.example.eu", variables: { region: { default: "eu-west-0", enum: ["eu-west-0"] } } }),
    forward: ["compatible", "server-added"],
    backward: ["breaking", "server-removed"],
  },
  {
    name: "descriptions changed (either way)",
    edit: (d) => {
      op(d).description = "Shows the status, better.";
      param(d, "project_id").description = "The project.";
      body(d).properties.name.description = "The name.";
    },
    forward: ["compatible", "operation-description-changed"],
    backward: ["compatible", "parameter-description-changed"],
  },
  {
    name: "examples changed (either way)",
    edit: (d) => {
      param(d, "project_id").example = "b".repeat(32);
      op(d).responses["200"].content["application/json"].examples.ok.value.status = "error";
    },
    forward: ["compatible", "response-examples-changed"],
    backward: ["compatible", "parameter-example-changed"],
  },
  {
    name: "operationId changed (either way: method and type names follow it)",
    edit: (d) => (op(d).operationId = "ShowTheStatus"),
    forward: ["breaking", "operation-id-changed"],
    backward: ["breaking", "operation-id-changed"],
  },
  {
    name: "tag changed (either way: the client groups methods by tag)",
    edit: (d) => (op(d).tags = ["pipeline"]),
    forward: ["breaking", "operation-tags-changed"],
    backward: ["breaking", "operation-tags-changed"],
  },
  {
    name: "named schema removed / added (the types package exports one type per name)",
    edit: (d) => delete d.components.schemas.Status,
    forward: ["breaking", "schema-removed", "components.schemas.Status"],
    backward: ["compatible", "schema-added"],
  },
  {
    name: "security alternative removed / added",
    from: (d) => (d.security = [{ IamToken: [] }, { AkSk: [] }]),
    edit: (d) => (d.security = [{ IamToken: [] }]),
    forward: ["breaking", "security-removed"],
    backward: ["compatible", "security-added"],
  },
  {
    name: "deprecated (either way)",
    edit: (d) => (param(d, "limit").deprecated = true),
    forward: ["compatible", "deprecated"],
    backward: ["compatible", "undeprecated"],
  },
  {
    name: "spec version (either way)",
    edit: (d) => (d.info.version = "1.1.0"),
    forward: ["compatible", "info-version-changed"],
    backward: ["compatible", "info-version-changed"],
  },
];

describe("each rule, in both directions", () => {
  test.each(rules)("$name", ({ edit, from, forward, backward }) => {
    const changes = both(edit, from);
    expectOnly(changes.forward, ...forward);
    expectOnly(changes.backward, ...backward);
  });
});

describe("the diff as a whole", () => {
  test("identical documents have no change; key order is not a change", () => {
    expect(diffDocuments(base(), base())).toEqual([]);
    const reordered = JSON.parse(JSON.stringify(base(), (_key, value) => (value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value)));
    expect(diffDocuments(base(), reordered)).toEqual([]);
  });

  test("an unknown keyword change is reported as breaking, for review", () => {
    const changes = diffDocuments(base(), edited((d) => (body(d).properties.name.discriminator = { propertyName: "x" })));
    expectOnly(changes, "breaking", "unclassified-change");
  });

  test("the report has one line per change, breaking first, and a total", () => {
    const changes = diffDocuments(
      base(),
      edited((d) => {
        body(d).properties.extra = { type: "string" };
        delete body(d).properties.name;
      }),
    );
    expect(formatReport(changes).split("\n")).toEqual([
      "BREAKING    GET /v1/{tenant_id}/status response 200 application/json body.name: field removed",
      "compatible  GET /v1/{tenant_id}/status response 200 application/json body.extra: field added",
      "",
      "2 changes: 1 breaking, 1 compatible",
    ]);
    expect(formatReport([])).toBe("No changes to the spec.");
  });
});

describe("on the real spec (the published dereferenced bundle)", () => {
  const real = (): Doc => structuredClone(spec) as Doc;
  const countDown = (d: Doc) => d.paths["/v5/{tenant_id}/api/package-specs/count-down"];
  const item = (d: Doc) => countDown(d).get.responses["200"].content["application/json"].schema.items;

  test("it has no change against itself", () => {
    expect(diffDocuments(real(), real())).toEqual([]);
  });

  test("removing a field of tips (behind the NullableTips anyOf) is breaking, at that field", () => {
    const head = real();
    const tips = item(head).properties.tips;
    const inner = tips.anyOf.find((branch: Doc) => branch.properties);
    delete inner.properties.next_action_remain_day;
    const changes = diffDocuments(real(), head);
    expect(changes.filter((c) => c.severity === "breaking")).toEqual([
      {
        severity: "breaking",
        rule: "response-property-removed",
        location: "GET /v5/{tenant_id}/api/package-specs/count-down response 200 application/json body[].tips.next_action_remain_day",
        message: "field removed",
      },
    ]);
  });

  test("a new region on the pipeline's main host is compatible, dropping one is breaking", () => {
    const added = real();
    countDown(added).servers[0].variables.region.enum.push("cn-north-9");
    expectOnly(diffDocuments(real(), added), "compatible", "server-added");
    const removed = real();
    countDown(removed).servers[2].variables.region.enum.pop();
    expectOnly(diffDocuments(real(), removed), "breaking", "server-removed", /count-down servers$/);
  });
});
