import { describe, expect, it } from 'vitest';
import { substitutePlaceholders } from './template-placeholders.js';
import { parseSettingText, templateSettingsSchema } from './template.js';

const values = {
  connections: { source: 'acu-prod' },
  settings: { limit: 25, active: true, group: 'RE"TAIL', empty: undefined as unknown },
};

describe('substitutePlaceholders', () => {
  it('keeps a whole-string value’s type, writes text inside longer strings, and JSON literals with | json', () => {
    expect(
      substitutePlaceholders(
        {
          connection: '{{connection.source}}',
          top: '{{settings.limit}}',
          flag: '{{ settings.active }}',
          path: 'out/{{settings.limit}}-items.csv',
          expression: 'group = {{settings.group | json}} and {{settings.active|json}}',
          list: ['{{settings.limit}}', '{{settings.empty}}'],
        },
        values,
      ),
    ).toEqual({
      connection: 'acu-prod',
      top: 25,
      flag: true,
      path: 'out/25-items.csv',
      // A setting never breaks out of the expression: quotes are escaped as JSON (and JSONata) strings are.
      expression: 'group = "RE\\"TAIL" and true',
      list: [25, null],
    });
  });

  it('leaves out a property whose whole value is an unset setting; inside text it is empty, as JSON null', () => {
    expect(
      substitutePlaceholders(
        { a: '{{settings.empty}}', b: 'x{{settings.empty}}y', c: '{{settings.empty | json}}' },
        values,
      ),
    ).toEqual({ b: 'xy', c: 'null' });
  });
});

describe('template settings', () => {
  const manifest = {
    settings: {
      count: { type: 'number' as const, title: 'Count', integer: true, minimum: 1, default: 10 },
      publish: { type: 'boolean' as const, title: 'Publish' },
      mode: { type: 'choice' as const, title: 'Mode', options: ['a', 'b'], default: 'a' },
      note: { type: 'string' as const, title: 'Note' },
    },
  };

  it('fill in defaults (false for a boolean) and leave an optional text out', () => {
    expect(templateSettingsSchema(manifest).parse({})).toEqual({ count: 10, publish: false, mode: 'a' });
  });

  it('read --set texts as the setting’s type', () => {
    expect(parseSettingText(manifest.settings.count, '12')).toEqual({ value: 12 });
    expect(parseSettingText(manifest.settings.count, 'twelve')).toEqual({ error: 'expected a number, got "twelve"' });
    expect(parseSettingText(manifest.settings.publish, 'yes')).toEqual({ value: true });
    expect(parseSettingText(manifest.settings.publish, 'nope')).toEqual({
      error: 'expected true or false, got "nope"',
    });
    expect(parseSettingText(manifest.settings.mode, 'b')).toEqual({ value: 'b' });
  });
});
