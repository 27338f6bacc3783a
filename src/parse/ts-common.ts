import type { FileFacts } from '../facts/types.js';
import { shortText } from './comments.js';

/**
 * Helpers shared by the TypeScript/JavaScript parser (`typescript.ts`) and its lexical fallback
 * (`ts-fallback.ts`): specifier resolution, alias targets, the stub-message rule and per-file caps.
 */

export const PARSE_STEP = 'STEP_2:PARSE';
export const FACTS_STEP = 'STEP_3:FACTS';

/** Per-file caps: a hostile file must not turn into millions of facts. */
export const CAPS = {
  imports: 20_000,
  definitions: 50_000,
  calls: 100_000,
  assignments: 50_000,
  names: 5_000,
  /** Markers + suppressions: comments are not scanned any more once this many were recorded. */
  markers: 20_000,
  args: 32,
  kwargs: 64,
} as const;

/** Longest module specifier kept (a specifier is a path or a package name, never data). */
const MAX_SPECIFIER = 400;

/** Message (or error class name) of a thrown error that makes a body a stub. */
export const STUB_MESSAGE_RE = /not ?implemented|todo|stub/i;

const CODE_EXT_RE = /\.(?:d\.[cm]?ts|[cm]?[jt]s|[jt]sx)$/i;

export function isRelativeSpecifier(spec: string): boolean {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
}

/**
 * The ImportFact module for a specifier written in `fromPath`: packages as written, relative specifiers
 * as the repo-relative POSIX path without a JS/TS extension (`src/a/b.ts` + `../utils/seed.js` ->
 * `src/utils/seed`). Other extensions (`.css`, `.json`) are kept: they name other files. A path that
 * climbs above the root keeps its leading `..` segments.
 */
export function resolveSpecifier(spec: string, fromPath: string): { module: string; relative: boolean } {
  const s = spec.length > MAX_SPECIFIER ? spec.slice(0, MAX_SPECIFIER) : spec;
  if (!isRelativeSpecifier(s)) return { module: s, relative: false };
  const slash = fromPath.lastIndexOf('/');
  const parts = slash > 0 ? fromPath.slice(0, slash).split('/') : [];
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else parts.push('..');
    } else parts.push(seg);
  }
  let module = parts.join('/').replace(CODE_EXT_RE, '');
  if (module === '') module = '.';
  return { module, relative: true };
}

/**
 * What a local binding of an import stands for in dotted callee names.
 * - package `m`, default import / namespace import / whole-module require -> `m`
 * - package `m`, named import `a` -> `m.a` (`default` -> `m`)
 * - relative module: a namespace/default binding keeps its local name (no alias, returns null); a named
 *   import resolves to its original exported name (`import { a as b } from './x'` -> `b()` is `a`).
 * Repo-relative paths are not spliced into dotted names: they hold `/` and would match no signal.
 */
export function aliasTarget(module: string, relative: boolean, imported: string | null, local: string): string | null {
  if (relative) {
    if (imported === null || imported === 'default' || imported === '*') return null;
    return imported === local ? null : imported;
  }
  if (imported === null || imported === 'default' || imported === '*') return module;
  return module + '.' + imported;
}

/** Record one issue; at most a few per file. */
export function addIssue(facts: FileFacts, step: string, message: string, context?: string): void {
  if (facts.issues.length >= 20) return;
  const issue: FileFacts['issues'][number] = { step, path: facts.path, message };
  if (context) issue.context = context;
  facts.issues.push(issue);
}

/** Bounded short text of `text[start, end)`: never collapses more than a few hundred characters. */
export function sliceShort(text: string, start: number, end: number, max = 120): string {
  if (end - start <= max && isCompact(text, start, end)) return text.slice(start, end);
  const limit = start + max * 4;
  if (end <= limit) return shortText(text.slice(start, end), max);
  const t = shortText(text.slice(start, limit), max);
  if (t.endsWith('…')) return t;
  return (t.length >= max ? t.slice(0, max - 1) : t) + '…';
}

/** Printable ASCII without spaces: shortText would return such a text unchanged. */
function isCompact(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c >= 127) return false;
  }
  return true;
}
