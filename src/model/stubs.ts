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
    for (const m of f.markers) {
      const finding: StubFinding = { path: f.path, line: m.line, kind: m.kind.toLowerCase() as StubKind };
      const symbol = index.enclosingDefinition(f.path, m.line)?.qualName;
      if (symbol) finding.symbol = symbol;
      if (m.text) finding.text = m.text;
      out.push(finding);
    }
  });
  return { stubs: stubs.sort(cmp), testStubs: testStubs.sort(cmp) };
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
