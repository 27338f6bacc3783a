import type { AuditReport } from '../model/types.js';
import { baselineFromReport } from '../gate.js';

/** The JSON report: the stable contract of PRODUCT.md (schemaVersion 1), with extra fields welcome. */
export function jsonView(r: AuditReport): unknown {
  return {
    schemaVersion: r.schemaVersion,
    tool: r.tool,
    root: r.root,
    generatedAt: r.generatedAt,
    profile: r.profile,
    summary: r.summary,
    capabilities: r.capabilities.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      score: c.score,
      subfeatures: c.subfeatures.map((s) => ({
        id: s.id,
        title: s.title,
        core: s.core,
        state: s.state,
        evidence: s.evidence,
        ...(s.gap !== undefined ? { gap: s.gap } : {}),
        ...(s.note !== undefined ? { note: s.note } : {}),
        ...(s.deferred !== undefined ? { deferred: s.deferred } : {}),
      })),
      gaps: c.gaps,
      risks: c.risks,
      patchPlan: c.patchPlan,
      rollbackPlan: c.rollbackPlan,
    })),
    stubs: r.stubs,
    testStubs: r.testStubs,
    placeholders: r.placeholders,
    risks: r.risks,
    reproducibility: r.reproducibility,
    tests: { commands: r.testCommands, mlTestScore: r.mlTestScore },
    findings: r.findings,
    diffs: r.diffs,
    deferred: r.deferred,
    repoMap: r.repoMap,
    errors: r.errors,
    suppressed: r.suppressed,
    unusedSuppressions: r.unusedSuppressions,
    ...(r.gate ? { gate: r.gate } : {}),
    baseline: baselineFromReport(r),
  };
}

export function renderJson(r: AuditReport): string {
  return JSON.stringify(jsonView(r), null, 2) + '\n';
}
