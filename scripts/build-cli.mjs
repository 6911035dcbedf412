// Bundles the CLI (core/cli/entry.ts) into dist/ferry.mjs. Native modules stay external: they load from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['core/cli/entry.ts'],
  outfile: 'dist/ferry.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', '@napi-rs/keyring'],
  // Bundled CommonJS dependencies (jsonata) call require(); give ESM output one.
  banner: {
    js: "import { createRequire as __ferryRequire } from 'node:module'; const require = __ferryRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
