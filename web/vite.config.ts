import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// One single-page app for the admin console and the viewer pages. The Python
// server serves index.html for /admin, /e/{id} and /embed/{id}, and the
// assets under /static/app/.
export default defineConfig(({ command }) => ({
  base: command === "build" ? "/static/app/" : "/",
  plugins: [react()],
  build: {
    outDir: "../src/golive/static/app",
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    target: "es2022",
    // hls.js (full build, for captions) is one ~580 kB chunk loaded only by the player.
    chunkSizeWarningLimit: 650,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/media": "http://127.0.0.1:8000",
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
}));
