// Bundles the desktop shell into dist/electron: main.mjs and engine-process.mjs (ESM, Node), preload.cjs (CommonJS:
// a sandboxed preload cannot load ES modules and may only require('electron')). Native modules stay external.
import { build } from 'esbuild';

const native = ['electron', 'better-sqlite3', '@napi-rs/keyring'];

const node = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  external: native,
  // Bundled CommonJS dependencies (jsonata, conf's) call require(); give ESM output one.
  banner: {
    js: "import { createRequire as __ferryRequire } from 'node:module'; const require = __ferryRequire(import.meta.url);",
  },
  logLevel: 'warning',
};

await Promise.all([
  build({ ...node, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.mjs' }),
  build({ ...node, entryPoints: ['electron/engine-process.ts'], outfile: 'dist/electron/engine-process.mjs' }),
  build({
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    bundle: true,
    // 'browser' makes any Node built-in that sneaks into the preload a build error instead of a runtime one.
    platform: 'browser',
    format: 'cjs',
    target: 'chrome130',
    // The contract's method names come with zod (~450 kB minified); minifying halves what every page load parses.
    minify: true,
    sourcemap: true,
    external: ['electron'],
    logLevel: 'warning',
  }),
]);
