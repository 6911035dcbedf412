import { describe, expect, it } from 'vitest';
import { parseRetryAfter, remoteErrorText } from './client.js';
import { nextFromLinkHeader } from './paging.js';
import { expandTemplate, getPath, placeholderNames } from './template.js';

describe('templates', () => {
  it('lists and expands placeholders, encoding when asked', () => {
    expect(placeholderNames('/a/{{ id }}/{{since}}/{{id}}')).toEqual(['id', 'since']);
    const values: Record<string, unknown> = { id: 'a/b', n: 3 };
    expect(expandTemplate('/x/{{id}}/{{ n }}', (k) => values[k], true)).toEqual({ ok: true, value: '/x/a%2Fb/3' });
    expect(expandTemplate('{{id}}', (k) => values[k], false)).toEqual({ ok: true, value: 'a/b' });
  });

  it('reports a missing or non-scalar value instead of inventing one', () => {
    expect(expandTemplate('/x/{{id}}', () => undefined, true)).toEqual({
      ok: false,
      missing: 'id',
      reason: 'has no value',
    });
    expect(expandTemplate('/x/{{id}}', () => ({ a: 1 }), true)).toMatchObject({ ok: false, reason: /an object/ });
  });

  it('reads dot paths, including keys that contain dots', () => {
    const body = { '@odata.nextLink': 'n', data: { items: [1] }, 'a.b': { c: 2 } };
    expect(getPath(body, '@odata.nextLink')).toBe('n');
    expect(getPath(body, 'data.items')).toEqual([1]);
    expect(getPath(body, 'a.b.c')).toBe(2);
    expect(getPath(body, 'data.nope')).toBeUndefined();
  });
});

describe('header and body parsing', () => {
  it('parses Retry-After seconds and HTTP-dates', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('finds rel="next" among several links', () => {
    expect(nextFromLinkHeader('<https://a/x?p=1>; rel="prev", <https://a/x?p=3>; rel="next"')).toBe('https://a/x?p=3');
    expect(nextFromLinkHeader('</x?p=2>; title="t"; rel=next')).toBe('/x?p=2');
    expect(nextFromLinkHeader('<https://a/x?p=9>; rel="last"')).toBeUndefined();
    expect(nextFromLinkHeader(null)).toBeUndefined();
  });

  it('extracts the remote error text from common shapes', () => {
    expect(remoteErrorText({ json: { error: { message: 'a' } }, text: '' })).toBe('a');
    expect(remoteErrorText({ json: { error: { message: { value: 'odata' } } }, text: '' })).toBe('odata');
    expect(remoteErrorText({ json: { error: 'invalid_grant', error_description: 'x' }, text: '' })).toBe(
      'invalid_grant',
    );
    expect(remoteErrorText({ json: { title: 'Bad', detail: 'why' }, text: '' })).toBe('why');
    expect(remoteErrorText({ json: undefined, text: '<h1>\n Oops </h1>' })).toBe('<h1> Oops </h1>');
  });
});
