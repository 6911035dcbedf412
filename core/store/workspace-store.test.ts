import { cp, mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../model/validation-error.js';
import { writeFileAtomic } from './atomic-write.js';
import {
  connectionFile,
  flowFile,
  loadWorkspace,
  readFlow,
  saveConnection,
  saveFlow,
  saveWorkspaceFile,
} from './workspace-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-ws-'));
  await mkdir(join(dir, 'flows'));
  await mkdir(join(dir, 'connections'));
  await writeFile(join(dir, 'ferry.workspace.json'), JSON.stringify({ schemaVersion: 1, id: 'demo', name: 'Demo' }));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const savedFlow = `{
  "schemaVersion": 2,
  "id": "orders",
  "name": "Orders",
  "nodes": [
    {
      "id": "src",
      "kind": "source",
      "type": "file",
      "typeVersion": 1,
      "position": {
        "x": 0,
        "y": 0
      },
      "config": {
        "path": "in.csv"
      },
      "uiColor": "teal"
    }
  ],
  "edges": [],
  "customerRef": {
    "a": 1
  },
  "errorPolicy": {
    "mode": "continue"
  }
}
`;

describe('workspace files', () => {
  it('load + save of an unchanged flow yields identical bytes (unknown fields included)', async () => {
    await writeFile(join(dir, 'flows/orders.flow.json'), savedFlow);
    const flow = await readFlow(dir, 'orders');
    await saveFlow(dir, flow);
    expect(await readFile(join(dir, 'flows/orders.flow.json'), 'utf8')).toBe(savedFlow);
  });

  it('writes an older schema version as the current one', async () => {
    const v1 = JSON.parse(savedFlow);
    v1.schemaVersion = 1;
    v1.edges = [{ source: 'src:out', target: 'src' }];
    await writeFile(join(dir, 'flows/orders.flow.json'), JSON.stringify(v1));
    const flow = await readFlow(dir, 'orders');
    await saveFlow(dir, flow);
    const text = await readFile(join(dir, 'flows/orders.flow.json'), 'utf8');
    expect(JSON.parse(text).schemaVersion).toBe(2);
    expect(JSON.parse(text).edges).toEqual([{ from: { node: 'src', port: 'out' }, to: { node: 'src', port: 'in' } }]);
  });

  it('reports broken files by name and keeps loading the rest', async () => {
    await writeFile(join(dir, 'flows/orders.flow.json'), savedFlow);
    await writeFile(join(dir, 'flows/broken.flow.json'), '{\n  "schemaVersion": 2,\n  "id": "broken",\n  oops\n}');
    await writeFile(join(dir, 'flows/wrong-id.flow.json'), savedFlow);
    await writeFile(
      join(dir, 'connections/erp.connection.json'),
      JSON.stringify({ schemaVersion: 1, id: 'erp', name: 'ERP', connector: 'http' }),
    );
    const ws = await loadWorkspace(dir);
    expect([...ws.flows.keys()]).toEqual(['orders']);
    const messages = ws.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`);
    expect(messages).toContainEqual(
      expect.stringMatching(/^flows\/broken\.flow\.json: \(root\): invalid JSON at line 4 column 3/),
    );
    expect(messages).toContain('flows/wrong-id.flow.json: id: expected "wrong-id" (the file name), got "orders"');
    expect(messages).toContain('connections/erp.connection.json: settings: required: expected record');
  });

  it('a missing workspace file is an error naming it', async () => {
    await rm(join(dir, 'ferry.workspace.json'));
    await expect(loadWorkspace(dir)).rejects.toThrow('ferry.workspace.json: file not found');
  });

  it('refuses to save an invalid flow and leaves the old file alone', async () => {
    await writeFile(join(dir, 'flows/orders.flow.json'), savedFlow);
    const flow = await readFlow(dir, 'orders');
    await expect(saveFlow(dir, { ...flow, name: '' })).rejects.toThrow(ValidationError);
    expect(await readFile(join(dir, 'flows/orders.flow.json'), 'utf8')).toBe(savedFlow);
  });
});

describe('shipped example workspace', () => {
  it('is valid and canonical: loading and saving every file rewrites identical bytes', async () => {
    const examples = fileURLToPath(new URL('../../resources/examples', import.meta.url));
    await cp(examples, join(dir, 'copy'), { recursive: true });
    const ws = await loadWorkspace(join(dir, 'copy'));
    expect(ws.problems).toEqual([]);
    expect(ws.flows.size).toBeGreaterThan(0);
    for (const flow of ws.flows.values()) await saveFlow(ws.dir, flow);
    for (const connection of ws.connections.values()) await saveConnection(ws.dir, connection);
    await saveWorkspaceFile(ws.dir, ws.workspace);
    for (const file of [
      'ferry.workspace.json',
      ...[...ws.flows.keys()].map(flowFile),
      ...[...ws.connections.keys()].map(connectionFile),
    ]) {
      expect(await readFile(join(ws.dir, file), 'utf8'), file).toBe(await readFile(join(examples, file), 'utf8'));
    }
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file', async () => {
    const target = join(dir, 'x.json');
    await writeFile(target, 'old');
    await writeFileAtomic(target, 'new');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the old bytes when the write fails', async () => {
    const target = join(dir, 'missing-dir', 'x.json');
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    const existing = join(dir, 'y.json');
    await writeFile(existing, 'old');
    await expect(writeFileAtomic(existing, { bad: true } as unknown as string)).rejects.toThrow();
    expect(await readFile(existing, 'utf8')).toBe('old');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
