// Test kit for the capability registry (src/capabilities/**/*.test.ts): in-memory repositories parsed by
// the real parsers, indexed, and judged by the real engine, so each table case reads like the spec.
import { factsFromBytes } from '../src/facts/collect.js';
import { buildRepoIndex, type RepoIndex } from '../src/facts/index.js';
import type { FileFacts } from '../src/facts/types.js';
import { initPython } from '../src/parse/python.js';
import { detectCapability } from '../src/model/detect.js';
import { matchSignal } from '../src/model/signals.js';
import { textPatternsOf } from '../src/model/text-patterns.js';
import type { CapabilityResult, SubFeatureState } from '../src/model/types.js';
import { capabilities } from '../src/capabilities/index.js';
import { riskTextPatterns } from '../src/capabilities/risks.js';
import type { Signal } from '../src/model/capability.js';

const TEXT_PATTERNS = textPatternsOf([...capabilities], riskTextPatterns);

/** Facts of one in-memory file, parsed like the pipeline parses it (text patterns included). */
export function factsOf(path: string, text: string): FileFacts {
  const out = factsFromBytes(path, new TextEncoder().encode(text), { textPatterns: TEXT_PATTERNS });
  if (out.kind !== 'facts') throw new Error(`${path}: ${out.kind}`);
  return out.facts;
}

/** Parse every file of an in-memory repository (path -> source) and index it. */
export async function repo(files: Record<string, string>): Promise<RepoIndex> {
  await initPython();
  return buildRepoIndex(Object.entries(files).map(([p, t]) => factsOf(p, dedent(t))));
}

/** Judge one capability over an in-memory repository. */
export async function judge(capabilityId: string, files: Record<string, string>): Promise<CapabilityResult> {
  const def = capabilities.find((c) => c.id === capabilityId);
  if (!def) throw new Error(`no capability ${capabilityId}`);
  return detectCapability(def, await repo(files), { onIssue: (i) => { throw new Error(i.message); } });
}

/** The state of one sub-feature (`<capability>.<name>`) over an in-memory repository. */
export async function stateOf(subfeatureId: string, files: Record<string, string>): Promise<SubFeatureState> {
  const result = await judge(subfeatureId.split('.')[0], files);
  const s = result.subfeatures.find((x) => x.id === subfeatureId);
  if (!s) throw new Error(`no sub-feature ${subfeatureId}`);
  return s.state;
}

/** The engine's matcher over an index, the way the audit passes it to the checklist. */
export function matcher(index: RepoIndex): (s: Signal) => ReturnType<typeof matchSignal> {
  return (s) => matchSignal(s, index, {});
}

/** Strip the common leading indentation of a template literal (so Python snippets can be indented). */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim().length > 0).map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const n = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(n)).join('\n');
}

/** A table case: a repository and the expected state of one sub-feature. */
export interface Case {
  name: string;
  files: Record<string, string>;
  expect: SubFeatureState;
}
