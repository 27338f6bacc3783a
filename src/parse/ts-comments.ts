import ts from 'typescript';

/**
 * Comments of a TypeScript/JavaScript file parsed by TypeScript's own parser, whose AST keeps no comment
 * list. Every comment lives in trivia between tokens; outside trivia, only a few token kinds can hold
 * `//` or `/*` in their text: string literals, template literal parts, regex literals and JSX text
 * ("opaque" tokens). So one linear pass over the text finds every `//` and `/*`, and each candidate is
 * looked up in the AST: it is a comment unless it lies inside an opaque token. The lookups move forward
 * only and descend only into the nodes that contain a candidate, so a file costs one text scan plus a
 * small part of the tree. The result is the full comment list, shebang excluded, JSX text excluded (it is
 * not trivia), in source order, without duplicates. Iterative: nesting depth costs heap, not call stack.
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
  const shebang = /^#!.*/.exec(text);
  const cursor = new OpaqueCursor(sf);
  let i = shebang ? shebang[0].length : 0;
  for (;;) {
    const j = text.indexOf('/', i);
    if (j < 0) break;
    const c = text.charCodeAt(j + 1);
    if (c !== SLASH && c !== STAR) {
      i = j + 1;
      continue;
    }
    const inside = cursor.opaqueEnd(j);
    if (inside >= 0) {
      i = inside;
      continue;
    }
    // Defensive: a token that starts on the second character (valid code never has one there).
    if (cursor.opaqueEnd(j + 1) >= 0) {
      i = j + 1;
      continue;
    }
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
  }
  return out;
}

/**
 * Answers "which opaque token contains position p" for nondecreasing p: a stack of the nodes containing
 * the last position, each with its children and the index of the first child not yet passed.
 */
class OpaqueCursor {
  private readonly nodes: ts.Node[] = [];
  private readonly kids: ts.Node[][] = [];
  private readonly next: number[] = [];

  constructor(private readonly sf: ts.SourceFile) {
    this.enter(sf);
  }

  /** End of the opaque token containing `p`, or -1 (p is in trivia or in another token). */
  opaqueEnd(p: number): number {
    while (this.nodes.length > 1 && this.nodes[this.nodes.length - 1].end <= p) this.leave();
    for (;;) {
      const top = this.nodes.length - 1;
      const kids = this.kids[top];
      let k = this.next[top];
      while (k < kids.length && kids[k].end <= p) k++;
      this.next[top] = k;
      if (k === kids.length) return -1;
      const c = kids[k];
      if (p < c.pos) return -1; // a token of the node itself
      const kind = c.kind;
      if (OPAQUE[kind] === 1) {
        // JSX text has no leading trivia: its white space is text.
        const start = kind === SK.JsxText ? c.pos : c.getStart(this.sf);
        return p >= start ? c.end : -1;
      }
      if (kind < SK.FirstNode) return -1; // other tokens: no `//` or `/*` inside
      if (p < c.getStart(this.sf)) return -1; // leading trivia of the child
      this.enter(c);
    }
  }

  private enter(node: ts.Node): void {
    const kids: ts.Node[] = [];
    ts.forEachChild(node, (c) => {
      kids.push(c);
    });
    // Children come in source order; keep the lookup correct even if some node kind did not.
    for (let i = 1; i < kids.length; i++) {
      if (kids[i].pos < kids[i - 1].pos) {
        kids.sort((a, b) => a.pos - b.pos);
        break;
      }
    }
    this.nodes.push(node);
    this.kids.push(kids);
    this.next.push(0);
  }

  private leave(): void {
    this.nodes.pop();
    this.kids.pop();
    this.next.pop();
  }
}
