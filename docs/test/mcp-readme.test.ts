// The MCP server's README gives configurations to paste into Claude Desktop and VS Code. A reader
// pastes them as they are, and a client that cannot parse one, or a server that refuses its
// arguments, fails quietly in a log the reader never opens: every JSON block of the README must
// parse, start the server it names with arguments its parser accepts, and keep credentials out
// of the arguments (VS Code's secrets behind password inputs).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const README = readFileSync(path.join(root, "packages/mcp/README.md"), "utf8");
const BIN = "codearts-package-status-mcp";
// This package's bins, the MCP server's among them (a devDependency), as a global install puts it on PATH.
const BIN_DIR = fileURLToPath(new URL("../node_modules/.bin", import.meta.url));

/** Every ```json block of the README, with the line it starts on. */
const blocks = [...README.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((match) => ({
  line: README.slice(0, match.index).split("\n").length,
  text: match[1]!,
}));

interface ServerEntry {
  type?: unknown;
  command?: unknown;
  args?: unknown;
  env?: unknown;
}
interface Input {
  type?: unknown;
  id?: unknown;
  description?: unknown;
  password?: unknown;
}
interface Config {
  mcpServers?: Record<string, ServerEntry>;
  servers?: Record<string, ServerEntry>;
  inputs?: Input[];
}

function parsed(block: { line: number; text: string }): Config {
  try {
    return JSON.parse(block.text) as Config;
  } catch (error) {
    throw new Error(`packages/mcp/README.md:${block.line}: the JSON block does not parse: ${(error as Error).message}`);
  }
}

// The variables of the CLI's credential chain, and the flags that carry credentials.
const SECRET_VARIABLES = ["HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN"];
const CREDENTIAL_VARIABLES = ["HUAWEICLOUD_SDK_AK", ...SECRET_VARIABLES];
const CREDENTIAL_FLAGS = ["--access-key", "--secret-key", "--token", "--security-token"];

/** Every server entry of every block, as `<block line> <client> <name>`. */
const entries = blocks.flatMap((block) => {
  let config: Config;
  try {
    config = parsed(block);
  } catch {
    return [];
  }
  const of = (client: "Claude Desktop" | "VS Code", servers: Record<string, ServerEntry> | undefined) =>
    Object.entries(servers ?? {}).map(([name, entry]) => ({ label: `line ${block.line}, ${client} ${name}`, client, name, entry, inputs: config.inputs ?? [] }));
  return [...of("Claude Desktop", config.mcpServers), ...of("VS Code", config.servers)];
});

const args = (entry: ServerEntry) => entry.args as string[];
const env = (entry: ServerEntry) => (entry.env ?? {}) as Record<string, string>;
const INPUT = /\$\{input:([^}]+)\}/g;

const home = mkdtempSync(path.join(tmpdir(), "codearts-mcp-readme-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/**
 * Starts the entry's command as the client would (its args, its env with each `${input:…}` given a
 * value), on an empty home and with no ECS metadata, and ends its stdin at once: a server that
 * accepted its arguments and found credentials serves until then and exits 0.
 */
function start(entry: ServerEntry): Promise<{ code: number | null; stderr: string; credentials: string[] }> {
  const variables = Object.fromEntries(Object.entries(env(entry)).map(([name, value]) => [name, value.replace(INPUT, (_, id: string) => `readme-test-value-of-${id}`)]));
  const credentials = CREDENTIAL_VARIABLES.map((name) => variables[name]).filter((value): value is string => value !== undefined);
  return new Promise((resolve, reject) => {
    const child = spawn(entry.command as string, args(entry), {
      env: { PATH: `${BIN_DIR}${path.delimiter}${process.env.PATH ?? ""}`, HOME: home, CODEARTS_ECS_METADATA_DISABLED: "true", ...variables },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, credentials });
    });
  });
}

describe("the MCP server's README: its configuration snippets", () => {
  test("every JSON block parses (Claude Desktop and VS Code read strict JSON: no comment, no trailing comma)", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) parsed(block);
  });

  test("there is a Claude Desktop one (mcpServers) with --mock, one with an account, and a VS Code one (servers, inputs)", () => {
    expect(entries.filter((e) => e.client === "Claude Desktop").map((e) => args(e.entry).includes("--mock"))).toEqual(expect.arrayContaining([true, false]));
    expect(entries.filter((e) => e.client === "VS Code").length).toBeGreaterThanOrEqual(1);
    expect(README).toContain("claude_desktop_config.json");
    expect(README).toContain(".vscode/mcp.json");
  });

  describe.each(entries.map((e) => [e.label, e] as const))("%s", (_, { client, entry, inputs }) => {
    test("names the bin, with arguments and environment of strings; in VS Code, as a stdio server", () => {
      expect(entry.command).toBe(BIN);
      expect(Array.isArray(entry.args) && args(entry).every((arg) => typeof arg === "string")).toBe(true);
      expect(Object.values(env(entry)).every((value) => typeof value === "string")).toBe(true);
      if (client === "VS Code") expect(entry.type).toBe("stdio");
      else expect(entry.type).toBeUndefined();
    });

    test("keeps credentials out of the arguments: no credential flag, no value of a credential variable", () => {
      const flags = args(entry).filter((arg) => CREDENTIAL_FLAGS.includes(arg.split("=")[0]!));
      expect(flags).toEqual([]);
      for (const name of CREDENTIAL_VARIABLES) {
        const value = env(entry)[name];
        if (value !== undefined) expect(args(entry).some((arg) => arg.includes(value))).toBe(false);
      }
      expect(args(entry).join(" ")).not.toMatch(/HUAWEICLOUD_SDK_(AK|SK|TOKEN|SECURITY_TOKEN)/);
    });

    if (client === "VS Code") {
      test("each ${input:…} is a declared promptString input, and a secret variable's is a password", () => {
        for (const [name, value] of Object.entries(env(entry))) {
          const ids = [...value.matchAll(INPUT)].map((m) => m[1]);
          for (const id of ids) {
            const input = inputs.find((i) => i.id === id);
            expect(input, `input ${id} of ${name}`).toBeDefined();
            expect(input!.type).toBe("promptString");
            expect(typeof input!.description).toBe("string");
            if (SECRET_VARIABLES.includes(name)) expect(input!.password, `input ${id} of ${name}`).toBe(true);
          }
          // A secret in the workspace's file would be committed with it.
          if (SECRET_VARIABLES.includes(name)) expect(ids, `${name} comes from an input`).toHaveLength(1);
        }
      });
    }

    test("starts the server: its parser accepts the arguments, the credentials are found, and it exits 0 when the client goes", async () => {
      const { code, stderr, credentials } = await start(entry);
      expect({ code, stderr }).toEqual({ code: 0, stderr: args(entry).includes("--mock") ? expect.stringMatching(/^codearts-package-status-mcp: using the embedded mock server at http:\/\/127\.0\.0\.1:\d+: [^\n]*\n$/) : "" });
      for (const value of credentials) expect(stderr).not.toContain(value);
    });
  });
});
