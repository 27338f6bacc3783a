import type { FileFacts } from '../facts/types.js';

export interface SuppressionUse {
  id: string;
  path: string;
  line: number;
  reason: string;
}

/** `risk.*` matches every risk id, `*` everything, otherwise the exact id. */
function idMatches(pattern: string, id: string): boolean {
  if (pattern === '*' || pattern === id) return true;
  return pattern.endsWith('.*') && id.startsWith(pattern.slice(0, -1));
}

/**
 * Apply inline suppressions (`codex-audit: ignore[ID] reason` on the finding's line or the line before).
 * Returns the findings kept, the suppressions used (with their reason) and those that silenced nothing.
 */
export function applySuppressions<T extends { path: string; line: number }>(
  findings: T[],
  idOf: (t: T) => string,
  byPath: Map<string, FileFacts>,
  used: Set<string>,
): { kept: T[]; suppressed: (SuppressionUse & { finding: T })[] } {
  const kept: T[] = [];
  const suppressed: (SuppressionUse & { finding: T })[] = [];
  for (const f of findings) {
    const facts = byPath.get(f.path);
    const id = idOf(f);
    const s = facts?.suppressions.find((x) => (x.line === f.line || x.line === f.line - 1) && idMatches(x.id, id));
    if (s && facts) {
      used.add(`${f.path}\u0000${s.line}\u0000${s.id}`);
      suppressed.push({ id, path: f.path, line: f.line, reason: s.reason, finding: f });
    } else kept.push(f);
  }
  return { kept, suppressed };
}

export function unusedSuppressions(files: FileFacts[], used: Set<string>): { id: string; path: string; line: number }[] {
  const out: { id: string; path: string; line: number }[] = [];
  for (const f of files) for (const s of f.suppressions) if (!used.has(`${f.path}\u0000${s.line}\u0000${s.id}`)) out.push({ id: s.id, path: f.path, line: s.line });
  return out;
}
