/**
 * Default mappings: a connector pair / entity pair may ship one (resources/default-mappings/<source>--<destination>
 * .json), so a new flow between known systems maps out of the box and "Reset to defaults" has something to restore.
 * A file names its two ends by connector and entity — no entity for a connector without a catalog (the file
 * connector: its columns are whatever the file holds) — and may bring the value maps its mapping uses.
 *
 * Files are validated when first used: the shape, the expressions and the value-map references. A broken file is
 * left out (never offered) and reported by {@link loadDefaultMappings}; a unit test keeps the shipped ones clean and
 * checks every field they name against the two connectors' catalogs.
 */
import { z } from 'zod';
import { mapConfigSchema, valueMapFileSchema, type MapConfig, type ValueMapFile } from '../model/mapping.js';
import { ValidationError, parseOrThrow, type ValidationProblem } from '../model/validation-error.js';
import { DEFAULT_MAPPING_FILES } from './default-mappings-data.js';
import { compileMap } from './map-node.js';

const endpointSchema = z.looseObject({
  connector: z.string().min(1),
  /** Absent for a connector without an entity catalog (the file connector). */
  entity: z.string().min(1).optional(),
});

export const defaultMappingFileSchema = z.looseObject({
  description: z.string().optional(),
  source: endpointSchema,
  destination: endpointSchema,
  mapping: mapConfigSchema,
  valueMaps: z.array(valueMapFileSchema).optional(),
});
export type DefaultMappingFile = z.infer<typeof defaultMappingFileSchema>;

/** One end of a mapping: a connector and, where it has a catalog, the entity. */
export interface MappingEnd {
  connector: string;
  entity?: string;
}

export interface DefaultMapping {
  mapping: MapConfig;
  /** The value maps the mapping uses (resetting adds the ones the workspace lacks). */
  valueMaps: ValueMapFile[];
  description?: string;
  /** `resources/default-mappings/<name>.json`, for messages. */
  file: string;
}

export const DEFAULT_MAPPINGS_DIR = 'resources/default-mappings';

const pairKey = (source: MappingEnd, destination: MappingEnd) =>
  JSON.stringify([source.connector, source.entity ?? null, destination.connector, destination.entity ?? null]);

interface Loaded {
  byPair: Map<string, { file: string; doc: DefaultMappingFile }>;
  problems: ValidationProblem[];
}

/** Validates one file's JSON: its shape, then that its mapping compiles with the value maps it brings. */
export function parseDefaultMapping(raw: unknown, file: string): DefaultMappingFile {
  const doc = parseOrThrow(defaultMappingFileSchema, raw, file);
  const valueMaps = new Map<string, ValueMapFile>();
  const problems: ValidationProblem[] = [];
  doc.valueMaps?.forEach((m, i) => {
    if (valueMaps.has(m.id)) problems.push({ file, path: `valueMaps[${i}].id`, message: `duplicate id "${m.id}"` });
    valueMaps.set(m.id, m);
  });
  try {
    compileMap(doc.mapping, { file, path: 'mapping' }, { valueMaps });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return doc;
}

/** Validates the given files (name → JSON); used with the shipped ones, and by tests with others. */
export function loadDefaultMappingFiles(files: Readonly<Record<string, unknown>>): Loaded {
  const byPair = new Map<string, { file: string; doc: DefaultMappingFile }>();
  const problems: ValidationProblem[] = [];
  for (const [name, raw] of Object.entries(files)) {
    const file = `${DEFAULT_MAPPINGS_DIR}/${name}`;
    try {
      const doc = parseDefaultMapping(raw, file);
      const key = pairKey(doc.source, doc.destination);
      const other = byPair.get(key);
      if (other)
        problems.push({ file, path: 'source', message: `the same pair as ${other.file}: one default per pair` });
      else byPair.set(key, { file, doc });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      problems.push(...err.problems);
    }
  }
  return { byPair, problems };
}

let shipped: Loaded | undefined;

/** The shipped default mappings, validated once per process, and the problems of files left out. */
export function loadDefaultMappings(): Loaded {
  shipped ??= loadDefaultMappingFiles(DEFAULT_MAPPING_FILES);
  return shipped;
}

/**
 * The default mapping shipped for this source → destination pair (connector and entity must both match; a connector
 * without a catalog has no entity), or undefined. The result is the caller's own copy.
 */
export function findDefaultMapping(source: MappingEnd, destination: MappingEnd): DefaultMapping | undefined {
  const hit = loadDefaultMappings().byPair.get(pairKey(source, destination));
  if (!hit) return undefined;
  const { doc, file } = structuredClone(hit);
  const result: DefaultMapping = { mapping: doc.mapping, valueMaps: doc.valueMaps ?? [], file };
  if (doc.description !== undefined) result.description = doc.description;
  return result;
}
