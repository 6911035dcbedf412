import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileChange } from '../model/contract.js';
import { toCanonicalJson } from '../model/canonical-json.js';
import type { ValueMapFile } from '../model/mapping.js';
import { ValidationError } from '../model/validation-error.js';
import { classifyWorkspacePath, watchWorkspace } from './workspace-watcher.js';
import {
  deleteValueMap,
  loadValueMaps,
  loadWorkspace,
  readValueMap,
  saveValueMap,
  valueMapFile,
} from './workspace-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-vm-'));
  await writeFile(join(dir, 'ferry.workspace.json'), JSON.stringify({ schemaVersion: 1, id: 'demo', name: 'Demo' }));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** As a person or git would leave it: canonical order, an unknown field at two levels. */
const savedTerms = `{
  "schemaVersion": 1,
  "id": "payment-terms",
  "name": "Payment terms",
  "description": "BC payment terms code → Acumatica terms id",
  "entries": [
    {
      "from": "14 DAYS",
      "to": "14D"
    },
    {
      "from": "30",
      "to": "30D",
      "note": "net 30"
    }
  ],
  "fallback": {
    "kind": "value",
    "value": "COD"
  },
  "owner": "finance"
}
`;

const terms: ValueMapFile = {
  schemaVersion: 1,
  id: 'payment-terms',
  name: 'Payment terms',
  entries: [{ from: '30', to: '30D' }],
  fallback: { kind: 'fail' },
};

describe('value-map files', () => {
  it('round-trips byte for byte, unknown fields included', async () => {
    await mkdir(join(dir, 'value-maps'));
    await writeFile(join(dir, valueMapFile('payment-terms')), savedTerms);
    const map = await readValueMap(dir, 'payment-terms');
    expect(map.entries[1]).toEqual({ from: '30', to: '30D', note: 'net 30' });
    expect(map.owner).toBe('finance');
    await saveValueMap(dir, map);
    expect(await readFile(join(dir, 'value-maps/payment-terms.value-map.json'), 'utf8')).toBe(savedTerms);
  });

  it('saves in canonical key order, creating the folder, atomically (no temp file left)', async () => {
    const shuffled = {
      fallback: { kind: 'keep' },
      entries: [{ to: 'B', from: 'a' }],
      name: 'X',
      id: 'x',
      schemaVersion: 1,
    };
    await saveValueMap(dir, shuffled as ValueMapFile);
    const text = await readFile(join(dir, 'value-maps/x.value-map.json'), 'utf8');
    expect(text).toBe(
      '{\n  "schemaVersion": 1,\n  "id": "x",\n  "name": "X",\n  "entries": [\n    {\n      "from": "a",\n' +
        '      "to": "B"\n    }\n  ],\n  "fallback": {\n    "kind": "keep"\n  }\n}\n',
    );
    expect((await readdir(join(dir, 'value-maps'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    await saveValueMap(dir, await readValueMap(dir, 'x'));
    expect(await readFile(join(dir, 'value-maps/x.value-map.json'), 'utf8')).toBe(text);
  });

  it('refuses an invalid value map, naming the file and JSON path, and keeps the old bytes', async () => {
    await saveValueMap(dir, terms);
    const before = await readFile(join(dir, valueMapFile('payment-terms')), 'utf8');
    const bad = { ...terms, entries: [{ from: 30, to: '30D' }] } as unknown as ValueMapFile;
    await expect(saveValueMap(dir, bad)).rejects.toThrow(
      'value-maps/payment-terms.value-map.json: entries[0].from: expected string, got number 30',
    );
    expect(await readFile(join(dir, valueMapFile('payment-terms')), 'utf8')).toBe(before);
  });

  it('loads with the workspace; broken files are problems by file and path, the rest loads', async () => {
    await saveValueMap(dir, terms);
    await writeFile(join(dir, 'value-maps/broken.value-map.json'), '{ "schemaVersion": 1,');
    await writeFile(
      join(dir, 'value-maps/no-fallback.value-map.json'),
      JSON.stringify({ schemaVersion: 1, id: 'no-fallback', name: 'N', entries: [], fallback: { kind: 'maybe' } }),
    );
    await writeFile(join(dir, 'value-maps/renamed.value-map.json'), JSON.stringify(terms));
    await writeFile(join(dir, 'value-maps/notes.txt'), 'not a value map');
    const ws = await loadWorkspace(dir);
    expect([...ws.valueMaps.keys()]).toEqual(['payment-terms']);
    const messages = ws.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`);
    expect(messages).toContainEqual(
      expect.stringMatching(/^value-maps\/broken\.value-map\.json: \(root\): invalid JSON/),
    );
    expect(messages).toContainEqual(expect.stringMatching(/^value-maps\/no-fallback\.value-map\.json: fallback/));
    expect(messages).toContain(
      'value-maps/renamed.value-map.json: id: expected "renamed" (the file name), got "payment-terms"',
    );
    const listed = await loadValueMaps(dir);
    expect([...listed.valueMaps.keys()]).toEqual(['payment-terms']);
    expect(listed.problems).toHaveLength(3);
  });

  it('a workspace without a value-maps folder has none', async () => {
    expect((await loadWorkspace(dir)).valueMaps.size).toBe(0);
  });

  it('deletes a value map; deleting a missing one names the file', async () => {
    await saveValueMap(dir, terms);
    await deleteValueMap(dir, 'payment-terms');
    expect((await loadWorkspace(dir)).valueMaps.size).toBe(0);
    const error = await deleteValueMap(dir, 'payment-terms').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe('value-maps/payment-terms.value-map.json: file not found');
  });
});

describe('the workspace watcher and value maps', () => {
  it('classifies value-map files (and only in their folder)', () => {
    expect(classifyWorkspacePath('value-maps/terms.value-map.json')).toEqual({ kind: 'value-map', id: 'terms' });
    expect(classifyWorkspacePath('flows/terms.value-map.json')).toBeUndefined();
    expect(classifyWorkspacePath('value-maps/terms.flow.json')).toBeUndefined();
    expect(classifyWorkspacePath('value-maps/.terms.value-map.json.123.tmp')).toBeUndefined();
    expect(classifyWorkspacePath('constructor/x.flow.json')).toBeUndefined();
    expect(classifyWorkspacePath('flows/a.flow.json')).toEqual({ kind: 'flow', id: 'a' });
    expect(classifyWorkspacePath('connections/b.connection.json')).toEqual({ kind: 'connection', id: 'b' });
  });

  it('reports an external edit and a removal, not Ferry’s own write', async () => {
    await mkdir(join(dir, 'value-maps'));
    const own = new Map<string, string>();
    const changes: FileChange[] = [];
    const stop = watchWorkspace(dir, (c) => changes.push(...c), {
      isOwnWrite: (rel, text) => own.get(rel) === text,
      debounceMs: 30,
    });
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    try {
      // Ferry's own save: the host records what it writes, so the watcher stays quiet
      own.set(valueMapFile('payment-terms'), toCanonicalJson(terms));
      await saveValueMap(dir, terms);
      await new Promise((r) => setTimeout(r, 150));
      expect(changes).toEqual([]);
      // someone else's edit (git pull, an editor)
      await writeFile(join(dir, valueMapFile('payment-terms')), JSON.stringify({ ...terms, name: 'Terms' }));
      await until(() => changes.length > 0);
      expect(changes).toEqual([{ kind: 'value-map', id: 'payment-terms', change: 'changed' }]);
      changes.length = 0;
      await deleteValueMap(dir, 'payment-terms');
      await until(() => changes.length > 0);
      expect(changes).toEqual([{ kind: 'value-map', id: 'payment-terms', change: 'removed' }]);
    } finally {
      stop();
    }
  });
});
