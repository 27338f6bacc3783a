/**
 * The exit-code contract, end to end on the built CLI: 0 audit written and gate passed; 1 gate failed
 * (report still written); 2 usage or configuration error; 3 internal error (see cli-e2e-internal).
 * Each gate failure says on stderr which rule failed and why.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUIET_AUDIT, REPO, cleanupTemps, cli, copyFixture, fixture, readJson, tempDir } from './e2e-helpers.js';

// Each test spawns the CLI a few times; a loaded machine makes that slow, never wrong.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

afterAll(cleanupTemps);

const audit = (name: string, ...args: string[]) => cli(['--root', fixture(name), ...QUIET_AUDIT, ...args]);

describe('exit 0: audit written, gate passed', () => {
  it('passes every rule on ml-complete and writes several outputs in one run', () => {
    const out = tempDir();
    const r = audit(
      'ml-complete',
      '--fail-on', 'missing,stubbed,partial,stub,risk,error',
      '--min-score', '100',
      '--strict',
      '--out', join(out, 'AUDIT.md'), '--out', join(out, 'audit.sarif'), '--out', join(out, 'audit.json'),
    );
    expect(r.stderr).toContain('gate passed');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'AUDIT.md'), 'utf8')).toMatch(/^# \[Audit\]: Implementation Status for ml-complete/);
    expect(readJson(join(out, 'audit.sarif')).version).toBe('2.1.0');
    const json = readJson(join(out, 'audit.json'));
    expect(json.schemaVersion).toBe(1);
    expect(json.gate).toEqual({ passed: true, failures: [] });
    expect(readFileSync(join(out, 'AUDIT.md'), 'utf8')).toContain('Gate: passed');
  });

  it('exits 0 without any gate option even on a repository with every capability missing', () => {
    const r = audit('plain', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.statusCounts.missing).toBe(14);
    expect(r.stderr).not.toContain('gate');
  });

  it('passes --fail-on rules whose items are absent (ts-app has no stubbed capability, no stub, no risk)', () => {
    const r = audit('ts-app', '--fail-on', 'stubbed,stub,risk', '--no-report');
    expect(r.stderr).toContain('gate passed');
    expect(r.code).toBe(0);
  });
});

describe('exit 1: gate failed, report still written, stderr names the rule and why', () => {
  it('--fail-on missing lists the missing capabilities', () => {
    const out = join(tempDir(), 'AUDIT.md');
    const r = audit('plain', '--fail-on', 'missing', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/gate failed: --fail-on missing: tokenization, modeling, training, /);
    expect(readFileSync(out, 'utf8')).toMatch(/Gate: failed\n- failed: --fail-on missing: tokenization/);
  });

  it('--fail-on stubbed lists the stubbed capabilities', () => {
    const out = join(tempDir(), 'audit.json');
    const r = audit('ml-stubs', '--fail-on', 'stubbed', '--out', out);
    expect(r.code).toBe(1);
    const json = readJson(out);
    const stubbed = json.capabilities.filter((c: { status: string }) => c.status === 'stubbed').map((c: { id: string }) => c.id);
    expect(stubbed).toEqual(expect.arrayContaining(['tokenization', 'modeling', 'training', 'checkpointing', 'data']));
    expect(r.stderr).toContain(`gate failed: --fail-on stubbed: ${stubbed.join(', ')}`);
    expect(json.gate.passed).toBe(false);
  });

  it('--fail-on partial lists the partially implemented capabilities', () => {
    const r = audit('ml-half', '--fail-on', 'partial', '--format', 'json');
    expect(r.code).toBe(1);
    const partial = JSON.parse(r.stdout).capabilities.filter((c: { status: string }) => c.status === 'partial');
    expect(partial.length).toBeGreaterThan(0);
    expect(r.stderr).toContain(`gate failed: --fail-on partial: ${partial.map((c: { id: string }) => c.id).join(', ')}`);
  });

  it('--fail-on stub counts the stubs', () => {
    const r = audit('ml-stubs', '--fail-on', 'stub', '--format', 'json');
    expect(r.code).toBe(1);
    const n = JSON.parse(r.stdout).stubs.length;
    expect(n).toBeGreaterThan(5);
    expect(r.stderr).toContain(`gate failed: --fail-on stub: ${n} stubs found`);
  });

  it('--fail-on risk counts the risky patterns', () => {
    const r = audit('ml-half', '--fail-on', 'risk', '--no-report');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('gate failed: --fail-on risk: 2 risky patterns found');
  });

  it('--fail-on error and --strict fail on scan problems (files over --max-file-size)', () => {
    const a = audit('ml-half', '--max-file-size', '200', '--fail-on', 'error', '--no-report');
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/gate failed: --fail-on error: \d+ scan problems? \(see Error Capture Blocks\)/);
    const b = audit('ml-half', '--max-file-size', '200', '--strict', '--no-report');
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/gate failed: --strict: \d+ scan problems? \(see Error Capture Blocks\)/);
    // Without --strict the same scan problems do not fail anything.
    const c = audit('ml-half', '--max-file-size', '200', '--fail-on', 'stubbed', '--no-report');
    expect(c.code).toBe(0);
  });

  it('--min-score says the score', () => {
    const r = audit('ml-half', '--min-score', '90', '--format', 'json');
    expect(r.code).toBe(1);
    const score = JSON.parse(r.stdout).summary.score;
    expect(score).toBeLessThan(90);
    expect(r.stderr).toContain(`gate failed: --min-score 90: score is ${score}`);
  });

  it('--quiet still prints the gate failure, and only that', () => {
    const r = audit('plain', '--fail-on', 'missing', '--no-report', '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr.replace(/\n$/, '').split('\n')).toEqual([expect.stringMatching(/^ {2}gate failed: --fail-on missing: /)]);
  });

  it('takes gate settings from the config, and deferred gaps do not fail the gate', () => {
    const root = copyFixture('ml-half');
    writeFileSync(join(root, 'codex-audit.config.json'), JSON.stringify({ gate: { failOn: ['missing'] } }));
    const failed = cli(['--root', root, ...QUIET_AUDIT, '--no-report']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('gate failed: --fail-on missing: tracking, extensibility');

    writeFileSync(
      join(root, 'codex-audit.config.json'),
      JSON.stringify({ gate: { failOn: ['missing'] }, deferred: { tracking: 'no experiment tracking before 1.0', extensibility: 'single model for now' } }),
    );
    const md = join(tempDir(), 'AUDIT.md');
    const passed = cli(['--root', root, ...QUIET_AUDIT, '--out', md]);
    expect(passed.stderr).toContain('gate passed');
    expect(passed.code).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text).toMatch(/## 7\) Deferred Items\n\n- tracking\.\w+: .*\n {2}- Rationale: no experiment tracking before 1\.0/);
  });
});

describe('exit 2: usage and configuration errors name the flag, or the file and the key', () => {
  it('an unknown flag', () => {
    const r = cli(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });

  it('bad flag values', () => {
    const cases: [string[], RegExp][] = [
      [['--fail-on', 'missing,nope'], /--fail-on: "nope" is not one of missing, stubbed, partial, stub, risk, error/],
      [['--min-score', 'lots'], /--min-score: "lots" is not a number from 0 to 100/],
      [['--min-score', '101'], /--min-score: "101"/],
      [['--format', 'html'], /--format: "html" is not one of md, json, sarif/],
      [['--out', 'report.txt'], /--out report.txt: cannot tell the format from the extension/],
      [['--max-file-size', 'huge'], /--max-file-size: "huge" is not a size/],
      [['--timestamp', 'yesterday'], /--timestamp: "yesterday" is not an ISO-8601 date-time/],
      [['--profile', 'vision'], /--profile: "vision" is not a known profile/],
    ];
    for (const [args, msg] of cases) {
      const r = cli(['--root', fixture('plain'), '--no-cache', ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(msg);
    }
  });

  it('a missing root, and a root that is a file', () => {
    const a = cli(['--root', join(tempDir(), 'nowhere')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--root: folder not found: .*nowhere/);
    const b = cli(['--root', join(fixture('plain'), 'README.md')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--root: not a folder/);
  });

  it('an --out in a folder that does not exist, before any audit', () => {
    const out = join(tempDir(), 'no', 'such', 'AUDIT.md');
    const r = cli(['--root', fixture('plain'), '--no-cache', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${out}: folder not found`);
  });

  it('an invalid config names the file and every key path', () => {
    const root = copyFixture('plain');
    writeFileSync(join(root, 'codex-audit.config.json'), JSON.stringify({ gate: { failOn: ['missing'], typo: 1 }, exclude: [3] }));
    const r = cli(['--root', root, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('codex-audit: codex-audit.config.json: invalid configuration');
    expect(r.stderr).toMatch(/^ {2}gate\.typo: unknown key$/m);
    expect(r.stderr).toMatch(/^ {2}exclude\[0\]: .*expected string/m);
  });

  it('YAML configs, .codex-auditrc, package.json#codexAudit and --config FILE are all validated', () => {
    const root = copyFixture('plain');
    writeFileSync(join(root, '.codex-auditrc.yaml'), 'gate:\n  minScore: high\n');
    const a = cli(['--root', root, '--no-cache']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/\.codex-auditrc\.yaml: invalid configuration\n {2}gate\.minScore: /);

    const other = join(tempDir(), 'ci.yml');
    writeFileSync(other, 'signals:\n  training.grad_clipping:\n    - cal: "my_lib.clip"\n');
    const b = cli(['--root', root, '--no-cache', '--config', other]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/ci\.yml: invalid configuration\n {2}signals\.training\.grad_clipping\[0\]/);

    const pkgRoot = copyFixture('ts-app');
    const pkg = readJson(join(pkgRoot, 'package.json'));
    writeFileSync(join(pkgRoot, 'package.json'), JSON.stringify({ ...pkg, codexAudit: { disable: 'tokenization' } }));
    const c = cli(['--root', pkgRoot, '--no-cache']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/package\.json: invalid configuration\n {2}codexAudit\.disable: /);

    const d = cli(['--root', root, '--no-cache', '--config', join(tempDir(), 'absent.json')]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--config: file not found: .*absent\.json/);
  });

  it('ids in the config that do not exist are named with their key path', () => {
    const root = copyFixture('plain');
    writeFileSync(join(root, 'codex-audit.config.json'), JSON.stringify({ deferred: { 'training.warp_drive': 'later' } }));
    const r = cli(['--root', root, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('codex-audit.config.json: deferred.training.warp_drive: not a sub-feature or capability id');
  });

  it('a broken --templates file is a usage error, and no output is half written', () => {
    const tpl = tempDir();
    writeFileSync(join(tpl, 'report.md'), '# {{root}}\n{{#capabilities}}\n- {{title}}\n');
    const out = tempDir();
    const r = cli(['--root', fixture('plain'), ...QUIET_AUDIT, '--templates', tpl, '--out', join(out, 'audit.json'), '--out', join(out, 'AUDIT.md')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--templates ${tpl}: template report: section {{#capabilities}} is not closed`);
    expect(existsSync(join(out, 'audit.json'))).toBe(false);
    expect(existsSync(join(out, 'AUDIT.md'))).toBe(false);

    const missing = cli(['--root', fixture('plain'), '--no-cache', '--templates', join(tpl, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--templates: folder not found');
  });

  it('a good --templates override is used', () => {
    const tpl = tempDir();
    writeFileSync(join(tpl, 'findings.md'), '## 3) High-Signal Findings\n\nCUSTOM {{#findings}}[{{n}}]{{/findings}}\n');
    const r = cli(['--root', fixture('plain'), ...QUIET_AUDIT, '--templates', tpl]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CUSTOM \[1\]/);
  });

  it('unknown ids for explain; baseline without --out', () => {
    const a = cli(['explain', 'training.warp_drive']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('explain: unknown id "training.warp_drive"');
    const b = cli(['baseline', '--root', fixture('plain'), '--no-cache']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('baseline: give exactly one --out FILE');
  });
});

describe('subcommands and help', () => {
  it('--help and --version exit 0 and document the exit codes', () => {
    const h = cli(['audit', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Exit codes: 0 audit written and gate passed, 1 gate failed');
    expect(h.stdout).toContain('--fail-on <list>');
    const v = cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(readJson(join(REPO, 'package.json')).version);
  });

  it('schema prints the config JSON Schema and schema --report the report schema', () => {
    const a = cli(['schema']);
    expect(a.code).toBe(0);
    const s = JSON.parse(a.stdout);
    expect(s.additionalProperties).toBe(false);
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['include', 'exclude', 'maxFileSize', 'disable', 'signals', 'capabilities', 'deferred', 'gate']));
    const b = cli(['schema', '--report']);
    expect(b.code).toBe(0);
    expect(Object.keys(JSON.parse(b.stdout).properties)).toEqual(expect.arrayContaining(['schemaVersion', 'tool', 'capabilities', 'stubs', 'risks', 'baseline']));
  });

  it('writes into a folder given relative to the working folder', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'reports'));
    const r = cli(['--root', fixture('plain'), ...QUIET_AUDIT, '--out', 'reports/audit.sarif'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote reports/audit.sarif');
    expect(readJson(join(cwd, 'reports', 'audit.sarif')).runs[0].tool.driver.name).toBe('codex-audit');
  });
});
