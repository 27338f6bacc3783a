import { parse } from '@typescript-eslint/typescript-estree';
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
 * TypeScript / JavaScript (.ts .tsx .mts .cts .js .jsx .mjs .cjs, and .d.ts) -> FileFacts, with
 * `@typescript-eslint/typescript-estree`. The AST is walked iteratively (explicit stack), so nesting depth
 * costs heap, not call stack; the parser itself recurses and throws RangeError on extreme depth, which
 * (like any parse error) sends the file to the lexical fallback with a ScanIssue. Never throws.
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
 */
export function parseTypeScript(text: string, facts: FileFacts, opts?: { forceFallback?: boolean }): void {
  if (opts?.forceFallback) {
    runFallback(text, facts, undefined, PARSE_STEP);
    return;
  }
  if (text.length > ESTREE_MAX_CHARS) {
    const mb = (text.length / (1024 * 1024)).toFixed(1);
    const limit = ESTREE_MAX_CHARS / (1024 * 1024);
    runFallback(text, facts, `file too large for the full TypeScript parser (${mb} MiB of text, limit ${limit} MiB)`, PARSE_STEP);
    return;
  }
  const mark = snapshot(facts);
  let ast: N;
  try {
    ast = parse(text, parserOptions(facts.path)) as unknown as N;
  } catch (err) {
    runFallback(text, facts, describeParseError(err), PARSE_STEP);
    return;
  }
  try {
    facts.lines = countLines(text, 'c');
    new Extractor(text, facts, ast).run();
    facts.parser = 'estree';
  } catch (err) {
    restore(facts, mark);
    runFallback(text, facts, `fact extraction failed after a successful parse (${errorText(err)})`, FACTS_STEP);
  }
}

// ---------------------------------------------------------------------------------------------------
// Parser setup and failure handling

/**
 * Above this many characters the lexical fallback is used directly: typescript-estree holds two ASTs
 * (TypeScript's and ESTree) and needs roughly 200 MB of heap per MB of source.
 */
export const ESTREE_MAX_CHARS = 8 * 1024 * 1024;

const TS_EXT = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);
const JSX_EXT = new Set(['.tsx', '.jsx', '.js']);

function parserOptions(path: string) {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  const ext = dot >= 0 ? base.slice(dot) : '';
  const known = TS_EXT.has(ext);
  const dts = known && /\.d\.[cm]?ts$/.test(base) ? '.d' : '';
  const jsx = JSX_EXT.has(ext);
  return {
    loc: true,
    range: true,
    comment: true,
    tokens: false,
    jsx,
    // The extension decides TS's script kind (`.ts` must not be JSX: `<T>x` is a cast there). A synthetic
    // absolute name keeps the real path out of the parser, which never touches the file system here.
    filePath: known ? `/codex-audit/input${dts}${ext}` : jsx ? '/codex-audit/input.tsx' : '/codex-audit/input.ts',
    errorOnUnknownASTType: false,
    // Semantically invalid but parseable code (initialisers in ambient contexts, bodies in .d.ts, empty
    // type argument lists...) still yields an AST: facts are better than a fallback for an auditor.
    allowInvalidAST: true,
    jsDocParsingMode: 'none' as const,
    loggerFn: false as const,
    suppressDeprecatedPropertyWarnings: true,
  };
}

function describeParseError(err: unknown): string {
  if (err instanceof RangeError) {
    return 'TypeScript/JavaScript parser ran out of stack (input nested too deeply); no line reported';
  }
  const e = err as { lineNumber?: unknown; column?: unknown; location?: { start?: { line?: unknown } } };
  const line =
    typeof e?.lineNumber === 'number' ? e.lineNumber : typeof e?.location?.start?.line === 'number' ? e.location.start.line : null;
  const msg = errorText(err);
  return line !== null ? `TypeScript/JavaScript parse error at line ${line}: ${msg}` : `TypeScript/JavaScript parse error: ${msg}`;
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

/** A typescript-estree node, seen loosely: the walker is generic and defensive (allowInvalidAST is on). */
interface N {
  type: string;
  range: [number, number];
  loc: { start: { line: number; column: number }; end: { line: number; column: number } };
  [key: string]: any;
}

interface C {
  type: string;
  value: string;
  range: [number, number];
  loc: { start: { line: number } };
}

const TOP = 1;
const EXPORTED = 2;
const DEFAULT = 4;

const ASSIGN_OPS = new Set(['=', '??=', '||=', '&&=']);

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

function isNode(v: unknown): v is N {
  return v !== null && typeof v === 'object' && typeof (v as N).type === 'string' && Array.isArray((v as N).range);
}

function lineOf(n: N | null | undefined): number {
  return n?.loc?.start?.line ?? 0;
}

/** Strip TS-only wrappers and parentheses-free chain wrappers: `x as T`, `x!`, `<T>x`, `x satisfies T`. */
function unwrapTs(n: N | null | undefined): N | null {
  let cur = n ?? null;
  for (let i = 0; cur && i < 1000; i++) {
    const t = cur.type;
    if (
      t === 'TSAsExpression' ||
      t === 'TSSatisfiesExpression' ||
      t === 'TSNonNullExpression' ||
      t === 'TSTypeAssertion' ||
      t === 'TSInstantiationExpression' ||
      t === 'ChainExpression'
    ) {
      cur = isNode(cur.expression) ? cur.expression : null;
    } else break;
  }
  return cur;
}

function isFunctionNode(n: N | null): boolean {
  return n !== null && (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression');
}

/** A string known statically: string literal or a template literal without substitutions. */
function literalString(n: N | null | undefined): string | null {
  if (!n) return null;
  if (n.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n.type === 'TemplateLiteral' && Array.isArray(n.expressions) && n.expressions.length === 0) {
    const q = n.quasis?.[0]?.value;
    return typeof q?.cooked === 'string' ? q.cooked : typeof q?.raw === 'string' ? q.raw : '';
  }
  return null;
}

function isRequireCall(n: N | null): boolean {
  return (
    n !== null &&
    n.type === 'CallExpression' &&
    n.callee?.type === 'Identifier' &&
    n.callee.name === 'require' &&
    Array.isArray(n.arguments) &&
    n.arguments.length >= 1
  );
}

function propKeyName(p: N): string | null {
  const k = p.key;
  if (!isNode(k)) return null;
  if (!p.computed) {
    if (k.type === 'Identifier') return k.name;
    if (k.type === 'Literal') return String(k.value);
    return null;
  }
  if (k.type === 'Literal' && (typeof k.value === 'string' || typeof k.value === 'number')) return String(k.value);
  return null;
}

function childrenOf(node: N): N[] {
  const out: N[] = [];
  for (const key in node) {
    if (key === 'parent' || key === 'loc' || key === 'range' || key === 'type') continue;
    const v = node[key];
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const e of v) if (isNode(e)) out.push(e);
    } else if (isNode(v)) out.push(v);
  }
  if (out.length > 1) {
    let sorted = true;
    for (let i = 1; i < out.length; i++) {
      if (out[i].range[0] < out[i - 1].range[0]) {
        sorted = false;
        break;
      }
    }
    if (!sorted) out.sort((a, b) => a.range[0] - b.range[0]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The extractor

class Extractor {
  private readonly comments: C[];
  private readonly aliases = new Map<string, string>();
  /** Import-ish nodes (declarations, require/import() calls) already recorded by the pre-scan. */
  private readonly handled = new Set<N>();
  private readonly exportedNames = new Set<string>();
  private readonly classDefs = new Map<string, DefinitionFact>();
  private readonly privateMembers = new Set<DefinitionFact>();
  /** Body-less declarations (overload signatures, `declare`, abstract): kept unless implemented. */
  private readonly pending: DefinitionFact[] = [];
  private readonly nameIndex = new Map<string, NameFact>();
  private readonly capsHit = new Set<string>();
  /** A declaration file (.d.ts, .d.mts, .d.cts): nothing in it is a stub. */
  private readonly ambient: boolean;

  // Explicit DFS stack, as parallel arrays.
  private stNode: N[] = [];
  private stScope: string[] = [];
  private stCls: string[] = [];
  private stFlags: number[] = [];
  private sp = 0;

  constructor(
    private readonly text: string,
    private readonly facts: FileFacts,
    private readonly ast: N,
  ) {
    const cs = (ast as { comments?: unknown }).comments;
    this.comments = Array.isArray(cs) ? (cs as C[]) : [];
    this.ambient = /\.d\.[cm]?ts$/i.test(facts.path);
  }

  run(): void {
    const body: unknown = this.ast.body;
    if (Array.isArray(body)) for (const st of body) if (isNode(st)) this.prescan(st);
    this.walk();
    this.finish();
    this.scanComments();
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

  private addName(name: string, line: number, scope: string): void {
    if (typeof name !== 'string' || name.length === 0) return;
    const seen = this.nameIndex.get(name);
    if (seen) {
      if (line < seen.line) {
        seen.line = line;
        seen.scope = scope;
      }
      return;
    }
    if (this.nameIndex.size >= CAPS.names) return; // the cap is part of the contract, not a problem
    const fact: NameFact = { name: name.length > 200 ? name.slice(0, 200) : name, line, scope };
    this.nameIndex.set(name, fact);
    this.facts.names.push(fact);
  }

  private short(n: N): string {
    return sliceShort(this.text, n.range[0], n.range[1]);
  }

  private assignment(target: string, line: number, value: N, scope: string): void {
    if (this.facts.assignments.length >= CAPS.assignments) return this.cap('assignments', line);
    const fact: AssignmentFact = { target, line, value: this.short(value), valueKind: valueKind(value), scope };
    this.facts.assignments.push(fact);
  }

  // --- imports ---------------------------------------------------------------------------------------

  private prescan(st: N): void {
    let s = st;
    if (s.type === 'ExportNamedDeclaration' && isNode(s.declaration)) s = s.declaration;
    if (s.type === 'ImportDeclaration') this.importDeclaration(s);
    else if (s.type === 'TSImportEqualsDeclaration') this.importEquals(s);
    else if (s.type === 'VariableDeclaration' && Array.isArray(s.declarations)) {
      for (const d of s.declarations) if (isNode(d)) this.bindingImport(d);
    }
  }

  private importDeclaration(node: N): void {
    if (this.handled.has(node)) return;
    this.handled.add(node);
    const spec = literalString(node.source);
    if (spec === null) return;
    const { module, relative } = resolveSpecifier(spec, this.facts.path);
    const names: string[] = [];
    const specs: N[] = Array.isArray(node.specifiers) ? node.specifiers.filter(isNode) : [];
    let allType = specs.length > 0;
    for (const s of specs) {
      const local: string | undefined = s.local?.name;
      let imported: string;
      if (s.type === 'ImportDefaultSpecifier') imported = 'default';
      else if (s.type === 'ImportNamespaceSpecifier') imported = '*';
      else imported = s.imported?.type === 'Identifier' ? s.imported.name : String(s.imported?.value ?? local ?? '');
      names.push(imported);
      if (s.importKind !== 'type') allType = false;
      if (local) {
        const target = aliasTarget(module, relative, imported, local);
        if (target) this.aliases.set(local, target);
      }
    }
    const fact: ImportFact = { module, names, line: lineOf(node), kind: 'import' };
    if (relative) fact.relative = true;
    if (node.importKind === 'type' || allType) fact.typeOnly = true;
    this.addImport(fact);
  }

  private importEquals(node: N): void {
    if (this.handled.has(node)) return;
    this.handled.add(node);
    const local: string | undefined = node.id?.name;
    const ref = node.moduleReference;
    if (!isNode(ref)) return;
    if (ref.type === 'TSExternalModuleReference') {
      const spec = literalString(ref.expression);
      if (spec === null) {
        this.addImport({ module: '?', names: [], line: lineOf(node), kind: 'require' });
        return;
      }
      const { module, relative } = resolveSpecifier(spec, this.facts.path);
      const fact: ImportFact = { module, names: ['default'], line: lineOf(node), kind: 'require' };
      if (relative) fact.relative = true;
      if (node.importKind === 'type') fact.typeOnly = true;
      this.addImport(fact);
      if (local) {
        const target = aliasTarget(module, relative, null, local);
        if (target) this.aliases.set(local, target);
      }
    } else if (local) {
      // `import X = NS.Y`: an alias of an entity name.
      const target = this.dotted(ref, 'callee');
      if (target !== '?' && target !== local) this.aliases.set(local, target);
    }
  }

  /**
   * `const x = require('m')`, `const { a, b: c } = require('m')`, `const y = require('m').y`,
   * `const ns = await import('m')`, `const { p } = await import('m')`. True when the declarator is one.
   */
  private bindingImport(decl: N): boolean {
    const init = unwrapTs(decl.init);
    if (!init) return false;
    let call: N;
    let member: string | null = null;
    let kind: 'require' | 'dynamic';
    if (init.type === 'AwaitExpression' && unwrapTs(init.argument)?.type === 'ImportExpression') {
      call = unwrapTs(init.argument) as N;
      kind = 'dynamic';
    } else if (
      init.type === 'MemberExpression' &&
      !init.computed &&
      init.property?.type === 'Identifier' &&
      isRequireCall(unwrapTs(init.object))
    ) {
      call = unwrapTs(init.object) as N;
      member = init.property.name;
      kind = 'require';
    } else if (isRequireCall(init)) {
      call = init;
      kind = 'require';
    } else return false;
    if (this.handled.has(call)) return true;
    this.handled.add(call);
    const line = lineOf(call);
    const spec = literalString(kind === 'dynamic' ? call.source : call.arguments[0]);
    if (spec === null) {
      this.addImport({ module: '?', names: [], line, kind });
      return true;
    }
    const { module, relative } = resolveSpecifier(spec, this.facts.path);
    const names: string[] = [];
    const id: N | null = isNode(decl.id) ? decl.id : null;
    if (id?.type === 'Identifier') {
      names.push(member ?? (kind === 'dynamic' ? '*' : 'default'));
      const target = aliasTarget(module, relative, member, id.name);
      if (target) this.aliases.set(id.name, target);
    } else if (id?.type === 'ObjectPattern' && member === null && Array.isArray(id.properties)) {
      for (const p of id.properties) {
        if (!isNode(p) || p.type !== 'Property') continue;
        const key = propKeyName(p);
        if (key === null) continue;
        names.push(key);
        let localNode: N | null = isNode(p.value) ? p.value : null;
        if (localNode?.type === 'AssignmentPattern') localNode = isNode(localNode.left) ? localNode.left : null;
        if (localNode?.type === 'Identifier') {
          const target = aliasTarget(module, relative, key, localNode.name);
          if (target) this.aliases.set(localNode.name, target);
        }
      }
    } else if (member !== null) names.push(member);
    const fact: ImportFact = { module, names, line, kind };
    if (relative) fact.relative = true;
    this.addImport(fact);
    return true;
  }

  private exportFrom(node: N): void {
    const spec = literalString(node.source);
    if (spec === null) return;
    const { module, relative } = resolveSpecifier(spec, this.facts.path);
    const names: string[] = [];
    let allType = false;
    if (node.type === 'ExportAllDeclaration') names.push('*');
    else {
      const specs: N[] = Array.isArray(node.specifiers) ? node.specifiers.filter(isNode) : [];
      allType = specs.length > 0;
      for (const s of specs) {
        const l = s.local;
        names.push(l?.type === 'Identifier' ? l.name : String(l?.value ?? ''));
        if (s.exportKind !== 'type') allType = false;
      }
    }
    const fact: ImportFact = { module, names, line: lineOf(node), kind: 'export-from' };
    if (relative) fact.relative = true;
    if (node.exportKind === 'type' || allType) fact.typeOnly = true;
    this.addImport(fact);
  }

  // --- dotted names ----------------------------------------------------------------------------------

  /**
   * Dotted text of an expression, resolved through the alias table at its root.
   * 'callee': `a.b().c` for chains, `?` for receivers that are not names (`x[0].y` -> `?.y`).
   * 'assign': subscripts kept as `[KEY]` (`process.env[X]`), non-literal subscripts as `[?]`.
   */
  private dotted(expr: N, mode: 'callee' | 'assign'): string {
    const segs: string[] = [];
    let root = '?';
    let aliasable = false;
    let cur: N | null = expr;
    for (let steps = 0; ; steps++) {
      if (cur === null || steps > 64) {
        root = '?';
        break;
      }
      const t: string = cur.type;
      if (
        t === 'ChainExpression' ||
        t === 'TSNonNullExpression' ||
        t === 'TSAsExpression' ||
        t === 'TSSatisfiesExpression' ||
        t === 'TSTypeAssertion' ||
        t === 'TSInstantiationExpression'
      ) {
        cur = isNode(cur.expression) ? cur.expression : null;
        continue;
      }
      if (t === 'Identifier' || t === 'JSXIdentifier') {
        root = cur.name;
        aliasable = t === 'Identifier';
        break;
      }
      if (t === 'ThisExpression') {
        root = 'this';
        break;
      }
      if (t === 'Super') {
        root = 'super';
        break;
      }
      if (t === 'MetaProperty') {
        root = `${cur.meta?.name ?? '?'}.${cur.property?.name ?? '?'}`;
        break;
      }
      if (t === 'ImportExpression') {
        root = 'import()';
        break;
      }
      if (t === 'MemberExpression' || t === 'TSQualifiedName' || t === 'JSXMemberExpression') {
        const prop: N | null = t === 'TSQualifiedName' ? cur.right : cur.property;
        if (!cur.computed) {
          if (!isNode(prop)) {
            root = '?';
            break;
          }
          segs.push(prop.type === 'PrivateIdentifier' ? '#' + prop.name : String(prop.name));
        } else {
          const key = isNode(prop) && prop.type === 'Literal' ? prop.value : undefined;
          if (mode === 'assign') {
            segs.push(typeof key === 'string' || typeof key === 'number' ? `[${key}]` : '[?]');
          } else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) {
            segs.push(key);
          } else {
            root = '?';
            break;
          }
        }
        cur = isNode(t === 'TSQualifiedName' ? cur.left : cur.object) ? (t === 'TSQualifiedName' ? cur.left : cur.object) : null;
        continue;
      }
      if (t === 'CallExpression' || t === 'NewExpression') {
        segs.push('()');
        cur = isNode(cur.callee) ? cur.callee : null;
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

  private decoratorNames(node: N): string[] {
    const ds: unknown = node.decorators;
    if (!Array.isArray(ds) || ds.length === 0) return [];
    const out: string[] = [];
    for (const d of ds) {
      if (!isNode(d) || !isNode(d.expression)) continue;
      const e: N = d.expression;
      out.push(this.dotted(e.type === 'CallExpression' && isNode(e.callee) ? e.callee : e, 'callee'));
    }
    return out;
  }

  // --- docstrings ------------------------------------------------------------------------------------

  /** The JSDoc block that ends right before `pos` (modifiers, `export` and decorators may sit between). */
  private docComment(pos: number, decorators: unknown): C | null {
    const cs = this.comments;
    let lo = 0;
    let hi = cs.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cs[mid].range[1] <= pos) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (idx < 0) return null;
    let c = cs[idx];
    if (!this.onlyModifiers(c.range[1], pos, decorators)) return null;
    // Skip line comments (`// eslint-disable-next-line`) stacked under the JSDoc block.
    while (c.type === 'Line') {
      if (idx === 0) return null;
      const prev = cs[idx - 1];
      if (!this.blankGap(prev.range[1], c.range[0])) return null;
      c = prev;
      idx--;
    }
    if (c.type !== 'Block' || !c.value.startsWith('*') || c.value.startsWith('**')) return null;
    return c;
  }

  /** White space only, with at most one blank line. */
  private blankGap(start: number, end: number): boolean {
    if (end - start > 400) return false;
    const gap = this.text.slice(start, end);
    if (!/^\s*$/.test(gap)) return false;
    return countNewlines(gap) <= 2;
  }

  private onlyModifiers(start: number, end: number, decorators: unknown): boolean {
    if (end < start || end - start > 4000) return false;
    let region = this.text.slice(start, end);
    if (Array.isArray(decorators)) {
      for (const d of decorators) {
        if (!isNode(d)) continue;
        const a = d.range[0] - start;
        const b = d.range[1] - start;
        if (a >= 0 && b <= region.length) region = region.slice(0, a) + ' '.repeat(b - a) + region.slice(b);
        else if (a < 0 && b > 0) return false; // the comment sits inside a decorator
      }
    }
    const lead = /^\s*/.exec(region)?.[0] ?? '';
    if (countNewlines(lead) > 2) return false;
    for (const w of region.split(/[\s*[#]+/)) if (w !== '' && !DOC_GAP_WORDS.has(w)) return false;
    return true;
  }

  // --- definitions -----------------------------------------------------------------------------------

  private makeDef(
    name: string,
    kind: DefinitionKind,
    span: N,
    nameNode: N | null,
    scope: string,
    decoratorsOf: N | null,
  ): DefinitionFact {
    const anchor = nameNode ?? span;
    const doc = this.docComment(anchor.range[0], decoratorsOf?.decorators);
    const def: DefinitionFact = {
      name,
      qualName: scope ? `${scope}.${name}` : name,
      kind,
      line: lineOf(anchor),
      endLine: span.loc?.end?.line ?? lineOf(anchor),
      bases: [],
      decorators: decoratorsOf ? this.decoratorNames(decoratorsOf) : [],
      stub: false,
      docstring: doc !== null,
      exported: false,
      parent: scope,
    };
    if (doc && /@abstract\b/.test(doc.value)) def.abstract = true;
    return def;
  }

  private applyStub(def: DefinitionFact, body: unknown, fn?: N): void {
    // Declaration files and `declare` functions hold no implementations, whatever they contain.
    if (this.ambient || fn?.declare === true) return;
    const kind = stubKind(body, this.text);
    if (kind) {
      def.stub = true;
      def.stubKind = kind;
    }
  }

  private functionDef(
    name: string,
    kind: 'function' | 'method',
    span: N,
    nameNode: N | null,
    fn: N,
    scope: string,
    decoratorsOf: N | null,
  ): DefinitionFact {
    const def = this.makeDef(name, kind, span, nameNode, scope, decoratorsOf);
    if (fn.async === true) def.async = true;
    return def;
  }

  private classDef(name: string, cls: N, span: N, nameNode: N | null, scope: string, flags: number): DefinitionFact {
    const def = this.makeDef(name, 'class', span, nameNode, scope, cls);
    if (isNode(cls.superClass)) def.bases.push(this.dotted(cls.superClass, 'callee'));
    if (Array.isArray(cls.implements)) {
      for (const i of cls.implements) if (isNode(i) && isNode(i.expression)) def.bases.push(this.dotted(i.expression, 'callee'));
    }
    if (cls.abstract === true) def.abstract = true;
    def.exported = (flags & EXPORTED) !== 0;
    this.record(def);
    return def;
  }

  private variableDefs(pattern: N, span: N, scope: string, flags: number): void {
    const work: N[] = [pattern];
    let guard = 0;
    while (work.length > 0 && guard++ < 10_000) {
      const p = work.pop() as N;
      switch (p.type) {
        case 'Identifier': {
          const def = this.makeDef(p.name, 'variable', span, p, scope, null);
          def.exported = (flags & EXPORTED) !== 0;
          this.record(def);
          break;
        }
        case 'ObjectPattern':
          if (Array.isArray(p.properties)) {
            for (let i = p.properties.length - 1; i >= 0; i--) {
              const q = p.properties[i];
              if (!isNode(q)) continue;
              const v = q.type === 'RestElement' ? q.argument : q.value;
              if (isNode(v)) work.push(v);
            }
          }
          break;
        case 'ArrayPattern':
          if (Array.isArray(p.elements)) for (let i = p.elements.length - 1; i >= 0; i--) if (isNode(p.elements[i])) work.push(p.elements[i]);
          break;
        case 'AssignmentPattern':
          if (isNode(p.left)) work.push(p.left);
          break;
        case 'RestElement':
          if (isNode(p.argument)) work.push(p.argument);
          break;
        default:
          break;
      }
    }
  }

  // --- the walk --------------------------------------------------------------------------------------

  private push(node: N, scope: string, cls: string, flags: number): void {
    const i = this.sp++;
    this.stNode[i] = node;
    this.stScope[i] = scope;
    this.stCls[i] = cls;
    this.stFlags[i] = flags;
  }

  /** Push the children of `node` (all but `except`) so that they are visited in source order. */
  private pushChildren(node: N, scope: string, cls = '', flags = 0, except: N | null = null): void {
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) if (kids[i] !== except) this.push(kids[i], scope, cls, flags);
  }

  private walk(): void {
    this.push(this.ast, '', '', TOP);
    while (this.sp > 0) {
      const i = --this.sp;
      const node = this.stNode[i];
      const scope = this.stScope[i];
      const cls = this.stCls[i];
      const flags = this.stFlags[i];
      this.stNode[i] = undefined as unknown as N; // let the AST go as we leave it
      this.visit(node, scope, cls, flags);
    }
  }

  private visit(node: N, scope: string, cls: string, flags: number): void {
    switch (node.type) {
      case 'Program':
      case 'TSModuleDeclaration':
      case 'TSModuleBlock':
      case 'ExpressionStatement':
        this.pushChildren(node, scope, '', flags & TOP);
        return;

      case 'Identifier':
      case 'JSXIdentifier':
        this.addName(node.name, lineOf(node), scope);
        if (node.typeAnnotation || (Array.isArray(node.decorators) && node.decorators.length > 0)) this.pushChildren(node, scope);
        return;
      case 'PrivateIdentifier':
        this.addName(node.name, lineOf(node), scope);
        return;
      case 'Literal':
      case 'TemplateElement':
      case 'JSXText':
        return;

      case 'ImportDeclaration':
        this.importDeclaration(node);
        this.pushChildren(node, scope);
        return;
      case 'TSImportEqualsDeclaration':
        this.importEquals(node);
        this.pushChildren(node, scope);
        return;
      case 'ExportAllDeclaration':
        this.exportFrom(node);
        this.pushChildren(node, scope);
        return;
      case 'ExportNamedDeclaration': {
        if (isNode(node.source)) this.exportFrom(node);
        else if (!isNode(node.declaration) && Array.isArray(node.specifiers)) {
          for (const s of node.specifiers) {
            if (isNode(s) && s.local?.type === 'Identifier') this.exportedNames.add(s.local.name);
          }
        }
        const decl: N | null = isNode(node.declaration) ? node.declaration : null;
        if (decl) this.push(decl, scope, '', (flags & TOP) | EXPORTED);
        this.pushChildren(node, scope, '', 0, decl);
        return;
      }
      case 'ExportDefaultDeclaration': {
        const decl: N | null = isNode(node.declaration) ? node.declaration : null;
        if (decl?.type === 'Identifier') this.exportedNames.add(decl.name);
        if (decl) this.push(decl, scope, '', (flags & TOP) | EXPORTED | DEFAULT);
        this.pushChildren(node, scope, '', 0, decl);
        return;
      }
      case 'TSExportAssignment':
        if (node.expression?.type === 'Identifier') this.exportedNames.add(node.expression.name);
        this.pushChildren(node, scope);
        return;

      case 'FunctionDeclaration':
      case 'TSDeclareFunction':
        this.visitFunctionDeclaration(node, scope, flags);
        return;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (flags & DEFAULT) {
          // `export default () => {}`
          const def = this.functionDef('default', 'function', node, null, node, scope, null);
          def.exported = true;
          this.applyStub(def, node.body);
          this.record(def);
          this.pushChildren(node, def.qualName);
        } else this.pushChildren(node, scope);
        return;

      case 'ClassDeclaration':
      case 'ClassExpression':
        this.visitClass(node, scope, cls, flags);
        return;
      case 'ClassBody':
        this.pushChildren(node, scope, cls);
        return;
      case 'MethodDefinition':
      case 'TSAbstractMethodDefinition':
        this.visitMethod(node, scope, cls);
        return;
      case 'PropertyDefinition':
      case 'TSAbstractPropertyDefinition':
      case 'AccessorProperty':
      case 'TSAbstractAccessorProperty':
        this.visitProperty(node, scope, cls);
        return;
      case 'StaticBlock':
        this.pushChildren(node, cls || scope);
        return;

      case 'TSInterfaceDeclaration': {
        const name: string | undefined = node.id?.name;
        if (!name) break;
        const def = this.makeDef(name, 'interface', node, node.id, scope, null);
        if (Array.isArray(node.extends)) {
          for (const h of node.extends) if (isNode(h) && isNode(h.expression)) def.bases.push(this.dotted(h.expression, 'callee'));
        }
        def.exported = (flags & EXPORTED) !== 0;
        this.record(def);
        this.pushChildren(node, def.qualName);
        return;
      }
      case 'TSTypeAliasDeclaration':
      case 'TSEnumDeclaration': {
        const name: string | undefined = node.id?.name;
        if (!name) break;
        const def = this.makeDef(name, node.type === 'TSEnumDeclaration' ? 'enum' : 'type', node, node.id, scope, null);
        def.exported = (flags & EXPORTED) !== 0;
        this.record(def);
        this.pushChildren(node, def.qualName);
        return;
      }

      case 'VariableDeclaration':
        this.pushChildren(node, scope, '', flags & (TOP | EXPORTED));
        return;
      case 'VariableDeclarator':
        this.visitDeclarator(node, scope, flags);
        return;
      case 'AssignmentExpression':
        this.visitAssignment(node, scope, flags);
        return;

      case 'CallExpression':
      case 'NewExpression':
        this.visitCall(node, scope);
        return;
      case 'ImportExpression':
        if (!this.handled.has(node)) {
          this.handled.add(node);
          const spec = literalString(node.source);
          if (spec === null) this.addImport({ module: '?', names: [], line: lineOf(node), kind: 'dynamic' });
          else {
            const { module, relative } = resolveSpecifier(spec, this.facts.path);
            const fact: ImportFact = { module, names: [], line: lineOf(node), kind: 'dynamic' };
            if (relative) fact.relative = true;
            this.addImport(fact);
          }
        }
        this.pushChildren(node, scope);
        return;
      default:
        break;
    }
    this.pushChildren(node, scope);
  }

  private visitFunctionDeclaration(node: N, scope: string, flags: number): void {
    const name: string | null = node.id?.name ?? (flags & DEFAULT ? 'default' : null);
    if (!name) {
      this.pushChildren(node, scope);
      return;
    }
    const def = this.functionDef(name, 'function', node, isNode(node.id) ? node.id : null, node, scope, null);
    def.exported = (flags & EXPORTED) !== 0;
    if (node.type === 'FunctionDeclaration' && isNode(node.body)) {
      this.applyStub(def, node.body, node);
      this.record(def);
    } else this.pending.push(def);
    this.pushChildren(node, def.qualName);
  }

  private visitClass(node: N, scope: string, preDefined: string, flags: number): void {
    let qual = preDefined;
    if (!qual) {
      const name: string | null =
        node.id?.name ?? (flags & DEFAULT ? 'default' : null);
      if (name && (node.type === 'ClassDeclaration' || flags & DEFAULT)) {
        qual = this.classDef(name, node, node, isNode(node.id) ? node.id : null, scope, flags).qualName;
      }
    }
    const body: N | null = isNode(node.body) ? node.body : null;
    if (body) this.push(body, qual || scope, qual, 0);
    this.pushChildren(node, scope, '', 0, body);
  }

  private visitMethod(node: N, scope: string, cls: string): void {
    const value: N | null = isNode(node.value) ? node.value : null;
    const name = cls ? this.memberName(node) : null;
    if (!cls || name === null) {
      this.pushChildren(node, scope);
      return;
    }
    const def = this.functionDef(name, 'method', node, isNode(node.key) ? node.key : null, value ?? node, cls, node);
    const isAbstract = node.type === 'TSAbstractMethodDefinition';
    if (isAbstract) def.abstract = true;
    const hasBody = value !== null && value.type !== 'TSEmptyBodyFunctionExpression' && isNode(value.body);
    if (hasBody && value) {
      if (node.kind === 'constructor') {
        def.trivialInit = isTrivialInit(value);
        if (!this.ambient && stubKind(value.body, this.text) === 'throw_not_implemented') {
          def.stub = true;
          def.stubKind = 'throw_not_implemented';
        }
      } else this.applyStub(def, value.body);
      this.record(def);
    } else this.pending.push(def);
    if (node.accessibility === 'private' || node.key?.type === 'PrivateIdentifier') this.privateMembers.add(def);
    if (value) this.push(value, def.qualName, '', 0);
    this.pushChildren(node, cls, '', 0, value);
  }

  private visitProperty(node: N, scope: string, cls: string): void {
    const name = cls ? this.memberName(node) : null;
    if (!cls || name === null) {
      this.pushChildren(node, scope);
      return;
    }
    const raw: N | null = isNode(node.value) ? node.value : null;
    const value = unwrapTs(raw);
    if (value && isFunctionNode(value) && raw) {
      const def = this.functionDef(name, 'method', node, isNode(node.key) ? node.key : null, value, cls, node);
      if (node.type.startsWith('TSAbstract')) def.abstract = true;
      this.applyStub(def, value.body);
      this.record(def);
      if (node.accessibility === 'private' || node.key?.type === 'PrivateIdentifier') this.privateMembers.add(def);
      this.push(raw, def.qualName, '', 0);
      this.pushChildren(node, cls, '', 0, raw);
      return;
    }
    if (raw) {
      const owner = node.static ? (this.classDefs.get(cls)?.name ?? cls) : 'this';
      this.assignment(`${owner}.${name}`, lineOf(node.key ?? node), raw, cls);
    }
    this.pushChildren(node, cls);
  }

  private memberName(node: N): string | null {
    const k: N | null = isNode(node.key) ? node.key : null;
    if (!k) return null;
    if (!node.computed) {
      if (k.type === 'Identifier') return k.name;
      if (k.type === 'PrivateIdentifier') return '#' + k.name;
      if (k.type === 'Literal') return String(k.value);
      return null;
    }
    if (k.type === 'Literal' && (typeof k.value === 'string' || typeof k.value === 'number')) return String(k.value);
    return `[${this.dotted(k, 'callee')}]`;
  }

  private visitDeclarator(node: N, scope: string, flags: number): void {
    const isImport = this.bindingImport(node);
    const id: N | null = isNode(node.id) ? node.id : null;
    const init: N | null = isNode(node.init) ? node.init : null;
    const initU = unwrapTs(init);
    let initScope = scope;
    let initCls = '';
    let pushInit = init;
    if (id?.type === 'Identifier') {
      if (init) this.assignment(id.name, lineOf(id), init, scope);
      if (!isImport && flags & TOP) {
        if (initU && isFunctionNode(initU)) {
          const def = this.functionDef(id.name, 'function', node, id, initU, scope, null);
          def.exported = (flags & EXPORTED) !== 0;
          this.applyStub(def, initU.body);
          this.record(def);
          initScope = def.qualName;
        } else if (initU?.type === 'ClassExpression') {
          initCls = this.classDef(id.name, initU, node, id, scope, flags).qualName;
          pushInit = initU;
        } else {
          const def = this.makeDef(id.name, 'variable', node, id, scope, null);
          def.exported = (flags & EXPORTED) !== 0;
          this.record(def);
        }
      }
    } else if (id && !isImport && flags & TOP) this.variableDefs(id, node, scope, flags);
    if (pushInit) this.push(pushInit, initScope, initCls, 0);
    if (id) this.push(id, scope, '', 0);
  }

  private visitAssignment(node: N, scope: string, flags: number): void {
    const left: N | null = isNode(node.left) ? node.left : null;
    const right: N | null = isNode(node.right) ? node.right : null;
    let rightScope = scope;
    let rightCls = '';
    let pushRight = right;
    if (left && right && ASSIGN_OPS.has(node.operator)) {
      const isPattern = left.type === 'ObjectPattern' || left.type === 'ArrayPattern';
      const target = isPattern ? null : this.dotted(left, 'assign');
      if (target !== null) this.assignment(target, lineOf(node), right, scope);
      if (target !== null && flags & TOP) {
        const r = unwrapTs(right);
        const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(target);
        if (target === 'module.exports' || target === 'exports') {
          if (r?.type === 'Identifier') this.exportedNames.add(r.name);
          else if (r?.type === 'ObjectExpression' && Array.isArray(r.properties)) {
            for (const p of r.properties) if (isNode(p) && p.value?.type === 'Identifier') this.exportedNames.add(p.value.name);
          }
        } else if (m && r) {
          const nameNode: N | null = isNode(left.property) ? left.property : null;
          if (r.type === 'Identifier') this.exportedNames.add(r.name);
          else if (isFunctionNode(r)) {
            const def = this.functionDef(m[1], 'function', node, nameNode, r, scope, null);
            def.exported = true;
            this.applyStub(def, r.body);
            this.record(def);
            rightScope = def.qualName;
          } else if (r.type === 'ClassExpression') {
            rightCls = this.classDef(m[1], r, node, nameNode, scope, EXPORTED).qualName;
            pushRight = r;
          }
        }
      }
    }
    if (pushRight) this.push(pushRight, rightScope, rightCls, 0);
    if (left) this.push(left, scope, '', 0);
  }

  private visitCall(node: N, scope: string): void {
    const calleeNode: N | null = isNode(node.callee) ? node.callee : null;
    const args: N[] = Array.isArray(node.arguments) ? node.arguments.filter(isNode) : [];
    if (node.type === 'CallExpression' && isRequireCall(node) && !this.handled.has(node)) {
      this.handled.add(node);
      const spec = literalString(args[0]);
      if (spec === null) this.addImport({ module: '?', names: [], line: lineOf(node), kind: 'require' });
      else {
        const { module, relative } = resolveSpecifier(spec, this.facts.path);
        const fact: ImportFact = { module, names: [], line: lineOf(node), kind: 'require' };
        if (relative) fact.relative = true;
        this.addImport(fact);
      }
    }
    if (calleeNode) {
      if (this.facts.calls.length >= CAPS.calls) this.cap('calls', lineOf(node));
      else {
        const c = unwrapTs(calleeNode);
        const line = c?.type === 'MemberExpression' && isNode(c.property) ? lineOf(c.property) : lineOf(node);
        const last = args.length > 0 ? args[args.length - 1] : null;
        const kwNode = last?.type === 'ObjectExpression' ? last : null;
        const positional: string[] = [];
        const n = kwNode ? args.length - 1 : args.length;
        for (let i = 0; i < n && i < CAPS.args; i++) positional.push(this.short(args[i]));
        const kwargs: Record<string, string> = {};
        if (kwNode && Array.isArray(kwNode.properties)) {
          let count = 0;
          for (const p of kwNode.properties) {
            if (!isNode(p) || p.type !== 'Property' || count >= CAPS.kwargs) continue;
            const key = propKeyName(p);
            if (key === null || key === '__proto__') continue;
            kwargs[key] = isNode(p.value) ? this.short(p.value) : key;
            count++;
          }
        }
        const fact: CallFact = { callee: this.dotted(calleeNode, 'callee'), line, args: positional, kwargs, scope };
        this.facts.calls.push(fact);
      }
    }
    this.pushChildren(node, scope);
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
        this.cap('markers', c.loc?.start?.line ?? 0);
        break;
      }
      if (typeof c.value === 'string') scanComment(c.value, c.loc?.start?.line ?? 1, f);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Bodies

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Stub rule for TS/JS bodies (comments are not statements, so they are ignored by construction). */
function stubKind(body: unknown, text: string): 'empty_body' | 'throw_not_implemented' | null {
  if (!isNode(body) || body.type !== 'BlockStatement' || !Array.isArray(body.body)) return null;
  const stmts = (body.body as unknown[]).filter(
    (s) => !(isNode(s) && s.type === 'ExpressionStatement' && typeof s.directive === 'string'),
  ) as N[];
  if (stmts.length === 0) return 'empty_body';
  if (stmts.length !== 1 || stmts[0].type !== 'ThrowStatement') return null;
  const arg = unwrapTs(stmts[0].argument);
  if (!arg || (arg.type !== 'NewExpression' && arg.type !== 'CallExpression')) return null;
  const callee = unwrapTs(arg.callee);
  const ctor =
    callee?.type === 'Identifier'
      ? (callee.name as string)
      : callee?.type === 'MemberExpression' && callee.property?.type === 'Identifier'
        ? (callee.property.name as string)
        : '';
  if (!/Error$/.test(ctor)) return null;
  if (STUB_MESSAGE_RE.test(ctor)) return 'throw_not_implemented';
  const first: unknown = Array.isArray(arg.arguments) ? arg.arguments[0] : undefined;
  if (!isNode(first)) return null;
  const msg = text.slice(first.range[0], Math.min(first.range[1], first.range[0] + 400));
  return STUB_MESSAGE_RE.test(msg) ? 'throw_not_implemented' : null;
}

/** A constructor body that only stores (`this.x = ...`, `Object.assign(this, ...)`) and calls `super(...)`. */
function isTrivialInit(fn: N): boolean {
  const body = fn.body;
  if (!isNode(body) || body.type !== 'BlockStatement' || !Array.isArray(body.body)) return false;
  for (const st of body.body as unknown[]) {
    if (!isNode(st) || st.type !== 'ExpressionStatement') return false;
    if (typeof st.directive === 'string') continue;
    const e = unwrapTs(st.expression);
    if (!e) return false;
    if (e.type === 'AssignmentExpression') {
      const l = unwrapTs(e.left);
      if (l?.type === 'MemberExpression' && unwrapTs(l.object)?.type === 'ThisExpression') continue;
      return false;
    }
    if (e.type === 'CallExpression') {
      const c = unwrapTs(e.callee);
      if (c?.type === 'Super') continue;
      if (
        c?.type === 'MemberExpression' &&
        c.object?.type === 'Identifier' &&
        c.object.name === 'Object' &&
        c.property?.name === 'assign' &&
        unwrapTs(e.arguments?.[0])?.type === 'ThisExpression'
      )
        continue;
    }
    return false;
  }
  return true;
}

function valueKind(v: N): AssignmentFact['valueKind'] {
  let n = unwrapTs(v);
  if (n?.type === 'AwaitExpression') n = unwrapTs(n.argument);
  if (!n) return 'other';
  switch (n.type) {
    case 'ObjectExpression':
      return 'dict';
    case 'ArrayExpression':
      return 'list';
    case 'CallExpression':
    case 'NewExpression':
    case 'ImportExpression':
    case 'TaggedTemplateExpression':
      return 'call';
    case 'TemplateLiteral':
      return 'string';
    case 'Literal':
      if (typeof n.value === 'string') return 'string';
      if (typeof n.value === 'number' || typeof n.bigint === 'string') return 'number';
      if (typeof n.value === 'boolean') return 'bool';
      if (n.value === null && n.regex === undefined && n.raw === 'null') return 'none';
      return 'other';
    case 'Identifier':
      return n.name === 'undefined' ? 'none' : 'name';
    case 'MemberExpression':
      return 'name';
    case 'UnaryExpression':
      if (n.operator === 'void') return 'none';
      if ((n.operator === '-' || n.operator === '+') && n.argument?.type === 'Literal' && typeof n.argument.value === 'number')
        return 'number';
      if (n.operator === '!' && n.argument?.type === 'Literal' && typeof n.argument.value === 'number') return 'bool';
      return 'other';
    default:
      return 'other';
  }
}
