/**
 * Helpers shared by the tree-sitter Python extractor (python.ts) and the lexical fallback
 * (python-fallback.ts): package computation for relative imports, the import alias table,
 * line mapping, short texts, and the degradation issue.
 */
import type { FileFacts, ImportFact } from '../facts/types.js';
import { shortText } from './comments.js';

export const PARSE_STEP = 'STEP_2:PARSE';
/** Distinct names kept per file. */
export const MAX_NAMES = 5000;
/** Longest dotted callee / target kept; longer chains are cut (hostile input). */
export const MAX_DOTTED = 300;

export interface PythonParseOptions {
  forceFallback?: boolean;
  /** Maps a 1-based line of `text` to the line reported in facts (notebooks). */
  lineMap?: (line: number) => number;
}

/** Short one-line text of a source slice; slices first so huge values cost nothing. */
export function short(s: string, max = 120): string {
  return shortText(s.length > max * 4 ? s.slice(0, max * 4) : s, max);
}

/**
 * Package parts of a Python file: the directories of its path, with a leading `src/` segment
 * stripped (src layout). `pkg/sub/train.py` and `pkg/sub/__init__.py` are both in package `pkg.sub`.
 */
export function packageParts(path: string): string[] {
  const parts = path.split('/').filter((p) => p.length > 0 && p !== '.');
  parts.pop();
  if (parts.length > 0 && parts[0] === 'src') parts.shift();
  return parts;
}

/**
 * Absolute module of a relative import: `level` leading dots, `rest` the dotted module after them
 * (may be empty). One dot is the file's package, each further dot goes one package up. When the
 * import climbs above the repository root the import is returned as written (`...x`).
 */
export function resolveRelative(level: number, rest: string, pkg: string[]): string {
  const up = level - 1;
  if (up > pkg.length) return '.'.repeat(level) + rest;
  const base = pkg.slice(0, pkg.length - up);
  if (rest) base.push(rest);
  return base.length ? base.join('.') : '.';
}

/** Python's hard keywords (never names; error recovery can turn them into identifiers). */
export const PY_KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda',
  'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

export type AliasTable = Map<string, string>;

/**
 * Record the local names an import binds. First binding wins (a `try: import ujson as json /
 * except ImportError: import json` keeps the first). `import a.b` binds `a` to itself (no entry).
 */
export function addAliases(aliases: AliasTable, imp: ImportFact, asNames: (string | undefined)[]): void {
  if (imp.kind === 'import') {
    const alias = asNames[0];
    if (alias && !aliases.has(alias)) aliases.set(alias, imp.module);
    return;
  }
  if (imp.module.startsWith('.')) return; // unresolvable relative import
  for (let i = 0; i < imp.names.length; i++) {
    const name = imp.names[i];
    if (name === '*') continue;
    const local = asNames[i] ?? name;
    if (!local || aliases.has(local)) continue;
    aliases.set(local, imp.module + '.' + name);
  }
}

/** Resolve the first segment of a name through the alias table. */
export function resolveHead(aliases: AliasTable, head: string): string {
  return aliases.get(head) ?? head;
}

/** Resolve a dotted text (`nn.Linear`) through the alias table (first segment only). */
export function resolveDotted(aliases: AliasTable, dotted: string): string {
  const m = /^[^.([]+/.exec(dotted);
  if (!m) return dotted;
  const mapped = aliases.get(m[0]);
  return mapped === undefined ? dotted : mapped + dotted.slice(m[0].length);
}

const ABSTRACT_RE = /(^|\.)abstract(method|property|classmethod|staticmethod)$/;
/** `abstractmethod`, `abc.abstractmethod`, `abstractproperty`, ... */
export function isAbstractDecorator(d: string): boolean {
  return ABSTRACT_RE.test(d);
}

/** Sorted offsets of line starts of `text` (index 0 = line 1). */
export function lineStarts(text: string): Int32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count);
  let k = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}

/** 1-based line of a text offset. */
export function lineOf(starts: Int32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function degradedIssue(facts: FileFacts, reason: string): void {
  facts.issues.push({
    step: PARSE_STEP,
    path: facts.path,
    message: `${reason}; the lexical fallback scanner was used, so Python facts (calls, assignments, definitions) are degraded`,
    context: 'Parsing Python source into facts',
  });
}
