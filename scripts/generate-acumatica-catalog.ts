// Generates core/connectors/acumatica/catalog/<endpoint>-<version>.json from the gzipped endpoint definitions in
// resources/specs/acumatica (`npm run generate:acumatica-catalog`). catalog.test.ts regenerates in memory and
// compares, so the committed catalogs cannot drift from the specs.
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { format, resolveConfig } from 'prettier';
import { catalogFromEndpointDefinition } from './acumatica-catalog/endpoint-definition.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const acumaticaSpecDir = path.join(root, 'resources/specs/acumatica');
export const acumaticaCatalogDir = path.join(root, 'core/connectors/acumatica/catalog');

/** A gzipped spec copy as text (`default-24.200.001/swagger.json.gz`). */
export async function readAcumaticaSpec(file: string, specDir = acumaticaSpecDir): Promise<string> {
  return gunzipSync(await readFile(path.join(specDir, file))).toString('utf8');
}

/** The catalog files' exact text, by file name (`Default-24.200.001.json`). */
export async function generateAcumaticaCatalogs(specDir = acumaticaSpecDir): Promise<Record<string, string>> {
  const folders = (await readdir(specDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && /^[a-z]+-\d+\.\d+\.\d+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  // Written as prettier writes JSON, so `prettier --check` over the repo passes without reformatting them.
  const options = { ...(await resolveConfig(path.join(acumaticaCatalogDir, 'Default.json'))), parser: 'json' };
  const result: Record<string, string> = {};
  for (const folder of folders) {
    const file = `${folder}/endpoint-definition.xml.gz`;
    const data = catalogFromEndpointDefinition(await readAcumaticaSpec(file, specDir), file);
    result[`${data.endpoint}-${data.version}.json`] = await format(JSON.stringify(data), options);
  }
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [file, content] of Object.entries(await generateAcumaticaCatalogs())) {
    const target = path.join(acumaticaCatalogDir, file);
    await writeFile(`${target}.tmp`, content);
    await rename(`${target}.tmp`, target);
    console.log(`wrote ${path.relative(root, target)}`);
  }
}
