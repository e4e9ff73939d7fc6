// The exporter's tests scrape it with a real Prometheus and check its output and the shipped
// rules with promtool: Debian's `prometheus` package, never a downloaded binary. Installs it from
// Debian's archive when it is missing (these machines run as root). Several test tasks may start
// at once on a fresh machine, so the install runs under a lock: the first installs, the others
// wait and find it there. PROMETHEUS_PATH and PROMTOOL_PATH name other binaries.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const PROMETHEUS = process.env.PROMETHEUS_PATH ?? "/usr/bin/prometheus";
const PROMTOOL = process.env.PROMTOOL_PATH ?? "/usr/bin/promtool";

if (!existsSync(PROMETHEUS) || !existsSync(PROMTOOL)) {
  if (process.getuid?.() !== 0) {
    console.error(`${PROMETHEUS} or ${PROMTOOL} is missing: install Debian's prometheus (apt-get install prometheus) or set PROMETHEUS_PATH and PROMTOOL_PATH`);
    process.exit(1);
  }
  console.log("installing Debian's prometheus for the exporter tests...");
  // --no-install-recommends: the recommended node exporter and its service are not needed.
  const install = `test -x '${PROMETHEUS}' && test -x '${PROMTOOL}' || { apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus; }`;
  execFileSync("flock", [path.join(os.tmpdir(), "codearts-package-status-prometheus.lock"), "sh", "-c", install], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}
