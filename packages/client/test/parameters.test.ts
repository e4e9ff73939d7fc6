import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createClient, InvalidParameterError } from "../src/index.js";
import { createFetchStub, jsonResponse } from "./support/fetch-stub.js";
import { PROJECT_ID, TENANT_ID } from "./support/fixtures.js";
import { startTestServer, type TestServer } from "@codearts-package-status/test-support";

const BASE = "https://pipeline.example.test/base";
const ALNUM32 = fc.stringMatching(/^[0-9A-Za-z]{32}$/);

function stubbedClient() {
  const stub = createFetchStub(() => jsonResponse(200, []));
  const client = createClient({ endpoints: { pipeline: BASE, check: BASE, artifact: BASE }, credentials: { token: "t" }, fetch: stub.fetch, maxRetries: 0 });
  return { client, stub };
}

describe("invalid parameters are rejected before any request", () => {
  test.each([
    ["an empty tenant_id", ""],
    ["a tenant_id of .", "."],
    ["a tenant_id of ..", ".."],
    ["a tenant_id with a slash", `${"a".repeat(15)}/${"a".repeat(16)}`],
    ["a 31-character tenant_id", "a".repeat(31)],
    ["a 33-character tenant_id", "a".repeat(33)],
    ["a tenant_id with a hyphen", `${"a".repeat(31)}-`],
  ])("%s", async (_, tenant_id) => {
    const { client, stub } = stubbedClient();
    await expect(client.pipeline.validateTenantPackageIsExpired({ tenant_id })).rejects.toSatisfy(
      (e) => e instanceof InvalidParameterError && e.parameter === "tenant_id",
    );
    expect(stub.requests).toHaveLength(0);
  });

  test("a left-out tenant_id with no IAM endpoint to discover it from", async () => {
    const { client, stub } = stubbedClient();
    await expect(client.pipeline.validateTenantPackageIsExpired({})).rejects.toThrow(/endpoints\.iam is not set/);
    expect(stub.requests).toHaveLength(0);
  });

  test("an is_main that is not \"true\" or \"false\", and a parameter the operation does not have", async () => {
    const { client, stub } = stubbedClient();
    await expect(client.pipeline.validateTenantPackageIsExpired({ tenant_id: TENANT_ID, is_main: "yes" as never })).rejects.toThrow(
      /is_main: "yes" must be one of "true", "false"/,
    );
    await expect(client.check.showTenantPackageStatus({ projectId: PROJECT_ID } as never)).rejects.toThrow(/projectId: not a parameter/);
    expect(stub.requests).toHaveLength(0);
  });

  test("the raw GET surface checks parameters the same way", async () => {
    const { client, stub } = stubbedClient();
    await expect(
      client.GET("/v5/{tenant_id}/api/package-specs/count-down", { params: { path: { tenant_id: ".." } } }),
    ).rejects.toBeInstanceOf(InvalidParameterError);
    expect(stub.requests).toHaveLength(0);
  });

  test("property: any tenant_id that is not 32 letters and digits is rejected and sends nothing", async () => {
    const { client, stub } = stubbedClient();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40, unit: "binary" }).filter((s) => !/^[0-9A-Za-z]{32}$/.test(s)), async (tenant_id) => {
        await expect(client.pipeline.validateTenantPackageIsExpired({ tenant_id })).rejects.toBeInstanceOf(InvalidParameterError);
      }),
      { numRuns: 300 },
    );
    expect(stub.requests).toHaveLength(0);
  });
});

describe("what reaches the wire", () => {
  test("property: a valid tenant_id is exactly one path segment, and the path keeps its shape", async () => {
    const { client, stub } = stubbedClient();
    await fc.assert(
      fc.asyncProperty(ALNUM32, async (tenant_id) => {
        await client.pipeline.validateTenantPackageIsExpired({ tenant_id });
        const url = new URL(stub.requests.at(-1)!.url);
        expect(url.origin + url.pathname).toBe(`${BASE}/v5/${tenant_id}/api/package-specs/count-down`);
      }),
      { numRuns: 200 },
    );
  });

  test("property: the query round-trips: the server reads back exactly the values given", async () => {
    const { client, stub } = stubbedClient();
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { project_id: ALNUM32, is_main: fc.constantFrom("true" as const, "false" as const), _: fc.stringMatching(/^[0-9]{1,16}$/) },
          { requiredKeys: [] },
        ),
        async (query) => {
          await client.pipeline.validateTenantPackageIsExpired({ tenant_id: TENANT_ID, ...query });
          const url = new URL(stub.requests.at(-1)!.url);
          expect(Object.fromEntries(url.searchParams)).toEqual(query);
        },
      ),
      { numRuns: 200 },
    );
  });

  describe("over real HTTP", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(() => ({ status: 200, body: [] }));
    });
    afterAll(() => server.close());

    test("property: the server sees the documented path and query, and nothing else", async () => {
      const client = createClient({ endpoints: { pipeline: server.url }, credentials: { token: "t" } });
      await fc.assert(
        fc.asyncProperty(ALNUM32, ALNUM32, fc.constantFrom("true" as const, "false" as const), async (tenant_id, project_id, is_main) => {
          await client.pipeline.validateTenantPackageIsExpired({ tenant_id, project_id, is_main });
          const seen = new URL(server.requests.at(-1)!.url, "http://x");
          expect(seen.pathname).toBe(`/v5/${tenant_id}/api/package-specs/count-down`);
          expect(Object.fromEntries(seen.searchParams)).toEqual({ project_id, is_main });
        }),
        { numRuns: 50 },
      );
    });
  });
});
