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
  /** Plain lists in the cache's JSON; Int32Arrays from a worker. */
  c: number[] | Int32Array;
  a: number[] | Int32Array;
  n: number[] | Int32Array;
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

/** `out[k] = v` as an own property even for `__proto__` (a keyword argument may have any name). */
export function setOwn(out: Record<string, string>, k: string, v: string): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

function bad(what: string): never {
  throw new Error(`damaged facts entry (${what})`);
}

function checkedInts(xs: unknown, what: string): ArrayLike<number> {
  if (xs instanceof Int32Array) {
    for (let i = 0; i < xs.length; i++) if (xs[i] < 0) bad(`${what} holds ${xs[i]}`);
    return xs;
  }
  if (!Array.isArray(xs)) bad(`${what} is not a list`);
  for (const x of xs) if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) bad(`${what} holds ${String(x).slice(0, 20)}`);
  return xs as number[];
}

/**
 * What reading a wire entry produces, fact by fact. `t` is the file's string table; strings are given
 * as positions in it, all checked to be in range before the sink sees them. A call's arguments are the
 * `nArgs` positions at `at[argsFrom…]`, its keywords the `nKw` (key, value) position pairs at
 * `at[kwFrom…]`.
 */
export interface WireSink {
  table(s: readonly string[]): void;
  call(callee: number, line: number, scope: number, at: ArrayLike<number>, argsFrom: number, nArgs: number, kwFrom: number, nKw: number): void;
  assignment(target: number, line: number, value: number, valueKind: number, scope: number): void;
  name(name: number, line: number, scope: number): void;
}

/**
 * Check a wire entry in full and feed its facts to the sink; returns the facts that travel as they are
 * (everything but calls, assignments and names). Throws on anything inconsistent, before or while the
 * sink is fed (a caller that throws the sink's work away on error never sees partial facts).
 */
export function readWire(w: WireFacts, sink: WireSink): WireFacts['f'] {
  if (typeof w !== 'object' || w === null || !Array.isArray(w.s) || typeof w.f !== 'object' || w.f === null) bad('shape');
  for (const x of w.s) if (typeof x !== 'string') bad('string table');
  const size = w.s.length;
  const c = checkedInts(w.c, 'calls');
  const a = checkedInts(w.a, 'assignments');
  const n = checkedInts(w.n, 'names');
  if (a.length % 5 !== 0 || n.length % 3 !== 0) bad('truncated list');
  const str = (i: number): number => (i < size ? i : bad('string index out of range'));
  sink.table(w.s);
  for (let i = 0; i < c.length; ) {
    if (i + 4 > c.length) bad('truncated call');
    const callee = str(c[i]);
    const line = c[i + 1];
    const scope = str(c[i + 2]);
    const nArgs = c[i + 3];
    i += 4;
    if (i + nArgs + 1 > c.length) bad('truncated arguments');
    for (let k = 0; k < nArgs; k++) str(c[i + k]);
    const argsFrom = i;
    i += nArgs;
    const nKw = c[i++];
    if (i + 2 * nKw > c.length) bad('truncated keywords');
    for (let k = 0; k < 2 * nKw; k++) str(c[i + k]);
    sink.call(callee, line, scope, c, argsFrom, nArgs, i, nKw);
    i += 2 * nKw;
  }
  for (let i = 0; i < a.length; i += 5) sink.assignment(str(a[i]), a[i + 1], str(a[i + 2]), str(a[i + 3]), str(a[i + 4]));
  for (let i = 0; i < n.length; i += 3) sink.name(str(n[i]), n[i + 1], str(n[i + 2]));
  return w.f;
}

const NO_SINK: WireSink = { table: () => undefined, call: () => undefined, assignment: () => undefined, name: () => undefined };

/** Throws when the wire form is damaged (the same checks as decoding, nothing built). */
export function checkWire(w: WireFacts): void {
  readWire(w, NO_SINK);
}

/**
 * The JSON text of a wire form from the texts of its parts (`JSON.stringify` of each), so a caller that
 * needs both the parts and the whole serialises each part once.
 */
export function wireJson(parts: { s: string; c: string; a: string; n: string; f: string }): string {
  return `{"s":${parts.s},"c":${parts.c},"a":${parts.a},"n":${parts.n},"f":${parts.f}}`;
}

/** Rebuild FileFacts, as plain objects, from their wire form. Throws on anything inconsistent. */
export function decodeFacts(w: WireFacts): FileFacts {
  const calls: CallFact[] = [];
  const assignments: AssignmentFact[] = [];
  const names: NameFact[] = [];
  let t: readonly string[] = [];
  const f = readWire(w, {
    table: (s) => {
      t = s;
    },
    call: (callee, line, scope, at, argsFrom, nArgs, kwFrom, nKw) => {
      const args: string[] = new Array(nArgs);
      for (let k = 0; k < nArgs; k++) args[k] = t[at[argsFrom + k]];
      const kwargs: Record<string, string> = {};
      for (let k = 0; k < nKw; k++) setOwn(kwargs, t[at[kwFrom + 2 * k]], t[at[kwFrom + 2 * k + 1]]);
      calls.push({ callee: t[callee], line, args, kwargs, scope: t[scope] });
    },
    assignment: (target, line, value, valueKind, scope) => {
      assignments.push({ target: t[target], line, value: t[value], valueKind: t[valueKind] as AssignmentFact['valueKind'], scope: t[scope] });
    },
    name: (name, line, scope) => {
      names.push({ name: t[name], line, scope: t[scope] });
    },
  });
  return withFacts(f, calls, assignments, names);
}

/** FileFacts in their original key order (so a decoded object serialises like the one encoded). */
function withFacts(f: WireFacts['f'], calls: CallFact[], assignments: AssignmentFact[], names: NameFact[]): FileFacts {
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
    ...otherFacts(f),
  } as FileFacts;
}

const KNOWN = new Set(['path', 'language', 'size', 'hash', 'parser', 'lines', 'imports', 'definitions']);

/** The facts other than those FileFacts lists first (markers, config keys, ... issues). */
export function otherFacts(f: object): object {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (!KNOWN.has(k)) out[k] = v;
  return out;
}
