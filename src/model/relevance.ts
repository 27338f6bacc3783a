import type { AssignmentFact, CallFact, FileFacts, Language, NameFact } from '../facts/types.js';
import type { CapabilityDef, Signal } from './capability.js';
import { declaredFactUses, declaredSignals, memo, type FactUse } from './fact-use.js';
import { signalFactUse, type SignalFactUse } from './signals.js';
import { reproducibilityItems } from '../capabilities/reproducibility.js';
// Loaded for their declarations (declareFactUse / declareSignals run when a module is first imported).
import '../capabilities/index.js';
import '../capabilities/risks.js';
import '../capabilities/tests-map.js';

/**
 * Which calls, assignments and names the audit keeps (see src/model/fact-use.ts): those some signal of
 * the audit or some declared detector can use. The workers apply it to each file's facts after parsing
 * (or reading the facts cache, which holds every fact: a config change never invalidates it), so the
 * main thread holds, and detection scans, only facts that can become evidence.
 */

/** Every signal an audit with these capabilities and config signals can match. */
export function relevantSignals(defs: readonly CapabilityDef[], extraSignals?: Record<string, Signal[]>): Signal[] {
  return [
    ...defs.flatMap((d) => d.subfeatures.flatMap((sf) => sf.signals)),
    ...Object.values(extraSignals ?? {}).flat(),
    ...reproducibilityItems.flatMap((r) => Object.values(r.signals).flat()),
    ...declaredSignals(),
  ];
}

export class FactFilter {
  private readonly signals: SignalFactUse;
  private readonly uses: FactUse[];

  constructor(signals: readonly Signal[]) {
    this.signals = signalFactUse(signals);
    this.uses = declaredFactUses();
  }

  /** Content keys of the call, assignment and name signals covered (for `markFilteredIndex`). */
  get keys(): ReadonlySet<string> {
    return this.signals.keys;
  }

  /** Per language, per distinct callee: does some declared detector keep every call of it? */
  private readonly calleeMemo = new Map<Language, Map<string, boolean>>();

  private calleeKept(callee: string, language: Language): boolean {
    let m = this.calleeMemo.get(language);
    if (!m) {
      m = new Map();
      this.calleeMemo.set(language, m);
    }
    return memo(m, callee, (k) => this.signals.callee(k) || this.uses.some((u) => u.callee?.(k, language) === true));
  }

  call(c: CallFact, language: Language): boolean {
    if (this.calleeKept(c.callee, language) || this.signals.call(c)) return true;
    for (const u of this.uses) if (u.call?.(c, language)) return true;
    return false;
  }

  assignment(a: AssignmentFact, language: Language): boolean {
    if (this.signals.assignment(a)) return true;
    for (const u of this.uses) if (u.assignment?.(a, language)) return true;
    return false;
  }

  name(n: NameFact, language: Language): boolean {
    if (this.signals.name(n.name)) return true;
    for (const u of this.uses) if (u.name?.(n.name, language)) return true;
    return false;
  }

  /** The facts with only the calls, assignments and names kept (the same object when every one is). */
  keep(facts: FileFacts): FileFacts {
    const lang = facts.language;
    const calls = facts.calls.filter((c) => this.call(c, lang));
    const assignments = facts.assignments.filter((a) => this.assignment(a, lang));
    const names = facts.names.filter((n) => this.name(n, lang));
    if (calls.length === facts.calls.length && assignments.length === facts.assignments.length && names.length === facts.names.length) return facts;
    return { ...facts, calls, assignments, names };
  }
}
