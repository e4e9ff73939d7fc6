import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Fails a test that connects to the ECS metadata address (169.254.169.254).
    setupFiles: ["@codearts-package-status/test-support/vitest-setup"],
    // Each CLI test starts a Node process (and some a mock server); retries after a refused
    // connection add about 1.5 s.
    testTimeout: 30_000,
  },
});
