// The client in a real browser (Debian's chromium): the built ESM, fetch and WebCrypto only,
// calling the mock through a same-origin proxy, with a token and with AK/SK signatures the
// mock verifies; and, with only a region, calling the spec's table hosts, which the browser's
// request interception hands to the mock so that nothing leaves loopback.
import http from "node:http";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
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

const IMPORT_MAP = `<script type="importmap">{"imports":{"openapi-fetch":"/openapi-fetch.js","@codearts-package-status/client":"/client/index.js","@codearts-package-status/client/internal/validation":"/client/internal/validation.js","@codearts-package-status/client/internal/raw-fetch":"/client/internal/raw-fetch.js","@codearts-package-status/client/internal/redact":"/client/internal/redact.js","@codearts-package-status/client/internal/sign":"/client/internal/sign.js","@codearts-package-status/client/internal/endpoints":"/client/internal/endpoints.js"}}</script>`;

/** A page that runs `script` as a module with the client importable, and sets `window.results` when done. */
const pageRunning = (script: string): string => `<!doctype html><html><head>
${IMPORT_MAP}
</head><body><script type="module">
${script}
</script></body></html>`;

const PAGE = pageRunning(`import { createClient, AuthenticationError } from "@codearts-package-status/client";
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
window.results = results;`);

// Only a region: Pipeline at its table host, then Check twice, the first time with its first
// table host refusing the connection.
const TABLE_PAGE = pageRunning(`import { createClient } from "@codearts-package-status/client";
const client = createClient({ region: "cn-north-4", credentials: { token: "browser-token" }, maxRetries: 0 });
const results = [];
results.push((await client.pipeline.validateTenantPackageIsExpired({ tenant_id: "389efb76b1354e4482eabeedxxxxxxxx" }))[0].resource_spec_code);
for (let i = 0; i < 2; i++) results.push((await client.check.showTenantPackageStatus({ project_id: "666666af0f00445f85dec483fbc97c78" })).result.tenantId);
window.results = results;`);

// Check's first table host refuses, and the endpoints module cannot be loaded either.
const OFFLINE_PAGE = pageRunning(`import { createClient } from "@codearts-package-status/client";
const client = createClient({ region: "cn-north-4", credentials: { token: "browser-token" }, maxRetries: 0 });
window.results = await client.check.showTenantPackageStatus({ project_id: "666666af0f00445f85dec483fbc97c78" }).then(() => "answered", (error) => [error.name, error.message]);`);

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
    if (url === "/table") return res.writeHead(200, { "content-type": "text/html" }).end(TABLE_PAGE);
    if (url === "/offline") return res.writeHead(200, { "content-type": "text/html" }).end(OFFLINE_PAGE);
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

/** What the page set as `window.results`, or a text naming the page's errors when it set none within 15 s; fails on any page error. */
async function resultsOf(page: Page, errors: string[]): Promise<unknown> {
  const results = await page
    .waitForFunction(() => (window as unknown as { results?: unknown }).results, undefined, { timeout: 15_000 })
    .then((handle) => handle.jsonValue())
    .catch((error: Error) => `no results: ${error.message}; page errors: ${errors.join(" | ")}`);
  expect(errors).toEqual([]);
  return results;
}

test("in Chromium, the client calls every service with a token and with AK/SK, and a wrong secret is a typed 401", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(siteUrl);
  const results = await resultsOf(page, errors);
  expect(results).toEqual({
    token: ["389efb76b1354e4482eabeedxxxxxxxx", "codearts.china.free"],
    aksk: ["389efb76b1354e4482eabeedxxxxxxxx", "codearts.china.free"],
    wrongSecret: "APIG.0301",
  });
});

test("in Chromium, a client with only a region calls the table's hosts without loading the endpoints module, and loads it to fail over", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // Every request the page makes, in order (CORS preflights left out). A table host is answered
  // by the mock through Playwright, before the browser opens any connection; the first Check
  // host refuses; anything else that is not loopback is refused and counted.
  const seen: string[] = [];
  const elsewhere: string[] = [];
  const refused = "https://codearts-check.cn-north-4.myhuaweicloud.com";
  await page.route("**/*", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (request.method() !== "OPTIONS") seen.push(url.hostname === "127.0.0.1" ? url.pathname : url.origin + url.pathname);
    if (url.hostname === "127.0.0.1") return route.continue();
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "*", "access-control-allow-methods": "GET" };
    if (!/^(cloudpipeline-ext|codearts-check)\.cn-north-4\.myhuaweicloud\.(com|cn)$/.test(url.hostname)) {
      elsewhere.push(url.origin);
      return route.abort("connectionrefused");
    }
    if (url.origin === refused) return route.abort("connectionrefused");
    if (request.method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
    const response = await route.fetch({ url: mock.url + url.pathname + url.search });
    return route.fulfill({ response, headers: { ...response.headers(), ...cors } });
  });
  await page.goto(siteUrl + "table");
  const results = await resultsOf(page, errors);
  expect(elsewhere).toEqual([]);
  expect(results).toEqual(["codearts.china.free", "389efb76b1354e4482eabeedxxxxxxxx", "389efb76b1354e4482eabeedxxxxxxxx"]);
  expect(seen.filter((url) => !url.startsWith("/") || url.startsWith("/client/internal/"))).toEqual([
    "https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com/v5/389efb76b1354e4482eabeedxxxxxxxx/api/package-specs/count-down",
    `${refused}/v4/tenant/tenant-package-status`,
    "/client/internal/endpoints.js",
    "https://codearts-check.cn-north-4.myhuaweicloud.cn/v4/tenant/tenant-package-status",
    "https://codearts-check.cn-north-4.myhuaweicloud.cn/v4/tenant/tenant-package-status",
  ]);
  await page.close();
});

test("in Chromium, when a table host refuses and the endpoints module cannot load either, the call reports the refused connection", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const asked: string[] = [];
  await page.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" && url.pathname !== "/client/internal/endpoints.js") return route.continue();
    asked.push(url.hostname === "127.0.0.1" ? url.pathname : url.hostname);
    return route.abort("connectionrefused");
  });
  await page.goto(siteUrl + "offline");
  const results = await resultsOf(page, errors);
  expect(results).toEqual(["ConnectionError", expect.stringContaining("codearts-check.cn-north-4.myhuaweicloud.com")]);
  expect(asked).toEqual(["codearts-check.cn-north-4.myhuaweicloud.com", "/client/internal/endpoints.js"]);
  await page.close();
});
