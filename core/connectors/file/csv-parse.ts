/**
 * RFC 4180 tokenizer, hand-written because it was the only candidate fast enough for the engine's throughput target
 * (see docs/decisions/csv-parser.md for the measurements). It works on decoded text chunks and keeps only the
 * unfinished tail of the last row between chunks, so memory stays bounded by the chunk size plus one row.
 *
 * Leniency, chosen so real-world exports load instead of failing:
 * - a quote is special only at the start of a field (`5" screen` is read literally);
 * - text after a closing quote is kept (`"a"b` reads as `ab`);
 * - rows end at LF or CRLF; a lone CR is data;
 * - empty lines are skipped.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The input ended inside a quoted field. `line` is where that field's row started (1-based). */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** `line` is the physical line the row starts on, so errors point where an editor would show them. */
export type RowHandler = (fields: string[], line: number) => void;

export class CsvParser {
  /**
   * Fields per row once known (the header's width): lets the fast path allocate each row's array at its final size.
   * Rows may still have more or fewer fields; the caller decides what that means.
   */
  fieldCount = 0;
  private rest = '';
  private line = 1;
  private readonly delimiter: string;
  private readonly delimiterCode: number;

  constructor(delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error(
        `delimiter must be a single character other than a quote or a line break, got ${JSON.stringify(delimiter)}`,
      );
    }
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** Parses every complete row in `chunk` (plus what was left over); keeps an unfinished last row for later. */
  push(chunk: string, onRow: RowHandler): void {
    let text = chunk;
    if (this.rest.length > 0) {
      // Joining the leftover with the whole chunk would copy the chunk (V8 flattens the concatenation on the first
      // search); join it with just the chunk's first line, which usually completes the row.
      const nl = chunk.indexOf('\n');
      if (nl === -1) {
        this.rest += chunk;
        return;
      }
      const head = this.rest + chunk.slice(0, nl + 1);
      const consumed = this.parse(head, false, onRow);
      text = consumed === head.length ? chunk.slice(nl + 1) : head.slice(consumed) + chunk.slice(nl + 1);
    }
    const consumed = this.parse(text, false, onRow);
    this.rest = consumed === text.length ? '' : text.slice(consumed);
  }

  /** End of input: the last row may lack its line break; an open quote is an error. */
  finish(onRow: RowHandler): void {
    const text = this.rest;
    this.rest = '';
    this.parse(text, true, onRow);
  }

  private parse(s: string, final: boolean, onRow: RowHandler): number {
    const len = s.length;
    const delimiter = this.delimiter;
    const expected = this.fieldCount;
    let pos = 0;
    let line = this.line;
    // Next quote and next delimiter at or after pos (`len` when none). Remembering them across rows keeps every
    // indexOf call short, even for a one-column file where the next delimiter may be megabytes away.
    let quote = -1;
    let delim = -1;
    while (pos < len) {
      let nl = s.indexOf('\n', pos);
      if (nl === -1) {
        if (!final) break;
        nl = len;
      }
      if (quote < pos) {
        quote = s.indexOf('"', pos);
        if (quote === -1) quote = len;
      }
      if (quote < nl) {
        const next = this.parseQuotedRow(s, pos, line, final, onRow);
        if (next === -1) break;
        line = this.line;
        pos = next;
        continue;
      }
      let end = nl;
      if (end > pos && s.charCodeAt(end - 1) === CR) end--;
      if (end > pos) {
        // Preallocated to the header's width: growing an empty array field by field costs a third of the parse.
        const fields: string[] = expected > 0 ? new Array<string>(expected) : [];
        let count = 0;
        let start = pos;
        if (delim < pos) {
          delim = s.indexOf(delimiter, pos);
          if (delim === -1) delim = len;
        }
        while (delim < end) {
          fields[count++] = s.slice(start, delim);
          start = delim + 1;
          delim = s.indexOf(delimiter, start);
          if (delim === -1) delim = len;
        }
        fields[count++] = s.slice(start, end);
        if (count < fields.length) fields.length = count;
        onRow(fields, line);
      }
      pos = nl + 1;
      line++;
    }
    this.line = line;
    return pos > len ? len : pos;
  }

  /**
   * Slow path for a row that contains a quote. Returns the index after the row's line break, or -1 when the row
   * is not complete in `s` yet (then nothing was emitted and the caller keeps the text for the next chunk).
   */
  private parseQuotedRow(s: string, start: number, line: number, final: boolean, onRow: RowHandler): number {
    const len = s.length;
    const delimiterCode = this.delimiterCode;
    const fields: string[] = [];
    let breaks = 0;
    let i = start;
    for (;;) {
      let value: string;
      if (i < len && s.charCodeAt(i) === QUOTE) {
        value = '';
        let j = i + 1;
        for (;;) {
          const k = s.indexOf('"', j);
          if (k === -1 || (k + 1 === len && !final)) {
            // Without the closing quote, or the char after it, we cannot tell "" (escape) from " (end).
            if (!final) return -1;
            throw new CsvSyntaxError(`unterminated quoted field in the row starting on line ${line}`, line);
          }
          const part = s.slice(j, k);
          breaks += countLineBreaks(part);
          if (s.charCodeAt(k + 1) === QUOTE) {
            value += part + '"';
            j = k + 2;
            continue;
          }
          value += part;
          i = k + 1;
          break;
        }
        if (i < len) {
          const c = s.charCodeAt(i);
          if (c !== delimiterCode && c !== LF && !(c === CR && s.charCodeAt(i + 1) === LF)) {
            const stop = this.fieldEnd(s, i, final);
            if (stop === -1) return -1;
            value += s.slice(i, stop);
            i = stop;
          }
        }
      } else {
        const stop = this.fieldEnd(s, i, final);
        if (stop === -1) return -1;
        value = s.slice(i, stop);
        i = stop;
      }
      fields.push(value);
      if (i >= len) {
        if (!final) return -1;
        break;
      }
      const c = s.charCodeAt(i);
      if (c === delimiterCode) {
        i++;
        continue;
      }
      i += c === CR ? 2 : 1;
      break;
    }
    onRow(fields, line);
    this.line = line + 1 + breaks;
    return i;
  }

  /** End of an unquoted field: the next delimiter, LF, or CRLF. -1 when that is beyond the text we have. */
  private fieldEnd(s: string, from: number, final: boolean): number {
    let nl = s.indexOf('\n', from);
    if (nl === -1) {
      if (!final) return -1;
      nl = s.length;
    }
    const delim = s.indexOf(this.delimiter, from);
    if (delim !== -1 && delim < nl) return delim;
    // A CR before the LF, or at the very end of a file without a final LF, belongs to the line ending.
    return nl > from && s.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
  }
}

function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
