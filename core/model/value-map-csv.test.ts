import { describe, expect, it } from 'vitest';
import { ValueMapCsvError, valueMapFromCsv, valueMapToCsv } from './value-map-csv.js';

describe('value map CSV', () => {
  it('writes a header and quotes what needs quoting', () => {
    const csv = valueMapToCsv([
      { from: 'NET30', to: '30 days' },
      { from: 'a,b', to: 'say "hi"' },
      { from: 'two\nlines', to: 14 },
      { from: 'flag', to: true },
      { from: 'none', to: null },
      { from: ' padded', to: { code: 'X' } },
    ]);
    expect(csv).toBe(
      'from,to\r\nNET30,30 days\r\n"a,b","say ""hi"""\r\n"two\nlines",14\r\nflag,true\r\nnone,\r\n" padded","{""code"":""X""}"\r\n',
    );
  });

  it('reads back what it writes (values as text)', () => {
    const entries = [
      { from: 'NET30', to: '30 days' },
      { from: 'a,b', to: 'say "hi"' },
      { from: 'two\r\nlines', to: '' },
      { from: '', to: 'empty source value' },
    ];
    expect(valueMapFromCsv(valueMapToCsv(entries))).toEqual(entries);
    expect(valueMapFromCsv(valueMapToCsv([{ from: '30', to: 30 }]))).toEqual([{ from: '30', to: '30' }]);
  });

  it('accepts LF, a BOM, blank lines, a header in any case and semicolon or tab separated files', () => {
    expect(valueMapFromCsv('\uFEFFFrom,To\nA,1\n\nB,2\n\n')).toEqual([
      { from: 'A', to: '1' },
      { from: 'B', to: '2' },
    ]);
    expect(valueMapFromCsv('from;to\r\nA;x,y\r\n')).toEqual([{ from: 'A', to: 'x,y' }]);
    expect(valueMapFromCsv('from\tto\nA\tB\n')).toEqual([{ from: 'A', to: 'B' }]);
    expect(valueMapFromCsv('from,to')).toEqual([]);
  });

  const error = (csv: string) => {
    try {
      valueMapFromCsv(csv);
    } catch (e) {
      expect(e).toBeInstanceOf(ValueMapCsvError);
      return (e as ValueMapCsvError).message;
    }
    throw new Error('expected an error');
  };

  it('names the line of every problem', () => {
    expect(error('')).toBe('line 1: the file is empty; expected the header "from,to"');
    expect(error('source,target\nA,B\n')).toBe('line 1: expected the header "from,to", found "source,target"');
    expect(error('from,to\nA,B\nC,D,E\n')).toBe('line 3: expected 2 values (from,to), found 3');
    expect(error('from,to\nA,B\nC\n')).toBe('line 3: expected 2 values (from,to), found 1');
    expect(error('from,to\nA,"B\nC,D\n')).toBe('line 2: a quoted value is not closed');
    expect(error('from,to\n"A\nB"x,C\n')).toMatch(/^line 3: unexpected text after a closing quote/);
    expect(error('from,to\nA,5" screen\n')).toMatch(/^line 2: a quote inside an unquoted value/);
    expect(error('from,to\nA,1\n"multi\nline",2\nA,3\n')).toBe(
      'line 5: "A" is already mapped on line 2; a value can be mapped once',
    );
  });
});
