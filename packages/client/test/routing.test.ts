import { describe, expect, test } from "vitest";
import { createClient, InvalidParameterError, KNOWN_REGIONS, REGION_ENDPOINTS, REGION_HOSTS, SERVICES, type Service } from "../src/index.js";
import { createFetchStub, jsonResponse } from "./support/fetch-stub.js";
import { PROJECT_ID, spec, TENANT_ID } from "./support/fixtures.js";

const callFor: Record<Service, (client: ReturnType<typeof createClient>) => Promise<unknown>> = {
  artifact: (c) => c.artifact.showPackageInfo({ project_id: PROJECT_ID }),
  check: (c) => c.check.showTenantPackageStatus({ project_id: PROJECT_ID }),
  pipeline: (c) => c.pipeline.validateTenantPackageIsExpired({ tenant_id: TENANT_ID }),
  iam: (c) => c.iam.keystoneListAuthDomains(),
};

describe("region routing", () => {
  test("the region table is the spec's servers: every path's region enum, with the region put into each of its hosts in order", () => {
    for (const [, pathItem] of Object.entries(spec.paths) as [string, { get: { tags: Service[] }; servers: { url: string; variables: { region: { enum: string[] } } }[] }][]) {
      const service = pathItem.get.tags[0]!;
      const expected: Record<string, string[]> = {};
      for (const s of pathItem.servers) for (const r of s.variables.region.enum) (expected[r] ??= []).push(s.url.replace("{region}", r));
      expect(REGION_ENDPOINTS[service]).toEqual(expected);
      expect(REGION_HOSTS[service]).toEqual(Object.fromEntries(Object.entries(expected).map(([r, urls]) => [r, urls[0]])));
    }
    expect(REGION_ENDPOINTS.check["cn-north-4"]).toEqual(["https://codearts-check.cn-north-4.myhuaweicloud.com", "https://codearts-check.cn-north-4.myhuaweicloud.cn"]);
  });

  test.each(SERVICES.flatMap((service) => Object.entries(REGION_HOSTS[service]).map(([region, host]) => [service, region, host] as const)))(
    "%s in %s goes to %s",
    async (service, region, host) => {
      const stub = createFetchStub(() => jsonResponse(200, service === "pipeline" ? [] : {}));
      // A stub, never the network: the host is read from the request the client built.
      await callFor[service](createClient({ region, credentials: { token: "t" }, fetch: stub.fetch }));
      expect(new URL(stub.requests[0]!.url).origin).toBe(host);
    },
  );

  test("an unknown region is accepted by createClient, and a service with no endpoint there fails its first call", async () => {
    const stub = createFetchStub(() => jsonResponse(200, {}));
    const client = createClient({ region: "cn-nowhere-9", env: {}, credentials: { token: "t" }, fetch: stub.fetch });
    await expect(client.check.showTenantPackageStatus()).rejects.toThrow(InvalidParameterError);
    await expect(client.check.showTenantPackageStatus()).rejects.toThrow(/CodeArts Check has no endpoint in cn-nowhere-9/);
    expect(stub.requests).toHaveLength(0);
    expect(KNOWN_REGIONS).toContain("tr-west-1");
  });

  test("a service that is not offered in the region fails its calls with a clear error, and the others work", async () => {
    const stub = createFetchStub(() => jsonResponse(200, []));
    const client = createClient({ region: "tr-west-1", env: {}, credentials: { token: "t" }, fetch: stub.fetch });
    await expect(client.check.showTenantPackageStatus()).rejects.toThrow(/CodeArts Check has no endpoint in tr-west-1.*endpoints\.check/);
    await client.pipeline.validateTenantPackageIsExpired({ tenant_id: TENANT_ID });
    expect(stub.requests.map((r) => new URL(r.url).host)).toEqual(["pipeline-external.tr-west-1.myhuaweicloud.com"]);
  });

  test("an endpoint override wins over the region, keeps its path prefix, and applies to its service only", async () => {
    const stub = createFetchStub(() => jsonResponse(200, {}));
    const client = createClient({ region: "cn-north-4", endpoints: { check: "http://127.0.0.1:9/proxy/" }, credentials: { token: "t" }, fetch: stub.fetch });
    await client.check.showTenantPackageStatus();
    await client.artifact.showPackageInfo();
    expect(stub.requests.map((r) => r.url)).toEqual([
      "http://127.0.0.1:9/proxy/v4/tenant/tenant-package-status",
      "https://cloudartifacts-ext.cn-north-4.myhuaweicloud.com/devreposerver/v5/data/package/info",
    ]);
  });

  test("a malformed endpoint fails its service's first call with InvalidParameterError, before any request", async () => {
    const stub = createFetchStub(() => jsonResponse(200, {}));
    await expect(createClient({ endpoints: { check: "not a url" }, credentials: { token: "t" }, fetch: stub.fetch }).check.showTenantPackageStatus()).rejects.toThrow(/endpoints\.check/);
    await expect(createClient({ endpoints: { check: "ftp://host" }, credentials: { token: "t" }, fetch: stub.fetch }).check.showTenantPackageStatus()).rejects.toThrow(/http or https/);
    expect(stub.requests).toHaveLength(0);
  });

  test("the raw GET surface is routed the same way", async () => {
    const stub = createFetchStub(() => jsonResponse(200, { result: {} }));
    const client = createClient({ region: "cn-south-1", credentials: { token: "t" }, fetch: stub.fetch });
    const { data } = await client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id: PROJECT_ID } } });
    expect(data).toEqual({ result: {} });
    expect(stub.requests[0]!.url).toBe(`https://codearts-check.cn-south-1.myhuaweicloud.com/v4/tenant/tenant-package-status?project_id=${PROJECT_ID}`);
  });
});

describe("options", () => {
  test.each([
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ timeoutMs: Number.NaN }, /timeoutMs/],
    [{ maxRetries: -1 }, /maxRetries/],
    [{ maxRetries: 1.5 }, /maxRetries/],
  ])("%o is rejected", (options, message) => {
    expect(() => createClient({ region: "cn-north-4", credentials: { token: "t" }, ...options })).toThrow(message);
  });

  test.each([{ token: "" }, { accessKey: "ak", secretKey: "" }, { accessKey: "", secretKey: "sk" }, { token: "a\nb" }, {}])(
    "credentials %o are rejected",
    (credentials) => {
      expect(() => createClient({ region: "cn-north-4", credentials: credentials as never })).toThrow(InvalidParameterError);
    },
  );
});
