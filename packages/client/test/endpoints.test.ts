// Endpoint overrides as Huawei's SDKs read them, failover between a service's endpoints, and the
// tenant ID discovery. Every test passes its own `env` (with HOME in a temp dir), so neither the
// machine's environment nor a real ~/.huaweicloud is read; every host a test can reach is a stub
// or a loopback server.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { ConnectionError, createClient, InternalServerError, InvalidParameterError, resolveEndpoints, SDK_SERVICE_NAMES, SERVICES, type Service } from "../src/index.js";
import { parseRegionsFile } from "../src/endpoints/regions-file.js";
import { createEndpointResolver, endpointVariable } from "../src/endpoints/resolve.js";
import { createFetchStub, jsonResponse } from "./support/fetch-stub.js";
import { PROJECT_ID, TENANT_ID } from "./support/fixtures.js";
import { closedPort, startTestServer, type TestServer } from "@codearts-package-status/test-support";

const homes: string[] = [];
const servers: TestServer[] = [];
afterAll(async () => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
  await Promise.all(servers.map((s) => s.close()));
});

/** A HOME of its own, optionally with a ~/.huaweicloud/regions.yaml. */
function home(regionsYaml?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "codearts-endpoints-"));
  homes.push(dir);
  if (regionsYaml !== undefined) {
    mkdirSync(path.join(dir, ".huaweicloud"));
    writeFileSync(path.join(dir, ".huaweicloud", "regions.yaml"), regionsYaml);
  }
  return dir;
}

const DOMAINS = { domains: [{ id: "d78cbac186b744899480f25bd022f468", enabled: true, name: "IAMDomain" }], links: {} };
const answerAll = () => createFetchStub((request) => jsonResponse(200, new URL(request.url).pathname === "/v3/auth/domains" ? DOMAINS : []));
const hostsOf = (stub: ReturnType<typeof createFetchStub>) => stub.requests.map((r) => new URL(r.url).host);

describe("HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}", () => {
  test("is named as Huawei's SDKs name it: the service's SDK name, the region upper-cased with - as _", () => {
    expect(SDK_SERVICE_NAMES).toEqual({ artifact: "CODEARTSARTIFACT", check: "CODEARTSCHECK", pipeline: "CODEARTSPIPELINE", iam: "IAM" });
    fc.assert(
      fc.property(fc.constantFrom(...SERVICES), fc.stringMatching(/^[a-z]{2}-[a-z]{1,10}(-[a-z0-9]{1,4}){0,2}$/), (service, region) => {
        const name = endpointVariable(service, region);
        expect(name).toBe(`HUAWEICLOUD_SDK_REGION_${SDK_SERVICE_NAMES[service]}_${region.toUpperCase().replace(/-/g, "_")}`);
        expect(name).toMatch(/^HUAWEICLOUD_SDK_REGION_[A-Z]+_[A-Z0-9_]+$/);
      }),
    );
  });

  test("sends each service to the endpoint its variable names, in any region, and leaves the others on the table", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Service>("artifact", "check", "pipeline"), fc.constantFrom("cn-north-4", "la-south-2", "cn-nowhere-9"), async (service, region) => {
        const stub = answerAll();
        const env = { HOME: home(), [endpointVariable(service, region)]: "https://override.example.test/base/" };
        const client = createClient({ region, env, credentials: { token: "t" }, fetch: stub.fetch, tenantId: TENANT_ID });
        const calls: Record<Service, () => Promise<unknown>> = {
          artifact: () => client.artifact.showPackageInfo(),
          check: () => client.check.showTenantPackageStatus(),
          pipeline: () => client.pipeline.validateTenantPackageIsExpired(),
          iam: () => client.iam.keystoneListAuthDomains(),
        };
        await calls[service]();
        expect(stub.requests[0]!.url.startsWith("https://override.example.test/base/")).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  test("takes several endpoints, comma-separated, spaces and empty items ignored", async () => {
    const stub = answerAll();
    const env = { HOME: home(), HUAWEICLOUD_SDK_REGION_CODEARTSCHECK_CN_NORTH_4: " https://a.example.test , ,https://b.example.test/" };
    const client = createClient({ region: "cn-north-4", env, credentials: { token: "t" }, fetch: stub.fetch });
    await client.check.showTenantPackageStatus();
    expect(hostsOf(stub)).toEqual(["a.example.test"]);
  });

  test("a malformed value fails the service's first call with InvalidParameterError naming the variable, before any request", async () => {
    const stub = answerAll();
    const env = { HOME: home(), HUAWEICLOUD_SDK_REGION_CODEARTSCHECK_CN_NORTH_4: "ftp://nope" };
    const client = createClient({ region: "cn-north-4", env, credentials: { token: "t" }, fetch: stub.fetch });
    await expect(client.check.showTenantPackageStatus()).rejects.toThrow(InvalidParameterError);
    await expect(client.check.showTenantPackageStatus()).rejects.toThrow(/HUAWEICLOUD_SDK_REGION_CODEARTSCHECK_CN_NORTH_4/);
    expect(stub.requests).toHaveLength(0);
  });
});

describe("the regions file", () => {
  test.each([
    ["endpoint, service name in any case", "CodeArtsCheck:\n  - id: 'cn-north-4'\n    endpoint: 'https://file.example.test'\n", ["https://file.example.test"]],
    ["endpoints as a block list, with comments", "# mine\ncodeartscheck:\n  - id: cn-north-4  # Beijing\n    endpoints:\n      - https://one.example.test\n      - \"https://two.example.test\"\n", ["https://one.example.test", "https://two.example.test"]],
    ["endpoints as a flow list, among other services", "ECS:\n  - id: cn-north-4\n    endpoint: https://ecs.example.test\nCODEARTSCHECK:\n  - id: cn-east-3\n    endpoint: https://east.example.test\n  - id: cn-north-4\n    endpoints: [https://one.example.test, https://two.example.test]\n", ["https://one.example.test", "https://two.example.test"]],
  ])("reads %s", (_, yaml, urls) => {
    expect(parseRegionsFile(yaml).get("CODEARTSCHECK")?.get("cn-north-4")?.map(({ url }) => url)).toEqual(urls);
  });

  test("~/.huaweicloud/regions.yaml is read from HOME, and HUAWEICLOUD_SDK_REGIONS_FILE names another file", async () => {
    const stub = answerAll();
    const fromHome = createClient({ region: "cn-north-4", env: { HOME: home("CodeArtsArtifact:\n  - id: cn-north-4\n    endpoint: https://home.example.test\n") }, credentials: { token: "t" }, fetch: stub.fetch });
    await fromHome.artifact.showPackageInfo();
    const other = path.join(home(), "regions.yaml");
    writeFileSync(other, "CodeArtsArtifact:\n  - id: cn-north-4\n    endpoint: https://named.example.test\n");
    const named = createClient({ region: "cn-north-4", env: { HOME: home("CodeArtsArtifact:\n  - id: cn-north-4\n    endpoint: https://home.example.test\n"), HUAWEICLOUD_SDK_REGIONS_FILE: other }, credentials: { token: "t" }, fetch: stub.fetch });
    await named.artifact.showPackageInfo();
    expect(hostsOf(stub)).toEqual(["home.example.test", "named.example.test"]);
  });

  test("a regions file someone named that does not exist fails the call with InvalidParameterError", async () => {
    const stub = answerAll();
    const client = createClient({ region: "cn-north-4", env: { HOME: home(), HUAWEICLOUD_SDK_REGIONS_FILE: path.join(home(), "missing.yaml") }, credentials: { token: "t" }, fetch: stub.fetch });
    await expect(client.check.showTenantPackageStatus()).rejects.toThrow(/HUAWEICLOUD_SDK_REGIONS_FILE/);
    expect(stub.requests).toHaveLength(0);
  });
});

describe("precedence", () => {
  test("the endpoints option > the environment > the regions file > the built-in table", async () => {
    const yaml = "CodeArtsArtifact:\n  - id: cn-north-4\n    endpoint: https://file.example.test\nCodeArtsCheck:\n  - id: cn-north-4\n    endpoint: https://file.example.test\nCodeArtsPipeline:\n  - id: cn-north-4\n    endpoint: https://file.example.test\n";
    const env = { HOME: home(yaml), HUAWEICLOUD_SDK_REGION_CODEARTSARTIFACT_CN_NORTH_4: "https://env.example.test", HUAWEICLOUD_SDK_REGION_CODEARTSCHECK_CN_NORTH_4: "https://env.example.test" };
    const stub = answerAll();
    const client = createClient({ region: "cn-north-4", env, endpoints: { artifact: "https://option.example.test" }, credentials: { token: "t" }, fetch: stub.fetch, tenantId: TENANT_ID });
    await client.artifact.showPackageInfo();
    await client.check.showTenantPackageStatus();
    await client.pipeline.validateTenantPackageIsExpired();
    await client.iam.keystoneListAuthDomains();
    expect(hostsOf(stub)).toEqual(["option.example.test", "env.example.test", "file.example.test", "iam.cn-north-4.myhuaweicloud.com"]);
  });

  test("HUAWEICLOUD_SDK_IAM_ENDPOINT names IAM's endpoint in any region", async () => {
    const stub = answerAll();
    const client = createClient({ region: "cn-north-4", env: { HOME: home(), HUAWEICLOUD_SDK_IAM_ENDPOINT: "https://iam.example.test" }, credentials: { token: "t" }, fetch: stub.fetch });
    await client.iam.keystoneListAuthDomains();
    expect(hostsOf(stub)).toEqual(["iam.example.test"]);
  });

  test("a region the table lacks works when an override names the endpoints, and fails on first use of a service with none", async () => {
    const stub = answerAll();
    const client = createClient({ region: "cn-nowhere-9", env: { HOME: home(), HUAWEICLOUD_SDK_REGION_CODEARTSCHECK_CN_NOWHERE_9: "https://check.example.test" }, credentials: { token: "t" }, fetch: stub.fetch });
    await client.check.showTenantPackageStatus({ project_id: PROJECT_ID });
    const failure = await client.artifact.showPackageInfo().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidParameterError);
    expect(String(failure)).toMatch(/CodeArts Artifact has no endpoint in cn-nowhere-9.*HUAWEICLOUD_SDK_REGION_CODEARTSARTIFACT_CN_NOWHERE_9/);
    expect(hostsOf(stub)).toEqual(["check.example.test"]);
  });
});

describe("failover", () => {
  test("a connection failure moves to the service's next endpoint without spending a retry, and later calls stay there", async () => {
    const live = await startTestServer(() => ({ status: 200, body: { result: {} } }));
    servers.push(live);
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const client = createClient({ endpoints: { check: [dead, live.url] }, credentials: { token: "t" }, maxRetries: 0 });
    await expect(client.check.showTenantPackageStatus()).resolves.toEqual({ result: {} });
    await client.check.showTenantPackageStatus();
    expect(live.requests).toHaveLength(2);
  });

  test("an HTTP error is not a reason to move: the next endpoint is never asked", async () => {
    const failing = await startTestServer(() => ({ status: 500, body: { error_code: "X", error_msg: "down" } }));
    const other = await startTestServer(() => ({ status: 200, body: {} }));
    servers.push(failing, other);
    const client = createClient({ endpoints: { check: [failing.url, other.url] }, credentials: { token: "t" }, maxRetries: 0 });
    await expect(client.check.showTenantPackageStatus()).rejects.toThrow(InternalServerError);
    expect(other.requests).toHaveLength(0);
  });

  test("a connection failure at the table's first host moves its service to the table's next host, which later calls keep; the others stay", async () => {
    const resolver = createEndpointResolver({ region: "cn-north-4", env: undefined });
    const path = "/v4/tenant/tenant-package-status?project_id=p";
    await expect(resolver.base("check")).resolves.toBe("https://codearts-check.cn-north-4.myhuaweicloud.com");
    await expect(resolver.next(`https://codearts-check.cn-north-4.myhuaweicloud.com${path}`)).resolves.toBe(`https://codearts-check.cn-north-4.myhuaweicloud.cn${path}`);
    await expect(resolver.base("check")).resolves.toBe("https://codearts-check.cn-north-4.myhuaweicloud.cn");
    await expect(resolver.next(`https://codearts-check.cn-north-4.myhuaweicloud.cn${path}`)).resolves.toBeUndefined();
    await expect(resolver.base("pipeline")).resolves.toBe("https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com");
  });

  test("when every endpoint is unreachable the call fails with a ConnectionError", async () => {
    const client = createClient({ endpoints: { check: [`http://127.0.0.1:${await closedPort()}`, `http://127.0.0.1:${await closedPort()}`] }, credentials: { token: "t" }, maxRetries: 0 });
    await expect(client.check.showTenantPackageStatus()).rejects.toThrow(ConnectionError);
  });
});

describe("tenant ID discovery", () => {
  test("the tenantId option comes first: IAM is never asked", async () => {
    const stub = answerAll();
    const client = createClient({ endpoints: { pipeline: "https://p.example.test", iam: "https://iam.example.test" }, tenantId: TENANT_ID, credentials: { token: "t", domainId: "0".repeat(32) } as never, fetch: stub.fetch });
    await client.pipeline.validateTenantPackageIsExpired();
    expect(stub.requests.map((r) => new URL(r.url).pathname)).toEqual([`/v5/${TENANT_ID}/api/package-specs/count-down`]);
  });

  test("then the credentials' domainId (a profile's [global] domain_id): IAM is never asked", async () => {
    const stub = answerAll();
    const domainId = "a".repeat(32);
    const client = createClient({ endpoints: { pipeline: "https://p.example.test", iam: "https://iam.example.test" }, credentials: { token: "t", domainId } as never, fetch: stub.fetch });
    await client.pipeline.validateTenantPackageIsExpired();
    expect(stub.requests.map((r) => new URL(r.url).pathname)).toEqual([`/v5/${domainId}/api/package-specs/count-down`]);
  });

  test("then IAM's KeystoneListAuthDomains, asked once for concurrent calls and cached for later ones", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stub = createFetchStub(async (request) => {
      if (new URL(request.url).pathname !== "/v3/auth/domains") return jsonResponse(200, []);
      await gate;
      return jsonResponse(200, DOMAINS);
    });
    const client = createClient({ endpoints: { pipeline: "https://p.example.test", iam: "https://iam.example.test" }, credentials: { token: "t" }, fetch: stub.fetch });
    const calls = Promise.all([1, 2, 3].map(() => client.pipeline.validateTenantPackageIsExpired({ is_main: "true" })));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await calls;
    await client.pipeline.validateTenantPackageIsExpired();
    const paths = stub.requests.map((r) => new URL(r.url).pathname);
    expect(paths.filter((p) => p === "/v3/auth/domains")).toHaveLength(1);
    expect(paths.filter((p) => p === "/v5/d78cbac186b744899480f25bd022f468/api/package-specs/count-down")).toHaveLength(4);
  });

  test("a failed lookup is not cached: the next call asks IAM again", async () => {
    let answers = 0;
    const stub = createFetchStub((request) => {
      if (new URL(request.url).pathname !== "/v3/auth/domains") return jsonResponse(200, []);
      return ++answers === 1 ? jsonResponse(500, { error_code: "IAM.0006", error_msg: "down" }) : jsonResponse(200, DOMAINS);
    });
    const client = createClient({ endpoints: { pipeline: "https://p.example.test", iam: "https://iam.example.test" }, credentials: { token: "t" }, fetch: stub.fetch, maxRetries: 0 });
    await expect(client.pipeline.validateTenantPackageIsExpired()).rejects.toThrow(InternalServerError);
    await expect(client.pipeline.validateTenantPackageIsExpired()).resolves.toEqual([]);
  });

  test("an answer with no single enabled account is an InvalidParameterError that says to pass the tenant ID", async () => {
    const stub = createFetchStub(() => jsonResponse(200, { domains: [] }));
    const client = createClient({ endpoints: { pipeline: "https://p.example.test", iam: "https://iam.example.test" }, credentials: { token: "t" }, fetch: stub.fetch });
    await expect(client.pipeline.validateTenantPackageIsExpired()).rejects.toThrow(/tenant ID cannot be discovered/);
  });

  test("the call's other parameters are checked before IAM is asked: a bad one fails with no request at all", async () => {
    const stub = answerAll();
    const client = createClient({ endpoints: { pipeline: "https://p.example.test", iam: "https://iam.example.test" }, credentials: { token: "t" }, fetch: stub.fetch });
    await expect(client.pipeline.validateTenantPackageIsExpired({ is_main: "maybe" as never })).rejects.toThrow(InvalidParameterError);
    await expect(client.pipeline.validateTenantPackageIsExpired({ is_main: "maybe" as never })).rejects.toThrow(/is_main/);
    expect(stub.requests).toHaveLength(0);
  });

  test("a tenant ID IAM answers is checked like a given one: one that would leave its path segment is refused before the Pipeline request", async () => {
    const stub = createFetchStub((request) => jsonResponse(200, new URL(request.url).pathname === "/v3/auth/domains" ? { domains: [{ id: "../../v3/auth/domains", enabled: true }] } : []));
    const client = createClient({ endpoints: { pipeline: "https://p.example.test", iam: "https://iam.example.test" }, credentials: { token: "t" }, fetch: stub.fetch });
    await expect(client.pipeline.validateTenantPackageIsExpired()).rejects.toThrow(/tenant_id/);
    expect(hostsOf(stub)).toEqual(["iam.example.test"]);
  });

  test("with no IAM endpoint to ask (no region, no override) the call fails before any request", async () => {
    const stub = answerAll();
    const client = createClient({ endpoints: { pipeline: "https://p.example.test" }, env: { HOME: home() }, credentials: { token: "t" }, fetch: stub.fetch });
    await expect(client.pipeline.validateTenantPackageIsExpired()).rejects.toThrow(/endpoints\.iam/);
    expect(stub.requests).toHaveLength(0);
  });
});

describe("endpoint values in errors", () => {
  // The value may carry a password: an error names where it was set and the rule it breaks.
  const PASSWORD = "s3cret-pa55word";
  const broken: Array<[string, string, string]> = [
    ["not a URL at all, with a password", `https://user:${PASSWORD}@[::1`, "must be an http or https URL"],
    ["not http or https", `ftp://user:${PASSWORD}@files.example.test`, "must be an http or https URL"],
    ["a user name and password", `https://user:${PASSWORD}@check.example.test`, "must not contain a user name or password"],
    ["a user name alone", `https://${PASSWORD}@check.example.test/base`, "must not contain a user name or password"],
    ["a query", `https://check.example.test/base?key=${PASSWORD}`, "must not contain a query or fragment"],
    ["an empty query", "https://check.example.test/base?", "must not contain a query or fragment"],
    ["a fragment", `https://check.example.test/#${PASSWORD}`, "must not contain a query or fragment"],
  ];

  async function refusal(options: { endpoints?: Record<string, string>; env?: Record<string, string> }): Promise<Error> {
    const error = await resolveEndpointsOf(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterError);
    return error as Error;
  }
  const resolveEndpointsOf = (options: { endpoints?: Record<string, string>; env?: Record<string, string> }) =>
    resolveEndpoints({ region: "cn-north-4", endpoints: options.endpoints, env: { HOME: home(), ...options.env } });

  test.each(broken)("the endpoints option, %s: named, never quoted", async (_, value, rule) => {
    const error = await refusal({ endpoints: { check: value } });
    expect(error.message).toBe(`Invalid endpoints.check: ${rule}`);
  });

  test.each(broken)("HUAWEICLOUD_SDK_REGION_* and HUAWEICLOUD_SDK_IAM_ENDPOINT, %s: the variable named, never the value", async (_, value, rule) => {
    expect((await refusal({ env: { HUAWEICLOUD_SDK_REGION_CODEARTSCHECK_CN_NORTH_4: `https://ok.example.test,${value}` } })).message).toBe(
      `Invalid HUAWEICLOUD_SDK_REGION_CODEARTSCHECK_CN_NORTH_4: endpoint 2 of 2 ${rule}`,
    );
    expect((await refusal({ env: { HUAWEICLOUD_SDK_IAM_ENDPOINT: value } })).message).toBe(`Invalid HUAWEICLOUD_SDK_IAM_ENDPOINT: ${rule}`);
  });

  test.each(broken)("the regions file, %s: the file and the line named, never the value", async (_, value, rule) => {
    const dir = home(`CodeArtsArtifact:\n  - id: cn-north-4\n    endpoint: https://a.example.test\nCodeArtsCheck:\n  - id: cn-north-4\n    endpoints:\n      - https://ok.example.test\n      - '${value}'\n`);
    const error = await refusal({ env: { HOME: dir } });
    expect(error.message).toBe(`Invalid regions file: ${path.join(dir, ".huaweicloud", "regions.yaml")} line 8: the endpoint of CODEARTSCHECK in cn-north-4 ${rule}`);
  });

  test("a valid endpoint keeps its path, without a trailing slash", async () => {
    await expect(resolveEndpointsOf({ endpoints: { check: "https://check.example.test:8443/base/" } })).resolves.toMatchObject({ check: { urls: ["https://check.example.test:8443/base"] } });
  });

  test("property: no refusal quotes any part of the value", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...broken.map(([, value]) => value)), fc.constantFrom("option", "variable"), async (value, where) => {
        const error = await refusal(where === "option" ? { endpoints: { artifact: value } } : { env: { HUAWEICLOUD_SDK_REGION_CODEARTSARTIFACT_CN_NORTH_4: value } });
        expect(error.message).not.toContain(PASSWORD);
        expect(error.message).not.toContain("example.test");
      }),
    );
  });
});
