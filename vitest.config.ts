import { defineConfig } from "vitest/config";

// npm test: everything except the QEMU differential suite (which needs qemu-user; see vitest.qemu.config.ts).
export default defineConfig({
  test: {
    include: ["{src,emulator,jit,conformance,property-tests,bench,scripts}/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/*.qemu.test.ts"],
    pool: "forks",
    setupFiles: ["./vitest.setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
