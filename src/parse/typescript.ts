import ts from 'typescript';
import type {
  AssignmentFact,
  CallFact,
  DefinitionFact,
  DefinitionKind,
  FileFacts,
  ImportFact,
  NameFact,
} from '../facts/types.js';
import { countLines, scanComment } from './comments.js';
import { scanTypeScriptFallback } from './ts-fallback.js';
import { collectComments, type TsComment } from './ts-comments.js';
import {
  CAPS,
  FACTS_STEP,
  PARSE_STEP,
  STUB_MESSAGE_RE,
  addIssue,
  aliasTarget,
  resolveSpecifier,
  sliceShort,
} from './ts-common.js';

/**
 * TypeScript / JavaScript (.ts .tsx .mts .cts .js .jsx .mjs .cjs, and .d.ts) -> FileFacts, with TypeScript's
 * own parser (`ts.createSourceFile`, no type checking, JSDoc not parsed). The AST is walked iteratively
 * (explicit stack), so nesting depth costs heap, not call stack; the parser itself recurses and throws
 * RangeError on extreme depth, which (like any syntax error the parser reports) sends the file to the
 * lexical fallback with a ScanIssue. Semantically invalid but parseable code (initialisers in ambient
 * contexts, bodies in .d.ts, modifiers where they are not allowed...) is not an error: those are checker
 * diagnostics, and facts are better than a fallback for an auditor. Never throws.
 *
 * The facts are those of the ESTree view of the file that earlier versions extracted through
 * typescript-estree: parentheses are transparent, `x as T`,
 * `x!`, `<T>x`, `x satisfies T` and `f<T>` are unwrapped where a value is inspected, and the parts of
 * the syntax tree that ESTree does not represent (decorators outside classes, class members and
 * parameters, initialisers of abstract properties and interface members, heritage types after the
 * first `extends` type) yield no facts.
 *
 * Semantics (beyond the doc comments of `facts/types.ts`):
 * - Aliases: `import * as tf from 'm'` / `import m from 'm'` / `const m = require('m')` /
 *   `import m = require('m')` map the local name to `m`; `import { a as b } from 'm'` maps `b` to `m.a`;
 *   `const { a: b } = require('m')` / `await import('m')` likewise. Relative imports: named bindings map to
 *   their original name, default/namespace bindings stay as written (paths are not spliced into names).
 * - Calls: `new X()` is a call of `X`. Positional args exclude a trailing object literal, whose properties
 *   are the kwargs. The line of a member call is the line of its property (`.compile(` in a chain).
 * - Definitions: line is the line of the name. Overload signatures collapse into their implementation;
 *   a body-less declaration (`declare`, abstract, overloads only) is kept once and is never a stub.
 *   Constructors are not `empty_body` stubs: an empty constructor is a trivialInit (it may store
 *   parameter properties). Methods are exported when their class is and they are not private.
 * - Top-level `const f = () => {}` / function expressions are functions; other top-level bindings are
 *   variables (import bindings excepted). Class fields holding functions are methods; other class fields
 *   are assignments to `this.x` (static: `Class.x`).
 * - Destructuring targets (`[a = 1] = xs`, `({ b = 2 } = o)`) hold default values, not assignments.
 */
export function parseTypeScript(text: string, facts: FileFacts, opts?: { forceFallback?: boolean }): void {
  if (opts?.forceFallback) {
    runFallback(text, facts, undefined, PARSE_STEP);
    return;
  }
  if (text.length > TS_PARSE_MAX_CHARS) {
    const mb = (text.length / (1024 * 1024)).toFixed(1);
    const limit = TS_PARSE_MAX_CHARS / (1024 * 1024);
    runFallback(text, facts, `file too large for the full TypeScript parser (${mb} MiB of text, limit ${limit} MiB)`, PARSE_STEP);
    return;
  }
  const mark = snapshot(facts);
  const { fileName, scriptKind } = sourceSetup(facts.path);
  let sf: ts.SourceFile;
  try {
    sf = ts.createSourceFile(
      fileName,
      text,
      { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
      /* setParentNodes */ false,
      scriptKind,
    );
  } catch (err) {
    runFallback(text, facts, describeParseError(err), PARSE_STEP);
    return;
  }
  const syntaxError = firstSyntaxError(sf);
  if (syntaxError !== null) {
    runFallback(text, facts, syntaxError, PARSE_STEP);
    return;
  }
  try {
    facts.lines = countLines(text, 'c');
    new Extractor(text, facts, sf).run();
    facts.parser = 'typescript';
  } catch (err) {
    restore(facts, mark);
    runFallback(text, facts, `fact extraction failed after a successful parse (${errorText(err)})`, FACTS_STEP);
  }
}

// ---------------------------------------------------------------------------------------------------
// Parser setup and failure handling

/**
 * Above this many characters the lexical fallback is used directly: the syntax tree of TypeScript's
 * parser holds about 40 MB of heap per MB of source (more while parsing). Same limit as in the
 * typescript-estree era, so the same files take the fallback.
 */
export const TS_PARSE_MAX_CHARS = 8 * 1024 * 1024;

/** @deprecated The limit of the typescript-estree era; same value as {@link TS_PARSE_MAX_CHARS}. */
export const ESTREE_MAX_CHARS = TS_PARSE_MAX_CHARS;

const TS_EXT = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

function sourceSetup(path: string): { fileName: string; scriptKind: ts.ScriptKind } {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  const ext = dot >= 0 ? base.slice(dot) : '';
  if (!TS_EXT.has(ext)) return { fileName: '/codex-audit/input.ts', scriptKind: ts.ScriptKind.TS };
  // The extension decides the script kind (`.ts` must not be JSX: `<T>x` is a cast there; `.js` is
  // JSX-capable). A synthetic absolute name keeps the real path out of the parser; the `.d.` part makes
  // TypeScript treat declaration files as ambient.
  const dts = /\.d\.[cm]?ts$/.test(base) ? '.d' : '';
  const scriptKind =
    ext === '.tsx'
      ? ts.ScriptKind.TSX
      : ext === '.jsx'
        ? ts.ScriptKind.JSX
        : ext === '.js' || ext === '.mjs' || ext === '.cjs'
          ? ts.ScriptKind.JS
          : ts.ScriptKind.TS;
  return { fileName: `/codex-audit/input${dts}${ext}`, scriptKind };
}

/**
 * The first syntax error TypeScript's parser recorded (it never throws on bad syntax), as an issue
 * message with its line, or null. `parseDiagnostics` is internal to TypeScript: when it is missing the
 * syntax cannot be checked, and the file is treated as broken rather than silently trusted.
 */
function firstSyntaxError(sf: ts.SourceFile): string | null {
  const diags: unknown = (sf as unknown as { parseDiagnostics?: unknown }).parseDiagnostics;
  if (!Array.isArray(diags)) {
    return 'TypeScript/JavaScript parser exposes no syntax diagnostics (unsupported TypeScript version); syntax not checked';
  }
  if (diags.length === 0) return null;
  const d = diags[0] as ts.Diagnostic;
  const raw = typeof d.messageText === 'string' ? d.messageText : ts.flattenDiagnosticMessageText(d.messageText, '\n');
  const msg = errorText(raw);
  if (typeof d.start !== 'number') return `TypeScript/JavaScript parse error: ${msg}`;
  const line = sf.getLineAndCharacterOfPosition(d.start).line + 1;
  return `TypeScript/JavaScript parse error at line ${line}: ${msg}`;
}

function describeParseError(err: unknown): string {
  if (err instanceof RangeError) {
    return 'TypeScript/JavaScript parser ran out of stack (input nested too deeply); no line reported';
  }
  return `TypeScript/JavaScript parse error: ${errorText(err)}`;
}

function errorText(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const one = raw.replace(/\s+/g, ' ').trim();
  return one.length > 300 ? one.slice(0, 299) + '…' : one;
}

function runFallback(text: string, facts: FileFacts, cause: string | undefined, step: string): void {
  try {
    scanTypeScriptFallback(text, facts, cause, step);
  } catch (err) {
    facts.parser = 'fallback';
    addIssue(facts, step, `${cause ?? 'lexical fallback'}; the fallback scanner failed too (${errorText(err)})`);
  }
}

type Mark = Record<'imports' | 'definitions' | 'calls' | 'assignments' | 'names' | 'markers' | 'suppressions', number>;

function snapshot(f: FileFacts): Mark {
  return {
    imports: f.imports.length,
    definitions: f.definitions.length,
    calls: f.calls.length,
    assignments: f.assignments.length,
    names: f.names.length,
    markers: f.markers.length,
    suppressions: f.suppressions.length,
  };
}

function restore(f: FileFacts, m: Mark): void {
  f.imports.length = m.imports;
  f.definitions.length = m.definitions;
  f.calls.length = m.calls;
  f.assignments.length = m.assignments;
  f.names.length = m.names;
  f.markers.length = m.markers;
  f.suppressions.length = m.suppressions;
}

// ---------------------------------------------------------------------------------------------------
// AST helpers

const SK = ts.SyntaxKind;

type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction;
type MethodLike = ts.MethodDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration | ts.ConstructorDeclaration;
type ClassLike = ts.ClassDeclaration | ts.ClassExpression;
type CallLike = ts.CallExpression | ts.NewExpression;

// Walk flags.
const TOP = 1;
const EXPORTED = 2;
const DEFAULT = 4;
/** Inside a destructuring target: `=` gives a default value there, it assigns nothing. */
const PATTERN = 8;
/** A direct member of a class body. */
const MEMBER = 16;
/** Parameters whose decorators yield no facts (object-literal methods, index signatures). */
const NO_PARAM_DECORATORS = 32;
/** Part of a JSX tag name, where `this` counts as a name. */
const JSX_TAG = 64;
/** A member of an interface or type literal. */
const SIGNATURE = 128;
/** The entity name of a `typeof x.y` type query, where a leading `this` is not a name. */
const TYPE_QUERY = 256;
/** Synthetic entry: the `constructor` keyword of a constructor, recorded as a name. */
const CTOR_KEY = 512;

const ASSIGN_OPS = new Set<ts.SyntaxKind>([
  SK.EqualsToken,
  SK.QuestionQuestionEqualsToken,
  SK.BarBarEqualsToken,
  SK.AmpersandAmpersandEqualsToken,
]);

/** Words allowed between a JSDoc comment and the name it documents (decorators are blanked out). */
const DOC_GAP_WORDS = new Set([
  'export',
  'default',
  'declare',
  'abstract',
  'async',
  'function',
  'class',
  'interface',
  'type',
  'enum',
  'const',
  'let',
  'var',
  'public',
  'private',
  'protected',
  'static',
  'readonly',
  'override',
  'accessor',
  'get',
  'set',
  'namespace',
  'module',
]);

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= SK.FirstAssignment && kind <= SK.LastAssignment;
}

function skipParens(n: ts.Node): ts.Node {
  let cur = n;
  while (cur.kind === SK.ParenthesizedExpression) cur = (cur as ts.ParenthesizedExpression).expression;
  return cur;
}

/** Strip parentheses and TS-only wrappers: `x as T`, `x!`, `<T>x`, `x satisfies T`, `f<T>`. */
function unwrapTs(n: ts.Node | undefined | null): ts.Node | null {
  let cur = n ?? null;
  for (let i = 0; cur && i < 1000; i++) {
    const k = cur.kind;
    if (
      k === SK.ParenthesizedExpression ||
      k === SK.AsExpression ||
      k === SK.SatisfiesExpression ||
      k === SK.NonNullExpression ||
      k === SK.TypeAssertionExpression ||
      k === SK.ExpressionWithTypeArguments
    ) {
      cur = (cur as ts.ParenthesizedExpression).expression;
    } else break;
  }
  return cur;
}

function isFunctionNode(n: ts.Node | null): n is ts.FunctionExpression | ts.ArrowFunction {
  return n !== null && (n.kind === SK.ArrowFunction || n.kind === SK.FunctionExpression);
}

/** `import(...)` and `import.defer(...)`: an import expression, not a call. */
function isImportCall(n: ts.Node): n is ts.CallExpression {
  if (n.kind !== SK.CallExpression) return false;
  const e = (n as ts.CallExpression).expression;
  if (e.kind === SK.ImportKeyword) return true;
  return (
    e.kind === SK.MetaProperty &&
    (e as ts.MetaProperty).keywordToken === SK.ImportKeyword &&
    (e as ts.MetaProperty).name.text === 'defer'
  );
}

/** A string known statically: string literal or a template literal without substitutions. */
function literalString(n: ts.Node | undefined | null): string | null {
  if (!n) return null;
  const e = skipParens(n);
  if (e.kind === SK.StringLiteral || e.kind === SK.NoSubstitutionTemplateLiteral) return (e as ts.LiteralLikeNode).text;
  return null;
}

function isRequireCall(n: ts.Node | null): n is ts.CallExpression {
  if (n === null || n.kind !== SK.CallExpression || isImportCall(n)) return false;
  const c = n as ts.CallExpression;
  const callee = skipParens(c.expression);
  return callee.kind === SK.Identifier && (callee as ts.Identifier).text === 'require' && c.arguments.length >= 1;
}

function numericValue(n: ts.NumericLiteral): number {
  return Number(n.text);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const mods = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (!mods) return false;
  for (const m of mods) if (m.kind === kind) return true;
  return false;
}

const NO_DECORATORS: readonly ts.Decorator[] = [];

function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  const mods = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (!mods) return NO_DECORATORS;
  let out: ts.Decorator[] | null = null;
  for (const m of mods) if (m.kind === SK.Decorator) (out ??= []).push(m as ts.Decorator);
  return out ?? NO_DECORATORS;
}

/** The first accessibility keyword among the modifiers. */
function isPrivate(node: ts.Node): boolean {
  const mods = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (mods) {
    for (const m of mods) {
      if (m.kind === SK.PrivateKeyword) return true;
      if (m.kind === SK.PublicKeyword || m.kind === SK.ProtectedKeyword) return false;
    }
  }
  return false;
}

/** Export flags a declaration adds: `export` must be the first keyword modifier, `default` the second. */
function exportFlags(node: ts.Node, flags: number): number {
  const mods = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (!mods) return flags;
  let first: ts.ModifierLike | null = null;
  let second: ts.ModifierLike | null = null;
  for (const m of mods) {
    if (m.kind === SK.Decorator) continue;
    if (first === null) first = m;
    else {
      second = m;
      break;
    }
  }
  if (first?.kind !== SK.ExportKeyword) return flags;
  return (flags & TOP) | EXPORTED | (second?.kind === SK.DefaultKeyword ? DEFAULT : 0);
}

function firstHeritage(node: ClassLike, token: ts.SyntaxKind): ts.HeritageClause | undefined {
  const hs = node.heritageClauses;
  if (hs) for (const h of hs) if (h.token === token) return h;
  return undefined;
}

/** Position after white space and comments (TypeScript's notion of trivia). */
function skipTrivia(text: string, pos: number): number {
  let p = pos;
  const n = text.length;
  while (p < n) {
    const ch = text.charCodeAt(p);
    if (ch === 32 || (ch >= 9 && ch <= 13)) p++;
    else if (ch === 47 && text.charCodeAt(p + 1) === 47) {
      p += 2;
      while (p < n && !isLineBreak(text.charCodeAt(p))) p++;
    } else if (ch === 47 && text.charCodeAt(p + 1) === 42) {
      const close = text.indexOf('*/', p + 2);
      p = close < 0 ? n : close + 2;
    } else if (ch > 127 && isWideSpace(ch)) p++;
    else break;
  }
  return p;
}

function isLineBreak(ch: number): boolean {
  return ch === 10 || ch === 13 || ch === 0x2028 || ch === 0x2029;
}

function isWideSpace(ch: number): boolean {
  return (
    ch === 0x85 ||
    ch === 0xa0 ||
    ch === 0x1680 ||
    (ch >= 0x2000 && ch <= 0x200b) ||
    ch === 0x2028 ||
    ch === 0x2029 ||
    ch === 0x202f ||
    ch === 0x205f ||
    ch === 0x3000 ||
    ch === 0xfeff
  );
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------------
// The extractor

interface NameEntry {
  fact: NameFact;
  /** End of the occurrence that set fact.line: an occurrence ending at or after it cannot lower the line. */
  end: number;
}

class Extractor {
  private readonly comments: TsComment[];
  private readonly lineStarts: readonly number[];
  private lineHint = 0;
  private readonly aliases = new Map<string, string>();
  /** Import-ish nodes (declarations, require/import() calls) already recorded by the pre-scan. */
  private readonly handled = new Set<ts.Node>();
  private readonly exportedNames = new Set<string>();
  private readonly classDefs = new Map<string, DefinitionFact>();
  private readonly privateMembers = new Set<DefinitionFact>();
  /** Body-less declarations (overload signatures, `declare`, abstract): kept unless implemented. */
  private readonly pending: DefinitionFact[] = [];
  private readonly nameIndex = new Map<string, NameEntry>();
  private readonly capsHit = new Set<string>();
  /** A declaration file (.d.ts, .d.mts, .d.cts): nothing in it is a stub. */
  private readonly ambient: boolean;

  // Explicit DFS stack, as parallel arrays.
  private stNode: ts.Node[] = [];
  private stScope: string[] = [];
  private stCls: string[] = [];
  private stFlags: number[] = [];
  private sp = 0;

  /** Scratch buffer of pushChildren: `kids[0, kidsTop)` (entries above a call's base are its own). */
  private readonly kids: ts.Node[] = [];
  private kidsTop = 0;
  private readonly collectKid = (c: ts.Node): undefined => {
    if (c.kind !== SK.Decorator) this.kids[this.kidsTop++] = c;
    return undefined;
  };

  constructor(
    private readonly text: string,
    private readonly facts: FileFacts,
    private readonly sf: ts.SourceFile,
  ) {
    this.lineStarts = sf.getLineStarts();
    this.comments = collectComments(sf, (pos) => this.lineAt(pos));
    this.ambient = /\.d\.[cm]?ts$/i.test(facts.path);
  }

  run(): void {
    for (const st of this.sf.statements) this.prescan(st);
    this.walk();
    this.finish();
    this.scanComments();
  }

  // --- positions -------------------------------------------------------------------------------------

  /** 1-based line of a position (positions arrive mostly in increasing order: try the last line first). */
  private lineAt(pos: number): number {
    const ls = this.lineStarts;
    let h = this.lineHint;
    if (ls[h] <= pos && (h + 1 >= ls.length || pos < ls[h + 1])) return h + 1;
    if (h + 2 < ls.length && ls[h + 1] <= pos && pos < ls[h + 2]) {
      this.lineHint = h + 1;
      return h + 2;
    }
    let lo = 0;
    let hi = ls.length - 1;
    h = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ls[mid] <= pos) {
        h = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    this.lineHint = h;
    return h + 1;
  }

  private startOf(n: ts.Node): number {
    return n.getStart(this.sf);
  }

  private lineOf(n: ts.Node): number {
    return this.lineAt(n.getStart(this.sf));
  }

  /** Start of a declaration without its leading `export` / `export default` keywords. */
  private declStart(node: ts.Node): number {
    const mods = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
    if (mods) {
      let first: ts.ModifierLike | null = null;
      for (const m of mods) {
        if (m.kind === SK.Decorator) continue;
        if (first === null) {
          if (m.kind !== SK.ExportKeyword) break;
          first = m;
        } else return skipTrivia(this.text, m.kind === SK.DefaultKeyword ? m.end : first.end);
      }
      if (first !== null) return skipTrivia(this.text, first.end);
    }
    return this.startOf(node);
  }

  /** Position of a constructor's `constructor` keyword (or string): the token after its last modifier. */
  private ctorKeyPos(node: ts.ConstructorDeclaration): number {
    const mods = node.modifiers;
    if (mods && mods.length > 0) return skipTrivia(this.text, mods[mods.length - 1].end);
    return this.startOf(node);
  }

  private ctorKeyIsString(node: ts.ConstructorDeclaration): boolean {
    const ch = this.text.charCodeAt(this.ctorKeyPos(node));
    return ch === 34 || ch === 39;
  }

  /** Where the name of a class member starts (computed names: their expression). */
  private keyPos(node: MethodLike | ts.PropertyDeclaration): number {
    if (node.kind === SK.Constructor) return this.ctorKeyPos(node);
    const name = node.name;
    if (name.kind === SK.ComputedPropertyName) return this.startOf(skipParens(name.expression));
    return this.startOf(name);
  }

  // --- recording -------------------------------------------------------------------------------------

  private cap(what: keyof typeof CAPS, line: number): void {
    if (this.capsHit.has(what)) return;
    this.capsHit.add(what);
    addIssue(
      this.facts,
      FACTS_STEP,
      `more than ${CAPS[what]} ${what} in this file (line ${line}); the rest are not recorded`,
      'Extracting facts from the TypeScript/JavaScript syntax tree.',
    );
  }

  private addImport(f: ImportFact): void {
    if (this.facts.imports.length >= CAPS.imports) return this.cap('imports', f.line);
    this.facts.imports.push(f);
  }

  private record(def: DefinitionFact): void {
    if (this.facts.definitions.length >= CAPS.definitions) return this.cap('definitions', def.line);
    this.facts.definitions.push(def);
    if (def.kind === 'class') this.classDefs.set(def.qualName, def);
  }

  /** Record a name occurring at [start, end) (start computed lazily: most occurrences repeat a name). */
  private addName(name: string, start: number | ts.Node, end: number, scope: string): void {
    if (name.length === 0) return;
    const seen = this.nameIndex.get(name);
    if (seen) {
      if (end >= seen.end) return;
      const line = this.lineAt(typeof start === 'number' ? start : this.startOf(start));
      if (line < seen.fact.line) {
        seen.fact.line = line;
        seen.fact.scope = scope;
        seen.end = end;
      }
      return;
    }
    if (this.nameIndex.size >= CAPS.names) return; // the cap is part of the contract, not a problem
    const line = this.lineAt(typeof start === 'number' ? start : this.startOf(start));
    const fact: NameFact = { name: name.length > 200 ? name.slice(0, 200) : name, line, scope };
    this.nameIndex.set(name, { fact, end });
    this.facts.names.push(fact);
  }

  private short(n: ts.Node): string {
    return sliceShort(this.text, this.startOf(n), n.end);
  }

  private assignment(target: string, line: number, value: ts.Node, scope: string): void {
    if (this.facts.assignments.length >= CAPS.assignments) return this.cap('assignments', line);
    const fact: AssignmentFact = { target, line, value: this.short(value), valueKind: valueKind(value), scope };
    this.facts.assignments.push(fact);
  }

  // --- imports ---------------------------------------------------------------------------------------

  private prescan(st: ts.Statement): void {
    if (st.kind === SK.ImportDeclaration) this.importDeclaration(st as ts.ImportDeclaration);
    else if (st.kind === SK.ImportEqualsDeclaration) this.importEquals(st as ts.ImportEqualsDeclaration);
    else if (st.kind === SK.VariableStatement) {
      for (const d of (st as ts.VariableStatement).declarationList.declarations) this.bindingImport(d);
    }
  }

  private importDeclaration(node: ts.ImportDeclaration): void {
    if (this.handled.has(node)) return;
    this.handled.add(node);
    const spec = literalString(node.moduleSpecifier);
    if (spec === null) return;
    const { module, relative } = resolveSpecifier(spec, this.facts.path);
    const names: string[] = [];
    const clause = node.importClause;
    // Type-only when `import type`, or when every specifier is a named `type` one.
    let allType = false;
    const bind = (imported: string, local: string): void => {
      names.push(imported);
      const target = aliasTarget(module, relative, imported, local);
      if (target) this.aliases.set(local, target);
    };
    if (clause) {
      const nb = clause.namedBindings;
      if (clause.name) bind('default', clause.name.text);
      if (nb?.kind === SK.NamespaceImport) bind('*', nb.name.text);
      else if (nb?.kind === SK.NamedImports) {
        allType = clause.name === undefined && nb.elements.length > 0;
        for (const s of nb.elements) {
          bind((s.propertyName ?? s.name).text, s.name.text);
          if (!s.isTypeOnly) allType = false;
        }
      }
    }
    const fact: ImportFact = { module, names, line: this.lineOf(node), kind: 'import' };
    if (relative) fact.relative = true;
    if (clause?.phaseModifier === SK.TypeKeyword || allType) fact.typeOnly = true;
    this.addImport(fact);
  }

  private importEquals(node: ts.ImportEqualsDeclaration): void {
    if (this.handled.has(node)) return;
    this.handled.add(node);
    const local = node.name.text;
    const ref = node.moduleReference;
    const line = this.lineAt(this.declStart(node));
    if (ref.kind === SK.ExternalModuleReference) {
      const spec = literalString(ref.expression);
      if (spec === null) {
        this.addImport({ module: '?', names: [], line, kind: 'require' });
        return;
      }
      const { module, relative } = resolveSpecifier(spec, this.facts.path);
      const fact: ImportFact = { module, names: ['default'], line, kind: 'require' };
      if (relative) fact.relative = true;
      if (node.isTypeOnly) fact.typeOnly = true;
      this.addImport(fact);
      const target = aliasTarget(module, relative, null, local);
      if (target) this.aliases.set(local, target);
    } else {
      // `import X = NS.Y`: an alias of an entity name.
      const target = this.dotted(ref, 'callee');
      if (target !== '?' && target !== local) this.aliases.set(local, target);
    }
  }

  /**
   * `const x = require('m')`, `const { a, b: c } = require('m')`, `const y = require('m').y`,
   * `const ns = await import('m')`, `const { p } = await import('m')`. True when the declarator is one.
   */
  private bindingImport(decl: ts.VariableDeclaration): boolean {
    const init = unwrapTs(decl.initializer);
    if (!init) return false;
    let call: ts.CallExpression;
    let member: string | null = null;
    let kind: 'require' | 'dynamic';
    const awaited = init.kind === SK.AwaitExpression ? unwrapTs((init as ts.AwaitExpression).expression) : null;
    if (awaited !== null && isImportCall(awaited)) {
      call = awaited;
      kind = 'dynamic';
    } else if (init.kind === SK.PropertyAccessExpression && (init as ts.PropertyAccessExpression).name.kind === SK.Identifier) {
      const obj = unwrapTs((init as ts.PropertyAccessExpression).expression);
      if (!isRequireCall(obj)) return false;
      call = obj;
      member = (init as ts.PropertyAccessExpression).name.text;
      kind = 'require';
    } else if (isRequireCall(init)) {
      call = init;
      kind = 'require';
    } else return false;
    if (this.handled.has(call)) return true;
    this.handled.add(call);
    const line = this.lineOf(call);
    const spec = literalString(call.arguments[0]);
    if (spec === null) {
      this.addImport({ module: '?', names: [], line, kind });
      return true;
    }
    const { module, relative } = resolveSpecifier(spec, this.facts.path);
    const names: string[] = [];
    const id = decl.name;
    if (id.kind === SK.Identifier) {
      names.push(member ?? (kind === 'dynamic' ? '*' : 'default'));
      const target = aliasTarget(module, relative, member, id.text);
      if (target) this.aliases.set(id.text, target);
    } else if (id.kind === SK.ObjectBindingPattern && member === null) {
      for (const p of id.elements) {
        if (p.dotDotDotToken) continue;
        const key = propKey(p.propertyName ?? p.name);
        if (key === null) continue;
        names.push(key);
        if (p.name.kind === SK.Identifier) {
          const target = aliasTarget(module, relative, key, p.name.text);
          if (target) this.aliases.set(p.name.text, target);
        }
      }
    } else if (member !== null) names.push(member);
    const fact: ImportFact = { module, names, line, kind };
    if (relative) fact.relative = true;
    this.addImport(fact);
    return true;
  }

  private exportFrom(node: ts.ExportDeclaration): void {
    const spec = literalString(node.moduleSpecifier);
    if (spec === null) return;
    const { module, relative } = resolveSpecifier(spec, this.facts.path);
    const names: string[] = [];
    let allType = false;
    const clause = node.exportClause;
    if (clause === undefined || clause.kind === SK.NamespaceExport) names.push('*');
    else {
      allType = clause.elements.length > 0;
      for (const s of clause.elements) {
        names.push((s.propertyName ?? s.name).text);
        if (!s.isTypeOnly) allType = false;
      }
    }
    const fact: ImportFact = { module, names, line: this.lineOf(node), kind: 'export-from' };
    if (relative) fact.relative = true;
    if (node.isTypeOnly || allType) fact.typeOnly = true;
    this.addImport(fact);
  }

  // --- dotted names ----------------------------------------------------------------------------------

  /**
   * Dotted text of an expression, resolved through the alias table at its root.
   * 'callee': `a.b().c` for chains, `?` for receivers that are not names (`x[0].y` -> `?.y`).
   * 'assign': subscripts kept as `[KEY]` (`process.env[X]`), non-literal subscripts as `[?]`.
   */
  private dotted(expr: ts.Node, mode: 'callee' | 'assign'): string {
    const segs: string[] = [];
    let root = '?';
    let aliasable = false;
    let cur: ts.Node | null = expr;
    for (let steps = 0; ; steps++) {
      while (cur !== null && cur.kind === SK.ParenthesizedExpression) cur = (cur as ts.ParenthesizedExpression).expression;
      if (cur === null || steps > 64) {
        root = '?';
        break;
      }
      const k: ts.SyntaxKind = cur.kind;
      if (
        k === SK.NonNullExpression ||
        k === SK.AsExpression ||
        k === SK.SatisfiesExpression ||
        k === SK.TypeAssertionExpression ||
        k === SK.ExpressionWithTypeArguments
      ) {
        cur = (cur as ts.NonNullExpression).expression;
        continue;
      }
      if (k === SK.Identifier) {
        root = (cur as ts.Identifier).text;
        aliasable = true;
        break;
      }
      if (k === SK.ThisKeyword) {
        root = 'this';
        break;
      }
      if (k === SK.SuperKeyword) {
        root = 'super';
        break;
      }
      if (k === SK.MetaProperty) {
        const m = cur as ts.MetaProperty;
        root = `${m.keywordToken === SK.ImportKeyword ? 'import' : 'new'}.${m.name.text}`;
        break;
      }
      if (k === SK.PropertyAccessExpression) {
        const p = cur as ts.PropertyAccessExpression;
        segs.push(p.name.text);
        cur = p.expression;
        continue;
      }
      if (k === SK.QualifiedName) {
        const q = cur as ts.QualifiedName;
        segs.push(q.right.text);
        cur = q.left;
        continue;
      }
      if (k === SK.ElementAccessExpression) {
        const e = cur as ts.ElementAccessExpression;
        const a = skipParens(e.argumentExpression);
        const key = a.kind === SK.StringLiteral ? (a as ts.StringLiteral).text : a.kind === SK.NumericLiteral ? numericValue(a as ts.NumericLiteral) : undefined;
        if (mode === 'assign') {
          segs.push(key !== undefined ? `[${key}]` : '[?]');
        } else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) {
          segs.push(key);
        } else {
          root = '?';
          break;
        }
        cur = e.expression;
        continue;
      }
      if (k === SK.CallExpression || k === SK.NewExpression) {
        if (isImportCall(cur)) {
          root = 'import()';
          break;
        }
        segs.push('()');
        cur = (cur as CallLike).expression;
        continue;
      }
      root = '?';
      break;
    }
    if (aliasable) {
      const a = this.aliases.get(root);
      if (a !== undefined) root = a;
    }
    let out = root;
    for (let i = segs.length - 1; i >= 0; i--) {
      const s = segs[i];
      if (s === '()' || s.charCodeAt(0) === 91 /* [ */) out += s;
      else out += '.' + s;
    }
    return out.length > 300 ? out.slice(0, 299) + '…' : out;
  }

  private decoratorNames(ds: readonly ts.Decorator[]): string[] {
    const out: string[] = [];
    for (const d of ds) {
      const e = skipParens(d.expression);
      out.push(this.dotted(e.kind === SK.CallExpression && !isImportCall(e) ? (e as ts.CallExpression).expression : e, 'callee'));
    }
    return out;
  }

  // --- docstrings ------------------------------------------------------------------------------------

  /** The JSDoc block that ends right before `pos` (modifiers, `export` and decorators may sit between). */
  private docComment(pos: number, decorators: readonly ts.Decorator[] | undefined): TsComment | null {
    const cs = this.comments;
    let lo = 0;
    let hi = cs.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cs[mid].end <= pos) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (idx < 0) return null;
    let c = cs[idx];
    if (!this.onlyModifiers(c.end, pos, decorators)) return null;
    // Skip line comments (`// eslint-disable-next-line`) stacked under the JSDoc block.
    while (!c.block) {
      if (idx === 0) return null;
      const prev = cs[idx - 1];
      if (!this.blankGap(prev.end, c.start)) return null;
      c = prev;
      idx--;
    }
    if (!c.value.startsWith('*') || c.value.startsWith('**')) return null;
    return c;
  }

  /** White space only, with at most one blank line. */
  private blankGap(start: number, end: number): boolean {
    if (end - start > 400) return false;
    const gap = this.text.slice(start, end);
    if (!/^\s*$/.test(gap)) return false;
    return countNewlines(gap) <= 2;
  }

  private onlyModifiers(start: number, end: number, decorators: readonly ts.Decorator[] | undefined): boolean {
    if (end < start || end - start > 4000) return false;
    let region = this.text.slice(start, end);
    if (decorators) {
      for (const d of decorators) {
        const a = this.startOf(d) - start;
        const b = d.end - start;
        if (a >= 0 && b <= region.length) region = region.slice(0, a) + ' '.repeat(b - a) + region.slice(b);
        else if (a < 0 && b > 0) return false; // the comment sits inside a decorator
      }
    }
    const lead = /^\s*/.exec(region)?.[0] ?? '';
    if (countNewlines(lead) > 2) return false;
    // Every word between separators must be a modifier-like keyword; most regions fail on the first.
    const words = /[^\s*[#]+/g;
    for (let m = words.exec(region); m !== null; m = words.exec(region)) if (!DOC_GAP_WORDS.has(m[0])) return false;
    return true;
  }

  // --- definitions -----------------------------------------------------------------------------------

  /**
   * A definition spanning `span`, named at `anchor`. `decorators`: those of the declaration when it can
   * carry them (classes, class members), undefined otherwise.
   */
  private makeDef(
    name: string,
    kind: DefinitionKind,
    span: ts.Node,
    anchor: number,
    scope: string,
    decorators: readonly ts.Decorator[] | undefined,
  ): DefinitionFact {
    const doc = this.docComment(anchor, decorators);
    const def: DefinitionFact = {
      name,
      qualName: scope ? `${scope}.${name}` : name,
      kind,
      line: this.lineAt(anchor),
      endLine: this.lineAt(span.end),
      bases: [],
      decorators: decorators ? this.decoratorNames(decorators) : [],
      stub: false,
      docstring: doc !== null,
      exported: false,
      parent: scope,
    };
    if (doc && /@abstract\b/.test(doc.value)) def.abstract = true;
    return def;
  }

  private applyStub(def: DefinitionFact, body: ts.Node | undefined, declared = false): void {
    // Declaration files and `declare` functions hold no implementations, whatever they contain.
    if (this.ambient || declared) return;
    const kind = this.stubKind(body);
    if (kind) {
      def.stub = true;
      def.stubKind = kind;
    }
  }

  private functionDef(
    name: string,
    kind: 'function' | 'method',
    span: ts.Node,
    anchor: number,
    isAsync: boolean,
    scope: string,
    decorators: readonly ts.Decorator[] | undefined,
  ): DefinitionFact {
    const def = this.makeDef(name, kind, span, anchor, scope, decorators);
    if (isAsync) def.async = true;
    return def;
  }

  private classDef(name: string, cls: ClassLike, span: ts.Node, anchor: number, scope: string, flags: number): DefinitionFact {
    const def = this.makeDef(name, 'class', span, anchor, scope, decoratorsOf(cls));
    const ext = firstHeritage(cls, SK.ExtendsKeyword);
    if (ext && ext.types.length > 0) def.bases.push(this.dotted(ext.types[0].expression, 'callee'));
    const impl = firstHeritage(cls, SK.ImplementsKeyword);
    if (impl) for (const t of impl.types) def.bases.push(this.dotted(t.expression, 'callee'));
    if (hasModifier(cls, SK.AbstractKeyword)) def.abstract = true;
    def.exported = (flags & EXPORTED) !== 0;
    this.record(def);
    return def;
  }

  private variableDefs(pattern: ts.BindingName, span: ts.Node, scope: string, flags: number): void {
    // A binding element with a default value (or, in an array pattern, a rest) is one more step.
    const work: ts.Node[] = [pattern];
    let guard = 0;
    while (work.length > 0 && guard++ < 10_000) {
      const p = work.pop() as ts.Node;
      switch (p.kind) {
        case SK.Identifier: {
          const def = this.makeDef((p as ts.Identifier).text, 'variable', span, this.startOf(p), scope, undefined);
          def.exported = (flags & EXPORTED) !== 0;
          this.record(def);
          break;
        }
        case SK.ObjectBindingPattern: {
          const els = (p as ts.ObjectBindingPattern).elements;
          for (let i = els.length - 1; i >= 0; i--) work.push(els[i].initializer && !els[i].dotDotDotToken ? els[i] : els[i].name);
          break;
        }
        case SK.ArrayBindingPattern: {
          const els = (p as ts.ArrayBindingPattern).elements;
          for (let i = els.length - 1; i >= 0; i--) {
            const e = els[i];
            if (e.kind === SK.BindingElement) work.push(e.initializer || e.dotDotDotToken ? e : e.name);
          }
          break;
        }
        case SK.BindingElement:
          work.push((p as ts.BindingElement).name);
          break;
        default:
          break;
      }
    }
  }

  // --- the walk --------------------------------------------------------------------------------------

  private push(node: ts.Node | undefined, scope: string, cls: string, flags: number): void {
    if (node === undefined) return;
    const i = this.sp++;
    this.stNode[i] = node;
    this.stScope[i] = scope;
    this.stCls[i] = cls;
    this.stFlags[i] = flags;
  }

  /** Push a list so that it is visited in source order. */
  private pushList(nodes: readonly ts.Node[] | undefined, scope: string, cls: string, flags: number): void {
    if (nodes === undefined) return;
    for (let i = nodes.length - 1; i >= 0; i--) this.push(nodes[i], scope, cls, flags);
  }

  /** Push the children of `node` (decorators excepted) so that they are visited in source order. */
  private pushChildren(node: ts.Node, scope: string, cls = '', flags = 0): void {
    const base = this.kidsTop;
    ts.forEachChild(node, this.collectKid);
    const kids = this.kids;
    for (let i = this.kidsTop - 1; i >= base; i--) this.push(kids[i], scope, cls, flags);
    this.kidsTop = base;
  }

  private walk(): void {
    this.push(this.sf, '', '', TOP);
    while (this.sp > 0) {
      const i = --this.sp;
      const node = this.stNode[i];
      const scope = this.stScope[i];
      const cls = this.stCls[i];
      const flags = this.stFlags[i];
      this.stNode[i] = undefined as unknown as ts.Node; // let the AST go as we leave it
      this.visit(node, scope, cls, flags);
    }
  }

  private visit(node: ts.Node, scope: string, cls: string, flags: number): void {
    switch (node.kind) {
      case SK.SourceFile:
        this.pushList((node as ts.SourceFile).statements, scope, '', TOP);
        return;
      case SK.ModuleDeclaration: {
        const m = node as ts.ModuleDeclaration;
        this.push(m.body, scope, '', flags & TOP);
        this.push(m.name, scope, '', flags & TOP);
        return;
      }
      case SK.ModuleBlock:
        this.pushList((node as ts.ModuleBlock).statements, scope, '', flags & TOP);
        return;
      case SK.ExpressionStatement:
        this.push((node as ts.ExpressionStatement).expression, scope, '', flags & TOP);
        return;
      case SK.ParenthesizedExpression:
        // Transparent; a parenthesised destructuring target is an expression again.
        this.push((node as ts.ParenthesizedExpression).expression, scope, cls, flags & ~PATTERN);
        return;

      case SK.Identifier:
        if (flags & TYPE_QUERY && (node as ts.Identifier).text === 'this') return; // `typeof this.x`
        this.addName((node as ts.Identifier).text, node, node.end, scope);
        return;
      case SK.PrivateIdentifier:
        this.addName((node as ts.PrivateIdentifier).text.slice(1), node, node.end, scope);
        return;
      case SK.ThisKeyword:
        if (flags & JSX_TAG) this.addName('this', node, node.end, scope);
        return;
      case SK.StringLiteral:
      case SK.NumericLiteral:
      case SK.BigIntLiteral:
      case SK.RegularExpressionLiteral:
      case SK.NoSubstitutionTemplateLiteral:
      case SK.TemplateHead:
      case SK.TemplateMiddle:
      case SK.TemplateTail:
      case SK.JsxText:
        return;

      case SK.ImportDeclaration: {
        const d = node as ts.ImportDeclaration;
        this.importDeclaration(d);
        this.push(d.attributes, scope, '', 0);
        this.push(d.moduleSpecifier, scope, '', 0);
        this.push(d.importClause, scope, '', 0);
        return;
      }
      case SK.ImportEqualsDeclaration: {
        const d = node as ts.ImportEqualsDeclaration;
        this.importEquals(d);
        this.push(d.moduleReference, scope, '', 0);
        this.push(d.name, scope, '', 0);
        return;
      }
      case SK.ExportDeclaration: {
        const d = node as ts.ExportDeclaration;
        if (d.moduleSpecifier) this.exportFrom(d);
        else if (d.exportClause?.kind === SK.NamedExports) {
          for (const s of d.exportClause.elements) {
            const local = s.propertyName ?? s.name;
            if (local.kind === SK.Identifier) this.exportedNames.add(local.text);
          }
        }
        this.push(d.attributes, scope, '', 0);
        this.push(d.moduleSpecifier, scope, '', 0);
        this.push(d.exportClause, scope, '', 0);
        return;
      }
      case SK.ExportAssignment: {
        const a = node as ts.ExportAssignment;
        const e = skipParens(a.expression);
        if (e.kind === SK.Identifier) this.exportedNames.add((e as ts.Identifier).text);
        if (a.isExportEquals) this.push(a.expression, scope, '', 0);
        else this.push(e, scope, '', (flags & TOP) | EXPORTED | DEFAULT);
        return;
      }

      case SK.FunctionDeclaration:
        this.visitFunctionDeclaration(node as ts.FunctionDeclaration, scope, exportFlags(node, flags));
        return;
      case SK.FunctionExpression:
      case SK.ArrowFunction: {
        const fn = node as ts.FunctionExpression | ts.ArrowFunction;
        if (flags & DEFAULT) {
          // `export default () => {}`
          const def = this.functionDef('default', 'function', fn, this.startOf(fn), hasModifier(fn, SK.AsyncKeyword), scope, undefined);
          def.exported = true;
          this.applyStub(def, fn.body);
          this.record(def);
          this.pushFunctionChildren(fn, def.qualName);
        } else this.pushFunctionChildren(fn, scope);
        return;
      }

      case SK.ClassDeclaration:
        this.visitClass(node as ts.ClassDeclaration, scope, cls, exportFlags(node, flags));
        return;
      case SK.ClassExpression:
        this.visitClass(node as ts.ClassExpression, scope, cls, flags);
        return;
      case SK.MethodDeclaration:
      case SK.GetAccessor:
      case SK.SetAccessor:
      case SK.Constructor: {
        const m = node as MethodLike;
        if (flags & CTOR_KEY) {
          const at = this.ctorKeyPos(m as ts.ConstructorDeclaration);
          this.addName('constructor', at, at + 'constructor'.length, scope);
        } else if (flags & MEMBER) this.visitMethod(m, scope, cls);
        else if (flags & SIGNATURE) {
          // An accessor in an interface or type literal: a signature, its body yields nothing.
          this.push(m.type, scope, '', 0);
          this.pushList(m.parameters, scope, '', 0);
          this.pushList(m.typeParameters, scope, '', 0);
          this.push(m.name, scope, '', 0);
        } else this.pushMemberChildren(m, scope, scope, false, NO_PARAM_DECORATORS); // object-literal method
        return;
      }
      case SK.PropertyDeclaration:
        if (flags & MEMBER) this.visitProperty(node as ts.PropertyDeclaration, scope, cls);
        else this.pushPropertyChildren(node as ts.PropertyDeclaration, scope, scope);
        return;
      case SK.ClassStaticBlockDeclaration:
        this.push((node as ts.ClassStaticBlockDeclaration).body, cls || scope, '', 0);
        return;
      case SK.SemicolonClassElement:
        return;
      case SK.IndexSignature: {
        const s = node as ts.IndexSignatureDeclaration;
        this.push(s.type, scope, '', 0);
        this.pushList(s.parameters, scope, '', NO_PARAM_DECORATORS);
        return;
      }
      case SK.Parameter:
        this.visitParameter(node as ts.ParameterDeclaration, scope, flags);
        return;

      case SK.InterfaceDeclaration: {
        const d = node as ts.InterfaceDeclaration;
        const def = this.makeDef(d.name.text, 'interface', d, this.startOf(d.name), scope, undefined);
        const ext: ts.ExpressionWithTypeArguments[] = [];
        if (d.heritageClauses) {
          for (const h of d.heritageClauses) if (h.token === SK.ExtendsKeyword) for (const t of h.types) ext.push(t);
        }
        for (const t of ext) def.bases.push(this.dotted(t.expression, 'callee'));
        def.exported = (exportFlags(d, flags) & EXPORTED) !== 0;
        this.record(def);
        this.pushList(d.members, def.qualName, '', SIGNATURE);
        this.pushList(ext, def.qualName, '', 0);
        this.pushList(d.typeParameters, def.qualName, '', 0);
        this.push(d.name, def.qualName, '', 0);
        return;
      }
      case SK.TypeAliasDeclaration: {
        const d = node as ts.TypeAliasDeclaration;
        const def = this.makeDef(d.name.text, 'type', d, this.startOf(d.name), scope, undefined);
        def.exported = (exportFlags(d, flags) & EXPORTED) !== 0;
        this.record(def);
        this.push(d.type, def.qualName, '', 0);
        this.pushList(d.typeParameters, def.qualName, '', 0);
        this.push(d.name, def.qualName, '', 0);
        return;
      }
      case SK.EnumDeclaration: {
        const d = node as ts.EnumDeclaration;
        const def = this.makeDef(d.name.text, 'enum', d, this.startOf(d.name), scope, undefined);
        def.exported = (exportFlags(d, flags) & EXPORTED) !== 0;
        this.record(def);
        this.pushList(d.members, def.qualName, '', 0);
        this.push(d.name, def.qualName, '', 0);
        return;
      }
      case SK.TypeLiteral:
        this.pushList((node as ts.TypeLiteralNode).members, scope, '', SIGNATURE);
        return;
      case SK.PropertySignature: {
        const s = node as ts.PropertySignature;
        this.push(s.type, scope, '', 0);
        this.push(s.name, scope, '', 0);
        return;
      }
      case SK.MethodSignature: {
        const s = node as ts.MethodSignature;
        this.push(s.type, scope, '', 0);
        this.pushList(s.parameters, scope, '', 0);
        this.pushList(s.typeParameters, scope, '', 0);
        this.push(s.name, scope, '', 0);
        return;
      }

      case SK.VariableStatement:
        this.push((node as ts.VariableStatement).declarationList, scope, '', exportFlags(node, flags) & (TOP | EXPORTED));
        return;
      case SK.VariableDeclarationList:
        this.pushList((node as ts.VariableDeclarationList).declarations, scope, '', flags & (TOP | EXPORTED));
        return;
      case SK.VariableDeclaration:
        this.visitDeclarator(node as ts.VariableDeclaration, scope, flags);
        return;
      case SK.BinaryExpression: {
        const b = node as ts.BinaryExpression;
        if (isAssignmentOperator(b.operatorToken.kind)) {
          if (flags & PATTERN) {
            // `[a = 1] = xs`: a default value inside a destructuring target
            this.push(b.right, scope, '', 0);
            this.push(b.left, scope, '', PATTERN);
          } else this.visitAssignment(b, scope, flags);
        } else {
          this.push(b.right, scope, '', 0);
          this.push(b.left, scope, '', 0);
        }
        return;
      }
      case SK.ArrayLiteralExpression:
        this.pushList((node as ts.ArrayLiteralExpression).elements, scope, '', flags & PATTERN);
        return;
      case SK.ObjectLiteralExpression:
        this.pushList((node as ts.ObjectLiteralExpression).properties, scope, '', flags & PATTERN);
        return;
      case SK.PropertyAssignment: {
        const p = node as ts.PropertyAssignment;
        this.push(p.initializer, scope, '', flags & PATTERN);
        this.push(p.name, scope, '', 0);
        return;
      }
      case SK.ShorthandPropertyAssignment: {
        const p = node as ts.ShorthandPropertyAssignment;
        this.push(p.objectAssignmentInitializer, scope, '', 0);
        this.push(p.name, scope, '', 0);
        return;
      }
      case SK.SpreadElement:
      case SK.SpreadAssignment:
        this.push((node as ts.SpreadElement).expression, scope, '', flags & PATTERN);
        return;
      case SK.ForInStatement:
      case SK.ForOfStatement: {
        const f = node as ts.ForInStatement | ts.ForOfStatement;
        this.push(f.statement, scope, '', 0);
        this.push(f.expression, scope, '', 0);
        this.push(f.initializer, scope, '', PATTERN);
        return;
      }
      case SK.CatchClause: {
        const c = node as ts.CatchClause;
        this.push(c.block, scope, '', 0);
        this.push(c.variableDeclaration?.type, scope, '', 0);
        this.push(c.variableDeclaration?.name, scope, '', 0);
        return;
      }

      case SK.CallExpression:
        if (isImportCall(node)) this.visitImportCall(node, scope);
        else this.visitCall(node as ts.CallExpression, scope);
        return;
      case SK.NewExpression:
        this.visitCall(node as ts.NewExpression, scope);
        return;
      case SK.MetaProperty: {
        const m = node as ts.MetaProperty;
        const kw = m.keywordToken === SK.ImportKeyword ? 'import' : 'new';
        const start = this.startOf(m);
        this.addName(kw, start, start + kw.length, scope);
        this.push(m.name, scope, '', 0);
        return;
      }
      case SK.TypeQuery: {
        const q = node as ts.TypeQueryNode;
        this.pushList(q.typeArguments, scope, '', 0);
        this.push(q.exprName, scope, '', TYPE_QUERY);
        return;
      }
      case SK.QualifiedName: {
        const q = node as ts.QualifiedName;
        this.push(q.right, scope, '', 0);
        this.push(q.left, scope, '', flags & TYPE_QUERY);
        return;
      }
      case SK.PropertyAccessExpression:
        if (flags & JSX_TAG) {
          const p = node as ts.PropertyAccessExpression;
          this.push(p.name, scope, '', 0);
          this.push(p.expression, scope, '', JSX_TAG);
          return;
        }
        break;
      case SK.JsxOpeningElement:
      case SK.JsxSelfClosingElement: {
        const e = node as ts.JsxOpeningElement | ts.JsxSelfClosingElement;
        this.push(e.attributes, scope, '', 0);
        this.pushList(e.typeArguments, scope, '', 0);
        this.push(e.tagName, scope, '', JSX_TAG);
        return;
      }
      case SK.JsxClosingElement:
        this.push((node as ts.JsxClosingElement).tagName, scope, '', JSX_TAG);
        return;
      case SK.ImportType: {
        const t = node as ts.ImportTypeNode;
        if (t.attributes) {
          // `import('m', { with: { ... } })`: the `with` (or `assert`) key is a name
          let p = skipTrivia(this.text, t.argument.end);
          if (this.text.charCodeAt(p) === 44 /* , */) p = skipTrivia(this.text, p + 1);
          if (this.text.charCodeAt(p) === 123 /* { */) p = skipTrivia(this.text, p + 1);
          const kw = t.attributes.token === SK.AssertKeyword ? 'assert' : 'with';
          this.addName(kw, p, p + kw.length, scope);
        }
        break;
      }
      case SK.TypeParameter: {
        const p = node as ts.TypeParameterDeclaration;
        this.push(p.default, scope, '', 0);
        this.push(p.constraint, scope, '', 0);
        this.push(p.name, scope, '', 0);
        return;
      }
      case SK.MappedType: {
        const m = node as ts.MappedTypeNode;
        this.push(m.type, scope, '', 0);
        this.push(m.nameType, scope, '', 0);
        this.push(m.typeParameter, scope, '', 0);
        return;
      }
      default:
        break;
    }
    this.pushChildren(node, scope);
  }

  /** Children of a function declaration or expression, all in `scope`. */
  private pushFunctionChildren(fn: FunctionLike, scope: string): void {
    this.push(fn.body, scope, '', 0);
    this.push(fn.type, scope, '', 0);
    this.pushList(fn.parameters, scope, '', 0);
    this.pushList(fn.typeParameters, scope, '', 0);
    if (fn.kind !== SK.ArrowFunction) this.push(fn.name, scope, '', 0);
  }

  /**
   * Children of a method, accessor or constructor: its head (decorators, name) in `headScope`, its
   * function part (type parameters, parameters, return type, body) in `bodyScope`.
   */
  private pushMemberChildren(m: MethodLike, headScope: string, bodyScope: string, withDecorators: boolean, paramFlags: number): void {
    this.push(m.body, bodyScope, '', 0);
    this.push(m.type, bodyScope, '', 0);
    this.pushList(m.parameters, bodyScope, '', paramFlags);
    this.pushList(m.typeParameters, bodyScope, '', 0);
    if (m.kind === SK.Constructor) {
      if (!this.ctorKeyIsString(m)) this.push(m, headScope, '', CTOR_KEY);
    } else {
      this.push(m.name, headScope, '', 0);
      if (withDecorators) this.pushList(decoratorsOf(m), headScope, '', 0);
    }
  }

  private pushPropertyChildren(p: ts.PropertyDeclaration, headScope: string, valueScope: string): void {
    if (!hasModifier(p, SK.AbstractKeyword)) this.push(p.initializer, valueScope, '', 0);
    this.push(p.type, headScope, '', 0);
    this.push(p.name, headScope, '', 0);
    this.pushList(decoratorsOf(p), headScope, '', 0);
  }

  private visitParameter(p: ts.ParameterDeclaration, scope: string, flags: number): void {
    const decorators = flags & NO_PARAM_DECORATORS ? NO_DECORATORS : decoratorsOf(p);
    const plain =
      decorators.length > 0 &&
      !p.dotDotDotToken &&
      !p.initializer &&
      p.name.kind === SK.Identifier &&
      (p.modifiers === undefined || p.modifiers.length === decorators.length);
    if (plain) {
      // A decorated plain name: the name comes first, then its decorators and type.
      this.push(p.type, scope, '', 0);
      this.pushList(decorators, scope, '', 0);
      this.push(p.name, scope, '', 0);
      return;
    }
    this.push(p.initializer, scope, '', 0);
    this.push(p.type, scope, '', 0);
    this.push(p.name, scope, '', 0);
    this.pushList(decorators, scope, '', 0);
  }

  private visitFunctionDeclaration(node: ts.FunctionDeclaration, scope: string, flags: number): void {
    const name: string | null = node.name?.text ?? (flags & DEFAULT ? 'default' : null);
    if (!name) {
      this.pushFunctionChildren(node, scope);
      return;
    }
    const anchor = node.name ? this.startOf(node.name) : this.declStart(node);
    const def = this.functionDef(name, 'function', node, anchor, hasModifier(node, SK.AsyncKeyword), scope, undefined);
    def.exported = (flags & EXPORTED) !== 0;
    if (node.body) {
      this.applyStub(def, node.body, hasModifier(node, SK.DeclareKeyword));
      this.record(def);
    } else this.pending.push(def);
    this.pushFunctionChildren(node, def.qualName);
  }

  private visitClass(node: ClassLike, scope: string, preDefined: string, flags: number): void {
    let qual = preDefined;
    if (!qual) {
      const name: string | null = node.name?.text ?? (flags & DEFAULT ? 'default' : null);
      if (name && (node.kind === SK.ClassDeclaration || flags & DEFAULT)) {
        const anchor = node.name ? this.startOf(node.name) : this.declStart(node);
        qual = this.classDef(name, node, node, anchor, scope, flags).qualName;
      }
    }
    for (let i = node.members.length - 1; i >= 0; i--) {
      const m = node.members[i];
      if (m.kind !== SK.SemicolonClassElement) this.push(m, qual || scope, qual, MEMBER);
    }
    const impl = firstHeritage(node, SK.ImplementsKeyword);
    if (impl) this.pushList(impl.types, scope, '', 0);
    const ext = firstHeritage(node, SK.ExtendsKeyword);
    if (ext && ext.types.length > 0) this.push(ext.types[0], scope, '', 0);
    this.pushList(node.typeParameters, scope, '', 0);
    this.push(node.name, scope, '', 0);
    this.pushList(decoratorsOf(node), scope, '', 0);
  }

  private visitMethod(node: MethodLike, scope: string, cls: string): void {
    const isCtor = node.kind === SK.Constructor;
    const name = cls ? this.memberName(node) : null;
    if (!cls || name === null) {
      this.pushMemberChildren(node, scope, scope, !isCtor, 0);
      return;
    }
    const decorators = isCtor ? NO_DECORATORS : decoratorsOf(node);
    const def = this.functionDef(name, 'method', node, this.keyPos(node), hasModifier(node, SK.AsyncKeyword), cls, decorators);
    if (hasModifier(node, SK.AbstractKeyword)) def.abstract = true;
    const isStatic = hasModifier(node, SK.StaticKeyword);
    const constructorKind =
      !isStatic &&
      (isCtor || (node.kind === SK.MethodDeclaration && node.name.kind === SK.StringLiteral && node.name.text === 'constructor'));
    if (node.body) {
      if (constructorKind) {
        def.trivialInit = isTrivialInit(node.body);
        if (!this.ambient && this.stubKind(node.body) === 'throw_not_implemented') {
          def.stub = true;
          def.stubKind = 'throw_not_implemented';
        }
      } else this.applyStub(def, node.body);
      this.record(def);
    } else this.pending.push(def);
    if (isPrivate(node) || (!isCtor && node.name.kind === SK.PrivateIdentifier)) this.privateMembers.add(def);
    this.pushMemberChildren(node, cls, def.qualName, !isCtor, 0);
  }

  private visitProperty(node: ts.PropertyDeclaration, scope: string, cls: string): void {
    const name = cls ? this.memberName(node) : null;
    if (!cls || name === null) {
      this.pushPropertyChildren(node, scope, scope);
      return;
    }
    // The initialiser of an abstract property yields no facts.
    const raw = hasModifier(node, SK.AbstractKeyword) || !node.initializer ? null : skipParens(node.initializer);
    const value = unwrapTs(raw);
    if (raw && isFunctionNode(value)) {
      const decorators = decoratorsOf(node);
      const def = this.functionDef(name, 'method', node, this.keyPos(node), hasModifier(value, SK.AsyncKeyword), cls, decorators);
      this.applyStub(def, value.body);
      this.record(def);
      if (isPrivate(node) || node.name.kind === SK.PrivateIdentifier) this.privateMembers.add(def);
      this.push(raw, def.qualName, '', 0);
      this.push(node.type, cls, '', 0);
      this.push(node.name, cls, '', 0);
      this.pushList(decorators, cls, '', 0);
      return;
    }
    if (raw) {
      const owner = hasModifier(node, SK.StaticKeyword) ? (this.classDefs.get(cls)?.name ?? cls) : 'this';
      this.assignment(`${owner}.${name}`, this.lineAt(this.keyPos(node)), raw, cls);
    }
    this.pushPropertyChildren(node, cls, cls);
  }

  private memberName(node: MethodLike | ts.PropertyDeclaration): string | null {
    if (node.kind === SK.Constructor) return 'constructor';
    const k = node.name;
    if (k.kind === SK.PrivateIdentifier) return k.text;
    // Literal and computed-literal keys as for object literals; other computed keys as `[a.b]`.
    const key = propKey(k);
    if (key !== null) return key;
    return k.kind === SK.ComputedPropertyName ? `[${this.dotted(skipParens(k.expression), 'callee')}]` : null;
  }

  private visitDeclarator(node: ts.VariableDeclaration, scope: string, flags: number): void {
    const isImport = this.bindingImport(node);
    const id = node.name;
    const init = node.initializer ? skipParens(node.initializer) : null;
    const initU = unwrapTs(init);
    let initScope = scope;
    let initCls = '';
    let pushInit = init;
    if (id.kind === SK.Identifier) {
      if (init) this.assignment(id.text, this.lineOf(id), init, scope);
      if (!isImport && flags & TOP) {
        if (isFunctionNode(initU)) {
          const def = this.functionDef(id.text, 'function', node, this.startOf(id), hasModifier(initU, SK.AsyncKeyword), scope, undefined);
          def.exported = (flags & EXPORTED) !== 0;
          this.applyStub(def, initU.body);
          this.record(def);
          initScope = def.qualName;
        } else if (initU?.kind === SK.ClassExpression) {
          // The class is walked without the wrappers around it (`class {} as T`: T yields nothing).
          initCls = this.classDef(id.text, initU as ts.ClassExpression, node, this.startOf(id), scope, flags).qualName;
          pushInit = initU;
        } else {
          const def = this.makeDef(id.text, 'variable', node, this.startOf(id), scope, undefined);
          def.exported = (flags & EXPORTED) !== 0;
          this.record(def);
        }
      }
    } else if (!isImport && flags & TOP) this.variableDefs(id, node, scope, flags);
    if (pushInit) this.push(pushInit, initScope, initCls, 0);
    this.push(node.type, scope, '', 0);
    this.push(id, scope, '', 0);
  }

  private visitAssignment(node: ts.BinaryExpression, scope: string, flags: number): void {
    const left = node.left;
    const right = skipParens(node.right);
    let rightScope = scope;
    let rightCls = '';
    let pushRight: ts.Node = right;
    if (ASSIGN_OPS.has(node.operatorToken.kind)) {
      const isPattern = left.kind === SK.ObjectLiteralExpression || left.kind === SK.ArrayLiteralExpression;
      const target = isPattern ? null : this.dotted(left, 'assign');
      if (target !== null) this.assignment(target, this.lineOf(node), right, scope);
      if (target !== null && flags & TOP) {
        const r = unwrapTs(right);
        const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(target);
        if (target === 'module.exports' || target === 'exports') {
          if (r?.kind === SK.Identifier) this.exportedNames.add((r as ts.Identifier).text);
          else if (r?.kind === SK.ObjectLiteralExpression) {
            for (const p of (r as ts.ObjectLiteralExpression).properties) {
              if (p.kind === SK.ShorthandPropertyAssignment && !p.objectAssignmentInitializer) this.exportedNames.add(p.name.text);
              else if (p.kind === SK.PropertyAssignment) {
                const v = skipParens(p.initializer);
                if (v.kind === SK.Identifier) this.exportedNames.add((v as ts.Identifier).text);
              }
            }
          }
        } else if (m && r) {
          const l = skipParens(left);
          const anchor = l.kind === SK.PropertyAccessExpression ? this.startOf((l as ts.PropertyAccessExpression).name) : this.startOf(node);
          if (r.kind === SK.Identifier) this.exportedNames.add((r as ts.Identifier).text);
          else if (isFunctionNode(r)) {
            const def = this.functionDef(m[1], 'function', node, anchor, hasModifier(r, SK.AsyncKeyword), scope, undefined);
            def.exported = true;
            this.applyStub(def, r.body);
            this.record(def);
            rightScope = def.qualName;
          } else if (r.kind === SK.ClassExpression) {
            rightCls = this.classDef(m[1], r as ts.ClassExpression, node, anchor, scope, EXPORTED).qualName;
            pushRight = r;
          }
        }
      }
    }
    this.push(pushRight, rightScope, rightCls, 0);
    this.push(left, scope, '', PATTERN);
  }

  private visitImportCall(node: ts.CallExpression, scope: string): void {
    if (!this.handled.has(node)) {
      this.handled.add(node);
      const spec = literalString(node.arguments[0]);
      const line = this.lineOf(node);
      if (spec === null) this.addImport({ module: '?', names: [], line, kind: 'dynamic' });
      else {
        const { module, relative } = resolveSpecifier(spec, this.facts.path);
        const fact: ImportFact = { module, names: [], line, kind: 'dynamic' };
        if (relative) fact.relative = true;
        this.addImport(fact);
      }
    }
    // Only the specifier and the options are part of an import expression.
    this.push(node.arguments[1], scope, '', 0);
    this.push(node.arguments[0], scope, '', 0);
  }

  private visitCall(node: CallLike, scope: string): void {
    const calleeNode = node.expression;
    const args: readonly ts.Expression[] = node.arguments ?? [];
    if (node.kind === SK.CallExpression && isRequireCall(node) && !this.handled.has(node)) {
      this.handled.add(node);
      const spec = literalString(args[0]);
      const line = this.lineOf(node);
      if (spec === null) this.addImport({ module: '?', names: [], line, kind: 'require' });
      else {
        const { module, relative } = resolveSpecifier(spec, this.facts.path);
        const fact: ImportFact = { module, names: [], line, kind: 'require' };
        if (relative) fact.relative = true;
        this.addImport(fact);
      }
    }
    if (this.facts.calls.length >= CAPS.calls) this.cap('calls', this.lineOf(node));
    else {
      const c = unwrapTs(calleeNode);
      const line =
        c?.kind === SK.PropertyAccessExpression
          ? this.lineOf((c as ts.PropertyAccessExpression).name)
          : c?.kind === SK.ElementAccessExpression
            ? this.lineOf(skipParens((c as ts.ElementAccessExpression).argumentExpression))
            : this.lineOf(node);
      const last = args.length > 0 ? skipParens(args[args.length - 1]) : null;
      const kwNode = last?.kind === SK.ObjectLiteralExpression ? (last as ts.ObjectLiteralExpression) : null;
      const positional: string[] = [];
      const n = kwNode ? args.length - 1 : args.length;
      for (let i = 0; i < n && i < CAPS.args; i++) positional.push(this.short(skipParens(args[i])));
      const kwargs: Record<string, string> = {};
      if (kwNode) {
        let count = 0;
        for (const p of kwNode.properties) {
          if (p.kind === SK.SpreadAssignment || count >= CAPS.kwargs) continue;
          const key = propKey(p.name);
          if (key === null || key === '__proto__') continue;
          kwargs[key] = this.propertyValueText(p);
          count++;
        }
      }
      const fact: CallFact = { callee: this.dotted(calleeNode, 'callee'), line, args: positional, kwargs, scope };
      this.facts.calls.push(fact);
    }
    this.pushChildren(node, scope);
  }

  /** Short source text of an object-literal property's value (a method's value is its parameter list on). */
  private propertyValueText(p: ts.ObjectLiteralElementLike): string {
    switch (p.kind) {
      case SK.PropertyAssignment:
        return this.short(skipParens(p.initializer));
      case SK.ShorthandPropertyAssignment:
        return p.objectAssignmentInitializer ? this.short(p) : this.short(p.name);
      case SK.MethodDeclaration:
      case SK.GetAccessor:
      case SK.SetAccessor: {
        const start = p.typeParameters ? p.typeParameters.pos - 1 : p.parameters.pos - 1;
        return sliceShort(this.text, start, p.end);
      }
      default:
        return '';
    }
  }

  // --- bodies ----------------------------------------------------------------------------------------

  /** Stub rule for TS/JS bodies (comments are not statements, so they are ignored by construction). */
  private stubKind(body: ts.Node | undefined): 'empty_body' | 'throw_not_implemented' | null {
    if (!body || body.kind !== SK.Block) return null;
    const all = (body as ts.Block).statements;
    let i = 0;
    while (i < all.length && isDirective(all[i])) i++;
    if (i === all.length) return 'empty_body';
    if (all.length - i !== 1 || all[i].kind !== SK.ThrowStatement) return null;
    const arg = unwrapTs((all[i] as ts.ThrowStatement).expression);
    if (!arg || (arg.kind !== SK.NewExpression && (arg.kind !== SK.CallExpression || isImportCall(arg)))) return null;
    const call = arg as CallLike;
    const callee = unwrapTs(call.expression);
    let ctor = '';
    if (callee?.kind === SK.Identifier) ctor = (callee as ts.Identifier).text;
    else if (callee?.kind === SK.PropertyAccessExpression) {
      const nm = (callee as ts.PropertyAccessExpression).name;
      if (nm.kind === SK.Identifier) ctor = nm.text;
    } else if (callee?.kind === SK.ElementAccessExpression) {
      const a = skipParens((callee as ts.ElementAccessExpression).argumentExpression);
      if (a.kind === SK.Identifier) ctor = (a as ts.Identifier).text;
    }
    if (!/Error$/.test(ctor)) return null;
    if (STUB_MESSAGE_RE.test(ctor)) return 'throw_not_implemented';
    const first = call.arguments?.[0];
    if (!first) return null;
    const f = skipParens(first);
    const start = this.startOf(f);
    const msg = this.text.slice(start, Math.min(f.end, start + 400));
    return STUB_MESSAGE_RE.test(msg) ? 'throw_not_implemented' : null;
  }

  // --- end of file -----------------------------------------------------------------------------------

  private finish(): void {
    const defs = this.facts.definitions;
    const implemented = new Map<string, DefinitionFact>();
    for (const d of defs) if (d.kind === 'function' || d.kind === 'method') implemented.set(d.qualName, d);
    const kept = new Set<string>();
    let added = false;
    for (const p of this.pending) {
      const impl = implemented.get(p.qualName);
      if (impl) {
        if (p.docstring) impl.docstring = true;
        if (p.exported) impl.exported = true;
        continue;
      }
      if (kept.has(p.qualName)) continue;
      kept.add(p.qualName);
      this.record(p);
      added = true;
    }
    if (this.exportedNames.size > 0) {
      for (const d of defs) if (d.parent === '' && this.exportedNames.has(d.name)) d.exported = true;
    }
    for (const d of defs) {
      if (d.kind !== 'method') continue;
      const owner = this.classDefs.get(d.parent);
      if (owner) d.exported = owner.exported && !this.privateMembers.has(d);
    }
    if (added) defs.sort((a, b) => a.line - b.line);
    this.facts.imports.sort((a, b) => a.line - b.line);
  }

  private scanComments(): void {
    const f = this.facts;
    for (const c of this.comments) {
      if (f.markers.length + f.suppressions.length >= CAPS.markers) {
        this.cap('markers', c.line);
        break;
      }
      scanComment(c.value, c.line, f);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Bodies and values

/** A directive prologue entry (`'use strict';`). Callers stop at the first statement that is not one. */
function isDirective(st: ts.Statement): boolean {
  return st.kind === SK.ExpressionStatement && (st as ts.ExpressionStatement).expression.kind === SK.StringLiteral;
}

/** Object-literal / binding property key: identifiers and literal keys, computed literal keys. */
function propKey(k: ts.PropertyName | ts.BindingName): string | null {
  switch (k.kind) {
    case SK.Identifier:
    case SK.StringLiteral:
      return k.text;
    case SK.NumericLiteral:
      return String(numericValue(k));
    case SK.BigIntLiteral:
      return bigintText(k);
    case SK.ComputedPropertyName: {
      const e = skipParens(k.expression);
      if (e.kind === SK.StringLiteral) return (e as ts.StringLiteral).text;
      if (e.kind === SK.NumericLiteral) return String(numericValue(e as ts.NumericLiteral));
      return null;
    }
    default:
      return null;
  }
}

/** A bigint literal's value in decimal (`0x1Fn` -> `31`). */
function bigintText(k: ts.BigIntLiteral): string {
  const digits = k.text.slice(0, -1).replaceAll('_', '');
  try {
    return String(BigInt(digits));
  } catch {
    return digits;
  }
}

/** A constructor body that only stores (`this.x = ...`, `Object.assign(this, ...)`) and calls `super(...)`. */
function isTrivialInit(body: ts.Block): boolean {
  let prologue = true;
  for (const st of body.statements) {
    if (st.kind !== SK.ExpressionStatement) return false;
    if (prologue && isDirective(st)) continue;
    prologue = false;
    const e = unwrapTs((st as ts.ExpressionStatement).expression);
    if (!e) return false;
    if (e.kind === SK.BinaryExpression && isAssignmentOperator((e as ts.BinaryExpression).operatorToken.kind)) {
      const l = unwrapTs((e as ts.BinaryExpression).left);
      if (
        (l?.kind === SK.PropertyAccessExpression || l?.kind === SK.ElementAccessExpression) &&
        unwrapTs((l as ts.PropertyAccessExpression).expression)?.kind === SK.ThisKeyword
      )
        continue;
      return false;
    }
    if (e.kind === SK.CallExpression && !isImportCall(e)) {
      const call = e as ts.CallExpression;
      const c = unwrapTs(call.expression);
      if (c?.kind === SK.SuperKeyword) continue;
      if (c?.kind === SK.PropertyAccessExpression || c?.kind === SK.ElementAccessExpression) {
        const obj = skipParens((c as ts.PropertyAccessExpression).expression);
        const prop =
          c.kind === SK.PropertyAccessExpression
            ? (c as ts.PropertyAccessExpression).name
            : skipParens((c as ts.ElementAccessExpression).argumentExpression);
        const propName = prop.kind === SK.Identifier || prop.kind === SK.PrivateIdentifier ? (prop as ts.Identifier).text.replace(/^#/, '') : '';
        if (
          obj.kind === SK.Identifier &&
          (obj as ts.Identifier).text === 'Object' &&
          propName === 'assign' &&
          unwrapTs(call.arguments[0])?.kind === SK.ThisKeyword
        )
          continue;
      }
    }
    return false;
  }
  return true;
}

function valueKind(v: ts.Node): AssignmentFact['valueKind'] {
  let n = unwrapTs(v);
  if (n?.kind === SK.AwaitExpression) n = unwrapTs((n as ts.AwaitExpression).expression);
  if (!n) return 'other';
  switch (n.kind) {
    case SK.ObjectLiteralExpression:
      return 'dict';
    case SK.ArrayLiteralExpression:
      return 'list';
    case SK.CallExpression:
    case SK.NewExpression:
    case SK.TaggedTemplateExpression:
      return 'call';
    case SK.TemplateExpression:
    case SK.NoSubstitutionTemplateLiteral:
    case SK.StringLiteral:
      return 'string';
    case SK.NumericLiteral:
    case SK.BigIntLiteral:
      return 'number';
    case SK.TrueKeyword:
    case SK.FalseKeyword:
      return 'bool';
    case SK.NullKeyword:
      return 'none';
    case SK.Identifier:
      return (n as ts.Identifier).text === 'undefined' ? 'none' : 'name';
    case SK.PropertyAccessExpression:
    case SK.ElementAccessExpression:
      return 'name';
    case SK.VoidExpression:
      return 'none';
    case SK.PrefixUnaryExpression: {
      const u = n as ts.PrefixUnaryExpression;
      const isNumber = skipParens(u.operand).kind === SK.NumericLiteral;
      if ((u.operator === SK.MinusToken || u.operator === SK.PlusToken) && isNumber) return 'number';
      if (u.operator === SK.ExclamationToken && isNumber) return 'bool';
      return 'other';
    }
    default:
      return 'other';
  }
}
