// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorDescriptor } from '../../core/model/descriptor.js';
import { type FormProblem, SchemaForm, unplacedProblems } from './SchemaForm.js';
import type { JsonSchema } from './json-schema.js';

/**
 * The real connector descriptors, loaded at run time. Not a static import: renderer/ may import only core/model (lint),
 * and the renderer's tsconfig (DOM, no Node types) cannot type-check connector code. Vitest runs in Node: it loads them.
 */
async function realDescriptor(file: string, name: string): Promise<ConnectorDescriptor> {
  const module = (await import(/* @vite-ignore */ `../../core/connectors/${file}`)) as Record<string, unknown>;
  return module[name] as ConnectorDescriptor;
}

const fileDescriptor = await realDescriptor('file/descriptor.js', 'fileDescriptor');
const httpDescriptor = await realDescriptor('http/descriptor.js', 'httpDescriptor');

const fileSource = fileDescriptor.sourceConfigSchema!;
const fileDestination = fileDescriptor.destinationConfigSchema!;
const httpSource = httpDescriptor.sourceConfigSchema!;
const httpConnection = httpDescriptor.connectionSchema!;

afterEach(cleanup);

/** Renders the form over a value it owns, as a host does, and records every change. */
function renderForm(schema: JsonSchema, initial: Record<string, unknown> = {}, problems?: FormProblem[]) {
  const changes: { value: Record<string, unknown>; path: string }[] = [];
  function Host() {
    const [value, setValue] = useState(initial);
    return (
      <SchemaForm
        schema={schema}
        value={value}
        problems={problems}
        onChange={(next, path) => {
          changes.push({ value: next, path });
          setValue(next);
        }}
      />
    );
  }
  render(<Host />);
  return { changes, last: () => changes.at(-1)?.value };
}

const field = (path: string) => document.querySelector<HTMLElement>(`[data-field=${JSON.stringify(path)}]`);
const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('SchemaForm over the file source schema', () => {
  it('renders every setting with its widget, label, required mark, placeholder and help', () => {
    renderForm(fileSource);
    const path = input('path');
    expect(path.tagName).toBe('INPUT');
    expect(path.placeholder).toBe('data/customers.csv');
    expect(path.className).toContain('mono');
    expect(path.getAttribute('aria-required')).toBe('true');
    expect(field('path')!.querySelector('.required-mark')).not.toBeNull();
    expect(field('key')!.querySelector('.required-mark')).toBeNull();
    expect(within(field('path')!).getByText('File path, relative to the workspace folder or absolute')).toBeTruthy();
    expect(document.querySelector('[data-field="path"] input')).toBe(path);

    const format = input('format') as unknown as HTMLSelectElement;
    expect([...format.options].map((o) => o.text)).toEqual(['—', 'csv', 'jsonl']);
    expect(format.value).toBe('');
    const encoding = input('encoding') as unknown as HTMLSelectElement;
    expect(encoding.selectedOptions[0]!.text).toBe('utf-8 (default)');
    expect(input('header').checked).toBe(true);
    expect(input('deltaOrdered').checked).toBe(false);
    expect(input('columns').tagName).toBe('TEXTAREA');
    expect(field('types')!.querySelector('.kv-rows')).not.toBeNull();
  });

  it('writes what the user changes and nothing else: defaults stay out, back-to-default removes the key', () => {
    const { changes, last } = renderForm(fileSource);
    expect(changes).toEqual([]);
    type('path', 'data/in.csv');
    expect(changes.at(-1)).toEqual({ value: { path: 'data/in.csv' }, path: 'path' });
    fireEvent.change(input('format'), { target: { value: '0' } });
    expect(last()).toEqual({ path: 'data/in.csv', format: 'csv' });
    fireEvent.change(input('encoding'), { target: { value: '2' } });
    expect(last()!.encoding).toBe('latin1');
    fireEvent.change(input('encoding'), { target: { value: '0' } });
    expect(last()).not.toHaveProperty('encoding');
    fireEvent.click(input('header'));
    expect(last()!.header).toBe(false);
    fireEvent.click(input('header'));
    expect(last()).not.toHaveProperty('header');
    fireEvent.click(input('deltaOrdered'));
    expect(last()!.deltaOrdered).toBe(true);
    fireEvent.change(input('format'), { target: { value: '' } });
    type('path', '');
    expect(last()).toEqual({ deltaOrdered: true });
  });

  it('edits columns one per line, keeping the line being started', () => {
    const { last } = renderForm(fileSource, { path: 'a.csv' });
    type('columns', 'id\nname\n');
    expect(last()!.columns).toEqual(['id', 'name']);
    expect(input('columns').value).toBe('id\nname\n');
    type('columns', '');
    expect(last()).toEqual({ path: 'a.csv' });
  });

  it('edits column types as key/value rows with the enum as a select', () => {
    const { last } = renderForm(fileSource, { path: 'a.csv', types: { qty: 'integer' } });
    expect(input('types key 1').value).toBe('qty');
    expect((input('types value 1') as unknown as HTMLSelectElement).selectedOptions[0]!.text).toBe('integer');
    fireEvent.click(screen.getByRole('button', { name: 'Add types entry' }));
    expect(last()).toBeUndefined(); // an empty row is not a config entry yet
    type('types key 2', 'price');
    expect(last()!.types).toEqual({ qty: 'integer', price: 'string' });
    fireEvent.change(input('types value 2'), { target: { value: '1' } });
    expect(last()!.types).toEqual({ qty: 'integer', price: 'number' });
    expect(field('types.price')).not.toBeNull();
    // Renaming through a name that collides keeps both rows on screen; the duplicate is flagged, not lost.
    type('types key 2', 'qty');
    expect(last()!.types).toEqual({ qty: 'integer' });
    expect(within(field('types')!).getByText('duplicate key: this row is ignored')).toBeTruthy();
    type('types key 2', 'qty2');
    expect(last()!.types).toEqual({ qty: 'integer', qty2: 'number' });
    fireEvent.click(screen.getByRole('button', { name: 'Remove types 1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove types 1' }));
    expect(last()).toEqual({ path: 'a.csv' });
  });

  it('keeps keys the schema does not know', () => {
    const { last } = renderForm(fileSource, { path: 'a.csv', addedByANewerFerry: { x: 1 } });
    type('key', 'id');
    expect(last()).toEqual({ path: 'a.csv', addedByANewerFerry: { x: 1 }, key: 'id' });
  });

  it('shows problems under their field, marks the input invalid, and leaves the unplaceable ones to the host', () => {
    const problems = [
      { path: 'path', message: 'must not be empty' },
      { path: 'types.price', message: 'expected one of string, number' },
      { path: 'columns[1]', message: 'must not be empty' },
      { path: 'nonsense', message: 'unknown field nonsense' },
    ];
    renderForm(fileSource, { types: { price: 'money' }, columns: ['a', ''] }, problems);
    expect(field('path')!.querySelector('.field-error')!.textContent).toBe('must not be empty');
    expect(input('path').getAttribute('aria-invalid')).toBe('true');
    expect(input('key').getAttribute('aria-invalid')).toBeNull();
    expect(field('types.price')!.querySelector('.field-error')!.textContent).toBe('expected one of string, number');
    expect((input('types value 1') as unknown as HTMLSelectElement).selectedOptions[0]!.text).toBe('money');
    expect(field('columns')!.querySelector('.field-error')!.textContent).toBe('[1]: must not be empty');
    expect(document.querySelectorAll('.field-error')).toHaveLength(3);
    expect(unplacedProblems(fileSource, {}, problems)).toEqual([problems[3]]);
    // A hidden field cannot show its problem: the host lists it instead of losing it.
    const hidden = { path: 'username', message: 'basic auth needs a username' };
    expect(unplacedProblems(httpConnection, { auth: 'bearer' }, [hidden])).toEqual([hidden]);
    expect(unplacedProblems(httpConnection, { auth: 'basic' }, [hidden])).toEqual([]);
  });

  it('shows line endings readably', () => {
    renderForm(fileDestination, { path: 'out.csv' });
    const options = [...(input('lineEnding') as unknown as HTMLSelectElement).options].map((o) => o.text);
    expect(options).toEqual(['\\n (default)', '\\r\\n']);
  });
});

describe('SchemaForm over the HTTP schemas', () => {
  it('enters numbers as numbers, shows defaults as placeholders and removes an emptied number (never 0)', () => {
    const { last } = renderForm(httpSource, { path: '/items' });
    const pageSize = input('pageSize');
    expect(pageSize.type).toBe('number');
    expect(pageSize.placeholder).toBe('100');
    expect(pageSize.value).toBe('');
    type('pageSize', '250');
    expect(last()).toEqual({ path: '/items', pageSize: 250 });
    type('pageSize', '');
    expect(last()).toEqual({ path: '/items' });
  });

  it('chooses a paging variant and shows only its fields', () => {
    const { last } = renderForm(httpSource, { path: '/items' });
    const paging = input('paging') as unknown as HTMLSelectElement;
    expect(paging.selectedOptions[0]!.text).toBe('none (default)');
    expect(field('paging.path')).toBeNull();
    fireEvent.change(paging, { target: { value: '1' } });
    expect(last()!.paging).toEqual({ kind: 'nextLink' });
    expect(field('paging.path')).not.toBeNull();
    fireEvent.change(document.querySelector('[data-field="paging.path"] input')!, { target: { value: 'links.next' } });
    expect(last()!.paging).toEqual({ kind: 'nextLink', path: 'links.next' });
    fireEvent.change(paging, { target: { value: '3' } });
    expect(last()!.paging).toEqual({ kind: 'page' }); // nextLink's path means nothing to page paging
    expect((document.querySelector('[data-field="paging.param"] input') as HTMLInputElement).placeholder).toBe('page');
    fireEvent.change(paging, { target: { value: '0' } });
    expect(last()).toEqual({ path: '/items' });
  });

  it('edits query parameters as free text values', () => {
    const { last } = renderForm(httpSource, { path: '/items' });
    fireEvent.click(screen.getByRole('button', { name: 'Add query entry' }));
    type('query key 1', 'since');
    type('query value 1', '{{since}}');
    expect(last()!.query).toEqual({ since: '{{since}}' });
  });

  it('hides fields whose showWhen does not hold and never renders secrets', () => {
    const { last } = renderForm(httpConnection, { baseUrl: 'https://api.example.com' });
    expect(field('username')).toBeNull();
    expect(field('password')).toBeNull();
    fireEvent.change(input('auth'), { target: { value: '1' } });
    expect(last()!.auth).toBe('basic');
    expect(field('username')).not.toBeNull();
    expect(field('password')).toBeNull();
    fireEvent.change(input('auth'), { target: { value: '2' } });
    expect(field('username')).toBeNull();
    expect(field('token')).toBeNull();
  });

  it('edits a nested object in a fieldset and drops it when emptied', () => {
    const { last } = renderForm(httpConnection, { baseUrl: 'https://api.example.com' });
    const retry = field('retry')!;
    expect(retry.tagName).toBe('FIELDSET');
    expect(within(retry).getByText('retry')).toBeTruthy();
    type('maxAttempts', '6');
    expect(last()).toEqual({ baseUrl: 'https://api.example.com', retry: { maxAttempts: 6 } });
    type('maxAttempts', '');
    expect(last()).toEqual({ baseUrl: 'https://api.example.com' });
  });
});
