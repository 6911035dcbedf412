// Generates core/connectors/business-central/catalog/{v2.0,v1.0}.json from the spec copies in
// resources/specs/business-central (`npm run generate:bc-catalog`). catalog.test.ts regenerates in memory and
// compares, so the committed catalog cannot drift from the specs.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { catalogFromEdmx } from './bc-catalog/edmx.js';
import { catalogFromOpenApi } from './bc-catalog/openapi.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bcSpecDir = path.join(root, 'resources/specs/business-central');
export const bcCatalogDir = path.join(root, 'core/connectors/business-central/catalog');

/** The catalog files' exact text, by file name. */
export async function generateBcCatalogs(specDir = bcSpecDir): Promise<Record<string, string>> {
  const [edmx, openApi] = await Promise.all([
    readFile(path.join(specDir, 'bc-v2.0/metadata.xml'), 'utf8'),
    readFile(path.join(specDir, 'bc14-v1.0/BCOAS1.0.yaml'), 'utf8'),
  ]);
  // Written as prettier writes JSON, so `prettier --check` over the repo passes without reformatting them.
  const options = { ...(await resolveConfig(path.join(bcCatalogDir, 'v2.0.json'))), parser: 'json' };
  const text = (value: unknown) => format(JSON.stringify(value), options);
  return {
    'v2.0.json': await text(catalogFromEdmx(edmx)),
    'v1.0.json': await text(catalogFromOpenApi(openApi)),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [file, content] of Object.entries(await generateBcCatalogs())) {
    const target = path.join(bcCatalogDir, file);
    await writeFile(`${target}.tmp`, content);
    await rename(`${target}.tmp`, target);
    console.log(`wrote ${path.relative(root, target)}`);
  }
}
