// The browser tests use Debian's chromium, never a browser a test tool downloads. Installs it
// from Debian's archive when it is missing (these machines run as root). Several test tasks
// may start at once on a fresh machine, so the install runs under a lock: the first installs,
// the others wait and find it there.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() !== 0) {
    console.error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
    process.exit(1);
  }
  console.log("installing Debian's chromium for the browser tests...");
  const install = `test -x '${CHROMIUM}' || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; }`;
  execFileSync("flock", [path.join(os.tmpdir(), "codearts-package-status-chromium.lock"), "sh", "-c", install], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}
