import type { AssignmentFact, CallFact, FileFacts, NameFact } from './types.js';

/**
 * Facts as they travel from a worker to the main thread and sit in the cache. The three big lists
 * (calls, assignments, names) become flat integer arrays over a per-file string table, everything else
 * stays as it is. A file repeats its scopes, callees and keyword names many times: the table holds each
 * once, so the text is smaller, parsing it is cheaper, and the main thread interns one string per
 * distinct string of the file rather than per occurrence.
 *
 *   calls        c: [callee, line, scope, nArgs, ...args, nKwargs, ...(key, value)] per call
 *   assignments  a: [target, line, value, valueKind, scope] per assignment
 *   names        n: [name, line, scope] per name
 *
 * (strings are indexes into s). Decoding checks every index and count: a damaged or forged entry
 * throws (the cache then treats it as missing), it never yields wrong facts.
 */
export interface WireFacts {
  s: string[];
  c: number[];
  a: number[];
  n: number[];
  f: Omit<FileFacts, 'calls' | 'assignments' | 'names'>;
}

export function encodeFacts(facts: FileFacts): WireFacts {
  const s: string[] = [];
  const ids = new Map<string, number>();
  const id = (x: string): number => {
    let i = ids.get(x);
    if (i === undefined) {
      i = s.length;
      s.push(x);
      ids.set(x, i);
    }
    return i;
  };
  const c: number[] = [];
  for (const call of facts.calls) {
    c.push(id(call.callee), call.line, id(call.scope), call.args.length);
    for (const x of call.args) c.push(id(x));
    const keys = Object.keys(call.kwargs);
    c.push(keys.length);
    for (const k of keys) c.push(id(k), id(call.kwargs[k]));
  }
  const a: number[] = [];
  for (const x of facts.assignments) a.push(id(x.target), x.line, id(x.value), id(x.valueKind), id(x.scope));
  const n: number[] = [];
  for (const x of facts.names) n.push(id(x.name), x.line, id(x.scope));
  const { calls: _c, assignments: _a, names: _n, ...rest } = facts;
  return { s, c, a, n, f: rest };
}

/** How decoded strings are turned into values: identity, or a compactor's interning. */
export interface WireStrings {
  /** The file's string table, mapped once (e.g. interned). */
  table(s: readonly string[]): string[];
  /** A list of strings by their table positions (a compactor may share equal lists). */
  list(table: readonly string[], at: readonly number[], from: number, count: number): string[];
  /** A keyword record from `count` (key, value) position pairs. */
  record(table: readonly string[], at: readonly number[], from: number, count: number): Record<string, string>;
}

export const plainStrings: WireStrings = {
  table: (s) => s as string[],
  list: (table, at, from, count) => {
    const out: string[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = table[at[from + i]];
    return out;
  },
  record: (table, at, from, count) => {
    const out: Record<string, string> = {};
    for (let i = 0; i < count; i++) setOwn(out, table[at[from + 2 * i]], table[at[from + 2 * i + 1]]);
    return out;
  },
};

/** `out[k] = v` as an own property even for `__proto__` (a keyword argument may have any name). */
export function setOwn(out: Record<string, string>, k: string, v: string): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

function bad(what: string): never {
  throw new Error(`damaged facts entry (${what})`);
}

function checkedInts(xs: unknown, what: string): number[] {
  if (!Array.isArray(xs)) bad(`${what} is not a list`);
  for (const x of xs) if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) bad(`${what} holds ${String(x).slice(0, 20)}`);
  return xs as number[];
}

/** Rebuild FileFacts from their wire form. Throws on anything inconsistent. */
export function decodeFacts(w: WireFacts, strings: WireStrings = plainStrings): FileFacts {
  if (typeof w !== 'object' || w === null || !Array.isArray(w.s) || typeof w.f !== 'object' || w.f === null) bad('shape');
  for (const x of w.s) if (typeof x !== 'string') bad('string table');
  const size = w.s.length;
  const c = checkedInts(w.c, 'calls');
  const a = checkedInts(w.a, 'assignments');
  const n = checkedInts(w.n, 'names');
  const t = strings.table(w.s);
  const str = (i: number): string => (i < size ? t[i] : bad('string index out of range'));
  const calls: CallFact[] = [];
  for (let i = 0; i < c.length; ) {
    if (i + 4 > c.length) bad('truncated call');
    const callee = str(c[i]);
    const line = c[i + 1];
    const scope = str(c[i + 2]);
    const nArgs = c[i + 3];
    i += 4;
    if (i + nArgs + 1 > c.length) bad('truncated arguments');
    for (let k = 0; k < nArgs; k++) str(c[i + k]);
    const args = strings.list(t, c, i, nArgs);
    i += nArgs;
    const nKw = c[i++];
    if (i + 2 * nKw > c.length) bad('truncated keywords');
    for (let k = 0; k < 2 * nKw; k++) str(c[i + k]);
    const kwargs = strings.record(t, c, i, nKw);
    i += 2 * nKw;
    calls.push({ callee, line, args, kwargs, scope });
  }
  if (a.length % 5 !== 0 || n.length % 3 !== 0) bad('truncated list');
  const assignments: AssignmentFact[] = [];
  for (let i = 0; i < a.length; i += 5) {
    assignments.push({ target: str(a[i]), line: a[i + 1], value: str(a[i + 2]), valueKind: str(a[i + 3]) as AssignmentFact['valueKind'], scope: str(a[i + 4]) });
  }
  const names: NameFact[] = [];
  for (let i = 0; i < n.length; i += 3) names.push({ name: str(n[i]), line: n[i + 1], scope: str(n[i + 2]) });
  // The original key order of FileFacts, so a decoded object serialises like the one encoded.
  const f = w.f;
  return {
    path: f.path,
    language: f.language,
    size: f.size,
    hash: f.hash,
    parser: f.parser,
    lines: f.lines,
    imports: f.imports,
    definitions: f.definitions,
    calls,
    assignments,
    names,
    ...withoutKnown(f),
  } as FileFacts;
}

const KNOWN = new Set(['path', 'language', 'size', 'hash', 'parser', 'lines', 'imports', 'definitions']);

function withoutKnown(f: object): object {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (!KNOWN.has(k)) out[k] = v;
  return out;
}
