// The README's cron example, run as cron runs it: its variable lines as the environment, its
// command through `sh -c`, with the credentials file it reads replaced by a stub of KEY=value
// lines and the services by a mock on 127.0.0.1. A file sourced without `set -a` sets shell
// variables that the command never sees.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "@codearts-package-status/mock";
import { CLI, HOME } from "./support/cli.js";

const README = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
const cron = /^```cron\n([\s\S]*?)^```/m.exec(README)?.[1] ?? "";

let mock: MockServer;
let dir: string;
beforeAll(async () => {
  mock = await startMockServer({ host: "127.0.0.1", port: 0 });
  dir = mkdtempSync(path.join(tmpdir(), "codearts-cron-"));
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the README's cron example", () => {
  it("hands the credentials file's KEY=value lines to the command, which then asks the services", async () => {
    const lines = cron.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
    const variables = Object.fromEntries(lines.filter((line) => /^[A-Z_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
    const job = lines.find((line) => /^\S+ \S+ \S+ \S+ \S+ /.test(line) && !/^[A-Z_]+=/.test(line));
    // /etc/cron.d lines: five time fields, the user, then the command for /bin/sh.
    const command = /^(?:\S+ ){6}(.*)$/.exec(job ?? "")?.[1];
    expect(command, "a job line in /etc/cron.d form").toBeDefined();
    const sourced = /\. (\/[^\s;&]+)/.exec(command!)?.[1];
    expect(sourced, "the command sources a credentials file").toBeDefined();
    const program = /(\S*codearts-package-status)(?= )/.exec(command!)?.[1];
    expect(program).toBeDefined();

    // The credentials file as an operator writes it: plain KEY=value lines, no `export`.
    const credentials = path.join(dir, "codearts-credentials");
    writeFileSync(credentials, "HUAWEICLOUD_SDK_TOKEN=cron-test-token\n", { mode: 0o600 });
    const run = command!.replaceAll(sourced!, credentials).replaceAll(program!, `node ${CLI}`);
    // cron's environment: its variable lines and little else; the services are the mock's.
    const endpoints = Object.fromEntries(["CODEARTSARTIFACT", "CODEARTSCHECK", "CODEARTSPIPELINE"].map((service) => [`HUAWEICLOUD_SDK_REGION_${service}_CN_NORTH_4`, mock.url]));
    const env = { PATH: process.env.PATH ?? "", HOME, CODEARTS_ECS_METADATA_DISABLED: "true", ...variables, ...endpoints };
    const result = await promisify(execFile)("/bin/sh", ["-c", run], { env }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    // Every documented package has 11 days or more left: OK under --warn-days 7, and cron mails nothing.
    expect(result).toEqual({ code: 0, stderr: "" });
  });
});
