/**
 * The plain git pre-commit hook: `codex-audit hook install` (never clobbers a hook it did not write), and
 * the hook it writes, run by `git commit` in temporary repositories. The built CLI is put on PATH through a
 * shim (there is no node_modules in the temporary repositories, and `npx --no-install` only looks in
 * node_modules and npm's global folder, not on PATH), or in ./node_modules/.bin.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, GIT_TEST_ENV, cleanEnv, cleanupTemps, cli, spawnChecked, tempDir, type RunResult } from './e2e-helpers.js';

// Each test spawns git and the CLI several times; a loaded machine makes that slow, never wrong.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

afterAll(cleanupTemps);

const shimDir = tempDir('ca-shim-');
const SHIM = `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`;
writeFileSync(join(shimDir, 'codex-audit'), SHIM, { mode: 0o755 });
const cacheDir = tempDir('ca-cache-');
/** PATH without any codex-audit, and with the folder of this node (the shim names it absolutely anyway). */
const BASE_PATH = (process.env.PATH ?? '/usr/bin:/bin')
  .split(':')
  .filter((d) => d && !existsSync(join(d, 'codex-audit')))
  .join(':');

function gitEnv(withShim: boolean): Record<string, string> {
  return {
    PATH: withShim ? `${shimDir}:${BASE_PATH}` : BASE_PATH,
    XDG_CACHE_HOME: cacheDir,
    ...GIT_TEST_ENV,
  };
}

const git = (cwd: string, args: string[], withShim = true): RunResult => spawnChecked('git', args, { cwd, env: cleanEnv(gitEnv(withShim)) });

function write(root: string, rel: string, text: string): void {
  const p = join(root, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
}

/** A small Python project in a fresh git repository, nothing committed yet. */
function project(): string {
  const root = join(tempDir('ca-hook-'), 'proj');
  mkdirSync(root);
  expect(git(root, ['init', '-q', '-b', 'main']).code).toBe(0);
  write(root, 'README.md', '# proj\n\nA tiny project.\n');
  write(root, 'app/__init__.py', '');
  write(root, 'app/main.py', '"""Entry point."""\n\n\ndef add(a, b):\n    """Add two numbers."""\n    return a + b\n');
  return root;
}

const commits = (root: string): number => Number(git(root, ['rev-list', '--count', 'HEAD']).stdout.trim() || '0');
const commit = (root: string, msg: string, withShim = true): RunResult => {
  expect(git(root, ['add', '-A'], withShim).code).toBe(0);
  return git(root, ['commit', '-q', '-m', msg], withShim);
};

const STUB = '"""Later."""\n\n\ndef export_onnx(model, path):\n    """Export to ONNX."""\n    raise NotImplementedError\n';

describe('codex-audit hook install', () => {
  it('writes an executable pre-commit hook, updates its own, never clobbers another', () => {
    const root = project();
    const hook = join(root, '.git', 'hooks', 'pre-commit');
    const a = cli(['hook', 'install', '--root', root]);
    expect(a.code).toBe(0);
    expect(a.stderr).toContain('codex-audit: wrote .git/hooks/pre-commit');
    expect(statSync(hook).mode & 0o111).toBe(0o111);
    const text = readFileSync(hook, 'utf8');
    expect(text.startsWith('#!/bin/sh\n# codex-audit pre-commit hook')).toBe(true);
    expect(text).toContain('--baseline "codex-audit.baseline.json" --staged --no-report --quiet');
    expect(cli(['hook', 'install', '--root', root]).code).toBe(0);

    writeFileSync(hook, '#!/bin/sh\nexec make lint\n');
    const b = cli(['hook', 'install', '--root', root]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('.git/hooks/pre-commit already exists and was not written by codex-audit; not overwriting it');
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\nexec make lint\n');
    expect(cli(['hook', 'install', '--root', root, '--force']).code).toBe(0);
    expect(readFileSync(hook, 'utf8')).toBe(text);
  });

  it('refuses a folder that is not a git checkout', () => {
    const r = cli(['hook', 'install', '--root', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hook install: .* is not a git checkout \(no \.git\)/);
  });

  it('init --hook writes the starter config and the hook', () => {
    const root = project();
    const r = cli(['init', '--root', root, '--hook']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote codex-audit.config.json');
    expect(r.stderr).toContain('wrote .git/hooks/pre-commit');
    expect(readFileSync(join(root, '.git', 'hooks', 'pre-commit'), 'utf8')).toContain('# codex-audit pre-commit hook');
  });
});

describe('the installed hook, run by git commit', () => {
  it('without a baseline: refuses a commit that stages a stub, accepts it once the stub is gone', () => {
    const root = project();
    expect(cli(['hook', 'install', '--root', root]).code).toBe(0);
    const first = commit(root, 'init');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(commits(root)).toBe(1);

    write(root, 'app/export.py', STUB);
    const refused = commit(root, 'add export');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('gate failed: --fail-on stub: 1 stub found');
    expect(commits(root)).toBe(1);

    write(root, 'app/export.py', '"""Export."""\n\n\ndef export_onnx(model, path):\n    """Export to ONNX."""\n    return model.to_onnx(path)\n');
    const ok = commit(root, 'add export');
    expect(ok.code).toBe(0);
    expect(commits(root)).toBe(2);
  });

  it('judges staged files only: a stub committed earlier does not block an unrelated commit', () => {
    const root = project();
    expect(cli(['hook', 'install', '--root', root]).code).toBe(0);
    write(root, 'app/export.py', STUB);
    expect(git(root, ['add', '-A']).code).toBe(0);
    expect(git(root, ['commit', '-q', '--no-verify', '-m', 'init with a stub']).code).toBe(0);
    write(root, 'README.md', '# proj\n\nA tiny project that adds numbers.\n');
    const r = commit(root, 'docs');
    expect(r.code).toBe(0);
    expect(commits(root)).toBe(2);
  });

  it('with a committed baseline: refuses a new stub, accepts moved code', () => {
    const root = project();
    write(root, 'app/export.py', STUB);
    expect(cli(['hook', 'install', '--root', root]).code).toBe(0);
    const b = cli(['baseline', '--root', root, '--no-cache', '--quiet', '--out', join(root, 'codex-audit.baseline.json')]);
    expect(b.code).toBe(0);
    // The baseline knows the stub in app/export.py: committing it with the baseline passes.
    const first = commit(root, 'init with baseline');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);

    write(root, 'app/main.py', `${readFileSync(join(root, 'app', 'main.py'), 'utf8')}\n\ndef sub(a, b):\n    """Subtract."""\n    raise NotImplementedError\n`);
    const refused = commit(root, 'add sub');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/gate failed: baseline: 1 new stub \(app\/main\.py:\d+\)/);
    expect(commits(root)).toBe(1);
    expect(git(root, ['reset', '-q', '--hard']).code).toBe(0);

    write(root, 'app/export.py', `"""Later."""\n\nFORMATS = ["onnx"]\n\n\ndef formats():\n    """Supported formats."""\n    return list(FORMATS)\n${STUB.slice(STUB.indexOf('\n\n'))}`);
    const moved = commit(root, 'move the stub down');
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(0);
    expect(commits(root)).toBe(2);
  });

  it('runs the project-local ./node_modules/.bin/codex-audit when there is no codex-audit on PATH', () => {
    const root = project();
    expect(cli(['hook', 'install', '--root', root]).code).toBe(0);
    write(root, '.gitignore', 'node_modules/\n');
    write(root, 'node_modules/.bin/codex-audit', SHIM);
    chmodSync(join(root, 'node_modules', '.bin', 'codex-audit'), 0o755);
    expect(commit(root, 'init', false).code).toBe(0);
    write(root, 'app/export.py', STUB);
    const refused = commit(root, 'add export', false);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('gate failed: --fail-on stub: 1 stub found');
  });
});

describe('--staged', () => {
  it('matches staged paths when the audited root is a sub-folder of the checkout', () => {
    const repo = project();
    write(repo, 'pkg/lib/core.py', '"""Core."""\n\n\ndef one():\n    """One."""\n    return 1\n');
    expect(commit(repo, 'init').code).toBe(0);
    write(repo, 'pkg/lib/extra.py', STUB);
    write(repo, 'app/other.py', STUB);
    expect(git(repo, ['add', '-A']).code).toBe(0);
    const r = cli(['--root', join(repo, 'pkg'), '--no-cache', '--fail-on', 'stub', '--staged', '--no-report', '--quiet'], { env: gitEnv(true) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('gate failed: --fail-on stub: 1 stub found');
  });

  it('is a usage error outside a git checkout', () => {
    const r = cli(['--root', tempDir(), '--no-cache', '--fail-on', 'stub', '--staged', '--no-report'], { env: gitEnv(true) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--staged: git could not list staged files');
  });
});
