import { describe, expect, it } from 'vitest';
import { CsvParser, CsvSyntaxError } from './csv-parse.js';

interface Row {
  fields: string[];
  line: number;
}

/** Parses `input` fed in the given pieces; `fieldCount` exercises the preallocating fast path. */
function parse(pieces: string[], delimiter = ',', fieldCount = 0): Row[] {
  const rows: Row[] = [];
  const parser = new CsvParser(delimiter);
  parser.fieldCount = fieldCount;
  const onRow = (fields: string[], line: number) => void rows.push({ fields: [...fields], line });
  for (const piece of pieces) parser.push(piece, onRow);
  parser.finish(onRow);
  return rows;
}

const fields = (input: string, delimiter = ',') => parse([input], delimiter).map((r) => r.fields);

/** Every way of cutting `input` in two, plus one-character pieces: a row may be split anywhere. */
function splits(input: string): string[][] {
  const out: string[][] = [[input], [...input]];
  for (let i = 1; i < input.length; i++) out.push([input.slice(0, i), input.slice(i)]);
  return out;
}

const cases: Array<{ name: string; input: string; rows: string[][] }> = [
  {
    name: 'plain',
    input: 'a,b,c\n1,2,3\n',
    rows: [
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ],
  },
  {
    name: 'quoted delimiter',
    input: 'a,b\n"x,y",z\n',
    rows: [
      ['a', 'b'],
      ['x,y', 'z'],
    ],
  },
  {
    name: 'escaped quotes',
    input: 'a,b\n"say ""hi""",""""\n',
    rows: [
      ['a', 'b'],
      ['say "hi"', '"'],
    ],
  },
  {
    name: 'LF in quotes',
    input: 'a,b\n"line1\nline2",z\n',
    rows: [
      ['a', 'b'],
      ['line1\nline2', 'z'],
    ],
  },
  {
    name: 'CRLF in quotes',
    input: 'a,b\r\n"l1\r\nl2",z\r\n',
    rows: [
      ['a', 'b'],
      ['l1\r\nl2', 'z'],
    ],
  },
  {
    name: 'CRLF endings',
    input: 'a,b\r\n1,2\r\n',
    rows: [
      ['a', 'b'],
      ['1', '2'],
    ],
  },
  {
    name: 'mixed endings',
    input: 'a,b\n1,2\r\n3,4\n',
    rows: [
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ],
  },
  {
    name: 'no final newline',
    input: 'a,b\n1,2',
    rows: [
      ['a', 'b'],
      ['1', '2'],
    ],
  },
  {
    name: 'no final newline, CR',
    input: 'a,b\r\n1,2\r',
    rows: [
      ['a', 'b'],
      ['1', '2'],
    ],
  },
  {
    name: 'quoted last field at EOF',
    input: 'a,b\n1,"2"',
    rows: [
      ['a', 'b'],
      ['1', '2'],
    ],
  },
  {
    name: 'empty lines',
    input: '\na,b\n\n\r\n1,2\n\n',
    rows: [
      ['a', 'b'],
      ['1', '2'],
    ],
  },
  {
    name: 'empty fields',
    input: 'a,b,c\n,,\n"",x,\n',
    rows: [
      ['a', 'b', 'c'],
      ['', '', ''],
      ['', 'x', ''],
    ],
  },
  {
    name: 'trailing delimiter at EOF',
    input: 'a,b\n1,',
    rows: [
      ['a', 'b'],
      ['1', ''],
    ],
  },
  {
    name: 'lone CR is data',
    input: 'a,b\nx\ry,z\n',
    rows: [
      ['a', 'b'],
      ['x\ry', 'z'],
    ],
  },
  {
    name: 'quote inside a field',
    input: 'a,b\n5" wide,x\n',
    rows: [
      ['a', 'b'],
      ['5" wide', 'x'],
    ],
  },
  {
    name: 'text after closing quote',
    input: 'a,b\n"x"y,z\n',
    rows: [
      ['a', 'b'],
      ['xy', 'z'],
    ],
  },
  {
    name: 'ragged rows stay apart',
    input: 'a,b,c\n1,2\n3,4,5,6\n',
    rows: [
      ['a', 'b', 'c'],
      ['1', '2'],
      ['3', '4', '5', '6'],
    ],
  },
  {
    name: 'unicode',
    input: 'név,城市\n"Zoë, ☃",😀\n',
    rows: [
      ['név', '城市'],
      ['Zoë, ☃', '😀'],
    ],
  },
];

describe('CsvParser', () => {
  for (const c of cases) {
    it(`${c.name}, split anywhere`, () => {
      for (const pieces of splits(c.input)) {
        expect(
          parse(pieces).map((r) => r.fields),
          JSON.stringify(pieces),
        ).toEqual(c.rows);
        expect(parse(pieces, ',', c.rows[0]!.length).map((r) => r.fields)).toEqual(c.rows);
      }
    });
  }

  it('reads other delimiters, with quoting', () => {
    expect(fields('a\tb\n"x\ty"\tz\n', '\t')).toEqual([
      ['a', 'b'],
      ['x\ty', 'z'],
    ]);
    expect(fields('a;b\n1,5;"2;3"\n', ';')).toEqual([
      ['a', 'b'],
      ['1,5', '2;3'],
    ]);
  });

  it('reports the physical line each row starts on', () => {
    const rows = parse(['a,b\n\n"1\n2",x\r\n3,4\n"5\r\n\r\n6",y\n7,8']);
    expect(rows.map((r) => r.line)).toEqual([1, 3, 5, 6, 9]);
  });

  it('throws CsvSyntaxError with the line of an unterminated quote', () => {
    for (const pieces of splits('a,b\n1,2\n"open,3\n4,5\n')) {
      let caught: unknown;
      try {
        parse(pieces);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CsvSyntaxError);
      expect((caught as CsvSyntaxError).line).toBe(3);
    }
  });

  it('treats an escaped quote at the very end of a chunk correctly', () => {
    // The input is "x""" (x, then an escaped quote): the boundary falls inside the escape, then before the close.
    expect(parse(['a\n"x"', '"', '"\n']).map((r) => r.fields)).toEqual([['a'], ['x"']]);
    expect(parse(['a\n"x""', '"\n']).map((r) => r.fields)).toEqual([['a'], ['x"']]);
  });

  it('handles a one-column file and a huge quoted field across many chunks', () => {
    expect(fields('id\n1\n2\n3\n')).toEqual([['id'], ['1'], ['2'], ['3']]);
    const big = 'x'.repeat(100_000);
    const input = `a,b\n"${big}\n${big}",z\n`;
    const pieces: string[] = [];
    for (let i = 0; i < input.length; i += 4096) pieces.push(input.slice(i, i + 4096));
    expect(parse(pieces).map((r) => r.fields)).toEqual([
      ['a', 'b'],
      [`${big}\n${big}`, 'z'],
    ]);
  });

  it('rejects delimiters that cannot work', () => {
    expect(() => new CsvParser('"')).toThrow(/delimiter/);
    expect(() => new CsvParser(',,')).toThrow(/delimiter/);
    expect(() => new CsvParser('\n')).toThrow(/delimiter/);
  });
});
