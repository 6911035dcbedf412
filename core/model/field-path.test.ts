import { describe, expect, it } from 'vitest';
import { jsonataName, jsonataPath } from './field-path.js';

describe('JSONata field paths', () => {
  it('quotes only names that are not plain identifiers', () => {
    expect(jsonataName('displayName')).toBe('displayName');
    expect(jsonataName('_id2')).toBe('_id2');
    for (const name of ['zip code', 'e-mail', '2nd', 'custom.Document.AttrColor', 'and', 'true', '$x', 'é']) {
      expect(jsonataName(name)).toBe(`\`${name}\``);
    }
    expect(jsonataName('a`b')).toBe('$lookup($, "a`b")');
  });

  it('joins nested names with dots', () => {
    expect(jsonataPath(['address', 'zip code'])).toBe('address.`zip code`');
    expect(jsonataPath(['lines'])).toBe('lines');
  });
});
