import type { EntityDescriptor, EntityField } from '../../model/descriptor.js';
import type { BcCatalog, BcProperty } from './catalog.js';

/** The entity picker's view of an EDM type. Enums travel as their member names, so they are strings. */
export function fieldType(property: Pick<BcProperty, 'edmType' | 'collection' | 'properties'>): EntityField['type'] {
  if (property.collection) return 'array';
  if (property.properties) return 'object';
  switch (property.edmType) {
    case 'Edm.String':
    case 'Edm.Guid':
      return 'string';
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Byte':
    case 'Edm.SByte':
      return 'integer';
    case 'Edm.Decimal':
    case 'Edm.Double':
    case 'Edm.Single':
      return 'number';
    case 'Edm.Boolean':
      return 'boolean';
    case 'Edm.Date':
      return 'date';
    case 'Edm.DateTimeOffset':
      return 'datetime';
    case 'Edm.Stream':
    case 'Edm.Binary':
      return 'unknown';
  }
  // Qualified names are enum types (complex ones carry `properties`).
  return property.edmType.startsWith('Microsoft.NAV.') ? 'string' : 'unknown';
}

/**
 * The descriptor's entity catalog, generated from the spec catalog: every company-level entity set with its fields
 * (types, key), delta field and capabilities. Keys and the delta field are maintained by BC, hence read-only.
 */
export function entityDescriptors(catalog: BcCatalog): EntityDescriptor[] {
  return catalog.entitySets
    .filter((set) => set.scope === 'company')
    .map((set) => {
      const maintained = new Set([...set.key, ...(set.deltaField ? [set.deltaField] : [])]);
      const fields = set.properties.map((p): EntityField => {
        const field: EntityField = { name: p.name, type: fieldType(p) };
        if (p.readOnly || maintained.has(p.name)) field.readOnly = true;
        if (!p.nullable && !maintained.has(p.name)) field.required = true;
        if (p.enumMembers) field.description = `one of ${p.enumMembers.join(', ')}`;
        else if (p.maxLength) field.description = `at most ${p.maxLength} characters`;
        return field;
      });
      const entity: EntityDescriptor = {
        name: set.name,
        label: set.containedIn ? `${set.name} (in ${set.containedIn})` : set.name,
        key: set.key,
        fields,
        capabilities: set.capabilities,
      };
      if (set.deltaField) entity.deltaField = set.deltaField;
      return entity;
    });
}
