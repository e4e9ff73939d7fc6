#!/usr/bin/env node
// The command pnpm links at install time: it only hands the process to `main`. It is a committed
// file rather than build output so that a fresh clone's install, which links bins before anything
// is built, finds it; run before the build, it says what to do instead of printing a stack.
import { existsSync } from "node:fs";

const { main } = await import("../dist/index.js").catch((error) => {
  if (!existsSync(new URL("../dist/index.js", import.meta.url))) {
    process.stderr.write("@codearts-package-status/cli: dist/index.js is missing: this package has not been built (in the repository: pnpm build)\n");
    process.exit(1);
  }
  throw error;
});
const code = await main({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr, signals: process });
// main resolves once stdout and stderr have taken everything it wrote, or failed to (it hears
// their errors: a closed pipe is no crash). Exits then, so that nothing left behind (an idle
// keep-alive connection, a metrics timer) keeps the process up.
process.exit(code);
