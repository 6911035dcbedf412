// Typed values as Business Central serves and accepts them (metadata.xml types, samples/*.json formats).
import type { BcProperty } from '../catalog.js';
import { BcError, badRequest } from './errors.js';

export type Row = Record<string, unknown>;

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
/** BC's blank date and date-time (samples: "requestedDeliveryDate": "0001-01-01"). */
export const BLANK_DATE = '0001-01-01';
export const BLANK_DATETIME = '0001-01-01T00:00:00Z';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** `_x0020_` → ' ', `G_x002F_L_x0020_Account` → 'G/L Account' (XML name escaping of EDM member names). */
export function decodeMember(name: string): string {
  return name.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The escaped member for a value given in either form, or undefined when it names no member. */
export function enumMember(property: BcProperty, value: string): string | undefined {
  const members = property.enumMembers ?? [];
  return members.find((m) => m === value) ?? members.find((m) => decodeMember(m) === value);
}

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/** The value a new record holds for a property nobody set (BC's blank values, never null for primitives). */
export function defaultValue(property: BcProperty): unknown {
  if (property.collection) return [];
  if (property.enumMembers) return property.enumMembers[0];
  if (property.properties) return Object.fromEntries(property.properties.map((p) => [p.name, defaultValue(p)]));
  switch (property.edmType) {
    case 'Edm.Guid':
      return EMPTY_GUID;
    case 'Edm.Date':
      return BLANK_DATE;
    case 'Edm.DateTimeOffset':
      return BLANK_DATETIME;
    case 'Edm.Boolean':
      return false;
    case 'Edm.Decimal':
    case 'Edm.Double':
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Byte':
      return 0;
    case 'Edm.String':
      return '';
    default:
      return null;
  }
}

const cannotConvert = (value: unknown, type: string) =>
  badRequest(`Cannot convert the literal '${String(value)}' to the expected type '${type}'.`);

/**
 * Checks and normalises one incoming value: enums to their escaped member, GUIDs to lower case, date-times to UTC.
 * Strings longer than MaxLength fail with BC's Application_StringExceededLength.
 */
export function inputValue(property: BcProperty, value: unknown): unknown {
  if (value === null) {
    if (!property.nullable) throw badRequest(`Cannot convert a null to the non-nullable property '${property.name}'.`);
    return defaultValue(property);
  }
  if (property.collection) {
    if (!Array.isArray(value)) throw cannotConvert(JSON.stringify(value), `Collection(${property.edmType})`);
    return value;
  }
  if (property.properties) {
    if (typeof value !== 'object' || Array.isArray(value)) throw cannotConvert(JSON.stringify(value), property.edmType);
    return value;
  }
  if (property.enumMembers) {
    const member = typeof value === 'string' ? enumMember(property, value) : undefined;
    if (member === undefined) throw cannotConvert(value, property.edmType);
    return member;
  }
  switch (property.edmType) {
    case 'Edm.String':
      if (typeof value !== 'string') throw cannotConvert(value, property.edmType);
      if (property.maxLength !== undefined && value.length > property.maxLength) {
        throw new BcError(
          400,
          'Application_StringExceededLength',
          `The length of the string is ${value.length}, but it must be less than or equal to ${property.maxLength} ` +
            `characters. Value: ${value}`,
        );
      }
      return value;
    case 'Edm.Guid':
      if (!isGuid(value)) throw cannotConvert(value, property.edmType);
      return value.toLowerCase();
    case 'Edm.Date':
      if (typeof value !== 'string' || !DATE.test(value)) throw cannotConvert(value, property.edmType);
      return value;
    case 'Edm.DateTimeOffset':
      if (typeof value !== 'string' || !DATETIME.test(value) || Number.isNaN(Date.parse(value))) {
        throw cannotConvert(value, property.edmType);
      }
      return new Date(value).toISOString();
    case 'Edm.Boolean':
      if (typeof value !== 'boolean') throw cannotConvert(value, property.edmType);
      return value;
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Int64':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw cannotConvert(value, property.edmType);
      return value;
    case 'Edm.Decimal':
    case 'Edm.Double':
      // OData JSON allows decimals as strings (IEEE754Compatible); BC sends and takes bare numbers.
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      if (typeof value !== 'number' || !Number.isFinite(value)) throw cannotConvert(value, property.edmType);
      return value;
    default:
      return value;
  }
}

/** Money and quantities rounded as BC rounds amounts (2 decimals) without float noise. */
export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}
