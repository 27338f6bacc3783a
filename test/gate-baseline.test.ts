/**
 * `--baseline` end to end on a copy of ml-half: the gate fails only on regressions (new stubs or risky
 * patterns, status drops, score drops); moved code is not new; resolved findings are listed; a baseline
 * from another tool version or profile, or not a baseline at all, is refused (exit 2).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUIET_AUDIT, REPO, cleanupTemps, cli, copyFixture, readJson, tempDir } from './e2e-helpers.js';
import { errorsText, jsonSchemaValidator } from './schema-validators.js';

// Each test spawns the CLI a few times; a loaded machine makes that slow, never wrong.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const BASELINE = 'codex-audit.baseline.json';
let template = '';

beforeAll(() => {
  template = copyFixture('ml-half');
  const r = cli(['baseline', ...QUIET_AUDIT, '--out', BASELINE], { cwd: template });
  if (r.code !== 0) throw new Error(`baseline failed: ${r.stderr}`);
});
afterAll(cleanupTemps);

/** A fresh copy of ml-half with its baseline at the root. */
function tree(): string {
  const d = join(tempDir('ca-baseline-'), 'ml-half');
  cpSync(template, d, { recursive: true });
  return d;
}

function edit(path: string, f: (text: string) => string): void {
  writeFileSync(path, f(readFileSync(path, 'utf8')));
}

const gate = (root: string, ...args: string[]) => cli(['--root', '.', ...QUIET_AUDIT, '--baseline', BASELINE, ...args], { cwd: root });

describe('codex-audit baseline', () => {
  it('writes a JSON audit with baseline data', () => {
    const b = readJson(join(template, BASELINE));
    expect(b.schemaVersion).toBe(1);
    expect(b.tool).toEqual({ name: 'codex-audit', version: readJson(join(REPO, 'package.json')).version });
    expect(b.baseline.stubs).toHaveLength(3);
    expect(b.baseline.risks).toHaveLength(2);
    expect(b.baseline.statuses.tracking).toBe('missing');
  });

  it('always writes JSON, whatever the extension', () => {
    const out = join(tempDir(), 'base.sarif');
    const r = cli(['baseline', '--root', template, ...QUIET_AUDIT, '--out', out]);
    expect(r.code).toBe(0);
    expect(readJson(out).baseline).toBeDefined();
  });
});

describe('--baseline', () => {
  it('passes on the unchanged tree, also when this run writes its reports into the tree', () => {
    const root = tree();
    for (let i = 0; i < 2; i++) {
      const r = gate(root, '--out', 'audit.json', '--out', 'audit.sarif');
      expect(r.stderr).toContain('gate passed');
      expect(r.stderr).toContain('baseline: 0 new, 0 resolved, 5 unchanged');
      expect(r.code).toBe(0);
      const json = readJson(join(root, 'audit.json'));
      expect(json.summary.score).toBe(readJson(join(root, BASELINE)).summary.score);
      expect(json.gate.baseline).toEqual({ newFindings: [], resolved: [], unchanged: 5, statusDrops: [], scoreDrop: 0 });
    }
  });

  it('takes gate.baseline from the config, relative to the audited root', () => {
    const root = tree();
    writeFileSync(join(root, 'codex-audit.config.json'), JSON.stringify({ gate: { baseline: BASELINE } }));
    const r = cli(['--root', root, ...QUIET_AUDIT, '--no-report'], { cwd: tempDir() });
    expect(r.stderr).toContain('baseline: 0 new, 0 resolved, 5 unchanged');
    expect(r.code).toBe(0);
  });

  it('fails on a new stub, says where, and lists it in the report', () => {
    const root = tree();
    edit(join(root, 'sentiment', 'model.py'), (t) => `${t}\n\ndef export_onnx(model, path):\n    """Export the model to ONNX."""\n    raise NotImplementedError\n`);
    const line = readFileSync(join(root, 'sentiment', 'model.py'), 'utf8').split('\n').findIndex((l) => l.startsWith('def export_onnx')) + 1;
    const md = join(tempDir(), 'AUDIT.md');
    const r = gate(root, '--out', md);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`gate failed: baseline: 1 new stub (sentiment/model.py:${line})`);
    expect(r.stderr).toContain('baseline: 1 new, 0 resolved, 5 unchanged');
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('Baseline comparison: 1 new, 0 resolved, 5 unchanged.');
    expect(text).toContain(`- new: stub.not\\_implemented at [sentiment/model.py:${line}](sentiment/model.py#L${line})`);
  });

  it('does not fail when code moves: blank lines and new functions above the stubs and risks', () => {
    const root = tree();
    const helper = '\n\n\ndef _clamp(x, lo, hi):\n    """Clamp x into [lo, hi]."""\n    return max(lo, min(hi, x))\n\n\n';
    for (const f of ['evaluate.py', 'train.py', 'predict.py', 'utils.py', 'model.py'])
      edit(join(root, 'sentiment', f), (t) => {
        const end = t.indexOf('"""', 3) + 3; // after the module docstring
        return t.slice(0, end) + helper + t.slice(end);
      });
    const out = join(tempDir(), 'audit.json');
    const r = gate(root, '--out', out);
    expect(r.stderr).toContain('baseline: 0 new, 0 resolved, 5 unchanged');
    expect(r.code).toBe(0);
    const json = readJson(out);
    const base = readJson(join(root, BASELINE));
    // The findings really moved.
    expect(json.stubs.map((s: { line: number }) => s.line)).not.toEqual(base.stubs.map((s: { line: number }) => s.line));
    expect(json.risks.map((s: { line: number }) => s.line)).not.toEqual(base.risks.map((s: { line: number }) => s.line));
  });

  it('lists resolved findings where the baseline had them, and passes', () => {
    const root = tree();
    edit(join(root, 'sentiment', 'train.py'), (t) => t.replace(/^\s*# TODO: report per-class scores.*\n/m, ''));
    edit(join(root, 'sentiment', 'utils.py'), (t) => t.replace('yaml.load(f)', 'yaml.safe_load(f)'));
    const md = join(tempDir(), 'AUDIT.md');
    const out = join(tempDir(), 'audit.json');
    const r = gate(root, '--out', md, '--out', out);
    expect(r.stderr).toContain('baseline: 0 new, 2 resolved, 3 unchanged');
    expect(r.code).toBe(0);
    const base = readJson(join(root, BASELINE));
    const todo = base.stubs.find((s: { kind: string }) => s.kind === 'todo');
    const yaml = base.risks.find((s: { id: string }) => s.id === 'risk.yaml_unsafe_load');
    expect(readJson(out).gate.baseline.resolved.map(({ kind, id, path, line }: Record<string, unknown>) => ({ kind, id, path, line }))).toEqual([
      { kind: 'stub', id: 'stub.todo', path: todo.path, line: todo.line },
      { kind: 'risk', id: 'risk.yaml_unsafe_load', path: yaml.path, line: yaml.line },
    ]);
    // The gate's verdict and comparison are part of the published report schema.
    const validate = jsonSchemaValidator(readJson(join(REPO, 'dist', 'schemas', 'report.schema.json')));
    expect(validate(readJson(out)), errorsText(validate.errors)).toBe(true);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain(`- resolved: stub.todo (at [${todo.path}:${todo.line}](${todo.path}#L${todo.line}) in the baseline)`);
    expect(text).toContain(`- resolved: risk.yaml\\_unsafe\\_load (at [${yaml.path}:${yaml.line}]`);
  });

  it('fails on a new risky pattern', () => {
    const root = tree();
    edit(join(root, 'sentiment', 'utils.py'), (t) => `${t}\n\ndef run(cmd):\n    """Run a shell command."""\n    import subprocess\n    return subprocess.run(cmd, shell=True)\n`);
    const r = gate(root, '--no-report');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/gate failed: baseline: 1 new risky pattern \(risk\.shell_true at sentiment\/utils\.py:\d+\)/);
  });

  it('fails on a capability status drop and on a score drop beyond the tolerance', () => {
    const root = tree();
    rmSync(join(root, 'Dockerfile'));
    const r = gate(root, '--no-report', '--format', 'json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('gate failed: baseline: deployment dropped from partial to missing');
    expect(r.stderr).toMatch(/gate failed: baseline: score dropped by \d+ \(tolerance 0\)/);
    // A tolerance covers the score drop, not the status drop.
    writeFileSync(join(root, 'codex-audit.config.json'), JSON.stringify({ gate: { scoreTolerance: 50 } }));
    const t = gate(root, '--no-report');
    expect(t.code).toBe(1);
    expect(t.stderr).not.toContain('score dropped');
    expect(t.stderr).toContain('deployment dropped from partial to missing');
  });
});

describe('--baseline refuses what is not a baseline of this tool version and profile', () => {
  it('another tool version', () => {
    const root = tree();
    edit(join(root, BASELINE), (t) => t.replace(/"version": "[^"]+"/, '"version": "0.0.1-old"'));
    const r = gate(root, '--no-report');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/codex-audit: --baseline codex-audit\.baseline\.json: written by codex-audit 0\.0\.1-old, this is \S+; regenerate it with `codex-audit baseline --out codex-audit\.baseline\.json`/);
  });

  it('another profile', () => {
    const root = tree();
    edit(join(root, BASELINE), (t) => t.replace('"profile": "ml"', '"profile": "vision"'));
    const r = gate(root, '--no-report');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--baseline codex-audit.baseline.json: made with profile "vision", this run uses "ml"');
  });

  it('a SARIF file, invalid JSON, a missing file', () => {
    const root = tree();
    expect(cli(['--root', '.', ...QUIET_AUDIT, '--out', 'old.sarif'], { cwd: root }).code).toBe(0);
    const a = cli(['--root', '.', ...QUIET_AUDIT, '--baseline', 'old.sarif', '--no-report'], { cwd: root });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--baseline old.sarif: not a codex-audit JSON audit with baseline data');
    writeFileSync(join(root, 'broken.json'), '{"schemaVersion": 1,');
    const b = cli(['--root', '.', ...QUIET_AUDIT, '--baseline', 'broken.json', '--no-report'], { cwd: root });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--baseline broken.json: not valid JSON');
    const c = cli(['--root', '.', ...QUIET_AUDIT, '--baseline', 'nope.json', '--no-report'], { cwd: root });
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--baseline: file not found: nope.json (write one with `codex-audit baseline --out nope.json`)');
  });
});
