import { readFile } from 'node:fs/promises';
import { ValidationError } from '../model/validation-error.js';

/** Node reports JSON syntax errors by character offset; people look for line and column. */
function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastBreak = i;
    }
  }
  return `line ${line} column ${offset - lastBreak}`;
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const where = position ? ` at ${lineAndColumn(text, Number(position[1]))}` : '';
    const reason = message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/, '');
    throw new ValidationError([{ file, path: '(root)', message: `invalid JSON${where}: ${reason}` }]);
  }
}

/** Reads and parses a JSON file; `display` is the path shown in errors (relative to the workspace). */
export async function readJsonFile(absolutePath: string, display: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(error)})`;
    throw new ValidationError([{ file: display, path: '', message }]);
  }
  return parseJsonText(text, display);
}
