// A hostile endpoint that echoes the request's credentials back (in error_msg, in X-Request-Id,
// in a body that is not JSON) must not get them printed: not on stderr, not in --json.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parameterExample, startTestServer, type RecordedRequest, type TestServer } from "@codearts-package-status/test-support";
import { runCli } from "./support/cli.js";

const TOKEN = "MIIT-echoed-token-coreTOKEN0123";
const SECURITY_TOKEN = "sts-echoed-coreSECURITY4567";
const CORES = ["coreTOKEN0123", "coreSECURITY4567"];

/** The secrets the request carried, as the server saw them. */
function echoed(request: RecordedRequest): string {
  return [request.headers["x-auth-token"], request.headers["x-security-token"]].filter(Boolean).join(" ");
}

let server: TestServer;
let url: string;
beforeAll(async () => {
  // Each service fails its own way: Huawei's error body, a header, an HTML page.
  server = await startTestServer((request) => {
    const secrets = echoed(request);
    if (request.url.startsWith("/v4/")) return { status: 401, headers: { "x-request-id": `req-${secrets}` }, body: { error_code: "APIG.0301", error_msg: `token ${secrets} is expired` } };
    if (request.url.startsWith("/v5/")) return { status: 403, body: { error_code: secrets, error_msg: "denied" } };
    return { status: 404, headers: { "content-type": "text/html" }, body: `<html><title>gateway saw ${secrets}</title></html>` };
  });
  url = server.url;
});
afterAll(() => server.close());

const args = () => [
  "--project-id", String(parameterExample("ProjectId")),
  "--tenant-id", String(parameterExample("TenantId")),
  "--endpoint-artifact", url, "--endpoint-check", url, "--endpoint-pipeline", url,
];

const CREDENTIALS: [string, Record<string, string>][] = [
  ["an IAM token", { HUAWEICLOUD_SDK_TOKEN: TOKEN }],
  ["AK/SK with a security token", { HUAWEICLOUD_SDK_AK: "AKECHOTEST0001", HUAWEICLOUD_SDK_SK: "sk-echo-test-0123456789", HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN }],
];

describe.each(CREDENTIALS)("with %s", (_, env) => {
  it.each([["the table", []], ["--json", ["--json"]]])("an echoed credential reaches neither stdout nor stderr (%s)", async (__, extra) => {
    const { code, stdout, stderr } = await runCli([...args(), ...extra], env);
    expect(code).toBe(3);
    expect(stderr).toContain("[REDACTED]");
    for (const core of CORES) {
      expect(stderr).not.toContain(core);
      expect(stdout).not.toContain(core);
    }
    if (extra.length > 0) expect(JSON.stringify(JSON.parse(stdout))).toContain("[REDACTED]");
  });
});
