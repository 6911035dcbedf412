import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import {
  describeGroup,
  describeRule,
  filterGroupProblems,
  filterRulesToJsonata,
  jsonataFieldPath,
  jsonataLiteral,
  operatorsForType,
} from './filter-rules.js';
import type { FilterGroup, FilterRule } from './mapping.js';
import { ValidationError } from './validation-error.js';

const and = (...rules: (FilterRule | FilterGroup)[]): FilterGroup => ({ combinator: 'and', rules });
const or = (...rules: (FilterRule | FilterGroup)[]): FilterGroup => ({ combinator: 'or', rules });

async function evaluate(expression: string, data: Record<string, unknown>): Promise<unknown> {
  return (await jsonata(expression).evaluate(data)) as unknown;
}

describe('filterRulesToJsonata', () => {
  it('compiles each operator', () => {
    const cases: [FilterRule, string][] = [
      [{ field: 'status', operator: 'eq', value: 'in progress' }, 'status = "in progress"'],
      [{ field: 'status', operator: 'ne', value: 'closed' }, '$not(status = "closed")'],
      [{ field: 'qty', operator: 'lt', value: 10 }, 'qty < 10'],
      [{ field: 'qty', operator: 'le', value: -1.5 }, 'qty <= -1.5'],
      [{ field: 'date', operator: 'gt', value: '2026-01-01' }, 'date > "2026-01-01"'],
      [{ field: 'qty', operator: 'ge', value: 0 }, 'qty >= 0'],
      [{ field: 'name', operator: 'contains', value: 'box' }, '$contains(name, "box")'],
      [{ field: 'sku', operator: 'startsWith', value: 'AB' }, '$substring(sku, 0, 2) = "AB"'],
      [{ field: 'sku', operator: 'endsWith', value: '-X' }, '$substring(sku, -2) = "-X"'],
      [{ field: 'sku', operator: 'endsWith', value: '' }, '$contains(sku, "")'],
      [{ field: 'country', operator: 'in', value: ['US', 'CA'] }, 'country in ["US", "CA"]'],
      [{ field: 'country', operator: 'notIn', value: 'US' }, '$not(country in ["US"])'],
      [{ field: 'email', operator: 'empty' }, '($not($exists(email)) or email = null or email = "")'],
      [{ field: 'email', operator: 'notEmpty' }, '($exists(email) and email != null and email != "")'],
      [{ field: 'blocked', operator: 'isTrue' }, 'blocked = true'],
      [{ field: 'blocked', operator: 'isFalse' }, 'blocked = false'],
      [{ field: 'customer.email', operator: 'eq', value: null }, 'customer.email = null'],
      [{ field: 'n', operator: 'contains', value: 12 }, '$contains(n, "12")'],
    ];
    for (const [rule, expected] of cases) {
      expect(filterRulesToJsonata(and(rule))).toBe(expected);
      expect(() => jsonata(expected)).not.toThrow();
    }
  });

  it('joins groups with and/or, parenthesising nested groups; empty groups are true (and) / false (or)', () => {
    const a: FilterRule = { field: 'a', operator: 'eq', value: 1 };
    const b: FilterRule = { field: 'b', operator: 'eq', value: 2 };
    const c: FilterRule = { field: 'c', operator: 'isTrue' };
    expect(filterRulesToJsonata(and(a, or(b, c)))).toBe('a = 1 and (b = 2 or c = true)');
    expect(filterRulesToJsonata(or(and(a, b), and(c)))).toBe('(a = 1 and b = 2) or c = true');
    expect(filterRulesToJsonata(and())).toBe('true');
    expect(filterRulesToJsonata(or())).toBe('false');
    expect(filterRulesToJsonata(and(a, or()))).toBe('a = 1 and false');
  });

  it('quotes field names JSONata would read otherwise, and escapes string literals', async () => {
    expect(jsonataFieldPath('customer.email')).toBe('customer.email');
    expect(jsonataFieldPath('first name')).toBe('`first name`');
    expect(jsonataFieldPath('and.or.in.true.null')).toBe('`and`.`or`.`in`.`true`.`null`');
    expect(jsonataFieldPath('1st.$x.a-b')).toBe('`1st`.`$x`.`a-b`');
    expect(jsonataFieldPath('we`ird.x')).toBe('$lookup($, "we`ird").x');
    expect(jsonataLiteral('say "hi"\n\\ \u0001 \ud800')).toBe('"say \\"hi\\"\\n\\\\ \\u0001 \\ud800"');
    expect(jsonataLiteral([1, { a: [true, null] }])).toBe('[1, {"a": [true, null]}]');

    const data = {
      'first name': 'Ann',
      and: { or: 'x' },
      'we`ird': { x: 'say "hi"\n\\' },
      'Ünï €': '✓ 𝄞',
    };
    const expression = filterRulesToJsonata(
      and(
        { field: 'first name', operator: 'eq', value: 'Ann' },
        { field: 'and.or', operator: 'in', value: ['x', 'y'] },
        { field: 'we`ird.x', operator: 'eq', value: 'say "hi"\n\\' },
        { field: 'Ünï €', operator: 'endsWith', value: '𝄞' },
        { field: 'Ünï €', operator: 'startsWith', value: '✓ ' },
      ),
    );
    expect(await evaluate(expression, data)).toBe(true);
    expect(await evaluate(expression, { ...data, 'first name': 'Bob' })).toBe(false);
  });

  it('negative operators pass what their positive rejects, a missing field included', async () => {
    const rules: [FilterRule, FilterRule][] = [
      [
        { field: 's', operator: 'eq', value: 'x' },
        { field: 's', operator: 'ne', value: 'x' },
      ],
      [
        { field: 's', operator: 'in', value: ['x', 1] },
        { field: 's', operator: 'notIn', value: ['x', 1] },
      ],
      [
        { field: 's', operator: 'empty' },
        { field: 's', operator: 'notEmpty' },
      ],
    ];
    const records = [{}, { s: null }, { s: '' }, { s: 'x' }, { s: 1 }, { s: '1' }, { s: 0 }, { s: false }, { s: {} }];
    for (const [positive, negative] of rules) {
      for (const record of records) {
        const p = Boolean(await evaluate(filterRulesToJsonata(and(positive)), record));
        const n = Boolean(await evaluate(filterRulesToJsonata(and(negative)), record));
        expect(n, `${describeRule(negative)} on ${JSON.stringify(record)}`).toBe(!p);
      }
    }
  });

  it('compares like JSONata: strictly by type for =, and numbers with numbers for <', async () => {
    const eq30 = filterRulesToJsonata(and({ field: 'n', operator: 'eq', value: 30 }));
    expect(await evaluate(eq30, { n: 30 })).toBe(true);
    expect(await evaluate(eq30, { n: '30' })).toBe(false);
    const lt = filterRulesToJsonata(and({ field: 'n', operator: 'lt', value: 30 }));
    expect(await evaluate(lt, { n: 3 })).toBe(true);
    await expect(evaluate(lt, { n: '3' })).rejects.toMatchObject({ code: 'T2009' });
    const empty = filterRulesToJsonata(and({ field: 'e', operator: 'empty' }));
    for (const [e, isEmpty] of [
      [undefined, true],
      [null, true],
      ['', true],
      [' ', false],
      [0, false],
      [false, false],
    ] as const)
      expect(await evaluate(empty, e === undefined ? {} : { e })).toBe(isEmpty);
  });

  it('reports incomplete rules at their path instead of compiling them', () => {
    const group = and(
      { field: '', operator: 'eq', value: 1 },
      or({ field: 'a', operator: 'lt', value: true }, { field: 'a..b', operator: 'eq' }),
      { field: 'c', operator: 'in', value: [1, [2]] },
      { field: 'd', operator: 'contains', value: null },
      { field: 'e', operator: 'empty', value: 'ignored' },
    );
    expect(filterGroupProblems(group)).toEqual([
      { path: 'rules[0].field', message: 'must not be empty' },
      { path: 'rules[1].rules[0].value', message: 'expected a number or text for "lt", got boolean true' },
      { path: 'rules[1].rules[1].field', message: 'invalid field "a..b": empty name between dots' },
      { path: 'rules[1].rules[1].value', message: 'required: operator "eq" compares with a value' },
      { path: 'rules[2].value[1]', message: 'expected text, a number, true, false or null, got a list' },
      { path: 'rules[3].value', message: 'expected text for "contains", got null' },
    ]);
    expect(() => filterRulesToJsonata(group)).toThrow(ValidationError);
  });
});

describe('describeRule / describeGroup', () => {
  it('puts rules in words', () => {
    expect(describeRule({ field: 'status', operator: 'eq', value: 'in progress' })).toBe('status = "in progress"');
    expect(describeRule({ field: 'qty', operator: 'ge', value: 5 })).toBe('qty >= 5');
    expect(describeRule({ field: 'c', operator: 'in', value: ['US', 'CA'] })).toBe('c in ["US", "CA"]');
    expect(describeRule({ field: 'c', operator: 'notIn', value: 'US' })).toBe('c not in ["US"]');
    expect(describeRule({ field: 'email', operator: 'notEmpty' })).toBe('email is not empty');
    expect(describeRule({ field: 'sku', operator: 'startsWith', value: 'AB' })).toBe('sku starts with "AB"');
    expect(describeRule({ field: 'b', operator: 'isFalse' })).toBe('b is false');
    expect(describeRule({ field: 'x', operator: 'eq' })).toBe('x = (no value)');
  });

  it('puts groups in words', () => {
    const a: FilterRule = { field: 'a', operator: 'eq', value: 1 };
    const b: FilterRule = { field: 'b', operator: 'isTrue' };
    expect(describeGroup(or(a, and(a, b)))).toBe('(a = 1 or (a = 1 and b is true))');
    expect(describeGroup(or(a))).toBe('a = 1');
    expect(describeGroup(or())).toBe('(no rules)');
  });
});

describe('operatorsForType', () => {
  it('offers operators fitting the field type', () => {
    expect(operatorsForType('string')).toContain('startsWith');
    expect(operatorsForType('number')).toContain('ge');
    expect(operatorsForType('number')).not.toContain('contains');
    expect(operatorsForType('boolean')).toEqual(['isTrue', 'isFalse', 'empty', 'notEmpty']);
    expect(operatorsForType('datetime')).toContain('lt');
    expect(operatorsForType('unknown')).toHaveLength(15);
  });
});
