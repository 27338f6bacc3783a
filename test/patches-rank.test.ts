// Ranking and skipping: core gaps first, then reproducibility gaps; general remedies before ML-only
// ones in a repository without ML code; never a diff for a present or deferred sub-feature; never
// an overwrite; `max` respected; no file touched by two diffs.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runAudit } from '../src/audit.js';
import type { FileFacts } from '../src/facts/types.js';
import type { AuditReport } from '../src/model/types.js';
import { buildDiffs, patchFileName, planDiffs, rootBoundedReader, type ReadFile } from '../src/patches/index.js';
import { PATCHES } from '../src/patches/catalog.js';
import { FIXTURES, TIMESTAMP } from './patches-kit.js';

let plain: { report: AuditReport; files: FileFacts[]; read: ReadFile };
let mlHalf: { report: AuditReport; files: FileFacts[]; read: ReadFile };

async function load(name: string): Promise<{ report: AuditReport; files: FileFacts[]; read: ReadFile }> {
  const root = join(FIXTURES, name);
  const r = await runAudit({ root, timestamp: TIMESTAMP, cacheDir: false, jobs: 1, maxDiffs: 0 });
  if (!r.index) throw new Error('no repository index (report cache hit?)');
  return { report: r.report, files: r.index.files, read: rootBoundedReader(root) };
}

beforeAll(async () => {
  plain = await load('plain');
  mlHalf = await load('ml-half');
});

/** A deep copy of `report` with the given sub-features set to a state (and optionally deferred). */
function withStates(report: AuditReport, states: Record<string, 'present' | 'absent' | 'stubbed'>, deferred: string[] = []): AuditReport {
  const copy = structuredClone(report);
  for (const c of copy.capabilities) {
    for (const s of c.subfeatures) {
      if (states[s.id]) s.state = states[s.id];
      if (deferred.includes(s.id)) s.deferred = 'not now';
    }
  }
  return copy;
}

describe('ranking', () => {
  it('puts diffs for core gaps first, then reproducibility gaps, then the rest', () => {
    const { diffs } = planDiffs(mlHalf.report, mlHalf.files, mlHalf.read, { max: 50 });
    const ranks = diffs.map((d) => d.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks).toContain(0);
    expect(ranks).toContain(1);
    const core = new Set(mlHalf.report.capabilities.flatMap((c) => c.subfeatures.filter((s) => s.core && s.state !== 'present').map((s) => s.id)));
    for (const d of diffs.filter((x) => x.rank === 0)) expect(PATCHES.find((p) => p.id === d.id)?.targets.some((t) => core.has(t))).toBe(true);
    for (const d of diffs.filter((x) => x.rank === 1)) expect(PATCHES.find((p) => p.id === d.id)?.targets.some((t) => t.startsWith('repro.'))).toBe(true);
    // ml-half's top five are all core gaps; the reproducibility remedies follow.
    expect(diffs.slice(0, 5).every((d) => d.rank === 0)).toBe(true);
    expect(diffs.filter((d) => d.rank === 1).map((d) => d.id)).toEqual(['reproducibility', 'checkpoint', 'metrics_sink']);
  });

  it('ranks general remedies before ML-only ones in a repository without ML code', () => {
    const { diffs } = planDiffs(plain.report, plain.files, plain.read, { max: 50 });
    const core = diffs.filter((d) => d.rank === 0).map((d) => d.id);
    expect(core.slice(0, 4).sort()).toEqual(['configuration', 'local_gate', 'precommit_secrets', 'readme']);
    expect(core.slice(4)).toEqual(['tracking', 'offline_logging']);
  });

  it('returns at most max diffs (default 5), the top of the same ranking', () => {
    const all = planDiffs(mlHalf.report, mlHalf.files, mlHalf.read, { max: 50 }).diffs;
    expect(all.length).toBeGreaterThan(5);
    expect(buildDiffs(mlHalf.report, mlHalf.files, mlHalf.read).map((d) => d.diff)).toEqual(all.slice(0, 5).map((d) => d.diff));
    expect(buildDiffs(mlHalf.report, mlHalf.files, mlHalf.read, { max: 2 })).toHaveLength(2);
  });

  it('with max 0 builds nothing and reads nothing', () => {
    let reads = 0;
    expect(buildDiffs(mlHalf.report, mlHalf.files, (p) => (reads++, mlHalf.read(p)), { max: 0 })).toEqual([]);
    expect(reads).toBe(0);
  });
});

describe('skipping', () => {
  it('gives no diff once every targeted sub-feature is present', () => {
    const report = withStates(plain.report, { 'evaluation.sink': 'present' });
    report.reproducibility = report.reproducibility.map((r) => (r.id === 'repro.metrics_sink' ? { ...r, status: 'provided' } : r));
    const plan = planDiffs(report, plain.files, plain.read, { max: 50 });
    expect(plan.diffs.map((d) => d.id)).not.toContain('metrics_sink');
    expect(plan.skipped).toContainEqual({ id: 'metrics_sink', reason: 'no gap: every targeted sub-feature is present or deferred' });
  });

  it('never names a present sub-feature: the diff is for the first remaining gap', () => {
    const report = withStates(plain.report, { 'checkpointing.atomic_write': 'present' });
    const d = planDiffs(report, plain.files, plain.read, { max: 50 }).diffs.find((x) => x.id === 'checkpoint');
    expect(d?.subfeature).toBe('checkpointing.metadata');
    expect(d?.closes).not.toContain('checkpointing.atomic_write');
    expect(d?.why).not.toContain('`checkpointing.atomic_write`');
  });

  it('names a Reproducibility row when it is the only gap left', () => {
    const report = withStates(plain.report, { 'checkpointing.rng_state': 'present' });
    const d = planDiffs(report, plain.files, plain.read, { max: 50 }).diffs.find((x) => x.id === 'reproducibility');
    expect(d?.subfeature).toBe('repro.seeds');
    expect(patchFileName(0, d ?? { subfeature: '' })).toBe('01-repro.seeds.patch');
  });

  it('gives no diff for deferred sub-features', () => {
    const report = withStates(plain.report, {}, ['logging.backend', 'logging.system_metrics']);
    const plan = planDiffs(report, plain.files, plain.read, { max: 50 });
    expect(plan.diffs.map((d) => d.id)).not.toContain('offline_logging');
  });

  it('mentions the stub when the gap is a stubbed sub-feature', () => {
    const report = withStates(plain.report, { 'evaluation.sink': 'stubbed' });
    const sub = report.capabilities.flatMap((c) => c.subfeatures).find((s) => s.id === 'evaluation.sink');
    if (sub) sub.evidence = [{ path: 'strutil/count.py', line: 3, excerpt: 'def write_metrics' }];
    const d = planDiffs(report, plain.files, plain.read, { max: 50 }).diffs.find((x) => x.id === 'metrics_sink');
    expect(d?.why).toContain('The stub at strutil/count.py:3 stays');
  });

  it('never overwrites: a patch whose new file exists (walked or only readable) is skipped', () => {
    const files = [...plain.files, { ...plain.files[0], path: 'strutil/metrics_sink.py' }];
    const planA = planDiffs(plain.report, files, plain.read, { max: 50 });
    expect(planA.diffs.map((d) => d.id)).not.toContain('metrics_sink');
    expect(planA.skipped).toContainEqual({ id: 'metrics_sink', reason: 'strutil/metrics_sink.py already exists (never overwritten)' });
    const read: ReadFile = (p) => (p === 'tox.ini' || p === 'noxfile.py' ? '[tox]\n' : plain.read(p));
    const planB = planDiffs(plain.report, plain.files, read, { max: 50 });
    expect(planB.skipped).toContainEqual({ id: 'local_gate', reason: 'tox.ini and noxfile.py already exist' });
  });

  it('uses the real text of a modified file for its context lines', () => {
    const read: ReadFile = (p) => (p === 'README.md' ? '# strutil\n\nSmall helpers.\n\n## License\n\nMIT.\n' : plain.read(p));
    const d = planDiffs(plain.report, plain.files, read, { max: 50 }).diffs.find((x) => x.id === 'readme');
    expect(d?.diff).toContain('--- a/README.md\n+++ b/README.md\n@@ -5,3 +5,13 @@\n ## License\n \n MIT.\n+\n+## Quick start\n');
  });

  it('skips a modification when the file cannot be read, instead of guessing its text', () => {
    const read: ReadFile = (p) => (p === 'README.md' ? undefined : plain.read(p));
    const plan = planDiffs(plain.report, plain.files, read, { max: 50 });
    expect(plan.skipped).toContainEqual({ id: 'readme', reason: 'README.md is not readable' });
  });

  it('keeps every file to one diff, so the diffs apply in any order', () => {
    for (const r of [plain, mlHalf]) {
      const files = planDiffs(r.report, r.files, r.read, { max: 50 }).diffs.flatMap((d) => d.files.map((f) => f.toLowerCase()));
      expect(new Set(files).size).toBe(files.length);
    }
  });
});

describe('a repository without a README', () => {
  it('gets a new README.md with a title and the quick start', () => {
    const files = plain.files.filter((f) => f.path !== 'README.md');
    const read: ReadFile = (p) => (p === 'README.md' ? undefined : plain.read(p));
    const d = planDiffs(plain.report, files, read, { max: 50 }).diffs.find((x) => x.id === 'readme');
    expect(d?.title).toBe('README with a quick start (README.md)');
    expect(d?.diff).toContain('--- /dev/null\n+++ b/README.md\n@@ -0,0 +1,');
    expect(d?.diff).toContain(`+# ${plain.report.root}\n+\n+What ${plain.report.root} does, in one paragraph.\n+\n+## Quick start\n`);
    expect(d?.risk).toContain('Replace the placeholder summary line');
  });
});
