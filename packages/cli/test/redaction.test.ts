// A hostile endpoint that echoes the request's credentials back (in error_msg, in X-Request-Id,
// in a body that is not JSON) must not get them printed: not on stderr, not in --json.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parameterExample } from "@codearts-package-status/test-support";
import { runCli } from "./support/cli.js";

const TOKEN = "MIIT-echoed-token-coreTOKEN0123";
const SECURITY_TOKEN = "sts-echoed-coreSECURITY4567";
const CORES = ["coreTOKEN0123", "coreSECURITY4567"];

/** The secrets the request carried, as the server saw them. */
function echoed(request: IncomingMessage): string {
  return [request.headers["x-auth-token"], request.headers["x-security-token"]].filter(Boolean).join(" ");
}

let server: Server;
let url: string;
beforeAll(async () => {
  // Each service fails its own way: Huawei's error body, a header, an HTML page.
  server = createServer((request, response) => {
    const secrets = echoed(request);
    const path = request.url ?? "";
    if (path.startsWith("/v4/")) {
      response.writeHead(401, { "content-type": "application/json", "x-request-id": `req-${secrets}` }).end(JSON.stringify({ error_code: "APIG.0301", error_msg: `token ${secrets} is expired` }));
    } else if (path.startsWith("/v5/")) {
      response.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ error_code: secrets, error_msg: "denied" }));
    } else {
      response.writeHead(404, { "content-type": "text/html" }).end(`<html><title>gateway saw ${secrets}</title></html>`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
