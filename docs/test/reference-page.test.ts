// Opens the rendered reference in Debian's chromium, offline, and checks that a reader sees
// every operation, parameter and documented example of the spec.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromiumLaunchOptions, documentedOperations, spec, type DocumentedExample } from "@codearts-package-status/test-support";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const page_url = pathToFileURL(path.join(here, "../dist/index.html")).href;
const screenshots = path.join(here, "../screenshots");
const operations = documentedOperations();

/** Waits for the element to be shown, and fails if it is not. */
async function expectVisible(locator: Locator) {
  await locator.waitFor({ state: "visible", timeout: 5_000 });
  expect(await locator.isVisible()).toBe(true);
}

let browser: Browser;
let page: Page;
const externalRequests: string[] = [];

beforeAll(async () => {
  browser = await chromium.launch(chromiumLaunchOptions);
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // Offline, as the page must work: anything but the file itself is refused and noted.
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:")) return route.continue();
    externalRequests.push(url);
    return route.abort();
  });
  mkdirSync(screenshots, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

test("the page renders offline from one file: the title and every service are shown", async () => {
  await page.goto(page_url);
  await expect.poll(() => page.locator("h1").first().innerText()).toContain(spec.info.title);
  for (const tag of spec.tags as { "x-displayName": string }[]) {
    await expectVisible(page.getByText(tag["x-displayName"], { exact: true }).first());
  }
  await page.screenshot({ path: path.join(screenshots, "overview.png") });
  // Only decoration may be fetched from outside (a logo); the reference itself is all inline.
  expect(externalRequests.filter((url) => !/\.(svg|png|ico)$/.test(url))).toEqual([]);
});

/** Shows the example in the response samples panel: its status, then (among several) its entry in Redoc's example menu. */
async function choose(example: DocumentedExample, among: DocumentedExample[]) {
  // The response samples panel has one button per documented status.
  await page.locator("button:not([role=tab])", { hasText: new RegExp(`^${example.status}$`) }).first().click();
  if (among.length < 2) return;
  // Several examples of one response: Redoc shows the first and lists all by summary in a menu.
  const label = example.summary ?? example.name;
  const menu = page.locator('button[aria-label="Example"]:visible');
  await menu.click();
  await page.getByRole("menuitem", { name: label, exact: true }).click();
  await expect.poll(() => menu.innerText()).toBe(label);
}

describe.each(operations.map((o) => [o.operationId, o] as const))("%s", (_, operation) => {
  beforeAll(async () => {
    await page.goto(`${page_url}#/${operation.tag}`);
    await page.getByRole("heading", { name: operation.summary }).first().waitFor();
  });

  test("its summary and request line are shown", async () => {
    await expectVisible(page.getByRole("heading", { name: operation.summary }).first());
    await page.screenshot({ path: path.join(screenshots, `${operation.operationId}.png`), fullPage: true });
  });

  test("every parameter is shown", async () => {
    const text = await page.locator("main").innerText();
    for (const { name } of operation.parameters) expect(text).toMatch(new RegExp(`(^|\\n)${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s`));
  });

  test.each(operation.examples.map((e) => [`${e.status} ${e.name}`, e] as const))("the %s example is shown, value and description, once chosen", async (__, example) => {
    await choose(example, operation.examples.filter((e) => e.status === example.status && e.mediaType === example.mediaType));
    // Rendered as Markdown: code spans lose their backticks.
    if (example.description) await expectVisible(page.getByText(example.description.replaceAll("`", "").slice(0, 80)).first());
    const sample = page.locator('[data-testid="json-viewer"]:visible');
    // Nested values start folded ("[ … ]"); unfolded, the sample is the example's JSON.
    const expandAll = sample.getByTestId("expand-all");
    if ((await expandAll.count()) > 0) await expandAll.click();
    expect(JSON.parse(await sample.getByTestId("source-code").innerText())).toEqual(example.value);
  });
});
