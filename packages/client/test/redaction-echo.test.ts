// A hostile or careless endpoint echoes the request's credentials back: in an error body, its
// error_msg, a header, or a 2xx body that breaks the spec. Whatever it echoes, and however it
// encodes it, no error that leaves the client may carry the token, the security token or the
// secret key.
import { inspect } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { CodeArtsError, createClient, type CodeArtsClient, type Credentials } from "../src/index.js";
import { PROJECT_ID } from "./support/fixtures.js";
import { startTestServer, type RecordedRequest, type ScriptedAnswer, type TestServer } from "@codearts-package-status/test-support";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// Characters that JSON and percent-encoding both change, so each encoding is a different string.
const TOKEN = 'MIIT"tok\\en/+=%~coreTOKEN0123';
const SECURITY_TOKEN = 'sts"sec\\urity/+=%coreSECURITY4567';
const SECRET_KEY = 'sk "ключ"\\coreSECRETKEY89';
/** A part of each secret that every encoding keeps as it is: finding it anywhere is a leak. */
const CORES = ["coreTOKEN0123", "coreSECURITY4567", "coreSECRETKEY89"];

/** The secrets of the request, as the server saw them (the secret key is never sent: a server that knew it anyway). */
function echoed(request: RecordedRequest): string {
  const signed = request.headers.authorization !== undefined;
  return [request.headers["x-auth-token"], request.headers["x-security-token"], signed ? SECRET_KEY : undefined].filter(Boolean).join(" and ");
}

/** What an echoing server answers, given the secrets it saw. */
const ECHOES: [string, (secrets: string) => ScriptedAnswer, Partial<{ validateResponses: boolean }>][] = [
  ["in error_msg of a 401", (s) => ({ status: 401, body: { error_code: "APIG.0301", error_msg: `bad token ${s}` } }), {}],
  ["in a nested field and a key of a 400 body", (s) => ({ status: 400, body: { error: { detail: [s], [s]: s } } }), {}],
  ["as a 403 plain-text body", (s) => ({ status: 403, body: `denied for ${s}` }), {}],
  ["JSON-escaped in a 500 body that is not JSON", (s) => ({ status: 500, body: `{"error_msg": ${JSON.stringify(s)}` }), {}],
  ["percent-encoded in a 404 body", (s) => ({ status: 404, body: `<html><title>${encodeURIComponent(s)}</title></html>` }), {}],
  ["at the end of a long 400 text body that the message truncates", (s) => ({ status: 400, body: `${"x".repeat(110)}${s}` }), {}],
  ["percent-encoded in the X-Request-Id header", (s) => ({ status: 401, headers: { "x-request-id": encodeURIComponent(s) }, body: {} }), {}],
  ["percent-encoded in the content type of a 200 that is not JSON", (s) => ({ status: 200, headers: { "content-type": encodeURIComponent(s) }, body: "nope" }), {}],
  ["at the 1,000th character of a 200 body that is not JSON", (s) => ({ status: 200, body: `${"y".repeat(990)}${s}` }), {}],
  ["in a 200 body that breaks the spec", (s) => ({ status: 200, body: { result: { duration: s, [s]: 1 } } }), { validateResponses: true }],
];

const CREDENTIALS: [string, Credentials][] = [
  ["an IAM token", { token: TOKEN }],
  ["AK/SK with a security token", { accessKey: "AKECHOTEST0001", secretKey: SECRET_KEY, securityToken: SECURITY_TOKEN }],
];

/** Every way a caller or a logger turns an error into text, down the cause chain. */
function renderings(error: unknown): string[] {
  const texts: string[] = [];
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 10; e = e.cause as typeof e, depth++) {
    const asError = e as Error;
    texts.push(String(asError.message), String(e), String(asError.stack), inspect(e, { depth: 20, showHidden: true }), JSON.stringify(e) ?? "");
    texts.push(JSON.stringify(Object.fromEntries(Object.entries(e))) ?? "");
  }
  return texts;
}

function expectNoSecret(error: unknown) {
  for (const text of renderings(error)) {
    for (const core of CORES) expect(text, text).not.toContain(core);
  }
}

function clientOn(url: string, credentials: Credentials, options: Partial<{ validateResponses: boolean }>): CodeArtsClient {
  return createClient({ endpoints: { check: url }, credentials, maxRetries: 0, ...options });
}

describe.each(CREDENTIALS)("with %s", (_, credentials) => {
  describe.each(ECHOES)("a secret echoed %s", (__, answer, options) => {
    test("a resource method's error does not carry it", async () => {
      server = await startTestServer((request) => answer(echoed(request)));
      const error = await clientOn(server.url, credentials, options).check.showTenantPackageStatus({ project_id: PROJECT_ID }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CodeArtsError);
      expect(renderings(error).join("\n")).toContain("[REDACTED]");
      expectNoSecret(error);
    });

    test("a resource method's error does not carry it when middleware is registered", async () => {
      server = await startTestServer((request) => answer(echoed(request)));
      const client = clientOn(server.url, credentials, options);
      client.use({ onResponse: () => undefined });
      const error = await client.check.showTenantPackageStatus({ project_id: PROJECT_ID }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CodeArtsError);
      expectNoSecret(error);
    });

    test("the raw client.GET's error (thrown, or the parsed error body) does not carry it", async () => {
      server = await startTestServer((request) => answer(echoed(request)));
      const outcome = await clientOn(server.url, credentials, options)
        .GET("/v4/tenant/tenant-package-status", { params: { query: { project_id: PROJECT_ID } } })
        .then(({ error }) => error, (e: unknown) => e);
      expect(outcome).toBeDefined();
      expectNoSecret(outcome);
    });
  });
});

test("the error keeps what the server said around the secret", async () => {
  server = await startTestServer((request) => ({ status: 401, body: { error_code: "APIG.0301", error_msg: `token ${request.headers["x-auth-token"]} expired` } }));
  const error = await clientOn(server.url, { token: TOKEN }, {}).check.showTenantPackageStatus().catch((e: unknown) => e);
  expect(error).toMatchObject({ status: 401, errorCode: "APIG.0301", errorMsg: "token [REDACTED] expired", body: { error_msg: "token [REDACTED] expired" } });
  expect((error as Error).message).toContain("APIG.0301: token [REDACTED] expired");
});


// A gateway that copies the request's credentials into a successful answer: the answer reaches
// tables, JSON output and metric labels, so it is redacted as an error body is.
const SUCCESS_ECHOES: [string, (secrets: string) => ScriptedAnswer][] = [
  ["in a field of a 200 body", (s) => ({ status: 200, body: { result: { charge_type: s, main_resource_list: [{ resourceType: `x ${s} y` }] } } })],
  ["in a key of a 200 body", (s) => ({ status: 200, body: { result: { [s]: 1 } } })],
  ["JSON-escaped inside a string of a 200 body", (s) => ({ status: 200, body: { result: { charge_type: JSON.stringify(s) } } })],
  ["percent-encoded in a 200 body", (s) => ({ status: 200, body: { result: { charge_type: encodeURIComponent(s) } } })],
  // As a serializer that escapes every character (\u0041…) writes it: nothing in the text is the secret until it is parsed.
  ["written in \\u escapes in a 200 body", (s) => ({ status: 200, body: `{"result":{"charge_type":"${[...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"}}` })],
];

describe.each(CREDENTIALS)("with %s", (_, credentials) => {
  test.each(SUCCESS_ECHOES)("a secret echoed %s is redacted from the answer of a resource method and of client.GET", async (__, answer) => {
    server = await startTestServer((request) => answer(echoed(request)));
    const client = clientOn(server.url, credentials, {});
    const body = await client.check.showTenantPackageStatus({ project_id: PROJECT_ID });
    const raw = await client.GET("/v4/tenant/tenant-package-status", { params: { query: { project_id: PROJECT_ID } } });
    for (const value of [body, raw.data]) {
      const text = JSON.stringify(value);
      expect(text).toContain("[REDACTED]");
      for (const core of CORES) expect(text).not.toContain(core);
    }
  });
});

describe.each(CREDENTIALS)("with %s", (_, credentials) => {
  test("a secret echoed in the X-Request-Id of a 200 is redacted from the answer's _request_id", async () => {
    server = await startTestServer((request) => ({ status: 200, headers: { "x-request-id": `rid-${encodeURIComponent(echoed(request))}` }, body: { result: {} } }));
    const body = await clientOn(server.url, credentials, {}).check.showTenantPackageStatus({ project_id: PROJECT_ID });
    expect(body._request_id).toContain("[REDACTED]");
    for (const core of CORES) expect(body._request_id).not.toContain(core);
  });
});

test("a 200 text answer read with parseAs text is redacted too", async () => {
  server = await startTestServer((request) => ({ status: 200, headers: { "content-type": "text/plain" }, body: `hello ${request.headers["x-auth-token"]}` }));
  const { data } = await clientOn(server.url, { token: TOKEN }, {}).GET("/v4/tenant/tenant-package-status", { parseAs: "text" });
  expect(data).toBe("hello [REDACTED]");
});

test("an answer that echoes nothing is returned as sent", async () => {
  const sent = { result: { charge_type: "tokens are short", other_resource_list: [{ resourceId: "MIIT\"tok" }] } };
  server = await startTestServer(() => ({ status: 200, body: sent }));
  await expect(clientOn(server.url, { token: TOKEN }, {}).check.showTenantPackageStatus()).resolves.toEqual(sent);
});
