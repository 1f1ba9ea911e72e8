import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@taizhang/core": fileURLToPath(new URL("./packages/core/src/index.ts", import.meta.url)),
      "@taizhang/store": fileURLToPath(new URL("./packages/store/src/index.ts", import.meta.url)),
    },
  },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
