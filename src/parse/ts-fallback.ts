import type { CallFact, DefinitionFact, DefinitionKind, FileFacts, ImportFact } from '../facts/types.js';
import { countLines, scanComment } from './comments.js';
import { CAPS, FACTS_STEP, PARSE_STEP, addIssue, aliasTarget, resolveSpecifier } from './ts-common.js';

/**
 * Lexical fallback for TypeScript/JavaScript, used when TypeScript's parser cannot parse a file (syntax
 * error, stack exhaustion on extreme nesting) or when forced. One linear pass, no recursion: strings,
 * template literals (with `${}` nesting), regex literals (by the usual previous-token heuristic) and
 * comments are skipped; comments feed markers and suppressions. It extracts:
 * - imports: `import ... from 'm'`, `import 'm'`, `export ... from 'm'` (kind 'export-from'),
 *   `require('m')`, `import('m')` ('?' when the argument is not a literal); relative specifiers resolved
 *   like the real parser, with the same alias table for default/namespace/named/require bindings;
 * - definitions: `function name`, `class Name extends X implements Y`, `interface`, `type`, `enum`,
 *   top-level `const/let/var name` (a function when bound to `function`, `async` or an arrow), with
 *   `export` (also `export { a }` lists), JSDoc just above, end line and nesting from brace matching; a
 *   function whose braces hold nothing is an `empty_body` stub (nothing else is judged a stub here);
 * - calls: `a.b(`, `f(`, `a.b().c(` (callee through the alias table; no args or kwargs), scoped to the
 *   innermost definition; `name(...) {` (a method head) is not a call;
 * - names: identifiers and property names in code.
 * JSX text is not recognised as such: a marker-like word in JSX text inside `//` may be taken as a comment.
 * Always records one ScanIssue saying the facts are degraded and sets facts.parser to 'fallback'.
 */
export function scanTypeScriptFallback(text: string, facts: FileFacts, cause?: string, step: string = PARSE_STEP): void {
  facts.parser = 'fallback';
  facts.lines = countLines(text, 'c');
  addIssue(
    facts,
    step,
    cause
      ? `${cause}; facts come from the lexical fallback scanner and are degraded`
      : 'lexical fallback scanner used (forced); facts are degraded',
    'Parsing TypeScript/JavaScript with the TypeScript parser; imports, definitions, calls and markers were extracted lexically instead.',
  );
  new Scanner(text, facts).run();
}

const enum K {
  None,
  Ident,
  Punct,
  Str,
  Num,
  Regex,
  Template,
}

const KEYWORDS = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'export', 'extends', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'return',
  'switch', 'throw', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'await',
  'async', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'enum', 'true',
  'false', 'null', 'of', 'as', 'from', 'type', 'declare', 'abstract', 'readonly', 'satisfies', 'keyof',
  'namespace', 'module', 'get', 'set', 'override', 'accessor', 'infer', 'is', 'asserts', 'unique',
]);

/** Keywords after which `/` starts a regex literal. */
const REGEX_AFTER = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else',
  'yield', 'await',
]);

/** Words that keep an `export` (and a JSDoc block) attached to the declaration that follows. */
const CARRY = new Set([
  'export', 'default', 'async', 'abstract', 'declare', 'function', 'class', 'interface', 'type', 'enum',
  'const', 'let', 'var', 'namespace', 'module',
]);

/** Words that end an `export ...` / `import ...` capture: the statement is a declaration. */
const DECL_WORDS = new Set([
  'const', 'let', 'var', 'function', 'class', 'interface', 'enum', 'default', 'abstract', 'declare', 'async',
  'namespace', 'module', 'import',
]);

/** Modifiers that may precede a method name in a class body. */
const MEMBER_MODIFIERS = new Set([
  'public', 'private', 'protected', 'static', 'async', 'readonly', 'override', 'abstract', 'get', 'set', 'declare',
  'accessor',
]);

/** Words that may start a call chain although they are keywords. */
const CHAIN_KEYWORDS = new Set(['this', 'super', 'require', 'get', 'set', 'of', 'from', 'type', 'module', 'async']);

interface OpenDef {
  def: DefinitionFact;
  /** Brace depth inside the body. */
  depth: number;
  /** Paren depth of the body. */
  paren: number;
  tokens: number;
}

interface Tok {
  text: string;
  kind: K;
}

class Scanner {
  private i = 0;
  private line = 1;
  private prev = '';
  private prevKind = K.None;
  private braceDepth = 0;
  private parenDepth = 0;
  private readonly templateStack: number[] = [];
  private readonly ring: Tok[] = [];

  private imp: { kind: 'import' | 'export-from'; line: number; toks: string[]; typeOnly: boolean } | null = null;
  private callPending: { kind: 'require' | 'dynamic'; line: number; stage: 0 | 1; local: string | null } | null = null;
  private exportFlag = false;
  private docLine = -1;
  private docEligible = false;
  private pendingDef: { kind: DefinitionKind; line: number; exported: boolean; async: boolean; doc: boolean; paren: number } | null =
    null;
  private pendingVar: { exported: boolean; doc: boolean } | null = null;
  private varEq: { def: DefinitionFact; paren: number; brace: number; tokens: number; eq: boolean } | null = null;
  private classHdr: { def: DefinitionFact; phase: 'head' | 'extends' | 'implements' } | null = null;
  private awaitingBody: { def: DefinitionFact; paren: number } | null = null;
  private readonly openDefs: OpenDef[] = [];

  private chain: string | null = null;
  /** The token before the first identifier of the current chain. */
  private chainPrev = '';
  private readonly callStack: { idx: number; paren: number }[] = [];
  private closedCall = -1;
  private closedCallee: string | null = null;
  private readonly dropped = new Set<number>();
  /** Definitions that ended with `;` (overload signatures, `declare`, abstract members). */
  private readonly bodiless = new Set<DefinitionFact>();
  private readonly methods: { def: DefinitionFact; owner: DefinitionFact; private: boolean }[] = [];

  private readonly aliases = new Map<string, string>();
  private readonly exportedNames = new Set<string>();
  private readonly names = new Set<string>();
  private readonly capsHit = new Set<string>();

  constructor(
    private readonly text: string,
    private readonly facts: FileFacts,
  ) {}

  run(): void {
    const text = this.text;
    const n = text.length;
    if (text.startsWith('#!')) {
      const e = text.indexOf('\n');
      this.i = e === -1 ? n : e;
    }
    while (this.i < n) {
      const c = text.charCodeAt(this.i);
      if (c === 10) {
        this.line++;
        this.i++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || isUnicodeSpace(c)) {
        this.i++;
        continue;
      }
      if (c === 47 /* / */) {
        const d = text.charCodeAt(this.i + 1);
        if (d === 47) {
          this.lineComment();
          continue;
        }
        if (d === 42) {
          this.blockComment();
          continue;
        }
        if (this.regexAllowed()) {
          this.regex();
          continue;
        }
        this.i++;
        this.punct('/');
        continue;
      }
      if (c === 39 || c === 34) {
        this.string(c);
        continue;
      }
      if (c === 96 /* ` */) {
        this.template(this.i + 1);
        continue;
      }
      if (isIdentStart(c) || c === 92 /* \ (unicode escape) */) {
        const start = this.i;
        let j = this.i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (isIdentPart(d)) j++;
          else if (d === 92 && text.charCodeAt(j + 1) === 117) j += 2;
          else break;
        }
        if (c === 92) j = Math.max(j, start + 2);
        this.i = j;
        this.ident(text.slice(start, j));
        continue;
      }
      if (c >= 48 && c <= 57) {
        this.number();
        continue;
      }
      if (c === 46 /* . */) {
        const d = text.charCodeAt(this.i + 1);
        if (d >= 48 && d <= 57) {
          this.number();
          continue;
        }
        if (d === 46 && text.charCodeAt(this.i + 2) === 46) {
          this.i += 3;
          this.punct('...');
          continue;
        }
        this.i++;
        this.punct('.');
        continue;
      }
      if (c === 35 /* # */ && isIdentStart(text.charCodeAt(this.i + 1))) {
        let j = this.i + 1;
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
        const word = text.slice(this.i + 1, j);
        this.i = j;
        this.privateName(word);
        continue;
      }
      if (c === 61 /* = */ && text.charCodeAt(this.i + 1) === 62) {
        this.i += 2;
        this.punct('=>');
        continue;
      }
      if (c === 63 /* ? */ && text.charCodeAt(this.i + 1) === 46) {
        const d = text.charCodeAt(this.i + 2);
        if (!(d >= 48 && d <= 57)) {
          this.i += 2;
          this.punct('.');
          continue;
        }
      }
      this.i++;
      this.punct(String.fromCharCode(c));
    }
    this.finish();
  }

  // --- lexical pieces --------------------------------------------------------------------------------

  private lineComment(): void {
    const start = this.i + 2;
    let end = this.text.indexOf('\n', start);
    if (end === -1) end = this.text.length;
    this.comment(this.text.slice(start, end), this.line);
    this.i = end;
  }

  private blockComment(): void {
    const start = this.i + 2;
    let end = this.text.indexOf('*/', start);
    const closed = end !== -1;
    if (!closed) end = this.text.length;
    const value = this.text.slice(start, end);
    const line = this.line;
    this.comment(value, line);
    this.line += countNewlines(value);
    this.i = closed ? end + 2 : end;
    if (value.startsWith('*') && !value.startsWith('**')) {
      this.docLine = this.line;
      this.docEligible = true;
    }
  }

  private comment(value: string, line: number): void {
    const f = this.facts;
    if (f.markers.length + f.suppressions.length >= CAPS.markers) {
      this.cap('markers', line);
      return;
    }
    scanComment(value, line, f);
  }

  private string(quote: number): void {
    const text = this.text;
    const n = text.length;
    let j = this.i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 92) {
        if (text.charCodeAt(j + 1) === 10) this.line++;
        j += 2;
        continue;
      }
      if (d === quote || d === 10) break;
      j++;
    }
    const value = text.slice(this.i + 1, Math.min(j, n));
    this.i = j < n && text.charCodeAt(j) === quote ? j + 1 : j;
    this.onString(value);
  }

  /** Scan template text from `j`; stops after the closing backtick or after a `${`. */
  private template(j: number): void {
    const text = this.text;
    const n = text.length;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 92) {
        if (text.charCodeAt(j + 1) === 10) this.line++;
        j += 2;
        continue;
      }
      if (d === 96) {
        this.i = j + 1;
        this.token('`', K.Template);
        return;
      }
      if (d === 36 && text.charCodeAt(j + 1) === 123) {
        this.i = j + 2;
        this.token('`', K.Template);
        this.templateStack.push(this.braceDepth);
        this.braceDepth++;
        return;
      }
      if (d === 10) this.line++;
      j++;
    }
    this.i = n;
    this.token('`', K.Template);
  }

  private regexAllowed(): boolean {
    switch (this.prevKind) {
      case K.None:
        return true;
      case K.Ident:
        return REGEX_AFTER.has(this.prev);
      case K.Punct:
        return this.prev !== ')' && this.prev !== ']' && this.prev !== '<';
      default:
        return false;
    }
  }

  private regex(): void {
    const text = this.text;
    const n = text.length;
    let j = this.i + 1;
    let inClass = false;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 10) break; // not a regex after all; resume at the newline
      if (d === 92) {
        j += 2;
        continue;
      }
      if (inClass) {
        if (d === 93) inClass = false;
      } else if (d === 91) inClass = true;
      else if (d === 47) {
        j++;
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
        break;
      }
      j++;
    }
    this.i = Math.min(j, n);
    this.token('/re/', K.Regex);
  }

  private number(): void {
    const text = this.text;
    const n = text.length;
    let j = this.i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (isIdentPart(d) || d === 46) j++;
      else break;
    }
    this.i = j;
    this.token('0', K.Num);
  }

  // --- tokens ----------------------------------------------------------------------------------------

  /** Bookkeeping shared by every significant token. */
  private token(t: string, kind: K): void {
    if (kind === K.Num || kind === K.Regex || kind === K.Template) this.settleCall();
    const top = this.openDefs.length > 0 ? this.openDefs[this.openDefs.length - 1] : null;
    if (top) top.tokens++;
    if (this.varEq) this.varEq.tokens++;
    if (this.closedCall >= 0 && !(kind === K.Punct && t === ')')) {
      if (kind === K.Punct && (t === '{' || t === '=>')) this.dropped.add(this.closedCall);
      this.closedCall = -1;
    }
    if (kind !== K.Ident) {
      if (!(kind === K.Punct && (t === '.' || t === '('))) this.chain = null;
      if (!(kind === K.Punct && t === '*' && this.pendingDef?.kind === 'function')) this.pendingDef = null;
      if (this.pendingVar && !(kind === K.Punct && (t === '{' || t === '['))) this.pendingVar = null;
      if (!(kind === K.Punct && t === '@')) this.docEligible = false;
      this.exportFlag = false;
    }
    this.prev = t;
    this.prevKind = kind;
    this.ring.push({ text: t, kind });
    if (this.ring.length > 4) this.ring.shift();
  }

  /** A pending `require(` / `import(` met something other than a string literal: module '?'. */
  private settleCall(): void {
    const cp = this.callPending;
    if (!cp) return;
    this.callPending = null;
    if (cp.stage === 1) this.addImport('?', cp.kind, cp.line, [], false, false);
  }

  private onString(value: string): void {
    const cp = this.callPending;
    const imp = this.imp;
    const afterFrom = this.prevKind === K.Ident && this.prev === 'from';
    if (cp && cp.stage === 1) {
      this.callPending = null;
      const { module, relative } = resolveSpecifier(value, this.facts.path);
      let names: string[] = [];
      if (cp.local) {
        names = [cp.kind === 'dynamic' ? '*' : 'default'];
        const t = aliasTarget(module, relative, null, cp.local);
        if (t) this.aliases.set(cp.local, t);
      }
      this.addImport(module, cp.kind, cp.line, names, relative, false);
    } else if (cp) {
      this.callPending = null;
    }
    if (!(cp && cp.stage === 1) && imp) {
      if (afterFrom || (imp.kind === 'import' && imp.toks.length === 0)) {
        this.imp = null;
        this.importFromTokens(imp, value);
      } else if (imp.toks.length < 500) imp.toks.push(value);
    }
    this.token('"', K.Str);
  }

  private privateName(word: string): void {
    this.addName(word);
    this.token('#' + word, K.Ident);
    this.chain = null;
  }

  private ident(word: string): void {
    const afterDot = this.prevKind === K.Punct && this.prev === '.';
    const keyword = !afterDot && KEYWORDS.has(word);
    const line = this.line;
    this.settleCall();
    if (!keyword) this.addName(word);

    // import / export capture
    const imp = this.imp;
    if (imp && !afterDot) {
      const peek = imp.toks.length === 0 && word === 'type' ? this.peekChar() : '';
      if (peek !== '' && (imp.kind === 'import' ? peek !== '=' && peek !== ',' : peek === '{' || peek === '*')) {
        imp.typeOnly = true;
        this.identDone(word, afterDot, keyword);
        return;
      }
      const inBraces = imp.toks.lastIndexOf('{') > imp.toks.lastIndexOf('}');
      if (!inBraces && (DECL_WORDS.has(word) || (word === 'type' && imp.kind === 'export-from' && imp.toks.length === 0))) {
        this.endImport();
      } else if (word !== 'from') {
        if (imp.toks.length < 500) imp.toks.push(word);
        else this.imp = null;
      }
    }

    // definition names
    const pd = this.pendingDef;
    if (pd && !afterDot && !keyword) {
      this.pendingDef = null;
      this.define(word, pd.kind, pd.line, pd.exported, pd.doc, pd.async, pd.paren);
      this.identDone(word, afterDot, keyword, true);
      return;
    }
    this.pendingDef = null;
    const pv = this.pendingVar;
    if (pv && !afterDot && !keyword) {
      this.pendingVar = null;
      const def = this.define(word, 'variable', line, pv.exported, pv.doc, false, this.parenDepth);
      const peek = this.peekChar();
      if (def && (peek === '=' || peek === ':')) this.varEq = { def, paren: this.parenDepth, brace: this.braceDepth, tokens: 0, eq: false };
      this.identDone(word, afterDot, keyword, true);
      return;
    }
    this.pendingVar = null;

    if (!afterDot) {
      switch (word) {
        case 'import': {
          const p = this.peekChar();
          if (p === '(') {
            this.callPending = { kind: 'dynamic', line, stage: 0, local: this.bindingLocal() };
            this.dropBindingVariable(line);
          } else if (p !== '.') this.imp = { kind: 'import', line, toks: [], typeOnly: false };
          break;
        }
        case 'export':
          this.endImport();
          this.exportFlag = true;
          this.imp = { kind: 'export-from', line, toks: [], typeOnly: false };
          break;
        case 'require':
          if (this.peekChar() === '(') {
            this.callPending = { kind: 'require', line, stage: 0, local: this.bindingLocal() };
            this.dropBindingVariable(line);
          }
          break;
        case 'function':
          this.pendingDef = this.pending('function', line);
          break;
        case 'class':
          this.pendingDef = this.pending('class', line);
          break;
        case 'interface':
        case 'enum':
        case 'type':
          if (isIdentStart(this.peekCode())) this.pendingDef = this.pending(word === 'type' ? 'type' : word, line);
          break;
        case 'const':
        case 'let':
        case 'var':
          if (this.braceDepth === 0 && this.parenDepth === 0 && this.templateStack.length === 0) {
            this.pendingVar = { exported: this.exportFlag, doc: this.docFor(line) };
          }
          break;
        case 'extends':
        case 'implements':
          if (this.classHdr) {
            this.classBase();
            this.classHdr.phase = word;
          }
          break;
        default:
          break;
      }
      if ((word === 'function' || word === 'async') && this.varEq?.eq && this.varEq.tokens === 0) this.upgradeVar();
    }
    this.identDone(word, afterDot, keyword);
  }

  /** The end of identifier handling: chain bookkeeping, export/JSDoc carry, token record. */
  private identDone(word: string, afterDot: boolean, keyword: boolean, isName = false): void {
    if (afterDot) {
      this.chain =
        this.chain !== null ? this.chain + '.' + word : this.closedCallee !== null ? this.closedCallee + '.' + word : '?.' + word;
    } else if (!isName && (!keyword || CHAIN_KEYWORDS.has(word))) {
      this.chain = word;
      this.chainPrev = this.prevKind === K.None ? ';' : this.prev;
    } else this.chain = null;
    const carry = !afterDot && CARRY.has(word);
    if (!carry) {
      this.exportFlag = false;
      this.docEligible = false;
    }
    this.closedCallee = null;
    this.token(word, K.Ident);
  }

  private punct(p: string): void {
    const prevKind = this.prevKind;
    const prev = this.prev;
    const line = this.line;
    const imp = this.imp;
    if (imp) {
      if (p === ';' || p === '=' || p === '(') this.endImport();
      else if (p === '{' || p === '}' || p === ',' || p === '*') {
        if (imp.toks.length < 500) imp.toks.push(p);
      }
    }
    if (this.classHdr && (p === ',' || p === '<' || p === '{')) this.classBase();
    if (this.classHdr && p === '{') this.classHdr = null;

    const chain = this.chain;
    const closedCallee = this.closedCallee;
    const closedCall = this.closedCall;
    const cp = this.callPending;
    if (cp && cp.stage === 0 && p === '(') cp.stage = 1;
    else this.settleCall();
    this.token(p, K.Punct);

    switch (p) {
      case '(': {
        if (chain !== null && prevKind === K.Ident && this.methodHead(chain, line)) {
          this.callStack.push({ idx: -1, paren: this.parenDepth });
        } else if (chain !== null && prevKind === K.Ident) {
          const idx = this.addCall(chain, line);
          this.callStack.push({ idx, paren: this.parenDepth });
        } else this.callStack.push({ idx: -1, paren: this.parenDepth });
        this.parenDepth++;
        break;
      }
      case ')': {
        if (this.parenDepth > 0) this.parenDepth--;
        const top = this.callStack.length > 0 ? this.callStack[this.callStack.length - 1] : null;
        if (top && top.paren === this.parenDepth) {
          this.callStack.pop();
          if (top.idx >= 0) {
            this.closedCall = top.idx;
            this.closedCallee = this.facts.calls[top.idx]?.callee ?? null;
          }
        }
        break;
      }
      case '.':
        this.chain = chain !== null && prevKind === K.Ident ? chain : null;
        this.closedCallee = prev === ')' && closedCall >= 0 && closedCallee !== null ? closedCallee + '()' : null;
        if (this.chain === null && this.closedCallee === null && (prev === ')' || prev === ']')) this.closedCallee = '?';
        break;
      case '{': {
        this.braceDepth++;
        const ab = this.awaitingBody;
        if (ab && this.parenDepth === ab.paren) {
          this.awaitingBody = null;
          this.openDefs.push({ def: ab.def, depth: this.braceDepth, paren: this.parenDepth, tokens: 0 });
        }
        break;
      }
      case '}': {
        const ts = this.templateStack;
        if (ts.length > 0 && ts[ts.length - 1] === this.braceDepth - 1) {
          ts.pop();
          this.braceDepth--;
          this.template(this.i);
          return;
        }
        const top = this.openDefs.length > 0 ? this.openDefs[this.openDefs.length - 1] : null;
        if (top && top.depth === this.braceDepth) {
          this.openDefs.pop();
          top.def.endLine = line;
          // tokens counts the closing brace itself.
          if (top.tokens <= 1 && (top.def.kind === 'function' || (top.def.kind === 'method' && top.def.name !== 'constructor'))) {
            top.def.stub = true;
            top.def.stubKind = 'empty_body';
          }
        }
        if (this.braceDepth > 0) this.braceDepth--;
        break;
      }
      case ';':
        if (this.awaitingBody && this.parenDepth === this.awaitingBody.paren) {
          this.awaitingBody.def.endLine = line;
          this.bodiless.add(this.awaitingBody.def);
          this.awaitingBody = null;
        }
        this.varEq = null;
        break;
      case '=>': {
        const ve = this.varEq;
        if (ve && ve.eq && this.parenDepth === ve.paren && this.braceDepth === ve.brace) this.upgradeVar();
        break;
      }
      case '=': {
        const ve = this.varEq;
        if (ve && !ve.eq && this.parenDepth === ve.paren && this.braceDepth === ve.brace) {
          ve.eq = true;
          ve.tokens = 0;
        }
        break;
      }
      default:
        break;
    }
  }

  // --- facts -----------------------------------------------------------------------------------------

  private cap(what: keyof typeof CAPS, line: number): void {
    if (this.capsHit.has(what)) return;
    this.capsHit.add(what);
    addIssue(
      this.facts,
      FACTS_STEP,
      `more than ${CAPS[what]} ${what} in this file (line ${line}); the rest are not recorded`,
      'Extracting facts lexically (fallback scanner).',
    );
  }

  private addName(word: string): void {
    if (this.names.has(word)) return;
    if (this.names.size >= CAPS.names) return; // the cap is part of the contract, not a problem
    this.names.add(word);
    this.facts.names.push({ name: word.length > 200 ? word.slice(0, 200) : word, line: this.line, scope: this.scope() });
  }

  private scope(): string {
    const top = this.openDefs.length > 0 ? this.openDefs[this.openDefs.length - 1] : null;
    return top ? top.def.qualName : '';
  }

  private addImport(module: string, kind: ImportFact['kind'], line: number, names: string[], relative: boolean, typeOnly: boolean): void {
    if (this.facts.imports.length >= CAPS.imports) {
      this.cap('imports', line);
      return;
    }
    const fact: ImportFact = { module, names, line, kind };
    if (relative) fact.relative = true;
    if (typeOnly) fact.typeOnly = true;
    this.facts.imports.push(fact);
  }

  private addCall(chain: string, line: number): number {
    if (this.facts.calls.length >= CAPS.calls) {
      this.cap('calls', line);
      return -1;
    }
    let callee = chain;
    const dot = chain.indexOf('.');
    const root = dot === -1 ? chain : chain.slice(0, dot);
    const alias = this.aliases.get(root);
    if (alias !== undefined) callee = alias + chain.slice(root.length);
    if (callee.length > 300) callee = callee.slice(0, 299) + '…';
    const fact: CallFact = { callee, line, args: [], kwargs: {}, scope: this.scope() };
    this.facts.calls.push(fact);
    return this.facts.calls.length - 1;
  }

  private pending(kind: DefinitionKind, line: number) {
    return {
      kind,
      line,
      exported: this.exportFlag,
      async: this.ring.length > 0 && this.ring[this.ring.length - 1].text === 'async',
      doc: this.docFor(line),
      paren: this.parenDepth,
    };
  }

  private docFor(line: number): boolean {
    return this.docEligible && this.docLine >= 0 && line - this.docLine <= 2;
  }

  private define(
    name: string,
    kind: DefinitionKind,
    line: number,
    exported: boolean,
    doc: boolean,
    isAsync: boolean,
    paren: number,
  ): DefinitionFact | null {
    if (this.facts.definitions.length >= CAPS.definitions) {
      this.cap('definitions', line);
      return null;
    }
    const parent = this.scope();
    const def: DefinitionFact = {
      name,
      qualName: parent ? `${parent}.${name}` : name,
      kind,
      line,
      endLine: line,
      bases: [],
      decorators: [],
      stub: false,
      docstring: doc,
      exported,
      parent,
    };
    if (isAsync) def.async = true;
    this.facts.definitions.push(def);
    if (kind === 'class') this.classHdr = { def, phase: 'head' };
    if (kind === 'function' || kind === 'method' || kind === 'class' || kind === 'interface' || kind === 'enum') {
      this.awaitingBody = { def, paren };
    }
    return def;
  }

  /**
   * `name(` directly in a class body, after `{`, `}`, `;` or modifiers: a method head, recorded as a
   * method definition (its braces give the end line; `;` instead of a body means no body). In an
   * interface body it is a member signature: not a call, not a definition.
   */
  private methodHead(chain: string, line: number): boolean {
    const top = this.openDefs.length > 0 ? this.openDefs[this.openDefs.length - 1] : null;
    if (!top || (top.def.kind !== 'class' && top.def.kind !== 'interface')) return false;
    if (this.braceDepth !== top.depth || this.parenDepth !== top.paren) return false;
    if (chain.includes('.')) return false;
    const before = this.chainPrev;
    if (!(before === '{' || before === '}' || before === ';' || before === ',' || before === '*' || MEMBER_MODIFIERS.has(before))) {
      return false;
    }
    if (top.def.kind === 'interface') return true; // a member signature: neither a call nor a definition
    const def = this.define(chain, 'method', line, false, false, before === 'async', this.parenDepth);
    if (def) {
      def.exported = top.def.exported && before !== 'private';
      if (before === 'abstract') def.abstract = true;
      this.methods.push({ def, owner: top.def, private: before === 'private' || chain.startsWith('#') });
    }
    return true;
  }

  private upgradeVar(): void {
    const ve = this.varEq;
    if (!ve) return;
    this.varEq = null;
    ve.def.kind = 'function';
    this.awaitingBody = { def: ve.def, paren: this.parenDepth };
  }

  private classBase(): void {
    const h = this.classHdr;
    if (!h || h.phase === 'head' || this.chain === null || this.prevKind !== K.Ident) return;
    const chain = this.chain;
    const dot = chain.indexOf('.');
    const root = dot === -1 ? chain : chain.slice(0, dot);
    const alias = this.aliases.get(root);
    h.def.bases.push(alias !== undefined ? alias + chain.slice(root.length) : chain);
    this.chain = null;
  }

  /** `const x = require(...)` binds an import, not a variable: forget the variable just defined. */
  private dropBindingVariable(line: number): void {
    const r = this.ring;
    let k = r.length - 1;
    if (k >= 0 && r[k].text === 'await') k--;
    if (k < 0 || r[k].text !== '=') return;
    const defs = this.facts.definitions;
    const last = defs.length > 0 ? defs[defs.length - 1] : null;
    if (last && last.kind === 'variable' && last.line === line && last.parent === '') {
      defs.pop();
      if (this.varEq?.def === last) this.varEq = null;
    }
  }

  /** `const x = require(` / `const x = await import(`: the local name being bound, if any. */
  private bindingLocal(): string | null {
    const r = this.ring;
    let k = r.length - 1;
    if (k >= 0 && r[k].text === 'await') k--;
    if (k >= 2 && r[k].text === '=' && r[k - 1].kind === K.Ident && /^(?:const|let|var|import)$/.test(r[k - 2].text)) return r[k - 1].text;
    return null;
  }

  private endImport(): void {
    const imp = this.imp;
    this.imp = null;
    if (!imp || imp.kind !== 'export-from' || imp.toks[0] !== '{') return;
    // `export { a, b as c }` without `from`: local names are exported.
    const t = imp.toks;
    for (let k = 1; k < t.length && t[k] !== '}'; k++) {
      const w = t[k];
      if (w === ',' || w === '{' || w === '*') continue;
      if (w === 'as') {
        k++;
        continue;
      }
      if (w === 'type' && k + 1 < t.length && t[k + 1] !== ',' && t[k + 1] !== '}' && t[k + 1] !== 'as') continue;
      this.exportedNames.add(w);
    }
  }

  private importFromTokens(imp: { kind: 'import' | 'export-from'; line: number; toks: string[]; typeOnly: boolean }, spec: string): void {
    const { module, relative } = resolveSpecifier(spec, this.facts.path);
    const t = imp.toks;
    const names: string[] = [];
    let inBrace = false;
    for (let k = 0; k < t.length; k++) {
      const w = t[k];
      if (w === '{') inBrace = true;
      else if (w === '}') inBrace = false;
      else if (w === ',') continue;
      else if (w === '*') {
        names.push('*');
        if (t[k + 1] === 'as' && k + 2 < t.length) {
          if (imp.kind === 'import') {
            const target = aliasTarget(module, relative, '*', t[k + 2]);
            if (target) this.aliases.set(t[k + 2], target);
          }
          k += 2;
        }
      } else if (inBrace) {
        if (w === 'type' && k + 1 < t.length && t[k + 1] !== ',' && t[k + 1] !== '}' && t[k + 1] !== 'as') continue;
        let local = w;
        if (t[k + 1] === 'as' && k + 2 < t.length) {
          local = t[k + 2];
          k += 2;
        }
        names.push(w);
        if (imp.kind === 'import') {
          const target = aliasTarget(module, relative, w, local);
          if (target) this.aliases.set(local, target);
        }
      } else if (imp.kind === 'import') {
        names.push('default');
        const target = aliasTarget(module, relative, 'default', w);
        if (target) this.aliases.set(w, target);
      }
    }
    this.addImport(module, imp.kind, imp.line, names, relative, imp.typeOnly);
  }

  private finish(): void {
    if (this.dropped.size > 0) {
      const kept: CallFact[] = [];
      this.facts.calls.forEach((c, k) => {
        if (!this.dropped.has(k)) kept.push(c);
      });
      this.facts.calls.length = 0;
      for (const c of kept) this.facts.calls.push(c);
    }
    if (this.exportedNames.size > 0) {
      for (const d of this.facts.definitions) if (d.parent === '' && this.exportedNames.has(d.name)) d.exported = true;
    }
    if (this.bodiless.size > 0) {
      const withBody = new Set<string>();
      for (const d of this.facts.definitions) if (!this.bodiless.has(d)) withBody.add(d.qualName);
      const seen = new Set<string>();
      const defs = this.facts.definitions.filter((d) => {
        if (!this.bodiless.has(d)) return true;
        if (withBody.has(d.qualName) || seen.has(d.qualName)) return false;
        seen.add(d.qualName);
        return true;
      });
      this.facts.definitions.length = 0;
      for (const d of defs) this.facts.definitions.push(d);
    }
    for (const m of this.methods) m.def.exported = m.owner.exported && !m.private;
    for (const o of this.openDefs) o.def.endLine = this.line;
  }

  // --- lookahead -------------------------------------------------------------------------------------

  /** Next non-white-space character on or after the current position (comments are not skipped). */
  private peekChar(): string {
    const text = this.text;
    let j = this.i;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === 32 || d === 9 || d === 10 || d === 13) j++;
      else return text[j];
      if (j - this.i > 200) break;
    }
    return '';
  }

  private peekCode(): number {
    const ch = this.peekChar();
    return ch === '' ? -1 : ch.charCodeAt(0);
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || (c >= 0x80 && !isUnicodeSpace(c));
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isUnicodeSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}
