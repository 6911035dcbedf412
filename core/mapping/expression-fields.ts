/**
 * The record fields an expression reads, from its JSONata AST: for the mapper (which source fields a mapping uses) and
 * the checks of shipped default mappings against connector catalogs.
 */
import jsonata from 'jsonata';

export interface FieldReference {
  /** `$source.x` rather than the incoming record's `x`. */
  source: boolean;
  /** The names from the record's root: `['MainContact', 'Address', 'City']`. */
  path: string[];
}

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The leading names of every path that starts at the record (`a.b`, `$.a`, `$source.a`). Paths inside a predicate or a
 * lambda are read from their own context and are not reported; throws the parse error of a bad expression.
 */
export function expressionFields(expression: string): FieldReference[] {
  const found: FieldReference[] = [];
  const seen = new Set<string>();
  const add = (source: boolean, path: string[]) => {
    const key = `${source ? '$source' : '$'}\u0000${path.join('\u0000')}`;
    if (path.length > 0 && !seen.has(key)) {
      seen.add(key);
      found.push({ source, path });
    }
  };
  const visit = (node: unknown, atRoot: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, atRoot));
    if (!isNode(node)) return;
    if (node.type === 'lambda') return; // its own parameters and context
    if (node.type === 'path' && Array.isArray(node.steps)) {
      const steps = node.steps as Node[];
      let i = 0;
      let source = false;
      if (steps[0]?.type === 'variable') {
        const name = steps[0].value;
        if (name === 'source') source = true;
        // `$` and `$source` start at a record; any other variable is not one
        i = name === 'source' || name === '' || name === '$' ? 1 : steps.length;
      }
      const names: string[] = [];
      for (; i < steps.length && steps[i]!.type === 'name'; i++) {
        names.push(String(steps[i]!.value));
        // a filtered or grouped step (`items[price > 5]`) is a field too, but what follows reads its items
        if (steps[i]!.stages !== undefined || steps[i]!.group !== undefined) break;
      }
      if (atRoot || source) add(source, names);
      // Predicates and later steps see the path's items as their context, not the record.
      for (const step of steps) visit(step, false);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'position' || key === 'value' || key === 'type') continue;
      visit(value, atRoot && key !== 'stages' && key !== 'predicate' && key !== 'expr');
    }
  };
  visit(jsonata(expression).ast(), true);
  return found;
}
