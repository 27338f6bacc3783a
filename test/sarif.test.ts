/**
 * SARIF 2.1.0 end to end on every fixture: valid against the official schema (test/schemas/, a copy of the
 * OASIS file), one rule per sub-feature, stub kind and risky pattern with help drawn from the same prose
 * as the Markdown, every result located at a relative URI with a line, stable partialFingerprints.
 * The JSON report of the same run is validated against its published schema (`codex-audit schema --report`).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { capabilities } from '../src/capabilities/index.js';
import { riskRules } from '../src/capabilities/risks.js';
import { FIXTURE_NAMES, QUIET_AUDIT, cleanupTemps, cli, copyFixture, fixture, readJson, tempDir } from './e2e-helpers.js';
import { errorsText, jsonSchemaValidator, sarifValidator } from './schema-validators.js';

// Each test spawns the CLI a few times; a loaded machine makes that slow, never wrong.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  properties?: { capability?: string; state?: string };
}
interface SarifRule {
  id: string;
  help: { text: string; markdown: string };
  fullDescription: { text: string };
}

const out = tempDir('ca-sarif-');
const runs: Record<string, { sarif: any; json: any; md: string }> = {};
let reportSchema: unknown;

beforeAll(() => {
  for (const name of FIXTURE_NAMES) {
    const r = cli(['--root', fixture(name), ...QUIET_AUDIT, '--out', join(out, `${name}.sarif`), '--out', join(out, `${name}.json`), '--out', join(out, `${name}.md`)]);
    if (r.code !== 0) throw new Error(`${name}: exit ${r.code}\n${r.stderr}`);
    runs[name] = { sarif: readJson(join(out, `${name}.sarif`)), json: readJson(join(out, `${name}.json`)), md: readFileSync(join(out, `${name}.md`), 'utf8') };
  }
  const s = cli(['schema', '--report']);
  if (s.code !== 0) throw new Error(s.stderr);
  reportSchema = JSON.parse(s.stdout);
});
afterAll(cleanupTemps);

const results = (name: string): SarifResult[] => runs[name].sarif.runs[0].results;
const rules = (name: string): SarifRule[] => runs[name].sarif.runs[0].tool.driver.rules;

describe.each(FIXTURE_NAMES)('%s', (name) => {
  it('the SARIF is valid against the official SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const ok = validate(runs[name].sarif);
    expect(errorsText(validate.errors)).toBe('');
    expect(ok).toBe(true);
    expect(runs[name].sarif.version).toBe('2.1.0');
  });

  it('the JSON report is valid against the published report schema', () => {
    const validate = jsonSchemaValidator(reportSchema);
    const ok = validate(runs[name].json);
    expect(errorsText(validate.errors)).toBe('');
    expect(ok).toBe(true);
  });

  it('has one rule per sub-feature, stub kind and risky pattern, with unique ids', () => {
    const subfeatures = capabilities.reduce((n, c) => n + c.subfeatures.length, 0);
    const ids = rules(name).map((r) => r.id);
    expect(ids).toHaveLength(subfeatures + 7 + riskRules.length);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of capabilities) for (const s of c.subfeatures) expect(ids).toContain(s.id);
    for (const k of ['todo', 'fixme', 'tbd', 'xxx', 'hack', 'not_implemented', 'empty_body']) expect(ids).toContain(`stub.${k}`);
    for (const r of riskRules) expect(ids).toContain(r.id);
  });

  it('every result names its rule and has a physical location: a relative URI of an audited file, and a line', () => {
    const all = rules(name);
    const files = new Set<string>();
    const walk = (d: string, rel: string): void => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p, `${rel}${e}/`);
        else files.add(`${rel}${e}`);
      }
    };
    walk(fixture(name), '');
    for (const r of results(name)) {
      expect(all[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.message.text.length).toBeGreaterThan(0);
      expect(r.locations.length).toBeGreaterThanOrEqual(1);
      for (const l of r.locations) {
        const { uri, uriBaseId } = l.physicalLocation.artifactLocation;
        expect(uri).not.toMatch(/^[A-Za-z][A-Za-z0-9+.-]*:|^\/|\\|(^|\/)\.\.(\/|$)/);
        expect(uriBaseId).toBe('SRCROOT');
        expect(files.has(decodeURIComponent(uri))).toBe(true);
        expect(l.physicalLocation.region?.startLine).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('has one result per stub, per risky pattern and per sub-feature gap that is not deferred', () => {
    const { json } = runs[name];
    const gaps = json.capabilities.flatMap((c: any) => c.subfeatures.filter((s: any) => s.state !== 'present' && !s.deferred));
    const byKind = (p: string) => results(name).filter((r) => r.ruleId.startsWith(p)).length;
    expect(byKind('stub.')).toBe(json.stubs.length);
    expect(byKind('risk.')).toBe(json.risks.length);
    expect(results(name).length).toBe(gaps.length + json.stubs.length + json.risks.length);
  });

  it('partialFingerprints are present and unique within the run', () => {
    const fps = results(name).map((r) => r.partialFingerprints['codexAudit/v1']);
    for (const f of fps) expect(f).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(fps).size).toBe(fps.length);
  });

  it('rule help is the prose the Markdown report uses (sub-feature gaps, why it matters)', () => {
    const byId = new Map(rules(name).map((r) => [r.id, r]));
    for (const c of runs[name].json.capabilities)
      for (const s of c.subfeatures) {
        if (s.gap === undefined) continue;
        expect(byId.get(s.id)?.help.text.startsWith(s.gap)).toBe(true);
        expect(c.gaps.some((g: string) => g.endsWith(s.gap)) || s.deferred !== undefined).toBe(true);
      }
    for (const r of riskRules) {
      expect(byId.get(r.id)?.help.text).toContain(r.why);
      expect(byId.get(r.id)?.help.text).toContain(r.fix);
    }
  });
});

describe('where capability gaps are located', () => {
  const gapResults = (name: string) => results(name).filter((r) => r.properties?.state !== undefined);

  it('absent sub-features at the package root manifest, documentation gaps at the README', () => {
    for (const [name, manifest] of [['ts-app', 'package.json'], ['ml-stubs', 'pyproject.toml'], ['plain', 'README.md'], ['ml-half', 'README.md']] as const) {
      const absent = gapResults(name).filter((r) => r.properties?.state === 'absent');
      expect(absent.length).toBeGreaterThan(0);
      for (const r of absent) {
        const at = r.locations[0].physicalLocation;
        const want = r.properties?.capability === 'docs' && existsSync(join(fixture(name), 'README.md')) ? 'README.md' : manifest;
        expect({ rule: r.ruleId, uri: at.artifactLocation.uri, line: at.region?.startLine }).toEqual({ rule: r.ruleId, uri: want, line: 1 });
      }
    }
  });

  it('stubbed sub-features at their stub evidence', () => {
    const stubbed = gapResults('ml-stubs').filter((r) => r.properties?.state === 'stubbed');
    expect(stubbed.length).toBeGreaterThan(0);
    for (const r of stubbed) {
      const sub = runs['ml-stubs'].json.capabilities.flatMap((c: any) => c.subfeatures).find((s: any) => s.id === r.ruleId);
      const at = r.locations[0].physicalLocation;
      expect({ uri: at.artifactLocation.uri, line: at.region?.startLine }).toEqual({ uri: sub.evidence[0].path, line: sub.evidence[0].line });
    }
  });
});

describe('partialFingerprints are stable', () => {
  it('do not change when lines move', () => {
    const root = copyFixture('ml-stubs');
    for (const f of readdirSync(join(root, 'skelm')).filter((x) => x.endsWith('.py'))) {
      const p = join(root, 'skelm', f);
      writeFileSync(p, `\n\n# moved down three lines\n${readFileSync(p, 'utf8')}`);
    }
    const r = cli(['--root', root, ...QUIET_AUDIT, '--format', 'sarif']);
    expect(r.code).toBe(0);
    const moved: SarifResult[] = JSON.parse(r.stdout).runs[0].results;
    const key = (x: SarifResult) => `${x.ruleId} ${x.partialFingerprints['codexAudit/v1']}`;
    const lines = (rs: SarifResult[]) => rs.filter((x) => x.ruleId.startsWith('stub.')).map((x) => x.locations[0].physicalLocation.region?.startLine);
    expect(lines(moved)).not.toEqual(lines(results('ml-stubs')));
    expect(moved.map(key).sort()).toEqual(results('ml-stubs').map(key).sort());
  });
});
