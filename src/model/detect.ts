import { FILE_EXAMPLE, type RepoIndex } from '../facts/index.js';
import type { CapabilityDef, Signal, SubFeatureDef } from './capability.js';
import { collectMatches, type SignalContext, type SignalHit, type SignalMatches } from './signals.js';
import { scoreOf, statusOf } from './status.js';
import type { CapabilityResult, Evidence, SubFeatureResult, SubFeatureState } from './types.js';

export { repositoryScore, statusCounts, statusOf, scoreOf } from './status.js';

/**
 * Capability detection: every sub-feature's signals are matched over the RepoIndex, the evidence is
 * judged present / stubbed / absent, and the capability gets its status, score and gaps
 * (CAPABILITIES.md). Pure: the same index and definitions give the same result.
 */

export interface DetectOptions {
  /** Sub-feature id (or capability id, for all its sub-features) -> reason the gap is deferred. */
  deferred?: Record<string, string>;
  /** Sub-feature id -> signals added to the definition's own (from the config). */
  extraSignals?: Record<string, Signal[]>;
}

/** At most this many evidence items are kept per sub-feature. */
export const MAX_EVIDENCE = 5;

/** Prefix of a stubbed sub-feature's gap in `CapabilityResult.gaps`. */
export const STUBBED_GAP_PREFIX = 'Stubbed: ';

interface Candidate {
  fi: number;
  line: number;
  hit: SignalHit;
  matches: SignalMatches;
}

/**
 * Chooses up to MAX_EVIDENCE items from a stream in location order, to show the most: the first item
 * of each file, files outside examples before example files, then further items in order. Memory
 * stays bounded however many matches stream through, and `settled` tells when no later item can
 * change the choice.
 */
class EvidencePicker {
  count = 0;
  private readonly buckets: Candidate[][] = [[], [], [], []];
  private lastFile = -1;

  offer(fi: number, line: number, hit: SignalHit, matches: SignalMatches, example: boolean): void {
    this.count++;
    const first = fi !== this.lastFile;
    this.lastFile = fi;
    const bucket = this.buckets[(first ? 0 : 2) + (example ? 1 : 0)];
    if (bucket.length < MAX_EVIDENCE) bucket.push({ fi, line, hit, matches });
  }

  /** Enough first-of-file items outside examples: later items rank after them. */
  get settled(): boolean {
    return this.buckets[0].length >= MAX_EVIDENCE;
  }

  pick(index: RepoIndex): Evidence[] {
    return this.buckets
      .flat()
      .slice(0, MAX_EVIDENCE)
      .sort((a, b) => a.fi - b.fi || a.line - b.line)
      .map((c) => ({ path: index.files[c.fi].path, line: c.line, excerpt: c.matches.excerpt(c.hit) }));
  }
}

/**
 * Walk the sub-feature's matches in location order (files are sorted by path), one per location: a
 * merge of the signals' sorted lists, the earliest signal naming a location several found. Evidence
 * outside stubs goes to `live`, inside stubs to `stubbed` (only while nothing is live). Stops as soon
 * as the live choice is settled.
 */
function walkMatches(lists: SignalMatches[], index: RepoIndex, live: EvidencePicker, stubbed: EvidencePicker): void {
  const visit = (hit: SignalHit, m: SignalMatches): void => {
    const example = (index.fileFlags(hit.fi) & FILE_EXAMPLE) !== 0;
    if (!index.inStubAt(hit.fi, hit.line)) live.offer(hit.fi, hit.line, hit, m, example);
    else if (live.count === 0) stubbed.offer(hit.fi, hit.line, hit, m, example);
  };
  if (lists.length === 1) {
    const m = lists[0];
    for (const hit of m.hits) {
      visit(hit, m);
      if (live.settled) return;
    }
    return;
  }
  const pos = lists.map(() => 0);
  for (;;) {
    let best = -1;
    let bfi = 0;
    let bline = 0;
    for (let k = 0; k < lists.length; k++) {
      const h = lists[k].hits[pos[k]];
      if (h && (best < 0 || h.fi < bfi || (h.fi === bfi && h.line < bline))) {
        best = k;
        bfi = h.fi;
        bline = h.line;
      }
    }
    if (best < 0) return;
    visit(lists[best].hits[pos[best]], lists[best]);
    if (live.settled) return;
    for (let k = 0; k < lists.length; k++) {
      const h = lists[k].hits[pos[k]];
      if (h && h.fi === bfi && h.line === bline) pos[k]++;
    }
  }
}

function detectSubFeature(
  cap: CapabilityDef,
  sf: SubFeatureDef,
  index: RepoIndex,
  ctx: SignalContext,
  opts: DetectOptions,
): SubFeatureResult {
  const sctx: SignalContext = { ...ctx, capability: cap.id, subfeature: sf.id };
  const signals = [...sf.signals, ...(opts.extraSignals?.[sf.id] ?? [])];
  const notes: string[] = [];
  const lists: SignalMatches[] = [];
  for (const signal of signals) {
    const matches = collectMatches(signal, index, sctx);
    notes.push(...matches.notes);
    // A declared dependency alone is not evidence: weak matches neither count nor show.
    if (!matches.weak && matches.hits.length > 0) lists.push(matches);
  }
  const live = new EvidencePicker();
  const stubbed = new EvidencePicker();
  if (lists.length > 0) walkMatches(lists, index, live, stubbed);
  const state: SubFeatureState = live.count > 0 ? 'present' : stubbed.count > 0 ? 'stubbed' : 'absent';
  const result: SubFeatureResult = {
    id: sf.id,
    title: sf.title,
    core: sf.core,
    state,
    evidence: state === 'present' ? live.pick(index) : stubbed.pick(index),
  };
  if (state !== 'present') {
    result.gap = sf.gap;
    const reason = opts.deferred?.[sf.id] ?? opts.deferred?.[cap.id];
    if (reason !== undefined) result.deferred = reason;
  }
  if (notes.length > 0) result.note = [...new Set(notes)].join('; ');
  return result;
}

/** Judge one capability: sub-feature states, status, score, gaps (deferred ones excluded), prose from the definition. */
export function detectCapability(def: CapabilityDef, index: RepoIndex, ctx: SignalContext = {}, opts: DetectOptions = {}): CapabilityResult {
  const subfeatures = def.subfeatures.map((sf) => detectSubFeature(def, sf, index, ctx, opts));
  const gaps = subfeatures
    .filter((s) => s.state !== 'present' && s.deferred === undefined)
    .map((s) => (s.state === 'stubbed' ? STUBBED_GAP_PREFIX : '') + (s.gap ?? s.title));
  return {
    id: def.id,
    title: def.title,
    status: statusOf(subfeatures),
    score: scoreOf(subfeatures),
    subfeatures,
    gaps,
    risks: [...def.risks],
    patchPlan: def.patchPlan,
    rollbackPlan: def.rollbackPlan,
  };
}

/** Judge every capability, in the order given. */
export function detectAll(
  defs: readonly CapabilityDef[],
  index: RepoIndex,
  ctx: SignalContext = {},
  opts: DetectOptions = {},
): CapabilityResult[] {
  return defs.map((d) => detectCapability(d, index, ctx, opts));
}
