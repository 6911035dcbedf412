import { describe, expect, it } from 'vitest';
import type { ConnectorDescriptor } from '../../core/model/descriptor.js';
import type { FlowNode } from '../../core/model/flow.js';
import { layoutFields, placeProblems, switchVariant } from './form-layout.js';
import { resolveSchema } from './json-schema.js';
import { mapEditorOwns } from './map-config.js';
import { connectorFormOf, panelLevelProblems, problemLine, splitNodeProblems } from './node-form.js';

const node = (kind: FlowNode['kind'], config: Record<string, unknown>): FlowNode => ({
  id: 'n',
  kind,
  type: kind === 'map' || kind === 'filter' ? kind : 'crm',
  typeVersion: 1,
  position: { x: 0, y: 0 },
  config,
});

const crm: ConnectorDescriptor = {
  id: 'crm',
  name: 'CRM',
  description: '',
  icon: 'cloud',
  nodeKinds: ['source'],
  connectionSchema: { type: 'object', properties: { url: { type: 'string' } } },
  sourceConfigSchema: {
    type: 'object',
    properties: { connection: { type: 'string' }, entity: { type: 'string' }, top: { type: 'integer' } },
    required: ['entity'],
  },
  entities: [],
};

describe('node problems', () => {
  it('splits engine paths into node-level and config-relative ones', () => {
    const split = splitNodeProblems([
      { path: 'nodes[2].config.path', message: 'a' },
      { path: 'nodes[2].config["x-y"]', message: 'b' },
      { path: 'nodes[2].config', message: 'c' },
      { path: 'nodes[2]', message: 'd' },
      { path: 'nodes[2].name', message: 'e' },
    ]);
    expect(split.config).toEqual([
      { path: 'path', message: 'a' },
      { path: '["x-y"]', message: 'b' },
      { path: '', message: 'c' },
    ]);
    expect(split.node).toEqual([
      { path: '', message: 'd' },
      { path: 'name', message: 'e' },
    ]);
    expect(problemLine({ path: '', message: 'd' })).toBe('d');
    expect(problemLine({ path: 'top', message: 'x' }, 'config')).toBe('config.top: x');
  });

  it('sends what no field shows to the top of the panel', () => {
    const form = connectorFormOf(crm, 'source');
    expect(Object.keys(form.schema!.properties as object)).toEqual(['top']);
    expect(form.schema!.required).toEqual([]);
    const problems = {
      node: [
        { path: '', message: 'output "out" is not connected' },
        { path: 'name', message: 'shown under Name' },
      ],
      config: [
        { path: 'connection', message: 'required' },
        { path: 'entity', message: 'unknown entity' },
        { path: 'top', message: 'expected int' },
        { path: 'skip', message: 'unknown field skip' },
      ],
    };
    expect(panelLevelProblems(node('source', {}), problems, form)).toEqual([
      'output "out" is not connected',
      'config.skip: unknown field skip',
    ]);
    const map = node('map', { fields: [{ target: '', expression: 'x' }] });
    expect(mapEditorOwns(map.config, 'fields[0].target')).toBe(true);
    expect(mapEditorOwns(map.config, 'fields[3].target')).toBe(false);
    expect(panelLevelProblems(map, { node: [], config: [{ path: 'fields[3]', message: 'gone' }] }, undefined)).toEqual([
      'config.fields[3]: gone',
    ]);
  });
});

describe('form layout', () => {
  it('places a problem on the deepest visible field and resolves $ref and nullable schemas', () => {
    const root = {
      type: 'object',
      $defs: { Retry: { type: 'object', properties: { max: { anyOf: [{ type: 'integer' }, { type: 'null' }] } } } },
      properties: { retry: { $ref: '#/$defs/Retry' } },
    };
    const specs = layoutFields(root, {});
    expect(specs[0]!.kind).toBe('object');
    const retry = specs[0] as Extract<(typeof specs)[0], { kind: 'object' }>;
    expect(retry.children[0]).toMatchObject({ kind: 'number', pathText: 'retry.max' });
    const placed = placeProblems(specs, [
      { path: 'retry.max', message: 'too big' },
      { path: 'retry', message: 'bad' },
    ]);
    expect(placed.byField.get('retry.max')).toHaveLength(1);
    expect(placed.byField.get('retry')).toHaveLength(1);
    expect(resolveSchema({ anyOf: [{ type: 'string' }, { type: 'null' }], description: 'd' }, root)).toEqual({
      type: 'string',
      description: 'd',
    });
  });

  it('keeps shared and unknown keys when switching a union variant, drops the old variant’s own', () => {
    const union = {
      type: 'object',
      properties: {
        paging: {
          oneOf: [
            { type: 'object', properties: { kind: { const: 'a' }, size: {}, onlyA: {} } },
            { type: 'object', properties: { kind: { const: 'b' }, size: {} } },
          ],
        },
      },
    };
    const [spec] = layoutFields(union, { paging: { kind: 'a' } });
    if (spec?.kind !== 'union') throw new Error('expected a union');
    expect(switchVariant({ kind: 'a', size: 5, onlyA: 1, extra: true }, spec, spec.variants[1]!)).toEqual({
      kind: 'b',
      size: 5,
      extra: true,
    });
  });
});
