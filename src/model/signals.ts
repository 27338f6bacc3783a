import type { AssignmentFact, CallFact, FileFacts, Language } from '../facts/types.js';
import {
  calleeKey,
  FILE_DECLARATION,
  FILE_EXAMPLE,
  FILE_PROSE,
  FILE_TEST,
  FILE_VENDORED,
  normaliseRequirement,
  requiredLiterals,
  stripGenerics,
  unquote,
  type KeyTable,
  type RepoIndex,
} from '../facts/index.js';
import type {
  AssignSignal,
  CallSignal,
  ConfigKeySignal,
  CooccurSignal,
  CustomSignal,
  DefSignal,
  FileSignal,
  HeadingSignal,
  ImportSignal,
  NameSignal,
  RequirementSignal,
  Signal,
  TextSignal,
} from './capability.js';
import { compileGlob } from './glob.js';
import { columnsOf, type FactColumns } from '../facts/compact.js';
import { memo } from './fact-use.js';
import type { Evidence } from './types.js';

/**
 * Signal matching: the shared primitives every capability's data is evaluated with
 * (conventions documented in src/model/capability.ts). Pure functions of the RepoIndex: nothing here
 * reads the disk. Every signal is compiled once (cached by object identity) and matched through the
 * index's lazily built lookup tables, never by a scan of every fact with a fresh regex.
 */

// ---------------------------------------------------------------------------------------------
// Context

/** Which files a match may come from, by the test-file rule. */
export type TestFilePolicy = 'exclude' | 'include' | 'only';

export interface SignalIssue {
  message: string;
  signal: Signal;
  capability?: string;
  subfeature?: string;
}

export interface SignalContext {
  /**
   * The sub-feature being matched. It decides the test-file rule (`testFilePolicy`): ids ending in
   * `.tests` count test files only, `ci_tests.*` count every file, all others count non-test files.
   */
  subfeature?: string;
  /** The capability being matched (only used to label issues). */
  capability?: string;
  /** Overrides the test-file rule derived from `subfeature`. */
  testFiles?: TestFilePolicy;
  /**
   * Optional: the full text of a file the pipeline still holds in memory (undefined when it does not).
   * Only `text` signals read it; without it they use the parse-time matches in `FileFacts.textMatches`.
   * Supply it for every file or for none, so that cached and fresh runs give the same report.
   */
  sourceText?: (path: string) => string | undefined;
  /** Custom detectors that take precedence over the global registry, by name (tests, plugins). */
  customSignals?: Record<string, CustomSignalFn>;
  /**
   * Problems (unknown custom detector, invalid regex, a detector that throws). With a handler they are
   * reported and the signal yields nothing; without one they are thrown.
   */
  onIssue?: (issue: SignalIssue) => void;
}

/** Ids ending in `.tests` count test files only; `ci_tests.*` count all files; the rest non-test files. */
export function testFilePolicy(subfeatureId: string | undefined): TestFilePolicy {
  if (!subfeatureId) return 'exclude';
  if (subfeatureId.endsWith('.tests')) return 'only';
  if (subfeatureId.startsWith('ci_tests.')) return 'include';
  return 'exclude';
}

// ---------------------------------------------------------------------------------------------
// Custom detectors

/** What a custom detector returns: evidence, optionally with a measured note (e.g. a percentage). */
export type CustomSignalResult = Evidence[] | { evidence: Evidence[]; note?: string };
export type CustomSignalFn = (index: RepoIndex, ctx: SignalContext) => CustomSignalResult;

const customRegistry = new Map<string, CustomSignalFn>();

/**
 * Register a named detector for `{ custom: name }` signals (for what data cannot say). The last
 * registration of a name wins. The evidence it returns still passes the common filters: vendored
 * files never count, the test-file rule applies, and so do the signal's `lang`/`paths`/`notPaths`.
 */
export function registerCustomSignal(name: string, fn: CustomSignalFn): void {
  customRegistry.set(name, fn);
}

export function hasCustomSignal(name: string): boolean {
  return customRegistry.has(name);
}

export function customSignalNames(): string[] {
  return [...customRegistry.keys()].sort();
}

// ---------------------------------------------------------------------------------------------
// Kinds and compilation

export type SignalKind =
  | 'import'
  | 'call'
  | 'def'
  | 'file'
  | 'configKey'
  | 'heading'
  | 'name'
  | 'assign'
  | 'text'
  | 'requirement'
  | 'cooccur'
  | 'custom';

/** The kind of a signal, from the key that names it; undefined for an object that is no signal. */
export function signalKind(s: Signal): SignalKind | undefined {
  if ('all' in s) return 'cooccur';
  if ('custom' in s) return 'custom';
  if ('import' in s) return 'import';
  if ('call' in s) return 'call';
  if ('file' in s) return 'file';
  if ('configKey' in s) return 'configKey';
  if ('heading' in s) return 'heading';
  if ('name' in s) return 'name';
  if ('assign' in s) return 'assign';
  if ('text' in s) return 'text';
  if ('requirement' in s) return 'requirement';
  if ('def' in s || 'kind' in s || 'bases' in s || 'decorators' in s) return 'def';
  return undefined;
}

/** A pattern segment: `**`, a literal, or a wildcard (`pure` when it is only `*`, matching any segment). */
type SegMatcher = { star2: true } | { lit: string } | { re: RegExp; pure: boolean };

interface Dotted {
  segs: SegMatcher[];
  /** Segments that are not `**`: the fewest value segments that can match. */
  minLen: number;
  /** Every segment literal: the pattern text, for a string comparison instead of a split. */
  literal?: string;
  /** The pattern is only `**` (matches everything). */
  any: boolean;
  /** The source pattern's segments as written (for whole-value regexes, see `wholeValueRegex`). */
  raw: string[];
  sep: '.' | '/';
}

interface CompiledBase {
  kind: SignalKind;
  signal: Signal;
  error?: string;
  lang?: Set<Language>;
  paths?: RegExp[];
  notPaths?: RegExp[];
  /** Per index: 0 unknown, 1 passes lang/paths/notPaths, 2 fails. */
  fileCache: WeakMap<RepoIndex, Uint8Array>;
}

interface Compiled extends CompiledBase {
  dotted?: Dotted[];
  regex?: RegExp;
  names?: RegExp;
  receiver?: RegExp;
  arg0?: RegExp;
  /** A plain literal search every `arg0` match passes (cheaper than the full regex). */
  arg0Literal?: RegExp;
  kwValue?: [string, RegExp][];
  notKwValue?: [string, RegExp][];
  value?: RegExp;
  bases?: Dotted[];
  decorators?: Dotted[];
  globs?: RegExp[];
  inner?: Compiled[];
  /** Content key for the per-index hit cache; undefined when the hits depend on the context (custom detectors). */
  cacheKey?: string;
  /** A `text` signal is part of it (its hits depend on `ctx.sourceText`). */
  usesText?: boolean;
}

const compiledCache = new WeakMap<Signal, Compiled>();

function regex(source: string): RegExp {
  return new RegExp(source, 'i');
}

function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Split a dotted pattern into segment matchers; `sep` is `.` for Python names, `/` for JS specifiers. */
function compileDotted(pattern: string, sep: '.' | '/'): Dotted {
  const p = sep === '/' ? pattern.replace(/^node:/, '') : pattern;
  const segs: SegMatcher[] = p.split(sep).map((raw) => {
    const seg = raw.endsWith('()') ? raw.slice(0, -2) : raw;
    if (seg === '**') return { star2: true } as const;
    if (!seg.includes('*')) return { lit: seg };
    const body = seg
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*');
    return { re: new RegExp(`^${body}$`), pure: /^\*+$/.test(seg) };
  });
  const literal = segs.every((m) => 'lit' in m) ? segs.map((m) => (m as { lit: string }).lit).join(sep) : undefined;
  const raw = p.split(sep).map((r) => (r.endsWith('()') ? r.slice(0, -2) : r));
  return { segs, minLen: segs.filter((m) => !('star2' in m)).length, literal, any: segs.every((m) => 'star2' in m), raw, sep };
}

function segMatches(m: SegMatcher, v: string): boolean {
  if ('lit' in m) return m.lit === v;
  if ('re' in m) return m.re.test(v);
  return true;
}

/** Exact match of pattern segments [pi..] against value segments [vi..], with `**` spanning any number. */
function matchFrom(segs: SegMatcher[], pi: number, val: string[], vi: number): boolean {
  if (pi === segs.length) return vi === val.length;
  const m = segs[pi];
  if ('star2' in m) {
    for (let k = vi; k <= val.length; k++) if (matchFrom(segs, pi + 1, val, k)) return true;
    return false;
  }
  return vi < val.length && segMatches(m, val[vi]) && matchFrom(segs, pi + 1, val, vi + 1);
}

/** The pattern equals the value or is a segment suffix of it (calls, bases, decorators, assignments). */
function matchSuffix(d: Dotted, val: string[]): boolean {
  for (let start = 0; start <= val.length; start++) {
    if (val.length - start < d.minLen) break;
    if (matchFrom(d.segs, 0, val, start)) return true;
  }
  return false;
}

/** The pattern equals the value or is a segment prefix of it (imports: `torch` never `torchmetrics`). */
function matchPrefix(d: Dotted, val: string[]): boolean {
  for (let end = val.length; end >= 1; end--) if (matchFrom(d.segs, 0, val.slice(0, end), 0)) return true;
  return false;
}

const wholeValueCache = new Map<string, RegExp>();

/**
 * One regex equivalent to matching a dotted pattern against a whole value, for a single pass over
 * the distinct values of a key table: `suffix` (calls, assignments) or `prefix` (imports) semantics;
 * `calls` lets every segment carry a `()` call marker. Segment wildcards never cross a separator or
 * a line feed, so the regex can scan newline-joined keys.
 */
function wholeValueRegex(d: Dotted, mode: 'suffix' | 'prefix', calls: boolean): RegExp {
  const cacheKey = `${mode}${calls ? 'c' : ''}${d.sep}${d.raw.join('\u0000')}`;
  const hit = wholeValueCache.get(cacheKey);
  if (hit) return hit;
  const esc = (t: string): string => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const S = esc(d.sep);
  const segChar = `[^${S}\\n]`;
  const any = `${segChar}+`;
  const tokens = mode === 'suffix' ? ['**', ...d.raw] : [...d.raw, '**'];
  let out = '^';
  let prevSeg = false;
  let star = false;
  for (const t of tokens) {
    if (t === '**') {
      star = true;
      continue;
    }
    if (prevSeg) out += star ? `${S}(?:${any}${S})*` : S;
    else if (star) out += `(?:${any}${S})*`;
    out += t.split('*').map(esc).join(`${segChar}*`) + (calls ? '(?:\\(\\))?' : '');
    prevSeg = true;
    star = false;
  }
  if (star) out += prevSeg ? `(?:${S}${any})*` : '.*';
  const re = new RegExp(out + '$');
  wholeValueCache.set(cacheKey, re);
  return re;
}

/**
 * Segment-suffix match of a dotted value. `normalise` (callees, bases, decorators) ignores `()` call
 * markers and generic parameters; assignment targets are compared as written.
 */
function suffixMatch(d: Dotted, value: string, normalise: boolean): boolean {
  if (d.any) return true;
  if (d.literal !== undefined && (!normalise || (value.indexOf('(') < 0 && value.indexOf('[') < 0 && value.indexOf('<') < 0))) {
    const lit = d.literal;
    return value.length === lit.length ? value === lit : value.length > lit.length && value.endsWith(lit) && value[value.length - lit.length - 1] === '.';
  }
  return matchSuffix(d, normalise ? dottedSegments(value) : value.split('.'));
}

/** Segment-prefix match of a module path (`torch` matches `torch.nn`, never `torchmetrics`). */
function prefixMatch(d: Dotted, value: string, sep: '.' | '/'): boolean {
  if (d.any) return true;
  const lit = d.literal;
  if (lit !== undefined) return value.length === lit.length ? value === lit : value.length > lit.length && value.startsWith(lit) && value[lit.length] === sep;
  return matchPrefix(d, value.split(sep));
}

/** A Python import matches as its module, or as `module.name` for each imported name. */
function pythonImportMatch(d: Dotted, module: string, names: string[]): boolean {
  if (prefixMatch(d, module, '.')) return true;
  const lit = d.literal;
  if (lit !== undefined) {
    // only a pattern longer than the module can reach into the imported names
    if (lit.length <= module.length || !lit.startsWith(module) || lit[module.length] !== '.') return false;
    const rest = lit.slice(module.length + 1);
    return names.some((nm) => nm === rest || (nm.startsWith(rest) && nm[rest.length] === '.'));
  }
  const mod = module.split('.');
  return names.some((nm) => nm !== '*' && matchPrefix(d, [...mod, ...nm.split('.')]));
}

function dottedSegments(value: string): string[] {
  return stripGenerics(value)
    .split('.')
    .map((s) => (s.endsWith('()') ? s.slice(0, -2) : s));
}

/** A case-insensitive search for the literals every match of `re` holds; undefined when there are none worth it. */
function literalTest(re: RegExp): RegExp | undefined {
  const lits = requiredLiterals(re);
  if (!lits || lits.some((l) => l.length < 3)) return undefined;
  return new RegExp(lits.map((l) => l.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'i');
}

function compile(signal: Signal): Compiled {
  const hit = compiledCache.get(signal);
  if (hit) return hit;
  const kind = signalKind(signal);
  const c: Compiled = { kind: kind ?? 'def', signal, fileCache: new WeakMap() };
  try {
    if (!kind) throw new Error('not a signal: no import/call/def/file/configKey/heading/name/assign/text/requirement/all/custom key');
    if (signal.lang && signal.lang.length > 0) {
      c.lang = new Set(signal.lang);
      // A notebook's code cells are Python: `lang: ['python']` covers them.
      if (c.lang.has('python')) c.lang.add('notebook');
    }
    if (signal.paths && signal.paths.length > 0) c.paths = signal.paths.map(compileGlob);
    if (signal.notPaths && signal.notPaths.length > 0) c.notPaths = signal.notPaths.map(compileGlob);
    switch (kind) {
      case 'import': {
        const s = signal as ImportSignal;
        // Two compilations of each pattern: Python modules split on `.`, JS specifiers on `/`.
        c.dotted = list(s.import).flatMap((p) => [compileDotted(p, '.'), compileDotted(p, '/')]);
        if (s.names !== undefined) c.names = regex(s.names);
        break;
      }
      case 'call': {
        const s = signal as CallSignal;
        c.dotted = list(s.call).map((p) => compileDotted(p, '.'));
        if (s.receiver !== undefined) c.receiver = regex(s.receiver);
        if (s.arg0 !== undefined) {
          c.arg0 = regex(s.arg0);
          c.arg0Literal = literalTest(c.arg0);
        }
        if (s.kwValue) c.kwValue = Object.entries(s.kwValue).map(([k, v]) => [k, regex(v)]);
        if (s.notKwValue) c.notKwValue = Object.entries(s.notKwValue).map(([k, v]) => [k, regex(v)]);
        break;
      }
      case 'def': {
        const s = signal as DefSignal;
        if (s.def === undefined && !s.kind?.length && !s.bases?.length && !s.decorators?.length)
          throw new Error('a definition signal needs at least one of def, kind, bases, decorators');
        if (s.def !== undefined) c.regex = regex(s.def);
        if (s.bases?.length) c.bases = s.bases.map((p) => compileDotted(p, '.'));
        if (s.decorators?.length) c.decorators = s.decorators.map((p) => compileDotted(p, '.'));
        break;
      }
      case 'file':
        c.globs = list((signal as FileSignal).file).map(compileGlob);
        break;
      case 'configKey': {
        const s = signal as ConfigKeySignal;
        c.regex = regex(s.configKey);
        if (s.value !== undefined) c.value = regex(s.value);
        break;
      }
      case 'heading':
        c.regex = regex((signal as HeadingSignal).heading);
        break;
      case 'name':
        c.regex = regex((signal as NameSignal).name);
        break;
      case 'assign': {
        const s = signal as AssignSignal;
        c.dotted = [compileDotted(s.assign, '.')];
        if (s.value !== undefined) c.value = regex(s.value);
        break;
      }
      case 'text':
        c.regex = regex((signal as TextSignal).text);
        break;
      case 'requirement':
        c.regex = regex((signal as RequirementSignal).requirement);
        break;
      case 'cooccur': {
        const s = signal as CooccurSignal;
        if (!Array.isArray(s.all) || s.all.length === 0) throw new Error('a cooccurrence signal needs a non-empty `all`');
        c.inner = s.all.map(compile);
        const bad = c.inner.find((i) => i.error);
        if (bad) throw new Error(`inner signal: ${bad.error}`);
        break;
      }
      case 'custom':
        break;
    }
    c.usesText = kind === 'text' || (c.inner ?? []).some((i) => i.usesText);
    const contextual = kind === 'custom' || (c.inner ?? []).some((i) => i.cacheKey === undefined);
    if (!contextual) c.cacheKey = JSON.stringify(signal);
  } catch (e) {
    c.error = e instanceof Error ? e.message : String(e);
  }
  compiledCache.set(signal, c);
  return c;
}

// ---------------------------------------------------------------------------------------------
// File filters

const FILE_LEVEL_KINDS = new Set<SignalKind>(['heading', 'file', 'custom']);

/** The common filters: vendored never, prose only for headings/files, the test-file rule, lang/paths/notPaths. */
function fileOk(c: Compiled, st: MatchState, fi: number): boolean {
  if (st.allow && !st.allow.has(fi)) return false;
  const { index, policy } = st;
  const flags = index.fileFlags(fi);
  if (flags & FILE_VENDORED) return false;
  if (flags & FILE_PROSE && !FILE_LEVEL_KINDS.has(c.kind)) return false;
  const isTest = (flags & FILE_TEST) !== 0;
  if (policy === 'exclude' ? isTest : policy === 'only' ? !isTest : false) return false;
  if (!c.lang && !c.paths && !c.notPaths) return true;
  let cache = c.fileCache.get(index);
  if (!cache) {
    cache = new Uint8Array(index.files.length);
    c.fileCache.set(index, cache);
  }
  if (cache[fi] === 0) {
    const f = index.files[fi];
    const ok =
      (!c.lang || c.lang.has(f.language)) &&
      (!c.paths || c.paths.some((re) => re.test(f.path))) &&
      (!c.notPaths || !c.notPaths.some((re) => re.test(f.path)));
    cache[fi] = ok ? 1 : 2;
  }
  return cache[fi] === 1;
}

// ---------------------------------------------------------------------------------------------
// Excerpts (built from facts: the same report whether or not a file's text is still in memory)

const EXCERPT_MAX = 160;

const SECRET_PATTERNS: RegExp[] = [
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/g,
];
const SECRET_ASSIGN = /\b([\w.]*(?:password|passwd|secret|token|api_?key|access_?key|private_?key)\w*)(\s*[=:]\s*)(['"`])([^'"`]{4,})\3/gi;

/** Mask what looks like a credential: an excerpt must never carry a secret whole. */
export function maskSecrets(text: string): string {
  let out = text;
  for (const re of SECRET_PATTERNS) out = out.replace(re, (m) => `${m.slice(0, 4)}****`);
  return out.replace(SECRET_ASSIGN, (_m, name: string, eq: string, q: string, v: string) => `${name}${eq}${q}${v.slice(0, 2)}****${q}`);
}

/** One line, secrets masked, at most 160 characters. */
export function excerptOf(text: string): string {
  const one = maskSecrets(text.replace(/\s+/g, ' ').trim());
  return one.length > EXCERPT_MAX ? one.slice(0, EXCERPT_MAX - 1) + '…' : one;
}

function short(s: string, max = 40): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

function isPython(f: FileFacts): boolean {
  return f.language === 'python' || f.language === 'notebook';
}

function importExcerpt(f: FileFacts, i: number): string {
  const imp = f.imports[i];
  const names = imp.names.join(', ');
  if (isPython(f)) return imp.kind === 'from' ? `from ${imp.module} import ${names}` : `import ${imp.module}`;
  const spec = `'${imp.module}'`;
  switch (imp.kind) {
    case 'require':
      return `require(${spec})`;
    case 'dynamic':
      return `import(${spec})`;
    case 'export-from':
      return `export { ${names} } from ${spec}`;
    default:
      return `import ${imp.typeOnly ? 'type ' : ''}${names ? `{ ${names} } from ` : ''}${spec}`;
  }
}

function callExcerpt(f: FileFacts, i: number, withArg0: boolean): string {
  const cols = columnsOf(f);
  const callee = cols.callee(i);
  const args = cols.args(i);
  const kws = Object.entries(cols.kwargs(i));
  const parts: string[] = [];
  if (args.length > 0 && (kws.length === 0 || withArg0)) parts.push(...args.slice(0, kws.length === 0 ? 2 : 1).map((a) => short(a)));
  if (isPython(f)) {
    for (const [k, v] of kws) parts.push(`${k}=${short(v)}`);
    return `${callee}(${parts.join(', ')})`;
  }
  if (kws.length > 0) parts.push(`{ ${kws.map(([k, v]) => `${k}: ${short(v)}`).join(', ')} }`);
  return `${callee}(${parts.join(', ')})`;
}

/** `def build_model`, `class Net(torch.nn.Module)`, `@hydra.main def main`, `function createModel`, `interface Options`. */
export function definitionExcerpt(f: FileFacts, i: number, decorator?: string): string {
  const d = f.definitions[i];
  const deco = decorator ? `@${decorator} ` : '';
  const asyncPrefix = d.async ? 'async ' : '';
  if (isPython(f)) {
    if (d.kind === 'class') return `${deco}class ${d.name}${d.bases.length ? `(${d.bases.join(', ')})` : ''}`;
    if (d.kind === 'variable') return `${d.name} =`;
    if (d.kind === 'function' || d.kind === 'method') return `${deco}${asyncPrefix}def ${d.name}`;
    return `${d.kind} ${d.name}`;
  }
  switch (d.kind) {
    case 'class':
      return `${deco}class ${d.name}${d.bases.length ? ` extends ${d.bases.join(', ')}` : ''}`;
    case 'function':
      return `${asyncPrefix}function ${d.name}`;
    case 'method':
      return `${deco}${asyncPrefix}${d.parent ? `${d.parent}.` : ''}${d.name}()`;
    case 'variable':
      return `const ${d.name}`;
    default:
      return `${d.kind} ${d.name}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Matching

/**
 * One match before it becomes Evidence. Excerpts are built only for the evidence that is kept (a
 * broad signal can match tens of thousands of facts), from `src` and `item`.
 */
interface Hit {
  fi: number;
  line: number;
  /** Position of the fact in the list the producing signal reads (calls, imports, definitions, ...). */
  item: number;
  /** The compiled signal that produced the hit. */
  src: Compiled;
  /** Known up front for text and custom matches. */
  excerpt?: string;
  /** qualName of the enclosing function/class ('' = module top level); undefined = derive from the line. */
  scope?: string;
}

interface MatchState {
  index: RepoIndex;
  ctx: SignalContext;
  policy: TestFilePolicy;
  notes: string[];
  /** Only these files (cooccurrence: the files every earlier inner signal matched in); never cached. */
  allow?: Set<number>;
}

/** Sorted, deduplicated hits per index, per test-file policy and signal content. */
const hitCache = new WeakMap<RepoIndex, Map<string, Hit[]>>();
/**
 * Longer hit lists are not kept: a broad signal (every logger call of a large repository) would hold
 * its hits for the whole audit, in proportion to the repository; matching it again costs less.
 */
const HIT_CACHE_MAX = 20_000;

function report(st: MatchState, c: Compiled, message: string): void {
  const issue: SignalIssue = { message, signal: c.signal, capability: st.ctx.capability, subfeature: st.ctx.subfeature };
  if (st.ctx.onIssue) st.ctx.onIssue(issue);
  else throw new Error(`signal ${JSON.stringify(c.signal)}: ${message}`);
}

/** Candidate references from a table keyed by last (or first) segment, for a pattern's end (or start) segment. */
function candidatesByKey(table: KeyTable, m: SegMatcher | undefined): Int32Array[] {
  if (!m || 'star2' in m) return [table.all()];
  if ('lit' in m) {
    const hit = table.get(m.lit);
    return hit ? [hit] : [];
  }
  return table.search(m.re).map((k) => table.refs(k));
}

const NO_REFS = new Int32Array(0);

/** Candidates for a suffix pattern: by its last segment, or (`torchdata.**`) by one pass over the whole values. */
function dottedCandidates(d: Dotted, byLast: KeyTable, whole: () => KeyTable): Int32Array[] {
  const last = d.segs[d.segs.length - 1];
  if (d.any) return [byLast.all()];
  if (!('star2' in last) && !('pure' in last && last.pure)) return candidatesByKey(byLast, last);
  const table = whole();
  return table.search(wholeValueRegex(d, 'suffix', false)).map((k) => table.refs(k));
}

function matchImport(c: Compiled, st: MatchState): Hit[] {
  const { index } = st;
  const { python, script } = index.lookup.importsByFirstSegment();
  const hits: Hit[] = [];
  (c.dotted ?? []).forEach((d, n) => {
    const py = n % 2 === 0; // compile() interleaves the `.` and the `/` compilation of each pattern
    const [s0, s1] = d.segs;
    let sources: Int32Array[];
    let exact = false;
    if (py && s1 && 'lit' in s0 && 'lit' in s1) {
      // `torch.cuda.amp` looks among `torch.cuda*` imports only, not every torch import.
      sources = [index.lookup.pythonImportsByTwoSegments().get(`${s0.lit}.${s1.lit}`) ?? NO_REFS];
    } else if ('lit' in s0) {
      sources = candidatesByKey(py ? python : script, s0);
    } else {
      // `**.train*`: check each distinct import path once instead of every import.
      const paths = py ? index.lookup.importsByPath().python : index.lookup.importsByPath().script;
      sources = paths.search(wholeValueRegex(d, 'prefix', false)).map((k) => paths.refs(k));
      exact = true;
    }
    for (const refs of sources) {
      for (let r = 0; r < refs.length; r += 2) {
        const fi = refs[r];
        const i = refs[r + 1];
        if (!fileOk(c, st, fi)) continue;
        const imp = index.files[fi].imports[i];
        if (imp.typeOnly) continue; // erased at compile time: no code runs
        if (!exact && !(py ? pythonImportMatch(d, imp.module, imp.names) : prefixMatch(d, imp.module.replace(/^node:/, ''), '/'))) continue;
        if (c.names && !imp.names.some((nm) => (c.names as RegExp).test(nm))) continue;
        hits.push({ fi, line: imp.line, item: i, src: c });
      }
    }
  });
  return hits;
}

function matchCall(c: Compiled, st: MatchState): Hit[] {
  const { index } = st;
  const s = c.signal as CallSignal;
  const byLast = index.lookup.callsByLastSegment();
  const hits: Hit[] = [];
  for (const d of c.dotted ?? []) {
    const last = d.segs[d.segs.length - 1];
    let sources: Int32Array[];
    // Candidates by the last segment already match a one-segment pattern.
    let keyed = d.segs.length === 1;
    const anyLast = 'star2' in last || ('pure' in last && last.pure);
    const everything = d.any || (d.segs.length === 1 && anyLast);
    if (!anyLast) {
      sources = candidatesByKey(byLast, last);
    } else if (!everything) {
      // `lr_scheduler.*`, `tf.data.**`: one regex pass over the distinct callees.
      const byCallee = index.lookup.callsByCallee();
      sources = byCallee.search(wholeValueRegex(d, 'suffix', true)).map((k) => byCallee.refs(k));
      keyed = true;
    } else if (s.kw?.length || c.kwValue?.length) {
      // `call: '**', kw: [...]`: the keyword index is far smaller than every call of the repository.
      const byKw = index.lookup.callsByKeyword();
      const names = s.kw?.length ? s.kw : [(c.kwValue as [string, RegExp][])[0][0]];
      sources = names.map((k) => byKw.get(k) ?? NO_REFS);
      keyed = true;
    } else {
      // `call: '**', arg0: ...` (or nothing): every call of every file that counts, file by file.
      scanAllCalls(c, st, hits);
      continue;
    }
    // Packed columns, not fact objects: references jump between files, and nothing need be built.
    let colsOf = -1;
    let cols: FactColumns | undefined;
    for (const refs of sources) {
      for (let r = 0; r < refs.length; r += 2) {
        const fi = refs[r];
        const i = refs[r + 1];
        if (!fileOk(c, st, fi)) continue;
        if (fi !== colsOf) {
          cols = columnsOf(index.files[fi]);
          colsOf = fi;
        }
        const col = cols as FactColumns;
        const callee = col.callee(i);
        if (!keyed && !suffixMatch(d, callee, true)) continue;
        if (!callChecks(c, callee, col.kwargs(i), col, i)) continue;
        hits.push({ fi, line: col.callLine(i), item: i, src: c, scope: col.callScope(i) });
      }
    }
  }
  return hits;
}

/** `call: '**'` without keywords: each file that counts is checked once, then its calls in order. */
function scanAllCalls(c: Compiled, st: MatchState, hits: Hit[]): void {
  const files = st.index.files;
  for (let fi = 0; fi < files.length; fi++) {
    if (!fileOk(c, st, fi)) continue;
    const cols = columnsOf(files[fi]);
    const n = cols.callCount;
    for (let i = 0; i < n; i++) {
      if (!callChecks(c, cols.callee(i), cols.kwargs(i), cols, i)) continue;
      hits.push({ fi, line: cols.callLine(i), item: i, src: c, scope: cols.callScope(i) });
    }
  }
}

function arg0Ok(c: Compiled, args: readonly string[]): boolean {
  const re = c.arg0 as RegExp;
  return args.length > 0 && (!c.arg0Literal || c.arg0Literal.test(args[0])) && re.test(args[0]);
}

/** Where a call's positional arguments are read from (packed columns, or one CallFact). */
interface ArgsSource {
  args(i: number): readonly string[];
}

/**
 * What a call signal asks of a call besides its callee: receiver, keywords present or absent, keyword
 * values, first argument. The arguments (`args.args(i)`) are read only when the signal has an `arg0`.
 */
function callChecks(c: Compiled, callee: string, kwargs: Readonly<Record<string, string>>, args: ArgsSource, i: number): boolean {
  const s = c.signal as CallSignal;
  if (c.receiver) {
    const dot = callee.lastIndexOf('.');
    if (!c.receiver.test(dot < 0 ? '' : callee.slice(0, dot))) return false;
  }
  if (s.kw && s.kw.length > 0 && !s.kw.some((k) => k in kwargs)) return false;
  if (s.withoutKw && s.withoutKw.some((k) => k in kwargs)) return false;
  if (c.kwValue && !c.kwValue.every(([k, re]) => k in kwargs && re.test(unquote(kwargs[k])))) return false;
  if (c.notKwValue && c.notKwValue.some(([k, re]) => k in kwargs && re.test(unquote(kwargs[k])))) return false;
  if (c.arg0 && !arg0Ok(c, args.args(i))) return false;
  return true;
}

function matchingDecorator(c: Compiled, decorators: string[]): string | undefined {
  return decorators.find((x) => (c.decorators as Dotted[]).some((p) => suffixMatch(p, x, true)));
}

function matchDef(c: Compiled, st: MatchState): Hit[] {
  const { index } = st;
  const s = c.signal as DefSignal;
  const lookup = index.lookup;
  let sources: Int32Array[];
  if (c.regex) {
    const table = lookup.definitionNames();
    sources = table.search(c.regex).map((k) => table.refs(k));
  } else if (c.bases) {
    sources = c.bases.flatMap((d) => dottedCandidates(d, lookup.definitionsByBase(), () => lookup.definitionsByBaseText()));
  } else if (c.decorators) {
    sources = c.decorators.flatMap((d) => dottedCandidates(d, lookup.definitionsByDecorator(), () => lookup.definitionsByDecoratorText()));
  } else {
    const byKind = lookup.definitionsByKind();
    sources = (s.kind ?? []).map((k) => byKind.get(k) ?? NO_REFS);
  }
  const kinds = s.kind && s.kind.length > 0 ? new Set(s.kind) : undefined;
  const hits: Hit[] = [];
  for (const refs of sources) {
    for (let r = 0; r < refs.length; r += 2) {
      const fi = refs[r];
      const i = refs[r + 1];
      if (!fileOk(c, st, fi)) continue;
      const d = index.files[fi].definitions[i];
      if (kinds && !kinds.has(d.kind)) continue;
      if (c.regex && !c.regex.test(d.name)) continue;
      if (c.bases && !d.bases.some((b) => (c.bases as Dotted[]).some((p) => suffixMatch(p, b, true)))) continue;
      if (c.decorators && matchingDecorator(c, d.decorators) === undefined) continue;
      // A definition statement belongs to the scope that holds it.
      hits.push({ fi, line: d.line, item: i, src: c, scope: d.parent });
    }
  }
  return hits;
}

function matchFile(c: Compiled, st: MatchState): Hit[] {
  const { index } = st;
  const table = index.lookup.paths();
  const hits: Hit[] = [];
  for (const re of c.globs ?? []) {
    for (const k of table.search(re)) {
      const fi = table.refs(k)[0];
      if (fileOk(c, st, fi)) hits.push({ fi, line: 1, item: 0, src: c, scope: '' });
    }
  }
  return hits;
}

/** Regex over a key table, then per-fact checks (`accept`) and the fact's line and scope. */
function matchKeyed(
  c: Compiled,
  st: MatchState,
  table: KeyTable,
  fact: (f: FileFacts, i: number) => { line: number; scope?: string } | undefined,
): Hit[] {
  const { index } = st;
  const hits: Hit[] = [];
  for (const k of table.search(c.regex as RegExp)) {
    const refs = table.refs(k);
    for (let r = 0; r < refs.length; r += 2) {
      const fi = refs[r];
      if (!fileOk(c, st, fi)) continue;
      const i = refs[r + 1];
      const h = fact(index.files[fi], i);
      if (h) hits.push({ fi, line: h.line, item: i, src: c, scope: h.scope });
    }
  }
  return hits;
}

function matchConfigKey(c: Compiled, st: MatchState): Hit[] {
  if (c.value && !st.allow && !requiredLiterals(c.regex as RegExp) && requiredLiterals(c.value)) {
    // `configKey: '.', value: ...`: the value is the selective part.
    const byValue = st.index.lookup.configKeysByValue();
    const hits: Hit[] = [];
    for (const k of byValue.search(c.value)) {
      const refs = byValue.refs(k);
      for (let r = 0; r < refs.length; r += 2) {
        const fi = refs[r];
        if (!fileOk(c, st, fi)) continue;
        const i = refs[r + 1];
        const ck = st.index.files[fi].configKeys[i];
        if ((c.regex as RegExp).test(ck.key)) hits.push({ fi, line: ck.line, item: i, src: c, scope: '' });
      }
    }
    return hits;
  }
  return matchKeyed(c, st, st.index.lookup.configKeys(), (f, i) => {
    const k = f.configKeys[i];
    if (c.value && (k.value === undefined || !c.value.test(unquote(k.value)))) return undefined;
    return { line: k.line, scope: '' };
  });
}

function matchHeading(c: Compiled, st: MatchState): Hit[] {
  return matchKeyed(c, st, st.index.lookup.headings(), (f, i) => ({ line: f.headings[i].line, scope: '' }));
}

function matchName(c: Compiled, st: MatchState): Hit[] {
  return matchKeyed(c, st, st.index.lookup.names(), (f, i) => {
    const cols = columnsOf(f);
    return { line: cols.nameLine(i), scope: cols.nameScope(i) };
  });
}

function matchAssign(c: Compiled, st: MatchState): Hit[] {
  const { index } = st;
  const s = c.signal as AssignSignal;
  const d = (c.dotted as Dotted[])[0];
  const kinds = s.valueKind && s.valueKind.length > 0 ? new Set(s.valueKind) : undefined;
  const hits: Hit[] = [];
  const last = d.segs[d.segs.length - 1];
  let keyed = d.segs.length === 1;
  let sources: Int32Array[];
  const everything = d.any || (d.segs.length === 1 && 'pure' in last && last.pure);
  if (everything && st.allow) {
    // within a cooccurrence: the few files left are cheaper to read than any table to build
    sources = [index.lookup.inFileOrder('assignments', st.allow)];
    keyed = true;
  } else if (everything && c.value && requiredLiterals(c.value)) {
    // `assign: '*', value: ...`: the value is the selective part.
    const byValue = index.lookup.assignmentsByValue();
    sources = byValue.search(c.value).map((k) => byValue.refs(k));
    keyed = true;
  } else if (!d.any && ('star2' in last || ('pure' in last && last.pure))) {
    // `wandb.config.*`: one regex pass over the distinct targets.
    const byTarget = index.lookup.assignmentsByTarget();
    sources = byTarget.search(wholeValueRegex(d, 'suffix', false)).map((k) => byTarget.refs(k));
    keyed = true;
  } else sources = candidatesByKey(index.lookup.assignmentsByLastSegment(), last);
  let colsOf = -1;
  let cols: FactColumns | undefined;
  for (const refs of sources) {
    for (let r = 0; r < refs.length; r += 2) {
      const fi = refs[r];
      const i = refs[r + 1];
      if (!fileOk(c, st, fi)) continue;
      if (fi !== colsOf) {
        cols = columnsOf(index.files[fi]);
        colsOf = fi;
      }
      const col = cols as FactColumns;
      if (kinds && !kinds.has(col.valueKind(i))) continue;
      if (!keyed && !suffixMatch(d, col.target(i), false)) continue;
      if (c.value && !c.value.test(unquote(col.value(i)))) continue;
      hits.push({ fi, line: col.assignmentLine(i), item: i, src: c, scope: col.assignmentScope(i) });
    }
  }
  return hits;
}

function matchText(c: Compiled, st: MatchState): Hit[] {
  const { index, ctx } = st;
  const s = c.signal as TextSignal;
  const re = c.regex as RegExp;
  const hits: Hit[] = [];
  const fromText = new Set<number>();
  if (ctx.sourceText) {
    const scan = new RegExp(re.source, 'gim');
    index.files.forEach((f, fi) => {
      if (!fileOk(c, st, fi)) return;
      const text = ctx.sourceText?.(f.path);
      if (text === undefined) return;
      fromText.add(fi);
      scan.lastIndex = 0;
      let line = 1;
      let pos = 0;
      let lastLine = -1;
      let m: RegExpExecArray | null;
      while ((m = scan.exec(text)) !== null) {
        for (let nl = text.indexOf('\n', pos); nl !== -1 && nl < m.index; nl = text.indexOf('\n', nl + 1)) {
          line++;
          pos = nl + 1;
        }
        if (line !== lastLine) {
          const end = text.indexOf('\n', m.index);
          hits.push({ fi, line, item: 0, src: c, excerpt: text.slice(pos, end < 0 ? text.length : end) });
          lastLine = line;
        }
        if (m[0].length === 0) scan.lastIndex++;
      }
    });
  }
  const refs = index.lookup.textMatchesByPattern().get(s.text) ?? NO_REFS;
  for (let r = 0; r < refs.length; r += 2) {
    const fi = refs[r];
    if (fromText.has(fi) || !fileOk(c, st, fi)) continue;
    const m = (index.files[fi].textMatches ?? [])[refs[r + 1]];
    hits.push({ fi, line: m.line, item: refs[r + 1], src: c, excerpt: m.excerpt });
  }
  return hits;
}

function matchRequirement(c: Compiled, st: MatchState): Hit[] {
  const { index } = st;
  const re = c.regex as RegExp;
  const table = index.lookup.requirements();
  const hits: Hit[] = [];
  table.keys.forEach((name, k) => {
    if (!re.test(name) && !re.test(normaliseRequirement(name))) return;
    const refs = table.refs(k);
    for (let r = 0; r < refs.length; r += 2) {
      const fi = refs[r];
      if (!fileOk(c, st, fi)) continue;
      const i = refs[r + 1];
      hits.push({ fi, line: index.files[fi].requirements[i].line, item: i, src: c, scope: '' });
    }
  });
  return hits;
}

/** The containing scopes a hit counts for: its own scope and every enclosing function/class, or ''. */
function scopesOf(scope: string): string[] {
  if (scope === '') return [''];
  const parts = scope.split('.');
  const out: string[] = [];
  for (let n = parts.length; n >= 1; n--) out.push(parts.slice(0, n).join('.'));
  return out;
}

function matchCooccur(c: Compiled, st: MatchState): Hit[] {
  const { index } = st;
  const s = c.signal as CooccurSignal;
  const inner = c.inner as Compiled[];
  const groups: Map<string, Hit>[] = [];
  let files: Set<number> | undefined;
  for (const ic of inner) {
    const map = new Map<string, Hit>();
    const seenFiles = new Set<number>();
    // Only files every earlier inner signal matched in can hold a group: match only there.
    const restricted: MatchState = files ? { ...st, allow: st.allow ? new Set([...files].filter((f) => st.allow?.has(f))) : files } : st;
    for (const h of hitsOf(ic, restricted)) {
      if (!fileOk(c, st, h.fi)) continue;
      seenFiles.add(h.fi);
      if (s.within === 'file') {
        const key = String(h.fi);
        if (!map.has(key)) map.set(key, h);
        continue;
      }
      const scope = h.scope ?? index.enclosingDefinition(index.files[h.fi].path, h.line)?.qualName ?? '';
      for (const sc of scopesOf(scope)) {
        const key = `${h.fi}\0${sc}`;
        if (!map.has(key)) map.set(key, h);
      }
    }
    groups.push(map);
    files = seenFiles;
    if (map.size === 0) return [];
  }
  const hits: Hit[] = [];
  for (const key of groups[0].keys()) {
    if (!groups.every((g) => g.has(key))) continue;
    const scope = s.within === 'scope' ? key.slice(key.indexOf('\0') + 1) : undefined;
    for (const g of groups) hits.push({ ...(g.get(key) as Hit), scope });
  }
  return hits;
}

function matchCustom(c: Compiled, st: MatchState): Hit[] {
  const { index, ctx } = st;
  const name = (c.signal as CustomSignal).custom;
  const fn = ctx.customSignals?.[name] ?? customRegistry.get(name);
  if (!fn) {
    report(st, c, `unknown custom detector "${name}"`);
    return [];
  }
  let result: CustomSignalResult;
  try {
    result = fn(index, ctx);
  } catch (e) {
    report(st, c, `custom detector "${name}" failed: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
  const evidence = Array.isArray(result) ? result : result.evidence;
  if (!Array.isArray(result) && result.note) st.notes.push(result.note);
  const hits: Hit[] = [];
  for (const e of evidence) {
    const fi = index.fileIndex(e.path);
    if (fi < 0 || !fileOk(c, st, fi)) continue;
    hits.push({ fi, line: e.line, item: 0, src: c, excerpt: e.excerpt });
  }
  return hits;
}

function matchCompiled(c: Compiled, st: MatchState): Hit[] {
  if (readsFactLists(c) && !declaredFor(st.index, c)) {
    // Undeclared: its facts may have been dropped before detection (see src/model/fact-use.ts).
    report(st, c, 'this signal reads calls, assignments or names but was not declared where facts are kept (declareSignals in src/model/fact-use.ts): its matches may be incomplete');
  }
  switch (c.kind) {
    case 'import':
      return matchImport(c, st);
    case 'call':
      return matchCall(c, st);
    case 'def':
      return matchDef(c, st);
    case 'file':
      return matchFile(c, st);
    case 'configKey':
      return matchConfigKey(c, st);
    case 'heading':
      return matchHeading(c, st);
    case 'name':
      return matchName(c, st);
    case 'assign':
      return matchAssign(c, st);
    case 'text':
      return matchText(c, st);
    case 'requirement':
      return matchRequirement(c, st);
    case 'cooccur':
      return matchCooccur(c, st);
    case 'custom':
      return matchCustom(c, st);
  }
}

/** The hits of a compiled signal, sorted by file then line, one per location; cached when they depend on nothing but the index. */
function hitsOf(c: Compiled, st: MatchState): Hit[] {
  if (c.error) {
    report(st, c, c.error);
    return [];
  }
  const cacheable = c.cacheKey !== undefined && !(c.usesText && st.ctx.sourceText) && !st.allow;
  let cache: Map<string, Hit[]> | undefined;
  const key = `${st.policy}\0${c.cacheKey}`;
  if (cacheable) {
    cache = hitCache.get(st.index);
    if (!cache) {
      cache = new Map();
      hitCache.set(st.index, cache);
    }
    const hit = cache.get(key);
    if (hit) return hit;
    if (st.policy !== 'include' && c.kind !== 'cooccur') {
      // Match once over every file, then keep the test files the policy allows (a scope or a file
      // lies in one file, so cooccurrence groups survive the filter whole).
      const all = hitsOf(c, { ...st, policy: 'include' });
      const only = st.policy === 'only';
      const kept = all.filter((h) => ((st.index.fileFlags(h.fi) & FILE_TEST) !== 0) === only);
      if (kept.length <= HIT_CACHE_MAX) cache.set(key, kept);
      return kept;
    }
  }
  // Calls, assignments and names on one line: the first in the file's list wins, whatever the table
  // order (so the kept fact is the same when the lists hold only the facts detectors use).
  const byItem = readsFactLists(c);
  const raw = matchCompiled(c, st).sort((a, b) => a.fi - b.fi || a.line - b.line || (byItem ? a.item - b.item : 0));
  const hits: Hit[] = [];
  for (const h of raw) {
    const prev = hits[hits.length - 1];
    if (!prev || prev.fi !== h.fi || prev.line !== h.line) hits.push(h);
  }
  if (hits.length <= HIT_CACHE_MAX) cache?.set(key, hits);
  return hits;
}

function excerptText(index: RepoIndex, h: Hit): string {
  if (h.excerpt !== undefined) return h.excerpt;
  const f = index.files[h.fi];
  const c = h.src;
  switch (c.kind) {
    case 'import':
      return importExcerpt(f, h.item);
    case 'call':
      return callExcerpt(f, h.item, c.arg0 !== undefined);
    case 'def':
      return definitionExcerpt(f, h.item, c.decorators ? matchingDecorator(c, f.definitions[h.item].decorators) : undefined);
    case 'configKey': {
      const k = f.configKeys[h.item];
      return k.value === undefined ? k.key : `${k.key}=${k.value}`;
    }
    case 'heading': {
      const hd = f.headings[h.item];
      return `${'#'.repeat(Math.max(1, hd.level))} ${hd.text}`;
    }
    case 'name':
      return columnsOf(f).name(h.item);
    case 'assign': {
      const cols = columnsOf(f);
      return `${cols.target(h.item)} = ${cols.value(h.item)}`;
    }
    case 'requirement': {
      const r = f.requirements[h.item];
      return `${r.name}${r.spec ? ` ${r.spec}` : ''}`;
    }
    default:
      return f.path;
  }
}

/** One match of a signal: a location; its excerpt is built on request. */
export interface SignalHit {
  /** Position of the file in `RepoIndex.files`. */
  readonly fi: number;
  readonly line: number;
}

/** The matches of a signal, with excerpts built only for the ones that are shown. */
export interface SignalMatches {
  /** Sorted by path (file position), then line; one per location. Do not mutate. */
  readonly hits: readonly SignalHit[];
  /** The evidence excerpt of a hit (one line, at most 160 characters, secrets masked). */
  excerpt(hit: SignalHit): string;
  /** Measured notes from custom detectors (e.g. docstring coverage). */
  readonly notes: string[];
  /**
   * True for a `requirement` signal without `counts: true`: a declared dependency, which by the
   * model is not evidence on its own (detect never makes a sub-feature present from it alone).
   */
  readonly weak: boolean;
}

/** Match a signal without building every excerpt (what detect uses). */
export function collectMatches(signal: Signal, index: RepoIndex, ctx: SignalContext = {}): SignalMatches {
  const c = compile(signal);
  const st: MatchState = { index, ctx, policy: ctx.testFiles ?? testFilePolicy(ctx.subfeature), notes: [] };
  const hits = hitsOf(c, st);
  const weak = c.kind === 'requirement' && (signal as RequirementSignal).counts !== true;
  return { hits, excerpt: (h) => excerptOf(excerptText(index, h as Hit)), notes: st.notes, weak };
}

/** The result of evaluating one signal, every excerpt built. */
export interface SignalOutcome {
  /** Sorted by path, then line; one per path:line. */
  evidence: Evidence[];
  notes: string[];
  weak: boolean;
}

export function evaluateSignal(signal: Signal, index: RepoIndex, ctx: SignalContext = {}): SignalOutcome {
  const m = collectMatches(signal, index, ctx);
  const evidence = m.hits.map((h) => ({ path: index.files[h.fi].path, line: h.line, excerpt: m.excerpt(h) }));
  return { evidence, notes: m.notes, weak: m.weak };
}

/** Every match of a signal as evidence, sorted by path then line (see the conventions in capability.ts). */
export function matchSignal(signal: Signal, index: RepoIndex, ctx: SignalContext = {}): Evidence[] {
  return evaluateSignal(signal, index, ctx).evidence;
}

/** Compile a signal ahead of use; returns the problem when it cannot be compiled (for config validation). */
export function checkSignal(signal: Signal): string | undefined {
  return compile(signal).error;
}

// ---------------------------------------------------------------------------------------------
// Which facts signals can use (src/model/fact-use.ts)

/** The compiled signals a filter was built from, per index built over filtered facts. */
const filteredIndexes = new WeakMap<RepoIndex, ReadonlySet<string>>();

/** Record that `index` holds only the facts kept for these signal keys (`SignalFactUse.keys`). */
export function markFilteredIndex(index: RepoIndex, keys: ReadonlySet<string>): void {
  filteredIndexes.set(index, keys);
}

function signalKey(c: Compiled): string {
  return c.cacheKey ?? JSON.stringify(c.signal);
}

function declaredFor(index: RepoIndex, c: Compiled): boolean {
  const keys = filteredIndexes.get(index);
  return keys === undefined || keys.has(signalKey(c));
}

/** Signals matched against calls, assignments or names (the lists workers cut down). */
function readsFactLists(c: Compiled): boolean {
  return c.kind === 'call' || c.kind === 'assign' || c.kind === 'name';
}

/** The distinct call, assignment and name signals among these (inner signals of `all` too), and their keys. */
function factListSignals(signals: readonly Signal[]): { keys: Set<string>; list: Compiled[] } {
  const keys = new Set<string>();
  const list: Compiled[] = [];
  const visit = (c: Compiled): void => {
    if (c.error) return;
    if (c.kind === 'cooccur') for (const i of c.inner ?? []) visit(i);
    if (!readsFactLists(c) || keys.has(signalKey(c))) return;
    keys.add(signalKey(c));
    list.push(c);
  };
  for (const s of signals) visit(compile(s));
  return { keys, list };
}

/** Content keys of the call, assignment and name signals among these (for `markFilteredIndex`). */
export function factSignalKeys(signals: readonly Signal[]): Set<string> {
  return factListSignals(signals).keys;
}

/** The calls, assignments and names a set of signals can match, as predicates (file filters ignored: a superset). */
export interface SignalFactUse {
  /** Every call of this callee can match (decided once per distinct callee). */
  callee(callee: string): boolean;
  /** This call can match (callee-level verdicts included). */
  call(c: CallFact): boolean;
  assignment(a: AssignmentFact): boolean;
  name(name: string): boolean;
  /** Content keys of every call, assignment and name signal covered (inner signals of `all` too). */
  keys: Set<string>;
}

interface Candidate {
  c: Compiled;
  d: Dotted;
  /** The last segment matched the key: the whole value must still match the pattern. */
  suffix: boolean;
  re?: RegExp;
}

/** Per distinct callee or target: some signal matches every fact of it, or these need the fact's checks. */
interface ValueVerdict {
  always: boolean;
  rest: Compiled[];
}

function push<T>(map: Map<string, T[]>, key: string, v: T): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}

function receiverOk(c: Compiled, callee: string): boolean {
  if (!c.receiver) return true;
  const dot = callee.lastIndexOf('.');
  return c.receiver.test(dot < 0 ? '' : callee.slice(0, dot));
}

/** The signal asks more of a call than its callee. */
function needsCallFact(c: Compiled): boolean {
  const s = c.signal as CallSignal;
  return Boolean(s.kw?.length || s.withoutKw?.length || c.kwValue || c.notKwValue || c.arg0);
}

/**
 * Predicates equivalent to the matchers above, one fact at a time: a fact is kept when some signal
 * could match it through the same candidate tables and checks (lang, paths and the test-file rule are
 * left out, so the predicates keep a superset of what matching will use).
 */
export function signalFactUse(signals: readonly Signal[]): SignalFactUse {
  const { keys, list } = factListSignals(signals);
  const calls = list.filter((c) => c.kind === 'call');
  const assigns = list.filter((c) => c.kind === 'assign');
  const names = list.filter((c) => c.kind === 'name');

  // Calls, as matchCall finds candidates: by the callee's last segment (literal or regex), by a
  // whole-callee regex, by a keyword (`call: '**', kw: [...]`), or every call (`call: '**', arg0: ...`).
  const byLast = new Map<string, Candidate[]>();
  const lastRe: Candidate[] = [];
  const whole: Candidate[] = [];
  const byKw = new Map<string, Compiled[]>();
  const every: Compiled[] = [];
  for (const c of calls) {
    const s = c.signal as CallSignal;
    for (const d of c.dotted ?? []) {
      const last = d.segs[d.segs.length - 1];
      const anyLast = 'star2' in last || ('pure' in last && last.pure);
      const everything = d.any || (d.segs.length === 1 && anyLast);
      const suffix = d.segs.length > 1;
      if (!anyLast && 'lit' in last) push(byLast, last.lit, { c, d, suffix });
      else if (!anyLast && 're' in last) lastRe.push({ c, d, suffix, re: last.re });
      else if (!everything) whole.push({ c, d, suffix: false, re: wholeValueRegex(d, 'suffix', true) });
      else if (s.kw?.length || c.kwValue?.length) for (const k of s.kw?.length ? s.kw : [(c.kwValue as [string, RegExp][])[0][0]]) push(byKw, k, c);
      else every.push(c);
    }
  }
  const calleeVerdict = (callee: string): ValueVerdict => {
    const key = calleeKey(callee);
    const cands = [...(byLast.get(key) ?? []), ...lastRe.filter((x) => (x.re as RegExp).test(key)), ...whole.filter((x) => (x.re as RegExp).test(callee))];
    const rest = new Set<Compiled>();
    for (const x of cands) {
      if (x.suffix && !suffixMatch(x.d, callee, true)) continue;
      if (!receiverOk(x.c, callee)) continue;
      if (!needsCallFact(x.c)) return { always: true, rest: [] };
      rest.add(x.c);
    }
    return { always: false, rest: [...rest] };
  };
  const calleeMemo = new Map<string, ValueVerdict>();

  // Assignments, as matchAssign finds candidates: by the target's last segment, a regex on it, a
  // whole-target regex, or every assignment.
  const aByLast = new Map<string, Candidate[]>();
  const aLastRe: Candidate[] = [];
  const aWhole: Candidate[] = [];
  const aEvery: Compiled[] = [];
  for (const c of assigns) {
    const d = (c.dotted as Dotted[])[0];
    const last = d.segs[d.segs.length - 1];
    const anyLast = 'star2' in last || ('pure' in last && last.pure);
    const suffix = d.segs.length > 1;
    if (d.any || (d.segs.length === 1 && anyLast)) aEvery.push(c);
    else if (anyLast) aWhole.push({ c, d, suffix: false, re: wholeValueRegex(d, 'suffix', false) });
    else if ('lit' in last) push(aByLast, last.lit, { c, d, suffix });
    else aLastRe.push({ c, d, suffix, re: (last as { re: RegExp }).re });
  }
  const needsAssignFact = (c: Compiled): boolean => Boolean(c.value || (c.signal as AssignSignal).valueKind?.length);
  const targetVerdict = (target: string): ValueVerdict => {
    const key = target.slice(target.lastIndexOf('.') + 1);
    const cands: Compiled[] = [...aEvery];
    for (const x of aByLast.get(key) ?? []) if (!x.suffix || suffixMatch(x.d, target, false)) cands.push(x.c);
    for (const x of aLastRe) if ((x.re as RegExp).test(key) && (!x.suffix || suffixMatch(x.d, target, false))) cands.push(x.c);
    for (const x of aWhole) if ((x.re as RegExp).test(target)) cands.push(x.c);
    if (cands.some((c) => !needsAssignFact(c))) return { always: true, rest: [] };
    return { always: false, rest: [...new Set(cands)] };
  };
  const targetMemo = new Map<string, ValueVerdict>();
  const assignChecks = (c: Compiled, a: AssignmentFact): boolean => {
    const kinds = (c.signal as AssignSignal).valueKind;
    if (kinds && kinds.length > 0 && !kinds.includes(a.valueKind)) return false;
    return !c.value || c.value.test(unquote(a.value));
  };

  const nameMemo = new Map<string, boolean>();
  // A value with a line feed cannot be judged like a table key: such facts are kept.
  return {
    keys,
    callee: (callee) => callee.includes('\n') || memo(calleeMemo, callee, calleeVerdict).always,
    call(fact: CallFact): boolean {
      const { callee, kwargs } = fact;
      if (callee.includes('\n')) return true;
      const v = memo(calleeMemo, callee, calleeVerdict);
      if (v.always) return true;
      const args: ArgsSource = { args: () => fact.args };
      for (const c of v.rest) if (callChecks(c, callee, kwargs, args, 0)) return true;
      if (byKw.size > 0) for (const k in kwargs) for (const c of byKw.get(k) ?? []) if (callChecks(c, callee, kwargs, args, 0)) return true;
      for (const c of every) if (callChecks(c, callee, kwargs, args, 0)) return true;
      return false;
    },
    assignment(a: AssignmentFact): boolean {
      if (a.target.includes('\n')) return true;
      const v = memo(targetMemo, a.target, targetVerdict);
      return v.always || v.rest.some((c) => assignChecks(c, a));
    },
    name: (name) => name.includes('\n') || memo(nameMemo, name, (n) => names.some((c) => (c.regex as RegExp).test(n))),
  };
}

// ---------------------------------------------------------------------------------------------
// Built-in custom detectors

const coverageCache = new WeakMap<RepoIndex, { evidence: Evidence[]; note: string }>();

/**
 * `docs.docstrings`: docstrings (Python) / JSDoc (TS/JS) on at least half of the public top-level
 * functions and classes of non-test, non-example, non-vendored source files (Python: names not
 * starting with `_`; TS/JS: exported). Evidence, when coverage is at least 50%: the first documented
 * definition of each file. The note always carries the measured percentage.
 */
export function docstringCoverage(index: RepoIndex): { evidence: Evidence[]; note: string } {
  const cached = coverageCache.get(index);
  if (cached) return cached;
  let total = 0;
  let documented = 0;
  const evidence: Evidence[] = [];
  index.files.forEach((f, fi) => {
    if (index.fileFlags(fi) & (FILE_TEST | FILE_VENDORED | FILE_EXAMPLE | FILE_DECLARATION)) return;
    const py = f.language === 'python';
    if (!py && f.language !== 'typescript' && f.language !== 'javascript') return;
    let shown = false;
    f.definitions.forEach((d, i) => {
      if (d.parent !== '' || (d.kind !== 'function' && d.kind !== 'class')) return;
      if (py ? d.name.startsWith('_') : !d.exported) return;
      total++;
      if (!d.docstring) return;
      documented++;
      if (!shown) evidence.push({ path: f.path, line: d.line, excerpt: definitionExcerpt(f, i) });
      shown = true;
    });
  });
  let result: { evidence: Evidence[]; note: string };
  if (total === 0) result = { evidence: [], note: 'no public top-level functions or classes in source files' };
  else {
    const pct = Math.round((documented / total) * 100);
    const note = `${pct}% of public top-level functions and classes have docstrings (${documented} of ${total})`;
    result = { evidence: documented * 2 >= total ? evidence : [], note };
  }
  coverageCache.set(index, result);
  return result;
}

registerCustomSignal('docstringCoverage', docstringCoverage);
