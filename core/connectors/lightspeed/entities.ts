import type { EntityDescriptor, EntityField } from '../../model/descriptor.js';
import type { LsCatalog, LsEntityField } from './catalog.js';
import { PRODUCT_EXTRA_FIELDS } from './product-extras.js';

function describe(field: LsEntityField): string | undefined {
  const parts: string[] = [];
  if (field.enum) parts.push(`one of ${field.enum.join(', ')}`);
  if (field.fields) parts.push(`${field.type === 'array' ? 'each with' : 'with'} ${field.fields.map((f) => f.name).join(', ')}`); // prettier-ignore
  if (field.writeOnly) parts.push('written, not read back');
  if (field.description) parts.unshift(field.description);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * The descriptor's entity catalog from the generated one: every entity with its fields (nested objects and arrays
 * as `object` / `array`, their fields named in the description), `id` as key, `version` as delta field, and what the
 * API lets Ferry do with it.
 */
export function entityDescriptors(catalog: LsCatalog): EntityDescriptor[] {
  return catalog.entities.map((e) => ({
    name: e.name,
    label: e.label,
    key: [e.key],
    deltaField: e.deltaField,
    fields: [
      ...e.fields.map((f): EntityField => {
        const field: EntityField = { name: f.name, type: f.type };
        if (f.required) field.required = true;
        if (f.readOnly) field.readOnly = true;
        const description = describe(f);
        if (description) field.description = description;
        return field;
      }),
      // Ferry's own product fields: category by name, image bytes (product-extras.ts).
      ...(e.name === 'products' ? PRODUCT_EXTRA_FIELDS : []),
    ],
    capabilities: { read: true, create: e.create !== undefined, update: e.update !== undefined, delete: false },
  }));
}
