import type { AssignmentFact, CallFact, Language } from '../facts/types.js';
import type { Signal } from './capability.js';
import { detached } from '../facts/compact.js';

/**
 * What a detector reads of the three big fact lists (calls, assignments, names), declared so that the
 * pipeline keeps only the facts some detector can use (see src/model/relevance.ts). Most calls of a
 * repository (`len`, `self.proj`, `x.view`) match nothing any detector asks about; keeping them costs
 * memory in proportion to the repository and buys no verdict.
 *
 * Signals (`{ call: ... }`, `{ assign: ... }`, `{ name: ... }`, inside `all` too) declare themselves:
 * every signal of a capability definition, of the config and of the reproducibility checklist is
 * collected. Code that reads the lists itself (a custom detector, the risk scan, the test classifier)
 * declares a FactUse next to that code, and signals it matches through `matchSignal` with
 * `declareSignals`. A predicate may keep more than its code reads, never less: the facts it rejects
 * are gone for every detector.
 *
 * A call, assignment or name signal matched against filtered facts without having been declared is
 * reported as an Error Capture Block (src/model/signals.ts), so a missing declaration cannot go unseen.
 */
export interface FactUse {
  /** Keep every call of this callee (asked once per distinct callee and language: keep it cheap to state, not to run). */
  callee?: (callee: string, language: Language) => boolean;
  /** Keep this call (arguments and keywords as short source text, as in CallFact); asked when no callee verdict kept it. */
  call?: (c: CallFact, language: Language) => boolean;
  assignment?: (a: AssignmentFact, language: Language) => boolean;
  name?: (name: string, language: Language) => boolean;
}

const uses = new Map<string, FactUse>();
const signals = new Map<string, readonly Signal[]>();

/** Declare what `owner` (a module or detector name) reads of calls, assignments and names. The last declaration of an owner wins. */
export function declareFactUse(owner: string, use: FactUse): void {
  uses.set(owner, use);
}

/** Declare signals `owner` matches through matchSignal outside any definition (a custom detector's own). */
export function declareSignals(owner: string, list: readonly Signal[]): void {
  signals.set(owner, list);
}

/** Every declared FactUse, by owner name order (stable). */
export function declaredFactUses(): FactUse[] {
  return [...uses.keys()].sort().map((k) => uses.get(k) as FactUse);
}

/** Every declared signal list, concatenated in owner name order. */
export function declaredSignals(): Signal[] {
  return [...signals.keys()].sort().flatMap((k) => signals.get(k) as Signal[]);
}

/** Distinct values a predicate memo remembers before it starts over (a bound, not a cache size goal). */
const MEMO_LIMIT = 100_000;

/**
 * `make(key)`, remembered per distinct key in `map` (cleared when it reaches `limit` entries). Keys are
 * stored detached (facts/compact.ts): a callee sliced from a file's text must not keep the file alive.
 */
export function memo<T>(map: Map<string, T>, key: string, make: (k: string) => T, limit = MEMO_LIMIT): T {
  let v = map.get(key);
  if (v === undefined) {
    if (map.size >= limit) map.clear();
    v = make(key);
    map.set(detached(key), v);
  }
  return v;
}
