#!/usr/bin/env node
// The command pnpm links at install time. It is a committed file rather than the build output
// itself so that a fresh clone's install, which links bins before anything is built, finds it;
// run before the build, it says what to do instead of printing a stack.
import { existsSync } from "node:fs";

import("../dist/cli.js").catch((error) => {
  if (!existsSync(new URL("../dist/cli.js", import.meta.url))) {
    process.stderr.write("@codearts-package-status/cli: dist/cli.js is missing: this package has not been built (in the repository: pnpm build)\n");
    process.exit(1);
  }
  throw error;
});
