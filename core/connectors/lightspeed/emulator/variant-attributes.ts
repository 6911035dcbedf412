// Variant attributes (spec: CreateVariantAttribute — "Variant Attributes are required when creating variants").
// POST /api/2.0/variant_attributes takes VariantAttributeCreateUpdateBody (`name`, required) and answers 201 with
// VariantAttributeCreateResponse `{data: {id, name, created_at, updated_at}}`; the spec's only error answer is 422
// "Failed to process variant attribute", which the emulator gives for a missing name and for a name the store
// already has (the back office refuses a second "Colour", and a variant's value names its attribute by id only).
import type { LsField } from '../catalog.js';
import { checkBody } from './body-check.js';
import { apiError } from './errors.js';
import type { LsRecord, LsStore } from './store.js';

const CREATE_FIELDS: LsField[] = [{ name: 'name', type: 'string', required: true }];

export function createVariantAttribute(store: LsStore, body: unknown): Record<string, unknown> {
  checkBody(CREATE_FIELDS, body);
  const name = String((body as { name?: unknown }).name ?? '').trim();
  if (name === '') throw apiError(422, 'name: required');
  const taken = store.active('variant_attributes').find((a) => String(a.name).toLowerCase() === name.toLowerCase());
  if (taken) throw apiError(422, `name: the variant attribute "${String(taken.name)}" exists (${taken.id})`); // prettier-ignore
  const now = store.timestamp();
  const stored: LsRecord = store.put('variant_attributes', { id: store.newId(), name, deleted_at: null }, false);
  return { id: stored.id, name: stored.name, created_at: now, updated_at: now };
}
