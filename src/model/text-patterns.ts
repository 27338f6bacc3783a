import type { CapabilityDef, Signal } from './capability.js';

/** Compile a TextSignal's pattern the one way every caller uses: case-insensitive, line-anchored. */
export function compileTextPattern(source: string): RegExp {
  return new RegExp(source, 'gim');
}

function visit(signal: Signal, out: Set<string>): void {
  if ('text' in signal && typeof signal.text === 'string') out.add(signal.text);
  if ('all' in signal && Array.isArray(signal.all)) for (const s of signal.all) visit(s, out);
}

/**
 * Every last-resort text pattern the registry declares (plus `extra`), compiled once. Parsers evaluate
 * them while the text is in hand, so detectors never need file contents (facts.textMatches).
 */
export function textPatternsOf(defs: CapabilityDef[], extra: string[] = [], extraSignals: Record<string, Signal[]> = {}): { source: string; re: RegExp }[] {
  const sources = new Set<string>(extra);
  for (const d of defs) for (const s of d.subfeatures) for (const sig of s.signals) visit(sig, sources);
  for (const list of Object.values(extraSignals)) for (const sig of list) visit(sig, sources);
  // A pattern that does not compile is reported by the signal engine; it must not break parsing.
  for (const source of [...sources]) {
    try {
      compileTextPattern(source);
    } catch {
      sources.delete(source);
    }
  }
  return [...sources].sort().map((source) => ({ source, re: compileTextPattern(source) }));
}
