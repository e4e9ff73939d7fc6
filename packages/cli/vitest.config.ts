import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each CLI test starts a Node process (and some a mock server); retries after a refused
    // connection add about 1.5 s.
    testTimeout: 30_000,
  },
});
