import type { FileFacts } from '../facts/types.js';
import { detectLayout } from '../model/layout.js';
import type { AtomicDiff, AuditReport, SubFeatureResult } from '../model/types.js';
import { usesMlFramework } from '../capabilities/checkpointing/definition.js';
import { PATCHES, PatchSkip, gapState, type PatchContext, type PatchDef } from './catalog.js';
import { pythonPlacement, tsPlacement, type ReadFile } from './placement.js';
import { fileDiff } from './unified.js';

/**
 * Section 4 of the report, "Atomic Diffs": for the most valuable gaps with a standard remedy, a
 * unified diff adapted to this repository's layout that `git apply` accepts on the audited tree,
 * with Why / Risk / Rollback / Tests.
 *
 * Rules: a diff is only ever for a gap (a sub-feature absent or stubbed and not deferred, or a
 * Reproducibility row not provided); it never overwrites a file (a patch whose new file exists is
 * skipped); a modified file's context lines come from its real text, read through the injected
 * `readFile`; no two diffs touch the same file, so they apply one after the other in any order.
 * Ranking: core gaps first, then reproducibility gaps, then the rest; general remedies before
 * ML-only ones in a repository without ML code; weaker capabilities first; then catalog order.
 */

export type { ReadFile } from './placement.js';
export { rootBoundedReader } from './reader.js';

export const DEFAULT_MAX_DIFFS = 5;

export interface BuildDiffsOptions {
  /** How many diffs to return (default 5). */
  max?: number;
}

/** A diff with what the tests and the CLI need besides the report fields. */
export interface PlannedDiff extends AtomicDiff {
  /** Catalog id of the remedy (`reproducibility`, `local_gate`, ...). */
  id: string;
  files: string[];
  /** Gaps the patch closes once applied (sub-feature and Reproducibility row ids). */
  closes: string[];
  rank: number;
}

export interface DiffPlan {
  /** Ranked, conflict-free, at most `max`. */
  diffs: PlannedDiff[];
  /** Remedies left out, with the reason (no gap, target exists, no flavour for this language, ...). */
  skipped: { id: string; reason: string }[];
}

function titleOf(ctx: PatchContext, id: string): string {
  const s = ctx.subfeature(id);
  if (s) return `${s.title} (\`${s.id}\`)`;
  const row = ctx.report.reproducibility.find((r) => r.id === id);
  return row ? `Reproducibility: ${row.item}` : id;
}

function rollbackOf(files: { path: string; before?: string }[]): string {
  const created = files.filter((f) => f.before === undefined).map((f) => `\`${f.path}\``);
  return `Reverse the patch (\`git apply -R\`), or delete ${created.join(', ')}; nothing else in the repository imports ${created.length === 1 ? 'it' : 'them'}.`;
}

/** Plan the diffs: every remedy tried, ranked, conflicts dropped, cut to `max`. */
export function planDiffs(report: AuditReport, files: FileFacts[], readFile: ReadFile, opts: BuildDiffsOptions = {}): DiffPlan {
  const max = opts.max ?? DEFAULT_MAX_DIFFS;
  const skipped: DiffPlan['skipped'] = [];
  if (max <= 0) return { diffs: [], skipped };
  const layout = detectLayout(files);
  const subs = new Map<string, SubFeatureResult>();
  const capScore = new Map<string, number>();
  for (const c of report.capabilities) {
    for (const s of c.subfeatures) {
      subs.set(s.id, s);
      capScore.set(s.id, c.score);
    }
  }
  const known = new Set(files.map((f) => f.path.toLowerCase()));
  const ctx: PatchContext = {
    report,
    files,
    layout,
    flavour: layout.primary,
    read: readFile,
    exists: (path) => known.has(path.toLowerCase()) || readFile(path) !== undefined,
    py: pythonPlacement(layout),
    ts: layout.primary === 'typescript' ? tsPlacement(layout, files, readFile) : 'not a TypeScript repository',
    subfeature: (id) => subs.get(id),
  };
  const mlRepo = files.some(usesMlFramework);
  const candidates: { diff: PlannedDiff; mlPenalty: number; score: number; order: number; paths: string[] }[] = [];
  PATCHES.forEach((def: PatchDef, order) => {
    const gaps = def.targets.filter((t) => gapState(ctx, t));
    if (gaps.length === 0) {
      skipped.push({ id: def.id, reason: 'no gap: every targeted sub-feature is present or deferred' });
      return;
    }
    let proposal;
    try {
      proposal = def.build(ctx);
    } catch (e) {
      skipped.push({ id: def.id, reason: e instanceof PatchSkip ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    const closing = gaps.filter((g) => proposal.closes.includes(g));
    const subfeature = closing.find((g) => subs.has(g)) ?? gaps.find((g) => subs.has(g)) ?? gaps[0];
    const core = gaps.some((g) => subs.get(g)?.core);
    const repro = gaps.some((g) => g.startsWith('repro.'));
    const primary = subs.get(subfeature);
    const stubNote = primary?.state === 'stubbed' && primary.evidence[0] ? ` The stub at ${primary.evidence[0].path}:${primary.evidence[0].line} stays: call the new code from it, or replace it.` : '';
    const closesText = closing.length > 0 ? ` Closes: ${closing.map((g) => titleOf(ctx, g)).join('; ')}.` : '';
    const diff = proposal.changes.map((c) => fileDiff(c.path, c.before, c.after)).join('');
    if (diff === '') {
      skipped.push({ id: def.id, reason: 'the patch would change nothing' });
      return;
    }
    const scores = gaps.map((g) => capScore.get(g)).filter((s): s is number => s !== undefined);
    candidates.push({
      diff: {
        id: def.id,
        subfeature,
        title: proposal.title,
        why: proposal.why + closesText + stubNote,
        risk: proposal.risk,
        rollback: proposal.rollback ?? rollbackOf(proposal.changes),
        tests: proposal.tests,
        diff,
        files: proposal.changes.map((c) => c.path),
        closes: closing,
        rank: core ? 0 : repro ? 1 : 2,
      },
      mlPenalty: def.mlSpecific && !mlRepo ? 1 : 0,
      score: scores.length > 0 ? Math.min(...scores) : 100,
      order,
      paths: proposal.changes.map((c) => c.path.toLowerCase()),
    });
  });
  candidates.sort((a, b) => a.diff.rank - b.diff.rank || a.mlPenalty - b.mlPenalty || a.score - b.score || a.order - b.order);
  const touched = new Set<string>();
  const diffs: PlannedDiff[] = [];
  for (const c of candidates) {
    const clash = c.paths.find((p) => touched.has(p));
    if (clash) {
      skipped.push({ id: c.diff.id, reason: `${clash} is changed by a higher-ranked diff` });
      continue;
    }
    if (diffs.length >= max) {
      skipped.push({ id: c.diff.id, reason: `beyond --max-diffs ${max}` });
      continue;
    }
    for (const p of c.paths) touched.add(p);
    diffs.push(c.diff);
  }
  return { diffs, skipped };
}

/** The report's Atomic Diffs: ranked, conflict-free diffs for the top gaps (at most `opts.max`, default 5). */
export function buildDiffs(report: AuditReport, files: FileFacts[], readFile: ReadFile, opts: BuildDiffsOptions = {}): AtomicDiff[] {
  return planDiffs(report, files, readFile, opts).diffs.map(({ subfeature, title, why, risk, rollback, tests, diff, files: paths, closes }) => ({
    subfeature,
    title,
    why,
    risk,
    rollback,
    tests,
    diff,
    files: paths,
    closes,
  }));
}

/** `NN-<subfeature-id>.patch`: the file name of the n-th diff (0-based) in `--patches-dir`. */
export function patchFileName(index: number, diff: Pick<AtomicDiff, 'subfeature'>): string {
  return `${String(index + 1).padStart(2, '0')}-${diff.subfeature.replace(/[^A-Za-z0-9._-]/g, '_')}.patch`;
}
