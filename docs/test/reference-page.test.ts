// Opens the rendered reference (docs/dist/index.html) in Debian's chromium and checks what a
// reader relies on: it makes no request but for the file itself, every operation is reachable by
// its deep link with its parameters, its four tested code samples and every documented example,
// search finds every schema field, and the page explains AK/SK and links to the packages.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromiumLaunchOptions, documentedOperations, spec } from "@codearts-package-status/test-support";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { codeSamples } from "./support/samples.js";
import { openOperation, recordRequests } from "./support/reference.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const pageUrl = pathToFileURL(path.join(here, "../dist/index.html")).href;
const screenshots = path.join(here, "../screenshots");
const operations = documentedOperations();

let browser: Browser;
let page: Page;
let requests: ReturnType<typeof recordRequests>;
// What the browser reports as wrong with the page: console errors (a resource the
// Content-Security-Policy refused is one), uncaught exceptions, and CSP violation events.
const problems: string[] = [];

beforeAll(async () => {
  browser = await chromium.launch(chromiumLaunchOptions);
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  requests = recordRequests(page);
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`exception: ${error.message}`));
  await page.exposeFunction("reportViolation", (text: string) => problems.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  // Recorded above, and refused here so that nothing ever leaves the machine, even when the page regresses.
  await page.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : route.abort()));
  mkdirSync(screenshots, { recursive: true });
  await page.goto(pageUrl);
  await page.getByRole("heading", { name: spec.info.title }).first().waitFor({ timeout: 15_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Waits for the element to be shown, and fails if it is not. */
async function expectVisible(locator: Locator) {
  await locator.waitFor({ state: "visible", timeout: 5_000 });
  expect(await locator.isVisible()).toBe(true);
}

const mainText = () => page.locator("main, #app").first().innerText();

test("the page renders from one file: the title and every service are shown", async () => {
  for (const tag of spec.tags) await expectVisible(page.getByText(tag["x-displayName"] ?? tag.name, { exact: true }).first());
  await page.screenshot({ path: path.join(screenshots, "overview.png") });
});

test("loads without a console error or a Content-Security-Policy violation: no font, script or style it asks for is refused", async () => {
  // Fonts are asked for once text in them is laid out; give the page a moment after its title.
  await page.waitForTimeout(1_000);
  expect(problems).toEqual([]);
});

test("names no font on another host: Scalar's @font-face rules for its CDN are not in the page, so none can be asked for and refused", () => {
  const html = readFileSync(fileURLToPath(pageUrl), "utf8");
  expect(html.match(/url\(\s*["']?https?:\/\/[^)]*/g) ?? []).toEqual([]);
  expect(html).not.toContain("fonts.scalar.com");
});

test("the introduction explains both ways to authenticate, the AK/SK signing algorithm included", async () => {
  const text = await mainText();
  for (const [name, scheme] of Object.entries(spec.components.securitySchemes)) {
    expect(text).toContain(name);
    // Rendered as Markdown: code spans lose their backticks.
    expect(text.replace(/\s+/g, " ")).toContain(String(scheme.description).replaceAll("`", "").replace(/\s+/g, " ").slice(0, 120));
  }
  expect(text).toContain("SDK-HMAC-SHA256");
});

test("the introduction links to the packages: install, createClient, the CLI, the mock with try-it and the MCP server", async () => {
  const text = await mainText();
  expect(text).toContain("npm install @codearts-package-status/client");
  expect(text).toMatch(/createClient\(\{ region: "cn-north-4", credentials: \{ token \} \}\)/);
  expect(text).toContain("npm install --global @codearts-package-status/cli");
  expect(text).toContain("codearts-package-status-mock --docs");
  expect(text).toContain("@codearts-package-status/mcp");
  expect(text).toContain("codearts-package-status-mcp");
  expect(text).toContain("package_report");
});

describe.each(operations.map((o) => [o.operationId, o] as const))("%s", (id, operation) => {
  let section: Locator;
  beforeAll(async () => {
    section = await openOperation(page, pageUrl, operation);
  }, 60_000);

  test("its deep link scrolls to it, with its summary and request line", async () => {
    await expectVisible(section.getByRole("heading", { name: operation.summary }).first());
    expect(await section.innerText()).toContain(operation.path);
    await page.screenshot({ path: path.join(screenshots, `${id}.png`) });
  });

  test("every parameter is shown", async () => {
    const text = await section.innerText();
    for (const { name } of operation.parameters) expect(text).toMatch(new RegExp(`(^|\\n)${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s`));
  });

  test.each(codeSamples[id]!.samples.map((s) => [s.label, s] as const))("the %s sample is offered, and shown verbatim once chosen", async (label, sample) => {
    await section.getByRole("button", { name: /^Change code sample language/ }).click();
    await page.getByRole("option", { name: label, exact: true }).click();
    const code = section.locator("code.hljs").first();
    await expect.poll(async () => (await code.textContent())?.trim(), { timeout: 10_000 }).toBe(sample.source.trim());
  });

  for (const example of operation.examples) {
    const ofStatus = operation.examples.filter((e) => e.status === example.status && e.mediaType === example.mediaType);
    const chosen = ofStatus.length > 1 ? "from the example menu of its status" : "by its status tab";
    test(`the ${example.status} ${example.name} example is shown, value and description, once chosen ${chosen}`, async () => {
      await section.getByRole("tab", { name: new RegExp(`\\b${example.status}\\b`) }).first().click();
      // The card keeps the example an earlier test picked, so the first of several is picked too.
      if (ofStatus.length > 1) await chooseFromMenu(section, example.summary ?? example.name);
      if (example.description) await expectVisible(section.getByText(example.description.replaceAll("`", "").slice(0, 80)).first());
      const shown = section.locator("code.hljs.language-json").first();
      await expect.poll(async () => JSON.parse((await shown.textContent()) ?? "null"), { timeout: 10_000 }).toEqual(example.value);
    }, 60_000);
  }
});

/** Picks an example in Scalar's menu of the response card, which lists each by its summary, else its key. */
async function chooseFromMenu(section: Locator, label: string) {
  // The menu's button is named after the example it shows, so its test id finds it; its listbox
  // is teleported out of the section.
  const menuButton = section.locator(".response-card").getByTestId("example-picker");
  const option = page.getByRole("listbox").getByRole("option", { name: label, exact: true });
  // The spec → generate loop runs this beside every other suite on two cores, where a click can
  // land while the card re-renders and open nothing: each round closes whatever is open and
  // tries again, and the last round's state is in the failure.
  await vi.waitFor(
    async () => {
      if ((await menuButton.innerText({ timeout: 5_000 })) === label) return;
      await page.keyboard.press("Escape");
      try {
        await menuButton.click({ timeout: 5_000 });
        await option.click({ timeout: 5_000 });
      } catch (error) {
        const state = `${await menuButton.count()} menu button(s) showing ${JSON.stringify(await menuButton.first().innerText().catch(() => null))}, ${await page.getByRole("listbox").count()} listbox(es) open`;
        throw new Error(`choosing ${JSON.stringify(label)}: ${String(error).split("\n")[0]} (${state})`);
      }
      expect(await menuButton.innerText({ timeout: 5_000 })).toBe(label);
    },
    { timeout: 40_000, interval: 250 },
  );
}

/** Every property name of every schema, at any depth. */
function fieldNames(): string[] {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    if (properties && typeof properties === "object") for (const name of Object.keys(properties)) names.add(name);
    Object.values(node).forEach(walk);
  };
  walk(spec.components.schemas);
  return [...names].sort();
}

describe("search", () => {
  const search = async (query: string): Promise<string[]> => {
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+k");
    const box = page.getByRole("combobox").or(page.getByRole("searchbox")).first();
    await box.fill(query);
    const results = page.getByRole("dialog").getByRole("option");
    await results.first().waitFor({ timeout: 5_000 }).catch(() => undefined);
    return results.allInnerTexts();
  };

  beforeAll(async () => {
    await page.goto("about:blank");
    await page.goto(pageUrl);
    await page.getByRole("heading", { name: spec.info.title }).first().waitFor({ timeout: 15_000 });
  }, 60_000);

  test("finds an operation or model for every field of every schema", async () => {
    const missing: string[] = [];
    for (const name of fieldNames()) if ((await search(name)).length === 0) missing.push(name);
    expect(missing).toEqual([]);
  }, 120_000);

  test("shows its results with words apart, never run together", async () => {
    for (const query of ["is_main", "main package"]) {
      const results = (await search(query)).join("\n");
      expect(results.length).toBeGreaterThan(0);
      expect(results).not.toMatch(/withis_main|mainpackage/);
    }
  });
});

test("the page made no request but for the file itself: no CDN, font, image or telemetry", () => {
  const file = pageUrl.replace(/#.*$/, "");
  expect(requests.requested.filter((url) => url.replace(/#.*$/, "") !== file && url !== "about:blank")).toEqual([]);
  expect(requests.failed).toEqual([]);
});
