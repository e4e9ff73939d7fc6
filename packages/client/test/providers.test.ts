// Credential providers (environment, profile file, ECS metadata, chains) and the client's cache
// of what they return, against temp files and loopback servers only. The ECS metadata step is
// always pointed at a loopback server or disabled: the test-support guard fails any test that
// reaches 169.254.169.254.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { metadataCredential, startEcsMetadataServer, startTestServer, type EcsMetadataServer, type ScriptedAnswer, type TestServer } from "@codearts-package-status/test-support";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import {
  CodeArtsError,
  createClient,
  credentialChain,
  CredentialsError,
  fromEcsMetadata,
  fromEnv,
  fromProfile,
  type CredentialsProvider,
  type ProvidedCredentials,
} from "../src/index.js";
import { parseIni } from "../src/auth/profile.js";
import { example, PROJECT_ID, SECRETS } from "./support/fixtures.js";

const HUAWEI_VARIABLES = [
  "HUAWEICLOUD_SDK_AK",
  "HUAWEICLOUD_SDK_SK",
  "HUAWEICLOUD_SDK_SECURITY_TOKEN",
  "HUAWEICLOUD_SDK_TOKEN",
  "HUAWEICLOUD_SDK_PROJECT_ID",
  "HUAWEICLOUD_SDK_DOMAIN_ID",
  "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
  "CODEARTS_ECS_METADATA_ENDPOINT",
];
const IAM_PROJECT_ID = "0123456789abcdef0123456789abcdef";
const DOMAIN_ID = "fedcba9876543210fedcba9876543210";

let home: string;
let api: TestServer;

beforeAll(async () => {
  api = await startTestServer(() => ({ status: 200, body: example("ShowTenantPackageStatusOk") as object }));
});
afterAll(() => api.close());

// Every test starts with no Huawei variable, an empty home and the metadata step disabled: a
// developer's own ~/.huaweicloud, variables or ECS never reach a test.
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), "codearts-home-"));
  vi.stubEnv("HOME", home);
  vi.stubEnv("USERPROFILE", home);
  for (const name of HUAWEI_VARIABLES) vi.stubEnv(name, "");
  vi.stubEnv("CODEARTS_ECS_METADATA_DISABLED", "true");
  api.requests.length = 0;
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
  rmSync(home, { recursive: true, force: true });
});

function writeProfile(text: string, file = path.join(home, ".huaweicloud", "credentials")): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<CredentialsError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a CredentialsError");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CredentialsError);
  expect(error).toBeInstanceOf(CodeArtsError);
  return error as CredentialsError;
}

const everyValue = Object.values(SECRETS);
function expectNoSecret(text: string): void {
  for (const value of [...everyValue, "profile-secret-key-0123456789", "ecs-temporary-secret-key"]) expect(text).not.toContain(value);
}

describe("fromEnv", () => {
  test("reads an access key pair, its security token, the IAM project ID and the domain ID", async () => {
    vi.stubEnv("HUAWEICLOUD_SDK_AK", SECRETS.accessKey);
    vi.stubEnv("HUAWEICLOUD_SDK_SK", SECRETS.secretKey);
    vi.stubEnv("HUAWEICLOUD_SDK_SECURITY_TOKEN", SECRETS.securityToken);
    vi.stubEnv("HUAWEICLOUD_SDK_PROJECT_ID", IAM_PROJECT_ID);
    vi.stubEnv("HUAWEICLOUD_SDK_DOMAIN_ID", DOMAIN_ID);
    await expect(fromEnv()()).resolves.toEqual({
      accessKey: SECRETS.accessKey,
      secretKey: SECRETS.secretKey,
      securityToken: SECRETS.securityToken,
      projectId: IAM_PROJECT_ID,
      domainId: DOMAIN_ID,
      source: "environment",
    });
  });

  test("reads an IAM token, and prefers an access key pair when both are set, as Huawei's SDKs do", async () => {
    vi.stubEnv("HUAWEICLOUD_SDK_TOKEN", SECRETS.token);
    await expect(fromEnv()()).resolves.toEqual({ token: SECRETS.token, source: "environment" });
    vi.stubEnv("HUAWEICLOUD_SDK_AK", SECRETS.accessKey);
    vi.stubEnv("HUAWEICLOUD_SDK_SK", SECRETS.secretKey);
    await expect(fromEnv()()).resolves.toMatchObject({ accessKey: SECRETS.accessKey });
  });

  test("reads the variables at each call, not when it is made", async () => {
    const provider = fromEnv();
    vi.stubEnv("HUAWEICLOUD_SDK_TOKEN", SECRETS.token);
    await expect(provider()).resolves.toMatchObject({ token: SECRETS.token });
  });

  test("with nothing set, fails naming the variables it read", async () => {
    const error = await failure(fromEnv()());
    expect(error.sources).toEqual(["environment (HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_TOKEN not set)"]);
  });

  test.each([
    ["HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK is not"],
    ["HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_AK is not"],
  ])("with only %s set, fails saying which half is missing, without its value", async (name, missing) => {
    vi.stubEnv(name, SECRETS.secretKey);
    const error = await failure(fromEnv()());
    expect(error.message).toContain(missing);
    expectNoSecret(`${error.message} ${JSON.stringify(error)}`);
  });
});

describe("parseIni", () => {
  test("reads sections, both separators, comments, blank lines, CRLF and a byte order mark", () => {
    const text = "\uFEFF; leading comment\r\n[Basic]\r\n  AK = AKBASIC0001  \r\nsk:sk=with:separators#and;marks\r\n\r\n# comment\r\n[global]\r\ndomain_id = d0\r\n";
    expect(parseIni(text)).toEqual({ "": {}, basic: { ak: "AKBASIC0001", sk: "sk=with:separators#and;marks" }, global: { domain_id: "d0" } });
  });

  test("names a line that is not INI by its number only, never its text", () => {
    expect(() => parseIni("[basic]\nak = A\nthis-line-holds-profile-secret-key-0123456789\n")).toThrow(/^line 3 is not/);
    try {
      parseIni("[basic]\nthis-line-holds-profile-secret-key-0123456789");
    } catch (error) {
      expect(String(error)).not.toContain("profile-secret-key");
    }
  });

  test("reads back any sections and values, whatever the line endings and spacing around them", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
    const value = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/);
    const space = fc.constantFrom("", " ", "  ", "\t");
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.dictionary(name, value, { maxKeys: 5 }), { maxKeys: 4 }),
        fc.constantFrom("\n", "\r\n"),
        space,
        space,
        fc.constantFrom("=", ":"),
        (sections, eol, before, after, separator) => {
          const text = Object.entries(sections)
            .map(([section, keys]) =>
              [`[${section}]`, "# a comment", ...Object.entries(keys).map(([key, v]) => `${before}${key}${before}${separator}${after}${v}${after}`)].join(eol),
            )
            .join(eol + eol);
          const parsed = parseIni(text);
          for (const [section, keys] of Object.entries(sections)) expect(parsed[section]).toEqual(keys);
        },
      ),
    );
  });
});

describe("fromProfile", () => {
  test("reads [basic] with its IAM project ID, and the tenant ID from [global] domain_id", async () => {
    const file = writeProfile(
      `[basic]\nak = ${SECRETS.accessKey}\nsk = ${SECRETS.secretKey}\nsecurity_token = ${SECRETS.securityToken}\nproject_id = ${IAM_PROJECT_ID}\n\n[global]\ndomain_id = ${DOMAIN_ID}\n`,
    );
    await expect(fromProfile()()).resolves.toEqual({
      accessKey: SECRETS.accessKey,
      secretKey: SECRETS.secretKey,
      securityToken: SECRETS.securityToken,
      projectId: IAM_PROJECT_ID,
      domainId: DOMAIN_ID,
      source: `profile ${file}`,
    });
  });

  test("falls back to the [global] keys when [basic] has none", async () => {
    const file = writeProfile(`[global]\r\nak = ${SECRETS.accessKey}\r\nsk = ${SECRETS.secretKey}\r\ndomain_id = ${DOMAIN_ID}\r\n`);
    await expect(fromProfile()()).resolves.toEqual({ accessKey: SECRETS.accessKey, secretKey: SECRETS.secretKey, domainId: DOMAIN_ID, source: `profile ${file}` });
  });

  test("reads the file named by the option before HUAWEICLOUD_SDK_CREDENTIALS_FILE before ~/.huaweicloud/credentials", async () => {
    writeProfile(`[basic]\nak = HOMEAK0001\nsk = ${SECRETS.secretKey}\n`);
    const fromVariable = writeProfile(`[basic]\nak = VARIABLEAK0001\nsk = ${SECRETS.secretKey}\n`, path.join(home, "variable", "credentials"));
    const fromOption = writeProfile(`[basic]\nak = OPTIONAK0001\nsk = ${SECRETS.secretKey}\n`, path.join(home, "option", "credentials"));
    await expect(fromProfile()()).resolves.toMatchObject({ accessKey: "HOMEAK0001" });
    vi.stubEnv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", fromVariable);
    await expect(fromProfile()()).resolves.toMatchObject({ accessKey: "VARIABLEAK0001", source: `profile ${fromVariable}` });
    await expect(fromProfile({ file: fromOption })()).resolves.toMatchObject({ accessKey: "OPTIONAK0001", source: `profile ${fromOption}` });
  });

  test("without the default file, finds nothing and says where it looked", async () => {
    const error = await failure(fromProfile()());
    expect(error.sources).toEqual([`profile ${path.join(home, ".huaweicloud", "credentials")} (no such file)`]);
  });

  test.each([
    ["a named file that does not exist", null, /cannot be read: ENOENT/],
    ["[basic] with an ak but no sk", `[basic]\nak = ${SECRETS.accessKey}\n`, /\[basic\] has ak but no sk/],
    ["a line that is not INI", `[basic]\nak ${SECRETS.accessKey} sk profile-secret-key-0123456789\n`, /line 2 is not/],
  ])("fails on %s, without a value", async (_label, text, reason) => {
    const file = path.join(home, "named", "credentials");
    if (text !== null) writeProfile(text, file);
    const error = await failure(fromProfile({ file })());
    expect(error.message).toMatch(reason);
    expectNoSecret(`${error.message} ${JSON.stringify(error)}`);
  });
});

describe("fromEcsMetadata", () => {
  let metadata: EcsMetadataServer | undefined;
  afterEach(async () => {
    await metadata?.close();
    metadata = undefined;
  });

  test("asks for a session token with a TTL, then the agency's temporary key with it", async () => {
    metadata = await startEcsMetadataServer();
    const credentials = await fromEcsMetadata({ endpoint: metadata.url })();
    const issued = metadataCredential(0);
    expect(credentials).toEqual({
      accessKey: issued.access,
      secretKey: issued.secret,
      securityToken: issued.securitytoken,
      expiresAt: expect.any(Date),
      source: "ECS metadata",
    });
    expect(Math.abs(credentials.expiresAt!.getTime() - (Date.now() + 24 * 3_600_000))).toBeLessThan(60_000);
    const [put, get] = metadata.requests;
    expect(put).toMatchObject({ method: "PUT", url: "/meta-data/latest/api/token", headers: { "x-metadata-token-ttl-seconds": "21600" } });
    expect(get).toMatchObject({ method: "GET", url: "/openstack/latest/securitykey", headers: { "x-metadata-token": expect.any(String) } });
  });

  test.each([404, 405, 503])("carries on without a session token when the token PUT answers %i", async (status) => {
    metadata = await startEcsMetadataServer({ tokenStatus: status });
    await expect(fromEcsMetadata({ endpoint: metadata.url })()).resolves.toMatchObject({ accessKey: metadataCredential(0).access });
    expect(metadata.requests[1]?.headers["x-metadata-token"]).toBeUndefined();
  });

  test("reads CODEARTS_ECS_METADATA_ENDPOINT when no endpoint is given, and finds nothing when CODEARTS_ECS_METADATA_DISABLED=true", async () => {
    metadata = await startEcsMetadataServer();
    vi.stubEnv("CODEARTS_ECS_METADATA_ENDPOINT", metadata.url);
    const error = await failure(fromEcsMetadata()());
    expect(error.sources).toEqual(["ECS metadata (disabled by CODEARTS_ECS_METADATA_DISABLED)"]);
    vi.stubEnv("CODEARTS_ECS_METADATA_DISABLED", "");
    await expect(fromEcsMetadata()()).resolves.toMatchObject({ source: "ECS metadata" });
  });

  test("without an agency (securitykey 404), says so without quoting the answer", async () => {
    metadata = await startEcsMetadataServer({ securityKeyStatus: 404 });
    const error = await failure(fromEcsMetadata({ endpoint: metadata.url })());
    expect(error.sources).toEqual([`ECS metadata ${metadata.url} (security key: HTTP 404, no agency bound to this ECS?)`]);
  });

  test("off ECS (no answer), gives up after its timeout", async () => {
    metadata = await startEcsMetadataServer({ hang: true });
    const started = performance.now();
    const error = await failure(fromEcsMetadata({ endpoint: metadata.url, timeoutMs: 300 })());
    expect(performance.now() - started).toBeLessThan(1500);
    expect(error.sources).toEqual([`ECS metadata ${metadata.url} (no answer within 300 ms)`]);
  });

  test("gives up at once on a refused connection", async () => {
    metadata = await startEcsMetadataServer();
    const { url } = metadata;
    await metadata.close();
    metadata = undefined;
    const error = await failure(fromEcsMetadata({ endpoint: url })());
    expect(error.sources).toEqual([`ECS metadata ${url} (ECONNREFUSED)`]);
  });

  test("refuses an answer without the credential, never quoting it", async () => {
    metadata = await startEcsMetadataServer({ credential: () => ({ ...metadataCredential(0), securitytoken: "" }) });
    const error = await failure(fromEcsMetadata({ endpoint: metadata.url })());
    expect(error.message).toContain("no credential.access, .secret and .securitytoken");
    expectNoSecret(error.message);
  });

  describe("an answer that is not what the service sends", () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });
    // No session tokens here (the PUT answers 404): the security key answer is the one under test.
    const serve = async (securityKey: (response: ServerResponse) => ScriptedAnswer | void): Promise<string> => {
      server = await startTestServer(({ method }, response) => (method === "PUT" ? { status: 404 } : securityKey(response)));
      return server.url;
    };

    test("a gzip body that inflates to 1 GiB is refused at the cap: within a second and a few MiB, saying it is too large", async () => {
      // 64 gzip members of 16 MiB of zeros each: about 1 MB sent, 1 GiB once inflated.
      const member = gzipSync(Buffer.alloc(16 * 2 ** 20), { level: 9 });
      const url = await serve(() => ({ status: 200, headers: { "content-encoding": "gzip" }, body: Buffer.concat(Array.from({ length: 64 }, () => member)) }));
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const started = performance.now();
      const error = await failure(credentialChain(fromEcsMetadata({ endpoint: url }))());
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(performance.now() - started).toBeLessThan(1000);
      expect((peak - before) / 2 ** 20).toBeLessThan(32);
      expect(error.sources).toEqual([`ECS metadata ${url} (security key: the answer is larger than 16 KiB)`]);
    });

    test("a body that drips in slower than the timeout fails at the timeout, saying so, and the chain says what went wrong", async () => {
      const url = await serve((response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.write('{"credential":');
        const drip = setInterval(() => response.write(" "), 50);
        response.on("close", () => clearInterval(drip));
      });
      const started = performance.now();
      const error = await failure(credentialChain(fromEnv(), fromEcsMetadata({ endpoint: url, timeoutMs: 300 }))());
      expect(performance.now() - started).toBeLessThan(1000);
      expect(error.sources.at(-1)).toBe(`ECS metadata ${url} (security key: the answer was not complete within 300 ms)`);
    });

    test("an answer that is not JSON says so, without quoting it", async () => {
      const url = await serve(() => ({ status: 200, headers: { "content-type": "text/html" }, body: `<html>${SECRETS.secretKey}</html>` }));
      const error = await failure(fromEcsMetadata({ endpoint: url })());
      expect(error.sources).toEqual([`ECS metadata ${url} (security key: the answer is not JSON)`]);
      expectNoSecret(error.message);
    });

    test("a session token over the cap is refused too", async () => {
      server = await startTestServer(() => ({ status: 200, headers: { "content-type": "text/plain" }, body: "t".repeat(17 * 1024) }));
      const error = await failure(fromEcsMetadata({ endpoint: server.url })());
      expect(error.sources).toEqual([`ECS metadata ${server.url} (session token: the answer is larger than 16 KiB)`]);
    });
  });

  test.each([
    ["the endpoint option", { endpoint: "http://user:s3cret-pa55@127.0.0.1:9" }, "the endpoint option must not contain a user name or password"],
    ["CODEARTS_ECS_METADATA_ENDPOINT", { env: { CODEARTS_ECS_METADATA_ENDPOINT: "http://127.0.0.1:9/?s3cret-pa55" } }, "CODEARTS_ECS_METADATA_ENDPOINT must not contain a query or fragment"],
    ["CODEARTS_ECS_METADATA_ENDPOINT", { env: { CODEARTS_ECS_METADATA_ENDPOINT: "http://u:s3cret-pa55@[::1" } }, "CODEARTS_ECS_METADATA_ENDPOINT must be an http or https URL"],
  ])("a malformed endpoint in %s is named, never quoted", async (_, options, problem) => {
    const error = await failure(fromEcsMetadata(options)());
    expect(error.sources).toEqual([`ECS metadata (${problem})`]);
  });
});

describe("credentialChain", () => {
  const give = (value: ProvidedCredentials): CredentialsProvider => async () => value;

  test("returns the first provider's credentials, never asking the later ones", async () => {
    const later = vi.fn(give({ token: "later-token-0123456789" }));
    await expect(credentialChain(give({ token: SECRETS.token, source: "first" }), later)()).resolves.toEqual({ token: SECRETS.token, source: "first" });
    expect(later).not.toHaveBeenCalled();
  });

  test("goes on past sources that find nothing, and lists every place looked when none does", async () => {
    const error = await failure(credentialChain(fromEnv(), fromProfile(), fromEcsMetadata())());
    expect(error.sources).toEqual([
      "environment (HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_TOKEN not set)",
      `profile ${path.join(home, ".huaweicloud", "credentials")} (no such file)`,
      "ECS metadata (disabled by CODEARTS_ECS_METADATA_DISABLED)",
    ]);
    expect(error.message).toBe(`No credentials: ${error.sources.join("; ")}`);
  });

  test("stops at a source that is configured but broken, rather than use the next one", async () => {
    vi.stubEnv("HUAWEICLOUD_SDK_AK", SECRETS.accessKey);
    const next = vi.fn(give({ token: SECRETS.token }));
    const error = await failure(credentialChain(fromEnv(), next)());
    expect(error.message).toContain("HUAWEICLOUD_SDK_SK is not");
    expect(next).not.toHaveBeenCalled();
  });

  test("goes on past a provider of the caller's that throws anything, without repeating its message", async () => {
    const error = await failure(
      credentialChain(async () => {
        throw new TypeError(`boom ${SECRETS.secretKey}`);
      })(),
    );
    expect(error.sources).toEqual(["provider 1 (failed: TypeError)"]);
    expect(error.message).not.toContain(SECRETS.secretKey);
  });
});

describe("createClient with a provider", () => {
  test("without credentials, uses the default chain in Huawei's order: environment, then profile, then ECS metadata", async () => {
    const metadata = await startEcsMetadataServer();
    try {
      vi.stubEnv("CODEARTS_ECS_METADATA_DISABLED", "");
      vi.stubEnv("CODEARTS_ECS_METADATA_ENDPOINT", metadata.url);
      const call = async () => {
        api.requests.length = 0;
        await createClient({ endpoints: { check: api.url } }).check.showTenantPackageStatus({ project_id: PROJECT_ID });
        return api.requests[0]!.headers;
      };
      expect((await call()).authorization).toContain(`Access=${metadataCredential(0).access},`);
      writeProfile(`[basic]\nak = PROFILEAK0001\nsk = profile-secret-key-0123456789\n`);
      expect((await call()).authorization).toContain("Access=PROFILEAK0001,");
      vi.stubEnv("HUAWEICLOUD_SDK_TOKEN", SECRETS.token);
      expect((await call())["x-auth-token"]).toBe(SECRETS.token);
      expect(metadata.issued()).toBe(1);
    } finally {
      await metadata.close();
    }
  });

  test("with no credentials anywhere, a call fails with a CredentialsError naming every place looked, before any request", async () => {
    const error = await failure(createClient({ endpoints: { check: api.url } }).check.showTenantPackageStatus({ project_id: PROJECT_ID }));
    expect(error.sources).toHaveLength(3);
    expect(api.requests).toHaveLength(0);
  });

  test("asks the provider once for many calls, and concurrent first calls share that one call", async () => {
    let calls = 0;
    const provider: CredentialsProvider = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { token: SECRETS.token };
    };
    const client = createClient({ endpoints: { check: api.url }, credentials: provider });
    await Promise.all(Array.from({ length: 10 }, () => client.check.showTenantPackageStatus({ project_id: PROJECT_ID })));
    await client.check.showTenantPackageStatus({ project_id: PROJECT_ID });
    expect(calls).toBe(1);
    expect(api.requests.map((r) => r.headers["x-auth-token"])).toEqual(Array(11).fill(SECRETS.token));
  });

  test("refreshes ahead of expiry in the background, and never sends expired credentials", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.parse("2026-12-03T12:00:00Z");
    vi.setSystemTime(start);
    let issued = 0;
    let gate: Promise<void> = Promise.resolve();
    const provider: CredentialsProvider = async () => {
      await gate;
      issued++;
      return { accessKey: `ROTATINGAK${issued}XXXX`, secretKey: SECRETS.secretKey, expiresAt: new Date(Date.now() + 6 * 3_600_000) };
    };
    const client = createClient({ endpoints: { check: api.url }, credentials: provider });
    const accessKeyOfLastRequest = async () => {
      await client.check.showTenantPackageStatus({ project_id: PROJECT_ID });
      return /Access=([^,]+)/.exec(String(api.requests.at(-1)!.headers.authorization))![1];
    };
    expect(await accessKeyOfLastRequest()).toBe("ROTATINGAK1XXXX");
    // 6 h lifetime: refreshed when less than min(2 h, 3 h) is left, i.e. from 4 h on.
    vi.setSystemTime(start + 3.9 * 3_600_000);
    expect(await accessKeyOfLastRequest()).toBe("ROTATINGAK1XXXX");
    expect(issued).toBe(1);
    // Past the refresh point, still valid: the request goes out with the current key while a new one is fetched.
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    vi.setSystemTime(start + 4.1 * 3_600_000);
    expect(await accessKeyOfLastRequest()).toBe("ROTATINGAK1XXXX");
    open();
    await vi.waitFor(() => expect(issued).toBe(2));
    expect(await accessKeyOfLastRequest()).toBe("ROTATINGAK2XXXX");
    // Within a minute of expiry, no request leaves with the old key: the call waits for a new one.
    gate = new Promise((resolve) => (open = resolve));
    vi.setSystemTime(start + 4.1 * 3_600_000 + 6 * 3_600_000 - 30_000);
    const pending = accessKeyOfLastRequest();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.requests.filter((r) => String(r.headers.authorization).includes("ROTATINGAK2XXXX"))).toHaveLength(1);
    open();
    expect(await pending).toBe("ROTATINGAK3XXXX");
  });

  test("fails with a CredentialsError when the provider returns credentials that have expired", async () => {
    const client = createClient({ endpoints: { check: api.url }, credentials: async () => ({ token: SECRETS.token, source: "test", expiresAt: new Date(Date.now() - 1000) }) });
    const error = await failure(client.check.showTenantPackageStatus({ project_id: PROJECT_ID }));
    expect(error.message).toMatch(/^No credentials: test \(expired at /);
    expect(api.requests).toHaveLength(0);
  });

  test.each([
    ["an access key with a comma", { accessKey: "AK,INJECTED", secretKey: SECRETS.secretKey }, /credentials\.accessKey: must not contain a comma/],
    ["a token with a line break", { token: `${SECRETS.token}\r\nX-Evil: 1` }, /credentials\.token: must be printable ASCII/],
    ["an IAM project ID with a space", { accessKey: SECRETS.accessKey, secretKey: SECRETS.secretKey, projectId: "a b" }, /credentials\.projectId/],
    ["no credentials at all", {}, /credentials\.accessKey: must be a non-empty string/],
  ])("checks what a provider returns as it checks static credentials: %s is a CredentialsError without the value", async (_label, credentials, reason) => {
    const client = createClient({ endpoints: { check: api.url }, credentials: async () => credentials as ProvidedCredentials });
    const error = await failure(client.check.showTenantPackageStatus({ project_id: PROJECT_ID }));
    expect(error.message).toMatch(reason);
    expectNoSecret(error.message);
    expect(api.requests).toHaveLength(0);
  });

  test("a provider that throws anything becomes a CredentialsError, its message not repeated", async () => {
    const client = createClient({
      endpoints: { check: api.url },
      credentials: async () => {
        throw new Error(`could not read ${SECRETS.secretKey}`);
      },
    });
    const error = await failure(client.check.showTenantPackageStatus({ project_id: PROJECT_ID }));
    expect(error.message).toBe("No credentials: the credentials provider (failed: Error)");
  });

  test("signs X-Project-Id with an access key pair when the IAM project ID is known, and never sends it with a token", async () => {
    await createClient({ endpoints: { check: api.url }, credentials: async () => ({ accessKey: SECRETS.accessKey, secretKey: SECRETS.secretKey, projectId: IAM_PROJECT_ID }) }).check.showTenantPackageStatus({
      project_id: PROJECT_ID,
    });
    const signed = api.requests[0]!.headers;
    expect(signed["x-project-id"]).toBe(IAM_PROJECT_ID);
    expect(/SignedHeaders=([^,]+)/.exec(String(signed.authorization))![1]!.split(";")).toContain("x-project-id");
    await createClient({ endpoints: { check: api.url }, credentials: async () => ({ token: SECRETS.token, projectId: IAM_PROJECT_ID }) }).check.showTenantPackageStatus({ project_id: PROJECT_ID });
    expect(api.requests[1]!.headers["x-project-id"]).toBeUndefined();
  });

  test("redacts what a server echoes of provided credentials, the ones from before a refresh and after", async () => {
    const echo = await startTestServer((request) => ({ status: 401, body: { error_code: "APIG.0301", error_msg: `echo ${String(request.headers.authorization)} ${String(request.headers["x-security-token"])}` } }));
    try {
      let issued = 0;
      const client = createClient({
        endpoints: { check: echo.url },
        maxRetries: 0,
        credentials: async () => {
          issued++;
          return { accessKey: `ECHOEDACCESSKEY${issued}`, secretKey: SECRETS.secretKey, securityToken: `echoed-security-token-${issued}-0123456789`, expiresAt: new Date(Date.now() + 61_000 + (issued === 1 ? 0 : 3_600_000)) };
        },
      });
      const first = (await client.check.showTenantPackageStatus({ project_id: PROJECT_ID }).catch((e: unknown) => e)) as Error;
      expect(first.message).not.toContain("ECHOEDACCESSKEY1");
      expect(first.message).not.toContain("echoed-security-token-1");
      expect(first.message).toContain("[REDACTED]");
      // The first credentials expire within a minute of now + 1 s: the next call gets new ones.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const second = (await client.check.showTenantPackageStatus({ project_id: PROJECT_ID }).catch((e: unknown) => e)) as Error;
      expect(issued).toBe(2);
      expect(second.message).not.toContain("ECHOEDACCESSKEY2");
      expect(second.message).not.toContain("echoed-security-token-2");
    } finally {
      await echo.close();
    }
  });

  test("redacts the credentials in use and the ones just before, not every one ever issued: the redactor stays the same size however often they are refreshed", async () => {
    const issued: string[] = [];
    // Echoes every access key ever issued, as a log that grows would.
    const echo = await startTestServer(() => ({ status: 401, body: { error_code: "APIG.0301", error_msg: `seen ${issued.join(" ")}` } }));
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const client = createClient({
        endpoints: { check: echo.url },
        maxRetries: 0,
        credentials: async () => {
          issued.push(`ROTATEDACCESSKEY${String(issued.length).padStart(4, "0")}`);
          return { accessKey: issued.at(-1)!, secretKey: SECRETS.secretKey, securityToken: `rotated-security-token-${issued.length}`, expiresAt: new Date(Date.now() + 61_000) };
        },
      });
      let message = "";
      for (let refresh = 0; refresh < 50; refresh++) {
        message = ((await client.check.showTenantPackageStatus().catch((e: unknown) => e)) as Error).message;
        // Within a minute of expiry: the next call must get new ones.
        vi.setSystemTime(Date.now() + 2_000);
      }
      expect(issued).toHaveLength(50);
      expect(message).not.toContain(issued[49]);
      expect(message).not.toContain(issued[48]);
      expect(message).toContain(issued[47]);
      expect(message.match(/\[REDACTED\]/g)).toHaveLength(2);
    } finally {
      vi.useRealTimers();
      await echo.close();
    }
  });

  test("rejects credentials that are neither an object nor a provider at createClient", () => {
    expect(() => createClient({ endpoints: { check: api.url }, credentials: "token" as never })).toThrow(/Invalid credentials/);
  });
});
