// The main job's last step: the built command against its embedded mock. Its exit code is a
// Nagios verdict on the packages (packages/cli/src/exit-codes.ts: 1 WARNING, 2 CRITICAL), and the
// documented examples include packages expiring soon, so a WARNING is the demo working; only 3
// (bad usage, or a service that could not be asked) means the job itself failed.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../packages/cli/dist/cli.js", import.meta.url));
const { status, signal } = spawnSync(process.execPath, [cli, "--mock"], { stdio: "inherit" });
if (signal) process.kill(process.pid, signal);
process.exit(status === 1 || status === 2 ? 0 : (status ?? 1));
