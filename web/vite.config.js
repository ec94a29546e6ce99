// Builds the page into dist/: index.html plus content-hashed files under
// assets/, which is exactly what the server serves (api/web_site.h). No
// inline script (the server's Content-Security-Policy forbids it), no
// external requests: ECharts is bundled.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
  },
});
