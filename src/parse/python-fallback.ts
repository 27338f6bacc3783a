/**
 * Lexical Python scanner: the fallback when the tree-sitter grammar cannot load, a parse is unusable,
 * or it is forced. No tree: one linear pass masks string contents and comments (so markers come only
 * from comments and nothing inside a string looks like code), splits the text into logical lines
 * (brackets and backslash continuations join physical lines), and then reads statements with
 * anchored regular expressions and an indentation stack. Everything is iterative and linear.
 *
 * It extracts imports (relative ones resolved), definitions (def/class with indentation-based endLine,
 * decorators, bases, stub/abstract/trivialInit detection from the body lines), module-level variables,
 * simple calls `a.b.c(` resolved through the alias table (a call on a non-name receiver is `?.name`),
 * simple assignments, names, markers and suppressions.
 */
import type { AssignmentFact, CallFact, DefinitionFact, FileFacts, ImportFact } from '../facts/types.js';
import { countLines, scanComment } from './comments.js';
import {
  MAX_DOTTED,
  MAX_NAMES,
  PY_KEYWORDS,
  addAliases,
  degradedIssue,
  isAbstractDecorator,
  lineOf,
  lineStarts,
  packageParts,
  resolveDotted,
  resolveRelative,
  short,
  type AliasTable,
} from './python-common.js';

export interface FallbackOptions {
  /** Why the fallback runs; becomes the ScanIssue saying facts are degraded. */
  reason?: string;
  lineMap?: (line: number) => number;
  /** Do not add the degradation issue (used when merging into tree facts). */
  silent?: boolean;
}

/** Arguments kept per call. */
const MAX_ARGS = 64;

const KEYWORDS = PY_KEYWORDS;

const ID = '[\\p{L}_][\\p{L}\\p{N}_]*';
const DOTTED = `${ID}(?:\\s*\\.\\s*${ID})*`;
const CALL_RE = new RegExp(`(\\.\\s*)?(?<![\\p{L}\\p{N}_])(${DOTTED})\\s*\\(`, 'gu');
const IDENT_RE = new RegExp(`(?<![\\p{L}\\p{N}_.])${ID}`, 'gu');
const ATTR_RE = new RegExp(`\\.\\s*(${ID})`, 'gu');
const DEF_RE = new RegExp(`^(async\\s+)?def\\s+(${ID})`, 'u');
const CLASS_RE = new RegExp(`^class\\s+(${ID})`, 'u');
const IMPORT_RE = /^import\s+([^]+)$/;
const FROM_RE = /^from\s+(\.*)\s*([\p{L}\p{N}_.\s]*?)\s+import\s+([^]+)$/u;
const DEF_BEFORE_RE = /(?:^|[^\p{L}\p{N}_])(?:def|class)\s+$/u;
const KWARG_RE = new RegExp(`^\\s*(${ID})\\s*=(?!=)`, 'u');
const ASSIGN_RE = new RegExp(
  `^(${DOTTED})((?:\\s*\\[[^\\]]*\\])*)\\s*(?::[^=]+)?(\\+|-|\\*\\*|\\*|//|/|%|\\||&|\\^|>>|<<|@)?=(?!=)`,
  'u',
);
const CALL_VALUE_RE = new RegExp(`^${DOTTED}\\s*\\(`, 'u');
const NAME_VALUE_RE = new RegExp(`^${DOTTED}$`, 'u');
const FIRST_PARAM_RE = new RegExp(`^\\s*\\(\\s*(${ID})`, 'u');
const TUPLE_ASSIGN_RE = new RegExp(`^\\(?\\s*(${ID}(?:\\s*,\\s*\\*?${ID})+)\\s*,?\\s*\\)?\\s*=(?!=)`, 'u');
const DOCSTRING_RE = /^(?:[rRuUbB]{0,2}("""|'''|"|')\s*\1\s*)+$/;
const NIE_RE = /^raise\s+(?:builtins\s*\.\s*)?NotImplementedError\s*(?:\([^]*\))?\s*$/;
const SELF_ASSIGN_RE = new RegExp(`^(${ID})\\s*\\.\\s*${ID}\\s*(?::[^=]+)?=(?!=)`, 'u');
const SELF_TUPLE_RE = new RegExp(`^\\(?((?:\\s*${ID}\\s*\\.\\s*${ID}\\s*,)+\\s*${ID}\\s*\\.\\s*${ID})\\s*,?\\s*\\)?\\s*=(?!=)`, 'u');
const COMPOUND_RE = /^(?:if|elif|while|for|with|async\s+(?:for|with)|except|else|try|finally)\b/;
const SUPER_INIT_RE = /^(?:super\s*\([^]*?\)|[\p{L}_][\p{L}\p{N}_.]*)\s*\.\s*__init__\s*\(/u;
const BLOCK_START_RE = /[ \t]*(?:async[ \t]+def|def|class)[ \t]+[\p{L}_]/uy;

interface LogicalLine {
  start: number;
  end: number;
  indent: number;
}

interface Lexed {
  masked: string;
  lines: LogicalLine[];
  comments: [number, string][];
}

function maskRange(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}

/** One linear pass: mask strings/comments, find logical lines. */
function lex(text: string): Lexed {
  const n = text.length;
  const out: string[] = [];
  let last = 0;
  const mask = (a: number, b: number) => {
    if (b <= a) return;
    out.push(text.slice(last, a), maskRange(text.slice(a, b)));
    last = b;
  };
  const comments: [number, string][] = [];
  const lines: LogicalLine[] = [];
  let depth = 0;
  let lineStart = 0;
  const endLine = (endAt: number) => {
    lines.push({ start: lineStart, end: endAt, indent: 0 });
    lineStart = endAt + 1;
  };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      let e = text.indexOf('\n', i);
      if (e < 0) e = n;
      comments.push([i, text.slice(i, e)]);
      mask(i, e);
      i = e;
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      const q = triple ? 3 : 1;
      const quote = triple ? (c === 34 ? '"""' : "'''") : c === 34 ? '"' : "'";
      const escaped = (at: number) => {
        let bs = 0;
        for (let k = at - 1; k >= i + q && text.charCodeAt(k) === 92; k--) bs++;
        return bs % 2 === 1;
      };
      let j = i + q;
      let closed = -1;
      for (;;) {
        const at = text.indexOf(quote, j);
        if (!triple) {
          // a single-quoted string ends at an unescaped line end (unterminated)
          let nl = text.indexOf('\n', j);
          while (nl >= 0 && (at < 0 || nl < at) && escaped(nl)) nl = text.indexOf('\n', nl + 1);
          if (nl >= 0 && (at < 0 || nl < at)) {
            j = nl;
            break;
          }
        }
        if (at < 0) {
          j = n;
          break;
        }
        if (escaped(at)) {
          j = at + 1;
          continue;
        }
        closed = at;
        break;
      }
      if (closed >= 0) {
        mask(i + q, closed);
        i = closed + q;
      } else {
        const e = Math.min(j, n);
        mask(i + q, e);
        i = e;
      }
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 92 /* \ */) {
      // line continuation: the newline does not end the logical line
      if (text.charCodeAt(i + 1) === 10) {
        i += 2;
        continue;
      }
      if (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) {
        i += 3;
        continue;
      }
    } else if (c === 10) {
      if (depth === 0) endLine(i);
      else {
        // An unclosed bracket must not swallow the rest of the file: a def/class line starts afresh.
        BLOCK_START_RE.lastIndex = i + 1;
        if (BLOCK_START_RE.test(text)) {
          depth = 0;
          endLine(i);
        }
      }
    }
    i++;
  }
  if (lineStart < n) lines.push({ start: lineStart, end: n, indent: 0 });
  out.push(text.slice(last));
  const masked = out.join('');
  for (const l of lines) {
    let ind = 0;
    for (let k = l.start; k < l.end; k++) {
      const ch = text.charCodeAt(k);
      if (ch === 32) ind++;
      else if (ch === 9) ind = (ind + 8) & ~7;
      else if (ch === 12 || ch === 13) continue;
      else break;
    }
    l.indent = ind;
  }
  return { masked, lines, comments };
}

const isOpen = (ch: number) => ch === 40 || ch === 91 || ch === 123;
const isClose = (ch: number) => ch === 41 || ch === 93 || ch === 125;

/** Split at top-level `sep` characters (brackets balanced; strings are already masked). */
function splitTop(s: string, sep: string): [number, number][] {
  const parts: [number, number][] = [];
  const sc = sep.charCodeAt(0);
  let depth = 0;
  let from = 0;
  for (let k = 0; k < s.length; k++) {
    const ch = s.charCodeAt(k);
    if (isOpen(ch)) depth++;
    else if (isClose(ch)) {
      if (depth > 0) depth--;
    } else if (ch === sc && depth === 0) {
      parts.push([from, k]);
      from = k + 1;
    }
  }
  parts.push([from, s.length]);
  return parts;
}

interface BracketInfo {
  /** Open bracket index -> its closing bracket index. */
  close: Map<number, number>;
  /** Open parenthesis index -> indexes of its top-level commas. */
  commas: Map<number, number[]>;
}

/** One pass over a (masked) statement: matching brackets and the commas directly inside each. */
function bracketInfo(s: string): BracketInfo {
  const close = new Map<number, number>();
  const commas = new Map<number, number[]>();
  const stack: number[] = [];
  for (let k = 0; k < s.length; k++) {
    const ch = s.charCodeAt(k);
    if (isOpen(ch)) stack.push(k);
    else if (isClose(ch)) {
      const o = stack.pop();
      if (o !== undefined) close.set(o, k);
    } else if (ch === 44 && stack.length > 0) {
      const o = stack[stack.length - 1];
      const list = commas.get(o);
      if (list) list.push(k);
      else commas.set(o, [k]);
    }
  }
  return { close, commas };
}

/** Index of the bracket closing the one at `open`, scanning at most `limit` characters; -1 if none. */
function matchClose(s: string, open: number, limit = 4000): number {
  let depth = 0;
  const stop = Math.min(s.length, open + limit);
  for (let k = open; k < stop; k++) {
    const ch = s.charCodeAt(k);
    if (isOpen(ch)) depth++;
    else if (isClose(ch)) {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

/** Index of the first top-level `:` (end of a def/class header), or -1. */
function headerColon(s: string, from: number): number {
  let depth = 0;
  for (let k = from; k < s.length; k++) {
    const ch = s.charCodeAt(k);
    if (isOpen(ch)) depth++;
    else if (isClose(ch)) {
      if (depth > 0) depth--;
    } else if (ch === 58 && depth === 0) return k;
  }
  return -1;
}

const squash = (s: string) => s.replace(/[\s\\]+/g, '');

const TAIL_DOTTED_RE = new RegExp(`(${DOTTED})\\s*$`, 'u');
const TAIL_BASE_RE = new RegExp(`^(${DOTTED})\\s*([([]|$)`, 'u');

/**
 * The call chain before a `.name(` whose receiver is a call: `a.b(x).c(y).name(` -> `a.b().c()`.
 * Walks backwards over at most 16 calls; a receiver that is not a name gives `?` (`x[0].f().g(` ->
 * `?.f()`); undefined when the receiver is not a call at all.
 */
function chainBefore(stmt: string, dotAt: number): string | undefined {
  let k = dotAt - 1;
  while (k >= 0 && /\s/.test(stmt[k])) k--;
  if (stmt[k] !== ')') return undefined;
  let suffix = '';
  for (let guard = 0; guard < 16; guard++) {
    // k is at ')': find its '('
    let depth = 0;
    let open = -1;
    for (let j = k; j >= 0 && k - j < 4000; j--) {
      const ch = stmt[j];
      if (ch === ')' || ch === ']' || ch === '}') depth++;
      else if (ch === '(' || ch === '[' || ch === '{') {
        depth--;
        if (depth === 0) {
          open = j;
          break;
        }
      }
    }
    if (open < 0) return undefined;
    const m = TAIL_DOTTED_RE.exec(stmt.slice(Math.max(0, open - 300), open));
    if (!m) return '?' + suffix;
    const name = squash(m[1]);
    const head = name.split('.')[0];
    if (KEYWORDS.has(head)) return '?' + suffix;
    suffix = '.' + name + '()' + suffix;
    let p = open - m[0].length - 1;
    while (p >= 0 && /\s/.test(stmt[p])) p--;
    if (stmt[p] !== '.') return suffix.slice(1);
    p--;
    while (p >= 0 && /\s/.test(stmt[p])) p--;
    if (stmt[p] !== ')') return '?' + suffix;
    k = p;
  }
  return '?' + suffix;
}

/** Coarse kind of a value; `maskedValue` (strings blanked) decides whether it is a bare tuple. */
function valueKindOf(v: string, maskedValue: string): AssignmentFact['valueKind'] {
  if (splitTop(maskedValue.trim().replace(/,$/, ''), ',').length > 1) return 'other';
  const t = v.trim();
  if (t.startsWith('{')) return 'dict';
  if (t.startsWith('[')) return 'list';
  if (/^[rRbBuUfF]{0,2}["']/.test(t)) return 'string';
  if (/^[-+]?\.?\d/.test(t)) return 'number';
  if (t === 'True' || t === 'False') return 'bool';
  if (t === 'None') return 'none';
  if (CALL_VALUE_RE.test(t)) return 'call';
  if (NAME_VALUE_RE.test(t)) return 'name';
  return 'other';
}

interface Block {
  def: DefinitionFact;
  indent: number;
  lastLine: number;
  /** Indentation of the first body line (-1 until seen, or for a one-line body). */
  bodyIndent: number;
  isClass: boolean;
  isInit: boolean;
  selfName: string;
  count: number;
  docstring: boolean;
  stubKind: DefinitionFact['stubKind'] | 'no';
  trivial: boolean;
}

interface RawCall {
  fact: CallFact;
  dotted: string;
  receiver: boolean;
}

export function parsePythonFallback(text: string, facts: FileFacts, opts: FallbackOptions = {}): void {
  facts.parser = 'fallback';
  facts.lines = countLines(text, 'hash');
  if (!opts.silent) degradedIssue(facts, opts.reason ?? 'Python parser unavailable');
  const starts = lineStarts(text);
  const map = opts.lineMap;
  const lineAt = (offset: number) => {
    const l = lineOf(starts, offset);
    return map ? map(l) : l;
  };
  const { masked, lines, comments } = lex(text);
  for (const [off, c] of comments) scanComment(c, lineAt(off), facts);

  const pkg = packageParts(facts.path);
  const aliases: AliasTable = new Map();
  const stack: Block[] = [];
  let decorators: { indent: number; raw: string[] } | null = null;
  const rawCalls: RawCall[] = [];
  const rawTargets: AssignmentFact[] = [];
  const seenNames = new Set<string>();
  const moduleVars = new Set<string>();
  const defs: DefinitionFact[] = [];
  const addVariable = (name: string, line: number, endLine: number) => {
    if (moduleVars.has(name)) return;
    moduleVars.add(name);
    facts.definitions.push({
      name,
      qualName: name,
      kind: 'variable',
      line,
      endLine,
      bases: [],
      decorators: [],
      stub: false,
      docstring: false,
      exported: !name.startsWith('_'),
      parent: '',
    });
  };

  const close = (b: Block) => {
    b.def.endLine = b.lastLine;
    b.def.docstring = b.docstring;
    let sk: DefinitionFact['stubKind'];
    if (b.stubKind === 'no') sk = undefined;
    else if (b.count === 0) sk = b.docstring ? 'empty_body' : undefined;
    else sk = b.stubKind;
    if (b.isClass && b.def.bases.some((x) => x !== 'object')) sk = undefined;
    b.def.stub = sk !== undefined;
    if (sk !== undefined) b.def.stubKind = sk;
    if (b.isInit) b.def.trivialInit = b.trivial;
    const top = stack[stack.length - 1];
    if (top && b.lastLine > top.lastLine) top.lastLine = b.lastLine;
  };

  /** Feed one body statement (masked text, trimmed) to the innermost block. */
  const feed = (b: Block, stmt: string) => {
    if (b.count === 0 && !b.docstring && DOCSTRING_RE.test(stmt)) {
      b.docstring = true;
      return;
    }
    b.count++;
    let sk: DefinitionFact['stubKind'] | 'no' = 'no';
    if (stmt === 'pass') sk = 'pass';
    else if (stmt === '...') sk = 'ellipsis';
    else if (NIE_RE.test(stmt)) sk = 'not_implemented';
    if (sk === 'no') b.stubKind = 'no';
    else if (b.stubKind !== 'no') {
      if (b.stubKind === undefined || sk === 'not_implemented' || (sk === 'ellipsis' && b.stubKind === 'pass')) b.stubKind = sk;
    }
    if (b.isInit && b.trivial) {
      const m = SELF_ASSIGN_RE.exec(stmt);
      const tm = m ? null : SELF_TUPLE_RE.exec(stmt);
      const selfTuple =
        tm !== null && tm[1].split(',').every((t) => new RegExp(`^\\s*${b.selfName}\\s*\\.\\s*[\\p{L}_][\\p{L}\\p{N}_]*\\s*$`, 'u').test(t));
      const ok =
        stmt === 'pass' || DOCSTRING_RE.test(stmt) || (m !== null && m[1] === b.selfName) || selfTuple || SUPER_INIT_RE.test(stmt);
      if (!ok) b.trivial = false;
    }
  };

  for (const ll of lines) {
    const raw = masked.slice(ll.start, ll.end);
    const code = raw.trim();
    if (!code) {
      // An indented comment-only line still belongs to the innermost open block (as in the tree).
      // (the innermost block indented less than the comment; closing propagates to the outer ones)
      if (stack.length > 0 && text.slice(ll.start, ll.end).trim().startsWith('#')) {
        for (let k = stack.length - 1; k >= 0 && k >= stack.length - 64; k--) {
          const b = stack[k];
          if (b.bodyIndent >= 0 && ll.indent >= b.bodyIndent) {
            const l = lineAt(ll.start);
            if (l > b.lastLine) b.lastLine = l;
            break;
          }
        }
      }
      continue;
    }
    const lead = ll.start + (raw.length - raw.trimStart().length);
    const startLine = lineAt(lead);
    const endLine = lineAt(Math.max(lead, ll.end - 1 - (raw.length - raw.trimEnd().length)));
    while (stack.length > 0 && stack[stack.length - 1].indent >= ll.indent) close(stack.pop() as Block);
    const top = stack[stack.length - 1];
    if (top && endLine > top.lastLine) top.lastLine = endLine;
    if (top && top.bodyIndent < 0) top.bodyIndent = ll.indent;
    const scope = top ? top.def.qualName : '';

    // statements of the logical line (split at top-level `;`)
    // [start, end, tail]: `tail` marks the one-line body of a compound header (`if x: import y`), read for
    // its structure only (its names and calls were taken from the whole line already).
    const queue: [number, number, boolean][] = splitTop(code, ';').map(([a, b]) => [a, b, false]);
    for (let qi = 0; qi < queue.length; qi++) {
      const [a, b, tail] = queue[qi];
      const stmt = code.slice(a, b).trim();
      if (!stmt) continue;
      const stmtAt = a + (code.slice(a, b).length - code.slice(a, b).trimStart().length);
      const offset = lead + stmtAt;
      const orig = (s: number, e: number) => text.slice(offset + s, offset + e);
      const cur = stack[stack.length - 1];
      if (cur && !tail) feed(cur, stmt);
      if (!tail && COMPOUND_RE.test(stmt)) {
        const colon = headerColon(stmt, 0);
        if (colon >= 0 && stmt.slice(colon + 1).trim()) queue.push([stmtAt + colon + 1, stmtAt + stmt.length, true]);
      }

      // names
      if (!tail && seenNames.size < MAX_NAMES) {
        IDENT_RE.lastIndex = 0;
        for (let m = IDENT_RE.exec(stmt); m; m = IDENT_RE.exec(stmt)) {
          const name = m[0];
          const after = stmt.charCodeAt(m.index + name.length);
          if (after === 34 || after === 39 || KEYWORDS.has(name) || seenNames.has(name)) continue;
          seenNames.add(name);
          facts.names.push({ name, line: lineAt(offset + m.index), scope });
          if (seenNames.size >= MAX_NAMES) break;
        }
        ATTR_RE.lastIndex = 0;
        for (let m = ATTR_RE.exec(stmt); m && seenNames.size < MAX_NAMES; m = ATTR_RE.exec(stmt)) {
          const name = m[1];
          if (seenNames.has(name) || KEYWORDS.has(name)) continue;
          seenNames.add(name);
          facts.names.push({ name, line: lineAt(offset + m.index), scope });
        }
      }

      // calls
      let brackets: BracketInfo | undefined;
      CALL_RE.lastIndex = tail ? stmt.length : 0;
      for (let m = tail ? null : CALL_RE.exec(stmt); m; m = CALL_RE.exec(stmt)) {
        let receiver = m[1] !== undefined;
        let dotted = squash(m[2]);
        if (receiver) {
          const chain = chainBefore(stmt, m.index);
          if (chain !== undefined) {
            dotted = chain + '.' + dotted;
            receiver = false;
          }
        }
        const head = dotted.split('.')[0];
        if (!receiver && KEYWORDS.has(head)) continue;
        if (!receiver && DEF_BEFORE_RE.test(stmt.slice(Math.max(0, m.index - 12), m.index))) continue;
        const open = m.index + m[0].length - 1;
        // Arguments: the top-level commas of this parenthesis (one linear bracket pass per statement).
        if (!brackets) brackets = bracketInfo(stmt);
        const closeAt = brackets.close.get(open) ?? stmt.length;
        const cuts = brackets.commas.get(open) ?? [];
        const args: string[] = [];
        const kwargs: Record<string, string> = {};
        let from = open + 1;
        for (let ci = 0; ci <= cuts.length && ci <= MAX_ARGS; ci++) {
          const to = ci < cuts.length ? cuts[ci] : closeAt;
          const part = stmt.slice(from, to);
          const startAt = from;
          from = to + 1;
          if (!part.trim()) continue;
          const km = KWARG_RE.exec(part.length > 200 ? part.slice(0, 200) : part);
          if (km) {
            if (km[1] !== '__proto__') kwargs[km[1]] = short(orig(startAt + km[0].length, to));
          } else if (!part.trimStart().startsWith('**')) args.push(short(orig(startAt, to)));
        }
        const nameStart = m.index + (m[1]?.length ?? 0);
        rawCalls.push({
          fact: { callee: '', line: lineAt(offset + nameStart + m[2].length - 1), args, kwargs, scope },
          dotted,
          receiver: receiver || dotted.startsWith('?'),
        });
      }

      // imports
      const norm = stmt.replace(/\\\n/g, ' ');
      let im = IMPORT_RE.exec(norm);
      if (im) {
        for (const part of im[1].split(',')) {
          const pm = /^\s*([\p{L}\p{N}_.\s]+?)(?:\s+as\s+([\p{L}\p{N}_]+))?\s*$/u.exec(part);
          if (!pm) continue;
          const imp: ImportFact = { module: squash(pm[1]), names: [], line: startLine, kind: 'import' };
          if (!imp.module) continue;
          facts.imports.push(imp);
          addAliases(aliases, imp, [pm[2]]);
        }
        continue;
      }
      im = FROM_RE.exec(norm);
      if (im) {
        const level = im[1].length;
        const rest = squash(im[2]);
        const module = level > 0 ? resolveRelative(level, rest, pkg) : rest;
        const names: string[] = [];
        const asNames: (string | undefined)[] = [];
        for (const part of im[3].replace(/[()]/g, ' ').split(',')) {
          const t = part.trim();
          if (!t) continue;
          if (t === '*') {
            names.push('*');
            asNames.push(undefined);
            continue;
          }
          const pm = /^([\p{L}\p{N}_.]+)(?:\s+as\s+([\p{L}\p{N}_]+))?$/u.exec(t);
          if (!pm) continue;
          names.push(pm[1]);
          asNames.push(pm[2]);
        }
        if (!module) continue;
        const imp: ImportFact = { module, names, line: startLine, kind: 'from' };
        if (level > 0) imp.relative = true;
        facts.imports.push(imp);
        addAliases(aliases, imp, asNames);
        continue;
      }

      // decorators
      if (stmt.startsWith('@')) {
        // `@name.attr(...)` -> name.attr; any other expression (PEP 614) as short text
        const d = stmt.slice(1).trim();
        const dm2 = TAIL_BASE_RE.exec(d);
        const deco = dm2 && dm2[2] !== '[' ? squash(dm2[1]) : short(orig(1, stmt.length));
        if (!decorators || decorators.indent !== ll.indent) decorators = { indent: ll.indent, raw: [] };
        decorators.raw.push(deco);
        continue;
      }

      // definitions
      const dm = DEF_RE.exec(stmt);
      const cm = dm ? null : CLASS_RE.exec(stmt);
      if (dm || cm) {
        const isClass = cm !== null;
        const name = (dm ? dm[2] : cm?.[1]) as string;
        let nameEnd = (dm ?? cm)?.[0].length ?? 0;
        // PEP 695 type parameters: `class Box[T](Base):`, `def first[T](xs):`
        const tp = /^\s*\[/.exec(stmt.slice(nameEnd, nameEnd + 64));
        if (tp) {
          const closeTp = matchClose(stmt, nameEnd + tp[0].length - 1, 100_000);
          if (closeTp > 0) nameEnd = closeTp + 1;
        }
        const parentBlock = stack[stack.length - 1];
        const parentQual = parentBlock ? parentBlock.def.qualName : '';
        const bases: string[] = [];
        if (isClass) {
          const open = stmt.indexOf('(', nameEnd);
          if (open >= 0 && stmt.slice(nameEnd, open).trim() === '') {
            const closeAt = matchClose(stmt, open, 100_000);
            const inner = closeAt > open ? stmt.slice(open + 1, closeAt) : '';
            for (const [s, e] of splitTop(inner, ',')) {
              const t = inner.slice(s, e).trim();
              if (!t || t.startsWith('**') || KWARG_RE.test(t)) continue;
              // Generic[T] -> Generic; namedtuple('X', 'a b') -> namedtuple()
              const bm = TAIL_BASE_RE.exec(t);
              bases.push(bm ? squash(bm[1]) + (bm[2] === '(' ? '()' : '') : short(orig(open + 1 + s, open + 1 + e)));
            }
          }
        }
        const decos = decorators && decorators.indent === ll.indent ? decorators.raw : [];
        decorators = null;
        const def: DefinitionFact = {
          name,
          qualName: parentQual ? parentQual + '.' + name : name,
          kind: isClass ? 'class' : parentBlock?.isClass ? 'method' : 'function',
          line: startLine,
          endLine,
          bases,
          decorators: decos,
          stub: false,
          docstring: false,
          exported: stack.length === 0 && !name.startsWith('_'),
          parent: parentQual,
        };
        if (!isClass) def.async = dm?.[1] !== undefined;
        defs.push(def);
        facts.definitions.push(def);
        let selfName = 'self';
        if (!isClass) {
          const sm = FIRST_PARAM_RE.exec(stmt.slice(nameEnd, nameEnd + 200));
          if (sm) selfName = sm[1];
        }
        const block: Block = {
          def,
          indent: ll.indent,
          lastLine: endLine,
          bodyIndent: -1,
          isClass,
          isInit: def.kind === 'method' && name === '__init__',
          selfName,
          count: 0,
          docstring: false,
          stubKind: undefined,
          trivial: true,
        };
        stack.push(block);
        const colon = headerColon(stmt, nameEnd);
        const tail = colon >= 0 ? stmt.slice(colon + 1).trim() : '';
        if (tail) for (const [s, e] of splitTop(tail, ';')) if (tail.slice(s, e).trim()) feed(block, tail.slice(s, e).trim());
        continue;
      }
      decorators = null;

      // assignments
      const tm = TUPLE_ASSIGN_RE.exec(stmt);
      if (tm) {
        const valueText = orig(tm[0].length, stmt.length);
        for (const nm of tm[1].split(',')) {
          const name = nm.replace('*', '').trim();
          if (!name || KEYWORDS.has(name)) continue;
          rawTargets.push({
            target: name,
            line: startLine,
            value: short(valueText),
            valueKind: valueKindOf(valueText, stmt.slice(tm[0].length)),
            scope,
          });
          if (stack.length === 0) addVariable(name, startLine, endLine);
        }
        continue;
      }
      const am = ASSIGN_RE.exec(stmt);
      if (am && !KEYWORDS.has(squash(am[1]).split('.')[0])) {
        const dotted = squash(am[1]);
        let target = dotted;
        if (am[2]) {
          // keys from the original text (strings are masked in `stmt`)
          const keysOrig = orig(am[1].length, am[1].length + am[2].length);
          target += keysOrig.replace(/\[\s*(?:[rRbBuU]?("|')([^"']*)\1|(-?\d+)|[^\]]*?)\s*\]/g, (_m, _q, s, num) =>
            '[' + (s ?? num ?? '?') + ']',
          );
        }
        const valueText = orig(am[0].length, stmt.length);
        rawTargets.push({
          target,
          line: startLine,
          value: short(valueText),
          valueKind: valueKindOf(valueText, stmt.slice(am[0].length)),
          scope,
        });
        if (stack.length === 0 && !am[2] && !am[3] && !dotted.includes('.')) {
          // plain `NAME = ...` / `NAME: T = ...` at module level (not augmented)
          addVariable(dotted, startLine, endLine);
        }
      }
    }
  }
  while (stack.length > 0) close(stack.pop() as Block);

  // Resolve through the alias table now that every import is known.
  const cap = (s: string) => (s.length > MAX_DOTTED ? s.slice(0, MAX_DOTTED) : s);
  for (const rc of rawCalls) {
    rc.fact.callee = cap(rc.receiver ? (rc.dotted.startsWith('?') ? rc.dotted : '?.' + rc.dotted) : resolveDotted(aliases, rc.dotted));
    facts.calls.push(rc.fact);
  }
  for (const t of rawTargets) {
    t.target = cap(resolveDotted(aliases, t.target));
    facts.assignments.push(t);
  }
  for (const d of defs) {
    d.decorators = d.decorators.map((x) => cap(resolveDotted(aliases, x)));
    d.bases = d.bases.map((x) => cap(resolveDotted(aliases, x)));
    if (d.decorators.some(isAbstractDecorator)) d.abstract = true;
  }
}
