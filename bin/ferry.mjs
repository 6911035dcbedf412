#!/usr/bin/env node
// The `ferry` command. The TypeScript sources are bundled to dist/ by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/ferry.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('ferry: not built yet: run `npm run build` in the Ferry folder first\n');
  process.exit(70);
}
const { runCli } = await import(bundle.href);
process.exitCode = await runCli(process.argv.slice(2));
