import { defineConfig } from 'vite';

const server = 'http://localhost:8080';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    // maplibre-gl alone is ~1.1 MB minified; the default 500 kB limit would warn on every build.
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // MapLibre's worker ships as .mjs; emit it as .js so any static server sends a JavaScript MIME type.
        assetFileNames: ({ names }) =>
          names.some((name) => name.endsWith('.mjs')) ? 'assets/[name]-[hash].js' : 'assets/[name]-[hash][extname]',
      },
    },
  },
  server: {
    proxy: {
      '/api': server,
      '/health': server,
      '/ws': { target: server, ws: true },
    },
  },
});
