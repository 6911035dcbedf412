import { describe, expect, it } from 'vitest';
import {
  operatorLabel,
  operatorsFor,
  parseRuleValue,
  ruleValueText,
  withField,
  withOperator,
} from './filter-operators.js';

describe('filter rule operators', () => {
  it('fit the field type', () => {
    expect(operatorsFor('number')).not.toContain('contains');
    expect(operatorsFor('number')).toContain('gt');
    expect(operatorsFor('string')).toContain('startsWith');
    expect(operatorsFor('string')).not.toContain('isTrue');
    expect(operatorsFor('boolean')).toEqual(['isTrue', 'isFalse', 'empty', 'notEmpty']);
    expect(operatorsFor('array')).toEqual(['empty', 'notEmpty']);
    expect(operatorsFor(undefined)).toHaveLength(15);
    expect(operatorLabel('lt', 'date')).toBe('is before');
    expect(operatorLabel('lt', 'number')).toBe('is less than');
  });

  it('store numbers for number fields and lists for in / not in', () => {
    expect(parseRuleValue('30', 'eq', 'integer')).toBe(30);
    expect(parseRuleValue('30', 'eq', 'string')).toBe('30');
    expect(parseRuleValue('abc', 'eq', 'number')).toBe('abc');
    expect(parseRuleValue('NL, BE,DE', 'in', 'string')).toEqual(['NL', 'BE', 'DE']);
    expect(parseRuleValue('1, 2', 'notIn', 'number')).toEqual([1, 2]);
    expect(ruleValueText(['NL', 2])).toBe('NL, 2');
  });

  it('keep the rule consistent when field or operator change', () => {
    const rule = { field: 'name', operator: 'contains' as const, value: 'bike' };
    expect(withField(rule, 'qty', 'integer')).toEqual({ field: 'qty', operator: 'eq', value: 'bike' });
    expect(withField(rule, 'active', 'boolean')).toEqual({ field: 'active', operator: 'isTrue' });
    expect(withField(rule, 'sku', 'string')).toEqual({ ...rule, field: 'sku' });
    expect(withOperator(rule, 'empty', 'string')).toEqual({ field: 'name', operator: 'empty' });
    expect(withOperator({ field: 'c', operator: 'eq', value: 'NL' }, 'in', 'string')).toEqual({
      field: 'c',
      operator: 'in',
      value: ['NL'],
    });
  });
});
