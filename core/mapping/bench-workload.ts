import type { MapConfig } from '../model/mapping.js';

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
