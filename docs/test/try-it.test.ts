// The reference served by the mock (`codearts-package-status-mock --docs`): a reader sends every
// operation from the page's try-it and sees each documented answer, errors included through the
// page's `Prefer` choice. The page talks to nothing but the mock that served it.
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { chromiumLaunchOptions, documentedOperations, type DocumentedExample, type DocumentedOperation } from "@codearts-package-status/test-support";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openOperation, recordRequests } from "./support/reference.js";

const operations = documentedOperations();

let mock: MockServer;
let browser: Browser;
let page: Page;
let requests: ReturnType<typeof recordRequests>;

beforeAll(async () => {
  mock = await startMockServer({ docs: true });
  browser = await chromium.launch(chromiumLaunchOptions);
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  requests = recordRequests(page);
  // Recorded above, and refused here so that nothing ever leaves the machine, even when the page regresses.
  await page.route("**/*", (route) => (route.request().url().startsWith(`${mock.url}/`) ? route.continue() : route.abort()));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await mock?.close();
});

/** The page's `Prefer` choice for an example: its status, and its name when the response has several. */
function preferFor(example: DocumentedExample, operation: DocumentedOperation): string {
  const several = operation.examples.filter((e) => e.status === example.status && e.mediaType === example.mediaType).length > 1;
  return several ? `code=${example.status}, example=${example.name}` : `code=${example.status}`;
}

describe.each(operations.map((o) => [o.operationId, o] as const))("%s", (id, operation) => {
  test.each(operation.examples.map((e) => [`${e.status} ${e.name}`, e] as const))("sending it with the %s choice shows that documented answer", async (_, example) => {
    const section = await openOperation(page, `${mock.url}/docs`, operation);
    await section.getByRole("button", { name: /test request/i }).first().click();
    const client = page.getByRole("dialog");
    // The Prefer header is offered with one choice per documented answer; the token is filled in.
    const prefer = preferFor(example, operation);
    await client.getByRole("button", { name: /^code=/ }).first().click();
    await page.getByRole("menuitem", { name: prefer, exact: true }).click();
    mock.requests.length = 0;
    await client.getByRole("button", { name: /^Send/ }).first().click();
    await expect.poll(() => mock.requests.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(mock.requests.map((r) => [r.operationId, r.status])).toEqual([[id, Number(example.status)]]);
    const body = client.locator(".cm-content").last();
    await expect.poll(async () => parse(await body.textContent()), { timeout: 10_000 }).toEqual(example.value);
    expect(await client.innerText()).toMatch(new RegExp(`\\b${example.status}\\b`));
  }, 60_000);
});

function parse(text: string | null): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return undefined;
  }
}

test("the page made no request but to the mock that served it: no CDN, font, image or telemetry", () => {
  expect(requests.requested.filter((url) => !url.startsWith(`${mock.url}/`) && url !== "about:blank")).toEqual([]);
  expect(requests.failed).toEqual([]);
});
