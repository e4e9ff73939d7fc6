// The rest of the public API the refactor added or changed, through the public entry: the one
// request path (the `fetch` option is called with a Request and an init for every call;
// middleware sees `parseAs: "text"` for a JSON call), the package's exports, validateResponse and
// createRedactor.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import type { Middleware } from "openapi-fetch";
import { describe, expect, test } from "vitest";
import { createClient, createRedactor, REDACTED, SignerLoadError, SigningError, validateResponse } from "../src/index.js";
import * as api from "../src/index.js";
import { createFetchStub, jsonResponse } from "./support/fetch-stub.js";
import { example, PROJECT_ID } from "./support/fixtures.js";

describe("one request path", () => {
  function recordingClient() {
    const calls: Array<{ input: unknown; init: RequestInit | undefined }> = [];
    const stub = createFetchStub(() => jsonResponse(200, example("ShowTenantPackageStatusOk")));
    const client = createClient({
      endpoints: { check: "https://check.example.test" },
      credentials: { token: "one-path-token-0123456789" },
      fetch: (input, init) => {
        calls.push({ input, init });
        return stub.fetch(input, init);
      },
    });
    const parseAs: unknown[] = [];
    const middleware: Middleware = {
      onRequest({ options }) {
        parseAs.push(options.parseAs);
        return undefined;
      },
    };
    client.use(middleware);
    return { client, calls, parseAs };
  }

  test("the fetch option gets a Request and an init (headers, signal, redirect: manual) for resource methods and raw calls alike", async () => {
    const { client, calls } = recordingClient();
    await client.check.showTenantPackageStatus({ project_id: PROJECT_ID });
    await client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id: PROJECT_ID } } });
    expect(calls).toHaveLength(2);
    for (const { input, init } of calls) {
      expect(input).toBeInstanceOf(Request);
      expect((input as Request).url).toBe(`https://check.example.test/v4/tenant/tenant-package-status?project_id=${PROJECT_ID}`);
      expect(init).toMatchObject({ redirect: "manual" });
      expect(init?.signal).toBeInstanceOf(AbortSignal);
      expect(new Headers(init?.headers).get("x-auth-token")).toBe("one-path-token-0123456789");
    }
  });

  test("middleware sees parseAs: \"text\" for a JSON call, and the caller still gets the parsed body", async () => {
    const { client, parseAs } = recordingClient();
    await expect(client.check.showTenantPackageStatus()).resolves.toEqual(example("ShowTenantPackageStatusOk"));
    const raw = await client.GET("/v4/tenant/tenant-package-status");
    expect(raw.data).toEqual(example("ShowTenantPackageStatusOk"));
    const explicit = await client.GET("/v4/tenant/tenant-package-status", { parseAs: "json" });
    expect(explicit.data).toEqual(example("ShowTenantPackageStatusOk"));
    const text = await client.GET("/v4/tenant/tenant-package-status", { parseAs: "text" });
    expect(text.data).toBe(JSON.stringify(example("ShowTenantPackageStatusOk")));
    expect(parseAs).toEqual(["text", "text", "text", "text"]);
  });
});

describe("exports", () => {
  test("the package exports `.`, `./signer` and `./package.json` only: no ./internal/* entry", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { exports: Record<string, unknown> };
    expect(Object.keys(manifest.exports)).toEqual([".", "./signer", "./package.json"]);
  });

  test("the configuration API is exported from the entry", () => {
    for (const name of ["ENV_VARIABLES", "environmentSettings", "CLIENT_DEFAULTS", "cachedCredentials", "defaultCredentialChain", "endpointVariable", "resolveEndpoints", "createRedactor", "REDACTED", "validateResponse"]) {
      expect(api, name).toHaveProperty(name);
    }
  });

  test("SignerLoadError is still exported, as a SigningError, for code that names it", () => {
    expect(new SignerLoadError("never thrown")).toBeInstanceOf(SigningError);
  });
});

describe("validateResponse", () => {
  test("a documented example conforms: no issues", () => {
    expect(validateResponse("ShowTenantPackageStatus", 200, example("ShowTenantPackageStatusOk"))).toEqual([]);
    expect(validateResponse("ValidateTenantPackageIsExpired", 200, example("ValidateTenantPackageIsExpiredOk"))).toEqual([]);
    expect(validateResponse("KeystoneListAuthDomains", 200, example("KeystoneListAuthDomainsOk"))).toEqual([]);
  });

  test("a counter-example: each way it breaks the spec is an issue at its JSON pointer", () => {
    const documented = example("ShowTenantPackageStatusOk") as { result: Record<string, unknown> };
    const broken = { ...documented, result: { ...documented.result, securityPackageOpenStatus: "yes", main_resource_list: "none" } };
    const issues = validateResponse("ShowTenantPackageStatus", 200, broken);
    expect(issues.map((issue) => issue.path).sort()).toEqual(["/result/main_resource_list", "/result/securityPackageOpenStatus"]);
    for (const issue of issues) expect(issue.message).toMatch(/^must /);
  });

  test("an unknown operation is an error, not an empty list", () => {
    expect(() => validateResponse("NoSuchOperation", 200, {})).toThrow("unknown operation NoSuchOperation");
  });
});

describe("createRedactor", () => {
  const secretArb = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789+/=%\"\\ -"), minLength: 8, maxLength: 24 });
  const textArb = fc.string({ maxLength: 40 });

  test("property: no form of a secret survives in the text, the JSON-escaped or the percent-encoded one", () => {
    fc.assert(
      fc.property(secretArb, textArb, textArb, fc.constantFrom((s: string) => s, (s: string) => JSON.stringify(s).slice(1, -1), encodeURIComponent), (secret, before, after, form) => {
        const redact = createRedactor([secret]);
        const out = redact(`${before}${form(secret)}${after}`);
        expect(out).toContain(REDACTED);
        expect(out).not.toContain(secret);
        if (secret !== form(secret)) expect(out).not.toContain(form(secret));
      }),
      { numRuns: 300 },
    );
  });

  test("property: text holding no form of a secret is left as it is", () => {
    fc.assert(
      fc.property(secretArb, textArb, (secret, text) => {
        fc.pre(![secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)].some((form) => text.includes(form)));
        expect(createRedactor([secret])(text)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  test("redacts an object in place, keys and nested values too; values under 8 characters and non-strings are not secrets", () => {
    const secret = "redactor-public-secret-01";
    const value = { message: `said ${secret}`, nested: [{ [secret]: 1 }], short: "1234567" };
    expect(createRedactor([secret, "1234567", 12345678, undefined])(value)).toBe(value);
    expect(value).toEqual({ message: `said ${REDACTED}`, nested: [{ [REDACTED]: 1 }], short: "1234567" });
    expect(REDACTED).toBe("[REDACTED]");
  });
});
