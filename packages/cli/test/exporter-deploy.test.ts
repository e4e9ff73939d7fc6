// The systemd unit an operator copies from deploy/: its command line is one the exporter
// accepts, installed as its comment says it names the command wherever npm's global prefix is
// (systemd-analyze verify), and it is hardened (systemd-analyze's exposure score, where systemd
// is installed).
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CLI } from "./support/cli.js";
import { spawnExporter } from "./support/exporter.js";

const UNIT = fileURLToPath(new URL("../deploy/codearts-package-status-exporter.service", import.meta.url));
const SYSTEMD_ANALYZE = "/usr/bin/systemd-analyze";
const unit = readFileSync(UNIT, "utf8");

describe("the shipped systemd unit", () => {
  it("runs a command line the exporter accepts, and stops cleanly on the SIGTERM systemd sends", async () => {
    const execStart = /^ExecStart=(\S+) exporter (.*)$/m.exec(unit);
    expect(execStart?.[1]).toBe("/usr/bin/codearts-package-status");
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

  it.skipIf(!existsSync(SYSTEMD_ANALYZE))("installed as its comment says, names the command where npm put it, wherever npm's prefix is: systemd-analyze verify passes", async () => {
    // The one install line the unit documents, run as written, but writing into a scratch
    // directory instead of /etc/systemd/system.
    const install = /^#\s+(sed .*) > \/etc\/systemd\/system\/(codearts-package-status-exporter\.service)$/m.exec(unit);
    expect(install, "the unit documents how to write npm's bin directory into ExecStart").not.toBeNull();
    const scratch = mkdtempSync(path.join(tmpdir(), "codearts-unit-"));
    try {
      // Two prefixes a machine may have: Debian's and NodeSource's Node.js (/usr) and nodejs.org's
      // installer (/usr/local), stood in for by scratch directories holding the real bin.
      for (const prefix of ["usr", "usr/local"].map((name) => path.join(scratch, name))) {
        mkdirSync(path.join(prefix, "bin"), { recursive: true });
        symlinkSync(CLI, path.join(prefix, "bin", "codearts-package-status"));
        const installed = path.join(prefix, install![2]!);
        await promisify(execFile)("sh", ["-c", `${install![1]} > "$0"`, installed], { cwd: path.dirname(UNIT), env: { PATH: process.env.PATH ?? "", npm_config_prefix: prefix } });
        const written = readFileSync(installed, "utf8");
        expect(/^ExecStart=(\S+) /m.exec(written)?.[1]).toBe(path.join(prefix, "bin", "codearts-package-status"));
        // Everything else as shipped.
        expect(written.replace(/^ExecStart=\S+/m, "")).toBe(unit.replace(/^ExecStart=\S+/m, ""));
        const verify = await promisify(execFile)(SYSTEMD_ANALYZE, ["verify", installed]).then(
          ({ stderr }) => ({ code: 0, stderr }),
          (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
        );
        expect(verify).toEqual({ code: 0, stderr: "" });
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it.skipIf(!existsSync(SYSTEMD_ANALYZE))("scores as well hardened (exposure 2.0 or less) by systemd-analyze security", async () => {
    const { stdout } = await promisify(execFile)(SYSTEMD_ANALYZE, ["security", "--offline=true", "--threshold=20", UNIT]);
    const score = /Overall exposure level for \S+: (\d+\.\d+)/.exec(stdout);
    expect(Number(score?.[1])).toBeLessThanOrEqual(2);
  });
});
