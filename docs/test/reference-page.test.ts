// Opens the rendered reference in Debian's chromium, offline, and checks that a reader sees
// every operation, parameter and documented example of the spec.
import { createRequire } from "node:module";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const page_url = pathToFileURL(path.join(here, "../dist/index.html")).href;
const screenshots = path.join(here, "../screenshots");
const spec = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@codearts-package-status/openapi/openapi.json"), "utf8"));

type Json = Record<string, unknown>;
const resolve = (node: unknown): Json => {
  const ref = (node as { $ref?: string }).$ref;
  return ref ? resolve(ref.slice(2).split("/").reduce((at: Json, key) => at[key] as Json, spec)) : (node as Json);
};

interface DocumentedOperation {
  operationId: string;
  tag: string;
  summary: string;
  parameters: string[];
  examples: { status: string; description: string; topLevelKeys: string[] }[];
}

const operations: DocumentedOperation[] = Object.values(spec.paths as Record<string, Json>).map((item) => {
  const operation = item.get as Json;
  return {
    operationId: operation.operationId as string,
    tag: (operation.tags as string[])[0]!,
    summary: operation.summary as string,
    parameters: [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])].map((p) => resolve(p).name as string),
    examples: Object.entries(operation.responses as Json).flatMap(([status, response]) =>
      Object.values((resolve(response).content as Json)["application/json"] ? ((resolve(response).content as Json)["application/json"] as Json).examples as Json : {}).map(
        (example) => {
          const { description, value } = resolve(example) as { description: string; value: unknown };
          return { status, description, topLevelKeys: value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : [] };
        },
      ),
    ),
  };
});

/** Waits for the element to be shown, and fails if it is not. */
async function expectVisible(locator: Locator) {
  await locator.waitFor({ state: "visible", timeout: 5_000 });
  expect(await locator.isVisible()).toBe(true);
}

let browser: Browser;
let page: Page;
const externalRequests: string[] = [];

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
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
    for (const name of operation.parameters) expect(text).toMatch(new RegExp(`(^|\\n)${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s`));
  });

  test("every documented example is shown under its status", async () => {
    for (const example of operation.examples) {
      // The response samples panel has one button per documented status.
      await page.locator("button:not([role=tab])", { hasText: new RegExp(`^${example.status}$`) }).first().click();
      // Rendered as Markdown: code spans lose their backticks.
      await expectVisible(page.getByText(example.description.replaceAll("`", "").slice(0, 80)).first());
      const sample = await page.locator("main").innerText();
      for (const key of example.topLevelKeys) expect(sample).toContain(`"${key}"`);
    }
  });
});

