import { inspect } from "node:util";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createClient, type ClientOptions, type Credentials } from "../src/index.js";
import { PROJECT_ID, SECRETS } from "./support/fixtures.js";
import { startTestServer, type ScriptedAnswer, type TestServer } from "@codearts-package-status/test-support";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

const CREDENTIALS: [string, Credentials][] = [
  ["an IAM token", { token: SECRETS.token }],
  ["AK/SK with a security token", { accessKey: SECRETS.accessKey, secretKey: SECRETS.secretKey, securityToken: SECRETS.securityToken }],
];

const FAILURES: [string, ScriptedAnswer, Partial<ClientOptions>][] = [
  ["a 401 (ApiError)", { status: 401, body: { error_code: "APIG.0301", error_msg: "Incorrect IAM authentication information" } }, {}],
  ["a 503 after retries", { status: 503, body: "<html><title>Service Unavailable</title></html>" }, {}],
  ["malformed JSON (ResponseValidationError)", { status: 200, body: "{oops" }, {}],
  ["a body that breaks the spec", { status: 200, body: { result: { duration: "long" } } }, { validateResponses: true }],
  ["a timeout", { hang: true }, { timeoutMs: 50 }],
  ["a reset connection", { reset: true }, {}],
];

/** Every way an error can be turned into text by a caller or a logger. */
function renderings(error: unknown): string[] {
  const e = error as Error;
  return [
    e.message,
    String(e),
    e.stack ?? "",
    inspect(e, { depth: 10, showHidden: true }),
    JSON.stringify(e),
    JSON.stringify(Object.fromEntries(Object.entries(e))),
    inspect((e as { cause?: unknown }).cause, { depth: 10, showHidden: true }),
  ];
}

function expectNoSecret(texts: string[]) {
  for (const text of texts) {
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  }
}

describe.each(CREDENTIALS)("with %s", (_, credentials) => {
  test.each(FAILURES)("%s: no credential appears in the error, however it is rendered", async (__, answer, options) => {
    server = await startTestServer(() => answer);
    const client = createClient({ endpoints: { check: server.url }, credentials, maxRetries: 1, retry: { initialDelayMs: 1 }, ...options });
    const error = await client.check.showTenantPackageStatus({ project_id: PROJECT_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expectNoSecret(renderings(error));
  });

  test("the raw surface's failures do not carry credentials either", async () => {
    server = await startTestServer(() => ({ reset: true }));
    const client = createClient({ endpoints: { check: server.url }, credentials, maxRetries: 0 });
    const error = await client.GET("/v4/tenant/tenant-package-status").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expectNoSecret(renderings(error));
  });

  test("the client itself does not expose credentials when inspected or serialised", () => {
    const client = createClient({ region: "cn-north-4", credentials });
    expectNoSecret([inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client) ?? ""]);
  });

  test("nothing is logged, so nothing can leak through a log", async () => {
    const spies = (["log", "info", "warn", "error", "debug", "trace"] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
    server = await startTestServer(({ index }) => (index === 0 ? { status: 503, body: {} } : { status: 401, body: {} }));
    const client = createClient({ endpoints: { check: server.url }, credentials, retry: { initialDelayMs: 1 } });
    await client.check.showTenantPackageStatus().catch(() => {});
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});

test("a rejected credential is named, never repeated", () => {
  const badToken = `${SECRETS.token}\n`;
  const error = (() => {
    try {
      createClient({ region: "cn-north-4", credentials: { token: badToken } });
    } catch (e) {
      return e;
    }
  })();
  expect(error).toMatchObject({ parameter: "credentials.token" });
  expectNoSecret(renderings(error));
});
