// Credentials are checked once, at createClient, by the rules the signer enforces: whatever is
// accepted can be sent, and whatever fails later on the way to the wire is still a typed error.
import { inspect } from "node:util";
import fc from "fast-check";
import type { Middleware } from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CodeArtsError, createClient, InvalidParameterError, SigningError, type Credentials } from "../src/index.js";
import { example, PROJECT_ID, SECRETS } from "./support/fixtures.js";
import { startTestServer, type TestServer } from "@codearts-package-status/test-support";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(() => ({ status: 200, body: example("ShowTenantPackageStatusOk") as object }));
});
afterAll(() => server.close());

/** Every way a caller or a logger can turn an error into text, its cause chain included. */
function rendered(error: unknown): string {
  let text = `${String(error)}\n${inspect(error, { depth: 10, showHidden: true })}\n${JSON.stringify(error)}`;
  for (let e: unknown = error; e instanceof Error; e = e.cause) text += `\n${e.message}\n${e.stack ?? ""}`;
  return text;
}

// Credential-shaped strings: plausible keys, keys with one character that a header cannot carry
// (comma, space, control, non-ASCII), and any string at all.
const printable = fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/="), minLength: 1, maxLength: 40 });
const odd = fc.constantFrom(",", " ", "\t", "\n", "\r", "\u0000", "\u001b", "\u007f", "é", "秘", "\u00a0", "\ud83d\ude00", "\ud800");
const credentialString = fc.oneof(
  printable,
  fc.tuple(printable, odd, printable).map(([a, c, b]) => a + c + b),
  fc.string({ unit: "binary", maxLength: 40 }),
);
const credentials: fc.Arbitrary<[string, Credentials]> = fc.oneof(
  credentialString.map((token): [string, Credentials] => ["token", { token }]),
  fc
    .tuple(credentialString, credentialString, fc.option(credentialString, { nil: undefined }))
    .map(([accessKey, secretKey, securityToken]): [string, Credentials] => ["aksk", { accessKey, secretKey, securityToken }]),
);

describe("credentials checked at createClient", () => {
  test("whatever createClient accepts, a call is signed and sent: it never rejects, least of all with anything but a CodeArtsError", async () => {
    await fc.assert(
      fc.asyncProperty(credentials, async ([, given]) => {
        let client;
        try {
          client = createClient({ endpoints: { check: server.url }, credentials: given, maxRetries: 0 });
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidParameterError);
          return;
        }
        const outcome = await client.check.showTenantPackageStatus({ project_id: PROJECT_ID }).then(
          () => undefined,
          (error: unknown) => error,
        );
        if (outcome !== undefined) expect(outcome).toBeInstanceOf(CodeArtsError);
        // The server answers 200 to everything: a rejection means createClient accepted what the signer refuses.
        expect(outcome).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  test("whatever createClient refuses, it refuses with an InvalidParameterError that names the field and never repeats its value", () => {
    fc.assert(
      fc.property(credentials, ([kind, given]) => {
        let error: unknown;
        try {
          createClient({ endpoints: { check: server.url }, credentials: given, maxRetries: 0 });
          return;
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(InvalidParameterError);
        const fields = kind === "token" ? ["token"] : ["accessKey", "secretKey", "securityToken"];
        const parameter = (error as InvalidParameterError).parameter;
        expect(fields.map((f) => `credentials.${f}`)).toContain(parameter);
        const value = (given as unknown as Record<string, string>)[parameter.slice("credentials.".length)] as string;
        // A short value can occur in any sentence by chance; from four characters on, it is a leak.
        if (value.trim().length >= 4) expect(rendered(error)).not.toContain(value);
      }),
      { numRuns: 1000 },
    );
  });

  test.each<[string, Credentials, string]>([
    ["an access key with a comma", { accessKey: "AK,with comma", secretKey: SECRETS.secretKey }, "credentials.accessKey"],
    ["a non-ASCII security token", { accessKey: SECRETS.accessKey, secretKey: SECRETS.secretKey, securityToken: "tökén-0123456789" }, "credentials.securityToken"],
    ["a token with NUL", { token: `${SECRETS.token}\u0000` }, "credentials.token"],
    ["a token with ESC", { token: `\u001b[31m${SECRETS.token}` }, "credentials.token"],
    ["a token with a space", { token: `Bearer ${SECRETS.token}` }, "credentials.token"],
  ])("%s is refused up front, by name", (_, given, parameter) => {
    expect(() => createClient({ region: "cn-north-4", credentials: given })).toThrow(expect.objectContaining({ name: "InvalidParameterError", parameter }));
  });
});

describe("authentication failures inside the transport", () => {
  test("a request the signer rejects (a middleware's malformed X-Sdk-Date) is a SigningError, with no credential in it", async () => {
    const client = createClient({ endpoints: { check: server.url }, credentials: { accessKey: SECRETS.accessKey, secretKey: SECRETS.secretKey, securityToken: SECRETS.securityToken }, maxRetries: 0 });
    const badDate: Middleware = {
      onRequest({ request }) {
        request.headers.set("X-Sdk-Date", "yesterday");
        return request;
      },
    };
    client.use(badDate);
    const error = await client.check.showTenantPackageStatus({ project_id: PROJECT_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningError);
    expect((error as Error).message).toMatch(/GET \/v4\/tenant\/tenant-package-status could not be signed: X-Sdk-Date/);
    for (const secret of Object.values(SECRETS)) expect(rendered(error)).not.toContain(secret);
  });

});
