import { describe, expect, it } from 'vitest';
import {
  addMatchRow,
  matchRowsOf,
  matchValue,
  placeMatchProblems,
  suggestedExpression,
  updateMatchRow,
} from './match-rows.js';

describe('match rows', () => {
  it('round-trip the config, keeping keys the editor does not know, and leave it when empty', () => {
    const rows = matchRowsOf([{ field: 'email', expression: 'mail', note: 'kept' }, 'junk']);
    expect(rows).toEqual([
      { field: 'email', expression: 'mail', rest: { note: 'kept' } },
      { field: '', expression: '', rest: {} },
    ]);
    expect(matchValue(updateMatchRow(rows, 1, { field: 'number' }))).toEqual([
      { note: 'kept', field: 'email', expression: 'mail' },
      { field: 'number', expression: '' },
    ]);
    expect(matchRowsOf({ field: 'email' })).toEqual([]);
    expect(matchValue([])).toBeUndefined();
    expect(matchValue(addMatchRow([]))).toEqual([{ field: '', expression: '' }]);
  });

  it('suggest the incoming field of the same name, in JSONata', () => {
    const incoming = [
      { name: 'Email', path: ['Email'] },
      { name: 'customer no', path: ['customer no'] },
    ];
    expect(suggestedExpression('email', incoming)).toBe('Email');
    expect(suggestedExpression('MainContact.Email', incoming)).toBe('Email');
    expect(suggestedExpression('customer no', incoming)).toBe('`customer no`');
    expect(suggestedExpression('number', incoming)).toBeUndefined();
  });

  it('name the row of every problem, the editor’s own before the engine’s on the same input', () => {
    const rows = matchRowsOf([
      { field: 'email', expression: 'email =' },
      { field: '', expression: 'x' },
      { field: 'email', expression: ' ' },
    ]);
    const placed = placeMatchProblems(rows, [
      { path: 'match[0].expression', message: 'S0207: Unexpected end of expression' },
      { path: 'match[1].field', message: 'must not be empty' },
      { path: 'match[7].expression', message: 'a row removed since' },
      { path: 'match', message: 'something about the whole' },
    ]);
    expect(placed.rows).toEqual([
      [{ message: 'Row 1: the expression does not work: S0207: Unexpected end of expression', input: 'expression' }],
      [{ message: 'Row 2: choose the field to compare', input: 'field' }],
      [
        { message: 'Row 3: email is compared in row 1 already', input: 'field' },
        { message: 'Row 3: write the expression whose value email must equal', input: 'expression' },
      ],
    ]);
    expect(placed.whole).toEqual(['something about the whole']);
    expect(placeMatchProblems([], [{ path: 'match', message: 'expected at least 1 item(s)' }]).whole).toEqual([
      'Add a row: a lookup needs at least one field to match on.',
    ]);
  });
});
