// Provided credentials against the mock's gateway check, over real HTTP on 127.0.0.1: temporary
// keys from an ECS metadata service on loopback, and a profile file whose IAM project ID goes out
// as a signed X-Project-Id (the mock refuses one outside the signature, as the gateway does).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createClient, fromEcsMetadata, fromProfile } from "@codearts-package-status/client";
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { documentedOperation, metadataCredential, startEcsMetadataServer, type EcsMetadataServer } from "@codearts-package-status/test-support";

const PROFILE_AK = "PROFILEINTEGRATIONAK01";
const PROFILE_SK = "profile-integration-secret-key-0123456789";
const IAM_PROJECT_ID = "0123456789abcdef0123456789abcdef";
const check = documentedOperation("ShowTenantPackageStatus");
const projectId = String(check.parameters.find((p) => p.name === "project_id")?.example);

let mock: MockServer;
let metadata: EcsMetadataServer;
let dir: string;
beforeAll(async () => {
  const issued = metadataCredential(0);
  mock = await startMockServer({ port: 0, credentials: { accessKeys: { [issued.access]: issued.secret, [PROFILE_AK]: PROFILE_SK } } });
  metadata = await startEcsMetadataServer();
  dir = mkdtempSync(path.join(tmpdir(), "codearts-profile-"));
});
afterAll(async () => {
  await mock.close();
  await metadata.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fetch that records the headers of every attempt. */
function recording() {
  const sent: Headers[] = [];
  return { sent, fetch: (input: string | Request, init: RequestInit) => (sent.push(new Headers(init.headers)), globalThis.fetch(input, init)) };
}

describe("provided credentials against the mock's gateway check", () => {
  test("an ECS agency's temporary keys, with their security token, are accepted", async () => {
    const { sent, fetch } = recording();
    const client = createClient({ endpoints: { check: mock.url }, credentials: fromEcsMetadata({ endpoint: metadata.url }), fetch });
    const body = await client.check.showTenantPackageStatus({ project_id: projectId });
    expect(body).toEqual(check.examples.find((e) => e.status === "200")?.value);
    expect(sent[0]?.get("x-security-token")).toBe(metadataCredential(0).securitytoken);
  });

  test("a profile's IAM project ID goes out as X-Project-Id inside the signature, and the gateway accepts it", async () => {
    const file = path.join(dir, "credentials");
    writeFileSync(file, `[basic]\r\nak = ${PROFILE_AK}\r\nsk = ${PROFILE_SK}\r\nproject_id = ${IAM_PROJECT_ID}\r\n`);
    const { sent, fetch } = recording();
    const client = createClient({ endpoints: { check: mock.url }, credentials: fromProfile({ file }), fetch });
    await expect(client.check.showTenantPackageStatus({ project_id: projectId })).resolves.toBeDefined();
    expect(sent[0]?.get("x-project-id")).toBe(IAM_PROJECT_ID);
    expect(sent[0]?.get("authorization")).toMatch(/SignedHeaders=[^,]*x-project-id/);
  });
});
