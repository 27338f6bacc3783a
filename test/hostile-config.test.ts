/**
 * Hostile configuration and caches, through the BUILT CLI: invalid `package.json#codexAudit`, prototype
 * pollution attempts, a YAML alias bomb as the config, config files linked to a secret outside the root
 * (exit 2 with a message naming the file and key, never the secret), and caches planted inside the
 * audited tree (they must never forge a report, nor lead writes outside the root).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateConfigTrees, removeTree, writeStubFile, type ConfigTrees } from './hostile/generate.js';
import { assertBuilt, runCli, TIMESTAMP, type CliRun } from './hostile/run.js';
import { loadConfig } from '../src/config/load.js';
import { emptyFacts } from '../src/facts/types.js';
import { parseSource } from '../src/parse/index.js';

let base: string;
let trees: ConfigTrees;

beforeAll(() => {
  assertBuilt();
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cxa-hostile-config-')));
  trees = generateConfigTrees(path.join(base, 'trees'));
});

afterAll(() => {
  if (base) removeTree(base);
});

/** An audit of `root` writing `out` (JSON), with a private user cache folder. */
function audit(root: string, out: string, extra: string[] = [], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(['--root', root, '--out', out, '--timestamp', TIMESTAMP, '--quiet', ...extra], { env: { XDG_CACHE_HOME: path.join(base, 'user-cache'), ...env } });
}

function expectUsageError(run: CliRun, out: string, ...mentions: (string | RegExp)[]): void {
  expect({ endedByItself: run.endedByItself, code: run.code }).toEqual({ endedByItself: true, code: 2 });
  for (const m of mentions) expect(run.stderr).toMatch(m);
  expect(fs.existsSync(out)).toBe(false);
  // The secret starts with random hex: even a short quoted prefix (as a JSON error message shows) is caught.
  expect(run.stderr + run.stdout).not.toContain(trees.secret.slice(0, 12));
  expect(run.stderr).not.toMatch(/internal error|at .+\.js:\d+/);
}

describe('hostile configuration', () => {
  it('package.json with an invalid codexAudit: exit 2 naming the file and every bad key', async () => {
    const out = path.join(base, 'invalid.json');
    const run = await audit(trees.invalidPackageJson, out);
    expectUsageError(run, out, /package\.json/, /codexAudit\.maxFileSize/, /codexAudit\.bogusKey: unknown key/);
  });

  it('__proto__ / constructor keys in a JSON config: exit 2 naming the keys', async () => {
    const out = path.join(base, 'proto-json.json');
    expectUsageError(await audit(trees.protoJson, out), out, /codex-audit\.config\.json/, /__proto__/, /constructor/);
  });

  it('__proto__ and merge keys in a YAML config: exit 2 naming the keys', async () => {
    const out = path.join(base, 'proto-yaml.json');
    expectUsageError(await audit(trees.protoYaml, out), out, /codex-audit\.config\.yaml/, /__proto__/, /gate\.<</);
  });

  it('records keyed __proto__ / constructor: exit 2 naming the key', async () => {
    const out = path.join(base, 'proto-records.json');
    expectUsageError(await audit(trees.protoRecords, out), out, /codex-audit\.config\.json/, /deferred/);
  });

  it('a YAML alias bomb as the config: exit 2 at once, naming the file', async () => {
    const out = path.join(base, 'bomb.json');
    expectUsageError(await audit(trees.aliasBomb, out), out, /codex-audit\.config\.yaml/, /alias/i);
  });

  it('a config file linked to a secret outside the root: exit 2, the secret is never read or printed', async () => {
    const out = path.join(base, 'linked-config.json');
    expectUsageError(await audit(trees.symlinkedConfig, out), out, /codex-audit\.config\.json/, /outside the audited root/);
  });

  it('a package.json linked outside the root is not read (its codexAudit would fail the run)', async () => {
    const out = path.join(base, 'linked-package.json');
    const run = await audit(trees.symlinkedPackageJson, out, ['--no-cache']);
    expect({ endedByItself: run.endedByItself, code: run.code }).toEqual({ endedByItself: true, code: 0 });
    const text = fs.readFileSync(out, 'utf8');
    expect(text + run.stderr).not.toContain(trees.secret.slice(0, 12));
    const report = JSON.parse(text) as { errors: { path: string; message: string }[] };
    expect(report.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'package.json', message: expect.stringMatching(/outside the audited root/) })]));
  });

  it('pollutes no prototype, loading configs or parsing data files in-process', () => {
    const probe = (): unknown => ({} as Record<string, unknown>).polluted ?? (Object.prototype as Record<string, unknown>).polluted;
    for (const root of [trees.protoJson, trees.protoYaml, trees.protoRecords]) {
      expect(() => loadConfig(root)).toThrow();
      expect(probe()).toBeUndefined();
    }
    const files: [string, string][] = [
      ['a.json', '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}'],
      ['a.yaml', '__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted: yes\nb: &b {polluted: yes}\nc:\n  <<: *b\n'],
      ['a.toml', '[__proto__]\npolluted = "yes"\n[constructor.prototype]\npolluted = "yes"\n'],
      ['a.ipynb', '{"cells": [], "__proto__": {"polluted": "yes"}, "metadata": {"__proto__": {"polluted": "yes"}}}'],
      ['a.ini', '[__proto__]\npolluted = yes\n'],
    ];
    for (const [p, text] of files) {
      const facts = emptyFacts(p, p.endsWith('.json') ? 'json' : p.endsWith('.yaml') ? 'yaml' : p.endsWith('.toml') ? 'toml' : p.endsWith('.ipynb') ? 'notebook' : 'ini', text.length, 'h');
      parseSource(text, facts);
      expect(probe()).toBeUndefined();
      expect(Object.getPrototypeOf(facts)).toBe(Object.prototype);
    }
  });
});

describe('nothing from the tree is executed', () => {
  it('--staged asks git without running the core.fsmonitor command of the tree\'s .git/config', async () => {
    const root = path.join(base, 'fsmonitor', 'repo');
    const marker = path.join(base, 'fsmonitor', 'ran');
    fs.mkdirSync(root, { recursive: true });
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', '-c', 'core.fsmonitor=', ...args], { cwd: root, stdio: 'ignore' });
    };
    git('init', '-q', '.');
    fs.writeFileSync(path.join(root, 'train.py'), 'def train():\n    pass\n');
    git('add', 'train.py');
    const hook = path.join(base, 'fsmonitor', 'hook.sh');
    fs.writeFileSync(hook, `#!/bin/sh\necho ran >> '${marker}'\n`, { mode: 0o755 });
    git('config', 'core.fsmonitor', hook);
    const run = await audit(root, path.join(base, 'fsmonitor.json'), ['--staged', '--fail-on', 'stub', '--no-cache']);
    expect({ endedByItself: run.endedByItself, code: run.code }).toEqual({ endedByItself: true, code: 1 });
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('caches inside the audited tree', () => {
  it('a cache planted in node_modules/.cache by the tree never forges the report', async () => {
    const root = path.join(base, 'planted', 'repo');
    fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
    fs.writeFileSync(path.join(root, 'train.py'), 'def train(model):\n    raise NotImplementedError  # TODO: write it\n');
    writeStubFile(root, 'stubs.py', 200);
    // The attacker audits the same tree on their machine (their own user cache key)...
    const attacker = { XDG_CACHE_HOME: path.join(base, 'attacker-home') };
    const seed = await audit(root, path.join(base, 'planted-seed.json'), [], attacker);
    expect(seed.code).toBe(0);
    const cacheDir = path.join(root, 'node_modules', '.cache', 'codex-audit');
    const entries: string[] = [];
    const list = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) list(path.join(d, e.name));
        else if (e.name.endsWith('.json')) entries.push(path.join(d, e.name));
      }
    };
    list(cacheDir);
    expect(entries.length).toBeGreaterThan(1);
    // ...then forges every entry (a perfect score, no stubs, no facts) and commits node_modules/.cache.
    for (const f of entries) {
      const e = JSON.parse(fs.readFileSync(f, 'utf8'));
      if (e.value?.report) {
        e.value.report.summary.score = 100;
        e.value.report.stubs = [];
        for (const c of e.value.report.capabilities) c.status = 'implemented';
      }
      if (e.w?.f) {
        e.w.f.definitions = [];
        e.w.f.markers = [];
        e.w.c = [];
      }
      fs.writeFileSync(f, JSON.stringify(e));
    }
    // The victim's CI audits the checkout with the default cache: the report must be the true one.
    const gate = ['--fail-on', 'stub'];
    const truthOut = path.join(base, 'planted-truth.json');
    const truth = await audit(root, truthOut, [...gate, '--no-cache']);
    expect(truth.code).toBe(1); // the stubs are there: the gate fails
    const victimOut = path.join(base, 'planted-victim.json');
    const victim = await audit(root, victimOut, gate, { XDG_CACHE_HOME: path.join(base, 'victim-home') });
    expect({ endedByItself: victim.endedByItself, code: victim.code }).toEqual({ endedByItself: true, code: 1 });
    expect(fs.readFileSync(victimOut, 'utf8')).toBe(fs.readFileSync(truthOut, 'utf8'));
    // A warm run on the victim's own cache entries gives the same report again.
    const warmOut = path.join(base, 'planted-warm.json');
    const warm = await audit(root, warmOut, gate, { XDG_CACHE_HOME: path.join(base, 'victim-home') });
    expect(warm.code).toBe(1);
    expect(fs.readFileSync(warmOut, 'utf8')).toBe(fs.readFileSync(truthOut, 'utf8'));
  });

  it('a linked node_modules/.cache does not lead cache writes outside the root', async () => {
    const root = path.join(base, 'linked-cache', 'repo');
    const outside = path.join(base, 'linked-cache', 'outside');
    fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
    fs.mkdirSync(outside, { recursive: true });
    fs.symlinkSync(outside, path.join(root, 'node_modules', '.cache'));
    fs.writeFileSync(path.join(root, 'main.py'), 'def main():\n    pass\n');
    const userCache = path.join(base, 'linked-user-cache');
    const run = await audit(root, path.join(base, 'linked-cache.json'), [], { XDG_CACHE_HOME: userCache });
    expect(run.code).toBe(0);
    expect(fs.readdirSync(outside)).toEqual([]);
    // The cache went to the user's folder instead.
    expect(fs.readdirSync(path.join(userCache, 'codex-audit')).length).toBeGreaterThan(1);
  });
});
