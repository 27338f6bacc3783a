// End-to-end: every fixture repository is copied, committed, audited; every emitted patch passes
// `git apply --check` on the audited tree, they all apply in order, the new Python compiles, imports
// without torch and passes its own tests (pytest, when installed), the new TypeScript type-checks and
// passes its own vitest tests, and a re-audit shows every closed gap present.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { audit, checkPython, checkTypescript, FIXTURES, gitApply, gitRepo, removeRepo, runPytest, runVitest, type Audited } from './patches-kit.js';
import type { PlannedDiff } from '../src/patches/index.js';

/** Compiling, type-checking and running the generated tests spawns python, tsc and vitest. */
const HEAVY = 180_000;

const FIXTURE_NAMES = ['ml-complete', 'ml-half', 'ml-stubs', 'ts-app', 'plain'] as const;

/** What each fixture must at least get (the ranking decides the order; the audit decides the rest). */
const EXPECTED: Record<(typeof FIXTURE_NAMES)[number], { min: number; ids: string[] }> = {
  'ml-complete': { min: 0, ids: [] },
  'ml-half': { min: 6, ids: ['readme', 'precommit_secrets', 'dependency_lock', 'reproducibility', 'checkpoint', 'metrics_sink', 'tracking', 'offline_logging'] },
  'ml-stubs': { min: 6, ids: ['precommit_secrets', 'local_gate', 'reproducibility', 'checkpoint', 'metrics_sink', 'configuration'] },
  'ts-app': { min: 3, ids: ['checkpoint', 'metrics_sink', 'precommit_secrets'] },
  plain: { min: 8, ids: ['readme', 'precommit_secrets', 'local_gate', 'configuration', 'reproducibility', 'data_splits'] },
};

function newFiles(diffs: PlannedDiff[]): string[] {
  return diffs.flatMap((d) => d.files.filter((f) => d.diff.includes(`new file mode 100644\n--- /dev/null\n+++ b/${f}\n`)));
}

for (const name of FIXTURE_NAMES) {
  describe(`patches on fixture ${name}`, () => {
    let repo = '';
    let before: Audited;

    beforeAll(async () => {
      repo = gitRepo(`ca-patches-${name}-`, join(FIXTURES, name));
      before = await audit(repo);
    }, HEAVY);
    afterAll(() => removeRepo(repo));

    it('emits the expected remedies, only for gaps, and the report carries the same diffs', () => {
      const { diffs, skipped } = before.plan;
      expect(skipped.filter((s) => s.reason.startsWith('internal error'))).toEqual([]);
      expect(diffs.length).toBeGreaterThanOrEqual(EXPECTED[name].min);
      expect(diffs.map((d) => d.id)).toEqual(expect.arrayContaining(EXPECTED[name].ids));
      const subs = new Map(before.run.report.capabilities.flatMap((c) => c.subfeatures.map((s) => [s.id, s] as const)));
      for (const d of diffs) {
        const s = subs.get(d.subfeature);
        if (s) expect(s.state, `${d.id} is for ${d.subfeature}`).not.toBe('present');
        else expect(before.run.report.reproducibility.find((r) => r.id === d.subfeature)?.status).not.toBe('provided');
      }
      expect(before.run.report.diffs.map((d) => d.diff)).toEqual(diffs.map((d) => d.diff));
    });

    it('every patch passes git apply --check on the audited tree', () => {
      for (const d of before.plan.diffs) {
        const r = gitApply(repo, d.diff, d.id, true);
        expect(r.status, `${d.id}: ${r.stderr}`).toBe(0);
      }
    });

    it('all patches apply in order; the new code compiles, imports and passes its tests; a re-audit shows the gaps closed', async () => {
      const diffs = before.plan.diffs;
      for (const d of diffs) {
        const r = gitApply(repo, d.diff, d.id, false);
        expect(r.status, `${d.id}: ${r.stderr}`).toBe(0);
      }
      const created = newFiles(diffs);
      const py = created.filter((f) => f.endsWith('.py'));
      const ts = created.filter((f) => f.endsWith('.ts'));
      expect(checkPython(repo, py)).toEqual([]);
      expect(runPytest(repo, py.filter((f) => /(^|\/)test_[^/]*\.py$/.test(f)))).toEqual([]);
      expect(checkTypescript(repo, ts)).toEqual([]);
      expect(runVitest(repo, ts.filter((f) => /\.(test|spec)\.ts$/.test(f)))).toEqual([]);

      const after = await audit(repo);
      const report = after.run.report;
      const state = (id: string): string | undefined =>
        report.capabilities.flatMap((c) => c.subfeatures).find((s) => s.id === id)?.state ?? report.reproducibility.find((r) => r.id === id)?.status;
      for (const d of diffs) for (const id of d.closes) expect(`${d.id} -> ${id}: ${state(id)}`).toMatch(/: (present|provided)$/);
      // The suggested code is clean by the auditor's own rules: no stub, no risky pattern.
      const touched = new Set(diffs.flatMap((d) => d.files));
      expect(report.stubs.filter((s) => touched.has(s.path))).toEqual([]);
      expect(report.risks.filter((r) => touched.has(r.path))).toEqual([]);
      // Applied remedies are not offered again.
      const again = new Set(after.plan.diffs.map((d) => d.id));
      expect(diffs.map((d) => d.id).filter((id) => again.has(id))).toEqual([]);
    }, HEAVY);
  });
}
