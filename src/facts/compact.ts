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
    const id = this.internId(s);
    return id < 0 ? s : this.byId[id];
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

  /**
   * One frozen copy per distinct short list or record, keyed by the ids of its strings (`tag` keeps
   * lists and records apart); nothing is shared when it is long or holds a string too long to intern.
   */
  private share<T extends object>(map: Map<string, T>, tag: string, ids: readonly number[], items: number, make: () => T): T {
    let key: string | undefined;
    if (items <= SHARE_MAX_ITEMS) {
      key = tag;
      for (const id of ids) {
        if (id < 0) {
          key = undefined;
          break;
        }
        key += `,${id}`;
      }
    }
    if (key !== undefined) {
      const hit = map.get(key);
      if (hit) return hit;
    }
    const v = make();
    if (key !== undefined && map.size < MAX_SHARED) map.set(key, Object.freeze(v));
    return v;
  }

  /** A list of strings (`(x)`, `(self, batch)` repeat across a repository), interned and shared. */
  private list(xs: readonly string[], ids: readonly number[]): string[] {
    if (ids.length === 0) return EMPTY_ARRAY;
    return this.share(this.lists, 'l', ids, ids.length, () => ids.map((id, i) => (id < 0 ? xs[i] : this.byId[id])));
  }

  /** A keyword record (`dim=-1`, `exist_ok=True`) from its key/value ids, shared like lists. */
  private record(kv: readonly string[], ids: readonly number[]): Record<string, string> {
    if (ids.length === 0) return EMPTY_OBJECT;
    return this.share(this.records, 'r', ids, ids.length / 2, () => {
      const out: Record<string, string> = {};
      for (let i = 0; i < ids.length; i += 2) {
        const at = (j: number): string => (ids[j] < 0 ? kv[j] : this.byId[ids[j]]);
        setOwn(out, at(i), at(i + 1));
      }
      return out;
    });
  }

  private listOf(xs: string[]): string[] {
    return this.list(xs, xs.map((x) => this.internId(x)));
  }

  private recordOf(r: Record<string, string>): Record<string, string> {
    const kv: string[] = [];
    for (const k of Object.keys(r)) kv.push(k, r[k]);
    return this.record(kv, kv.map((x) => this.internId(x)));
  }

  /**
   * Facts from their wire form (a worker, the cache), compacted as they are built: each distinct string
   * of the file is interned once, and short lists and records are shared by the ids of their strings.
   */
  decode(w: WireFacts): FileFacts {
    return this.compactRest(decodeFacts(w, this.wireStrings));
  }

  /** The `n` strings at table positions `at[from…]`, and their ids. */
  private gather(table: readonly string[], at: readonly number[], from: number, n: number): [string[], number[]] {
    const xs = new Array<string>(n);
    const ids = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      xs[i] = table[at[from + i]];
      ids[i] = this.tableIds[at[from + i]];
    }
    return [xs, ids];
  }

  /** Ids of the current file's string table (set by wireStrings.table, read by list and record). */
  private tableIds: number[] = [];

  private readonly wireStrings: WireStrings = {
    table: (s) => {
      const ids = s.map((x) => this.internId(x));
      this.tableIds = ids;
      return ids.map((id, i) => (id < 0 ? s[i] : this.byId[id]));
    },
    list: (table, at, from, count) => this.list(...this.gather(table, at, from, count)),
    record: (table, at, from, count) => this.record(...this.gather(table, at, from, 2 * count)),
  };

  compact(f: FileFacts): FileFacts {
    for (const c of f.calls) {
      c.callee = this.intern(c.callee);
      c.scope = this.intern(c.scope);
      c.args = this.listOf(c.args);
      c.kwargs = this.recordOf(c.kwargs);
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
      d.bases = this.listOf(d.bases);
      d.decorators = this.listOf(d.decorators);
    }
    for (const i of f.imports) {
      i.module = this.intern(i.module);
      i.names = this.listOf(i.names);
    }
    for (const k of f.configKeys) k.key = this.intern(k.key);
    f.language = this.intern(f.language) as typeof f.language;
    f.parser = this.intern(f.parser) as typeof f.parser;
    return f;
  }
}
