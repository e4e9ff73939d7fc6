// The client in a real browser (Debian's chromium): the built ESM, fetch and WebCrypto only,
// calling the mock through a same-origin proxy, with a token and with AK/SK signatures the
// mock verifies.
import http from "node:http";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { chromiumLaunchOptions } from "@codearts-package-status/test-support";

const require = createRequire(import.meta.url);
const clientDist = path.dirname(require.resolve("@codearts-package-status/client"));
const openapiFetch = require.resolve("openapi-fetch", { paths: [path.dirname(require.resolve("@codearts-package-status/client/package.json"))] }).replace(/index\.cjs$/, "index.mjs");

// What the browser may load, by URL path: the client's own build and openapi-fetch's.
const STATIC: Record<string, string> = {
  "/client/index.js": path.join(clientDist, "index.js"),
  "/client/internal/validation.js": path.join(clientDist, "internal", "validation.js"),
  "/client/internal/raw-fetch.js": path.join(clientDist, "internal", "raw-fetch.js"),
  "/client/internal/redact.js": path.join(clientDist, "internal", "redact.js"),
  "/client/internal/sign.js": path.join(clientDist, "internal", "sign.js"),
  "/client/internal/endpoints.js": path.join(clientDist, "internal", "endpoints.js"),
  "/openapi-fetch.js": openapiFetch,
};

const PAGE = `<!doctype html><html><head>
<script type="importmap">{"imports":{"openapi-fetch":"/openapi-fetch.js","@codearts-package-status/client":"/client/index.js","@codearts-package-status/client/internal/validation":"/client/internal/validation.js","@codearts-package-status/client/internal/raw-fetch":"/client/internal/raw-fetch.js","@codearts-package-status/client/internal/redact":"/client/internal/redact.js","@codearts-package-status/client/internal/sign":"/client/internal/sign.js","@codearts-package-status/client/internal/endpoints":"/client/internal/endpoints.js"}}</script>
</head><body><script type="module">
import { createClient, AuthenticationError } from "@codearts-package-status/client";
const api = location.origin;
const results = {};
for (const [label, credentials] of [["token", { token: "browser-token" }], ["aksk", { accessKey: "BROWSERAK", secretKey: "browser-secret" }]]) {
  const client = createClient({ region: "cn-north-4", endpoints: { artifact: api, check: api, pipeline: api }, credentials, validateResponses: true });
  const check = await client.check.showTenantPackageStatus({ project_id: "666666af0f00445f85dec483fbc97c78" });
  const pipeline = await client.pipeline.validateTenantPackageIsExpired({ tenant_id: "389efb76b1354e4482eabeedxxxxxxxx" });
  results[label] = [check.result.tenantId, pipeline[0].resource_spec_code];
}
const wrong = createClient({ endpoints: { check: api }, credentials: { accessKey: "BROWSERAK", secretKey: "not-it" } });
results.wrongSecret = await wrong.check.showTenantPackageStatus().then(() => "accepted", (e) => e instanceof AuthenticationError ? e.errorCode : String(e));
window.results = results;
</script></body></html>`;

let mock: MockServer;
let site: http.Server;
let siteUrl: string;
let browser: Browser;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, credentials: { accessKeys: { BROWSERAK: "browser-secret" } } });
  const mockUrl = new URL(mock.url);
  site = http.createServer((req, res) => {
    const url = req.url ?? "/";
    if (url === "/") return res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    const file = STATIC[url];
    if (file) return res.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(file));
    if (url === "/favicon.ico") return res.writeHead(204).end();
    // Everything else goes to the mock unchanged (same origin, so no CORS), Host header and
    // path as the browser signed them.
    const upstream = http.request({ host: mockUrl.hostname, port: mockUrl.port, path: url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  browser = await chromium.launch(chromiumLaunchOptions);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  site?.closeAllConnections();
  await new Promise((resolve) => site?.close(resolve));
  await mock?.close();
});

test("in Chromium, the client calls every service with a token and with AK/SK, and a wrong secret is a typed 401", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(siteUrl);
  const results = await page
    .waitForFunction(() => (window as unknown as { results?: unknown }).results, undefined, { timeout: 15_000 })
    .then((handle) => handle.jsonValue())
    .catch((error: Error) => `no results: ${error.message}; page errors: ${errors.join(" | ")}`);
  expect(errors).toEqual([]);
  expect(results).toEqual({
    token: ["389efb76b1354e4482eabeedxxxxxxxx", "codearts.china.free"],
    aksk: ["389efb76b1354e4482eabeedxxxxxxxx", "codearts.china.free"],
    wrongSecret: "APIG.0301",
  });
});
