// Test kit for the Atomic Diffs (src/patches): temporary git repositories, audits of them, applying
// the emitted patches with the real `git apply`, and checking that the result compiles and runs.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAudit, type AuditRun } from '../src/audit.js';
import { planDiffs, rootBoundedReader, type DiffPlan } from '../src/patches/index.js';

export const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(PROJECT, 'fixtures');
export const TIMESTAMP = '2026-01-01T00:00:00Z';

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
}

/** `cmd` ran and exited 0, or an assertion-friendly message with its output. */
export function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status === 0) return '';
  return `${what} failed (exit ${String(r.status)}${r.error ? `, ${r.error.message}` : ''}):\n${r.stdout}\n${r.stderr}`;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'codex-audit tests',
  GIT_AUTHOR_EMAIL: 'tests@example.invalid',
  GIT_COMMITTER_NAME: 'codex-audit tests',
  GIT_COMMITTER_EMAIL: 'tests@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(cwd: string, ...args: string[]): SpawnSyncReturns<string> {
  return run('git', ['-c', 'core.autocrlf=false', '-c', 'init.defaultBranch=main', ...args], cwd, GIT_ENV);
}

/** A fresh temporary folder holding a copy of `source` (or nothing), committed as a git repository. */
export function gitRepo(prefix: string, source?: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (source) cpSync(source, dir, { recursive: true, filter: (src) => !/[\\/](\.git|node_modules)([\\/]|$)/.test(src.slice(source.length)) });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  for (const step of [['init', '-q'], ['add', '-A'], ['commit', '-q', '-m', 'snapshot', '--allow-empty']]) {
    const r = git(dir, ...step);
    if (r.status !== 0) throw new Error(ok(r, `git ${step.join(' ')}`));
  }
  return dir;
}

export function removeRepo(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface Audited {
  run: AuditRun;
  plan: DiffPlan;
}

/** Audit `root` (no cache, in-process) and plan its diffs; scan problems fail unless `allowed` matches them. */
export async function audit(root: string, maxDiffs = 50, allowed?: RegExp): Promise<Audited> {
  const result = await runAudit({ root, timestamp: TIMESTAMP, cacheDir: false, jobs: 1, maxDiffs });
  if (!result.index) throw new Error('no repository index (report cache hit?)');
  // The test repositories are clean: a scan problem means the audit saw less than the tree.
  const problems = result.report.errors.map((e) => `${e.path}: ${e.message}`).filter((m) => !allowed?.test(m));
  if (problems.length > 0) throw new Error(`scan problems: ${problems.join('; ')}`);
  const plan = planDiffs(result.report, result.index.files, rootBoundedReader(root), { max: maxDiffs });
  return { run: result, plan };
}

/** Write `diff` next to the repository and `git apply` it (`--check` only when `check`). */
export function gitApply(repo: string, diff: string, name: string, check: boolean): SpawnSyncReturns<string> {
  const file = join(dirname(repo), `${name}.patch`);
  writeFileSync(file, diff);
  try {
    return git(repo, 'apply', ...(check ? ['--check'] : []), '--whitespace=nowarn', file);
  } finally {
    rmSync(file, { force: true });
  }
}

export const PYTHON = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;
export const HAS_PYTEST = PYTHON !== undefined && spawnSync(PYTHON, ['-c', 'import pytest']).status === 0;

/** py_compile every file, and import every non-test module by path (no package __init__ needed). */
export function checkPython(repo: string, pyFiles: string[]): string[] {
  const problems: string[] = [];
  if (!PYTHON || pyFiles.length === 0) return problems;
  const env = { PYTHONDONTWRITEBYTECODE: '1' };
  const compiled = run(PYTHON, ['-c', 'import ast, sys\nfor p in sys.argv[1:]:\n    ast.parse(open(p, encoding="utf-8").read(), p, feature_version=(3, 8))', ...pyFiles], repo, env);
  if (compiled.status !== 0) problems.push(ok(compiled, 'parse as Python 3.8'));
  const pyc = run(PYTHON, ['-m', 'py_compile', ...pyFiles], repo, env);
  if (pyc.status !== 0) problems.push(ok(pyc, 'py_compile'));
  const modules = pyFiles.filter((p) => !/(^|\/)(test_[^/]*|noxfile)\.py$/.test(p));
  const importer = [
    'import importlib.util, sys',
    'for p in sys.argv[1:]:',
    '    spec = importlib.util.spec_from_file_location("codex_patch_" + str(abs(hash(p))), p)',
    '    mod = importlib.util.module_from_spec(spec)',
    '    spec.loader.exec_module(mod)',
  ].join('\n');
  if (modules.length > 0) {
    const imported = run(PYTHON, ['-c', importer, ...modules], repo, env);
    if (imported.status !== 0) problems.push(ok(imported, `import ${modules.join(', ')}`));
  }
  return problems;
}

/** Run the given test files with pytest (only when pytest is installed). */
export function runPytest(repo: string, testFiles: string[]): string[] {
  if (!HAS_PYTEST || !PYTHON || testFiles.length === 0) return [];
  const r = run(PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...testFiles], repo, { PYTHONDONTWRITEBYTECODE: '1' });
  return r.status === 0 ? [] : [ok(r, 'pytest')];
}

const TSC = join(PROJECT, 'node_modules', 'typescript', 'bin', 'tsc');
const VITEST = join(PROJECT, 'node_modules', 'vitest', 'vitest.mjs');

/** Run `fn` with `typescript`, `vitest` and `@types/node` of this project resolvable inside the repository. */
function withNodeModules<T>(repo: string, fn: () => T): T {
  const link = join(repo, 'node_modules');
  const made = !existsSync(link);
  if (made) symlinkSync(join(PROJECT, 'node_modules'), link, 'dir');
  try {
    return fn();
  } finally {
    if (made) unlinkSync(link);
  }
}

/**
 * Type-check the new TS files with the project's own TypeScript, under options stricter than most
 * repositories use (so they pass under the repository's own settings too).
 */
export function checkTypescript(repo: string, tsFiles: string[]): string[] {
  if (tsFiles.length === 0) return [];
  const args = [
    TSC,
    '--noEmit',
    '--strict',
    '--noUncheckedIndexedAccess',
    '--exactOptionalPropertyTypes',
    '--noImplicitReturns',
    '--noUnusedLocals',
    '--noUnusedParameters',
    '--noFallthroughCasesInSwitch',
    '--target',
    'ES2022',
    '--module',
    'NodeNext',
    '--moduleResolution',
    'NodeNext',
    '--types',
    'node',
    '--skipLibCheck',
    ...tsFiles,
  ];
  const r = withNodeModules(repo, () => run(process.execPath, args, repo));
  return r.status === 0 ? [] : [ok(r, 'tsc')];
}

/** Run the given vitest test files in the repository (its own vitest config, if any, applies). */
export function runVitest(repo: string, testFiles: string[]): string[] {
  if (testFiles.length === 0) return [];
  const r = withNodeModules(repo, () => run(process.execPath, [VITEST, 'run', '--root', repo, ...testFiles], repo, { CI: '1', NO_COLOR: '1' }));
  return r.status === 0 ? [] : [ok(r, 'vitest')];
}
