import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formSchema } from './json-schema.js';
import {
  decideWrite,
  decidesBeforeSending,
  missingRecordsWarning,
  writeOperationField,
  writeOperations,
  writesNeeded,
} from './write-operations.js';

describe('write operations', () => {
  it('decide every operation × exists the same way for every connector', () => {
    const table = Object.fromEntries(
      writeOperations.map((op) => [op, [decideWrite(op, true), decideWrite(op, false)]]),
    );
    expect(table).toEqual({
      create: [{ action: 'fail', reason: 'already exists' }, { action: 'create' }],
      update: [{ action: 'update' }, { action: 'fail', reason: 'does not exist' }],
      upsert: [{ action: 'update' }, { action: 'create' }],
      createOnly: [{ action: 'skip', reason: 'already exists' }, { action: 'create' }],
      updateOnly: [{ action: 'update' }, { action: 'skip', reason: 'does not exist' }],
    });
    expect(writeOperations.filter(decidesBeforeSending)).toEqual(['upsert', 'createOnly', 'updateOnly']);
    expect(writesNeeded('createOnly')).toEqual(['create']);
    expect(writesNeeded('upsert')).toEqual(['create', 'update']);
  });

  it('is one config field with labels, and keeps what a connector’s earlier values meant', () => {
    const schema = z.object({
      operation: writeOperationField({
        default: 'upsert',
        legacy: { create: { means: 'createOnly', label: 'Create only (earlier name)' } },
      }),
    });
    expect(schema.parse({})).toEqual({ operation: 'upsert' });
    expect(schema.parse({ operation: 'create' })).toEqual({ operation: 'createOnly' });
    expect(schema.parse({ operation: 'updateOnly' })).toEqual({ operation: 'updateOnly' });
    expect(schema.safeParse({ operation: 'insert' }).success).toBe(false);
    const field = (formSchema(schema).properties as Record<string, Record<string, unknown>>).operation!;
    expect(field.enum).toEqual(['create', 'update', 'upsert', 'createOnly', 'updateOnly']);
    expect(field.default).toBe('upsert');
    expect(field.enumLabels).toMatchObject({
      create: 'Create only (earlier name)',
      createOnly: 'Create only (existing records are skipped)',
    });
  });

  it('words the update-only warning with the count', () => {
    expect(missingRecordsWarning('orders', 1)).toBe(
      'destination "orders": 1 record does not exist in the target and was skipped (operation updateOnly)',
    );
    expect(missingRecordsWarning('orders', 1200)).toBe(
      'destination "orders": 1,200 records do not exist in the target and were skipped (operation updateOnly)',
    );
  });
});
