// The two files the client reads from the user's disk, the credentials (profile) file and the
// regions file, read as files: whatever sits at their path (a FIFO, a link to /dev/zero, a
// directory, something enormous, a file others can read, a file with a section twice) is answered
// at once, in one line that names the file and never a value. Real files in temp dirs only.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { fifos } from "@codearts-package-status/test-support";
import { CredentialsError, defaultCredentialChain, fromProfile, InvalidParameterError, resolveEndpoints } from "../src/index.js";

const SECRET = "profile-secret-key-never-printed-0123";
const PROFILE = `[basic]\nak = PROFILEACCESSKEY0001\nsk = ${SECRET}\n`;

let dir: string;
// Released after each test: a reader blocked opening one would keep the worker from exiting.
const madeFifos = fifos();
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "codearts-local-files-"));
});
afterEach(() => {
  madeFifos.release();
  rmSync(dir, { recursive: true, force: true });
});

const fifo = (name: string): string => madeFifos.make(dir, name);

function file(name: string, text: string, mode = 0o600): string {
  const at = path.join(dir, name);
  mkdirSync(path.dirname(at), { recursive: true });
  writeFileSync(at, text, { mode });
  chmodSync(at, mode);
  return at;
}

/** How the promise settled, how long it took and how much the process grew, given at most 3 s. */
async function settle(promise: Promise<unknown>): Promise<{ error: unknown; ms: number; rssMiB: number }> {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const error = await Promise.race([
    promise.then(
      () => new Error("it succeeded"),
      (e: unknown) => e,
    ),
    new Promise((resolve) => (timer = setTimeout(() => resolve(new Error("still waiting after 3 s")), 3000))),
  ]);
  clearTimeout(timer);
  return { error, ms: performance.now() - started, rssMiB: (process.memoryUsage().rss - rss) / 2 ** 20 };
}

const resolveWithRegionsFile = (regionsFile: string) => resolveEndpoints({ region: "cn-north-4", env: { HOME: dir, HUAWEICLOUD_SDK_REGIONS_FILE: regionsFile } });

describe("the credentials file", () => {
  test.each([
    ["a FIFO", () => fifo("credentials"), "is a FIFO, not a regular file"],
    ["a link to /dev/zero", () => (symlinkSync("/dev/zero", path.join(dir, "credentials")), path.join(dir, "credentials")), "is a character device, not a regular file"],
    ["a directory", () => (mkdirSync(path.join(dir, "credentials")), path.join(dir, "credentials")), "is a directory, not a regular file"],
    ["a 78 MiB file", () => (file("credentials", PROFILE), truncateSync(path.join(dir, "credentials"), 78 * 2 ** 20), path.join(dir, "credentials")), "is larger than 1 MiB"],
  ])("that is %s fails at once, in one line naming the file, and stops the chain", async (_, make, problem) => {
    const at = make();
    const { error, ms, rssMiB } = await settle(defaultCredentialChain({ env: { HUAWEICLOUD_SDK_CREDENTIALS_FILE: at, CODEARTS_ECS_METADATA_DISABLED: "true" } })());
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).sources).toEqual(["environment (HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_TOKEN not set)", `profile ${at} (${problem})`]);
    expect(ms).toBeLessThan(1000);
    expect(rssMiB).toBeLessThan(16);
  });

  test("at the default path, a FIFO is an error too, not a file that is only missing", async () => {
    mkdirSync(path.join(dir, ".huaweicloud"));
    const at = fifo(path.join(".huaweicloud", "credentials"));
    const { error } = await settle(fromProfile({ env: { HOME: dir } })());
    expect((error as CredentialsError).sources).toEqual([`profile ${at} (is a FIFO, not a regular file)`]);
  });

  test("readable by group or others: used, with one warning through onWarning naming the file and the fix, once per provider", async () => {
    const at = file("credentials", PROFILE, 0o644);
    const warnings: string[] = [];
    const provider = fromProfile({ file: at, onWarning: (message) => warnings.push(message) });
    await expect(provider()).resolves.toMatchObject({ accessKey: "PROFILEACCESSKEY0001" });
    await expect(provider()).resolves.toMatchObject({ accessKey: "PROFILEACCESSKEY0001" });
    expect(warnings).toEqual([`credentials file ${at} can be read by other users (mode 644): run chmod 600 on it`]);
    const viaChain: string[] = [];
    await defaultCredentialChain({ env: { HUAWEICLOUD_SDK_CREDENTIALS_FILE: at }, onWarning: (message) => viaChain.push(message) })();
    expect(viaChain).toEqual(warnings);
  });

  test("readable by its owner only: no warning", async () => {
    const warnings: string[] = [];
    await fromProfile({ file: file("credentials", PROFILE, 0o600), onWarning: (message) => warnings.push(message) })();
    expect(warnings).toEqual([]);
  });

  test("without onWarning, a file others can read is used and nothing is printed", async () => {
    const at = file("credentials", PROFILE, 0o644);
    await expect(fromProfile({ file: at })()).resolves.toMatchObject({ accessKey: "PROFILEACCESSKEY0001" });
  });

  test.each([
    ["a [basic] section twice", `[basic]\nak = PROFILEACCESSKEY0001\n\n[basic]\nsk = ${SECRET}\n`, "line 4 repeats the section [basic] of line 1"],
    ["a section twice in another case", `[basic]\nak = PROFILEACCESSKEY0001\n[BASIC]\nsk = ${SECRET}\n`, "line 3 repeats the section [basic] of line 1"],
    ["a key twice in one section", `[basic]\nak = PROFILEACCESSKEY0001\nsk = ${SECRET}\nAK: OTHERACCESSKEY00001\n`, "line 4 repeats the key ak of line 2"],
    ["an unknown key twice, named by its line only", `[basic]\nak = A\nsk = B\n${SECRET} = 1\n${SECRET}= 2\n`, "line 5 repeats a key of line 4"],
  ])("with %s is refused with the line, as Python's strict configparser does", async (_, text, problem) => {
    const at = file("credentials", text);
    const { error } = await settle(fromProfile({ file: at })());
    expect((error as CredentialsError).sources).toEqual([`profile ${at} (${problem})`]);
    expect(String((error as Error).message)).not.toContain(SECRET);
  });
});

describe("the regions file", () => {
  test.each([
    ["a FIFO", () => fifo("regions.yaml"), "is a FIFO, not a regular file"],
    ["a link to /dev/zero", () => (symlinkSync("/dev/zero", path.join(dir, "regions.yaml")), path.join(dir, "regions.yaml")), "is a character device, not a regular file"],
    ["a directory", () => (mkdirSync(path.join(dir, "regions.yaml")), path.join(dir, "regions.yaml")), "is a directory, not a regular file"],
  ])("that is %s fails at once with InvalidParameterError naming the variable and the file", async (_, make, problem) => {
    const at = make();
    const { error, ms } = await settle(resolveWithRegionsFile(at));
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as Error).message).toBe(`Invalid HUAWEICLOUD_SDK_REGIONS_FILE: ${at} ${problem}`);
    expect(ms).toBeLessThan(1000);
  });

  test("of 16 MiB is refused unread, within a second and a few MiB", async () => {
    const entry = "CodeArtsCheck:\n" + "  - id: cn-north-4\n    endpoint: https://check.example.test\n".repeat(16 * 2 ** 20 / 56);
    const at = file("regions.yaml", entry);
    const { error, ms, rssMiB } = await settle(resolveWithRegionsFile(at));
    expect((error as Error).message).toBe(`Invalid HUAWEICLOUD_SDK_REGIONS_FILE: ${at} is larger than 1 MiB`);
    expect(ms).toBeLessThan(1000);
    expect(rssMiB).toBeLessThan(16);
  });

  test("~/.huaweicloud/regions.yaml that is a FIFO is an error too, named as the regions file", async () => {
    mkdirSync(path.join(dir, ".huaweicloud"));
    const at = fifo(path.join(".huaweicloud", "regions.yaml"));
    const { error } = await settle(resolveEndpoints({ region: "cn-north-4", env: { HOME: dir } }));
    expect((error as Error).message).toBe(`Invalid regions file: ${at} is a FIFO, not a regular file`);
  });

  test("is not read when every service's endpoint is given", async () => {
    const endpoints = { artifact: "https://a.example.test", check: "https://c.example.test", pipeline: "https://p.example.test", iam: "https://i.example.test" };
    const { error } = await settle(resolveEndpoints({ region: "cn-north-4", endpoints, env: { HOME: dir, HUAWEICLOUD_SDK_REGIONS_FILE: fifo("regions.yaml") } }));
    expect(error).toEqual(new Error("it succeeded"));
  });

  test("a YAML escape it cannot read names the file and the line, never the value", async () => {
    const at = file("regions.yaml", `CodeArtsCheck:\n  - id: cn-north-4\n    endpoint: "https://user:secret@check.example.test/\\q"\n`);
    const { error } = await settle(resolveWithRegionsFile(at));
    expect((error as Error).message).toBe(`Invalid HUAWEICLOUD_SDK_REGIONS_FILE: ${at} line 3: a double-quoted value has an escape YAML does not define`);
  });

  test("YAML's own escapes in a double-quoted value are read", async () => {
    const at = file("regions.yaml", `CodeArtsCheck:\n  - id: cn-north-4\n    endpoint: "https://check.example.test/\\x61\\u0062\\/c"\n`);
    await expect(resolveWithRegionsFile(at)).resolves.toMatchObject({ check: { urls: ["https://check.example.test/ab/c"] } });
  });
});
