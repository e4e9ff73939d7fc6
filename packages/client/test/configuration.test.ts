// The configuration API, through the public entry: ENV_VARIABLES, environmentSettings, the
// region and tenant ID createClient takes from its `env` (options win), CLIENT_DEFAULTS as what a
// client does when options are left out, endpointVariable, and resolveEndpoints. Every fetch is an
// in-process stub; every env names a temporary HOME, so no one's ~/.huaweicloud is read.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, test, vi } from "vitest";
import {
  CLIENT_DEFAULTS,
  createClient,
  endpointVariable,
  ENV_VARIABLES,
  environmentSettings,
  InternalServerError,
  InvalidParameterError,
  KNOWN_REGIONS,
  REGION_ENDPOINTS,
  REGION_HOSTS,
  resolveEndpoints,
  ResponseTooLargeError,
  SERVICES,
  TimeoutError,
  type CredentialsProvider,
  type Env,
  type Service,
} from "../src/index.js";
import { createFetchStub, jsonResponse } from "./support/fetch-stub.js";
import { example, TENANT_ID } from "./support/fixtures.js";

const TOKEN = "configuration-test-token-0123456789";
const home = mkdtempSync(path.join(tmpdir(), "codearts-configuration-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

/** An env that never reaches a real home directory, a real profile or the ECS metadata service. */
const isolated = (values: Record<string, string> = {}): Env => ({ HOME: home, CODEARTS_ECS_METADATA_DISABLED: "true", ...values });

/** The region variables as a user may leave them: missing, empty, or whitespace only. */
const blank = fc.oneof(fc.constant(undefined), fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u3000", "\ufeff"), maxLength: 6 }));
/** A value with something in it, kept exactly as written. */
const filled = fc.string({ minLength: 1, maxLength: 30 }).filter((value) => value.trim() !== "");

describe("ENV_VARIABLES", () => {
  test("names each variable once, in the forms Huawei's SDKs and this toolkit use", () => {
    const names = Object.values(ENV_VARIABLES);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^(HUAWEICLOUD_SDK|CODEARTS)_[A-Z_]+$/);
    expect(ENV_VARIABLES).toMatchObject({ region: "HUAWEICLOUD_SDK_REGION", domainId: "HUAWEICLOUD_SDK_DOMAIN_ID", projectId: "HUAWEICLOUD_SDK_PROJECT_ID" });
  });

  test("is every variable a client reads, besides each service's endpoint variable and HOME/USERPROFILE", async () => {
    const read = new Set<string>();
    const recording = (values: Env): Env =>
      new Proxy(values, {
        get: (target, key) => (typeof key === "string" && read.add(key), (target as Record<string, unknown>)[key as string]),
        has: (target, key) => (typeof key === "string" && read.add(key), key in target),
      });
    const stub = createFetchStub((request) =>
      jsonResponse(200, new URL(request.url).pathname === "/v3/auth/domains" ? example("KeystoneListAuthDomainsOk") : example("ShowTenantPackageStatusOk")),
    );
    const region = "cn-north-4";
    // Credentials from the environment, then none anywhere (the whole default chain is read).
    const withToken = createClient({ env: recording(isolated({ HUAWEICLOUD_SDK_REGION: region, HUAWEICLOUD_SDK_TOKEN: TOKEN })), fetch: stub.fetch });
    await withToken.check.showTenantPackageStatus();
    await withToken.pipeline.validateTenantPackageIsExpired();
    await withToken.artifact.showPackageInfo();
    const withNone = createClient({ env: recording(isolated({ HUAWEICLOUD_SDK_REGION: region })), fetch: stub.fetch });
    await expect(withNone.check.showTenantPackageStatus()).rejects.toThrow("No credentials");

    const allowed = new Set<string>([...Object.values(ENV_VARIABLES), "HOME", "USERPROFILE", ...SERVICES.map((service) => endpointVariable(service, region))]);
    expect([...read].filter((name) => !allowed.has(name))).toEqual([]);
    // And it did read what it is documented to read.
    for (const name of [ENV_VARIABLES.region, ENV_VARIABLES.domainId, ENV_VARIABLES.token, ENV_VARIABLES.credentialsFile, ENV_VARIABLES.ecsMetadataDisabled, endpointVariable("check", region)]) {
      expect(read).toContain(name);
    }
  });
});

describe("environmentSettings", () => {
  test("reads the region, the tenant ID and the IAM project ID", () => {
    expect(
      environmentSettings({ HUAWEICLOUD_SDK_REGION: "cn-north-4", HUAWEICLOUD_SDK_DOMAIN_ID: TENANT_ID, HUAWEICLOUD_SDK_PROJECT_ID: "iam-project", HUAWEICLOUD_SDK_AK: "ignored" }),
    ).toEqual({ region: "cn-north-4", tenantId: TENANT_ID, projectId: "iam-project" });
    expect(environmentSettings({})).toEqual({ region: undefined, tenantId: undefined, projectId: undefined });
  });

  test("property: a blank variable is an unset one, any other value is kept as written, and no other variable matters", () => {
    const value = fc.oneof(blank, filled);
    const unrelated = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 12 }).filter((name) => !["HUAWEICLOUD_SDK_REGION", "HUAWEICLOUD_SDK_DOMAIN_ID", "HUAWEICLOUD_SDK_PROJECT_ID"].includes(name)),
      fc.option(fc.string(), { nil: undefined }),
    );
    fc.assert(
      fc.property(value, value, value, unrelated, (region, tenantId, projectId, others) => {
        const env: Record<string, string | undefined> = { ...others, HUAWEICLOUD_SDK_REGION: region, HUAWEICLOUD_SDK_DOMAIN_ID: tenantId, HUAWEICLOUD_SDK_PROJECT_ID: projectId };
        const set = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);
        expect(environmentSettings(env)).toEqual({ region: set(region), tenantId: set(tenantId), projectId: set(projectId) });
      }),
      { numRuns: 300 },
    );
  });

  test("reads process.env when given no env", () => {
    vi.stubEnv("HUAWEICLOUD_SDK_REGION", "ap-southeast-3");
    vi.stubEnv("HUAWEICLOUD_SDK_DOMAIN_ID", " ");
    expect(environmentSettings()).toMatchObject({ region: "ap-southeast-3", tenantId: undefined });
  });
});

describe("createClient: the region from env", () => {
  const checkRegions = Object.keys(REGION_HOSTS.check);

  test("property: HUAWEICLOUD_SDK_REGION of `env` picks the region's hosts; process.env is not read when `env` is given", async () => {
    vi.stubEnv("HUAWEICLOUD_SDK_REGION", "process-env-region-1");
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...checkRegions), async (region) => {
        const stub = createFetchStub(() => jsonResponse(200, example("ShowTenantPackageStatusOk")));
        const client = createClient({ env: isolated({ HUAWEICLOUD_SDK_REGION: region }), credentials: { token: TOKEN }, fetch: stub.fetch });
        await client.check.showTenantPackageStatus();
        expect(new URL(stub.requests[0]!.url).origin).toBe(REGION_HOSTS.check[region]);
      }),
      { numRuns: Math.min(20, checkRegions.length) },
    );
  });

  test("the region option wins over the environment's", async () => {
    const [envRegion, optionRegion] = checkRegions as [string, string];
    const stub = createFetchStub(() => jsonResponse(200, example("ShowTenantPackageStatusOk")));
    const client = createClient({ region: optionRegion, env: isolated({ HUAWEICLOUD_SDK_REGION: envRegion }), credentials: { token: TOKEN }, fetch: stub.fetch });
    await client.check.showTenantPackageStatus();
    expect(new URL(stub.requests[0]!.url).origin).toBe(REGION_HOSTS.check[optionRegion]);
  });

  test("property: a blank HUAWEICLOUD_SDK_REGION is no region: the first call fails before any request", async () => {
    await fc.assert(
      fc.asyncProperty(blank, async (region) => {
        const stub = createFetchStub();
        const env = isolated(region === undefined ? {} : { HUAWEICLOUD_SDK_REGION: region });
        const client = createClient({ env, credentials: { token: TOKEN }, fetch: stub.fetch });
        const error = await client.check.showTenantPackageStatus().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidParameterError);
        expect((error as Error).message).toContain("no region was given");
        expect(stub.requests).toHaveLength(0);
      }),
      { numRuns: 30 },
    );
  });
});

describe("createClient: the tenant ID from env", () => {
  const OTHER_TENANT = "0123456789abcdef0123456789abcdef";
  const CREDENTIALS_TENANT = "fedcba9876543210fedcba9876543210";
  const endpoints = { pipeline: "https://pipeline.example.test", iam: "https://iam.example.test" };

  function pipelineClient(options: { env: Env; tenantId?: string; credentials?: CredentialsProvider }) {
    const stub = createFetchStub((request) =>
      jsonResponse(200, new URL(request.url).pathname === "/v3/auth/domains" ? example("KeystoneListAuthDomainsOk") : example("ValidateTenantPackageIsExpiredOk")),
    );
    const client = createClient({ endpoints, credentials: { token: TOKEN }, fetch: stub.fetch, ...options });
    const tenantsAsked = async () => {
      await client.pipeline.validateTenantPackageIsExpired();
      return stub.requests.map((request) => new URL(request.url).pathname);
    };
    return tenantsAsked;
  }
  const countDown = (tenant: string) => `/v5/${tenant}/api/package-specs/count-down`;
  const withDomain: CredentialsProvider = async () => ({ token: TOKEN, domainId: CREDENTIALS_TENANT });

  test("HUAWEICLOUD_SDK_DOMAIN_ID of `env` is the tenant ID: IAM is not asked", async () => {
    vi.stubEnv("HUAWEICLOUD_SDK_DOMAIN_ID", OTHER_TENANT);
    expect(await pipelineClient({ env: isolated({ HUAWEICLOUD_SDK_DOMAIN_ID: TENANT_ID }) })()).toEqual([countDown(TENANT_ID)]);
  });

  test("the tenantId option wins over the environment's", async () => {
    expect(await pipelineClient({ env: isolated({ HUAWEICLOUD_SDK_DOMAIN_ID: OTHER_TENANT }), tenantId: TENANT_ID })()).toEqual([countDown(TENANT_ID)]);
  });

  test("the environment's wins over the credentials' domainId", async () => {
    expect(await pipelineClient({ env: isolated({ HUAWEICLOUD_SDK_DOMAIN_ID: TENANT_ID }), credentials: withDomain })()).toEqual([countDown(TENANT_ID)]);
  });

  test("a blank HUAWEICLOUD_SDK_DOMAIN_ID is unset: the credentials' domainId, else IAM", async () => {
    expect(await pipelineClient({ env: isolated({ HUAWEICLOUD_SDK_DOMAIN_ID: "  " }), credentials: withDomain })()).toEqual([countDown(CREDENTIALS_TENANT)]);
    const iamTenant = (example("KeystoneListAuthDomainsOk") as { domains: Array<{ id: string }> }).domains[0]!.id;
    expect(await pipelineClient({ env: isolated({ HUAWEICLOUD_SDK_DOMAIN_ID: "" }) })()).toEqual(["/v3/auth/domains", countDown(iamTenant)]);
  });
});

describe("CLIENT_DEFAULTS", () => {
  test("holds the documented defaults", () => {
    expect(CLIENT_DEFAULTS).toEqual({
      timeoutMs: 30_000,
      maxResponseBytes: 33_554_432,
      maxRetries: 2,
      retry: { initialDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 },
    });
  });

  const answering = (answer: Parameters<typeof createFetchStub>[0], options: Parameters<typeof createClient>[0] = {}) => {
    const stub = createFetchStub(answer);
    const client = createClient({ endpoints: { check: "https://check.example.test" }, credentials: { token: TOKEN }, fetch: stub.fetch, env: isolated(), ...options });
    return { client, stub };
  };
  const unavailable = (headers: Record<string, string> = { "retry-after-ms": "0" }) => () => jsonResponse(503, { error_code: "X.503", error_msg: "busy" }, headers);

  test("maxRetries left out: CLIENT_DEFAULTS.maxRetries retries, so one attempt more", async () => {
    const { client, stub } = answering(unavailable());
    await expect(client.check.showTenantPackageStatus()).rejects.toBeInstanceOf(InternalServerError);
    expect(stub.requests).toHaveLength(CLIENT_DEFAULTS.maxRetries + 1);
    const none = answering(unavailable(), { maxRetries: 0 });
    await expect(none.client.check.showTenantPackageStatus()).rejects.toBeInstanceOf(InternalServerError);
    expect(none.stub.requests).toHaveLength(1);
  });

  test("timeoutMs left out: an attempt times out after CLIENT_DEFAULTS.timeoutMs, not before", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let started!: () => void;
    const fetchStarted = new Promise<void>((resolve) => (started = resolve));
    const { client } = answering(
      (request) =>
        new Promise((_, reject) => {
          request.signal.addEventListener("abort", () => reject(request.signal.reason));
          started();
        }),
      { maxRetries: 0 },
    );
    let settled = false;
    const call = client.check.showTenantPackageStatus().then(
      () => undefined,
      (error: unknown) => error,
    );
    void call.finally(() => (settled = true));
    await fetchStarted;
    await vi.advanceTimersByTimeAsync(CLIENT_DEFAULTS.timeoutMs - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await call;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(CLIENT_DEFAULTS.timeoutMs);
  });

  test("retry left out: the first retry waits CLIENT_DEFAULTS.retry.initialDelayMs, less up to a quarter of jitter", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { client, stub } = answering(unavailable({}), { maxRetries: 1 });
    const call = client.check.showTenantPackageStatus().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(CLIENT_DEFAULTS.retry.initialDelayMs * 0.75 - 1);
    expect(stub.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(CLIENT_DEFAULTS.retry.initialDelayMs * 0.25 + 1);
    expect(await call).toBeInstanceOf(InternalServerError);
    expect(stub.requests).toHaveLength(2);
  });

  test("retry left out: a Retry-After over CLIENT_DEFAULTS.retry.maxRetryAfterMs ends the retries", async () => {
    const { client, stub } = answering(unavailable({ "retry-after-ms": String(CLIENT_DEFAULTS.retry.maxRetryAfterMs + 1) }));
    await expect(client.check.showTenantPackageStatus()).rejects.toBeInstanceOf(InternalServerError);
    expect(stub.requests).toHaveLength(1);
  });

  test("maxResponseBytes left out: a body of CLIENT_DEFAULTS.maxResponseBytes is read, one byte more is refused", async () => {
    const cap = CLIENT_DEFAULTS.maxResponseBytes;
    // A JSON body of exactly `cap` bytes, sent in 1 MiB chunks.
    const bytes = new Uint8Array(cap).fill(0x61);
    bytes.set(new TextEncoder().encode('{"pad":"'), 0);
    bytes.set(new TextEncoder().encode('"}'), cap - 2);
    const streamed = (extra: number) => () => {
      let offset = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset < cap) controller.enqueue(bytes.subarray(offset, (offset += 2 ** 20)));
          else {
            if (extra) controller.enqueue(new Uint8Array(extra).fill(0x20));
            controller.close();
          }
        },
      });
      return new Response(stream, { status: 200, headers: { "content-type": "application/json" } });
    };
    const exact = answering(streamed(0), { maxRetries: 0 });
    const body = (await exact.client.check.showTenantPackageStatus()) as unknown as { pad: string };
    expect(body.pad).toHaveLength(cap - 10);
    const over = answering(streamed(1), { maxRetries: 0 });
    const error = await over.client.check.showTenantPackageStatus().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).maxResponseBytes).toBe(cap);
  });
});

describe("endpointVariable", () => {
  test.each([
    ["check", "cn-north-4", "HUAWEICLOUD_SDK_REGION_CODEARTSCHECK_CN_NORTH_4"],
    ["artifact", "ap-southeast-3", "HUAWEICLOUD_SDK_REGION_CODEARTSARTIFACT_AP_SOUTHEAST_3"],
    ["pipeline", "cn-south-1", "HUAWEICLOUD_SDK_REGION_CODEARTSPIPELINE_CN_SOUTH_1"],
    ["iam", "la-north-2", "HUAWEICLOUD_SDK_REGION_IAM_LA_NORTH_2"],
  ] as const)("%s in %s is %s", (service, region, name) => {
    expect(endpointVariable(service, region)).toBe(name);
  });

  test("property: the variable it names is the one a client and resolveEndpoints read, for any service and region", async () => {
    const region = fc
      .tuple(fc.constantFrom("cn", "ap", "la", "af", "eu", "me", "tr"), fc.constantFrom("north", "south", "east", "west", "southeast"), fc.integer({ min: 1, max: 99 }))
      .map(([a, b, n]) => `${a}-${b}-${n}`);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SERVICES), region, async (service: Service, id) => {
        const url = `https://${service}.override.example.test/base`;
        const env = isolated({ [endpointVariable(service, id)]: url });
        expect((await resolveEndpoints({ region: id, env }))[service]).toEqual({ urls: [url], source: "environment" });
      }),
      { numRuns: 50 },
    );
  });
});

describe("resolveEndpoints", () => {
  test("with a region, lists each service's endpoints and where they came from", async () => {
    const resolved = await resolveEndpoints({ region: "cn-north-4", endpoints: { artifact: "https://artifact.example.test/" }, env: isolated() });
    expect(resolved.artifact).toEqual({ urls: ["https://artifact.example.test"], source: "option" });
    expect(resolved.check).toEqual({ urls: [...REGION_ENDPOINTS.check["cn-north-4"]!], source: "built-in table" });
    expect(KNOWN_REGIONS).toContain("cn-north-4");
  });

  test("takes the region from HUAWEICLOUD_SDK_REGION of env, as createClient does", async () => {
    const resolved = await resolveEndpoints({ env: isolated({ HUAWEICLOUD_SDK_REGION: "cn-north-4" }) });
    expect(resolved.check?.urls[0]).toBe(REGION_HOSTS.check["cn-north-4"]);
  });

  test("reads process.env when given no env, as createClient does", async () => {
    vi.stubEnv("HOME", home);
    vi.stubEnv(endpointVariable("check", "cn-north-4"), "https://check.from-process-env.example.test");
    const resolved = await resolveEndpoints({ region: "cn-north-4" });
    expect(resolved.check).toEqual({ urls: ["https://check.from-process-env.example.test"], source: "environment" });
  });
});
