/** Gate evaluation and baseline comparison (src/gate.ts) on small synthetic reports. */
import { describe, expect, it } from 'vitest';
import {
  baselineFromJson,
  baselineFromReport,
  compareBaseline,
  evaluateGate,
  gateStatus,
  riskFingerprint,
  stubFingerprint,
  type BaselineData,
} from '../src/gate.js';
import type { AuditReport, CapabilityResult, RiskFinding, Status, StubFinding, SubFeatureResult } from '../src/model/types.js';

function cap(id: string, status: Status, subs: Partial<SubFeatureResult>[] = []): CapabilityResult {
  return {
    id,
    title: id,
    status,
    score: status === 'implemented' ? 100 : 0,
    subfeatures: subs.map((s, i) => ({ id: `${id}.s${i}`, title: `s${i}`, core: true, state: 'absent', evidence: [], ...s })),
    gaps: [],
    risks: [],
    patchPlan: '',
    rollbackPlan: '',
  };
}

function report(p: Partial<AuditReport> = {}): AuditReport {
  return {
    schemaVersion: 1,
    tool: { name: 'codex-audit', version: '9.9.9' },
    root: 'r',
    generatedAt: '2026-01-31T12:00:00Z',
    profile: 'ml',
    summary: { files: 1, lines: 1, score: 50, statusCounts: { implemented: 0, partial: 0, stubbed: 0, missing: 0 } },
    repoMap: { dirs: [], keyFiles: [] },
    capabilities: [],
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

const stub = (path: string, line: number, extra: Partial<StubFinding> = {}): StubFinding => ({ path, line, kind: 'not_implemented', symbol: 'f', text: 'raise NotImplementedError', ...extra });
const risk = (path: string, line: number, extra: Partial<RiskFinding> = {}): RiskFinding => ({ id: 'risk.pickle_load', path, line, excerpt: 'pickle.load(f)', severity: 'error', ...extra });
const errorBlock = { step: 'STEP_2:PARSE', path: 'x.py', message: 'boom', context: '', causes: [], resolution: [] };

describe('evaluateGate without a baseline', () => {
  const r = report({
    capabilities: [cap('a', 'missing'), cap('b', 'stubbed'), cap('c', 'partial'), cap('d', 'implemented')],
    stubs: [stub('x.py', 1), stub('y.py', 2)],
    risks: [risk('z.py', 3)],
    errors: [errorBlock],
  });

  it('passes with no rule', () => {
    expect(evaluateGate(r, { failOn: [] })).toEqual({ passed: true, failures: [], baseline: undefined });
  });

  it('says which rule failed and why, one line per rule', () => {
    const g = evaluateGate(r, { failOn: ['missing', 'stubbed', 'partial', 'stub', 'risk', 'error'], minScore: 60 });
    expect(g.passed).toBe(false);
    expect(g.failures).toEqual([
      '--fail-on missing: a',
      '--fail-on stubbed: b',
      '--fail-on partial: c',
      '--fail-on stub: 2 stubs found',
      '--fail-on risk: 1 risky pattern found',
      '--fail-on error: 1 scan problem (see Error Capture Blocks)',
      '--min-score 60: score is 50',
    ]);
  });

  it('--strict fails on scan problems and names itself', () => {
    expect(evaluateGate(r, { failOn: [], strict: true }).failures).toEqual(['--strict: 1 scan problem (see Error Capture Blocks)']);
    expect(evaluateGate(report(), { failOn: [], strict: true }).passed).toBe(true);
  });

  it('a score equal to --min-score passes', () => {
    expect(evaluateGate(r, { failOn: [], minScore: 50 }).passed).toBe(true);
  });

  it('deferred gaps do not fail --fail-on', () => {
    const allDeferred = cap('t', 'missing', [{ deferred: 'later' }, { deferred: 'later', core: false }]);
    expect(gateStatus(allDeferred)).toBe('implemented');
    const oneDeferred = cap('u', 'partial', [{ state: 'present' }, { deferred: 'later' }, { core: false }]);
    expect(gateStatus(oneDeferred)).toBe('implemented');
    const stillPartial = cap('v', 'partial', [{ state: 'present' }, { deferred: 'later', core: false }, {}]);
    expect(gateStatus(stillPartial)).toBe('partial');
    const g = evaluateGate(report({ capabilities: [allDeferred, oneDeferred, stillPartial] }), { failOn: ['missing', 'partial'] });
    expect(g.failures).toEqual(['--fail-on partial: v']);
  });
});

describe('fingerprints', () => {
  it('ignore the line, so moved code keeps its fingerprint', () => {
    expect(stubFingerprint(stub('a.py', 3))).toBe(stubFingerprint(stub('a.py', 300)));
    expect(riskFingerprint(risk('a.py', 3))).toBe(riskFingerprint(risk('a.py', 90)));
  });
  it('normalise white space and case of the text', () => {
    expect(stubFingerprint(stub('a.py', 1, { text: 'TODO:  fix   this' }))).toBe(stubFingerprint(stub('a.py', 9, { text: 'todo: fix this ' })));
    expect(riskFingerprint(risk('a.py', 1, { excerpt: 'pickle.load( f )' }))).toBe(riskFingerprint(risk('a.py', 1, { excerpt: 'pickle.load(  f  )' })));
  });
  it('change with the path, the symbol, the kind or the text', () => {
    const base = stubFingerprint(stub('a.py', 1));
    expect(stubFingerprint(stub('b.py', 1))).not.toBe(base);
    expect(stubFingerprint(stub('a.py', 1, { symbol: 'g' }))).not.toBe(base);
    expect(stubFingerprint(stub('a.py', 1, { kind: 'empty_body' }))).not.toBe(base);
    expect(stubFingerprint(stub('a.py', 1, { text: 'other' }))).not.toBe(base);
    expect(riskFingerprint(risk('a.py', 1, { id: 'risk.eval_exec' }))).not.toBe(riskFingerprint(risk('a.py', 1)));
  });
});

describe('baseline comparison', () => {
  const before = report({
    capabilities: [cap('a', 'implemented'), cap('b', 'partial')],
    summary: { files: 1, lines: 1, score: 60, statusCounts: { implemented: 1, partial: 1, stubbed: 0, missing: 0 } },
    stubs: [stub('x.py', 10), stub('x.py', 20, { symbol: 'g' }), stub('x.py', 30, { symbol: 'g' })],
    risks: [risk('z.py', 5)],
  });
  const fromJson = (r: AuditReport): BaselineData =>
    baselineFromJson(JSON.parse(JSON.stringify({ ...r, baseline: baselineFromReport(r) })), 'base.json', r.tool.version, r.profile);

  it('an unchanged tree, or one whose lines moved, passes with everything unchanged', () => {
    const moved = { ...before, stubs: before.stubs.map((s) => ({ ...s, line: s.line + 7 })), risks: before.risks.map((x) => ({ ...x, line: 99 })) };
    for (const now of [before, moved]) {
      const g = evaluateGate(now, { failOn: [], baseline: fromJson(before) });
      expect(g.passed).toBe(true);
      expect(g.baseline).toEqual({ newFindings: [], resolved: [], unchanged: 4, statusDrops: [], scoreDrop: 0 });
    }
  });

  it('a new stub or risk fails and is located; a third copy of an identical stub is new (multiset)', () => {
    const now = { ...before, stubs: [...before.stubs, stub('x.py', 40, { symbol: 'g' }), stub('new.py', 1)], risks: [...before.risks, risk('z.py', 6, { excerpt: 'pickle.loads(b)' })] };
    const g = evaluateGate(now, { failOn: ['missing'], baseline: fromJson(before) });
    expect(g.passed).toBe(false);
    expect(g.baseline?.newFindings).toEqual([
      { kind: 'stub', path: 'x.py', line: 40, id: 'stub.not_implemented' },
      { kind: 'stub', path: 'new.py', line: 1, id: 'stub.not_implemented' },
      { kind: 'risk', path: 'z.py', line: 6, id: 'risk.pickle_load' },
    ]);
    expect(g.failures).toEqual(['baseline: 2 new stubs (x.py:40, new.py:1)', 'baseline: 1 new risky pattern (risk.pickle_load at z.py:6)']);
  });

  it('resolved findings are listed where the baseline had them', () => {
    const now = { ...before, stubs: [before.stubs[0], before.stubs[2]], risks: [] };
    const d = compareBaseline(now, fromJson(before));
    expect(d.unchanged).toBe(2);
    expect(d.resolved.map(({ kind, id, path, line }) => ({ kind, id, path, line }))).toEqual([
      { kind: 'stub', id: 'stub.not_implemented', path: 'x.py', line: 20 },
      { kind: 'risk', id: 'risk.pickle_load', path: 'z.py', line: 5 },
    ]);
    expect(evaluateGate(now, { failOn: [], baseline: fromJson(before) }).passed).toBe(true);
  });

  it('status drops and score drops beyond the tolerance fail', () => {
    const now = { ...before, capabilities: [cap('a', 'partial'), cap('b', 'implemented')], summary: { ...before.summary, score: 55 } };
    const g = evaluateGate(now, { failOn: [], baseline: fromJson(before) });
    expect(g.failures).toEqual(['baseline: a dropped from implemented to partial', 'baseline: score dropped by 5 (tolerance 0)']);
    const tolerant = evaluateGate({ ...now, capabilities: before.capabilities }, { failOn: [], baseline: fromJson(before), scoreTolerance: 5 });
    expect(tolerant.passed).toBe(true);
  });

  it('with a baseline, --fail-on statuses and kinds give way to regressions; --min-score and --strict still apply', () => {
    const now = { ...before, errors: [errorBlock] };
    expect(evaluateGate(now, { failOn: ['partial', 'stub', 'risk'], baseline: fromJson(before) }).passed).toBe(true);
    expect(evaluateGate(now, { failOn: [], strict: true, minScore: 70, baseline: fromJson(before) }).failures).toEqual([
      '--strict: 1 scan problem (see Error Capture Blocks)',
      '--min-score 70: score is 60',
    ]);
  });
});

describe('baselineFromJson', () => {
  const r = report({ stubs: [stub('x.py', 1)] });
  const json = () => JSON.parse(JSON.stringify({ ...r, baseline: baselineFromReport(r) }));

  it('reads a JSON audit of the same version and profile', () => {
    const b = baselineFromJson(json(), 'b.json', '9.9.9', 'ml');
    expect(b.stubs).toEqual([stubFingerprint(stub('x.py', 1))]);
    expect(b.score).toBe(50);
  });
  it('refuses another tool version, naming both and how to regenerate', () => {
    expect(() => baselineFromJson(json(), 'b.json', '10.0.0', 'ml')).toThrow(
      '--baseline b.json: written by codex-audit 9.9.9, this is 10.0.0; regenerate it with `codex-audit baseline --out b.json`',
    );
  });
  it('refuses another profile', () => {
    expect(() => baselineFromJson({ ...json(), profile: 'vision' }, 'b.json', '9.9.9', 'ml')).toThrow('--baseline b.json: made with profile "vision", this run uses "ml"');
  });
  it('refuses files that are not JSON audits with baseline data', () => {
    for (const bad of [null, [], 'x', { version: '2.1.0', runs: [] }, { schemaVersion: 1 }, { schemaVersion: 2, baseline: {} }])
      expect(() => baselineFromJson(bad, 'b.json', '9.9.9', 'ml')).toThrow(/not a codex-audit JSON audit with baseline data/);
    expect(() => baselineFromJson({ ...json(), baseline: { toolVersion: '9.9.9' } }, 'b.json', '9.9.9', 'ml')).toThrow(/baseline data is incomplete/);
  });
});
