/**
 * A product record with `variants` is a variant family (docs/products_variants): the record's `sku` is the family's
 * key in the flow (a Business Central item number) while Lightspeed knows only its members, each with its own SKU.
 *
 * - Attributes by name: a variant's `variant_definitions` may name the attribute (`attribute_name`, Ferry's) instead
 *   of giving its id. The attributes are read once per run (GET /api/2.0/variant_attributes) and a missing one is
 *   created (POST /api/2.0/variant_attributes: "Variant Attributes are required when creating variants").
 * - Finding the family: the variants' SKUs through /search; the family is the found members' `variant_parent_id`
 *   (or the member itself, the parent). None found: the family is created in one POST /api/2.0/products with
 *   `variants` (ProductCreateBody; docs/products_variants_creating_variants), without a SKU of its own.
 * - Updating: one PUT /api/2.1/products/{id} per member found, its own fields in `details`; the family's fields
 *   (`common`: name, description, category…) go with the first only, as `common` updates every member.
 * - A new variant of an existing family is not added: the API 2.0 spec has no request that adds a product to a
 *   family (ProductCreateBody has no `variant_parent_id`, which "cannot be used to modify" a product), and the 2.1
 *   update "cannot create new variants" (docs/products_variants_update). Lightspeed's changelog (2023-02) names a
 *   2.1 "Add Single Variant" endpoint that the spec does not describe, so Ferry does not call it: the variant is
 *   left out with a run warning naming it, and the members found are updated.
 */
import type { FlowRecord, Outcome, RecordData } from '../../engine/record.js';
import type { Logger } from '../types.js';
import { ALREADY_EXISTS, decideWrite, refusalText } from '../write-operations.js';
import type { LsEntity } from './catalog.js';
import type { LsClient, WriteResult } from './client.js';
import type { LsDestinationConfig } from './descriptor.js';
import { type KeyIndex, keyText, searchBy } from './key-index.js';
import { NamedIds } from './named-ids.js';
import { recordBody } from './record-check.js';
import { createRecord, updateRecord } from './writes.js';

/** The record is a family: a non-empty `variants` list. */
export function isFamilyRecord(data: RecordData): boolean {
  return Array.isArray(data.variants) && data.variants.length > 0;
}

/** Variant attribute ids by name for one run (named-ids.ts). */
export class VariantAttributeIndex extends NamedIds {
  constructor(private readonly client: LsClient) {
    super();
  }

  protected async load(signal: AbortSignal): Promise<Map<string, string>> {
    // The spec's ListVariantAttributes has no paging parameters: one answer holds them all.
    const answer = (await this.client.json({ method: 'GET', url: this.client.api('/variant_attributes'), signal })) as { data?: { id: string; name: string; deleted_at?: string | null }[] }; // prettier-ignore
    return new Map((answer?.data ?? []).filter((a) => !a.deleted_at).map((a) => [String(a.name).toLowerCase(), a.id]));
  }

  protected async create(name: string, signal: AbortSignal): Promise<string> {
    const result = await this.client.write('POST', '/api/2.0/variant_attributes', { name }, signal);
    const id = result.kind === 'ok' ? result.record.id : undefined;
    if (typeof id !== 'string') throw new Error(`variant attribute "${name}": Lightspeed did not create it (${result.kind === 'refused' ? result.message : result.kind === 'uncertain' ? result.reason : 'no id in the answer'})`); // prettier-ignore
    return id;
  }
}

export interface FamilyWriter {
  client: LsClient;
  entity: LsEntity;
  config: LsDestinationConfig;
  /** The writer's SKU index: a standard product with the family's key is found by it. */
  index: KeyIndex;
  attributes: VariantAttributeIndex;
  logger?: Logger;
}

type Variant = RecordData & { sku: string; variant_definitions?: unknown };

/** The variants, each with its SKU; an error names the first bad one. */
function checkVariants(variants: unknown[]): { variants: Variant[] } | { error: string } {
  const out: Variant[] = [];
  for (const [i, v] of variants.entries()) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return { error: `variants[${i}]: expected an object` };
    const variant = v as RecordData;
    if (keyText('sku', variant.sku) === undefined) return { error: `variants[${i}].sku: every variant needs its own SKU (the family is found by them)` }; // prettier-ignore
    out.push({ ...variant, sku: String(variant.sku).trim() });
  }
  return { variants: out };
}

/** Attribute names turned into ids (create only: an update leaves a variant's values as they are). */
async function withAttributeIds(w: FamilyWriter, variants: Variant[], dryRun: boolean, signal: AbortSignal) {
  const out: Variant[] = [];
  for (const [i, variant] of variants.entries()) {
    const definitions = Array.isArray(variant.variant_definitions) ? (variant.variant_definitions as RecordData[]) : []; // prettier-ignore
    if (definitions.length === 0) return { error: `variants[${i}].variant_definitions: a variant needs an attribute value (e.g. {"attribute_name": "Variant", "value": "BLACK"})` }; // prettier-ignore
    const resolved: RecordData[] = [];
    for (const { attribute_name, ...definition } of definitions) {
      if (attribute_name === undefined || attribute_name === null || definition.attribute_id) resolved.push(definition);
      else resolved.push({ ...definition, attribute_id: (await w.attributes.id(String(attribute_name).trim(), signal, dryRun)) ?? `(new attribute ${String(attribute_name)})` }); // prettier-ignore
    }
    out.push({ ...variant, variant_definitions: resolved });
  }
  return { variants: out };
}

/** Writes one family record: created in one request, or its members found by SKU updated. */
export async function writeFamily(
  w: FamilyWriter,
  record: FlowRecord,
  data: RecordData,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<Outcome> {
  const { sku: familyKey, variants: given, ...family } = data;
  const target = keyText('sku', familyKey);
  const key = target ? { targetKey: target } : {};
  const checked = checkVariants(given as unknown[]);
  if ('error' in checked) return { status: 'failed', error: checked.error };
  const { variants } = checked;
  const found = await searchBy(
    w.client,
    'products',
    'sku',
    variants.map((v) => v.sku),
    signal,
  );
  const decision = decideWrite(w.config.operation, found.size > 0);
  if (decision.action === 'skip') return { status: 'skipped', reason: decision.reason, ...key };
  if (decision.action === 'fail') return { status: 'failed', error: refusalText(decision.reason, `variants of sku ${target ?? '(none)'} in Lightspeed`) }; // prettier-ignore
  if (decision.action === 'create') {
    // variant_parent_id is read-only (docs/products_variants): a standard product cannot become a family.
    if (w.index.get(familyKey)) return { status: 'failed', error: `sku ${target}: a standard product in Lightspeed; Lightspeed cannot turn it into a variant family (its variants would need new SKUs)` }; // prettier-ignore
    const resolved = await withAttributeIds(w, variants, dryRun, signal);
    if ('error' in resolved) return { status: 'failed', error: resolved.error! };
    const body = recordBody(w.entity, 'create', { ...family, variants: resolved.variants });
    if (!body.ok) return { status: 'failed', error: body.error };
    if (dryRun) return { status: 'created', ...key };
    let result = await createRecord(w.client, 'products', body.body, signal);
    if (result.kind === 'uncertain') {
      // Created if a variant's SKU now finds it, else sent once more (write-operations' uncertain creates).
      const again = await searchBy(w.client, 'products', 'sku', [variants[0]!.sku], signal);
      const member = again.values().next().value;
      result = member ? { kind: 'ok', record: member } : await createRecord(w.client, 'products', body.body, signal);
    }
    if (
      result.kind === 'refused' &&
      (await searchBy(w.client, 'products', 'sku', [variants[0]!.sku], signal)).size > 0
    ) {
      return { status: 'failed', error: refusalText(ALREADY_EXISTS, result.message), ...key };
    }
    return outcome(result, 'created', key);
  }
  return updateFamily(w, record, family, variants, found, dryRun, signal, key);
}

async function updateFamily(
  w: FamilyWriter,
  record: FlowRecord,
  family: RecordData,
  variants: Variant[],
  found: Map<string, RecordData>,
  dryRun: boolean,
  signal: AbortSignal,
  key: { targetKey?: string },
): Promise<Outcome> {
  const members = variants.filter((v) => found.has(keyText('sku', v.sku)!));
  const parents = new Set(members.map((v) => { const m = found.get(keyText('sku', v.sku)!)!; return String(m.variant_parent_id ?? m.id); })); // prettier-ignore
  if (parents.size > 1) return { status: 'failed', error: `sku ${key.targetKey}: its variants ${members.map((v) => String(v.sku)).join(', ')} are in ${parents.size} different families in Lightspeed` }; // prettier-ignore
  const missing = variants.filter((v) => !found.has(keyText('sku', v.sku)!)).map((v) => String(v.sku));
  const createOnly = record.createOnly ?? [];
  const leaveOut = ['id', ...createOnly, ...(createOnly.includes('product_category_name') ? ['product_category_id'] : [])]; // prettier-ignore
  let first: WriteResult | undefined;
  for (const [i, { variant_definitions: _d, ...own }] of members.entries()) {
    const id = String(found.get(keyText('sku', own.sku)!)!.id);
    // The family's fields once: `common` updates every member (docs/products_variants_update).
    const details = Object.fromEntries(Object.entries({ ...family, ...own }).filter(([n]) => w.entity.detailFields?.includes(n))); // prettier-ignore
    const body = recordBody(w.entity, 'update', i === 0 ? { ...family, ...own } : details, leaveOut);
    if (!body.ok) return { status: 'failed', error: body.error };
    if (dryRun) continue;
    let result = await updateRecord(w.client, 'products', id, body.body, signal);
    if (result.kind === 'uncertain') result = await updateRecord(w.client, 'products', id, body.body, signal);
    if (result.kind !== 'ok') return outcome(result, 'updated', key);
    first ??= result;
  }
  if (missing.length > 0) {
    w.logger?.warn(`Lightspeed product family ${key.targetKey ?? ''}: variant${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not added — Lightspeed's API (2.0 spec) cannot add a variant to an existing family; add ${missing.length > 1 ? 'them' : 'it'} in Lightspeed`); // prettier-ignore
  }
  return dryRun || !first ? { status: 'updated', ...key } : outcome(first, 'updated', key);
}

function outcome(result: WriteResult, status: 'created' | 'updated', key: { targetKey?: string }): Outcome {
  // prettier-ignore
  switch (result.kind) {
    case 'ok': return { status, ...key, result: result.record };
    case 'refused': return { status: 'failed', error: `Lightspeed refused the ${status === 'created' ? 'family create' : 'variant update'} (HTTP ${result.status}): ${result.message}` }; // prettier-ignore
    case 'uncertain': return { status: 'failed', error: `${result.reason}: the variant family ${key.targetKey ?? ''} may have been ${status}; check it in Lightspeed` }; // prettier-ignore
  }
}
