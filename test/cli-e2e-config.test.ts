/**
 * The configuration end to end: discovery, every kind of key (include/exclude, limits, disabled
 * capabilities, extra signals, custom capabilities, deferred gaps, gate settings), the starter config,
 * and inline suppressions (`codex-audit: ignore[ID] reason`), on the built CLI.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUIET_AUDIT, cleanupTemps, cli, copyFixture, readJson, tempDir } from './e2e-helpers.js';
import { errorsText, jsonSchemaValidator } from './schema-validators.js';

// Each test spawns the CLI a few times; a loaded machine makes that slow, never wrong.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

afterAll(cleanupTemps);

function edit(path: string, f: (lines: string[]) => string[]): void {
  const lines = readFileSync(path, 'utf8').split('\n');
  writeFileSync(path, f(lines).join('\n'));
}

describe('config keys change the audit', () => {
  it('include/exclude, maxFileSize, disable, extra signals and a custom capability', () => {
    const root = copyFixture('ml-half');
    writeFileSync(join(root, 'sentiment', 'track.py'), 'import my_lib\n\n\ndef start(cfg):\n    """Start a tracked run."""\n    return my_lib.track_run("sentiment", cfg)\n');
    writeFileSync(join(root, 'sentiment', 'big_table.py'), `TABLE = [\n${'    0,\n'.repeat(2000)}]\n`);
    writeFileSync(
      join(root, 'codex-audit.config.yaml'),
      [
        'exclude: ["tests/**"]',
        'maxFileSize: 4k',
        'disable: [tokenization]',
        'signals:',
        '  tracking.tracker:',
        '    - call: my_lib.track_run',
        'capabilities:',
        '  - id: api_contract',
        '    title: API contract',
        '    why: Clients of the prediction service need a written contract.',
        '    subfeatures:',
        '      - id: api_contract.openapi',
        '        title: OpenAPI document',
        '        core: true',
        '        summary: An openapi.yaml describing the HTTP API.',
        '        gap: Add an openapi.yaml that describes the prediction endpoint.',
        '        signals:',
        '          - file: openapi.yaml',
        '',
      ].join('\n'),
    );
    const out = tempDir();
    const r = cli(['--root', root, ...QUIET_AUDIT, '--out', join(out, 'a.json'), '--out', join(out, 'a.sarif'), '--out', join(out, 'a.md')]);
    expect(r.stderr).not.toContain('codex-audit:');
    expect(r.code).toBe(0);
    const json = readJson(join(out, 'a.json'));
    const ids = json.capabilities.map((c: { id: string }) => c.id);
    expect(ids).not.toContain('tokenization');
    expect(ids).toContain('api_contract');
    const paths = json.repoMap.dirs.map((d: { name: string }) => d.name);
    expect(paths).not.toContain('tests');
    expect(json.errors.some((e: { path: string; message: string }) => e.path === 'sentiment/big_table.py')).toBe(true);
    const tracking = json.capabilities.find((c: { id: string }) => c.id === 'tracking');
    const tracker = tracking.subfeatures.find((s: { id: string }) => s.id === 'tracking.tracker');
    expect(tracker.state).toBe('present');
    expect(tracker.evidence[0].path).toBe('sentiment/track.py');
    const custom = json.capabilities.find((c: { id: string }) => c.id === 'api_contract');
    expect(custom.status).toBe('missing');
    expect(custom.gaps).toEqual(['Add an openapi.yaml that describes the prediction endpoint.']);

    const sarif = readJson(join(out, 'a.sarif'));
    const rule = sarif.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'api_contract.openapi');
    expect(rule.help.text).toContain('Add an openapi.yaml that describes the prediction endpoint.');
    expect(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'api_contract.openapi')).toBe(true);
    expect(readFileSync(join(out, 'a.md'), 'utf8')).toContain('| API contract | Missing (0) |');

    // The custom capability becomes Implemented once its file exists.
    writeFileSync(join(root, 'openapi.yaml'), 'openapi: 3.0.0\ninfo:\n  title: sentiment\n  version: 1.0.0\npaths: {}\n');
    const again = cli(['--root', root, ...QUIET_AUDIT, '--format', 'json', '--include', 'openapi.yaml', '--include', 'sentiment/**']);
    expect(again.code).toBe(0);
    const j2 = JSON.parse(again.stdout);
    expect(j2.capabilities.find((c: { id: string }) => c.id === 'api_contract').status).toBe('implemented');
    expect(j2.stubs.every((s: { path: string }) => s.path.startsWith('sentiment/'))).toBe(true);
    expect(j2.repoMap.dirs.map((d: { name: string }) => d.name).sort()).toEqual(['.', 'sentiment']);
  });

  it('refuses a custom capability that reuses a built-in id, naming the key path', () => {
    const root = copyFixture('plain');
    const sub = { id: 'training.x', title: 'X', summary: 'x', gap: 'x', signals: [{ file: 'x' }] };
    writeFileSync(join(root, 'codex-audit.config.json'), JSON.stringify({ capabilities: [{ id: 'training', title: 'T', why: 'w', subfeatures: [sub] }] }));
    const r = cli(['--root', root, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('codex-audit.config.json: capabilities[0].id: "training" is a built-in capability');
  });
});

describe('codex-audit init', () => {
  it('writes a starter config that passes validation and a plain audit with it', () => {
    const root = copyFixture('ml-complete');
    const r = cli(['init', '--root', root]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote codex-audit.config.json');
    const cfg = readJson(join(root, 'codex-audit.config.json'));
    expect(cfg.gate).toBeDefined();
    // Valid against the JSON Schema that `codex-audit schema` prints.
    const schema = cli(['schema']);
    expect(schema.code).toBe(0);
    const validate = jsonSchemaValidator(JSON.parse(schema.stdout));
    expect(validate(cfg), errorsText(validate.errors)).toBe(true);
    expect(validate({ ...cfg, gate: { ...cfg.gate, typo: 1 } })).toBe(false);
    // The starter config is discovered, validated and used: its gate runs and passes on ml-complete.
    const a = cli(['--root', root, ...QUIET_AUDIT, '--no-report']);
    expect(a.stderr).not.toContain('codex-audit:');
    expect(a.stderr).toContain('gate passed');
    expect(a.code).toBe(0);
    // Never overwrites a config.
    const again = cli(['init', '--root', root]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('codex-audit.config.json already exists; not overwriting it');
  });
});

describe('inline suppressions', () => {
  it('silence a finding on the line or the line before, with the reason; unused ones are reported', () => {
    const root = copyFixture('ml-half');
    // Line before: the unsafe torch.load and the stub function.
    edit(join(root, 'sentiment', 'predict.py'), (l) => {
      const i = l.findIndex((x) => x.includes('torch.load('));
      const indent = /^\s*/.exec(l[i])?.[0] ?? '';
      return [...l.slice(0, i), `${indent}# codex-audit: ignore[risk.torch_load_unsafe] checkpoints are written by our own trainer`, ...l.slice(i)];
    });
    edit(join(root, 'sentiment', 'evaluate.py'), (l) => {
      const i = l.findIndex((x) => x.startsWith('def expected_calibration_error'));
      return [...l.slice(0, i), '# codex-audit: ignore[stub.not_implemented] calibration comes in 0.3', ...l.slice(i)];
    });
    // Same line: yaml.load. And one suppression that silences nothing.
    edit(join(root, 'sentiment', 'utils.py'), (l) =>
      l.map((x) => (x.includes('yaml.load(') ? `${x}  # codex-audit: ignore[risk.yaml_unsafe_load] trusted local file` : x)).concat(['# codex-audit: ignore[risk.pickle_load] nothing to silence here', '']),
    );
    const out = tempDir();
    const r = cli(['--root', root, ...QUIET_AUDIT, '--fail-on', 'risk', '--out', join(out, 'a.json'), '--out', join(out, 'a.md')]);
    expect(r.stderr).toContain('gate passed');
    expect(r.code).toBe(0);
    const json = readJson(join(out, 'a.json'));
    expect(json.risks).toEqual([]);
    expect(json.stubs.map((s: { kind: string }) => s.kind).sort()).toEqual(['fixme', 'todo']);
    expect(json.suppressed).toEqual([
      { id: 'stub.not_implemented', path: 'sentiment/evaluate.py', line: 22, reason: 'calibration comes in 0.3' },
      { id: 'risk.torch_load_unsafe', path: 'sentiment/predict.py', line: 17, reason: 'checkpoints are written by our own trainer' },
      { id: 'risk.yaml_unsafe_load', path: 'sentiment/utils.py', line: 18, reason: 'trusted local file' },
    ]);
    expect(json.unusedSuppressions).toEqual([{ id: 'risk.pickle_load', path: 'sentiment/utils.py', line: expect.any(Number) }]);
    const md = readFileSync(join(out, 'a.md'), 'utf8');
    expect(md).toContain('Suppressed findings (3):');
    expect(md).toMatch(/- risk\.yaml\\_unsafe\\_load at \[sentiment\/utils\.py:18\]\(sentiment\/utils\.py#L18\): trusted local file/);
    expect(md).toContain('Unused suppressions (1):');
  });
});
