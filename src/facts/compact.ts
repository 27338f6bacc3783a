import type { FileFacts } from './types.js';
import { decodeFacts, setOwn, type WireFacts, type WireStrings } from './wire.js';

/**
 * Facts arrive from workers (or the cache) as fresh objects with fresh strings. A repository repeats the
 * same scopes, callees, argument texts and key names thousands of times, so the main thread keeps one
 * copy of each string and shares one frozen empty array/object: memory grows with what is distinct, not
 * with every occurrence. Facts are read-only after parsing, which the freezing enforces.
 */
const EMPTY_ARRAY: never[] = Object.freeze([]) as unknown as never[];
const EMPTY_OBJECT: Record<string, string> = Object.freeze({}) as Record<string, string>;
/** At most this many distinct shared lists (and records): beyond, they are kept as they came. */
const MAX_SHARED = 500_000;
/** Longer strings are rarely repeated: kept as they came. */
const MAX_INTERNED = 200;

/** Lists and records up to this many items are shared by content; longer ones are rarely repeated. */
const SHARE_MAX_ITEMS = 4;

export class FactsCompactor {
  /** Interned strings by id, and ids by string. */
  private readonly byId: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly lists = new Map<string, string[]>();
  private readonly records = new Map<string, Record<string, string>>();

  intern(s: string): string {
    if (s.length > MAX_INTERNED) return s;
    const i = this.ids.get(s);
    if (i !== undefined) return this.byId[i];
    this.ids.set(s, this.byId.length);
    this.byId.push(s);
    return s;
  }

  /** The interned string's id, or -1 for a string too long to intern. */
  private internId(s: string): number {
    if (s.length > MAX_INTERNED) return -1;
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.byId.length;
      this.ids.set(s, i);
      this.byId.push(s);
    }
    return i;
  }

  /** Short lists (`(x)`, `(self, batch)`) repeat across a repository: one frozen copy of each. */
  private list(xs: string[]): string[] {
    if (xs.length === 0) return EMPTY_ARRAY;
    for (let i = 0; i < xs.length; i++) xs[i] = this.intern(xs[i]);
    if (xs.length > SHARE_MAX_ITEMS) return xs;
    // Length-prefixed, so no two different lists share a key whatever characters they hold.
    let key = '';
    for (const x of xs) key += `${x.length}:${x}`;
    const hit = this.lists.get(key);
    if (hit) return hit;
    if (this.lists.size < MAX_SHARED) this.lists.set(key, Object.freeze(xs) as string[]);
    return xs;
  }

  /** The same for short keyword records (`dim=-1`, `exist_ok=True`). */
  private record(r: Record<string, string>): Record<string, string> {
    const keys = Object.keys(r);
    if (keys.length === 0) return EMPTY_OBJECT;
    let key: string | undefined;
    if (keys.length <= SHARE_MAX_ITEMS) {
      key = '';
      for (const k of keys) key += `${k.length}:${k}${r[k].length}:${r[k]}`;
      const hit = this.records.get(key);
      if (hit) return hit;
    }
    const out: Record<string, string> = {};
    for (const k of keys) setOwn(out, this.intern(k), this.intern(r[k]));
    if (key !== undefined && this.records.size < MAX_SHARED) this.records.set(key, Object.freeze(out));
    return out;
  }

  /**
   * Facts from their wire form (a worker, the cache), compacted as they are built: each distinct string
   * of the file is interned once, and short lists and records are shared by the ids of their strings.
   */
  decode(w: WireFacts): FileFacts {
    return this.compactRest(decodeFacts(w, this.wireStrings));
  }

  /** Ids of the current file's string table (set by wireStrings.table, read by list and record). */
  private tableIds: number[] = [];

  /** A sharing key over table positions, or undefined when a string is too long to be interned. */
  private key(tag: string, at: readonly number[], from: number, n: number): string | undefined {
    let key = tag;
    for (let i = 0; i < n; i++) {
      const id = this.tableIds[at[from + i]];
      if (id < 0) return undefined;
      key += `,${id}`;
    }
    return key;
  }

  private readonly wireStrings: WireStrings = {
    table: (s) => {
      const out = new Array<string>(s.length);
      const ids = new Array<number>(s.length);
      for (let i = 0; i < s.length; i++) {
        const id = this.internId(s[i]);
        ids[i] = id;
        out[i] = id < 0 ? s[i] : this.byId[id];
      }
      this.tableIds = ids;
      return out;
    },
    list: (table, at, from, count) => {
      if (count === 0) return EMPTY_ARRAY;
      const xs = new Array<string>(count);
      for (let i = 0; i < count; i++) xs[i] = table[at[from + i]];
      const key = count > SHARE_MAX_ITEMS ? undefined : this.key('l', at, from, count);
      if (key === undefined) return xs;
      const hit = this.lists.get(key);
      if (hit) return hit;
      if (this.lists.size < MAX_SHARED) this.lists.set(key, Object.freeze(xs) as string[]);
      return xs;
    },
    record: (table, at, from, count) => {
      if (count === 0) return EMPTY_OBJECT;
      const key = count > SHARE_MAX_ITEMS ? undefined : this.key('r', at, from, 2 * count);
      if (key !== undefined) {
        const hit = this.records.get(key);
        if (hit) return hit;
      }
      const out: Record<string, string> = {};
      for (let i = 0; i < count; i++) setOwn(out, table[at[from + 2 * i]], table[at[from + 2 * i + 1]]);
      if (key !== undefined && this.records.size < MAX_SHARED) this.records.set(key, Object.freeze(out));
      return out;
    },
  };

  compact(f: FileFacts): FileFacts {
    for (const c of f.calls) {
      c.callee = this.intern(c.callee);
      c.scope = this.intern(c.scope);
      c.args = this.list(c.args);
      c.kwargs = this.record(c.kwargs);
    }
    for (const a of f.assignments) {
      a.target = this.intern(a.target);
      a.value = this.intern(a.value);
      a.scope = this.intern(a.scope);
      a.valueKind = this.intern(a.valueKind) as typeof a.valueKind;
    }
    for (const n of f.names) {
      n.name = this.intern(n.name);
      n.scope = this.intern(n.scope);
    }
    return this.compactRest(f);
  }

  /** Everything but calls, assignments and names (which decode() builds compacted). */
  private compactRest(f: FileFacts): FileFacts {
    for (const d of f.definitions) {
      d.name = this.intern(d.name);
      d.qualName = this.intern(d.qualName);
      d.parent = this.intern(d.parent);
      d.kind = this.intern(d.kind) as typeof d.kind;
      d.bases = this.list(d.bases);
      d.decorators = this.list(d.decorators);
    }
    for (const i of f.imports) {
      i.module = this.intern(i.module);
      i.names = this.list(i.names);
    }
    for (const k of f.configKeys) k.key = this.intern(k.key);
    f.language = this.intern(f.language) as typeof f.language;
    f.parser = this.intern(f.parser) as typeof f.parser;
    return f;
  }
}
