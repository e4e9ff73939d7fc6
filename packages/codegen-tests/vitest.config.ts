import { defineConfig } from "vitest/config";

// Each step runs pnpm and turbo in a copy of the repository, the longest the whole `pnpm test`:
// timeouts are generous because this suite proves behaviour, not speed.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
