#!/usr/bin/env node
// The command an MCP client starts: it only hands the process to `main`. A committed file rather
// than build output, so that a fresh clone's install, which links bins before anything is built,
// finds it; run before the build, it says what to do instead of printing a stack.
import { existsSync } from "node:fs";

const { main } = await import("../dist/index.js").catch((error) => {
  if (!existsSync(new URL("../dist/index.js", import.meta.url))) {
    process.stderr.write("@codearts-package-status/mcp: dist/index.js is missing: this package has not been built (in the repository: pnpm build)\n");
    process.exit(1);
  }
  throw error;
});
const code = await main({ argv: process.argv.slice(2), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
// Exits once the client has gone, so that nothing left behind (an idle keep-alive connection,
// the embedded mock) keeps the process up.
process.exit(code);
