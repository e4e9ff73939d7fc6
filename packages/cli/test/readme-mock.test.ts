// The README's `--mock` section tells a newcomer which IDs the run uses: what it says must be what
// the command does, or the first thing they try to check contradicts the page.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startMockServer } from "@codearts-package-status/mock";
import { runCli } from "./support/cli.js";

const README = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
const section = /^## `--mock`\n([\s\S]*?)^## /m.exec(README)?.[1] ?? "";

describe("the README's --mock section", () => {
  it("names the tenant ID the run discovers from the mock's IAM, and the line --verbose prints about it", async () => {
    const mock = await startMockServer({ host: "127.0.0.1", port: 0 });
    let domain: string;
    try {
      const answer = (await (await fetch(`${mock.url}/v3/auth/domains`, { headers: { "X-Auth-Token": "readme-test-token" } })).json()) as { domains: Array<{ id: string }> };
      domain = answer.domains[0]!.id;
    } finally {
      await mock.close();
    }
    const { stderr } = await runCli(["--mock", "--verbose"]);
    const said = stderr.split("\n").find((line) => line.includes("tenant ID from"));
    expect(said).toBeDefined();
    expect(section).toContain(said!);
    expect(section).toContain(domain);
    // The tenant of the examples elsewhere in the README is not the one --mock asks about.
    expect(section).not.toContain("389efb76b1354e4482eabeedxxxxxxxx");
  });

  it("names the project ID the run sends", async () => {
    const { stdout } = await runCli(["--mock", "--json"]);
    expect(JSON.parse(stdout).packages.length).toBeGreaterThan(0);
    expect(section).toContain("666666af0f00445f85dec483fbc97c78");
  });
});
