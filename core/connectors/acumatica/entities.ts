import type { EntityDescriptor, EntityField } from '../../model/descriptor.js';
import type { AcuCatalog, AcuEntity } from './catalog.js';

/** The entity picker's view of an Acumatica wrapper type. */
export function fieldType(wrapper: string): EntityField['type'] {
  switch (wrapper) {
    case 'StringValue':
    case 'GuidValue':
      return 'string';
    case 'DecimalValue':
      return 'number';
    case 'IntValue':
    case 'ShortValue':
    case 'LongValue':
    case 'ByteValue':
      return 'integer';
    case 'BooleanValue':
      return 'boolean';
    case 'DateTimeValue':
      return 'datetime';
  }
  return 'unknown';
}

function fields(entity: AcuEntity): EntityField[] {
  const maintained = new Set([entity.deltaField, 'CreatedDateTime', 'NoteID']);
  return [
    ...entity.fields.map((f): EntityField => {
      const field: EntityField = { name: f.name, type: fieldType(f.type) };
      if (maintained.has(f.name)) field.readOnly = true;
      return field;
    }),
    ...entity.links.map((l): EntityField => ({
      name: l.name,
      type: l.collection ? 'array' : 'object',
      description: l.collection ? `${l.entity} details (read with expand)` : `linked ${l.entity} (read with expand)`,
    })),
  ];
}

/**
 * The descriptor's entity catalog from one endpoint version: its top-level entities with fields (details and linked
 * entities as arrays and objects), keys and delta field. Every top-level entity takes GET, PUT and DELETE.
 */
export function entityDescriptors(catalog: AcuCatalog): EntityDescriptor[] {
  return catalog.entities
    .filter((e) => e.topLevel)
    .map((e) => {
      const entity: EntityDescriptor = {
        name: e.name,
        key: e.keys,
        fields: fields(e),
        capabilities: { read: true, create: true, update: true, delete: true },
      };
      if (e.deltaField) entity.deltaField = e.deltaField;
      return entity;
    });
}
