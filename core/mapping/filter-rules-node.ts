/**
 * The filter node for rule-builder configs. The whole group is the JSONata of `filterRulesToJsonata`, but each rule
 * is compiled on its own and the group is walked here — with JSONata's order and short-circuit of `and`/`or` — so a
 * rejected record can be told which rule stopped it: for an `and` group its first false rule, for an `or` group the
 * group. Each rule's value is JSONata's (fast closure or evaluator), so pass, reject and failure match evaluating the
 * generated expression as a whole (a property test holds the two together).
 */
import type { FlowRecord } from '../engine/record.js';
import {
  describeGroup,
  describeRule,
  filterGroupProblems,
  filterRuleToJsonata,
  isFilterGroup,
} from '../model/filter-rules.js';
import type { FilterGroup } from '../model/mapping.js';
import { ValidationError } from '../model/validation-error.js';
import {
  compileExpression,
  isPlainRoot,
  jsonataTruthy,
  NEEDS_JSONATA,
  toExpressionError,
  type CompiledExpression,
} from './compile-expression.js';
import type { CompiledFilter } from './filter-node.js';
import { joinPath, type ConfigLocation } from './config-location.js';

type Rec = Record<string, unknown>;

interface RuleLeaf {
  leaf: true;
  expression: CompiledExpression;
  /** `filter: <rule> is false`, built once. */
  reason: string;
  /** `filter: <rule>`, the prefix of its errors. */
  label: string;
}

interface RuleGroup {
  leaf: false;
  and: boolean;
  items: RuleNode[];
  reason: string;
}

type RuleNode = RuleLeaf | RuleGroup;

/** Thrown by a rule whose evaluation failed; carries the record's error message. */
class RuleFailure {
  constructor(readonly message: string) {}
}

function build(group: FilterGroup): RuleNode {
  return {
    leaf: false,
    and: group.combinator === 'and',
    items: group.rules.map((item): RuleNode => {
      if (isFilterGroup(item)) return build(item);
      const text = describeRule(item);
      return {
        leaf: true,
        expression: compileExpression(filterRuleToJsonata(item)),
        reason: `filter: ${text} is false`,
        label: `filter: ${text}`,
      };
    }),
    reason: `filter: ${describeGroup(group)} is false`,
  };
}

function truthy(leaf: RuleLeaf, value: unknown): boolean {
  if (value === true) return true;
  if (value === false || value === undefined) return false;
  try {
    return jsonataTruthy(value);
  } catch (err) {
    throw new RuleFailure(`${leaf.label}: ${toExpressionError(err).message}`);
  }
}

/**
 * The reason the node is false for this record, or undefined when it is true. Throws NEEDS_JSONATA when a rule needs
 * the evaluator (the record is then decided again by {@link decideAsync}) and RuleFailure when a rule fails.
 */
function decideSync(node: RuleNode, d: Rec, s: Rec, trusted: boolean): string | undefined {
  if (node.leaf) {
    const e = node.expression;
    let value: unknown;
    if (trusted && e.syncTrusted !== undefined) {
      value = e.syncTrusted(d, s); // throws BAIL when the record needs JSONata: the caller catches
    } else {
      value = e.trySync(d, s);
      if (value === NEEDS_JSONATA) throw NEEDS_JSONATA;
    }
    return truthy(node, value) ? undefined : node.reason;
  }
  const items = node.items;
  if (node.and) {
    for (let i = 0; i < items.length; i++) {
      const reason = decideSync(items[i]!, d, s, trusted);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }
  for (let i = 0; i < items.length; i++) if (decideSync(items[i]!, d, s, trusted) === undefined) return undefined;
  return node.reason;
}

async function decideAsync(node: RuleNode, d: Rec, s: Rec): Promise<string | undefined> {
  if (node.leaf) {
    let value: unknown;
    try {
      value = await node.expression.evaluate(d, s);
    } catch (err) {
      throw new RuleFailure(`${node.label}: ${toExpressionError(err).message}`);
    }
    return truthy(node, value) ? undefined : node.reason;
  }
  if (node.and) {
    for (const item of node.items) {
      const reason = await decideAsync(item, d, s);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }
  for (const item of node.items) if ((await decideAsync(item, d, s)) === undefined) return undefined;
  return node.reason;
}

function leaves(node: RuleNode): RuleLeaf[] {
  return node.leaf ? [node] : node.items.flatMap(leaves);
}

export function compileRuleFilter(group: FilterGroup, where?: ConfigLocation): CompiledFilter {
  const problems = filterGroupProblems(group);
  if (problems.length > 0) {
    throw new ValidationError(
      problems.map((p) => ({ file: where?.file, path: joinPath(where?.path, `.rules.${p.path}`), message: p.message })),
    );
  }
  const root = build(group);
  const all = leaves(root);
  const trustsInput = all.some((l) => l.expression.trustsInput === true);
  const trustsSource = all.some((l) => l.expression.trustsSource === true);

  type Pass = (record: FlowRecord) => void;
  type Reject = (record: FlowRecord, reason: string) => void;
  type Fail = (record: FlowRecord, error: string) => void;

  const settle = (record: FlowRecord, reason: string | undefined, pass: Pass, reject: Reject) => {
    if (reason === undefined) pass(record);
    else reject(record, reason);
  };

  /** Decides one record synchronously; false when it needs the evaluator. */
  const trySync = (record: FlowRecord, pass: Pass, reject: Reject, fail: Fail): boolean => {
    const d = record.data;
    const s = record.source;
    const trusted = (!trustsInput || isPlainRoot(d)) && (!trustsSource || s === d || isPlainRoot(s));
    let reason: string | undefined;
    try {
      reason = decideSync(root, d, s, trusted);
    } catch (err) {
      if (err instanceof RuleFailure) {
        fail(record, err.message);
        return true;
      }
      return false;
    }
    settle(record, reason, pass, reject);
    return true;
  };

  const slow = async (record: FlowRecord, pass: Pass, reject: Reject, fail: Fail): Promise<void> => {
    let reason: string | undefined;
    try {
      reason = await decideAsync(root, record.data, record.source);
    } catch (err) {
      if (err instanceof RuleFailure) return fail(record, err.message);
      throw err;
    }
    settle(record, reason, pass, reject);
  };

  return {
    run(records, pass, reject, fail) {
      for (let i = 0; i < records.length; i++) {
        if (!trySync(records[i]!, pass, reject, fail)) return continueAsync(i);
      }
      return undefined;

      async function continueAsync(from: number): Promise<void> {
        await slow(records[from]!, pass, reject, fail);
        for (let i = from + 1; i < records.length; i++) {
          if (!trySync(records[i]!, pass, reject, fail)) await slow(records[i]!, pass, reject, fail);
        }
      }
    },
  };
}
