/**
 * The shipped integration files: `.pre-commit-hooks.yaml` (for the pre-commit framework) and
 * `examples/github-actions.yml`, checked for shape and run for real: their commands, with the package's
 * binary replaced by the built CLI, on temporary repositories. And the README documents them.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CLI, GIT_TEST_ENV, REPO, cleanEnv, cleanupTemps, copyFixture, readJson, spawnChecked, tempDir } from './e2e-helpers.js';
import { sarifValidator } from './schema-validators.js';
import { validateConfig } from '../src/config/load.js';
import { resolveRegistry } from '../src/cli.js';

// Each test spawns the CLI a few times; a loaded machine makes that slow, never wrong.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

afterAll(cleanupTemps);

const pkg = readJson(join(REPO, 'package.json'));
const BIN = Object.keys(pkg.bin)[0];

/** Split a command line the way a shell would for these simple commands (no quoting is used in them). */
const words = (cmd: string): string[] => cmd.trim().split(/\s+/);

const gitEnv = cleanEnv({ ...GIT_TEST_ENV, XDG_CACHE_HOME: tempDir('ca-cache-') });

const run = (cmd: string, args: string[], cwd: string) => spawnChecked(cmd, args, { cwd, env: gitEnv });

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parseYaml(readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];

  it('declares node hooks that run the package binary on the whole tree', () => {
    expect(Array.isArray(hooks)).toBe(true);
    expect(hooks.map((h) => h.id)).toEqual(['codex-audit', 'codex-audit-no-stubs']);
    for (const h of hooks) {
      expect(h).toMatchObject({ language: 'node', pass_filenames: false, always_run: true, require_serial: true });
      expect(typeof h.name).toBe('string');
      expect(words(String(h.entry))[0]).toBe(BIN);
      expect(h.stages).toEqual(['pre-commit']);
      // `pre-commit` as a stage name needs pre-commit 3.2 or later.
      expect(h.minimum_pre_commit_version).toBe('3.2.0');
      const allowed = new Set(['id', 'name', 'description', 'entry', 'language', 'pass_filenames', 'always_run', 'require_serial', 'stages', 'minimum_pre_commit_version', 'files', 'types']);
      for (const k of Object.keys(h)) expect(allowed.has(k)).toBe(true);
    }
    // pre-commit installs a `language: node` hook repository with npm: it needs a package.json with the bin.
    expect(pkg.bin[BIN]).toBe('bin/codex-audit.js');
    expect(pkg.files).toEqual(expect.arrayContaining(['bin/', 'dist/', 'templates/', '.pre-commit-hooks.yaml']));
  });

  it('each entry works as pre-commit runs it: at the repository root, on staged files', () => {
    const root = join(tempDir('ca-pc-'), 'proj');
    mkdirSync(join(root, 'app'), { recursive: true });
    writeFileSync(join(root, 'app', 'main.py'), '"""Main."""\n\n\ndef add(a, b):\n    """Add."""\n    return a + b\n');
    expect(run('git', ['init', '-q'], root).code).toBe(0);
    expect(run('git', ['add', '-A'], root).code).toBe(0);
    expect(run('git', ['commit', '-q', '-m', 'init'], root).code).toBe(0);
    const entry = (id: string) => words(String(hooks.find((h) => h.id === id)?.entry)).slice(1);

    // The baseline hook needs its baseline; the no-stubs hook needs nothing.
    expect(run(process.execPath, [CLI, 'baseline', '--root', '.', '--quiet', '--out', 'codex-audit.baseline.json'], root).code).toBe(0);
    for (const id of ['codex-audit', 'codex-audit-no-stubs']) {
      const r = run(process.execPath, [CLI, ...entry(id)], root);
      expect({ id, code: r.code, stderr: r.stderr }).toEqual({ id, code: 0, stderr: '' });
    }
    writeFileSync(join(root, 'app', 'later.py'), '"""Later."""\n\n\ndef later():\n    """Soon."""\n    raise NotImplementedError\n');
    expect(run('git', ['add', '-A'], root).code).toBe(0);
    for (const [id, msg] of [
      ['codex-audit', /gate failed: baseline: 1 new stub \(app\/later\.py:4\)/],
      ['codex-audit-no-stubs', /gate failed: --fail-on stub: 1 stub found/],
    ] as const) {
      const r = run(process.execPath, [CLI, ...entry(id)], root);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe('examples/github-actions.yml', () => {
  const wf = parseYaml(readFileSync(join(REPO, 'examples', 'github-actions.yml'), 'utf8')) as any;
  const steps: any[] = wf.jobs.audit.steps;
  const auditStep = steps.find((s) => typeof s.run === 'string' && s.run.includes('codex-audit'));
  const upload = steps.find((s) => typeof s.uses === 'string' && s.uses.startsWith('github/codeql-action/upload-sarif@'));

  it('runs the gate, writes SARIF and uploads it even when the gate fails', () => {
    expect(wf.permissions['security-events']).toBe('write');
    expect(auditStep).toBeDefined();
    const args = words(auditStep.run);
    expect(args.slice(0, 3)).toEqual(['npx', '--yes', `codex-audit@${pkg.version}`]);
    expect(args).toContain('--fail-on');
    const outs = args.flatMap((a, i) => (args[i - 1] === '--out' ? [a] : []));
    expect(outs).toContain(upload.with.sarif_file);
    expect(upload.if).toMatch(/^always\(\)/);
  });

  it('its command works: exit 0 and the reports on a complete repository; exit 1 and still the SARIF on a stubbed one', () => {
    const args = words(auditStep.run).slice(3);
    const sarifFile = upload.with.sarif_file as string;
    for (const [name, code] of [
      ['ml-complete', 0],
      ['ml-stubs', 1],
    ] as const) {
      const root = copyFixture(name);
      const r = run(process.execPath, [CLI, ...args, '--no-cache'], root);
      expect({ name, code: r.code }).toEqual({ name, code });
      const sarif = readJson(join(root, sarifFile));
      expect(sarifValidator()(sarif)).toBe(true);
      for (const p of args.flatMap((a, i) => (args[i - 1] === '--out' ? [a] : []))) expect(existsSync(join(root, p))).toBe(true);
      if (code === 1) expect(r.stderr).toContain('gate failed: --fail-on stubbed:');
    }
  });
});

describe('README', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

  it('keeps the Quick start to its two commands', () => {
    const quick = /## Quick start\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const blocks = [...quick.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
    expect(blocks).toEqual(['npm ci && npx codex-audit --root . --out AUDIT.md', 'npm ci && npm test']);
  });

  it('shows a configuration example that is valid, ids included', () => {
    const section = /## Configuration\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const config = validateConfig(parseYaml(yaml ?? ''), 'README');
    expect(Object.keys(config)).toEqual(expect.arrayContaining(['include', 'exclude', 'maxFileSize', 'disable', 'deferred', 'signals', 'capabilities', 'gate']));
    expect(resolveRegistry(config, 'README').defs.map((d) => d.id)).toContain('api_contract');
  });

  it('documents the gate, the baseline, SARIF, the config, suppressions, pre-commit and the workflow example', () => {
    for (const s of ['--fail-on', '--min-score', '--strict', '--baseline', 'codex-audit baseline --out', 'SARIF', 'partialFingerprints', 'codex-audit schema', 'ignore[', 'unused suppressions', '.pre-commit-hooks.yaml', 'codex-audit hook install', 'examples/github-actions.yml', 'upload-sarif'])
      expect(readme).toContain(s);
  });
});
