import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Fails a test that connects to the ECS metadata address (169.254.169.254).
    setupFiles: ["@codearts-package-status/test-support/vitest-setup"],
    // Most tests spawn the server's bin, which starts the embedded mock.
    testTimeout: 30_000,
  },
});
