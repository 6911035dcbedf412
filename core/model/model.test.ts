import { describe, expect, it } from 'vitest';
import { canonicalize, toCanonicalJson } from './canonical-json.js';
import { flowSchema } from './flow.js';
import { MigrationError, flowMigrations, migrateFlow } from './migrations.js';
import { ValidationError, formatJsonPath, parseOrThrow } from './validation-error.js';
import { workspaceFileSchema } from './workspace.js';

const v1Flow = {
  schemaVersion: 1,
  id: 'orders',
  name: 'Orders',
  nodes: [
    { id: 'src', kind: 'source', type: 'file', typeVersion: 1, position: { x: 0, y: 0 }, config: { path: 'a.csv' } },
    {
      id: 'dst',
      kind: 'destination',
      type: 'file',
      typeVersion: 1,
      position: { x: 200, y: 0 },
      config: { path: 'b.csv' },
    },
  ],
  edges: [{ source: 'src:out', target: 'dst', label: 'kept' }],
};

describe('flow schema', () => {
  it('accepts a valid flow and keeps unknown fields', () => {
    const migrated = migrateFlow(structuredClone(v1Flow));
    const flow = parseOrThrow(flowSchema, { ...migrated, futureField: { a: 1 } });
    expect((flow as Record<string, unknown>).futureField).toEqual({ a: 1 });
    expect((flow.edges[0] as Record<string, unknown>).label).toBe('kept');
  });

  it('names file, JSON path and expectation in errors', () => {
    const bad = {
      ...migrateFlow(structuredClone(v1Flow)),
      nodes: [{ ...v1Flow.nodes[0], kind: 'sink', position: { x: 'left', y: 0 } }],
    };
    try {
      parseOrThrow(flowSchema, bad, 'flows/orders.flow.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const message = (error as ValidationError).message;
      expect(message).toContain(
        'flows/orders.flow.json: nodes[0].kind: expected one of source, map, filter, lookup, destination',
      );
      expect(message).toContain('flows/orders.flow.json: nodes[0].position.x: expected number, got "left"');
    }
  });

  it('reports a missing required field and bad ids', () => {
    expect(() =>
      parseOrThrow(workspaceFileSchema, { schemaVersion: 1, id: 'bad id!' }, 'ferry.workspace.json'),
    ).toThrow(
      /ferry\.workspace\.json: id: expected an id of letters[\s\S]*ferry\.workspace\.json: name: required: expected string/,
    );
  });

  it('validates cron schedules', () => {
    const flow = { ...migrateFlow(structuredClone(v1Flow)), schedule: { cron: 'every day', enabled: true } };
    expect(() => parseOrThrow(flowSchema, flow, 'f')).toThrow('f: schedule.cron: expected a 5-field cron expression');
  });
});

describe('migrations', () => {
  it('upgrades v1 edges to {from,to} and keeps unknown fields', () => {
    const doc = migrateFlow(structuredClone(v1Flow));
    expect(doc.schemaVersion).toBe(2);
    expect(doc.edges).toEqual([{ from: { node: 'src', port: 'out' }, to: { node: 'dst', port: 'in' }, label: 'kept' }]);
  });

  it('leaves a current document untouched and refuses a newer one', () => {
    const current = { schemaVersion: 2, edges: [] };
    expect(migrateFlow(current)).toBe(current);
    expect(() => migrateFlow({ schemaVersion: 99 })).toThrow(MigrationError);
    expect(() => migrateFlow({ schemaVersion: 99 })).toThrow('newer than this Ferry understands');
    expect(() => migrateFlow({ schemaVersion: 'x' })).toThrow('schemaVersion: expected an integer');
  });

  it('has a registry entry for every version below the current one', () => {
    expect(flowMigrations.get(1)?.to).toBe(2);
  });
});

describe('canonical JSON', () => {
  it('orders keys: known first, the rest alphabetically; arrays keep their order', () => {
    const text = toCanonicalJson({ zeta: 1, config: { b: 1, a: 2 }, id: 'x', schemaVersion: 2, list: [3, 1, 2] });
    expect(text).toBe(
      '{\n  "schemaVersion": 2,\n  "id": "x",\n  "config": {\n    "a": 2,\n    "b": 1\n  },\n  "list": [\n    3,\n    1,\n    2\n  ],\n  "zeta": 1\n}\n',
    );
  });

  it('is idempotent and drops undefined', () => {
    const value = { b: undefined, a: [{ y: 1, x: 2 }] };
    expect(canonicalize(canonicalize(value))).toEqual(canonicalize(value));
    expect(toCanonicalJson(value)).not.toContain('"b"');
  });

  it('formats JSON paths', () => {
    expect(formatJsonPath(['nodes', 2, 'config', 'entity'])).toBe('nodes[2].config.entity');
    expect(formatJsonPath(['settings', 'my field'])).toBe('settings["my field"]');
    expect(formatJsonPath([])).toBe('(root)');
  });
});
