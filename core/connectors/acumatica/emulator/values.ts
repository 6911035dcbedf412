// Field values between the wire and the store. On the wire every field is wrapped — `{"value": …}`, `{}` when empty —
// with the wrapper type the catalog names (StringValue, DecimalValue, IntValue, …, DateTimeValue as an ISO-8601
// string, GuidValue); the store keeps the bare value. A value the wrapper type cannot hold is a model-binding error
// (400 with modelState), as ASP.NET Web API reports it.

export type Primitive = string | number | boolean | null;

/** A record as the store keeps it: bare field values, linked and detail entities, note, custom fields, file ids. */
export interface AcuRecord {
  id: string;
  fields: Record<string, Primitive>;
  links: Record<string, AcuRecord | AcuRecord[]>;
  note?: string;
  /** view → field → custom field ({type: 'CustomStringField', value}). */
  custom?: Record<string, Record<string, { type: string; value: Primitive }>>;
  /** Attached files (top-level records only). */
  files?: string[];
}

export class BindingError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const INTEGER_RANGES: Record<string, [number, number]> = {
  ByteValue: [0, 255],
  ShortValue: [-32768, 32767],
  IntValue: [-2147483648, 2147483647],
  LongValue: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Acumatica's date-time text: ISO-8601 with an offset, milliseconds only when there are any. */
export function isoDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}+00:00` : `${iso.slice(0, 23)}+00:00`;
}

/** Reads a DateTimeValue (date-only text means midnight UTC). */
export function parseDateTime(text: string): number | undefined {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A wire value (the inside of the wrapper) as the store keeps it for `type`; throws BindingError when it cannot be. */
export function toStored(type: string, value: unknown, path: string): Primitive {
  if (value === null || value === undefined) return null;
  const wrong = () => new BindingError(path, `Error converting value ${JSON.stringify(value)} to type '${type}'.`);
  switch (type) {
    case 'StringValue':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw wrong();
    case 'DecimalValue': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isFinite(n)) return n;
      throw wrong();
    }
    case 'BooleanValue':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw wrong();
    case 'DateTimeValue': {
      const ms = typeof value === 'string' ? parseDateTime(value) : undefined;
      if (ms === undefined) throw wrong();
      return isoDateTime(ms);
    }
    case 'GuidValue':
      if (typeof value === 'string' && GUID.test(value)) return value.toLowerCase();
      throw wrong();
    default: {
      const range = INTEGER_RANGES[type];
      if (!range) return typeof value === 'object' ? JSON.stringify(value) : (value as Primitive);
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isInteger(n) && n >= range[0] && n <= range[1]) return n;
      throw wrong();
    }
  }
}

/** The wrapper of a stored value: `{}` when there is none, as Acumatica sends empty fields. */
export function wrap(value: Primitive | undefined): { value?: Primitive } {
  return value === null || value === undefined ? {} : { value };
}

/** The inside of a wrapper `{"value": …}` from a request body; `undefined` when the wrapper carries no value. */
export function unwrap(wrapper: unknown, path: string): { value: unknown } | undefined {
  if (!wrapper || typeof wrapper !== 'object' || Array.isArray(wrapper)) {
    throw new BindingError(path, `Error converting value ${JSON.stringify(wrapper)}: a field is sent as {"value": …}.`);
  }
  return 'value' in wrapper ? { value: (wrapper as { value: unknown }).value } : undefined;
}

/** Custom field types (`custom` view → field → {type, value}) and the wrapper type each one holds. */
export const CUSTOM_FIELD_TYPES: Record<string, string> = {
  CustomStringField: 'StringValue',
  CustomDecimalField: 'DecimalValue',
  CustomDoubleField: 'DecimalValue',
  CustomIntField: 'IntValue',
  CustomShortField: 'ShortValue',
  CustomLongField: 'LongValue',
  CustomByteField: 'ByteValue',
  CustomBooleanField: 'BooleanValue',
  CustomDateTimeField: 'DateTimeValue',
  CustomGuidField: 'GuidValue',
};
