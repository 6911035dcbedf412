/**
 * Fast property access by names known only at runtime: one generated function per property name.
 *
 * Why generated: a keyed access `o[k]` whose `k` varies between calls goes megamorphic in V8 (a generic hash lookup,
 * several times slower than a field load), and V8 keeps that type feedback per function literal, so one shared
 * `(o) => o[k]` serving many names is megamorphic. A function literal of its own per name keeps the inline cache
 * monomorphic: a plain field load. `new Function` is fine here: core/ runs only in Node (the CLI, Electron's utility
 * process and `ferry serve`), never under the renderer's CSP, and the file connector's CSV writer already compiles
 * its row functions the same way.
 *
 * Names enter the generated code only through {@link keyLiteral} (JSON.stringify): a string literal, so a name is
 * always just a property key, whatever characters it holds. Accessors are cached per name, process wide.
 */

type Rec = Record<string, unknown>;
export type Getter = (o: Rec) => unknown;
export type Setter = (o: Rec, v: unknown) => void;
/** Copies `d[key]` to `o[target]` when it is a defined primitive; returns false (copying nothing) otherwise. */
export type Copier = (d: Rec, o: Rec) => boolean;
/** Reads `$.k` or `$source.k` (roots already checked by the caller) and passes the value through `check`. */
export type RootReader = (d: Rec, s: Rec) => unknown;
type RootReaderFactory = (check: (v: unknown) => unknown) => RootReader;

const getters = new Map<string, Getter>();
const setters = new Map<string, Setter>();
const copiers = new Map<string, Copier>();
const rootReaders = new Map<string, RootReaderFactory>();

/** The name as a JS string literal: the only way a name may enter generated code. */
function keyLiteral(name: string): string {
  return JSON.stringify(name);
}

/** The cached function for `id`, generated from `params` and `body` on first use. */
function generated<F>(cache: Map<string, F>, id: string, params: readonly string[], body: string): F {
  let f = cache.get(id);
  if (f === undefined) {
    f = new Function(...params, body) as F;
    cache.set(id, f);
  }
  return f;
}

/** A getter for `key`: plain `o[key]` (callers check own-ness and object kinds). */
export function getterFor(key: string): Getter {
  return generated(getters, key, ['o'], `return o[${keyLiteral(key)}];`);
}

/** A setter for `key`: plain `o[key] = v`. */
export function setterFor(key: string): Setter {
  return generated(setters, key, ['o', 'v'], `o[${keyLiteral(key)}] = v;`);
}

/** A copier from `d[key]` to `o[target]`, for map fields that are a plain rename of a top-level field. */
export function copierFor(key: string, target: string): Copier {
  return generated(
    copiers,
    `${key}\u0000${target}`,
    ['d', 'o'],
    `const v = d[${keyLiteral(key)}];
    if (v === undefined || typeof v === 'object' || typeof v === 'function') return false;
    o[${keyLiteral(target)}] = v;
    return true;`,
  );
}

/**
 * A reader of field `key` of the input (`src` false) or of the source record (`src` true). The generated factory is
 * per name and root; every reader it makes shares its one inner literal, hence its inline cache.
 */
export function rootReaderFor(key: string, src: boolean, check: (v: unknown) => unknown): RootReader {
  const root = src ? 's' : 'd';
  const factory = generated(
    rootReaders,
    `${root}\u0000${key}`,
    ['check'],
    `return (d, s) => check(${root}[${keyLiteral(key)}]);`,
  );
  return factory(check);
}
