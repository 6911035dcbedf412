import fc from 'fast-check';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import type { FlowRecord, RecordData } from '../engine/record.js';
import { describeRule, filterRulesToJsonata, isFilterGroup } from '../model/filter-rules.js';
import { filterOperators, type FilterGroup, type FilterOperator, type FilterRule } from '../model/mapping.js';
import { ValidationError } from '../model/validation-error.js';
import { jsonataTruthy } from './compile-expression.js';
import { compileFilter } from './filter-node.js';

function rec(data: RecordData, key = '1'): FlowRecord {
  return { data, source: data, lineage: { node: 'src', key, page: 0 } };
}

type Decision = { kind: 'pass' } | { kind: 'reject'; reason: string } | { kind: 'fail'; error: string };

function decideAll(group: FilterGroup, records: FlowRecord[]): { decisions: Decision[]; sync: boolean } {
  const decisions: Decision[] = [];
  const returned = compileFilter({ rules: group }).run(
    records,
    () => decisions.push({ kind: 'pass' }),
    (_r, reason) => decisions.push({ kind: 'reject', reason }),
    (_r, error) => decisions.push({ kind: 'fail', error }),
  );
  return { decisions, sync: returned === undefined };
}

async function decide(group: FilterGroup, records: FlowRecord[]): Promise<Decision[]> {
  const decisions: Decision[] = [];
  await compileFilter({ rules: group }).run(
    records,
    () => decisions.push({ kind: 'pass' }),
    (_r, reason) => decisions.push({ kind: 'reject', reason }),
    (_r, error) => decisions.push({ kind: 'fail', error }),
  );
  return decisions;
}

/** What evaluating the whole generated expression with the jsonata package decides. */
async function jsonataDecision(expression: string, data: RecordData): Promise<'pass' | 'reject' | 'fail'> {
  try {
    const value = (await jsonata(expression).evaluate(data, { source: data })) as unknown;
    return jsonataTruthy(value) ? 'pass' : 'reject';
  } catch {
    return 'fail';
  }
}

const and = (...rules: (FilterRule | FilterGroup)[]): FilterGroup => ({ combinator: 'and', rules });
const or = (...rules: (FilterRule | FilterGroup)[]): FilterGroup => ({ combinator: 'or', rules });

describe('compileFilter with rules', () => {
  it('names the first false rule of an and group, synchronously for plain records', () => {
    const group = and(
      { field: 'status', operator: 'eq', value: 'in progress' },
      { field: 'total', operator: 'gt', value: 100 },
    );
    const { decisions, sync } = decideAll(group, [
      rec({ status: 'in progress', total: 250 }),
      rec({ status: 'done', total: 250 }),
      rec({ status: 'in progress', total: 5 }),
      rec({ total: 5 }),
    ]);
    expect(sync).toBe(true);
    expect(decisions).toEqual([
      { kind: 'pass' },
      { kind: 'reject', reason: 'filter: status = "in progress" is false' },
      { kind: 'reject', reason: 'filter: total > 100 is false' },
      { kind: 'reject', reason: 'filter: status = "in progress" is false' },
    ]);
  });

  it('names an or group as a whole, and nested and groups by their first false rule', async () => {
    const group = and(
      or({ field: 'country', operator: 'eq', value: 'US' }, { field: 'country', operator: 'eq', value: 'CA' }),
      and({ field: 'email', operator: 'notEmpty' }, { field: 'blocked', operator: 'isFalse' }),
    );
    expect(
      await decide(group, [
        rec({ country: 'DE', email: 'a@b', blocked: false }),
        rec({ country: 'CA', email: '', blocked: false }),
        rec({ country: 'CA', email: 'a@b', blocked: true }),
        rec({ country: 'US', email: 'a@b', blocked: false }),
      ]),
    ).toEqual([
      { kind: 'reject', reason: 'filter: (country = "US" or country = "CA") is false' },
      { kind: 'reject', reason: 'filter: email is not empty is false' },
      { kind: 'reject', reason: 'filter: blocked is false is false' },
      { kind: 'pass' },
    ]);
  });

  it('fails a record when a rule throws, naming the rule', async () => {
    const decisions = await decide(and({ field: 'qty', operator: 'lt', value: 10 }), [
      rec({ qty: 'five' }, '1'),
      rec({ qty: 5 }, '2'),
    ]);
    expect(decisions[0]).toEqual({
      kind: 'fail',
      error:
        'filter: qty < 10: T2009: The values "five" and 10 either side of operator "<" must be of the same data type',
    });
    expect(decisions[1]).toEqual({ kind: 'pass' });
  });

  it('keeps input order when some records need the evaluator (arrays)', async () => {
    const group = and({ field: 'tags', operator: 'eq', value: 'x' });
    const records = [rec({ tags: 'x' }, '1'), rec({ tags: ['x'] }, '2'), rec({ tags: 'y' }, '3')];
    const order: string[] = [];
    const returned = compileFilter({ rules: group }).run(
      records,
      (r) => order.push(`pass:${r.lineage.key}`),
      (r) => order.push(`reject:${r.lineage.key}`),
      (r) => order.push(`fail:${r.lineage.key}`),
    );
    expect(returned).toBeInstanceOf(Promise);
    await returned;
    // JSONata's `=` is deep equality: the array ["x"] is not the text "x"
    expect(order).toEqual(['pass:1', 'reject:2', 'reject:3']);
  });

  it('reports incomplete rules at their config path', () => {
    let error: unknown;
    try {
      compileFilter(
        { rules: and({ field: 'a', operator: 'eq' }, or({ field: '', operator: 'empty' })) },
        { file: 'flows/f.flow.json', path: 'nodes[2].config' },
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      {
        file: 'flows/f.flow.json',
        path: 'nodes[2].config.rules.rules[0].value',
        message: 'required: operator "eq" compares with a value',
      },
      {
        file: 'flows/f.flow.json',
        path: 'nodes[2].config.rules.rules[1].rules[0].field',
        message: 'must not be empty',
      },
    ]);
  });
});

// ---- property tests: the node's decision is the decision of the generated JSONata, evaluated by jsonata itself ----

const FIELDS = ['status', 'qty', 'name', 'first name', 'and', 'nested.x', 'nested.in', 'missing', 'x`y'];

const primitive = fc.oneof(
  fc.constantFrom(null, true, false, 0, 1, -1, 2.5, 10, 30, 1e21, -0),
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom('', ' ', 'a', 'ab', 'AB', 'in progress', '10', '30', '2.5', 'true', 'null', 'é', '𝄞x', 'a"b\n'),
  fc.string({ maxLength: 4 }),
);
type Primitive = string | number | boolean | null;

const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: primitive },
  { weight: 1, arbitrary: fc.array(primitive, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('x', 'y'), primitive, { maxKeys: 2 }) },
);

const record: fc.Arbitrary<RecordData> = fc
  .record(
    {
      status: fieldValue,
      qty: fieldValue,
      name: fieldValue,
      'first name': fieldValue,
      and: fieldValue,
      nested: fc.oneof(fc.record({ x: fieldValue, in: fieldValue }, { requiredKeys: [] }), fieldValue),
      'x`y': fieldValue,
    },
    { requiredKeys: [] },
  )
  .map((r) => r as RecordData);

const ruleValue = (op: FilterOperator): fc.Arbitrary<Primitive | Primitive[] | undefined> => {
  switch (op) {
    case 'empty':
    case 'notEmpty':
    case 'isTrue':
    case 'isFalse':
      return fc.constant(undefined);
    case 'in':
    case 'notIn':
      return fc.oneof(fc.array(primitive, { maxLength: 4 }), primitive);
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return fc.oneof(fc.integer({ min: -20, max: 40 }), fc.constantFrom('', 'a', 'b', '10', '2026-01-01'));
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return fc.oneof(fc.constantFrom('', 'a', 'in', 'progress', '𝄞', '1'), fc.string({ maxLength: 2 }));
    default:
      return primitive;
  }
};

const OPERATORS = filterOperators;

const rule: fc.Arbitrary<FilterRule> = fc
  .tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...OPERATORS))
  .chain(([field, operator]) =>
    ruleValue(operator).map((value): FilterRule =>
      value === undefined ? { field, operator } : { field, operator, value },
    ),
  );

const group: fc.Arbitrary<FilterGroup> = fc.letrec<{ group: FilterGroup; item: FilterRule | FilterGroup }>((tie) => ({
  group: fc.record({
    combinator: fc.constantFrom('and' as const, 'or' as const),
    rules: fc.array(tie('item'), { maxLength: 4 }),
  }),
  item: fc.oneof({ depthSize: 'small', withCrossShrink: true }, rule, tie('group')),
})).group;

describe('compileFilter with rules ≡ jsonata(filterRulesToJsonata(rules))', () => {
  it('decides every record as the generated expression does (pass, reject, fail)', async () => {
    await fc.assert(
      fc.asyncProperty(group, fc.array(record, { minLength: 1, maxLength: 5 }), async (g, datas) => {
        const expression = filterRulesToJsonata(g);
        const got = await decide(
          g,
          datas.map((d, i) => rec(d, String(i))),
        );
        for (let i = 0; i < datas.length; i++) {
          const want = await jsonataDecision(expression, datas[i]!);
          expect(got[i]!.kind, `${expression} on ${JSON.stringify(datas[i])}`).toBe(want);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('names the first rule that is false in a flat and group', async () => {
    const flatAnd = fc.array(rule, { minLength: 1, maxLength: 4 }).map((rules) => and(...rules));
    await fc.assert(
      fc.asyncProperty(flatAnd, record, async (g, data) => {
        const [got] = await decide(g, [rec(data)]);
        if (got!.kind !== 'reject') return;
        let firstFalse: FilterRule | undefined;
        for (const r of g.rules) {
          if (isFilterGroup(r)) continue;
          if ((await jsonataDecision(filterRulesToJsonata(and(r)), data)) === 'reject') {
            firstFalse = r;
            break;
          }
        }
        expect(got!.reason).toBe(`filter: ${describeRule(firstFalse!)} is false`);
      }),
      { numRuns: 300 },
    );
  });

  it('decides records of plain values without the evaluator (the fast path)', () => {
    const plainRule = fc
      .tuple(
        fc.constantFrom('status', 'qty', 'name', 'first name', 'nested.x'),
        fc.constantFrom<FilterOperator>('eq', 'ne', 'in', 'notIn', 'empty', 'notEmpty', 'isTrue', 'isFalse'),
      )
      .chain(([field, operator]) =>
        ruleValue(operator).map((value): FilterRule =>
          value === undefined ? { field, operator } : { field, operator, value },
        ),
      );
    const plainRecord = fc
      .record({ status: primitive, qty: primitive, name: primitive, nested: fc.record({ x: primitive }) })
      .map((r) => r as RecordData);
    fc.assert(
      fc.property(fc.array(plainRule, { maxLength: 4 }), plainRecord, (rules, data) => {
        expect(decideAll(and(...rules), [rec(data)]).sync).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
