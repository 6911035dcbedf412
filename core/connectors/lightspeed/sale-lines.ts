import type { RecordData } from '../../engine/record.js';
import { inParallel } from '../parallel.js';
import type { LsClient } from './client.js';

/**
 * A sale's line items name their product by id only, while an ERP knows items by SKU. With the sales source's
 * `lineProducts`, each line gets its product's `sku` and `product_name` here, in the source, so they stay on the
 * record as read (`$source`) all along a flow — also after chained writes, where the lookups' additions are gone.
 * Products are found by id through /search (one per request, as the lookup does) and remembered for the run by id
 * (only the two fields, so a run over many sales of a large catalogue stays small); the requests count in the
 * connection's rate budget like every other.
 */
export class SaleLineProducts {
  private readonly products = new Map<string, { sku?: unknown; name?: unknown } | null>();

  constructor(private readonly client: LsClient) {}

  async addTo(sales: RecordData[], signal: AbortSignal): Promise<RecordData[]> {
    const ids = new Set<string>();
    for (const sale of sales) {
      for (const line of linesOf(sale)) {
        const id = line.product_id;
        if (typeof id === 'string' && id !== '' && !this.products.has(id)) ids.add(id);
      }
    }
    const wanted = [...ids];
    await inParallel(wanted.length, this.client.transport.parallel, signal, async (n, taskSignal) => {
      const id = wanted[n]!;
      const found = (await this.client.search('products', [['_id', id]], taskSignal)).find((p) => p.id === id);
      this.products.set(id, found ? { sku: found.sku, name: found.name } : null);
    });
    return sales.map((sale) => {
      if (!Array.isArray(sale.line_items)) return sale;
      const lines = linesOf(sale).map((line) => {
        const product = this.products.get(line.product_id as string);
        // A product deleted since the sale: the line keeps only its id, and a lookup by SKU names it as missing.
        return product ? { ...line, sku: product.sku, product_name: product.name } : line;
      });
      return { ...sale, line_items: lines };
    });
  }
}

function linesOf(sale: RecordData): RecordData[] {
  return Array.isArray(sale.line_items) ? (sale.line_items as RecordData[]) : [];
}
