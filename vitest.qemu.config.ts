import { defineConfig } from "vitest/config";

// npm run test:qemu: the differential test of the emulator against qemu-user (needs only qemu-user: the test
// writes its own static ELF executables).
export default defineConfig({
  test: {
    include: ["emulator/**/*.qemu.test.ts", "property-tests/qemu/**/*.qemu.test.ts"],
    pool: "forks",
    testTimeout: 1_800_000,
  },
});
