import { describe, expect, it } from 'vitest';
import { fileConnector, fileDestinationConfigSchema, fileSourceConfigSchema } from './index.js';

describe('fileConnector', () => {
  it('describes itself for the UI and the registry', () => {
    const { descriptor } = fileConnector;
    expect(fileConnector.requiresConnection).toBe(false);
    expect(fileConnector.connectionSettings).toBeUndefined();
    expect(descriptor).toMatchObject({
      id: 'file',
      name: 'Files (CSV, JSON Lines)',
      icon: 'file',
      nodeKinds: ['source', 'lookup', 'destination'],
      defaultBatchSize: 1000,
    });
    const source = descriptor.sourceConfigSchema as {
      properties: Record<string, { default?: unknown }>;
      required: string[];
    };
    expect(Object.keys(source.properties)).toEqual([
      'path',
      'format',
      'delimiter',
      'encoding',
      'header',
      'columns',
      'types',
      'key',
      'deltaField',
      'deltaOrdered',
    ]);
    expect(source.required).toEqual(['path']);
    expect(source.properties.encoding!.default).toBe('utf-8');
    const destination = descriptor.destinationConfigSchema as { properties: Record<string, { default?: unknown }> };
    expect(destination.properties.mode!.default).toBe('overwrite');
    expect(destination.properties.lineEnding!.default).toBe('\n');
  });

  it('fills config defaults and rejects unknown values', () => {
    expect(fileSourceConfigSchema.parse({ path: 'a.csv' })).toEqual({ path: 'a.csv', encoding: 'utf-8', header: true });
    expect(fileDestinationConfigSchema.parse({ path: 'a.csv' })).toEqual({
      path: 'a.csv',
      encoding: 'utf-8',
      header: true,
      mode: 'overwrite',
      lineEnding: '\n',
    });
    expect(fileSourceConfigSchema.safeParse({ path: 'a.csv', encoding: 'ebcdic' }).success).toBe(false);
    expect(fileSourceConfigSchema.safeParse({ path: 'a.csv', types: { a: 'money' } }).success).toBe(false);
    expect(fileSourceConfigSchema.safeParse({ path: '' }).success).toBe(false);
  });
});
