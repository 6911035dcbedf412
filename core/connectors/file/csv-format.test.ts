import { describe, expect, it } from 'vitest';
import { createCsvFormatter, numberText, stringify } from './csv-format.js';
import { CsvParser } from './csv-parse.js';

describe('createCsvFormatter', () => {
  const format = (record: Record<string, unknown>, columns = Object.keys(record), delimiter = ',') =>
    createCsvFormatter({ columns, delimiter, lineEnding: '\n' }).row(record);

  it('quotes only when RFC 4180 requires it', () => {
    expect(format({ a: 'plain', b: 'with space', c: "it's" })).toBe("plain,with space,it's\n");
    expect(format({ a: 'x,y', b: 'say "hi"', c: 'l1\nl2', d: 'cr\rhere' })).toBe(
      '"x,y","say ""hi""","l1\nl2","cr\rhere"\n',
    );
    expect(format({ a: 'x,y', b: 'x;y' }, ['a', 'b'], ';')).toBe('x,y;"x;y"\n');
    expect(format({ a: 'x\ty' }, ['a'], '\t')).toBe('"x\ty"\n');
    // Delimiters that mean something in a regular expression are still just characters.
    expect(format({ a: 'x|y', b: 'z', c: '' }, ['a', 'b', 'c'], '|')).toBe('"x|y"|z|\n');
    expect(format({ a: 'x', b: 'y*z' }, ['a', 'b'], '*')).toBe('x*"y*z"\n');
    expect(format({ a: 'x', b: '' }, ['a', 'b'], '*')).toBe('x*\n');
    // A value that is text only once written (JSON) is quoted like any other.
    expect(format({ a: { k: 'v,w' }, b: ['1'] })).toBe('"{""k"":""v,w""}","[""1""]"\n');
    // Numbers are written without a check unless the delimiter can occur in them.
    expect(format({ a: 1.5, b: -2, c: 1e21 })).toBe('1.5,-2,1e+21\n');
    expect(format({ a: 1.5, b: 2 }, ['a', 'b'], '.')).toBe('"1.5".2\n');
    expect(format({ a: 1e21, b: 2 }, ['a', 'b'], 'e')).toBe('"1e+21"e2\n');
  });

  it('writes values as the spec says', () => {
    const record = {
      nil: null,
      undef: undefined,
      n: 12.5,
      big: 10n,
      yes: true,
      date: new Date('2024-03-01T10:00:00Z'),
      obj: { a: 1, b: 'x,y' },
      arr: [1, 2],
    };
    expect(format(record, [...Object.keys(record), 'absent'])).toBe(
      ',,12.5,10,true,2024-03-01T10:00:00.000Z,"{""a"":1,""b"":""x,y""}","[1,2]",\n',
    );
    expect(stringify(new Date('2024-01-02T00:00:00Z'))).toBe('2024-01-02T00:00:00.000Z');
  });

  it('reads columns as own properties only, whatever their names', () => {
    const columns = ['constructor', 'toString', '__proto__', 'a"b', 'x\\y', '${z}'];
    const record = JSON.parse('{"__proto__":"p","a\\"b":1,"x\\\\y":2,"${z}":3}');
    expect(format(record, columns)).toBe(',,p,1,2,3\n');
    expect(format({}, columns)).toBe(',,,,,\n');
  });

  it('writes the header with the same quoting, and uses the line ending asked for', () => {
    const f = createCsvFormatter({ columns: ['id', 'full, name'], delimiter: ',', lineEnding: '\r\n' });
    expect(f.header()).toBe('id,"full, name"\r\n');
    expect(f.row({ id: 1, 'full, name': 'Ann' })).toBe('1,Ann\r\n');
  });

  it('counts line breaks written inside values, and not those of a failed row', () => {
    const f = createCsvFormatter({ columns: ['a', 'b'], delimiter: ',', lineEnding: '\n' });
    f.row({ a: 'one\ntwo\r\nthree', b: 'x' });
    expect(f.embeddedLineBreaks).toBe(2);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => f.row({ a: 'x\ny', b: cyclic })).toThrow(/circular/i);
    expect(() => f.row({ a: new Date('nope'), b: 1 })).toThrow(RangeError);
    expect(f.embeddedLineBreaks).toBe(2);
  });

  it('numberText prints exactly what String() prints', () => {
    const samples = [0, -0, 1, -1, 0.5, 0.05, -0.05, 0.01, 1.1, 2.675, 579.39, 999999999.99, 1e9 + 0.5, 0.005, 1e-7];
    samples.push(1e21, 123456789012.34, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 0.1 + 0.2);
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 20_000; i++) {
      samples.push(Math.round((random() - 0.3) * 1e8) / 100, Math.round(random() * 1e4) / 10, random() * 1000);
    }
    for (const n of samples) expect(numberText(n), String(n)).toBe(String(n));
  });

  it('round-trips random values through the parser, whatever the chunking', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) as number;
    const alphabet = ['a', 'b', ',', '"', '\n', '\r', ' ', 'é', '😀', ';', '\t', '|', '*'];
    const columns = ['c1', 'c2', 'c3'];
    for (const delimiter of [',', ';', '\t', '|', '*']) {
      const f = createCsvFormatter({ columns, delimiter, lineEnding: '\r\n' });
      const records: Array<Record<string, string>> = [];
      for (let r = 0; r < 200; r++) {
        const record: Record<string, string> = {};
        for (const c of columns) {
          let value = '';
          const length = Math.floor(random() * 8);
          for (let i = 0; i < length; i++) value += alphabet[Math.floor(random() * alphabet.length)];
          record[c] = value;
        }
        // A row whose only field is empty is an empty line, which readers skip: keep one field non-empty.
        record.c1 = `r${r}${record.c1}`;
        records.push(record);
      }
      const text = f.header() + records.map((r) => f.row(r)).join('');
      const parsed: string[][] = [];
      const parser = new CsvParser(delimiter);
      for (let i = 0; i < text.length;) {
        const size = 1 + Math.floor(random() * 50);
        parser.push(text.slice(i, i + size), (fields) => void parsed.push([...fields]));
        i += size;
      }
      parser.finish((fields) => void parsed.push([...fields]));
      expect(parsed[0]).toEqual(columns);
      expect(parsed.slice(1).map((fields) => Object.fromEntries(columns.map((c, i) => [c, fields[i]])))).toEqual(
        records,
      );
    }
  });
});
