// The `env` option of every credential provider and of the default chain: each reads the env it
// is given, never process.env, which every test fills with decoys (other keys, a HOME with another
// profile, the ECS metadata step pointed elsewhere). The ECS metadata service is an in-process
// fetch stub on a loopback address; 169.254.169.254 is never asked.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createClient, CredentialsError, defaultCredentialChain, fromEcsMetadata, fromEnv, fromProfile, type Env } from "../src/index.js";
import { createFetchStub, jsonResponse } from "./support/fetch-stub.js";
import { example } from "./support/fixtures.js";

const DECOY = { ak: "PROCESSENVACCESSKEY0", sk: "process-env-secret-key-0123456789", token: "process-env-token-0123456789" };
const ECS = "http://127.0.0.1:7";
const ECS_CREDENTIAL = { access: "ECSTEMPACCESSKEY0001", secret: "ecs-temporary-secret-0123456789", securitytoken: "ecs-security-token-0123456789abcdef" };

let dirs: string[] = [];
function homeWith(profile?: string): string {
  const home = mkdtempSync(path.join(tmpdir(), "codearts-env-home-"));
  dirs.push(home);
  if (profile !== undefined) {
    mkdirSync(path.join(home, ".huaweicloud"));
    writeFileSync(path.join(home, ".huaweicloud", "credentials"), profile);
  }
  return home;
}
const profile = (ak: string, sk: string, extra = "") => `[basic]\nak = ${ak}\nsk = ${sk}\n${extra}`;

/** The ECS metadata service, answered in process; `requests` are what it was asked. */
let metadata: ReturnType<typeof createFetchStub>;

beforeEach(() => {
  // Decoys: whatever reads process.env instead of the env it was given finds these.
  vi.stubEnv("HUAWEICLOUD_SDK_AK", DECOY.ak);
  vi.stubEnv("HUAWEICLOUD_SDK_SK", DECOY.sk);
  vi.stubEnv("HUAWEICLOUD_SDK_TOKEN", DECOY.token);
  vi.stubEnv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "");
  const decoyHome = homeWith(profile("PROFILEDECOYACCESSKEY", "profile-decoy-secret-key-0123"));
  vi.stubEnv("HOME", decoyHome);
  vi.stubEnv("USERPROFILE", decoyHome);
  vi.stubEnv("CODEARTS_ECS_METADATA_ENDPOINT", "http://127.0.0.1:9");
  vi.stubEnv("CODEARTS_ECS_METADATA_DISABLED", "");
  metadata = createFetchStub((request) => {
    const { pathname } = new URL(request.url);
    if (request.method === "PUT" && pathname === "/meta-data/latest/api/token") return new Response("session-token-1");
    if (pathname === "/openstack/latest/securitykey") return jsonResponse(200, { credential: { ...ECS_CREDENTIAL, expires_at: new Date(Date.now() + 86_400_000).toISOString() } });
    return new Response("not found", { status: 404 });
  });
  vi.stubGlobal("fetch", metadata.fetch);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe("fromEnv({ env })", () => {
  test("reads the env given, not process.env", async () => {
    const env = { HUAWEICLOUD_SDK_AK: "ENVOPTIONACCESSKEY01", HUAWEICLOUD_SDK_SK: "env-option-secret-key-0123", HUAWEICLOUD_SDK_PROJECT_ID: "iam-project-1", HUAWEICLOUD_SDK_DOMAIN_ID: "domain-1" };
    await expect(fromEnv({ env })()).resolves.toEqual({
      accessKey: "ENVOPTIONACCESSKEY01",
      secretKey: "env-option-secret-key-0123",
      projectId: "iam-project-1",
      domainId: "domain-1",
      source: "environment",
    });
    const error = await fromEnv({ env: {} })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).sources).toEqual(["environment (HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_TOKEN not set)"]);
  });

  test("reads it at each call", async () => {
    const env: Record<string, string> = { HUAWEICLOUD_SDK_TOKEN: "first-token-0123456789" };
    const provider = fromEnv({ env });
    await expect(provider()).resolves.toMatchObject({ token: "first-token-0123456789" });
    env.HUAWEICLOUD_SDK_TOKEN = "second-token-0123456789";
    await expect(provider()).resolves.toMatchObject({ token: "second-token-0123456789" });
  });

  test("property: blank variables are unset; a key pair wins over a token; half a pair is an error that stops a chain", async () => {
    const value = fc.oneof(fc.constant(undefined), fc.constantFrom("", " ", "\t\n"), fc.string({ unit: fc.constantFrom(..."ABCdef012-_"), minLength: 1, maxLength: 12 }));
    await fc.assert(
      fc.asyncProperty(value, value, value, async (ak, sk, token) => {
        const env: Env = { HUAWEICLOUD_SDK_AK: ak, HUAWEICLOUD_SDK_SK: sk, HUAWEICLOUD_SDK_TOKEN: token };
        const set = (v: string | undefined) => v !== undefined && v.trim() !== "";
        const outcome = await fromEnv({ env })().catch((error: unknown) => error);
        if (set(ak) && set(sk)) expect(outcome).toEqual({ accessKey: ak, secretKey: sk, source: "environment" });
        else if (set(ak) || set(sk)) expect((outcome as CredentialsError).message).toMatch(/is set but HUAWEICLOUD_SDK_(AK|SK) is not/);
        else if (set(token)) expect(outcome).toEqual({ token, source: "environment" });
        else expect((outcome as CredentialsError).message).toContain("not set");
      }),
      { numRuns: 200 },
    );
  });
});

describe("fromProfile({ env })", () => {
  test("finds ~/.huaweicloud/credentials under the env's HOME, not process.env's", async () => {
    const home = homeWith(profile("ENVHOMEACCESSKEY0001", "env-home-secret-key-0123", "project_id = iam-project-2\n[global]\ndomain_id = domain-2\n"));
    await expect(fromProfile({ env: { HOME: home } })()).resolves.toEqual({
      accessKey: "ENVHOMEACCESSKEY0001",
      secretKey: "env-home-secret-key-0123",
      projectId: "iam-project-2",
      domainId: "domain-2",
      source: `profile ${home}/.huaweicloud/credentials`,
    });
  });

  test("finds it under USERPROFILE when the env has no HOME (Windows)", async () => {
    const home = homeWith(profile("USERPROFILEACCESSKEY", "user-profile-secret-key-0123"));
    await expect(fromProfile({ env: { USERPROFILE: home } })()).resolves.toMatchObject({ accessKey: "USERPROFILEACCESSKEY" });
  });

  test("reads HUAWEICLOUD_SDK_CREDENTIALS_FILE from the env; the file option wins over it", async () => {
    const named = homeWith(profile("NAMEDFILEACCESSKEY01", "named-file-secret-key-0123"));
    const given = homeWith(profile("FILEOPTIONACCESSKEY1", "file-option-secret-key-0123"));
    const env = { HOME: homeWith(), HUAWEICLOUD_SDK_CREDENTIALS_FILE: path.join(named, ".huaweicloud", "credentials") };
    await expect(fromProfile({ env })()).resolves.toMatchObject({ accessKey: "NAMEDFILEACCESSKEY01" });
    await expect(fromProfile({ env, file: path.join(given, ".huaweicloud", "credentials") })()).resolves.toMatchObject({ accessKey: "FILEOPTIONACCESSKEY1" });
  });

  test("with an env whose HOME has no profile, finds nothing (the decoy HOME of process.env is not read)", async () => {
    const home = homeWith();
    const error = await fromProfile({ env: { HOME: home } })().catch((e: unknown) => e);
    expect((error as CredentialsError).sources).toEqual([`profile ${home}/.huaweicloud/credentials (no such file)`]);
  });
});

describe("fromEcsMetadata({ env })", () => {
  test("CODEARTS_ECS_METADATA_DISABLED=true of the env turns it off, though process.env does not", async () => {
    const error = await fromEcsMetadata({ env: { CODEARTS_ECS_METADATA_DISABLED: "true" } })().catch((e: unknown) => e);
    expect((error as CredentialsError).sources).toEqual(["ECS metadata (disabled by CODEARTS_ECS_METADATA_DISABLED)"]);
    expect(metadata.requests).toHaveLength(0);
  });

  test("asks CODEARTS_ECS_METADATA_ENDPOINT of the env, though process.env names another and disables it", async () => {
    vi.stubEnv("CODEARTS_ECS_METADATA_DISABLED", "true");
    await expect(fromEcsMetadata({ env: { CODEARTS_ECS_METADATA_ENDPOINT: ECS } })()).resolves.toMatchObject({
      accessKey: ECS_CREDENTIAL.access,
      securityToken: ECS_CREDENTIAL.securitytoken,
      source: "ECS metadata",
    });
    expect(metadata.requests.map((request) => `${request.method} ${request.url}`)).toEqual([`PUT ${ECS}/meta-data/latest/api/token`, `GET ${ECS}/openstack/latest/securitykey`]);
  });

  test("the endpoint option wins over the env, disabled or not", async () => {
    await expect(fromEcsMetadata({ endpoint: ECS, env: { CODEARTS_ECS_METADATA_DISABLED: "true", CODEARTS_ECS_METADATA_ENDPOINT: "http://127.0.0.1:9" } })()).resolves.toMatchObject({ source: "ECS metadata" });
    expect(new URL(metadata.requests[0]!.url).origin).toBe(ECS);
  });
});

describe("defaultCredentialChain({ env })", () => {
  test("environment first, then the profile, then the ECS metadata service, all read from env", async () => {
    const withProfile = homeWith(profile("CHAINPROFILEACCESSK1", "chain-profile-secret-key-01"));
    const both = { HOME: withProfile, HUAWEICLOUD_SDK_TOKEN: "chain-env-token-0123456789", CODEARTS_ECS_METADATA_ENDPOINT: ECS };
    await expect(defaultCredentialChain({ env: both })()).resolves.toMatchObject({ token: "chain-env-token-0123456789", source: "environment" });
    await expect(defaultCredentialChain({ env: { HOME: withProfile, CODEARTS_ECS_METADATA_ENDPOINT: ECS } })()).resolves.toMatchObject({ accessKey: "CHAINPROFILEACCESSK1" });
    expect(metadata.requests).toHaveLength(0);
    const ecs = await defaultCredentialChain({ env: { HOME: homeWith(), CODEARTS_ECS_METADATA_ENDPOINT: ECS } })();
    expect(ecs).toMatchObject({ accessKey: ECS_CREDENTIAL.access, source: "ECS metadata" });
    expect(ecs.expiresAt).toBeInstanceOf(Date);
  });

  test("with nothing anywhere, a CredentialsError names every place looked, in order, and no value", async () => {
    const home = homeWith();
    const error = await defaultCredentialChain({ env: { HOME: home, CODEARTS_ECS_METADATA_DISABLED: "true" } })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    const sources = [
      "environment (HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_TOKEN not set)",
      `profile ${home}/.huaweicloud/credentials (no such file)`,
      "ECS metadata (disabled by CODEARTS_ECS_METADATA_DISABLED)",
    ];
    expect((error as CredentialsError).sources).toEqual(sources);
    expect((error as CredentialsError).message).toBe(`No credentials: ${sources.join("; ")}`);
    for (const decoy of Object.values(DECOY)) expect((error as Error).message).not.toContain(decoy);
  });

  test("a source configured but broken stops the chain: the profile behind it is not used", async () => {
    const withProfile = homeWith(profile("CHAINPROFILEACCESSK1", "chain-profile-secret-key-01"));
    const error = await defaultCredentialChain({ env: { HOME: withProfile, HUAWEICLOUD_SDK_AK: "HALFAPAIRACCESSKEY01", CODEARTS_ECS_METADATA_DISABLED: "true" } })().catch((e: unknown) => e);
    expect((error as CredentialsError).sources).toEqual(["environment (HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is not)"]);
  });

  test("createClient without credentials uses the default chain on its env option", async () => {
    const api = createFetchStub(() => jsonResponse(200, example("ShowTenantPackageStatusOk")));
    const env = { HOME: homeWith(), HUAWEICLOUD_SDK_TOKEN: "client-env-token-0123456789", CODEARTS_ECS_METADATA_DISABLED: "true" };
    const client = createClient({ endpoints: { check: "https://check.example.test" }, env, fetch: api.fetch });
    await client.check.showTenantPackageStatus();
    expect(api.requests[0]!.headers.get("x-auth-token")).toBe("client-env-token-0123456789");
    const none = createClient({ endpoints: { check: "https://check.example.test" }, env: { HOME: homeWith(), CODEARTS_ECS_METADATA_DISABLED: "true" }, fetch: api.fetch });
    await expect(none.check.showTenantPackageStatus()).rejects.toBeInstanceOf(CredentialsError);
    expect(api.requests).toHaveLength(1);
  });
});
