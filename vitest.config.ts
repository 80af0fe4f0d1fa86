import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Ceilings against hangs, not speed checks: the first test of a file builds the whole stack
    // (classifier training, migrations) and on a loaded 2-core machine that alone took 30-40 s.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: ["default", "./test/summary-reporter.ts"],
    env: { DOTENV_CONFIG_QUIET: "true", LOG_LEVEL: "silent" },
  },
});
