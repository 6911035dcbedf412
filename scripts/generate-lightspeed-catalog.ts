// Generates core/connectors/lightspeed/catalog/catalog.json from the gzipped OpenAPI copy in resources/specs/lightspeed
// (`npm run generate:lightspeed-catalog`). catalog.test.ts regenerates in memory and compares, so the committed
// catalog cannot drift from the spec.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { format, resolveConfig } from 'prettier';
import { catalogFromOpenApi } from './lightspeed-catalog/entities.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const lightspeedSpecFile = 'resources/specs/lightspeed/x-series-api-2.0-openapi.json.gz';
export const lightspeedCatalogFile = path.join(root, 'core/connectors/lightspeed/catalog/catalog.json');

/** The OpenAPI copy as text. */
export async function readLightspeedSpec(): Promise<string> {
  return gunzipSync(await readFile(path.join(root, lightspeedSpecFile))).toString('utf8');
}

/** The catalog file's exact text. */
export async function generateLightspeedCatalog(): Promise<string> {
  const data = catalogFromOpenApi(await readLightspeedSpec(), lightspeedSpecFile);
  // Written as prettier writes JSON, so `prettier --check` over the repo passes without reformatting it.
  const options = { ...(await resolveConfig(lightspeedCatalogFile)), parser: 'json' };
  return format(JSON.stringify(data), options);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = await generateLightspeedCatalog();
  await writeFile(`${lightspeedCatalogFile}.tmp`, text);
  await rename(`${lightspeedCatalogFile}.tmp`, lightspeedCatalogFile);
  console.log(`wrote ${path.relative(root, lightspeedCatalogFile)}`);
}
