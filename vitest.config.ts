import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI tests spawn the built binary; keep the suite well inside the 5-minute budget on 2 cores.
    testTimeout: 30_000,
    pool: "threads",
  },
});
