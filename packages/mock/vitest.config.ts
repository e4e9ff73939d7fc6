import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Some tests spawn the CLI or run under a loaded CI machine; none measures time.
    testTimeout: 20_000,
  },
});
