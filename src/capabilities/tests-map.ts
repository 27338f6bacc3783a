import type { RepoIndex } from '../facts/index.js';
import { FILE_TEST, FILE_VENDORED } from '../facts/index.js';
import type { FileFacts } from '../facts/types.js';
import type { TestClass, TestClassRow, TestCommand } from '../model/types.js';
import { declareFactUse } from '../model/fact-use.js';

/**
 * Section 5 of the report, "Local Tests & Gates": the test commands a maintainer can run (offline), and
 * the ML Test Score mapping of test files into data, model, infrastructure, regression and performance
 * tests. Pure functions of facts: nothing here reads the disk.
 */

// ---------------------------------------------------------------------------------------------
// ML Test Score classification

export const TEST_CLASSES: readonly TestClass[] = ['data', 'model', 'infrastructure', 'regression', 'performance'];

/** Words (tokens of file names, test names and imported module segments) that place a test in a class. */
const CLASS_WORDS: Record<TestClass, RegExp> = {
  data: /^(data|datasets?|dataloaders?|loaders?|datamodule|batch(es|ing)?|collat\w*|samplers?|splits?|shuffl\w*|tokeni[sz]\w*|tokens?|preprocess\w*|augment\w*|vocab\w*|corpus|memmap|transforms?|pipeline|padding|truncat\w*|encod\w*|decod\w*|merges?)$/,
  model: /^(models?|modeling|forward|layers?|attention|attn|lora|peft|adapters?|backward|grads?|gradients?|train\w*|optim\w*|loss(es)?|logits|generat\w*|dtype|device|weights|embeddings?|mlp|transformers?|architecture|nn|gpt|llama|bert|moe|head|heads)$/,
  infrastructure: /^(infrastructure|infra|storage|config\w*|cfg|cli|commands?|main|log|logs|logging|logger|io|files?|paths?|pars\w*|args?|argparse|serial\w*|export\w*|env|environment|registry|regist\w*|plugins?|hooks?|cache|caching|track\w*|mlflow|wandb|tensorboard|checkpoint\w*|ckpt|resume|save|saving|utils?|seed\w*|distributed|launch\w*|install\w*|packag\w*)$/,
  regression: /^(regression\w*|golden|snapshots?|parity|reproduc\w*|determinis\w*|baselines?|reference|expected|metrics?|accuracy|perplexity|ppl|bleu|rouge|scores?|eval\w*|contract)$/,
  performance: /^(perf\w*|speed\w*|throughput|latency|benchmarks?|bench|timing|timings|fast|memory|oom|scal\w*|profil\w*|stress|load_test)$/,
};

const IMPORT_CLASSES: [RegExp, TestClass][] = [
  [/^(torch\.utils\.data|datasets|webdataset|torchdata|tokenizers|sentencepiece|tiktoken)(\.|$)/, 'data'],
  [/^(torch\.nn|flax\.linen|peft)(\.|$)/, 'model'],
  [/^(click\.testing|typer\.testing|tempfile|subprocess|argparse|mlflow|wandb|omegaconf|hydra)(\.|$)/, 'infrastructure'],
  [/^(syrupy|pytest_regressions|snapshottest|approvaltests)(\.|$)/, 'regression'],
  [/^(pytest_benchmark|timeit|torch\.utils\.benchmark|tinybench|mitata|benchmark|asv)(\.|$)/, 'performance'],
];

const CALL_CLASSES: [RegExp, TestClass][] = [
  [/(^|\.)(DataLoader|load_dataset|random_split|train_test_split|get_batch)$/, 'data'],
  [/(^|\.)(backward|zero_grad)$/, 'model'],
  [/(^|\.)(CliRunner|invoke)$|^subprocess\.(run|check_output|check_call)$/, 'infrastructure'],
  [/(^|\.)(toMatchSnapshot|toMatchInlineSnapshot|toMatchFileSnapshot|assert_match|snapshot)$/, 'regression'],
  [/(^|\.)(perf_counter|perf_counter_ns|process_time|timeit|bench|benchmark|max_memory_allocated)$/, 'performance'],
];

function tokens(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0 && t !== 'test' && t !== 'tests' && t !== 'spec');
}

/** Weights of where a class word is found: a file named `test_data.py` says more than one test name. */
const WEIGHT = { fileName: 3, folder: 2, libraryImport: 2, testName: 1, ownImport: 1, call: 1 } as const;

/** A call that declares a test (`it(...)`, `test(...)`, `bench(...)`). */
const TEST_CALL_RE = /(^|\.)(it|test|bench)$/;
/** A call whose first argument names tests (`describe("tokenizer", ...)` too). */
const TEST_NAME_CALL_RE = /(^|\.)(it|test|describe|bench)$/;

// The classifier reads a test file's test-declaring and class-revealing calls, and the name `benchmark`.
declareFactUse('tests-map', {
  callee: (callee) => TEST_NAME_CALL_RE.test(callee) || CALL_CLASSES.some(([re]) => re.test(callee)),
  name: (n) => n === 'benchmark',
});

/**
 * The ML Test Score classes of one test file (possibly several, possibly none), by score: class words in
 * the file and folder names, test names (`test_*`, `Test*`, `it("...")`), imported modules and calls.
 * A class is kept when it scores at least 2 and at least half the best class's score, so a model test
 * that builds a tokenizer fixture is not also a data test. `ownRoots` are the repository's own
 * top-level Python modules: an import of `pkg.data` says the test exercises the data code, while
 * library imports (`os.path`) only count through IMPORT_CLASSES. A file without any test is not
 * classified (`conftest.py`, helpers).
 */
export function classifyTestFile(f: FileFacts, ownRoots: ReadonlySet<string> = new Set()): TestClass[] {
  const hasTests =
    f.definitions.some((d) => ((d.kind === 'function' || d.kind === 'method') && /^test/i.test(d.name)) || (d.kind === 'class' && /^Test/.test(d.name))) ||
    f.calls.some((c) => TEST_CALL_RE.test(c.callee));
  if (!hasTests) return [];
  const score = new Map<TestClass, number>(TEST_CLASSES.map((c) => [c, 0]));
  const add = (c: TestClass, w: number): void => {
    score.set(c, (score.get(c) ?? 0) + w);
  };
  const byWords = (words: string[], w: number): void => {
    const hit = new Set<TestClass>();
    for (const word of words) for (const c of TEST_CLASSES) if (CLASS_WORDS[c].test(word)) hit.add(c);
    for (const c of hit) add(c, w);
  };
  const parts = f.path.split('/');
  const base = parts[parts.length - 1].replace(/\.[^.]+$/, '').replace(/\.(test|spec)$/, '');
  byWords(tokens(base), WEIGHT.fileName);
  const dir = parts.length > 1 ? parts[parts.length - 2] : '';
  if (!/^(tests?|testing|__tests__|unit|integration|e2e|src)$/i.test(dir)) byWords(tokens(dir), WEIGHT.folder);
  for (const d of f.definitions) {
    if ((d.kind === 'function' || d.kind === 'method') && /^test/i.test(d.name)) byWords(tokens(d.name), WEIGHT.testName);
    if (d.kind === 'class' && /^Test/.test(d.name)) byWords(tokens(d.name.slice(4)), WEIGHT.testName);
    if (d.decorators.some((x) => /(^|\.)benchmark$/.test(x))) add('performance', WEIGHT.libraryImport);
  }
  const called = new Set<TestClass>();
  for (const c of f.calls) {
    if (TEST_NAME_CALL_RE.test(c.callee) && c.args[0]) byWords(tokens(c.args[0]), WEIGHT.testName);
    for (const [re, cls] of CALL_CLASSES) if (re.test(c.callee)) called.add(cls);
  }
  for (const c of called) add(c, WEIGHT.call);
  for (const imp of f.imports) {
    for (const [re, cls] of IMPORT_CLASSES) if (re.test(imp.module)) add(cls, WEIGHT.libraryImport);
    const segs = imp.module.split(/[./]/).filter(Boolean);
    if (imp.relative || ownRoots.has(segs[0])) byWords(tokens(segs.slice(imp.relative ? -1 : 1).join('_')), WEIGHT.ownImport);
  }
  if (f.names.some((n) => n.name === 'benchmark')) add('performance', WEIGHT.libraryImport);
  const best = Math.max(...score.values());
  return TEST_CLASSES.filter((c) => (score.get(c) ?? 0) >= 2 && (score.get(c) ?? 0) * 2 >= best);
}

const MISSING: Record<TestClass, string> = {
  data: 'No data tests: add tests that load a small sample and check shapes, dtypes, split disjointness and the seeded shuffling order.',
  model: 'No model tests: add tests for forward output shapes, dtype/device placement and one training step reducing the loss on a fixed seed.',
  infrastructure: 'No infrastructure tests: cover config loading and overrides, the CLI entry point, checkpoint save/load and logging writers (in a temporary directory).',
  regression: 'No regression tests: pin metric values or golden outputs on a tiny fixed input so silent behaviour changes fail.',
  performance: 'No performance tests: add an optional micro-benchmark of a small-batch step (throughput, peak memory), skipped by default.',
};

const CODE = new Set(['python', 'notebook', 'typescript', 'javascript']);

/** Top-level module names of a repository's Python code (`pkg/x.py`, `src/pkg/x.py` -> `pkg`; `train.py` -> `train`). */
export function ownPythonRoots(paths: readonly string[]): Set<string> {
  const roots = new Set<string>();
  for (const p of paths) {
    if (!p.endsWith('.py')) continue;
    const parts = p.split('/');
    if (parts[0] === 'src' && parts.length > 1) parts.shift();
    const root = parts.length === 1 ? parts[0].replace(/\.py$/, '') : parts[0];
    if (!/^(tests?|testing)$/.test(root)) roots.add(root);
  }
  return roots;
}

/** Rows for every class, from the facts of test files (non-code files are ignored). */
export function classifyTestFiles(files: readonly FileFacts[], ownRoots: ReadonlySet<string> = new Set()): TestClassRow[] {
  const byClass = new Map<TestClass, string[]>(TEST_CLASSES.map((c) => [c, []]));
  for (const f of files) {
    if (!CODE.has(f.language)) continue;
    for (const c of classifyTestFile(f, ownRoots)) byClass.get(c)?.push(f.path);
  }
  return TEST_CLASSES.map((c) => {
    const list = [...new Set(byClass.get(c) ?? [])].sort();
    const row: TestClassRow = { testClass: c, files: list };
    if (list.length === 0) row.missing = MISSING[c];
    return row;
  });
}

/** The ML Test Score mapping of the repository's test files (vendored copies left out). */
export function classifyTests(index: RepoIndex): TestClassRow[] {
  const files = index.files.filter((_f, fi) => (index.fileFlags(fi) & (FILE_TEST | FILE_VENDORED)) === FILE_TEST);
  return classifyTestFiles(files, ownPythonRoots(index.files.map((f) => f.path)));
}

// ---------------------------------------------------------------------------------------------
// Test commands

/** Environment for running ML tests without the network. */
export const OFFLINE_ENV = 'HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 WANDB_MODE=offline';
const NESTED_LIMIT = 8;

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function inDir(dir: string, cmd: string): string {
  return dir ? `cd ${dir} && ${cmd}` : cmd;
}

function depth(path: string): number {
  return path.split('/').length;
}

function key(f: FileFacts, re: RegExp): { key: string; value?: string } | undefined {
  return f.configKeys.find((k) => re.test(k.key));
}

function pytestCommands(files: readonly FileFacts[], isTest: (p: string) => boolean): TestCommand[] {
  const sources: FileFacts[] = [];
  for (const f of files) {
    const base = f.path.slice(f.path.lastIndexOf('/') + 1);
    if (base === 'pytest.ini') sources.push(f);
    else if (base === 'pyproject.toml' && key(f, /^tool\.pytest(\.|$)/)) sources.push(f);
    else if (base === 'setup.cfg' && key(f, /^tool:pytest(\.|$)/)) sources.push(f);
    else if (base === 'tox.ini' && key(f, /^pytest(\.|$)/)) sources.push(f);
  }
  if (sources.length === 0) {
    const conftest = files.filter((f) => f.path.endsWith('conftest.py')).sort((a, b) => depth(a.path) - depth(b.path))[0];
    if (conftest) sources.push(conftest);
  }
  const pyTests = files.filter((f) => (f.language === 'python' || f.language === 'notebook') && isTest(f.path) && f.definitions.some((d) => /^test/i.test(d.name)));
  if (sources.length === 0 && pyTests.length > 0) {
    const usesPytest = pyTests.some((f) => f.imports.some((i) => i.module === 'pytest' || i.module.startsWith('pytest.')));
    const usesUnittest = pyTests.some((f) => f.imports.some((i) => i.module === 'unittest'));
    const first = pyTests.map((f) => f.path).sort()[0];
    const top = first.includes('/') ? first.slice(0, first.indexOf('/')) : first;
    const command = !usesPytest && usesUnittest ? 'python -m unittest discover -q' : 'pytest -q';
    return [{ command, source: top, offline: `${OFFLINE_ENV} ${command}` }];
  }
  const seenDirs = new Set<string>();
  const out: TestCommand[] = [];
  for (const s of sources.sort((a, b) => depth(a.path) - depth(b.path) || (a.path < b.path ? -1 : 1))) {
    const dir = dirOf(s.path);
    if (seenDirs.has(dir) || [...seenDirs].some((d) => d === '' || dir.startsWith(d + '/'))) continue;
    seenDirs.add(dir);
    out.push({ command: inDir(dir, 'pytest -q'), source: s.path, offline: inDir(dir, `${OFFLINE_ENV} pytest -q`) });
  }
  return out;
}

function toxCommands(files: readonly FileFacts[]): TestCommand[] {
  const out: TestCommand[] = [];
  for (const f of files) {
    const base = f.path.slice(f.path.lastIndexOf('/') + 1);
    const isToxIni = base === 'tox.ini';
    const pyprojectTox = base === 'pyproject.toml' && key(f, /^tool\.tox(\.|$)/);
    if (!isToxIni && !pyprojectTox) continue;
    const envlist = key(f, isToxIni ? /^tox\.envlist$/ : /^tool\.tox\.(env_list|envlist|legacy_tox_ini)$/)?.value;
    const envs = envlist && !/[{}\n]/.test(envlist) && !envlist.includes('[tox]') ? envlist.split(/[\s,]+/).filter(Boolean).slice(0, 6) : [];
    const cmd = envs.length > 0 ? `tox -q -e ${envs.join(',')}` : 'tox -q';
    const dir = dirOf(f.path);
    out.push({ command: inDir(dir, cmd), source: f.path, offline: inDir(dir, `${OFFLINE_ENV} ${cmd}`) });
  }
  return out;
}

function noxCommands(files: readonly FileFacts[]): TestCommand[] {
  const out: TestCommand[] = [];
  for (const f of files) {
    if (!/(^|\/)noxfile\.py$/.test(f.path)) continue;
    const sessions = f.definitions.filter((d) => d.decorators.some((x) => /(^|\.)session$/.test(x) && /nox/.test(x))).map((d) => d.name);
    const testSessions = sessions.filter((n) => /test/i.test(n));
    const cmd = testSessions.length > 0 ? `nox -s ${testSessions.join(' ')}` : 'nox';
    const dir = dirOf(f.path);
    out.push({ command: inDir(dir, cmd), source: f.path, offline: inDir(dir, `${OFFLINE_ENV} ${cmd}`) });
  }
  return out;
}

function makeCommands(files: readonly FileFacts[]): TestCommand[] {
  const out: TestCommand[] = [];
  for (const f of files) {
    const base = f.path.slice(f.path.lastIndexOf('/') + 1).toLowerCase();
    const just = base === 'justfile' || base === '.justfile';
    if (!just && base !== 'makefile' && base !== 'gnumakefile' && !base.endsWith('.mk')) continue;
    const targets = f.configKeys.map((k) => /^target:(.+)$/.exec(k.key)?.[1]).filter((t): t is string => t !== undefined);
    let picked = targets.filter((t) => /^(test|tests|test[-_][\w-]+|unit[-_]?tests?|pytest)$/.test(t));
    if (picked.length === 0) picked = targets.filter((t) => t === 'check');
    const dir = dirOf(f.path);
    const tool = just ? 'just' : 'make';
    for (const t of [...new Set(picked)].slice(0, 4)) out.push({ command: inDir(dir, `${tool} ${t}`), source: f.path, offline: inDir(dir, `${OFFLINE_ENV} ${tool} ${t}`) });
  }
  return out;
}

function packageManager(files: readonly FileFacts[], dir: string): 'npm' | 'pnpm' | 'yarn' | 'bun' {
  const has = (name: string): boolean => files.some((f) => f.path === (dir ? `${dir}/${name}` : name));
  if (has('pnpm-lock.yaml')) return 'pnpm';
  if (has('yarn.lock')) return 'yarn';
  if (has('bun.lockb') || has('bun.lock')) return 'bun';
  return 'npm';
}

function npmCommands(files: readonly FileFacts[]): TestCommand[] {
  const out: TestCommand[] = [];
  const manifests = files
    .filter((f) => /(^|\/)package\.json$/.test(f.path))
    .sort((a, b) => depth(a.path) - depth(b.path) || (a.path < b.path ? -1 : 1))
    .slice(0, NESTED_LIMIT + 1);
  const rootPm = packageManager(files, '');
  for (const f of manifests) {
    const dir = dirOf(f.path);
    const pm = packageManager(files, dir) === 'npm' ? rootPm : packageManager(files, dir);
    const scripts = f.configKeys
      .map((k) => ({ name: /^scripts\.(.+)$/.exec(k.key)?.[1], value: k.value ?? '' }))
      .filter((s): s is { name: string; value: string } => s.name !== undefined && /test/i.test(s.name) && !/watch|ui$|debug/i.test(s.name) && !/no test specified|--watch\b|vitest(?! run)\s*$/.test(s.value));
    scripts.sort((a, b) => (a.name === 'test' ? -1 : b.name === 'test' ? 1 : 0));
    for (const s of scripts.slice(0, 4)) {
      const run = s.name === 'test' ? `${pm} test` : `${pm} run ${s.name}`;
      const install = pm === 'npm' ? 'npm ci --offline' : pm === 'bun' ? 'bun install --offline' : `${pm} install --offline`;
      out.push({ command: inDir(dir, run), source: f.path, offline: inDir(dir, `${install} && ${run}`) });
    }
  }
  return out;
}

function pyprojectTaskCommands(files: readonly FileFacts[]): TestCommand[] {
  const out: TestCommand[] = [];
  for (const f of files) {
    if (!/(^|\/)pyproject\.toml$/.test(f.path)) continue;
    const dir = dirOf(f.path);
    const runners: [RegExp, (name: string) => string][] = [
      [/^tool\.poe\.tasks\.([\w-]*test[\w-]*)(\.|$)/, (n) => `poe ${n}`],
      [/^tool\.pdm\.scripts\.([\w-]*test[\w-]*)(\.|$)/, (n) => `pdm run ${n}`],
      [/^tool\.hatch\.envs\.default\.scripts\.([\w-]*test[\w-]*)(\.|$)/, (n) => `hatch run ${n}`],
      [/^tool\.taskipy\.tasks\.([\w-]*test[\w-]*)(\.|$)/, (n) => `task ${n}`],
    ];
    const seen = new Set<string>();
    for (const k of f.configKeys) {
      for (const [re, cmd] of runners) {
        const m = re.exec(k.key);
        if (!m) continue;
        const c = cmd(m[1]);
        if (seen.has(c)) continue;
        seen.add(c);
        out.push({ command: inDir(dir, c), source: f.path, offline: inDir(dir, `${OFFLINE_ENV} ${c}`) });
      }
    }
  }
  return out;
}

/**
 * The repository's test commands: pytest (pytest.ini / pyproject / setup.cfg / tox.ini `[pytest]` /
 * conftest.py / test files), tox (with its envlist), nox (test sessions), Makefile/justfile test
 * targets, npm/pnpm/yarn scripts named `test*`, and pyproject task runners. Each with an offline variant.
 */
export function findTestCommands(index: RepoIndex): TestCommand[] {
  const files = index.files.filter((_f, fi) => (index.fileFlags(fi) & FILE_VENDORED) === 0);
  const isTest = (p: string): boolean => index.isTestFile(p);
  const all = [...pytestCommands(files, isTest), ...toxCommands(files), ...noxCommands(files), ...makeCommands(files), ...npmCommands(files), ...pyprojectTaskCommands(files)];
  const seen = new Set<string>();
  const unique = all.filter((c) => {
    const k = `${c.source}\0${c.command}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  // Shallow sources first, then by path; within one source the order of discovery (`npm test` before `npm run test:x`).
  const order = new Map(unique.map((c, i) => [c, i]));
  return unique.sort((a, b) => depth(a.source) - depth(b.source) || (a.source < b.source ? -1 : a.source > b.source ? 1 : (order.get(a) ?? 0) - (order.get(b) ?? 0)));
}
