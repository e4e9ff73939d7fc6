// The client in a real browser (Debian's chromium): the built ESM (one module, and
// openapi-fetch), fetch and WebCrypto only, calling the mock through a same-origin proxy, with a
// token and with AK/SK signatures the mock verifies; and, with only a region, calling the spec's
// table hosts and failing over between them, which the browser's request interception hands to
// the mock or refuses, so that nothing leaves loopback.
import http from "node:http";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { chromiumLaunchOptions, startTestServer, type TestServer } from "@codearts-package-status/test-support";

const require = createRequire(import.meta.url);
const clientDist = path.dirname(require.resolve("@codearts-package-status/client"));
const openapiFetch = require.resolve("openapi-fetch", { paths: [path.dirname(require.resolve("@codearts-package-status/client/package.json"))] }).replace(/index\.cjs$/, "index.mjs");

// What the browser may load, by URL path: the client's build and openapi-fetch's.
const STATIC: Record<string, string> = {
  "/client/index.js": path.join(clientDist, "index.js"),
  "/openapi-fetch.js": openapiFetch,
};

const IMPORT_MAP = `<script type="importmap">{"imports":{"openapi-fetch":"/openapi-fetch.js","@codearts-package-status/client":"/client/index.js"}}</script>`;

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

// Only a region, and every one of Check's table hosts refuses.
const OFFLINE_PAGE = pageRunning(`import { createClient } from "@codearts-package-status/client";
const client = createClient({ region: "cn-north-4", credentials: { token: "browser-token" }, maxRetries: 0 });
window.results = await client.check.showTenantPackageStatus({ project_id: "666666af0f00445f85dec483fbc97c78" }).then(() => "answered", (error) => [error.name, error.message]);`);

const PAGES: Record<string, string> = { "/": PAGE, "/table": TABLE_PAGE, "/offline": OFFLINE_PAGE };

let mock: MockServer;
let site: TestServer;
let siteUrl: string;
let browser: Browser;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, credentials: { accessKeys: { BROWSERAK: "browser-secret" } } });
  const mockUrl = new URL(mock.url);
  site = await startTestServer((request, response) => {
    const page = PAGES[request.url];
    if (page) return { status: 200, headers: { "content-type": "text/html" }, body: page };
    const file = STATIC[request.url];
    if (file) return { status: 200, headers: { "content-type": "text/javascript" }, body: readFileSync(file) };
    if (request.url === "/favicon.ico") return { status: 204 };
    // Everything else goes to the mock unchanged (same origin, so no CORS), Host header and
    // path as the browser signed them.
    const upstream = http.request({ host: mockUrl.hostname, port: mockUrl.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on("error", () => response.destroy());
    upstream.end(request.body);
  });
  siteUrl = `${site.url}/`;
  browser = await chromium.launch(chromiumLaunchOptions);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await mock?.close();
});

/** Refuses every request of the page that is not for loopback, and lists their origins. */
async function keepOnLoopback(page: Page): Promise<string[]> {
  const elsewhere: string[] = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    elsewhere.push(url.origin);
    return route.abort("connectionrefused");
  });
  return elsewhere;
}

/** What the page set as `window.results`, or a text naming the page's errors when it set none within 15 s; fails on any page error. */
async function resultsOf(page: Page, errors: string[]): Promise<unknown> {
  const results = await page
    .waitForFunction(() => (window as unknown as { results?: unknown }).results, undefined, { timeout: 15_000 })
    .then((handle) => handle.jsonValue())
    .catch((error: Error) => `no results: ${error.message}; page errors: ${errors.join(" | ")}`);
  expect(errors).toEqual([]);
  return results;
}

test("in Chromium, the client calls every service with a token and with AK/SK signed over WebCrypto, and a wrong secret is a typed 401", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const elsewhere = await keepOnLoopback(page);
  await page.goto(siteUrl);
  const results = await resultsOf(page, errors);
  expect(results).toEqual({
    token: ["389efb76b1354e4482eabeedxxxxxxxx", "codearts.china.free"],
    aksk: ["389efb76b1354e4482eabeedxxxxxxxx", "codearts.china.free"],
    wrongSecret: "APIG.0301",
  });
  // The signatures the mock verified came from the page: the AK/SK calls passed this proxy signed.
  const signed = site.requests.filter((r) => String(r.headers.authorization ?? "").startsWith("SDK-HMAC-SHA256 Access=BROWSERAK,"));
  expect(signed.length).toBeGreaterThanOrEqual(3);
  expect(elsewhere).toEqual([]);
  await page.close();
});

test("in Chromium, a client with only a region calls the table's hosts, moves to Check's next host when the first refuses, and stays there", async () => {
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
  expect(seen.filter((url) => !url.startsWith("/"))).toEqual([
    "https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com/v5/389efb76b1354e4482eabeedxxxxxxxx/api/package-specs/count-down",
    `${refused}/v4/tenant/tenant-package-status`,
    "https://codearts-check.cn-north-4.myhuaweicloud.cn/v4/tenant/tenant-package-status",
    "https://codearts-check.cn-north-4.myhuaweicloud.cn/v4/tenant/tenant-package-status",
  ]);
  await page.close();
});

test("in Chromium, when every table host of a service refuses, the call is a ConnectionError naming the last one, after trying each once", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const elsewhere = await keepOnLoopback(page);
  await page.goto(siteUrl + "offline");
  const results = await resultsOf(page, errors);
  expect(results).toEqual(["ConnectionError", expect.stringContaining("could not reach codearts-check.cn-north-4.myhuaweicloud.cn")]);
  expect(elsewhere).toEqual(["https://codearts-check.cn-north-4.myhuaweicloud.com", "https://codearts-check.cn-north-4.myhuaweicloud.cn"]);
  await page.close();
});
