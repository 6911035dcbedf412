import { describe, expect, it } from 'vitest';
import { compareDeltaValues, isAfter } from '../delta.js';

describe('compareDeltaValues', () => {
  it('compares numbers and numeric strings numerically', () => {
    expect(compareDeltaValues('9', '10')).toBeLessThan(0);
    expect(compareDeltaValues(10, '9')).toBeGreaterThan(0);
    expect(compareDeltaValues('1e3', 999)).toBeGreaterThan(0);
    expect(compareDeltaValues(' 42 ', 42)).toBe(0);
    expect(compareDeltaValues(10n, 9)).toBeGreaterThan(0);
  });

  it('compares ISO dates as instants', () => {
    expect(compareDeltaValues('2024-01-02T10:00:00+02:00', '2024-01-02T09:00:00Z')).toBeLessThan(0);
    expect(compareDeltaValues('2024-01-02', '2024-01-01T23:59:59Z')).toBeGreaterThan(0);
    expect(compareDeltaValues(new Date('2024-05-01T00:00:00Z'), '2024-05-01T00:00:00.000Z')).toBe(0);
    expect(compareDeltaValues('2024-01-10T00:00:00.5Z', '2024-01-10T00:00:00.25Z')).toBeGreaterThan(0);
  });

  it('falls back to strings when the two sides are not both numbers or both dates', () => {
    expect(compareDeltaValues('b', 'a')).toBeGreaterThan(0);
    expect(compareDeltaValues('A-10', 'A-9')).toBeLessThan(0);
    expect(compareDeltaValues('2024-01-02', '5')).toBeLessThan(0); // as text: '2' < '5'
    expect(compareDeltaValues('2024-13-45x', '2024-01-01')).toBeGreaterThan(0);
  });

  it('puts missing values first', () => {
    expect(compareDeltaValues(null, 0)).toBeLessThan(0);
    expect(compareDeltaValues('', 'a')).toBeLessThan(0);
    expect(compareDeltaValues(undefined, null)).toBe(0);
    expect(compareDeltaValues('a', undefined)).toBeGreaterThan(0);
  });

  it('isAfter keeps only values greater than since', () => {
    const after = isAfter('2024-01-02T00:00:00Z');
    expect(['2024-01-01', '2024-01-02', '2024-01-03', null, ''].map(after)).toEqual([false, false, true, false, false]);
    expect(['5', 5, 6, '10', 'x'].map(isAfter('5'))).toEqual([false, false, true, true, true]);
  });
});
