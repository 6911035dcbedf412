import { describe, expect, it } from 'vitest';
import { ConversionError, converterFor, plainDecimal } from './convert.js';

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConversionError);
    return (error as Error).message;
  }
  throw new Error('expected a conversion error');
}

describe('converterFor', () => {
  it('number', () => {
    const c = converterFor('number');
    expect(['12', '-1.5', '.5', '1e3', ' 7 ', '', '  ', null].map(c)).toEqual([
      12,
      -1.5,
      0.5,
      1000,
      7,
      null,
      null,
      null,
    ]);
    expect(c(3.25)).toBe(3.25);
    expect(failure(() => c('abc'))).toBe('expected a number, got "abc"');
    expect(failure(() => c('0x10'))).toBe('expected a number, got "0x10"');
    expect(['-.5', '+1', '007', '12 ', '0', '-0.0e1'].map(c)).toEqual([-0.5, 1, 7, 12, 0, -0]);
    for (const bad of ['0b1', '0O7', 'Infinity', '-Infinity', '1e400', '1,5', '12px', '-', '.']) {
      expect(failure(() => c(bad))).toMatch(/^expected a number/);
    }
    expect(failure(() => c(true))).toBe('expected a number, got true');
  });

  it('plainDecimal equals Number() wherever it answers', () => {
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const texts = [
      '0',
      '-0',
      '+7',
      '1.',
      '.5',
      '-.5',
      '007.50',
      '999999999999999',
      '0.00000000000001',
      '123456.789012345',
    ];
    for (let i = 0; i < 50_000; i++) {
      const whole = String(Math.floor(random() * 10 ** Math.floor(random() * 10)));
      const decimals = String(Math.floor(random() * 1e6)).slice(0, Math.floor(random() * 7));
      texts.push(`${random() < 0.2 ? '-' : ''}${whole}${decimals ? `.${decimals}` : ''}`);
    }
    for (const text of texts) expect(Object.is(plainDecimal(text, true), Number(text)), text).toBe(true);
    for (const text of ['', '-', '.', '1e3', ' 1', '1 ', '0x1', '1.2.3', '1234567890123456', 'Infinity']) {
      expect(plainDecimal(text, true), text).toBeUndefined();
    }
    expect(plainDecimal('1.5', false)).toBeUndefined();
    expect(plainDecimal('-42', false)).toBe(-42);
  });

  it('integer', () => {
    const c = converterFor('integer');
    expect(['12', '-3', '+4', ''].map(c)).toEqual([12, -3, 4, null]);
    expect(failure(() => c('1.5'))).toBe('expected an integer, got "1.5"');
    expect([' 42 ', '-0', '0012'].map(c)).toEqual([42, -0, 12]);
    for (const bad of ['+', '-', '1e3', '12.0', '0x1', 'x'])
      expect(failure(() => c(bad))).toMatch(/^expected an integer/);
    expect(failure(() => c('99999999999999999999'))).toMatch(/expected an integer/);
    expect(failure(() => c(1.5))).toBe('expected an integer, got 1.5');
  });

  it('boolean', () => {
    const c = converterFor('boolean');
    expect(['true', 'FALSE', 'yes', 'No', '1', '0', 'y', ''].map(c)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      null,
    ]);
    expect(c(false)).toBe(false);
    expect(failure(() => c('maybe'))).toBe('expected a boolean (true/false), got "maybe"');
  });

  it('date', () => {
    const c = converterFor('date');
    expect(c('2024-02-29')).toBe('2024-02-29');
    expect(c('')).toBeNull();
    expect(failure(() => c('2023-02-29'))).toBe('expected a date (YYYY-MM-DD), got "2023-02-29"');
    expect(failure(() => c('01/02/2024'))).toMatch(/expected a date/);
  });

  it('datetime', () => {
    const c = converterFor('datetime');
    expect(c('2024-03-01T10:15:00Z')).toBe('2024-03-01T10:15:00.000Z');
    expect(c('2024-03-01 10:15:30+02:00')).toBe('2024-03-01T08:15:30.000Z');
    expect(c('2024-03-01T10:15+0100')).toBe('2024-03-01T09:15:00.000Z');
    expect(c('2024-03-01 10:15')).toBe('2024-03-01T10:15:00');
    expect(c('2024-03-01T10:15:00.123')).toBe('2024-03-01T10:15:00.123');
    expect(c('2024-03-01')).toBe('2024-03-01');
    expect(failure(() => c('2024-03-01T25:00'))).toBe('expected a date-time (ISO 8601), got "2024-03-01T25:00"');
    expect(failure(() => c('yesterday'))).toMatch(/expected a date-time/);
  });

  it('string keeps text and stringifies scalars', () => {
    const c = converterFor('string');
    expect(['', ' x ', 12, true, null].map(c)).toEqual(['', ' x ', '12', 'true', null]);
  });
});
