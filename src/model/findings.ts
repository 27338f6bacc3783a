import type { CapabilityResult, HighSignalFinding, ReproItem } from './types.js';
import type { RepoLayout } from './layout.js';

/** Where new code for a sub-feature would go in this repository, in words. */
export function suggestedPlace(subfeatureId: string, layout: RepoLayout): string {
  const cap = subfeatureId.split('.')[0];
  if (subfeatureId.endsWith('.tests') || cap === 'ci_tests') return layout.testsDir ? `${layout.testsDir}/` : layout.primary === 'typescript' ? 'test/' : 'tests/';
  if (cap === 'configuration' && subfeatureId === 'configuration.files') return layout.configDir ? `${layout.configDir}/` : 'configs/';
  if (cap === 'security' || cap === 'deployment' || cap === 'docs') return 'the repository root';
  if (layout.primary === 'typescript') return layout.tsSource ? `${layout.tsSource}/` : 'src/';
  return layout.pythonPackage ? `${layout.pythonPackage}/` : 'the main package';
}

/**
 * High-signal findings, ranked: core gaps first, then reproducibility gaps, then other gaps;
 * within a rank, lower capability score first (the weakest areas lead).
 */
export function rankFindings(caps: CapabilityResult[], repro: ReproItem[], layout: RepoLayout, limit = 15): HighSignalFinding[] {
  const scored: { rank: number; score: number; order: number; f: HighSignalFinding }[] = [];
  let order = 0;
  for (const c of caps) {
    for (const s of c.subfeatures) {
      if (s.state === 'present' || s.deferred) continue;
      const stubbed = s.state === 'stubbed';
      scored.push({
        rank: s.core ? 0 : 2,
        score: c.score,
        order: order++,
        f: {
          title: `${stubbed ? 'Finish' : 'Add'} ${lowerFirst(s.title)} (${c.title})`,
          detail: `${s.gap ?? ''}${stubbed && s.evidence[0] ? ` The stub is at ${s.evidence[0].path}:${s.evidence[0].line}.` : ''} Place: ${suggestedPlace(s.id, layout)}.`,
          subfeature: s.id,
          path: s.evidence[0]?.path,
        },
      });
    }
  }
  for (const r of repro) {
    if (r.status === 'provided') continue;
    scored.push({
      rank: 1,
      score: r.status === 'partial' ? 50 : 0,
      order: order++,
      f: {
        title: `Reproducibility: ${r.item} (${r.status === 'partial' ? 'partial' : 'missing'})`,
        detail: r.note ?? `Provide ${r.item.toLowerCase()} so runs can be repeated.`,
        path: r.evidence[0]?.path,
      },
    });
  }
  scored.sort((a, b) => a.rank - b.rank || a.score - b.score || a.order - b.order);
  return scored.slice(0, limit).map((s) => s.f);
}

/** `Learning-rate schedule` -> `learning-rate schedule`, but `README quick start` stays. */
function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}
