import type { Status, SubFeatureState } from './types.js';

/**
 * The status and score rules of CAPABILITIES.md ("Status of a capability"), as pure functions of the
 * sub-feature states.
 */

export const CORE_WEIGHT = 2;
export const OTHER_WEIGHT = 1;

interface Judged {
  core: boolean;
  state: SubFeatureState;
}

/**
 * Implemented: every core sub-feature is present. Partial: at least one present, not every core.
 * Stubbed: none present, at least one stubbed. Missing: none present or stubbed.
 * A capability without core sub-features treats all of them as core (a custom capability must not
 * become Implemented from one sub-feature of many).
 */
export function statusOf(subs: readonly Judged[]): Status {
  if (!subs.some((s) => s.state === 'present')) return subs.some((s) => s.state === 'stubbed') ? 'stubbed' : 'missing';
  const cores = subs.some((s) => s.core) ? subs.filter((s) => s.core) : subs;
  return cores.every((s) => s.state === 'present') ? 'implemented' : 'partial';
}

/** Present weight / total weight x 100, rounded (core weighs 2, others 1); 0 without sub-features. */
export function scoreOf(subs: readonly Judged[]): number {
  let total = 0;
  let present = 0;
  for (const s of subs) {
    const w = s.core ? CORE_WEIGHT : OTHER_WEIGHT;
    total += w;
    if (s.state === 'present') present += w;
  }
  return total === 0 ? 0 : Math.round((present / total) * 100);
}

/** The repository score: the rounded mean of the capability scores (0 for none). */
export function repositoryScore(results: readonly { score: number }[]): number {
  if (results.length === 0) return 0;
  return Math.round(results.reduce((n, r) => n + r.score, 0) / results.length);
}

export function statusCounts(results: readonly { status: Status }[]): Record<Status, number> {
  const counts: Record<Status, number> = { implemented: 0, partial: 0, stubbed: 0, missing: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}
