// Drives the rendered reference (Scalar) in chromium: opens an operation by its deep link, finds its
// section, and records every request the page makes.
import type { DocumentedOperation } from "@codearts-package-status/test-support";
import type { Locator, Page } from "playwright-core";

/** The deep link of an operation: `#tag/<tag>/<METHOD><path>`, as the sidebar writes it. */
export const operationHash = (operation: DocumentedOperation): string => `#tag/${operation.tag}/${operation.method}${operation.path}`;

/** The operation's section of the page. */
export const operationSection = (page: Page, operation: DocumentedOperation): Locator =>
  page.locator(`section[id$="/tag/${operation.tag}/${operation.method}${operation.path}"]`);

/** Loads the page at the operation's deep link and waits until its section shows its summary. */
export async function openOperation(page: Page, pageUrl: string, operation: DocumentedOperation): Promise<Locator> {
  await page.goto("about:blank");
  await page.goto(`${pageUrl}${operationHash(operation)}`);
  const section = operationSection(page, operation);
  await section.getByRole("heading", { name: operation.summary }).first().waitFor({ state: "visible", timeout: 15_000 });
  return section;
}

/** Every request the page makes (images and fonts included) and every one that failed, as URLs. */
export function recordRequests(page: Page): { requested: string[]; failed: string[] } {
  const log = { requested: [] as string[], failed: [] as string[] };
  page.on("request", (request) => log.requested.push(request.url()));
  page.on("requestfailed", (request) => log.failed.push(`${request.url()} (${request.failure()?.errorText ?? "failed"})`));
  return log;
}
