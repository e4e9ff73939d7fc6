// The systemd unit an operator copies from deploy/: its command line is one the exporter
// accepts, and it is hardened (systemd-analyze's exposure score, where systemd is installed).
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { spawnExporter } from "./support/exporter.js";

const UNIT = fileURLToPath(new URL("../deploy/codearts-package-status-exporter.service", import.meta.url));
const SYSTEMD_ANALYZE = "/usr/bin/systemd-analyze";
const unit = readFileSync(UNIT, "utf8");

describe("the shipped systemd unit", () => {
  it("runs a command line the exporter accepts, and stops cleanly on the SIGTERM systemd sends", async () => {
    const execStart = /^ExecStart=(\S+) exporter (.*)$/m.exec(unit);
    expect(execStart?.[1]).toBe("/usr/local/bin/codearts-package-status");
    // Its own flags as written, on a port the OS picks, against the embedded mock.
    const args = (execStart?.[2] ?? "").split(" ").map((arg) => (arg === "127.0.0.1:9842" ? "127.0.0.1:0" : arg));
    expect(args).toContain("127.0.0.1:0");
    const exporter = await spawnExporter([...args, "--mock"]);
    expect((await fetch(exporter.url)).status).toBe(200);
    expect(await exporter.stop("SIGTERM")).toBe(0);
  });

  it("runs as a dynamic user without privileges, and does not restart after a usage error", () => {
    for (const line of ["DynamicUser=yes", "NoNewPrivileges=yes", "CapabilityBoundingSet=", "ProtectSystem=strict", "ProtectHome=yes", "RestartPreventExitStatus=3"]) {
      expect(unit.split("\n")).toContain(line);
    }
  });

  it.skipIf(!existsSync(SYSTEMD_ANALYZE))("scores as well hardened (exposure 2.0 or less) by systemd-analyze security", async () => {
    const { stdout } = await promisify(execFile)(SYSTEMD_ANALYZE, ["security", "--offline=true", "--threshold=20", UNIT]);
    const score = /Overall exposure level for \S+: (\d+\.\d+)/.exec(stdout);
    expect(Number(score?.[1])).toBeLessThanOrEqual(2);
  });
});
