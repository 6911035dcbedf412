import type { MapConfig, ValueMapFile } from '../model/mapping.js';

/** The engine benchmark's map + filter (CSV → map → filter → CSV); it must run entirely on the fast path. */
export const benchMapConfig: MapConfig = {
  fields: [
    { target: 'number', expression: 'id' },
    { target: 'sku', expression: 'sku' },
    { target: 'displayName', expression: 'name' },
    { target: 'description', expression: 'description' },
    { target: 'unitPrice', expression: 'price' },
    { target: 'unitCost', expression: 'cost' },
    { target: 'inventory', expression: 'qty' },
    { target: 'category', expression: 'category' },
    { target: 'margin', expression: '$round(price - cost, 2)' },
    { target: 'label', expression: 'sku & " " & $uppercase(name)' },
  ],
};
export const benchFilterExpression = '$source.status = "active"';

/**
 * Issue 7's mapping benchmark: 10 fields — 7 paths, 2 expressions with JSONata semantics (string concatenation, a
 * conditional) and 1 value map (category → code, "fail" fallback) — over the same generated product records.
 */
export const valueMapBenchMapConfig: MapConfig = {
  fields: [
    { target: 'number', expression: 'id' },
    { target: 'sku', expression: 'sku' },
    { target: 'displayName', expression: 'name' },
    { target: 'description', expression: 'description' },
    { target: 'unitPrice', expression: 'price' },
    { target: 'unitCost', expression: 'cost' },
    { target: 'inventory', expression: 'qty' },
    { target: 'label', expression: 'sku & " – " & name' },
    { target: 'availability', expression: 'qty > 0 ? "in stock" : "sold out"' },
    { target: 'categoryCode', expression: 'category', valueMap: 'categories' },
  ],
};

export const benchCategoryCodes: readonly (readonly [string, string])[] = [
  ['tools', 'T01'],
  ['garden', 'G02'],
  ['kitchen', 'K03'],
  ['toys', 'Y04'],
  ['books', 'B05'],
];

export const benchCategoryMap: ValueMapFile = {
  schemaVersion: 1,
  id: 'categories',
  name: 'Categories',
  entries: benchCategoryCodes.map(([from, to]) => ({ from, to })),
  fallback: { kind: 'fail' },
};
