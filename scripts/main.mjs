// The main job's last step: the built command against its embedded mock. Its exit code is a
// Nagios verdict on the packages (EXIT, from packages/cli/src/exit-codes.ts), and the documented
// examples include packages expiring soon, so a WARNING or CRITICAL is the demo working; only
// UNKNOWN (bad usage, or a service that could not be asked) means the job itself failed.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { EXIT } from "../packages/cli/dist/index.js";

const cli = fileURLToPath(new URL("../packages/cli/bin/codearts-package-status.js", import.meta.url));
const { status, signal } = spawnSync(process.execPath, [cli, "--mock"], { stdio: "inherit" });
if (signal) process.kill(process.pid, signal);
process.exit(status === EXIT.warning || status === EXIT.critical ? EXIT.ok : (status ?? 1));
