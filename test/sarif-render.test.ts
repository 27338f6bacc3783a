/** renderSarif (src/report/sarif.ts) on synthetic reports: edge cases the fixtures do not reach. */
import { describe, expect, it } from 'vitest';
import { renderSarif, pathToUri } from '../src/report/sarif.js';
import { capabilities } from '../src/capabilities/index.js';
import { riskRules } from '../src/capabilities/risks.js';
import type { AuditReport, CapabilityResult } from '../src/model/types.js';
import { errorsText, sarifValidator } from './schema-validators.js';

function gapCap(id: string): CapabilityResult {
  const def = capabilities.find((c) => c.id === id);
  if (!def) throw new Error(id);
  return {
    id,
    title: def.title,
    status: 'missing',
    score: 0,
    subfeatures: def.subfeatures.map((s) => ({ id: s.id, title: s.title, core: s.core, state: 'absent', evidence: [], gap: s.gap })),
    gaps: def.subfeatures.map((s) => s.gap),
    risks: [],
    patchPlan: '',
    rollbackPlan: '',
  };
}

function report(p: Partial<AuditReport>): AuditReport {
  return {
    schemaVersion: 1,
    tool: { name: 'codex-audit', version: '0.1.0' },
    root: 'r',
    generatedAt: '2026-01-31T12:00:00Z',
    profile: 'ml',
    summary: { files: 0, lines: 0, score: 0, statusCounts: { implemented: 0, partial: 0, stubbed: 0, missing: 2 } },
    repoMap: { dirs: [], keyFiles: [] },
    capabilities: [gapCap('training'), gapCap('docs')],
    stubs: [],
    testStubs: [],
    placeholders: [],
    risks: [],
    reproducibility: [],
    testCommands: [],
    mlTestScore: [],
    findings: [],
    diffs: [],
    deferred: [],
    errors: [],
    suppressed: [],
    unusedSuppressions: [],
    ...p,
  };
}

const render = (r: AuditReport, files: string[]) => JSON.parse(renderSarif(r, { defs: [...capabilities], riskRules, files }));
const uris = (s: any) => s.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri);

describe('renderSarif', () => {
  it('locates gaps of an empty repository at the README that should exist, with a line', () => {
    const s = render(report({}), []);
    expect(sarifValidator()(s)).toBe(true);
    expect(s.runs[0].results.length).toBeGreaterThan(0);
    expect(new Set(uris(s))).toEqual(new Set(['README.md']));
    for (const x of s.runs[0].results) expect(x.locations[0].physicalLocation.region).toEqual({ startLine: 1 });
  });

  it('puts documentation gaps at the README and the others at the manifest', () => {
    const s = render(report({}), ['README.md', 'pyproject.toml', 'src/a.py']);
    for (const x of s.runs[0].results) expect(x.locations[0].physicalLocation.artifactLocation.uri).toBe(x.ruleId.startsWith('docs.') ? 'README.md' : 'pyproject.toml');
  });

  it('gives identical findings in one file distinct fingerprints, and percent-encodes odd paths', () => {
    const stub = { path: 'src/a b#c%.py', kind: 'todo' as const, text: 'TODO: later' };
    const s = render(report({ capabilities: [], stubs: [{ ...stub, line: 3 }, { ...stub, line: 9 }] }), ['src/a b#c%.py']);
    const validate = sarifValidator();
    expect(validate(s), errorsText(validate.errors)).toBe(true);
    const fps = s.runs[0].results.map((x: any) => x.partialFingerprints['codexAudit/v1']);
    expect(new Set(fps).size).toBe(2);
    expect(uris(s)).toEqual([pathToUri('src/a b#c%.py'), pathToUri('src/a b#c%.py')]);
    expect(uris(s)[0]).toBe('src/a%20b%23c%25.py');
  });

  it('reports scan problems as tool notifications, not results', () => {
    const s = render(report({ capabilities: [], errors: [{ step: 'STEP_2:PARSE', path: 'x.py', message: 'bad', context: '', causes: [], resolution: [] }] }), ['x.py']);
    expect(s.runs[0].results).toEqual([]);
    expect(s.runs[0].invocations[0].toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: 'STEP_2:PARSE: bad' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'x.py', uriBaseId: 'SRCROOT' } } }], descriptor: { id: 'STEP_2:PARSE' } },
    ]);
  });
});
