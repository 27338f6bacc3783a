import type { FileFacts } from '../facts/types.js';
import { countLines } from './comments.js';
import { FactRecorder, excerpt, splitLines } from './text.js';

/**
 * pip requirements files (`requirements*.txt|in`): one RequirementFact per requirement.
 *
 * - name: PEP 503 normalised (lower case, runs of `-_.` as one `-`): `Torch_Vision` -> `torch-vision`.
 * - spec: the version specifier with white space removed (`>= 2.0, <3` -> `>=2.0,<3`), '' when none,
 *   `@url` for a direct reference (`pkg @ https://...`; the URL itself is not kept: it may carry a token).
 * - pinned: an `==` clause without a wildcard, an `===` clause, or a `--hash` on the requirement
 *   (continuation lines included).
 * - Environment markers (after `;`) and extras are dropped. Option lines (`-r`, `-c`, `-e`, `--index-url`,
 *   ...), bare URLs and local paths name no package and are skipped. Markers come from `#` comments.
 */
export function parseRequirements(text: string, facts: FileFacts): void {
  facts.parser = 'reader';
  const out = new FactRecorder(facts, 'requirements');
  try {
    facts.lines = countLines(text, 'hash');
    readRequirementLines(text, out);
  } catch (err) {
    out.internalError(err);
  }
}

export interface RequirementSpec {
  name: string;
  spec: string;
  pinned: boolean;
}

const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const CLAUSE_RE = /^(===|==|!=|~=|<=|>=|<|>)[A-Za-z0-9.*+!_-]+$/;

/** PEP 503 name normalisation. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** True when a version specifier (`==1.2`, `>=1,<2`) pins one exact version. */
export function isExactPin(spec: string): boolean {
  for (const clause of spec.split(',')) {
    if (clause.startsWith('===')) return true;
    if (clause.startsWith('==') && !clause.includes('*')) return true;
  }
  return false;
}

/**
 * Read one PEP 508 requirement string (`torch[cuda]>=2.0; python_version > "3.8"`, `pkg @ https://x`).
 * Returns null when the text names no package or its specifier is not one.
 */
export function readRequirement(text: string): RequirementSpec | null {
  let s = text.trim();
  if (s.length === 0 || s.length > 10_000) return null;
  const m = NAME_RE.exec(s);
  if (!m) return null;
  const name = normaliseName(m[0]);
  s = s.slice(m[0].length).trimStart();
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close === -1) return null;
    s = s.slice(close + 1).trimStart();
  }
  if (s.startsWith('@')) return { name, spec: '@url', pinned: false };
  const semi = s.indexOf(';');
  if (semi !== -1) s = s.slice(0, semi);
  let spec = s.replace(/\s+/g, '');
  if (spec.startsWith('(') && spec.endsWith(')')) spec = spec.slice(1, -1);
  if (spec.length > 0) {
    for (const clause of spec.split(',')) if (!CLAUSE_RE.test(clause)) return null;
  }
  return { name, spec, pinned: isExactPin(spec) };
}

/** Start of a `#` comment: at the line start or after white space (a URL fragment `x#egg=` is not one). */
function commentStart(line: string): number {
  let i = line.indexOf('#');
  while (i !== -1) {
    if (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t') return i;
    i = line.indexOf('#', i + 1);
  }
  return -1;
}

const URL_OR_PATH_RE = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|git\+|file:|\.{1,2}(?:\/|\\|$)|\/|~)/;
const ARCHIVE_RE = /\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tar\.xz)$/i;
const OPTION_IN_LINE_RE = /\s--?[A-Za-z]/;
const HASH_RE = /(?:^|\s)--hash[=\s]/;

function readRequirementLines(text: string, out: FactRecorder): void {
  const lines = splitLines(text);
  let logical = '';
  let logicalLine = 0;
  let continuing = false;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let raw = lines[i];
    const c = commentStart(raw);
    if (c !== -1) {
      out.comment(raw.slice(c), lineNo);
      raw = raw.slice(0, c);
    }
    let code = raw.trimEnd();
    const joins = code.endsWith('\\');
    if (joins) code = code.slice(0, -1);
    if (!continuing) {
      logical = code;
      logicalLine = lineNo;
    } else {
      logical += ' ' + code;
    }
    continuing = joins;
    if (continuing && logical.length > 100_000) {
      out.issue(logicalLine, 'continued requirement line longer than 100000 characters; skipped');
      continuing = false;
      logical = '';
      continue;
    }
    if (continuing || out.requirementsFull) continue;
    readLogicalLine(logical, logicalLine, out);
  }
  if (continuing) {
    out.issue(logicalLine, 'line continuation (`\\`) at the end of the file');
    readLogicalLine(logical, logicalLine, out);
  }
}

function readLogicalLine(logical: string, line: number, out: FactRecorder): void {
  const t = logical.trim();
  if (t.length === 0 || t.startsWith('-')) return;
  if (URL_OR_PATH_RE.test(t)) return;
  const opt = OPTION_IN_LINE_RE.exec(t);
  const reqText = opt ? t.slice(0, opt.index) : t;
  // A local archive or wheel names a file, not a package (`name @ .../x.tar.gz` does name one).
  if (!reqText.includes('@') && ARCHIVE_RE.test(reqText.trim())) return;
  const req = readRequirement(reqText);
  if (!req) {
    out.issue(line, `not a requirement: ${excerpt(t, 80)}`);
    return;
  }
  const hashed = opt !== null && HASH_RE.test(t.slice(opt.index));
  out.requirement(req.name, req.spec, req.pinned || hashed, line);
}
