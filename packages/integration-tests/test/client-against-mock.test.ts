// The client and the mock server meet over real HTTP on 127.0.0.1: every documented example
// of every operation comes back exactly, with an IAM token and with AK/SK signatures that the
// mock verifies the way the API Gateway does.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ApiError, AuthenticationError, createClient, InvalidParameterError, type Credentials } from "@codearts-package-status/client";
import { startMockServer, type MockServer } from "@codearts-package-status/mock";

const spec = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@codearts-package-status/openapi/openapi.json"), "utf8"));
const ACCESS_KEY = "INTEGRATIONAK000001";
const SECRET_KEY = "integration-secret-key-0123456789";
const PARAMETERS: Record<string, Record<string, string>> = {
  ShowPackageInfo: { project_id: "666666af0f00445f85dec483fbc97c78" },
  ShowTenantPackageStatus: { project_id: "666666af0f00445f85dec483fbc97c78" },
  ValidateTenantPackageIsExpired: { tenant_id: "389efb76b1354e4482eabeedxxxxxxxx", project_id: "4fca5a98a2814d3e982ca09bd8b43180", is_main: "true" },
};
const CREDENTIALS: [string, Credentials][] = [
  ["an IAM token", { token: "integration-token" }],
  ["AK/SK signing", { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }],
  ["AK/SK signing with a security token", { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, securityToken: "integration-security-token" }],
];

interface DocumentedResponse {
  operationId: string;
  method: string;
  status: number;
  name: string;
  value: unknown;
}

const documented: DocumentedResponse[] = Object.values(spec.paths as Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>).flatMap((item) =>
  Object.values(item)
    .filter((op) => op && typeof op === "object" && "operationId" in op)
    .flatMap((op) =>
      Object.entries(op.responses).flatMap(([status, raw]) => {
        const response = resolve(raw) as { content?: Record<string, { examples?: Record<string, unknown> }> };
        return Object.entries(response.content?.["application/json"]?.examples ?? {}).map(([name, example]) => ({
          operationId: op.operationId,
          method: op.operationId[0]!.toLowerCase() + op.operationId.slice(1),
          status: Number(status),
          name,
          value: (resolve(example) as { value: unknown }).value,
        }));
      }),
    ),
);

function resolve(node: unknown): unknown {
  const ref = (node as { $ref?: string }).$ref;
  return ref ? resolve(ref.slice(2).split("/").reduce((at: Record<string, unknown>, key) => at[key] as Record<string, unknown>, spec)) : node;
}

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, credentials: { accessKeys: { [ACCESS_KEY]: SECRET_KEY } } });
});
afterAll(() => mock.close());

function clientWith(credentials: Credentials, headers: Record<string, string> = {}) {
  return createClient({
    region: "cn-north-4",
    endpoints: { artifact: mock.url, check: mock.url, pipeline: mock.url },
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
  const service = Object.entries(spec.paths as Record<string, { get: { operationId: string; tags: string[] } }>).find(
    ([, item]) => item.get.operationId === example.operationId,
  )![1].get.tags[0]!;
  const resource = (client as unknown as Record<string, Record<string, (p: unknown) => Promise<unknown>>>)[service]!;
  return resource[example.method]!(PARAMETERS[example.operationId]);
}

test("the spec documents examples for the mock to serve", () => {
  expect(documented.filter((d) => d.status === 200).map((d) => d.operationId).sort()).toEqual(Object.keys(PARAMETERS).sort());
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
