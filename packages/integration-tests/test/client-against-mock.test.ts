// The client and the mock server meet over real HTTP on 127.0.0.1: every documented example
// of every operation comes back exactly, with an IAM token and with AK/SK signatures that the
// mock verifies the way the API Gateway does.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ApiError, AuthenticationError, createClient, InvalidParameterError, type Credentials } from "@codearts-package-status/client";
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { documentedOperations, type Json } from "@codearts-package-status/test-support";

const ACCESS_KEY = "INTEGRATIONAK000001";
const SECRET_KEY = "integration-secret-key-0123456789";
const CREDENTIALS: [string, Credentials][] = [
  ["an IAM token", { token: "integration-token" }],
  ["AK/SK signing", { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }],
  ["AK/SK signing with a security token", { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, securityToken: "integration-security-token" }],
];

/** One documented example, with what it takes to ask the client for it. */
interface DocumentedResponse {
  operationId: string;
  /** The client's resource (the operation's tag) and method (its operationId, camelCased). */
  service: string;
  method: string;
  /** The operation's parameters, each set to its documented example. */
  parameters: Record<string, Json>;
  status: number;
  name: string;
  value: Json;
}

const operations = documentedOperations();
const documented: DocumentedResponse[] = operations.flatMap((op) =>
  op.examples.map((example) => ({
    operationId: op.operationId,
    service: op.tag,
    method: op.operationId[0]!.toLowerCase() + op.operationId.slice(1),
    parameters: Object.fromEntries(op.parameters.flatMap((p) => (p.example === undefined ? [] : [[p.name, p.example]]))),
    status: Number(example.status),
    name: example.name,
    value: example.value,
  })),
);

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, credentials: { accessKeys: { [ACCESS_KEY]: SECRET_KEY } } });
});
afterAll(() => mock.close());

function clientWith(credentials: Credentials, headers: Record<string, string> = {}) {
  return createClient({
    region: "cn-north-4",
    endpoints: { artifact: mock.url, check: mock.url, pipeline: mock.url, iam: mock.url },
    credentials,
    maxRetries: 0,
    validateResponses: true,
    fetch: (input, init) => {
      const request = new Request(input, init);
      for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
      return fetch(request);
    },
  });
}

function callOperation(client: ReturnType<typeof createClient>, example: DocumentedResponse) {
  const resource = (client as unknown as Record<string, Record<string, (p: unknown) => Promise<unknown>>>)[example.service]!;
  return resource[example.method]!(example.parameters);
}

test("every operation documents a 2xx example for the mock to serve, each example named once within it", () => {
  expect(operations.length).toBeGreaterThan(0);
  for (const op of operations) {
    expect(op.examples.some((e) => e.status.startsWith("2")), op.operationId).toBe(true);
    // Prefer: example=<name> picks an example by name across the operation's responses.
    const names = op.examples.map((e) => e.name);
    expect(new Set(names).size, op.operationId).toBe(names.length);
  }
});

describe.each(CREDENTIALS)("with %s", (_, credentials) => {
  test.each(documented.filter((d) => d.status < 300).map((d) => [`${d.operationId} ${d.name}`, d] as const))(
    "%s comes back exactly as documented",
    async (__, example) => {
      await expect(callOperation(clientWith(credentials, { prefer: `example=${example.name}` }), example)).resolves.toEqual(example.value);
    },
  );

  test.each(documented.filter((d) => d.status >= 400).map((d) => [`${d.operationId} ${d.status} ${d.name}`, d] as const))(
    "%s becomes an ApiError carrying the documented body",
    async (__, example) => {
      const error = await callOperation(clientWith(credentials, { prefer: `code=${example.status}, example=${example.name}` }), example).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: example.status, body: example.value, operationId: example.operationId });
    },
  );
});

describe("the mock verifies AK/SK signatures like the gateway", () => {
  test("a wrong secret key is rejected with APIG.0301, not retried into success", async () => {
    const client = clientWith({ accessKey: ACCESS_KEY, secretKey: "not-the-secret" });
    const error = await client.check.showTenantPackageStatus({ project_id: "666666af0f00445f85dec483fbc97c78" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ errorCode: "APIG.0301" });
  });

  test("an unknown access key is rejected", async () => {
    const error = await clientWith({ accessKey: "UNKNOWNAK", secretKey: SECRET_KEY }).artifact.showPackageInfo().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, errorCode: "APIG.0301" });
  });

  test("a header added after signing is sent but not signed, so the signature still verifies", async () => {
    await expect(clientWith({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, { "x-trace": "after-signing" }).artifact.showPackageInfo()).resolves.toBeDefined();
  });

  test("the raw GET surface is signed too", async () => {
    const { data, response } = await clientWith({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY }).GET("/v5/{tenant_id}/api/package-specs/count-down", {
      params: { path: { tenant_id: "389efb76b1354e4482eabeedxxxxxxxx" }, query: { is_main: "false" } },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual(documented.find((d) => d.operationId === "ValidateTenantPackageIsExpired" && d.status === 200)?.value);
  });
});

describe("the mock's parameter checks and the client's agree", () => {
  test("a project_id the client rejects before sending is one the mock answers with a 400 Huawei error", async () => {
    const response = await fetch(`${mock.url}/v4/tenant/tenant-package-status?project_id=short`, { headers: { "x-auth-token": "t" } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error_code: expect.any(String), error_msg: expect.any(String) });
    const before = mock.requests.length;
    const error = await clientWith({ token: "t" }).check.showTenantPackageStatus({ project_id: "short" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(mock.requests.length).toBe(before);
  });

  test("the mock records no credential of any request", () => {
    const recorded = JSON.stringify(mock.requests);
    for (const secret of ["integration-token", SECRET_KEY, "integration-security-token"]) expect(recorded).not.toContain(secret);
    expect(mock.requests.length).toBeGreaterThan(10);
  });
});

describe("tenant ID discovery against the mock's IAM", () => {
  test.each(CREDENTIALS)("with %s, a Pipeline call without tenant_id asks IAM once and uses the account it names", async (_, credentials) => {
    const client = clientWith(credentials);
    const [first, second] = await Promise.all([client.pipeline.validateTenantPackageIsExpired(), client.pipeline.validateTenantPackageIsExpired({ is_main: "true" })]);
    const expected = documented.find((d) => d.operationId === "ValidateTenantPackageIsExpired" && d.status === 200)!;
    expect(first).toEqual(expected.value);
    expect(second).toEqual(expected.value);
  });

  test("without credentials the mock's IAM answers 401, and the call fails with an AuthenticationError", async () => {
    const client = clientWith({ token: "integration-token" }, { "X-Auth-Token": "" });
    await expect(client.pipeline.validateTenantPackageIsExpired()).rejects.toBeInstanceOf(AuthenticationError);
  });
});

