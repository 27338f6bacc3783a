import ts from 'typescript';

/**
 * Comments of a TypeScript/JavaScript file parsed by TypeScript's own parser, whose AST keeps no comment
 * list. Every comment lives in trivia between tokens; outside trivia, only a few token kinds can hold
 * `//` or `/*` in their text: string literals, template literal parts, regex literals and JSX text.
 * So one AST pass records those "opaque" leaves (source order), and one linear pass over the text takes
 * every `//` and `/*` outside them as a comment. The result is the full comment list, shebang excluded,
 * comments inside JSX text excluded (JSX text is not trivia), in source order, without duplicates.
 * Iterative throughout: nesting depth costs heap, never call stack.
 */

export interface TsComment {
  /** `/* *\/` (true) or `//` (false). */
  block: boolean;
  /** Text between the delimiters (`//` comments: up to the line break, exclusive). */
  value: string;
  start: number;
  end: number;
  /** 1-based line of `start`. */
  line: number;
}

const SK = ts.SyntaxKind;

/** Token kinds whose text may contain `//` or `/*` that are not comments. */
const OPAQUE = new Uint8Array(SK.Count + 1);
for (const k of [
  SK.StringLiteral,
  SK.JsxText,
  SK.JsxTextAllWhiteSpaces,
  SK.RegularExpressionLiteral,
  SK.NoSubstitutionTemplateLiteral,
  SK.TemplateHead,
  SK.TemplateMiddle,
  SK.TemplateTail,
]) {
  OPAQUE[k] = 1;
}

const LINE_BREAK = /[\n\r\u2028\u2029]/g;
const SLASH = 47;
const STAR = 42;

export function collectComments(sf: ts.SourceFile, lineAt: (pos: number) => number): TsComment[] {
  const text = sf.text;
  const out: TsComment[] = [];
  if (text.indexOf('/') < 0) return out;
  const ranges = opaqueRanges(sf);
  const n = ranges.length;
  const shebang = /^#!.*/.exec(text);
  let i = shebang ? shebang[0].length : 0;
  let k = 0;
  for (;;) {
    const j = text.indexOf('/', i);
    if (j < 0) break;
    while (k < n && ranges[k + 1] <= j) k += 2;
    if (k < n && ranges[k] <= j) {
      i = ranges[k + 1];
      continue;
    }
    const c = text.charCodeAt(j + 1);
    // `a / /re/`: the second slash opens a regex literal, not a comment.
    if ((c === SLASH || c === STAR) && !(k < n && ranges[k] === j + 1)) {
      let end: number;
      let value: string;
      if (c === SLASH) {
        LINE_BREAK.lastIndex = j + 2;
        const m = LINE_BREAK.exec(text);
        end = m ? m.index : text.length;
        value = text.slice(j + 2, end);
      } else {
        const close = text.indexOf('*/', j + 2);
        end = close < 0 ? text.length : close + 2;
        value = text.slice(j + 2, close < 0 ? text.length : close);
      }
      out.push({ block: c === STAR, value, start: j, end, line: lineAt(j) });
      i = end;
    } else i = j + 1;
  }
  return out;
}

/** [start, end) pairs of the opaque leaves, sorted by start. */
function opaqueRanges(sf: ts.SourceFile): number[] {
  const out: number[] = [];
  const stack: ts.Node[] = [sf];
  const buf: ts.Node[] = [];
  const collect = (c: ts.Node): undefined => {
    buf.push(c);
    return undefined;
  };
  let sorted = true;
  let last = 0;
  while (stack.length > 0) {
    const node = stack.pop() as ts.Node;
    const kind = node.kind;
    if (OPAQUE[kind] === 1) {
      // JSX text has no leading trivia: its white space is text.
      const start = kind === SK.JsxText ? node.pos : node.getStart(sf);
      if (start < last) sorted = false;
      out.push(start, node.end);
      last = node.end;
      continue;
    }
    if (kind < SK.FirstNode) continue; // other tokens: no children, no slashes that are not comments
    ts.forEachChild(node, collect);
    for (let b = buf.length - 1; b >= 0; b--) stack.push(buf[b]);
    buf.length = 0;
  }
  if (sorted) return out;
  const pairs: [number, number][] = [];
  for (let p = 0; p < out.length; p += 2) pairs.push([out[p], out[p + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  const flat: number[] = [];
  for (const [s, e] of pairs) flat.push(s, e);
  return flat;
}
