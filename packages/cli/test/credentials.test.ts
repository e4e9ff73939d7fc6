// Where the command finds credentials, end to end: flags, variables, the profile file and an ECS
// metadata service, all on 127.0.0.1, against the mock's gateway check. runCli gives every run an
// empty HOME and CODEARTS_ECS_METADATA_DISABLED=true unless a test says otherwise, and loads the
// test-support guard that refuses 169.254.169.254.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { metadataCredential, parameterExample, startEcsMetadataServer, type EcsMetadataServer } from "@codearts-package-status/test-support";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ANSWERED, runCli, withoutVerdict } from "./support/cli.js";

const UNKNOWN = 3;
const ECS = metadataCredential(0);
const PROFILE_AK = "PROFILECLIACCESSKEY01";
const PROFILE_SK = "profile-cli-secret-key-0123456789abcdef";
const ENV_AK = "ENVIRONMENTCLIACCESSKEY1";
const ENV_SK = "environment-cli-secret-key-0123456789";
const FLAG_TOKEN = "flag-token-0123456789-never-printed";
const IAM_PROJECT_ID = "0123456789abcdef0123456789abcdef";
const SECRETS = [ECS.secret, ECS.securitytoken, PROFILE_SK, ENV_SK, FLAG_TOKEN];
const ids = ["--project-id", String(parameterExample("ProjectId")), "--tenant-id", String(parameterExample("TenantId"))];

let mock: MockServer;
let endpoints: string[];
let metadata: EcsMetadataServer;
let home: string;

beforeAll(async () => {
  mock = await startMockServer({
    host: "127.0.0.1",
    port: 0,
    // The metadata service hands out a new key pair at each request: the first twenty are known.
    credentials: {
      accessKeys: {
        ...Object.fromEntries(Array.from({ length: 20 }, (_, index) => [metadataCredential(index).access, metadataCredential(index).secret])),
        [PROFILE_AK]: PROFILE_SK,
        [ENV_AK]: ENV_SK,
      },
    },
  });
  endpoints = ["--endpoint-artifact", mock.url, "--endpoint-check", mock.url, "--endpoint-pipeline", mock.url, "--endpoint-iam", mock.url];
  metadata = await startEcsMetadataServer();
});
afterAll(async () => {
  await mock.close();
  await metadata.close();
});
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), "codearts-cli-credentials-"));
  mock.requests.length = 0;
  metadata.requests.length = 0;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** The metadata service on loopback, in place of 169.254.169.254. */
const onEcs = (url = metadata.url) => ({ CODEARTS_ECS_METADATA_DISABLED: "", CODEARTS_ECS_METADATA_ENDPOINT: url });

// Readable by its owner only, as hcloud writes it: one others can read gets a warning line.
function writeProfile(text: string, file = path.join(home, ".huaweicloud", "credentials")): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe("credentials found by the command", () => {
  it("on an ECS with an agency, codearts-package-status --region cn-north-4 alone reports: keys from the metadata service, tenant from IAM", async () => {
    // Huawei's own override variables stand in for the region's real hosts, which a test must never dial.
    const hosts = Object.fromEntries(["CODEARTSARTIFACT", "CODEARTSCHECK", "CODEARTSPIPELINE", "IAM"].map((service) => [`HUAWEICLOUD_SDK_REGION_${service}_CN_NORTH_4`, mock.url]));
    const { code, stdout, stderr } = await runCli(["--region", "cn-north-4", "--json", "--verbose"], { ...onEcs(), ...hosts });
    expect(ANSWERED).toContain(code);
    expect(stderr).toContain("codearts-package-status: credentials from ECS metadata\n");
    expect(stderr).toContain("codearts-package-status: tenant ID from IAM (KeystoneListAuthDomains)\n");
    const report = JSON.parse(stdout) as { errors: unknown[]; packages: unknown[]; sources: { endpoints: Array<{ source: string }> } };
    expect(report.errors).toEqual([]);
    expect(report.packages.length).toBeGreaterThan(0);
    expect(report.sources.endpoints.map((e) => e.source)).toEqual(["environment", "environment", "environment", "environment"]);
    expect(mock.requests.map((r) => r.operationId).sort()).toEqual(["KeystoneListAuthDomains", "ShowPackageInfo", "ShowTenantPackageStatus", "ValidateTenantPackageIsExpired"]);
    expect(mock.requests.every((r) => r.headerNames.includes("x-security-token"))).toBe(true);
    expectNoSecret(stdout + stderr);
  });

  it("on an ECS with an agency, with only --region and the IDs: the metadata service's temporary keys are used", async () => {
    const { code, stdout, stderr } = await runCli(["--region", "cn-north-4", ...ids, ...endpoints, "--verbose", "--json"], onEcs());
    expect(ANSWERED).toContain(code);
    expect(withoutVerdict(stderr)).toBe(
      [
        "credentials from ECS metadata",
        "tenant ID from command line",
        "CodeArts Artifact endpoint in cn-north-4 from command line",
        "CodeArts Check endpoint in cn-north-4 from command line",
        "CodeArts Pipeline endpoint in cn-north-4 from command line",
      ].map((line) => `codearts-package-status: ${line}\n`).join(""),
    );
    const report = JSON.parse(stdout) as { errors: unknown[]; packages: unknown[]; sources: unknown };
    expect(report.errors).toEqual([]);
    expect(report.packages.length).toBeGreaterThan(0);
    expect(report.sources).toEqual({
      credentials: "ECS metadata",
      tenantId: "command line",
      endpoints: ["artifact", "check", "pipeline"].map((service) => ({ region: "cn-north-4", service, source: "command line" })),
    });
    expect(metadata.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["PUT /meta-data/latest/api/token", "GET /openstack/latest/securitykey"]);
    expect(mock.requests.length).toBe(3);
    expect(mock.requests.every((r) => r.headerNames.includes("x-security-token"))).toBe(true);
    expectNoSecret(stdout + stderr);
  });

  it("with ~/.huaweicloud/credentials: its [basic] keys, and its project_id as a signed X-Project-Id the gateway accepts", async () => {
    const file = writeProfile(`# written by hcloud\r\n[basic]\r\nak = ${PROFILE_AK}\r\nsk = ${PROFILE_SK}\r\nproject_id = ${IAM_PROJECT_ID}\r\n`);
    const { code, stdout, stderr } = await runCli(["--region", "cn-north-4", ...ids, ...endpoints, "--verbose", "--json"], { HOME: home });
    expect(ANSWERED).toContain(code);
    expect(withoutVerdict(stderr)).toMatch(new RegExp(`^codearts-package-status: credentials from profile ${escapeRegExp(file)}\ncodearts-package-status: tenant ID from command line\n(codearts-package-status: CodeArts \\w+ endpoint in cn-north-4 from command line\n){3}$`));
    expect((JSON.parse(stdout) as { errors: unknown[]; sources: unknown }).errors).toEqual([]);
    expect(mock.requests.length).toBe(3);
    expect(mock.requests.every((r) => r.headerNames.includes("x-project-id"))).toBe(true);
    expectNoSecret(stdout + stderr);
  });

  it("reads the profile file HUAWEICLOUD_SDK_CREDENTIALS_FILE names", async () => {
    const file = writeProfile(`[global]\nak = ${PROFILE_AK}\nsk = ${PROFILE_SK}\n`, path.join(home, "elsewhere.ini"));
    const { code, stderr } = await runCli(["--region", "cn-north-4", ...ids, ...endpoints, "--verbose"], { HUAWEICLOUD_SDK_CREDENTIALS_FILE: file });
    expect(ANSWERED).toContain(code);
    expect(withoutVerdict(stderr)).toMatch(new RegExp(`^codearts-package-status: credentials from profile ${escapeRegExp(file)}\ncodearts-package-status: tenant ID from command line\n(codearts-package-status: CodeArts \\w+ endpoint in cn-north-4 from command line\n){3}$`));
  });

  it("sends HUAWEICLOUD_SDK_PROJECT_ID as a signed X-Project-Id with an access key pair from the variables", async () => {
    const { code } = await runCli(["--region", "cn-north-4", ...ids, ...endpoints], { HUAWEICLOUD_SDK_AK: ENV_AK, HUAWEICLOUD_SDK_SK: ENV_SK, HUAWEICLOUD_SDK_PROJECT_ID: IAM_PROJECT_ID });
    expect(ANSWERED).toContain(code);
    expect(mock.requests.every((r) => r.headerNames.includes("x-project-id"))).toBe(true);
  });

  it("takes the first source in order: flags, then variables, then the profile, then the ECS", async () => {
    writeProfile(`[basic]\nak = ${PROFILE_AK}\nsk = ${PROFILE_SK}\n`);
    const everywhere = { ...onEcs(), HOME: home, HUAWEICLOUD_SDK_AK: ENV_AK, HUAWEICLOUD_SDK_SK: ENV_SK };
    const sourceOf = async (args: string[], env: Record<string, string>) => {
      const { stderr } = await runCli(["--region", "cn-north-4", ...ids, ...endpoints, "--verbose", ...args], env);
      return /credentials from (.*)\n/.exec(stderr)?.[1];
    };
    expect(await sourceOf(["--token", FLAG_TOKEN], everywhere)).toBe("command line");
    expect(await sourceOf([], everywhere)).toBe("environment");
    const { HUAWEICLOUD_SDK_AK: _ak, HUAWEICLOUD_SDK_SK: _sk, ...withoutVariables } = everywhere;
    expect(await sourceOf([], withoutVariables)).toBe(`profile ${path.join(home, ".huaweicloud", "credentials")}`);
    expect(metadata.requests).toEqual([]);
    expect(await sourceOf([], onEcs())).toBe("ECS metadata");
    expect(metadata.requests).toHaveLength(2);
  });

  it("several regions in one run share the ECS agency's keys: the metadata service is asked once", async () => {
    const { code, stderr } = await runCli(["--region", "cn-north-4,cn-south-1", ...ids, ...endpoints], onEcs());
    expect(withoutVerdict(stderr)).toBe("");
    expect(ANSWERED).toContain(code);
    expect(mock.requests.length).toBe(6);
    expect(metadata.requests.map((r) => r.method)).toEqual(["PUT", "GET"]);
  });

  it("off an ECS with no credentials anywhere: fails within a few seconds, in one line naming every place looked", async () => {
    // A metadata service that never answers, as 169.254.169.254 is off an ECS.
    const silent = await startEcsMetadataServer({ hang: true });
    try {
      const started = performance.now();
      const { code, stdout, stderr } = await runCli(["--region", "cn-north-4", ...ids, ...endpoints], { ...onEcs(silent.url), HOME: home });
      const seconds = (performance.now() - started) / 1000;
      expect(code).toBe(UNKNOWN);
      expect(stdout).toBe("");
      expect(stderr.split("\n")).toEqual([
        `codearts-package-status: no credentials: pass --access-key and --secret-key, or --token; looked in: environment (HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_TOKEN not set); profile ${path.join(home, ".huaweicloud", "credentials")} (no such file); ECS metadata ${silent.url} (no answer within 1000 ms)`,
        "",
      ]);
      expect(seconds).toBeLessThan(4);
      expect(mock.requests).toEqual([]);
    } finally {
      await silent.close();
    }
  });

  it("a profile key pair the gateway refuses: the hint names the file, not variables never set", async () => {
    const file = writeProfile(`[basic]\nak = UNKNOWNPROFILEAK0001\nsk = ${PROFILE_SK}\n`);
    const { code, stderr } = await runCli(["--region", "cn-north-4", ...ids, ...endpoints], { HOME: home });
    expect(code).toBe(UNKNOWN);
    expect(stderr).toContain(`hint: check ak and sk (and security_token for temporary credentials, which expire) in ${file}`);
    expect(stderr).not.toContain("HUAWEICLOUD_SDK_AK");
    expectNoSecret(stderr);
  });

  it("a profile with an ak and no sk stops the search: the mistake is named, the ECS is not asked", async () => {
    const file = writeProfile(`[basic]\nak = ${PROFILE_AK}\n`);
    const { code, stderr } = await runCli(["--region", "cn-north-4", ...ids, ...endpoints], { ...onEcs(), HOME: home });
    expect(code).toBe(UNKNOWN);
    expect(stderr).toContain(`profile ${file} ([basic] has ak but no sk)`);
    expect(metadata.requests).toEqual([]);
  });
});
