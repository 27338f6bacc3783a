import { FILE_TEST, FILE_VENDORED, type RepoIndex } from '../facts/index.js';
import type { DefinitionFact } from '../facts/types.js';
import type { PlaceholderFinding, StubFinding, StubKind } from './types.js';

/**
 * Stub findings (effective stub bodies and TODO/FIXME/TBD/XXX/HACK markers) and placeholder configs,
 * for the Repo Map and the JSON/SARIF outputs. Test files are reported apart; vendored files never.
 */

const STUB_TEXT: Record<NonNullable<DefinitionFact['stubKind']>, string> = {
  pass: 'body is only `pass`',
  ellipsis: 'body is only `...`',
  not_implemented: 'raises NotImplementedError',
  throw_not_implemented: 'throws a not-implemented error',
  empty_body: 'empty body',
};

function stubKindOf(def: DefinitionFact): StubKind {
  return def.stubKind === 'not_implemented' || def.stubKind === 'throw_not_implemented' ? 'not_implemented' : 'empty_body';
}

const cmp = (a: StubFinding, b: StubFinding): number =>
  (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
  a.line - b.line ||
  (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
  ((a.symbol ?? '') < (b.symbol ?? '') ? -1 : (a.symbol ?? '') > (b.symbol ?? '') ? 1 : 0);

/**
 * Every effective stub definition (RepoIndex.stubDefinitions: interface declarations are not stubs)
 * as `not_implemented` or `empty_body`, and every marker with the innermost enclosing symbol. Non-test
 * files in `stubs`, test files in `testStubs`; each sorted by path, then line.
 */
export function collectStubs(index: RepoIndex): { stubs: StubFinding[]; testStubs: StubFinding[] } {
  const stubs: StubFinding[] = [];
  const testStubs: StubFinding[] = [];
  const target = (fi: number): StubFinding[] | undefined => {
    const flags = index.fileFlags(fi);
    if (flags & FILE_VENDORED) return undefined;
    return flags & FILE_TEST ? testStubs : stubs;
  };
  for (const ref of index.stubDefinitions()) {
    const out = target(ref.fileIndex);
    const d = ref.def;
    out?.push({ path: ref.path, line: d.line, kind: stubKindOf(d), symbol: d.qualName, text: d.stubKind ? STUB_TEXT[d.stubKind] : STUB_TEXT.empty_body });
  }
  index.files.forEach((f, fi) => {
    if (f.markers.length === 0) return;
    const out = target(fi);
    if (!out) return;
    const enclosing = enclosingSymbols(f.definitions, f.markers.map((m) => m.line));
    f.markers.forEach((m, mi) => {
      const finding: StubFinding = { path: f.path, line: m.line, kind: m.kind.toLowerCase() as StubKind };
      const symbol = enclosing[mi];
      if (symbol) finding.symbol = symbol;
      if (m.text) finding.text = m.text;
      out.push(finding);
    });
  });
  return { stubs: stubs.sort(cmp), testStubs: testStubs.sort(cmp) };
}

interface Ranked {
  d: DefinitionFact;
  /** Position in the file's definitions. */
  at: number;
}

/** Ranks definitions as RepoIndex.enclosingDefinition does: the latest start, then the longer qualName, then the first. */
const later = (a: Ranked, b: Ranked): boolean =>
  a.d.line > b.d.line || (a.d.line === b.d.line && (a.d.qualName.length > b.d.qualName.length || (a.d.qualName.length === b.d.qualName.length && a.at < b.at)));

/**
 * The qualName of the innermost function, method or class around each line (the same answer as
 * RepoIndex.enclosingDefinition), for all lines of a file in one sweep: O((defs + lines) log defs), so a
 * file with 50,000 definitions and as many markers costs no more than sorting them.
 */
export function enclosingSymbols(definitions: readonly DefinitionFact[], lines: readonly number[]): (string | undefined)[] {
  const defs = definitions
    .map((d, at): Ranked => ({ d, at }))
    .filter(({ d }) => d.kind === 'function' || d.kind === 'method' || d.kind === 'class')
    .sort((a, b) => a.d.line - b.d.line);
  const order = lines.map((_, i) => i).sort((a, b) => lines[a] - lines[b]);
  const result: (string | undefined)[] = new Array(lines.length);
  // A max-heap (by `later`) of the definitions started so far; ended ones are dropped when on top.
  const heap: Ranked[] = [];
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!later(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && later(heap[l], heap[top])) top = l;
      if (r < heap.length && later(heap[r], heap[top])) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top], heap[i]];
      i = top;
    }
  };
  let next = 0;
  for (const i of order) {
    const line = lines[i];
    while (next < defs.length && defs[next].d.line <= line) {
      heap.push(defs[next++]);
      up(heap.length - 1);
    }
    // Lines only grow: a definition that ended before this line is over for every later line too.
    while (heap.length > 0 && heap[0].d.endLine < line) {
      const last = heap.pop() as Ranked;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
    }
    result[i] = heap.length > 0 ? heap[0].d.qualName : undefined;
  }
  return result;
}

const CONFIG_EXT = /\.(ya?ml|json|jsonc|json5|toml|ini|cfg|conf|env|properties|xml)$/;

/** `.env.example`, `env.example`, `.env.local.sample`: an env file with a placeholder suffix. */
function isEnvName(stem: string): boolean {
  return stem === '.env' || stem === 'env' || stem.startsWith('.env.') || stem.endsWith('.env');
}

/**
 * True for a config file that is a placeholder to copy and fill in, by name: `example_*`,
 * `template_*`, `sample_*` (also with `-`) with a config extension; `*.example`, `*.sample`,
 * `*.template`, `*.tmpl`, `*.dist` of a config or env file (`config.yaml.example`, `.env.example`);
 * `*.example.*` / `*.sample.*` / `*.template.*` with a config extension (`settings.example.toml`);
 * `example.env`.
 */
export function isPlaceholderConfig(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (CONFIG_EXT.test(base) && /^(example|template|sample)[_-]/.test(base)) return true;
  if (CONFIG_EXT.test(base) && /\.(example|sample|template)\.[^.]+$/.test(base)) return true;
  const suffix = /\.(example|sample|template|tmpl|dist)$/.exec(base);
  if (suffix) {
    const stem = base.slice(0, suffix.index);
    return isEnvName(stem) || CONFIG_EXT.test(stem);
  }
  return /^(example|sample|template)\.env$/.test(base);
}

/** Placeholder configs outside vendored and test files, sorted by path. */
export function collectPlaceholders(index: RepoIndex): PlaceholderFinding[] {
  const out: PlaceholderFinding[] = [];
  index.files.forEach((f, fi) => {
    if (index.fileFlags(fi) & (FILE_VENDORED | FILE_TEST)) return;
    if (isPlaceholderConfig(f.path)) out.push({ path: f.path });
  });
  return out;
}
