import type { DefinitionFact, FileFacts } from './types.js';
import { columnsOf, type FactColumns } from './compact.js';

/**
 * The repository-level index over every file's facts: sorted facts, path classification (test,
 * vendored, example), the repository's effective stubs (CAPABILITIES.md, "Stub body"), and lazily
 * built lookup tables that make signal matching indexed rather than a scan of every fact.
 * Built once per audit from facts only: nothing here reads the disk.
 */

// ---------------------------------------------------------------------------------------------
// Path classification

const TEST_DIRS = new Set(['test', 'tests', 'testing', '__tests__']);
const VENDOR_DIRS = new Set([
  'vendor',
  'vendored',
  'third_party',
  'third-party',
  'thirdparty',
  'extern',
  'external',
  'node_modules',
  'site-packages',
  'generated',
  '__generated__',
]);
const EXAMPLE_DIRS = new Set(['examples', 'example', 'samples', 'sample', 'tutorials', 'tutorial', 'notebooks', 'docs', 'doc']);

function segments(path: string): { dirs: string[]; base: string } {
  const parts = path.toLowerCase().split('/');
  const base = parts.pop() ?? '';
  return { dirs: parts, base };
}

/**
 * Test file: under a `test/`, `tests/`, `testing/` or `__tests__/` folder at any depth, or named
 * `test_*.py`, `*_test.py`, `conftest.py`, `tests.py` (Django), `*.test.*`, `*.spec.*`.
 */
export function isTestPath(path: string): boolean {
  const { dirs, base } = segments(path);
  if (dirs.some((d) => TEST_DIRS.has(d))) return true;
  if (base === 'conftest.py' || base === 'tests.py') return true;
  if (base.endsWith('.py') && (base.startsWith('test_') || base.endsWith('_test.py'))) return true;
  return /^.+\.(test|spec)\.[^.]+/.test(base);
}

/**
 * Vendored or generated: under `vendor/`, `third_party/`, `third-party/`, `extern/`, `external/`,
 * `node_modules/`, `site-packages/` or `generated/` at any depth; minified bundles (`*.min.js`);
 * generated code (`*_pb2.py`, `*_pb2_grpc.py`, `*_pb.js`, `*.generated.*`, `*_generated.*`).
 * Vendored files never count as evidence and are left out of stub findings.
 */
export function isVendoredPath(path: string): boolean {
  const { dirs, base } = segments(path);
  if (dirs.some((d) => VENDOR_DIRS.has(d))) return true;
  if (/\.min\.(js|mjs|cjs|css)$/.test(base)) return true;
  if (/_pb2(_grpc)?\.pyi?$/.test(base) || /_(grpc_)?pb\.(js|d\.ts|ts)$/.test(base)) return true;
  return /^.+[._]generated\./.test(base);
}

/**
 * Example or documentation code: under `examples/`, `example/`, `samples/`, `sample/`, `demo*` folders,
 * `tutorials/`, `tutorial/`, `notebooks/`, `docs/`, `doc/`, or a Jupyter notebook. Evidence from
 * examples counts (it is code that does the thing); examples are left out of docstring coverage.
 */
export function isExamplePath(path: string): boolean {
  const { dirs, base } = segments(path);
  if (base.endsWith('.ipynb')) return true;
  return dirs.some((d) => EXAMPLE_DIRS.has(d) || d.startsWith('demo'));
}

/** Type declaration files: every body is a declaration, never a stub. */
export function isDeclarationPath(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return base.endsWith('.pyi') || /\.d\.[cm]?ts$/.test(base);
}

/** Bit flags of `RepoIndex.fileFlags(i)`. */
export const FILE_TEST = 1;
export const FILE_VENDORED = 2;
export const FILE_EXAMPLE = 4;
/** Markdown and other prose (`.md`, `.rst`, `.txt`): never evidence except headings and file existence. */
export const FILE_PROSE = 8;
export const FILE_DECLARATION = 16;

function flagsOf(f: FileFacts): number {
  let flags = 0;
  if (isTestPath(f.path)) flags |= FILE_TEST;
  if (isVendoredPath(f.path)) flags |= FILE_VENDORED;
  if (isExamplePath(f.path)) flags |= FILE_EXAMPLE;
  if (f.language === 'markdown' || f.language === 'text') flags |= FILE_PROSE;
  if (isDeclarationPath(f.path)) flags |= FILE_DECLARATION;
  return flags;
}

// ---------------------------------------------------------------------------------------------
// Dotted names

/** Last dotted segment without a trailing call marker: `a.b().c` -> `c`, `x.from_pretrained()` -> `from_pretrained`. */
export function lastSegment(dotted: string): string {
  const s = stripGenerics(dotted);
  const seg = s.slice(s.lastIndexOf('.') + 1);
  return seg.endsWith('()') ? seg.slice(0, -2) : seg;
}

/** `Protocol[T]` -> `Protocol`, `Base<T>` -> `Base`, `Generic[T, U]` -> `Generic`. */
export function stripGenerics(name: string): string {
  const b = name.search(/[[<]/);
  return b > 0 ? name.slice(0, b) : name;
}

// ---------------------------------------------------------------------------------------------
// Key tables: distinct keys with their fact references, searchable by regex in one pass.

const EMPTY_REFS = new Int32Array(0);

/**
 * Distinct string keys (callee last segments, names, config keys, headings, paths, ...) each with the
 * facts that carry it, as flat pairs `[fileIndex, itemIndex, ...]` in one packed Int32Array (grouped
 * by key with a counting sort: no per-key arrays, little garbage on large repositories). `search`
 * runs a regex over all keys at once (joined by newlines, one scan), then confirms each hit against
 * the key alone, so a regex costs one pass over the distinct keys instead of one test per fact.
 * Results are cached per regex.
 */
export class KeyTable {
  readonly keys: string[] = [];
  private readonly ids = new Map<string, number>();
  // pending additions: key id, file, item (triples), grouped on first read
  private pending: Int32Array = EMPTY_REFS;
  private pendingLength = 0;
  private counts: number[] = [];
  private starts: Int32Array = new Int32Array(1);
  private pairs: Int32Array = EMPTY_REFS;
  private joined: string | undefined;
  private keyStarts: Int32Array | undefined;
  private readonly searches = new Map<string, readonly number[]>();

  /**
   * A table with exactly one key per item, items visited file by file (`itemCounts[file]` of them):
   * built in two passes over a key id per item, without the pending triples `add` keeps.
   */
  static ofEveryItem(itemCounts: ArrayLike<number>, keyOf: (file: number, item: number) => string): KeyTable {
    const t = new KeyTable();
    let total = 0;
    for (let f = 0; f < itemCounts.length; f++) total += itemCounts[f];
    const keyIds = new Int32Array(total);
    let p = 0;
    for (let f = 0; f < itemCounts.length; f++) {
      for (let i = 0; i < itemCounts[f]; i++) {
        const id = t.keyId(keyOf(f, i));
        t.counts[id]++;
        keyIds[p++] = id;
      }
    }
    const n = t.keys.length;
    const starts = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) starts[k + 1] = starts[k] + t.counts[k] * 2;
    const pairs = new Int32Array(starts[n]);
    const fill = starts.slice(0, n);
    p = 0;
    for (let f = 0; f < itemCounts.length; f++) {
      for (let i = 0; i < itemCounts[f]; i++) {
        const id = keyIds[p++];
        pairs[fill[id]] = f;
        pairs[fill[id] + 1] = i;
        fill[id] += 2;
      }
    }
    t.pairs = pairs;
    t.starts = starts;
    return t;
  }

  /** The id of a key, added (with a count of 0) when new. */
  private keyId(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
      this.counts.push(0);
      this.joined = undefined;
    }
    return id;
  }

  add(key: string, file: number, item: number): void {
    const id = this.keyId(key);
    this.counts[id]++;
    let pend = this.pending;
    if (this.pendingLength + 3 > pend.length) {
      const grown = new Int32Array(Math.max(48, pend.length * 2));
      grown.set(pend);
      this.pending = pend = grown;
    }
    pend[this.pendingLength++] = id;
    pend[this.pendingLength++] = file;
    pend[this.pendingLength++] = item;
  }

  private group(): void {
    if (this.pendingLength === 0) return;
    const n = this.keys.length;
    const counts = this.counts;
    const starts = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) starts[k + 1] = starts[k] + counts[k] * 2;
    const pairs = new Int32Array(starts[n]);
    const fill = starts.slice(0, n);
    // earlier groups first, so references stay in insertion order within a key
    const old = this.pairs;
    const oldStarts = this.starts;
    for (let k = 0; k < oldStarts.length - 1; k++) {
      for (let p = oldStarts[k]; p < oldStarts[k + 1]; p++) pairs[fill[k]++] = old[p];
    }
    const pend = this.pending;
    for (let t = 0; t < this.pendingLength; t += 3) {
      const at = fill[pend[t]];
      pairs[at] = pend[t + 1];
      pairs[at + 1] = pend[t + 2];
      fill[pend[t]] = at + 2;
    }
    this.pairs = pairs;
    this.starts = starts;
    this.pending = EMPTY_REFS;
    this.pendingLength = 0;
  }

  /**
   * A table over coarser keys derived from these (`keyOf` is called once per distinct key): the
   * references are moved in blocks, without hashing every fact again.
   */
  regroup(keyOf: (key: string) => string): KeyTable {
    this.group();
    const out = new KeyTable();
    const target = this.keys.map((k) => out.keyId(keyOf(k)));
    const n = out.keys.length;
    const sizes = new Int32Array(n);
    for (let k = 0; k < this.keys.length; k++) sizes[target[k]] += this.starts[k + 1] - this.starts[k];
    const starts = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) {
      starts[k + 1] = starts[k] + sizes[k];
      out.counts[k] = sizes[k] / 2;
    }
    const pairs = new Int32Array(starts[n]);
    const fill = starts.slice(0, n);
    for (let k = 0; k < this.keys.length; k++) {
      const block = this.pairs.subarray(this.starts[k], this.starts[k + 1]);
      pairs.set(block, fill[target[k]]);
      fill[target[k]] += block.length;
    }
    out.pairs = pairs;
    out.starts = starts;
    return out;
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.keys.length;
  }

  /** Id of a key, undefined when absent. */
  id(key: string): number | undefined {
    return this.ids.get(key);
  }

  /** References of one exact key. */
  get(key: string): Int32Array | undefined {
    const id = this.ids.get(key);
    return id === undefined ? undefined : this.refs(id);
  }

  /** References of a key id: pairs `[fileIndex, itemIndex, ...]`. */
  refs(id: number): Int32Array {
    this.group();
    return this.pairs.subarray(this.starts[id], this.starts[id + 1]);
  }

  /** Every reference of every key. */
  all(): Int32Array {
    this.group();
    return this.pairs;
  }

  private lowerText: { text: string; starts: Int32Array } | undefined;

  /** The keys lower-cased and newline-joined, for literal prefilters. */
  private lowered(): { text: string; starts: Int32Array } {
    if (!this.lowerText || this.lowerText.starts.length !== this.keys.length) {
      const lower = this.keys.map((k) => k.toLowerCase().replace(/\n/g, ' '));
      const starts = new Int32Array(lower.length);
      let pos = 0;
      for (let i = 0; i < lower.length; i++) {
        starts[i] = pos;
        pos += lower[i].length + 1;
      }
      this.lowerText = { text: lower.join('\n'), starts };
    }
    return this.lowerText;
  }

  /** Ids of the keys `re` matches (a search, not anchored; `^`/`$` anchor at the ends of a key). */
  search(re: RegExp): readonly number[] {
    const cacheKey = `${re.flags}/${re.source}`;
    const hit = this.searches.get(cacheKey);
    if (hit) return hit;
    const out: number[] = [];
    if (this.keys.length > 0) {
      if (this.joined === undefined || !this.keyStarts) {
        this.joined = this.keys.map((k) => (k.includes('\n') ? k.replace(/\n/g, ' ') : k)).join('\n');
        const starts = new Int32Array(this.keys.length);
        let pos = 0;
        for (let i = 0; i < this.keys.length; i++) {
          starts[i] = pos;
          pos += this.keys[i].length + 1;
        }
        this.keyStarts = starts;
      }
      const verify = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
      const literals = requiredLiterals(re);
      if (literals && literals.every((l) => l.length >= 2)) {
        // Every match holds one of these literals: find the keys holding one, test only those.
        const { text, starts } = this.lowered();
        const candidates = new Set<number>();
        for (const lit of literals) {
          for (let at = text.indexOf(lit); at >= 0; ) {
            const k = keyAt(starts, at);
            candidates.add(k);
            if (k + 1 >= starts.length) break;
            at = text.indexOf(lit, starts[k + 1]);
          }
        }
        for (const k of [...candidates].sort((a, b) => a - b)) if (verify.test(this.keys[k])) out.push(k);
      } else if (mayMatchNewline(re)) {
        // One scan over the joined keys could run across keys (and backtrack over all of them).
        for (let k = 0; k < this.keys.length; k++) if (verify.test(this.keys[k])) out.push(k);
      } else {
        const joined = this.joined;
        const starts = this.keyStarts;
        const flags = [...new Set((re.flags + 'gm').replace('y', '').split(''))].join('');
        const scan = new RegExp(re.source, flags);
        let m: RegExpExecArray | null;
        while ((m = scan.exec(joined)) !== null) {
          const k = keyAt(starts, m.index);
          if (verify.test(this.keys[k])) out.push(k);
          if (k + 1 >= starts.length) break;
          scan.lastIndex = starts[k + 1];
        }
      }
    }
    this.searches.set(cacheKey, out);
    return out;
  }
}

const LINE_FEED = 10;

const literalCache = new Map<string, string[] | undefined>();

/**
 * Literal strings, lower-cased, one of which every match of the regex must contain; undefined when
 * nothing can be said (a prefilter, so being conservative is always correct). `(^|\.)(fp16|bf16)$`
 * gives ['fp16', 'bf16']; `^vocab_\w+` gives ['vocab_']; `.*` gives undefined.
 */
export function requiredLiterals(re: RegExp): string[] | undefined {
  const key = `${re.flags}/${re.source}`;
  if (literalCache.has(key)) return literalCache.get(key);
  let result: string[] | undefined;
  try {
    result = new LiteralScan(re.source).run();
  } catch {
    result = undefined;
  }
  literalCache.set(key, result);
  return result;
}

type Required = string[] | null;

/** Prefer the requirement whose shortest literal is longest (fewest candidates), then fewer alternatives. */
function better(a: Required, b: Required): boolean {
  if (!a) return false;
  if (!b) return true;
  const la = Math.min(...a.map((x) => x.length));
  const lb = Math.min(...b.map((x) => x.length));
  return la > lb || (la === lb && a.length < b.length);
}

/** A small recursive-descent reader of regex source that tracks required literals. */
class LiteralScan {
  private i = 0;
  constructor(private readonly src: string) {}

  run(): string[] | undefined {
    const r = this.alternation();
    if (this.i < this.src.length) return undefined;
    return r ?? undefined;
  }

  private alternation(): Required {
    const branches = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.some((b) => b === null)) return null;
    return [...new Set((branches as string[][]).flat())];
  }

  private sequence(): Required {
    const src = this.src;
    let best: Required = null;
    let run = '';
    const flush = (): void => {
      if (run && better([run], best)) best = [run];
      run = '';
    };
    while (this.i < src.length && src[this.i] !== '|' && src[this.i] !== ')') {
      const c = src[this.i];
      let lit: string | undefined;
      let group: Required = null;
      let isGroup = false;
      let zeroWidth = false;
      if (c === '\\') {
        const e = src[this.i + 1] ?? '';
        this.i += 2;
        if (/[dDwWsSbBnrtvf0-9]/.test(e)) lit = undefined;
        else if (e === 'p' || e === 'P' || e === 'k') {
          if (src[this.i] === '{' || src[this.i] === '<') this.i = src.indexOf(e === 'k' ? '>' : '}', this.i) + 1;
        } else if (e === 'u') this.i += src[this.i] === '{' ? src.indexOf('}', this.i) - this.i + 1 : 4;
        else if (e === 'x') this.i += 2;
        else if (e === 'c') this.i += 1;
        else lit = e;
        if (e === 'b' || e === 'B') zeroWidth = true;
      } else if (c === '[') {
        let j = this.i + 1;
        if (src[j] === '^') j++;
        if (src[j] === ']') j++;
        while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
        this.i = j + 1;
      } else if (c === '(') {
        this.i++;
        if (src[this.i] === '?') {
          const n = src[this.i + 1];
          if (n === '=' || n === '!' || (n === '<' && (src[this.i + 2] === '=' || src[this.i + 2] === '!'))) {
            this.i += n === '<' ? 3 : 2;
            this.alternation();
            zeroWidth = true;
          } else if (n === '<') this.i = src.indexOf('>', this.i) + 1;
          else this.i += 2; // (?: and (?flags:
        }
        if (!zeroWidth) {
          group = this.alternation();
          isGroup = true;
        }
        if (src[this.i] !== ')') throw new Error('unbalanced');
        this.i++;
      } else if (c === '^' || c === '$') {
        this.i++;
        zeroWidth = true;
      } else if (c === '.') {
        this.i++;
      } else {
        lit = c;
        this.i++;
      }
      let min = 1;
      let quantified = false;
      const q = src[this.i];
      const brace = q === '{' ? /^\{(\d+)(,\d*)?\}/.exec(src.slice(this.i)) : null;
      if (q === '*' || q === '?' || q === '+') {
        min = q === '+' ? 1 : 0;
        quantified = true;
        this.i++;
      } else if (brace) {
        min = Number(brace[1]);
        quantified = true;
        this.i += brace[0].length;
      }
      if (quantified && src[this.i] === '?') this.i++;
      if (zeroWidth) {
        flush();
        continue;
      }
      if (lit !== undefined) {
        if (min === 0) flush();
        else {
          run += lit.toLowerCase();
          if (quantified) flush();
        }
        continue;
      }
      flush();
      if (isGroup && min >= 1 && better(group, best)) best = group;
    }
    flush();
    return best;
  }
}

/** Code point of a class endpoint at `i` (a literal or a simple escape); -1 when it is another escape. */
function classChar(src: string, i: number): { code: number; next: number } {
  if (src[i] !== '\\') return { code: src.codePointAt(i) ?? -1, next: i + 1 };
  const e = src[i + 1];
  const hex = (from: number, len: number) => ({ code: parseInt(src.slice(from, from + len), 16), next: from + len });
  if (e === 'x') return hex(i + 2, 2);
  if (e === 'u' && src[i + 2] !== '{') return hex(i + 2, 4);
  if (e === 'n') return { code: LINE_FEED, next: i + 2 };
  if (e === 't') return { code: 9, next: i + 2 };
  if (e === 'r') return { code: 13, next: i + 2 };
  if (e !== undefined && /[\\\][^$.*+?(){}|/ -]/.test(e)) return { code: e.codePointAt(0) ?? -1, next: i + 2 };
  return { code: -1, next: i + 2 };
}

/**
 * Conservatively true when a regex may match a line feed (so it must not scan newline-joined keys):
 * the `s` flag, `\s`/`\W`/`\D`/`\n`/unicode classes, a negated class that does not exclude `\n`,
 * or a class range spanning it.
 */
export function mayMatchNewline(re: RegExp): boolean {
  if (re.flags.includes('s')) return true;
  const src = re.source;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const e = src[i + 1];
      if (e !== undefined && 'sWDnpPc'.includes(e)) return true;
      if ((e === 'x' && /^0a$/i.test(src.slice(i + 2, i + 4))) || (e === 'u' && /^(000a|\{0*a\})/i.test(src.slice(i + 2, i + 8)))) return true;
      i++;
      continue;
    }
    if (c !== '[') continue;
    let j = i + 1;
    const negated = src[j] === '^';
    if (negated) j++;
    let excludesLf = false;
    let includesLf = false;
    let first = true;
    while (j < src.length && (src[j] !== ']' || first)) {
      first = false;
      if (src[j] === '\\' && 'wdSb'.includes(src[j + 1] ?? '')) {
        j += 2; // word, digit, non-space: never a line feed
        continue;
      }
      if (src[j] === '\\' && 'sWDpP'.includes(src[j + 1] ?? '')) {
        if (src[j + 1] === 's') excludesLf = true;
        includesLf = true;
        j += 2;
        continue;
      }
      const a = classChar(src, j);
      if (a.code === -1) {
        includesLf = true;
        j = a.next;
        continue;
      }
      if (a.code === LINE_FEED) {
        excludesLf = true;
        includesLf = true;
      }
      if (src[a.next] === '-' && src[a.next + 1] !== ']' && a.next + 1 < src.length) {
        const b = classChar(src, a.next + 1);
        if (b.code === -1 || (a.code <= LINE_FEED && b.code >= LINE_FEED)) {
          includesLf = true;
          excludesLf = excludesLf || b.code !== -1;
        }
        j = b.next;
      } else j = a.next;
    }
    if (negated ? !excludesLf : includesLf) return true;
    i = j;
  }
  return false;
}

function keyAt(starts: Int32Array, pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The last dotted segment of a callee, cheaply: `a.b().c` -> `c`, `x.from_pretrained()` -> `from_pretrained`. */
export function calleeKey(callee: string): string {
  if (callee.includes('[') || callee.includes('<')) return lastSegment(callee);
  const seg = callee.slice(callee.lastIndexOf('.') + 1);
  return seg.endsWith('()') ? seg.slice(0, -2) : seg;
}

/**
 * Lookup tables for signal matching, each built on first use. Every table's references are pairs
 * `[fileIndex, itemIndex, ...]` into `index.files[fileIndex].<facts>[itemIndex]`. Vendored and
 * generated files are left out: they never count as evidence.
 */
export interface FactLookup {
  /** Calls by the callee's last segment (`torch.nn.utils.clip_grad_norm_` -> `clip_grad_norm_`). */
  callsByLastSegment(): KeyTable;
  /** Calls by each keyword argument name they pass. */
  callsByKeyword(): KeyTable;
  /** Calls by the whole callee as written (distinct callees are far fewer than calls). */
  callsByCallee(): KeyTable;

  /**
   * Imports by every dotted path they bring in: Python `module` and `module.name` for each imported
   * name; TS/JS the specifier (`node:` dropped).
   */
  importsByPath(): { python: KeyTable; script: KeyTable };
  /** Imports by their first module segment: Python/notebook split on `.`, TS/JS on `/` (`node:` dropped). */
  importsByFirstSegment(): { python: KeyTable; script: KeyTable };
  /**
   * Python imports by their first two segments, of the module or of `module.name` for each imported
   * name (`from torch import nn` -> `torch.nn`); imports of a one-segment module without names are absent.
   */
  pythonImportsByTwoSegments(): KeyTable;
  /** Every definition, by kind. */
  definitionsByKind(): KeyTable;
  /** Definitions by the last segment of each base (generics stripped). */
  definitionsByBase(): KeyTable;
  /** Definitions by each whole base (generics stripped). */
  definitionsByBaseText(): KeyTable;
  /** Definitions by the last segment of each decorator. */
  definitionsByDecorator(): KeyTable;
  /** Definitions by each whole decorator. */
  definitionsByDecoratorText(): KeyTable;
  /**
   * Pairs of every call or assignment in file order (optionally of some files only): full scans read
   * memory in order instead of jumping between files.
   */
  inFileOrder(kind: 'calls' | 'assignments', only?: ReadonlySet<number>): Int32Array;
  definitionNames(): KeyTable;
  /** Assignments by the target's last dotted segment (`os.environ[WANDB_MODE]` -> `environ[WANDB_MODE]`). */
  assignmentsByLastSegment(): KeyTable;
  /** Assignments by the whole target as written. */
  assignmentsByTarget(): KeyTable;
  /** Assignments by their value text, quotes stripped (`unquote`). */
  assignmentsByValue(): KeyTable;
  /** Config keys that have a scalar value, by that value, quotes stripped. */
  configKeysByValue(): KeyTable;
  names(): KeyTable;
  configKeys(): KeyTable;
  headings(): KeyTable;
  /** Requirements by name as written. */
  requirements(): KeyTable;
  /** Parse-time text pattern matches (`FileFacts.textMatches`) by pattern source. */
  textMatchesByPattern(): KeyTable;
  /** Every path (item index 0). */
  paths(): KeyTable;
}

const QUOTE_OR_PREFIX = /^\s|^[rRbBuUfF]{0,2}["'`]/;

/** A value's text without surrounding quotes (Python string prefixes and triple quotes included). */
export function unquote(v: string): string {
  if (!QUOTE_OR_PREFIX.test(v)) return v;
  const t = v.trim();
  const m = /^[rRbBuUfF]{0,2}("""|'''|"|'|`)([\s\S]*)\1$/.exec(t);
  return m ? m[2] : t;
}

/** Normalised requirement name (PEP 503 style): `Torch_Audit.x` -> `torch-audit-x`. */
export function normaliseRequirement(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function pythonLike(f: FileFacts): boolean {
  return f.language === 'python' || f.language === 'notebook';
}

const NO_FACTS = { calls: [], imports: [], definitions: [], assignments: [], names: [], configKeys: [], headings: [], requirements: [], textMatches: [] };

class LazyLookup implements FactLookup {
  private memo = new Map<string, unknown>();
  private readonly files: readonly FileFacts[];

  constructor(
    files: readonly FileFacts[],
    private readonly flags: Uint8Array,
  ) {
    // Vendored files keep their position (file indexes stay valid) but contribute no facts.
    this.files = files.map((f, fi) => (flags[fi] & FILE_VENDORED ? ({ ...f, ...NO_FACTS } as FileFacts) : f));
  }

  private once<T>(key: string, build: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = build();
    this.memo.set(key, v);
    return v;
  }

  /** A table filled by visiting every file. */
  private table(key: string, fill: (t: KeyTable, f: FileFacts, fi: number) => void): KeyTable {
    return this.once(key, () => {
      const t = new KeyTable();
      const files = this.files;
      for (let fi = 0; fi < files.length; fi++) fill(t, files[fi], fi);
      return t;
    });
  }

  /** A table keyed by one string of every call, assignment or name (read from the packed columns). */
  private everyItem(kind: 'calls' | 'assignments' | 'names', keyOf: (c: FactColumns, i: number) => string): KeyTable {
    const cols = this.files.map(columnsOf);
    const counts = cols.map((c) => (kind === 'calls' ? c.callCount : kind === 'assignments' ? c.assignmentCount : c.nameCount));
    return KeyTable.ofEveryItem(counts, (fi, i) => keyOf(cols[fi], i));
  }

  /** The call tables come from one pass over the calls. */
  private callTables(): { byLast: KeyTable; byKw: KeyTable; byCallee: KeyTable } {
    return this.once('calls', () => {
      const byKw = new KeyTable();
      const cols = this.files.map(columnsOf);
      const byCallee = KeyTable.ofEveryItem(
        cols.map((c) => c.callCount),
        (fi, i) => cols[fi].callee(i),
      );
      for (let fi = 0; fi < cols.length; fi++) {
        const c = cols[fi];
        const n = c.callCount;
        for (let i = 0; i < n; i++) {
          const kw = c.kwargs(i);
          for (const k in kw) byKw.add(k, fi, i);
        }
      }
      // Distinct callees are far fewer than calls: derive the last-segment table from them.
      return { byLast: byCallee.regroup(calleeKey), byKw, byCallee };
    });
  }

  callsByLastSegment(): KeyTable {
    return this.callTables().byLast;
  }

  callsByKeyword(): KeyTable {
    return this.callTables().byKw;
  }

  callsByCallee(): KeyTable {
    return this.callTables().byCallee;
  }

  importsByPath(): { python: KeyTable; script: KeyTable } {
    return this.once('importPaths', () => {
      const python = new KeyTable();
      const script = new KeyTable();
      this.files.forEach((f, fi) => {
        const py = pythonLike(f);
        f.imports.forEach((imp, i) => {
          if (!py) {
            script.add(imp.module.replace(/^node:/, ''), fi, i);
            return;
          }
          python.add(imp.module, fi, i);
          for (const n of imp.names) if (n !== '*') python.add(`${imp.module}.${n}`, fi, i);
        });
      });
      return { python, script };
    });
  }

  importsByFirstSegment(): { python: KeyTable; script: KeyTable } {
    return this.importTables();
  }

  pythonImportsByTwoSegments(): KeyTable {
    return this.importTables().python2;
  }

  private importTables(): { python: KeyTable; script: KeyTable; python2: KeyTable } {
    return this.once('imports', () => {
      const python = new KeyTable();
      const python2 = new KeyTable();
      const script = new KeyTable();
      this.files.forEach((f, fi) => {
        const py = pythonLike(f);
        f.imports.forEach((imp, i) => {
          if (!py) {
            script.add(imp.module.replace(/^node:/, '').split('/')[0], fi, i);
            return;
          }
          const segs = imp.module.split('.');
          python.add(segs[0], fi, i);
          // First two segments of the import as `module` and as each `module.name`.
          if (segs.length >= 2) python2.add(`${segs[0]}.${segs[1]}`, fi, i);
          else {
            const seen = new Set<string>();
            for (const n of imp.names) {
              if (n === '*') continue;
              const key = `${segs[0]}.${n.split('.')[0]}`;
              if (!seen.has(key)) python2.add(key, fi, i);
              seen.add(key);
            }
          }
        });
      });
      return { python, script, python2 };
    });
  }

  definitionsByKind(): KeyTable {
    return this.table('defsByKind', (t, f, fi) => f.definitions.forEach((d, i) => t.add(d.kind, fi, i)));
  }

  definitionsByBaseText(): KeyTable {
    return this.table('defsByBaseText', (t, f, fi) =>
      f.definitions.forEach((d, i) => {
        for (const b of new Set(d.bases.map(stripGenerics))) t.add(b, fi, i);
      }),
    );
  }

  definitionsByBase(): KeyTable {
    return this.once('defsByBase', () => this.definitionsByBaseText().regroup(lastSegment));
  }

  definitionsByDecoratorText(): KeyTable {
    return this.table('defsByDecoratorText', (t, f, fi) =>
      f.definitions.forEach((d, i) => {
        for (const b of new Set(d.decorators)) t.add(b, fi, i);
      }),
    );
  }

  definitionsByDecorator(): KeyTable {
    return this.once('defsByDecorator', () => this.definitionsByDecoratorText().regroup(lastSegment));
  }

  /** Pairs of every fact of a kind, in file order (sequential memory access for full scans). */
  inFileOrder(kind: 'calls' | 'assignments', only?: ReadonlySet<number>): Int32Array {
    const build = (fis: Iterable<number>): Int32Array => {
      const list = [...fis];
      let n = 0;
      const count = (fi: number): number => (kind === 'calls' ? columnsOf(this.files[fi]).callCount : columnsOf(this.files[fi]).assignmentCount);
      for (const fi of list) n += count(fi);
      const out = new Int32Array(n * 2);
      let p = 0;
      for (const fi of list) {
        const len = count(fi);
        for (let i = 0; i < len; i++) {
          out[p++] = fi;
          out[p++] = i;
        }
      }
      return out;
    };
    if (only) return build([...only].sort((a, b) => a - b));
    return this.once(`order:${kind}`, () => build(this.files.keys()));
  }

  definitionNames(): KeyTable {
    return this.table('defNames', (t, f, fi) => f.definitions.forEach((d, i) => t.add(d.name, fi, i)));
  }

  assignmentsByLastSegment(): KeyTable {
    return this.once('assigns', () => this.assignmentsByTarget().regroup((t) => t.slice(t.lastIndexOf('.') + 1)));
  }

  assignmentsByTarget(): KeyTable {
    return this.once('assignTargets', () => this.everyItem('assignments', (c, i) => c.target(i)));
  }

  assignmentsByValue(): KeyTable {
    return this.once('assignValues', () => this.everyItem('assignments', (c, i) => unquote(c.value(i))));
  }

  configKeysByValue(): KeyTable {
    return this.table('configValues', (t, f, fi) =>
      f.configKeys.forEach((k, i) => {
        if (k.value !== undefined) t.add(unquote(k.value), fi, i);
      }),
    );
  }

  names(): KeyTable {
    return this.once('names', () => this.everyItem('names', (c, i) => c.name(i)));
  }

  configKeys(): KeyTable {
    return this.table('configKeys', (t, f, fi) => f.configKeys.forEach((k, i) => t.add(k.key, fi, i)));
  }

  headings(): KeyTable {
    return this.table('headings', (t, f, fi) => f.headings.forEach((h, i) => t.add(h.text, fi, i)));
  }

  requirements(): KeyTable {
    return this.table('requirements', (t, f, fi) => f.requirements.forEach((r, i) => t.add(r.name, fi, i)));
  }

  textMatchesByPattern(): KeyTable {
    return this.table('textMatches', (t, f, fi) => (f.textMatches ?? []).forEach((m, i) => t.add(m.pattern, fi, i)));
  }

  paths(): KeyTable {
    return this.table('paths', (t, f, fi) => {
      if (!(this.flags[fi] & FILE_VENDORED)) t.add(f.path, fi, 0);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The index

/** A definition with the file it lives in. */
export interface DefRef {
  path: string;
  /** Position of the file in `RepoIndex.files`. */
  fileIndex: number;
  def: DefinitionFact;
}

export interface RepoIndex {
  /** Every file's facts, sorted by path (plain code-unit order). Shared: treat as read-only. */
  readonly files: FileFacts[];
  /** Facts by path. Shared: treat as read-only. */
  readonly byPath: Map<string, FileFacts>;
  /** Position of a path in `files`, -1 when absent. */
  fileIndex(path: string): number;
  /** `FILE_*` bit flags of the file at a position. */
  fileFlags(fileIndex: number): number;
  isTestFile(path: string): boolean;
  isVendored(path: string): boolean;
  isExample(path: string): boolean;
  /** Classes (kind 'class') by their simple name, across the repository. */
  readonly classesByName: ReadonlyMap<string, readonly DefRef[]>;
  /** Classes listing `name` as a base (matched on the base's last segment); `transitive` follows subclasses of subclasses. */
  subclassesOf(name: string, opts?: { transitive?: boolean }): DefRef[];
  /** A definition of a file by qualName. */
  definitionAt(fileIndex: number, qualName: string): DefinitionFact | undefined;
  /** Direct members of a definition (defs whose `parent` is `qualName`), in file order. */
  membersOf(fileIndex: number, qualName: string): readonly DefinitionFact[];
  /** The innermost function, method or class whose span holds the line. */
  enclosingDefinition(path: string, line: number): DefinitionFact | undefined;
  /** The stub body rule with interface declarations taken out (see `stubDefinitions`). */
  isEffectiveStub(path: string, def: DefinitionFact): boolean;
  isStubClass(path: string, def: DefinitionFact): boolean;
  /**
   * Every `stub: true` definition except interface declarations: abstract defs, members of a class
   * deriving `Protocol`, defs inside an `interface` (or type literal), `@overload` signatures, defs in
   * declaration files (`.pyi`, `.d.ts`), and methods raising NotImplementedError (or TS throwing "not
   * implemented") whose class is a base, by name, of a class anywhere in the repository that defines a
   * method of the same name (directly or through further subclasses). Sorted by path, then line.
   */
  stubDefinitions(): readonly DefRef[];
  /**
   * Classes whose methods are all effective stubs, ignoring constructors that only store their
   * arguments (`trivialInit`); a class with no other method is not a stub class.
   */
  stubClasses(): readonly DefRef[];
  /** True when the line lies on or inside an effective stub definition or a stub class. */
  inStub(path: string, line: number): boolean;
  inStubAt(fileIndex: number, line: number): boolean;
  readonly lookup: FactLookup;
}

interface FileDerived {
  byQual: Map<string, DefinitionFact>;
  members: Map<string, DefinitionFact[]>;
}

/** A file's functions, methods and classes by start line, each with its innermost enclosing one. */
interface Spans {
  defs: DefinitionFact[];
  starts: Int32Array;
  /** Position (in `defs`) of the innermost definition holding each one's start, -1 at top level. */
  parent: Int32Array;
}

function buildSpans(definitions: readonly DefinitionFact[]): Spans {
  // Same start: the longer qualName (the nested one) sorts later, so it wins the lookup.
  const defs = definitions
    .filter((d) => d.kind === 'function' || d.kind === 'method' || d.kind === 'class')
    .sort((a, b) => a.line - b.line || a.qualName.length - b.qualName.length);
  const starts = Int32Array.from(defs, (d) => d.line);
  const parent = new Int32Array(defs.length);
  const stack: number[] = [];
  defs.forEach((d, k) => {
    while (stack.length > 0 && defs[stack[stack.length - 1]].endLine < d.line) stack.pop();
    parent[k] = stack.length > 0 ? stack[stack.length - 1] : -1;
    stack.push(k);
  });
  return { defs, starts, parent };
}

interface StubState {
  defs: DefRef[];
  classes: DefRef[];
  effective: Set<DefinitionFact>;
  stubClassSet: Set<DefinitionFact>;
  /** Per file: merged spans as flat [start, end, start, end, ...], sorted. */
  spans: Map<number, Int32Array>;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const EMPTY: readonly DefinitionFact[] = [];
const NOT_IMPLEMENTED_KINDS = new Set(['not_implemented', 'throw_not_implemented']);

class RepoIndexImpl implements RepoIndex {
  readonly files: FileFacts[];
  readonly byPath: Map<string, FileFacts>;
  readonly lookup: FactLookup;
  private readonly positions = new Map<string, number>();
  private readonly flags: Uint8Array;
  private readonly derived: (FileDerived | undefined)[];
  private readonly spans: (Spans | undefined)[];
  private classes: Map<string, DefRef[]> | undefined;
  private subclassIndex: Map<string, DefRef[]> | undefined;
  private stubState: StubState | undefined;

  constructor(files: FileFacts[]) {
    const sorted: FileFacts[] = [];
    const byPath = new Map<string, FileFacts>();
    for (const f of [...files].sort((a, b) => cmp(a.path, b.path))) {
      if (byPath.has(f.path)) continue; // first record of a duplicated path wins
      byPath.set(f.path, f);
      this.positions.set(f.path, sorted.length);
      sorted.push(f);
    }
    this.files = sorted;
    this.byPath = byPath;
    this.flags = Uint8Array.from(sorted, flagsOf);
    this.derived = new Array(sorted.length);
    this.spans = new Array(sorted.length);
    this.lookup = new LazyLookup(sorted, this.flags);
  }

  fileIndex(path: string): number {
    return this.positions.get(path) ?? -1;
  }

  fileFlags(fileIndex: number): number {
    return this.flags[fileIndex] ?? 0;
  }

  private flagOf(path: string, flag: number, fallback: (p: string) => boolean): boolean {
    const i = this.positions.get(path);
    return i === undefined ? fallback(path) : (this.flags[i] & flag) !== 0;
  }

  isTestFile(path: string): boolean {
    return this.flagOf(path, FILE_TEST, isTestPath);
  }

  isVendored(path: string): boolean {
    return this.flagOf(path, FILE_VENDORED, isVendoredPath);
  }

  isExample(path: string): boolean {
    return this.flagOf(path, FILE_EXAMPLE, isExamplePath);
  }

  get classesByName(): ReadonlyMap<string, readonly DefRef[]> {
    if (!this.classes) {
      const map = new Map<string, DefRef[]>();
      this.files.forEach((f, fi) => {
        for (const d of f.definitions) {
          if (d.kind !== 'class') continue;
          const list = map.get(d.name);
          const ref = { path: f.path, fileIndex: fi, def: d };
          if (list) list.push(ref);
          else map.set(d.name, [ref]);
        }
      });
      this.classes = map;
    }
    return this.classes;
  }

  subclassesOf(name: string, opts: { transitive?: boolean } = {}): DefRef[] {
    if (!this.subclassIndex) {
      const map = new Map<string, DefRef[]>();
      for (const refs of this.classesByName.values()) {
        for (const ref of refs) {
          for (const b of new Set(ref.def.bases.map(lastSegment))) {
            const list = map.get(b);
            if (list) list.push(ref);
            else map.set(b, [ref]);
          }
        }
      }
      this.subclassIndex = map;
    }
    const index = this.subclassIndex;
    if (!opts.transitive) return [...(index.get(name) ?? [])];
    const seen = new Set<DefinitionFact>();
    const out: DefRef[] = [];
    const queue = [name];
    const queued = new Set(queue);
    while (queue.length > 0) {
      const n = queue.shift() as string;
      for (const ref of index.get(n) ?? []) {
        if (seen.has(ref.def)) continue;
        seen.add(ref.def);
        out.push(ref);
        if (!queued.has(ref.def.name)) {
          queued.add(ref.def.name);
          queue.push(ref.def.name);
        }
      }
    }
    return out;
  }

  private derivedOf(fi: number): FileDerived {
    let d = this.derived[fi];
    if (!d) {
      const byQual = new Map<string, DefinitionFact>();
      const members = new Map<string, DefinitionFact[]>();
      for (const def of this.files[fi].definitions) {
        if (!byQual.has(def.qualName)) byQual.set(def.qualName, def);
        const list = members.get(def.parent);
        if (list) list.push(def);
        else members.set(def.parent, [def]);
      }
      d = { byQual, members };
      this.derived[fi] = d;
    }
    return d;
  }

  definitionAt(fileIndex: number, qualName: string): DefinitionFact | undefined {
    return this.derivedOf(fileIndex).byQual.get(qualName);
  }

  membersOf(fileIndex: number, qualName: string): readonly DefinitionFact[] {
    return this.derivedOf(fileIndex).members.get(qualName) ?? EMPTY;
  }

  enclosingDefinition(path: string, line: number): DefinitionFact | undefined {
    const fi = this.fileIndex(path);
    if (fi < 0) return undefined;
    let spans = this.spans[fi];
    if (!spans) spans = this.spans[fi] = buildSpans(this.files[fi].definitions);
    // The last definition starting at or before the line, then up through its enclosing ones
    // until one still holds the line: O(log n + nesting depth).
    let lo = 0;
    let hi = spans.starts.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans.starts[mid] <= line) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    while (k >= 0 && spans.defs[k].endLine < line) k = spans.parent[k];
    return k >= 0 ? spans.defs[k] : undefined;
  }

  isEffectiveStub(_path: string, def: DefinitionFact): boolean {
    return this.stubs().effective.has(def);
  }

  isStubClass(_path: string, def: DefinitionFact): boolean {
    return this.stubs().stubClassSet.has(def);
  }

  stubDefinitions(): readonly DefRef[] {
    return this.stubs().defs;
  }

  stubClasses(): readonly DefRef[] {
    return this.stubs().classes;
  }

  inStub(path: string, line: number): boolean {
    const fi = this.positions.get(path);
    return fi === undefined ? false : this.inStubAt(fi, line);
  }

  inStubAt(fileIndex: number, line: number): boolean {
    const spans = this.stubs().spans.get(fileIndex);
    if (!spans) return false;
    // Last span starting at or before the line (spans are merged, so at most one can hold it).
    let lo = 0;
    let hi = spans.length / 2 - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid * 2] <= line) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && spans[found * 2 + 1] >= line;
  }

  /** Interface declarations: stub-shaped bodies that declare a contract rather than leave work undone. */
  private isInterfaceDeclaration(fi: number, def: DefinitionFact): boolean {
    if (def.abstract) return true;
    if (this.flags[fi] & FILE_DECLARATION) return true;
    if (def.decorators.some((d) => lastSegment(d) === 'overload')) return true;
    const parent = def.parent ? this.definitionAt(fi, def.parent) : undefined;
    if (parent && parent.kind === 'class' && parent.bases.some((b) => lastSegment(b) === 'Protocol')) return true;
    for (let p = parent, guard = 0; p && guard < 64; p = p.parent ? this.definitionAt(fi, p.parent) : undefined, guard++) {
      if (p.kind === 'interface' || p.kind === 'type') return true;
    }
    if (parent && parent.kind === 'class' && def.stubKind && NOT_IMPLEMENTED_KINDS.has(def.stubKind)) {
      return this.isOverridden(parent, def.name);
    }
    return false;
  }

  /** Some class deriving (transitively, by name) from `cls` defines a member named `member`. */
  private isOverridden(cls: DefinitionFact, member: string): boolean {
    for (const sub of this.subclassesOf(cls.name, { transitive: true })) {
      if (sub.def === cls) continue;
      if (this.membersOf(sub.fileIndex, sub.def.qualName).some((m) => m.name === member)) return true;
    }
    return false;
  }

  private stubs(): StubState {
    if (this.stubState) return this.stubState;
    const defs: DefRef[] = [];
    const effective = new Set<DefinitionFact>();
    this.files.forEach((f, fi) => {
      for (const d of f.definitions) {
        if (!d.stub || this.isInterfaceDeclaration(fi, d)) continue;
        effective.add(d);
        defs.push({ path: f.path, fileIndex: fi, def: d });
      }
    });
    // Stub classes: only classes holding at least one effective stub can qualify.
    const classes: DefRef[] = [];
    const stubClassSet = new Set<DefinitionFact>();
    const candidates = new Map<string, { fi: number; parent: string }>();
    for (const ref of defs) if (ref.def.parent) candidates.set(`${ref.fileIndex}\0${ref.def.parent}`, { fi: ref.fileIndex, parent: ref.def.parent });
    for (const { fi, parent } of candidates.values()) {
      const cls = this.definitionAt(fi, parent);
      if (!cls || cls.kind !== 'class') continue;
      const methods = this.membersOf(fi, parent).filter((m) => (m.kind === 'method' || m.kind === 'function') && !m.trivialInit);
      if (methods.length > 0 && methods.every((m) => effective.has(m))) {
        stubClassSet.add(cls);
        classes.push({ path: this.files[fi].path, fileIndex: fi, def: cls });
      }
    }
    const byLoc = (a: DefRef, b: DefRef): number => a.fileIndex - b.fileIndex || a.def.line - b.def.line;
    defs.sort(byLoc);
    classes.sort(byLoc);
    const raw = new Map<number, [number, number][]>();
    for (const ref of [...defs, ...classes]) {
      const list = raw.get(ref.fileIndex) ?? [];
      list.push([ref.def.line, Math.max(ref.def.line, ref.def.endLine)]);
      raw.set(ref.fileIndex, list);
    }
    const spans = new Map<number, Int32Array>();
    for (const [fi, list] of raw) {
      list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const merged: number[] = [];
      for (const [s, e] of list) {
        const n = merged.length;
        if (n > 0 && s <= merged[n - 1]) merged[n - 1] = Math.max(merged[n - 1], e);
        else merged.push(s, e);
      }
      spans.set(fi, Int32Array.from(merged));
    }
    this.stubState = { defs, classes, effective, stubClassSet, spans };
    return this.stubState;
  }
}

/** Index the facts of every file of an audit (the input need not be sorted). */
export function buildRepoIndex(files: FileFacts[]): RepoIndex {
  return new RepoIndexImpl(files);
}
