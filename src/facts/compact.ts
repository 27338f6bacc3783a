import type { AssignmentFact, CallFact, FileFacts, NameFact } from './types.js';
import { otherFacts, readWire, setOwn, type WireFacts } from './wire.js';

/**
 * How the main thread holds the facts of a whole repository. Calls, assignments and names are most of
 * them (a 100 MB repository has millions), and as objects each costs 60-75 bytes before its strings.
 * So they are packed: per file one Int32Array per kind, each fact a few integers pointing into tables
 * shared by the whole repository (one copy of each distinct string, of each short argument list and of
 * each short keyword record). That is 12-20 bytes a fact.
 *
 * A packed file still reads as plain FileFacts: `calls`, `assignments` and `names` are getters that
 * build the objects on first use and keep them while the file is among the recently read ones (at most
 * MAX_LIVE facts in all), so a detector scanning one file after another holds only the files at hand.
 * Lookup tables and full scans read the packed columns directly (`columnsOf`), without building objects.
 * Facts are read-only after parsing: the lists built are frozen, and so are the shared argument lists
 * and keyword records (a built fact changed in place would be lost when it is built again).
 */
const EMPTY_ARRAY: never[] = Object.freeze([]) as unknown as never[];
const EMPTY_OBJECT: Record<string, string> = Object.freeze({}) as Record<string, string>;
/** At most this many distinct shared lists (and records): beyond, they are kept as they came. */
const MAX_SHARED = 500_000;
/** Longer strings are rarely repeated: stored as they came, not looked up. */
const MAX_INTERNED = 200;
/** Lists and records up to this many items are shared by content; longer ones are rarely repeated. */
const SHARE_MAX_ITEMS = 4;
/** Facts kept built as objects at any time, over all files and kinds (the rest stay packed only). */
const MAX_LIVE = 250_000;

/** Integers per packed fact. */
const CALL = 5; // callee, line, scope, args (list id), kwargs (record id)
const ASSIGN = 5; // target, line, value, valueKind, scope
const NAME = 3; // name, line, scope

/** Read access to a file's calls, assignments and names without building fact objects. */
export interface FactColumns {
  readonly callCount: number;
  callee(i: number): string;
  args(i: number): readonly string[];
  kwargs(i: number): Readonly<Record<string, string>>;
  callLine(i: number): number;
  callScope(i: number): string;
  readonly assignmentCount: number;
  target(i: number): string;
  value(i: number): string;
  valueKind(i: number): AssignmentFact['valueKind'];
  assignmentLine(i: number): number;
  assignmentScope(i: number): string;
  readonly nameCount: number;
  name(i: number): string;
  nameLine(i: number): number;
  nameScope(i: number): string;
}

/** Columns over plain fact arrays (facts that were never packed). */
class PlainColumns implements FactColumns {
  constructor(private readonly f: FileFacts) {}
  get callCount(): number {
    return this.f.calls.length;
  }
  callee(i: number): string {
    return this.f.calls[i].callee;
  }
  args(i: number): readonly string[] {
    return this.f.calls[i].args;
  }
  kwargs(i: number): Readonly<Record<string, string>> {
    return this.f.calls[i].kwargs;
  }
  callLine(i: number): number {
    return this.f.calls[i].line;
  }
  callScope(i: number): string {
    return this.f.calls[i].scope;
  }
  get assignmentCount(): number {
    return this.f.assignments.length;
  }
  target(i: number): string {
    return this.f.assignments[i].target;
  }
  value(i: number): string {
    return this.f.assignments[i].value;
  }
  valueKind(i: number): AssignmentFact['valueKind'] {
    return this.f.assignments[i].valueKind;
  }
  assignmentLine(i: number): number {
    return this.f.assignments[i].line;
  }
  assignmentScope(i: number): string {
    return this.f.assignments[i].scope;
  }
  get nameCount(): number {
    return this.f.names.length;
  }
  name(i: number): string {
    return this.f.names[i].name;
  }
  nameLine(i: number): number {
    return this.f.names[i].line;
  }
  nameScope(i: number): string {
    return this.f.names[i].scope;
  }
}

type Kind = 'calls' | 'assignments' | 'names';

/** One file's packed facts, and the objects built from them while they are live. */
class PackedSlot implements FactColumns {
  built: { calls?: CallFact[]; assignments?: AssignmentFact[]; names?: NameFact[] } = {};
  constructor(
    private readonly store: FactsCompactor,
    readonly pc: Int32Array,
    readonly pa: Int32Array,
    readonly pn: Int32Array,
  ) {}
  get callCount(): number {
    return this.pc.length / CALL;
  }
  callee(i: number): string {
    return this.store.str(this.pc[i * CALL]);
  }
  args(i: number): readonly string[] {
    return this.store.list(this.pc[i * CALL + 3]);
  }
  kwargs(i: number): Readonly<Record<string, string>> {
    return this.store.record(this.pc[i * CALL + 4]);
  }
  callLine(i: number): number {
    return this.pc[i * CALL + 1];
  }
  callScope(i: number): string {
    return this.store.str(this.pc[i * CALL + 2]);
  }
  get assignmentCount(): number {
    return this.pa.length / ASSIGN;
  }
  target(i: number): string {
    return this.store.str(this.pa[i * ASSIGN]);
  }
  value(i: number): string {
    return this.store.str(this.pa[i * ASSIGN + 2]);
  }
  valueKind(i: number): AssignmentFact['valueKind'] {
    return this.store.str(this.pa[i * ASSIGN + 3]) as AssignmentFact['valueKind'];
  }
  assignmentLine(i: number): number {
    return this.pa[i * ASSIGN + 1];
  }
  assignmentScope(i: number): string {
    return this.store.str(this.pa[i * ASSIGN + 4]);
  }
  get nameCount(): number {
    return this.pn.length / NAME;
  }
  name(i: number): string {
    return this.store.str(this.pn[i * NAME]);
  }
  nameLine(i: number): number {
    return this.pn[i * NAME + 1];
  }
  nameScope(i: number): string {
    return this.store.str(this.pn[i * NAME + 2]);
  }
  get<K extends Kind>(kind: K): NonNullable<PackedSlot['built'][K]> {
    return (this.built[kind] ?? this.store.build(this, kind)) as NonNullable<PackedSlot['built'][K]>;
  }
}

const slots = new WeakMap<FileFacts, PackedSlot>();

/**
 * A copy of `s` that keeps no larger string alive, for table and memo keys. V8 stores a substring of a
 * long string (a callee taken from a file's source text) as a slice of it: a table or memo keyed by the
 * slice would hold the whole file, and memory would grow with every file parsed.
 */
export function detached(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** The packed columns of a file, or columns over its plain arrays. */
export function columnsOf(f: FileFacts): FactColumns {
  return slots.get(f) ?? new PlainColumns(f);
}

/** True when the file's calls, assignments and names are packed (see FactsCompactor). */
export function isPacked(f: FileFacts): boolean {
  return slots.has(f);
}

/** A plain, fully built copy of facts (packed or not): for serialising or comparing. */
export function plainFacts(f: FileFacts): FileFacts {
  return { ...f };
}

/** Growable Int32 buffer for one file's facts of one kind. */
class IntList {
  private buf = new Int32Array(64);
  length = 0;
  push5(a: number, b: number, c: number, d: number, e: number): void {
    if (this.length + 5 > this.buf.length) this.grow();
    const x = this.buf;
    const n = this.length;
    x[n] = a;
    x[n + 1] = b;
    x[n + 2] = c;
    x[n + 3] = d;
    x[n + 4] = e;
    this.length = n + 5;
  }
  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.buf.length) this.grow();
    const x = this.buf;
    const n = this.length;
    x[n] = a;
    x[n + 1] = b;
    x[n + 2] = c;
    this.length = n + 3;
  }
  private grow(): void {
    const g = new Int32Array(this.buf.length * 2);
    g.set(this.buf);
    this.buf = g;
  }
  /** An exactly sized copy (the buffer is reused for the next file). */
  take(): Int32Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

export class FactsCompactor {
  /** Strings by id, and ids of the short ones by string (long ones are stored, never looked up). */
  private readonly byId: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Argument lists and keyword records by id; the short ones shared by content. */
  private readonly listById: string[][] = [EMPTY_ARRAY];
  private readonly recordById: Record<string, string>[] = [EMPTY_OBJECT];
  private readonly lists = new Map<string, number>();
  private readonly records = new Map<string, number>();
  /** Built fact lists, oldest first, and how many facts they hold. */
  private readonly live: { slot: PackedSlot; kind: Kind; n: number }[] = [];
  private liveHead = 0;
  private liveFacts = 0;
  private readonly pc = new IntList();
  private readonly pa = new IntList();
  private readonly pn = new IntList();

  constructor(private readonly maxLive = MAX_LIVE) {}

  /**
   * No more files will be added: the lookup maps (string -> id, content -> shared list) are dropped, the
   * tables the packed facts point into stay. Adding files afterwards still works, sharing less.
   */
  seal(): void {
    this.ids.clear();
    this.lists.clear();
    this.records.clear();
  }

  intern(s: string): string {
    return s.length > MAX_INTERNED ? s : this.byId[this.idOf(s)];
  }

  /** The string's id (a long string gets a new one each time). */
  private idOf(s: string): number {
    if (s.length > MAX_INTERNED) {
      this.byId.push(this.copying ? detached(s) : s);
      return this.byId.length - 1;
    }
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.byId.length;
      const own = this.copying ? detached(s) : s;
      this.ids.set(own, i);
      this.byId.push(own);
    }
    return i;
  }

  str(id: number): string {
    return this.byId[id];
  }

  list(id: number): string[] {
    return this.listById[id];
  }

  record(id: number): Record<string, string> {
    return this.recordById[id];
  }

  /**
   * Id of one shared copy per distinct short list or record, keyed by the ids of its strings (`tag`
   * keeps lists and records apart); nothing is shared when it is long or holds a long string.
   */
  private share<T extends object>(map: Map<string, number>, byId: T[], tag: string, ids: ArrayLike<number>, count: number, items: number, make: () => T): number {
    if (count === 0) return 0;
    let key: string | undefined;
    if (items <= SHARE_MAX_ITEMS) {
      key = tag;
      for (let k = 0; k < count; k++) {
        if (this.byId[ids[k]].length > MAX_INTERNED) {
          key = undefined;
          break;
        }
        key += `,${ids[k]}`;
      }
    }
    if (key !== undefined) {
      const hit = map.get(key);
      if (hit !== undefined) return hit;
    }
    byId.push(Object.freeze(make()));
    const id = byId.length - 1;
    if (key !== undefined && map.size < MAX_SHARED) map.set(key, id);
    return id;
  }

  /** Id of a list of strings given by their ids. */
  private listId(ids: ArrayLike<number>, count: number): number {
    return this.share(this.lists, this.listById, 'l', ids, count, count, () => {
      const out = new Array<string>(count);
      for (let k = 0; k < count; k++) out[k] = this.byId[ids[k]];
      return out;
    });
  }

  /** Id of a keyword record given by its key/value ids (2 * count of them). */
  private recordId(ids: ArrayLike<number>, count: number): number {
    return this.share(this.records, this.recordById, 'r', ids, 2 * count, count, () => {
      const out: Record<string, string> = {};
      for (let k = 0; k < 2 * count; k += 2) setOwn(out, this.byId[ids[k]], this.byId[ids[k + 1]]);
      return out;
    });
  }

  private readonly scratch: number[] = [];
  /** compact() is running: new strings are stored as detached copies. */
  private copying = false;

  /**
   * Facts from their wire form (a worker, the cache), packed as they are read: each distinct string of
   * the file is looked up once. Throws (and keeps nothing of the file) on a damaged entry.
   */
  decode(w: WireFacts): FileFacts {
    let tableIds: number[] = [];
    const scratch = this.scratch;
    const { pc, pa, pn } = this;
    pc.length = pa.length = pn.length = 0;
    const f = readWire(w, {
      table: (s) => {
        tableIds = s.map((x) => this.idOf(x));
      },
      call: (callee, line, scope, at, argsFrom, nArgs, kwFrom, nKw) => {
        scratch.length = 0;
        for (let k = 0; k < nArgs; k++) scratch.push(tableIds[at[argsFrom + k]]);
        const args = this.listId(scratch, nArgs);
        scratch.length = 0;
        for (let k = 0; k < 2 * nKw; k++) scratch.push(tableIds[at[kwFrom + k]]);
        pc.push5(tableIds[callee], line, tableIds[scope], args, this.recordId(scratch, nKw));
      },
      assignment: (target, line, value, valueKind, scope) => pa.push5(tableIds[target], line, tableIds[value], tableIds[valueKind], tableIds[scope]),
      name: (name, line, scope) => pn.push3(tableIds[name], line, tableIds[scope]),
    });
    return this.packed(f);
  }

  /**
   * Facts parsed in this thread, packed (the input is left as it is). Their strings may be slices of
   * the file's text: the tables store copies (wire facts, parsed from JSON, never are).
   */
  compact(f: FileFacts): FileFacts {
    this.copying = true;
    try {
      return this.compactFacts(f);
    } finally {
      this.copying = false;
    }
  }

  private compactFacts(f: FileFacts): FileFacts {
    const { pc, pa, pn } = this;
    pc.length = pa.length = pn.length = 0;
    const scratch = this.scratch;
    for (const c of f.calls) {
      scratch.length = 0;
      for (const x of c.args) scratch.push(this.idOf(x));
      const args = this.listId(scratch, c.args.length);
      scratch.length = 0;
      const keys = Object.keys(c.kwargs);
      for (const k of keys) scratch.push(this.idOf(k), this.idOf(c.kwargs[k]));
      pc.push5(this.idOf(c.callee), c.line, this.idOf(c.scope), args, this.recordId(scratch, keys.length));
    }
    for (const a of f.assignments) pa.push5(this.idOf(a.target), a.line, this.idOf(a.value), this.idOf(a.valueKind), this.idOf(a.scope));
    for (const n of f.names) pn.push3(this.idOf(n.name), n.line, this.idOf(n.scope));
    const { calls: _c, assignments: _a, names: _n, ...rest } = f;
    // The other facts hold slices too (marker texts, excerpts): their JSON copy, as a worker sends it.
    return this.packed(JSON.parse(JSON.stringify(rest)) as WireFacts['f']);
  }

  /** The packed file: the rest compacted, calls/assignments/names as getters over the columns. */
  private packed(f: WireFacts['f']): FileFacts {
    this.compactRest(f);
    const slot = new PackedSlot(this, this.pc.take(), this.pa.take(), this.pn.take());
    // Same keys in the same order as plain facts (so both serialise alike), built in one literal.
    const out: FileFacts = {
      path: f.path,
      language: f.language,
      size: f.size,
      hash: f.hash,
      parser: f.parser,
      lines: f.lines,
      imports: f.imports,
      definitions: f.definitions,
      get calls() {
        return slot.get('calls');
      },
      get assignments() {
        return slot.get('assignments');
      },
      get names() {
        return slot.get('names');
      },
      ...otherFacts(f),
    } as FileFacts;
    slots.set(out, slot);
    return out;
  }

  /** Build one kind of a slot's facts as frozen objects, and keep them until MAX_LIVE is passed. */
  build<K extends Kind>(slot: PackedSlot, kind: K): PackedSlot['built'][K] {
    const s = this.byId;
    let out: CallFact[] | AssignmentFact[] | NameFact[];
    if (kind === 'calls') {
      const p = slot.pc;
      const calls = new Array<CallFact>(p.length / CALL);
      for (let i = 0, j = 0; j < p.length; i++, j += CALL) {
        calls[i] = { callee: s[p[j]], line: p[j + 1], args: this.listById[p[j + 3]], kwargs: this.recordById[p[j + 4]], scope: s[p[j + 2]] };
      }
      out = calls;
    } else if (kind === 'assignments') {
      const p = slot.pa;
      const list = new Array<AssignmentFact>(p.length / ASSIGN);
      for (let i = 0, j = 0; j < p.length; i++, j += ASSIGN) {
        list[i] = { target: s[p[j]], line: p[j + 1], value: s[p[j + 2]], valueKind: s[p[j + 3]] as AssignmentFact['valueKind'], scope: s[p[j + 4]] };
      }
      out = list;
    } else {
      const p = slot.pn;
      const list = new Array<NameFact>(p.length / NAME);
      for (let i = 0, j = 0; j < p.length; i++, j += NAME) list[i] = { name: s[p[j]], line: p[j + 1], scope: s[p[j + 2]] };
      out = list;
    }
    Object.freeze(out);
    slot.built[kind] = out as PackedSlot['built'][K];
    this.live.push({ slot, kind, n: out.length });
    this.liveFacts += out.length;
    // Oldest first out, never the one just built.
    while (this.liveFacts > this.maxLive && this.live.length - this.liveHead > 1) {
      const old = this.live[this.liveHead++];
      old.slot.built[old.kind] = undefined;
      this.liveFacts -= old.n;
    }
    if (this.liveHead > 1024 && this.liveHead * 2 > this.live.length) {
      this.live.splice(0, this.liveHead);
      this.liveHead = 0;
    }
    return out as PackedSlot['built'][K];
  }

  private listOf(xs: string[]): string[] {
    const ids = xs.map((x) => this.idOf(x));
    return this.listById[this.listId(ids, ids.length)];
  }

  /** Everything but calls, assignments and names. */
  private compactRest(f: WireFacts['f']): void {
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
  }
}
