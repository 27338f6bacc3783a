/**
 * Python parser: tree-sitter (WASM) -> FileFacts.
 *
 * How it works: the tree is walked once with a TreeCursor (iteratively) and flattened into typed arrays
 * holding only named nodes (kind, field, start, end, parent, first child, next sibling), in pre-order.
 * Everything after that is plain JS over those arrays, again iterative, so deep nesting cannot overflow
 * the JS stack and the cost is linear in the tree size. No AST survives the call: the tree is deleted
 * in a finally block.
 *
 * Syntax errors (decision):
 * - The tree is "unusable" when ERROR nodes (outermost ones) cover more than half of the file, or when
 *   parsing was cancelled by the time budget: the lexical fallback (python-fallback.ts) then produces
 *   the facts, `parser` is 'fallback', and one ScanIssue says the facts are degraded.
 * - Otherwise the facts come from the error-tolerant tree (`parser` stays 'tree-sitter'); the fallback
 *   is also run and the definitions and imports it finds that the tree lost are merged in; one ScanIssue
 *   names the first error line.
 * - If the grammar could not load (initPython failed or was never called), every file goes to the
 *   fallback with a ScanIssue saying why. A parse over PARSE_BUDGET_MS is cancelled the same way.
 *
 * Semantics worth knowing (see FileFacts doc comments for the rest):
 * - Aliases: one table per file from every import anywhere (first binding wins); applied to the first
 *   segment of callees, decorators, bases and assignment targets. Local rebinding is not tracked.
 * - Definitions: `line` is the `def`/`class` line (not the decorator's); `endLine` is the end of the
 *   body, including indented trailing comments. Stub rule on functions/methods as in CAPABILITIES.md;
 *   a class is a stub only when its body is pass/.../docstring and it has no base other than
 *   `object` (`class E(ValueError): pass` is a specialisation, not a stub). In `.pyi` files nothing
 *   is a stub. `abstract` and `trivialInit` are only present when meaningful.
 * - Module-level variables: first binding per name of `=`/annotated assignments whose scope is the
 *   module (including inside module-level if/try blocks).
 * - Calls: `line` is the line of the callee's last name (`.to` of a multi-line chain).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';
import type { Tree, TreeCursor } from 'web-tree-sitter';
import type {
  AssignmentFact,
  CallFact,
  DefinitionFact,
  FileFacts,
  ImportFact,
} from '../facts/types.js';
import { countLines, scanComment } from './comments.js';
import {
  MAX_DOTTED,
  MAX_NAMES,
  PARSE_STEP,
  PY_KEYWORDS,
  addAliases,
  isAbstractDecorator,
  lineOf,
  lineStarts,
  packageParts,
  resolveRelative,
  short,
  type AliasTable,
  type PythonParseOptions,
} from './python-common.js';
import { parsePythonFallback } from './python-fallback.js';

export type { PythonParseOptions } from './python-common.js';

/** Parse time budget per file; beyond it the parse is cancelled and the fallback is used. */
const PARSE_BUDGET_MS = 10_000;
/** Share of the file inside ERROR nodes above which the tree is deemed unusable. */
const UNUSABLE_ERROR_SHARE = 0.5;

// ---------------------------------------------------------------------------------------------
// Grammar loading

let parser: Parser | null = null;
let initPromise: Promise<void> | null = null;
let grammarError: string | undefined;
let grammarOverride: string | undefined;

/** Node kinds we care about (our own small enum, indexed by tree-sitter type id through KIND_OF). */
const enum K {
  OTHER,
  IDENT,
  CALL,
  ATTRIBUTE,
  SUBSCRIPT,
  FUNC,
  CLASS,
  DECORATED,
  DECORATOR,
  BLOCK,
  COMMENT,
  IMPORT,
  IMPORT_FROM,
  FUTURE_IMPORT,
  DOTTED_NAME,
  ALIASED_IMPORT,
  RELATIVE_IMPORT,
  IMPORT_PREFIX,
  WILDCARD,
  ASSIGNMENT,
  AUG_ASSIGNMENT,
  EXPR_STMT,
  STRING,
  CONCAT_STRING,
  STRING_START,
  STRING_CONTENT,
  INTERPOLATION,
  PASS,
  ELLIPSIS,
  RAISE,
  ARGUMENT_LIST,
  KEYWORD_ARG,
  DICT_SPLAT,
  PAREN,
  PATTERN_LIST,
  TUPLE_PATTERN,
  LIST_PATTERN,
  LIST_SPLAT_PATTERN,
  EXPR_LIST,
  TUPLE,
  LIST,
  LIST_COMP,
  DICT,
  DICT_COMP,
  INTEGER,
  FLOAT,
  TRUE,
  FALSE,
  NONE,
  UNARY,
  GENERATOR,
  PARAMETERS,
  ERROR,
}

const KIND_BY_NAME: Record<string, K> = {
  identifier: K.IDENT,
  call: K.CALL,
  attribute: K.ATTRIBUTE,
  subscript: K.SUBSCRIPT,
  function_definition: K.FUNC,
  class_definition: K.CLASS,
  decorated_definition: K.DECORATED,
  decorator: K.DECORATOR,
  block: K.BLOCK,
  comment: K.COMMENT,
  import_statement: K.IMPORT,
  import_from_statement: K.IMPORT_FROM,
  future_import_statement: K.FUTURE_IMPORT,
  dotted_name: K.DOTTED_NAME,
  aliased_import: K.ALIASED_IMPORT,
  relative_import: K.RELATIVE_IMPORT,
  import_prefix: K.IMPORT_PREFIX,
  wildcard_import: K.WILDCARD,
  assignment: K.ASSIGNMENT,
  augmented_assignment: K.AUG_ASSIGNMENT,
  expression_statement: K.EXPR_STMT,
  string: K.STRING,
  concatenated_string: K.CONCAT_STRING,
  string_start: K.STRING_START,
  string_content: K.STRING_CONTENT,
  interpolation: K.INTERPOLATION,
  pass_statement: K.PASS,
  ellipsis: K.ELLIPSIS,
  raise_statement: K.RAISE,
  argument_list: K.ARGUMENT_LIST,
  keyword_argument: K.KEYWORD_ARG,
  dictionary_splat: K.DICT_SPLAT,
  parenthesized_expression: K.PAREN,
  pattern_list: K.PATTERN_LIST,
  tuple_pattern: K.TUPLE_PATTERN,
  list_pattern: K.LIST_PATTERN,
  list_splat_pattern: K.LIST_SPLAT_PATTERN,
  expression_list: K.EXPR_LIST,
  tuple: K.TUPLE,
  list: K.LIST,
  list_comprehension: K.LIST_COMP,
  dictionary: K.DICT,
  dictionary_comprehension: K.DICT_COMP,
  integer: K.INTEGER,
  float: K.FLOAT,
  true: K.TRUE,
  false: K.FALSE,
  none: K.NONE,
  unary_operator: K.UNARY,
  generator_expression: K.GENERATOR,
  parameters: K.PARAMETERS,
};

const enum F {
  NONE,
  BODY,
  NAME,
  ALIAS,
  MODULE_NAME,
  FUNCTION,
  ARGUMENTS,
  OBJECT,
  ATTRIBUTE,
  VALUE,
  SUBSCRIPT,
  LEFT,
  RIGHT,
  SUPERCLASSES,
  PARAMETERS,
  ARGUMENT,
}

const FIELD_BY_NAME: Record<string, F> = {
  body: F.BODY,
  name: F.NAME,
  alias: F.ALIAS,
  module_name: F.MODULE_NAME,
  function: F.FUNCTION,
  arguments: F.ARGUMENTS,
  object: F.OBJECT,
  attribute: F.ATTRIBUTE,
  value: F.VALUE,
  subscript: F.SUBSCRIPT,
  left: F.LEFT,
  right: F.RIGHT,
  superclasses: F.SUPERCLASSES,
  parameters: F.PARAMETERS,
  argument: F.ARGUMENT,
};

const LEAF_TYPES = new Set([
  'identifier',
  'integer',
  'float',
  'true',
  'false',
  'none',
  'ellipsis',
  'comment',
  'string_start',
  'string_content',
  'string_end',
  'escape_sequence',
  'escape_interpolation',
  'line_continuation',
  'type_conversion',
]);

const ERROR_TYPE_ID = 0xffff;
/** tree-sitter type id -> K (0 = not interesting but named). */
let kindOf = new Uint8Array(0x10000);
/** tree-sitter type id -> 1 when the node type is named. */
let namedOf = new Uint8Array(0x10000);
/** tree-sitter type id -> 1 when the named node type never has children (identifiers, literals, comments). */
let leafOf = new Uint8Array(0x10000);
/** tree-sitter field id -> F. */
let fieldOf = new Uint8Array(256);

function buildTables(lang: Language): void {
  kindOf = new Uint8Array(0x10000);
  namedOf = new Uint8Array(0x10000);
  leafOf = new Uint8Array(0x10000);
  fieldOf = new Uint8Array(Math.max(256, lang.fields.length + 1));
  const types = lang.types;
  for (let id = 0; id < types.length && id < ERROR_TYPE_ID; id++) {
    if (!lang.nodeTypeIsNamed(id)) continue;
    namedOf[id] = 1;
    const k = KIND_BY_NAME[types[id]];
    if (k !== undefined) kindOf[id] = k;
    if (LEAF_TYPES.has(types[id])) leafOf[id] = 1;
  }
  namedOf[ERROR_TYPE_ID] = 1;
  kindOf[ERROR_TYPE_ID] = K.ERROR;
  lang.fields.forEach((name, id) => {
    if (name === null) return;
    const f = FIELD_BY_NAME[name];
    if (f !== undefined) fieldOf[id] = f;
  });
}

function sanitize(msg: string): string {
  // No absolute path of the machine may reach a report.
  return msg.replace(/(^|[\s'"(=:])(?:[A-Za-z]:)?[\\/][^\s'"():]+/g, '$1<path>').slice(0, 300);
}

function grammarBytes(): Uint8Array {
  const candidates: string[] = [];
  if (grammarOverride !== undefined) candidates.push(grammarOverride);
  else {
    try {
      candidates.push(fileURLToPath(new URL('../grammars/tree-sitter-python.wasm', import.meta.url)));
    } catch {
      /* not a file URL */
    }
    try {
      const req = createRequire(import.meta.url);
      candidates.push(join(dirname(req.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'));
    } catch {
      /* devDependency not installed */
    }
  }
  for (const c of candidates) {
    if (existsSync(c)) return readFileSync(c);
  }
  throw new Error('tree-sitter-python.wasm not found (neither in dist/grammars nor in node_modules/tree-sitter-python)');
}

async function load(): Promise<void> {
  try {
    const mod: Record<string, unknown> = {};
    await Parser.init(mod);
    // Parser.init fills the object with the module's exports on the first call only (later calls reuse
    // the module), so a capture from an earlier load is kept.
    fastCursor = fastCursorOf(mod) ?? fastCursor;
    const lang = await Language.load(grammarBytes());
    const p = new Parser();
    p.setLanguage(lang);
    buildTables(lang);
    parser = p;
    grammarError = undefined;
  } catch (e) {
    parser = null;
    grammarError = sanitize(e instanceof Error ? e.message : String(e));
  }
}

/** Load the Python grammar once. Never rejects: a failure is remembered (see pythonGrammarError). */
export async function initPython(): Promise<void> {
  if (!initPromise) initPromise = load();
  return initPromise;
}

/** Why the grammar could not load, or undefined when it loaded (or initPython was not called yet). */
export function pythonGrammarError(): string | undefined {
  return grammarError;
}

/**
 * Tests only: forget the loaded grammar; the next initPython loads from `wasmPath` (a missing path
 * simulates a grammar that cannot load) or, without it, from the normal locations.
 */
export function resetPythonGrammarForTests(wasmPath?: string): void {
  parser?.delete();
  parser = null;
  initPromise = null;
  grammarError = undefined;
  grammarOverride = wasmPath;
}

// ---------------------------------------------------------------------------------------------
// Flat tree

class Flat {
  n = 0;
  cap: number;
  kind: Uint8Array;
  field: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  parent: Int32Array;
  first: Int32Array;
  next: Int32Array;
  last: Int32Array;

  constructor(cap: number) {
    this.cap = Math.max(64, cap);
    this.kind = new Uint8Array(this.cap);
    this.field = new Uint8Array(this.cap);
    this.start = new Int32Array(this.cap);
    this.end = new Int32Array(this.cap);
    this.parent = new Int32Array(this.cap);
    this.first = new Int32Array(this.cap);
    this.next = new Int32Array(this.cap);
    this.last = new Int32Array(this.cap);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const g8 = (a: Uint8Array) => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.kind = g8(this.kind);
    this.field = g8(this.field);
    this.start = g32(this.start);
    this.end = g32(this.end);
    this.parent = g32(this.parent);
    this.first = g32(this.first);
    this.next = g32(this.next);
    this.last = g32(this.last);
    this.cap = cap;
  }

  add(kind: number, field: number, start: number, end: number, parent: number): number {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.kind[i] = kind;
    this.field[i] = field;
    this.start[i] = start;
    this.end[i] = end;
    this.parent[i] = parent;
    this.first[i] = -1;
    this.next[i] = -1;
    this.last[i] = -1;
    if (parent >= 0) {
      const l = this.last[parent];
      if (l < 0) this.first[parent] = i;
      else this.next[l] = i;
      this.last[parent] = i;
    }
    return i;
  }
}

interface WalkResult {
  flat: Flat;
  /** ERROR node indices in pre-order. */
  errors: number[];
  /** Start offset of the first MISSING node, or -1. */
  firstMissing: number;
}

/** Kinds whose children's field names matter (fields are only read under these parents). */
const FIELD_PARENTS = new Uint8Array(64);
for (const k of [
  K.FUNC,
  K.CLASS,
  K.CALL,
  K.ATTRIBUTE,
  K.SUBSCRIPT,
  K.ASSIGNMENT,
  K.AUG_ASSIGNMENT,
  K.KEYWORD_ARG,
  K.IMPORT,
  K.IMPORT_FROM,
  K.FUTURE_IMPORT,
  K.ALIASED_IMPORT,
]) {
  FIELD_PARENTS[k] = 1;
}

/**
 * The cursor calls the walk needs. web-tree-sitter's TreeCursor copies its four handle words into the
 * shared transfer buffer before every call and back after every move; the WASM functions behind it
 * read and write the cursor in that buffer themselves. When the module's exports are at hand (we passed
 * the module object to Parser.init), the walk calls them directly and leaves the cursor in the buffer
 * between calls, which roughly halves the cost of the walk. Nothing else touches the buffer meanwhile
 * (the walk is synchronous), and the handles are copied back before the cursor is deleted.
 */
interface CursorOps {
  typeId(t: number): number;
  fieldId(t: number): number;
  startIndex(t: number): number;
  endIndex(t: number): number;
  isMissing(t: number): number;
  firstChild(t: number): number;
  nextSibling(t: number): number;
  parent(t: number): number;
}

/** The direct calls, plus the cursor's four handle words as they stand in the transfer buffer. */
interface DirectCursorOps extends CursorOps {
  handles(): [number, number, number, number];
}

let fastCursor: DirectCursorOps | undefined;
let useDirectCursor = true;

/** Tests only: walk trees through the public TreeCursor API (false) or the direct calls (true). */
export function setDirectCursorForTests(on: boolean): boolean {
  useDirectCursor = on;
  return fastCursor !== undefined;
}

function fastCursorOf(mod: Record<string, unknown>): DirectCursorOps | undefined {
  const fn = (name: string): ((t: number) => number) | undefined => {
    const f = mod[name];
    return typeof f === 'function' ? (f as (t: number) => number) : undefined;
  };
  const ops = {
    typeId: fn('_ts_tree_cursor_current_node_type_id_wasm'),
    fieldId: fn('_ts_tree_cursor_current_field_id_wasm'),
    startIndex: fn('_ts_tree_cursor_start_index_wasm'),
    endIndex: fn('_ts_tree_cursor_end_index_wasm'),
    isMissing: fn('_ts_tree_cursor_current_node_is_missing_wasm'),
    firstChild: fn('_ts_tree_cursor_goto_first_child_wasm'),
    nextSibling: fn('_ts_tree_cursor_goto_next_sibling_wasm'),
    parent: fn('_ts_tree_cursor_goto_parent_wasm'),
  };
  const init = fn('_ts_init');
  const getValue = mod.getValue;
  if (!init || typeof getValue !== 'function' || Object.values(ops).some((f) => !f)) return undefined;
  const buffer = (init as () => number)();
  const read = getValue as (ptr: number, type: string) => number;
  return {
    ...(ops as CursorOps),
    handles: () => [read(buffer, 'i32'), read(buffer + 4, 'i32'), read(buffer + 8, 'i32'), read(buffer + 12, 'i32')],
  };
}

/** The same operations through the public TreeCursor API (when the module's exports are not at hand). */
function publicCursorOps(cur: TreeCursor): CursorOps {
  return {
    typeId: () => cur.nodeTypeId,
    fieldId: () => cur.currentFieldId,
    startIndex: () => cur.startIndex,
    endIndex: () => cur.endIndex,
    isMissing: () => (cur.nodeIsMissing ? 1 : 0),
    firstChild: () => (cur.gotoFirstChild() ? 1 : 0),
    nextSibling: () => (cur.gotoNextSibling() ? 1 : 0),
    parent: () => (cur.gotoParent() ? 1 : 0),
  };
}

function flatten(tree: Tree, textLength: number): WalkResult {
  const checkErrors = tree.rootNode.hasError;
  const flat = new Flat(Math.min(1 << 22, (textLength >> 2) + 64));
  const errors: number[] = [];
  let firstMissing = -1;
  // tree.walk() leaves the new cursor in the transfer buffer, where the direct calls expect it.
  const cur = tree.walk();
  const handles = (cur as unknown as { handles?: unknown }).handles;
  const direct = useDirectCursor && Array.isArray(handles) && handles.length === 4 ? fastCursor : undefined;
  const ops = direct ?? publicCursorOps(cur);
  const t = (tree as unknown as Record<number, number>)[0];
  try {
    const stack: number[] = [];
    let parentIdx = -1;
    let parentKind = K.OTHER;
    for (;;) {
      const tid = ops.typeId(t);
      let me = parentIdx;
      let descend = true;
      if (namedOf[tid] === 1) {
        const k = kindOf[tid];
        const field = FIELD_PARENTS[parentKind] === 1 ? fieldOf[ops.fieldId(t)] : 0;
        me = flat.add(k, field, ops.startIndex(t), ops.endIndex(t), parentIdx);
        if (k === K.ERROR) errors.push(me);
        descend = leafOf[tid] === 0;
      } else descend = checkErrors; // tokens are leaves, except inside error recovery
      if (checkErrors && firstMissing < 0 && ops.isMissing(t) === 1) firstMissing = ops.startIndex(t);
      if (descend && ops.firstChild(t) === 1) {
        stack.push(parentIdx, parentKind);
        parentIdx = me;
        parentKind = me >= 0 ? flat.kind[me] : K.OTHER;
        continue;
      }
      let done = false;
      while (ops.nextSibling(t) !== 1) {
        if (ops.parent(t) !== 1) {
          done = true;
          break;
        }
        parentKind = stack.pop() ?? K.OTHER;
        parentIdx = stack.pop() ?? -1;
      }
      if (done) break;
    }
  } finally {
    // The moves may have reallocated the cursor's stack: hand its current words back before deleting.
    if (direct) {
      const h = direct.handles();
      for (let i = 0; i < 4; i++) (handles as number[])[i] = h[i];
    }
    cur.delete();
  }
  return { flat, errors, firstMissing };
}

// ---------------------------------------------------------------------------------------------
// Extraction

const RENDER_CALLEE = 0;
const RENDER_TARGET = 1;
const MAX_CHAIN = 200;

class Extractor {
  readonly f: Flat;
  readonly text: string;
  readonly facts: FileFacts;
  readonly starts: Int32Array;
  readonly map: ((line: number) => number) | undefined;
  readonly aliases: AliasTable = new Map();
  readonly pkg: string[];
  scope!: Int32Array;
  readonly qual = new Map<number, string>();

  constructor(f: Flat, text: string, facts: FileFacts, map: ((line: number) => number) | undefined) {
    this.f = f;
    this.text = text;
    this.facts = facts;
    this.starts = lineStarts(text);
    this.map = map;
    this.pkg = packageParts(facts.path);
  }

  line(offset: number): number {
    const l = lineOf(this.starts, offset);
    return this.map ? this.map(l) : l;
  }

  endLine(i: number): number {
    const { start, end } = this.f;
    return this.line(end[i] > start[i] ? end[i] - 1 : start[i]);
  }

  src(i: number): string {
    return this.text.slice(this.f.start[i], this.f.end[i]);
  }

  child(i: number, field: F): number {
    const { first, next } = this.f;
    for (let c = first[i]; c !== -1; c = next[c]) if (this.f.field[c] === field) return c;
    return -1;
  }

  childOfKind(i: number, kind: K): number {
    const { first, next } = this.f;
    for (let c = first[i]; c !== -1; c = next[c]) if (this.f.kind[c] === kind) return c;
    return -1;
  }

  /** Named children that are not comments. */
  items(i: number): number[] {
    const out: number[] = [];
    const { first, next, kind } = this.f;
    for (let c = first[i]; c !== -1; c = next[c]) if (kind[c] !== K.COMMENT) out.push(c);
    return out;
  }

  firstItem(i: number): number {
    const { first, next, kind } = this.f;
    for (let c = first[i]; c !== -1; c = next[c]) if (kind[c] !== K.COMMENT) return c;
    return -1;
  }

  scopeName(i: number): string {
    const s = this.scope[i];
    return s >= 0 ? (this.qual.get(s) ?? '') : '';
  }

  dotted(i: number): string {
    return this.src(i).replace(/[\s\\]+/g, '');
  }

  /** Literal text of a plain string (no interpolation), or undefined. */
  stringLiteral(i: number): string | undefined {
    if (this.f.kind[i] !== K.STRING) return undefined;
    let out = '';
    const { first, next, kind } = this.f;
    for (let c = first[i]; c !== -1; c = next[c]) {
      const k = kind[c];
      if (k === K.STRING_CONTENT) out += this.src(c);
      else if (k === K.INTERPOLATION) return undefined;
    }
    return out;
  }

  /**
   * Dotted text of an expression, resolved through the aliases at its first segment. Calls in the chain
   * are written `()`. Callee mode: subscripts and other non-name receivers become `?`. Target mode:
   * subscripts are kept as `[key]` (string/number literal key, else `?`).
   */
  render(i: number, mode: number): string {
    const { kind } = this.f;
    const parts: string[] = [];
    let cur = i;
    let base = '?';
    for (let guard = 0; ; guard++) {
      if (guard > MAX_CHAIN) {
        base = '…';
        break;
      }
      const k = kind[cur];
      if (k === K.IDENT) {
        const name = this.src(cur);
        base = this.aliases.get(name) ?? name;
        break;
      }
      if (k === K.ATTRIBUTE) {
        const attr = this.child(cur, F.ATTRIBUTE);
        parts.push('.' + (attr >= 0 ? this.src(attr) : '?'));
        cur = this.child(cur, F.OBJECT);
      } else if (k === K.CALL) {
        parts.push('()');
        cur = this.child(cur, F.FUNCTION);
      } else if (k === K.PAREN) {
        cur = this.firstItem(cur);
      } else if (k === K.SUBSCRIPT && mode === RENDER_TARGET) {
        const key = this.child(cur, F.SUBSCRIPT);
        parts.push('[' + (key >= 0 ? this.keyText(key) : '?') + ']');
        cur = this.child(cur, F.VALUE);
      } else break;
      if (cur < 0) break;
    }
    let s = base;
    for (let j = parts.length - 1; j >= 0; j--) {
      s += parts[j];
      if (s.length > MAX_DOTTED) return s.slice(0, MAX_DOTTED);
    }
    return s;
  }

  keyText(key: number): string {
    const k = this.f.kind[key];
    if (k === K.STRING) return this.stringLiteral(key) ?? '?';
    if (k === K.INTEGER) return this.src(key);
    if (k === K.UNARY) {
      const a = this.firstItem(key);
      if (a >= 0 && this.f.kind[a] === K.INTEGER) return this.src(key).replace(/\s+/g, '');
    }
    return '?';
  }

  valueKind(v: number): AssignmentFact['valueKind'] {
    switch (this.f.kind[v]) {
      case K.DICT:
      case K.DICT_COMP:
        return 'dict';
      case K.LIST:
      case K.LIST_COMP:
        return 'list';
      case K.CALL:
        return 'call';
      case K.STRING:
      case K.CONCAT_STRING:
        return 'string';
      case K.INTEGER:
      case K.FLOAT:
        return 'number';
      case K.TRUE:
      case K.FALSE:
        return 'bool';
      case K.NONE:
        return 'none';
      case K.IDENT:
      case K.ATTRIBUTE:
        return 'name';
      case K.UNARY: {
        const a = this.firstItem(v);
        const ak = a >= 0 ? this.f.kind[a] : -1;
        return ak === K.INTEGER || ak === K.FLOAT ? 'number' : 'other';
      }
      case K.PAREN: {
        const a = this.firstItem(v);
        return a >= 0 && this.f.kind[a] !== K.PAREN ? this.valueKind(a) : 'other';
      }
      default:
        return 'other';
    }
  }

  // ---- imports ----------------------------------------------------------------------------

  imports(list: number[]): void {
    for (const i of list) {
      const k = this.f.kind[i];
      const line = this.line(this.f.start[i]);
      if (k === K.IMPORT) {
        for (const c of this.items(i)) {
          if (this.f.field[c] !== F.NAME) continue;
          let modNode = c;
          let alias: string | undefined;
          if (this.f.kind[c] === K.ALIASED_IMPORT) {
            modNode = this.child(c, F.NAME);
            const a = this.child(c, F.ALIAS);
            alias = a >= 0 ? this.src(a) : undefined;
          }
          if (modNode < 0) continue;
          const imp: ImportFact = { module: this.dotted(modNode), names: [], line, kind: 'import' };
          if (!imp.module) continue;
          this.facts.imports.push(imp);
          addAliases(this.aliases, imp, [alias]);
        }
        continue;
      }
      let module = '';
      let relative = false;
      if (k === K.FUTURE_IMPORT) module = '__future__';
      else {
        const m = this.child(i, F.MODULE_NAME);
        if (m < 0) continue;
        if (this.f.kind[m] === K.RELATIVE_IMPORT) {
          relative = true;
          const prefix = this.childOfKind(m, K.IMPORT_PREFIX);
          const rest = this.childOfKind(m, K.DOTTED_NAME);
          const level = prefix >= 0 ? (this.src(prefix).match(/\./g)?.length ?? 1) : 1;
          module = resolveRelative(level, rest >= 0 ? this.dotted(rest) : '', this.pkg);
        } else module = this.dotted(m);
      }
      const names: string[] = [];
      const asNames: (string | undefined)[] = [];
      for (const c of this.items(i)) {
        const kc = this.f.kind[c];
        if (kc === K.WILDCARD) {
          names.push('*');
          asNames.push(undefined);
        } else if (this.f.field[c] === F.NAME) {
          if (kc === K.ALIASED_IMPORT) {
            const n = this.child(c, F.NAME);
            const a = this.child(c, F.ALIAS);
            if (n < 0) continue;
            names.push(this.dotted(n));
            asNames.push(a >= 0 ? this.src(a) : undefined);
          } else {
            names.push(this.dotted(c));
            asNames.push(undefined);
          }
        }
      }
      const imp: ImportFact = { module, names, line, kind: 'from' };
      if (relative) imp.relative = true;
      this.facts.imports.push(imp);
      addAliases(this.aliases, imp, asNames);
    }
  }

  // ---- definitions ------------------------------------------------------------------------

  isDocstring(stmt: number): boolean {
    if (this.f.kind[stmt] !== K.EXPR_STMT) return false;
    const items = this.items(stmt);
    if (items.length !== 1) return false;
    const k = this.f.kind[items[0]];
    if (k === K.CONCAT_STRING) return this.items(items[0]).every((p) => this.plainString(p));
    return this.plainString(items[0]);
  }

  /** A string literal that is not an f-string. */
  plainString(i: number): boolean {
    if (this.f.kind[i] !== K.STRING) return false;
    const st = this.childOfKind(i, K.STRING_START);
    return st < 0 || !/[fF]/.test(this.src(st));
  }

  /** Stub kind of one statement, or undefined when it is real code. */
  stubStatement(stmt: number): DefinitionFact['stubKind'] | undefined {
    const k = this.f.kind[stmt];
    if (k === K.PASS) return 'pass';
    if (k === K.EXPR_STMT) {
      const items = this.items(stmt);
      return items.length === 1 && this.f.kind[items[0]] === K.ELLIPSIS ? 'ellipsis' : undefined;
    }
    if (k === K.RAISE) {
      let e = this.firstItem(stmt);
      if (e < 0) return undefined;
      if (this.f.kind[e] === K.CALL) e = this.child(e, F.FUNCTION);
      if (e < 0) return undefined;
      const name = this.render(e, RENDER_CALLEE);
      return name === 'NotImplementedError' || name === 'builtins.NotImplementedError' ? 'not_implemented' : undefined;
    }
    return undefined;
  }

  selfName(def: number): string {
    const params = this.child(def, F.PARAMETERS);
    if (params < 0) return 'self';
    const p = this.firstItem(params);
    if (p < 0) return 'self';
    const k = this.f.kind[p];
    if (k === K.IDENT) return this.src(p);
    const n = this.firstItem(p);
    return n >= 0 && this.f.kind[n] === K.IDENT ? this.src(n) : 'self';
  }

  /** Every statement only stores on self, calls super().__init__ / Base.__init__, or is pass/docstring. */
  trivialInit(def: number, stmts: number[]): boolean {
    const self = this.selfName(def);
    const isSelfAttr = (t: number): boolean => {
      if (this.f.kind[t] !== K.ATTRIBUTE) return false;
      const o = this.child(t, F.OBJECT);
      return o >= 0 && this.f.kind[o] === K.IDENT && this.src(o) === self;
    };
    for (const s of stmts) {
      const k = this.f.kind[s];
      if (k === K.PASS) continue;
      if (k !== K.EXPR_STMT) return false;
      const items = this.items(s);
      if (items.length !== 1) return false;
      const e = items[0];
      const ek = this.f.kind[e];
      if (ek === K.ASSIGNMENT) {
        let a = e;
        while (a >= 0 && this.f.kind[a] === K.ASSIGNMENT) {
          const left = this.child(a, F.LEFT);
          if (left < 0) return false;
          const targets = this.f.kind[left] === K.PATTERN_LIST || this.f.kind[left] === K.TUPLE_PATTERN ? this.items(left) : [left];
          if (!targets.every(isSelfAttr)) return false;
          a = this.child(a, F.RIGHT);
        }
        continue;
      }
      if (ek === K.CALL) {
        const fn = this.child(e, F.FUNCTION);
        if (fn >= 0 && this.f.kind[fn] === K.ATTRIBUTE) {
          const attr = this.child(fn, F.ATTRIBUTE);
          if (attr >= 0 && this.src(attr) === '__init__') continue;
        }
        return false;
      }
      if (ek === K.STRING || ek === K.CONCAT_STRING) continue;
      return false;
    }
    return true;
  }

  definition(i: number): void {
    const f = this.f;
    const isClass = f.kind[i] === K.CLASS;
    const nameNode = this.child(i, F.NAME);
    const parentQual = this.scopeName(i);
    if (nameNode < 0) {
      this.qual.set(i, parentQual);
      return;
    }
    const name = this.src(nameNode);
    const qualName = parentQual ? parentQual + '.' + name : name;
    this.qual.set(i, qualName);
    const enclosing = this.scope[i];
    const decorators: string[] = [];
    const p = f.parent[i];
    if (p >= 0 && f.kind[p] === K.DECORATED) {
      for (let c = f.first[p]; c !== -1; c = f.next[c]) {
        if (f.kind[c] !== K.DECORATOR) continue;
        let e = this.firstItem(c);
        if (e < 0) continue;
        if (f.kind[e] === K.CALL) e = this.child(e, F.FUNCTION);
        if (e < 0) continue;
        // `@name.attr(...)` -> name.attr; any other expression (PEP 614) as short text
        const ek = f.kind[e];
        decorators.push(ek === K.IDENT || ek === K.ATTRIBUTE ? this.render(e, RENDER_CALLEE) : short(this.src(e)));
      }
    }
    const bases: string[] = [];
    if (isClass) {
      const sup = this.child(i, F.SUPERCLASSES);
      if (sup >= 0) {
        for (const b of this.items(sup)) {
          const bk = f.kind[b];
          if (bk === K.KEYWORD_ARG || bk === K.DICT_SPLAT) continue; // metaclass=..., **kw
          if (bk === K.IDENT || bk === K.ATTRIBUTE || bk === K.CALL || bk === K.PAREN) bases.push(this.render(b, RENDER_CALLEE));
          else if (bk === K.SUBSCRIPT) {
            // Generic[T] -> typing.Generic, List[T][U] -> typing.List
            let v = b;
            for (let guard = 0; v >= 0 && f.kind[v] === K.SUBSCRIPT && guard < MAX_CHAIN; guard++) v = this.child(v, F.VALUE);
            bases.push(v >= 0 ? this.render(v, RENDER_CALLEE) : short(this.src(b)));
          } else bases.push(short(this.src(b)));
        }
      }
    }
    const body = this.child(i, F.BODY);
    const stmts = body >= 0 ? this.items(body) : [];
    const docstring = stmts.length > 0 && this.isDocstring(stmts[0]);
    const rest = docstring ? stmts.slice(1) : stmts;
    let stubKind: DefinitionFact['stubKind'];
    if (rest.length === 0) stubKind = 'empty_body';
    else {
      for (const s of rest) {
        const sk = this.stubStatement(s);
        if (sk === undefined) {
          stubKind = undefined;
          break;
        }
        if (stubKind === undefined || sk === 'not_implemented' || (sk === 'ellipsis' && stubKind === 'pass')) stubKind = sk;
      }
    }
    // A class with bases and an empty body is a legitimate specialisation (exceptions, mixins, Protocol).
    if (isClass && bases.some((b) => b !== 'object')) stubKind = undefined;
    const kind: DefinitionFact['kind'] = isClass
      ? 'class'
      : enclosing >= 0 && f.kind[enclosing] === K.CLASS
        ? 'method'
        : 'function';
    const def: DefinitionFact = {
      name,
      qualName,
      kind,
      line: this.line(f.start[i]),
      endLine: this.endLine(i),
      bases,
      decorators,
      stub: stubKind !== undefined,
      docstring,
      exported: enclosing < 0 && !name.startsWith('_'),
      parent: parentQual,
    };
    if (stubKind !== undefined) def.stubKind = stubKind;
    if (decorators.some(isAbstractDecorator)) def.abstract = true;
    if (kind === 'method' && name === '__init__') def.trivialInit = this.trivialInit(i, rest);
    if (!isClass) def.async = this.text.startsWith('async', f.start[i]);
    this.facts.definitions.push(def);
  }

  // ---- calls ------------------------------------------------------------------------------

  call(i: number): void {
    const f = this.f;
    const fn = this.child(i, F.FUNCTION);
    const callee = fn >= 0 ? this.render(fn, RENDER_CALLEE) : '?';
    const args: string[] = [];
    const kwargs: Record<string, string> = {};
    const a = this.child(i, F.ARGUMENTS);
    if (a >= 0) {
      if (f.kind[a] === K.ARGUMENT_LIST) {
        for (const c of this.items(a)) {
          const k = f.kind[c];
          if (k === K.KEYWORD_ARG) {
            const n = this.child(c, F.NAME);
            const v = this.child(c, F.VALUE);
            if (n < 0) continue;
            const key = this.src(n);
            if (key === '__proto__') continue;
            kwargs[key] = v >= 0 ? short(this.src(v)) : '';
          } else if (k !== K.DICT_SPLAT) args.push(short(this.src(c)));
        }
      } else args.push(short(this.src(a)));
    }
    const line = fn >= 0 ? this.endLine(fn) : this.line(f.start[i]);
    const fact: CallFact = { callee, line, args, kwargs, scope: this.scopeName(i) };
    this.facts.calls.push(fact);
  }

  // ---- assignments ------------------------------------------------------------------------

  assignment(i: number, moduleVars: Set<string>): void {
    const f = this.f;
    const left = this.child(i, F.LEFT);
    if (left < 0) return;
    let value = this.child(i, F.RIGHT);
    if (f.kind[i] === K.ASSIGNMENT) {
      while (value >= 0 && f.kind[value] === K.ASSIGNMENT) value = this.child(value, F.RIGHT);
    }
    const scope = this.scopeName(i);
    const atModule = this.scope[i] < 0 && f.kind[i] === K.ASSIGNMENT;
    // Expand tuple/list targets, pairing with a same-length tuple value when possible.
    const work: [number, number][] = [[left, value]];
    for (let guard = 0; work.length > 0 && guard < 10_000; guard++) {
      const [t, v] = work.pop() as [number, number];
      const tk = f.kind[t];
      if (tk === K.PATTERN_LIST || tk === K.TUPLE_PATTERN || tk === K.LIST_PATTERN || tk === K.TUPLE || tk === K.LIST || tk === K.EXPR_LIST) {
        const ts = this.items(t);
        let vs: number[] | undefined;
        if (v >= 0) {
          const vk = f.kind[v];
          if (vk === K.EXPR_LIST || vk === K.TUPLE || vk === K.LIST) {
            vs = this.items(v);
            if (vs.length !== ts.length) vs = undefined;
          }
        }
        for (let j = ts.length - 1; j >= 0; j--) work.push([ts[j], vs ? vs[j] : v]);
        continue;
      }
      if (tk === K.LIST_SPLAT_PATTERN || tk === K.PAREN) {
        const inner = this.firstItem(t);
        if (inner >= 0) work.push([inner, v]);
        continue;
      }
      if (tk !== K.IDENT && tk !== K.ATTRIBUTE && tk !== K.SUBSCRIPT) continue;
      const line = this.line(f.start[t]);
      if (atModule && tk === K.IDENT) {
        const name = this.src(t);
        if (!moduleVars.has(name)) {
          moduleVars.add(name);
          this.facts.definitions.push({
            name,
            qualName: name,
            kind: 'variable',
            line,
            endLine: this.endLine(i),
            bases: [],
            decorators: [],
            stub: false,
            docstring: false,
            exported: !name.startsWith('_'),
            parent: '',
          });
        }
      }
      if (v < 0) continue; // annotation without a value
      this.facts.assignments.push({
        target: this.render(t, RENDER_TARGET),
        line,
        value: short(this.src(v)),
        valueKind: this.valueKind(v),
        scope,
      });
    }
  }

  // ---- main pass --------------------------------------------------------------------------

  run(importNodes: number[]): void {
    const f = this.f;
    const n = f.n;
    this.scope = new Int32Array(n);
    if (n > 0) this.scope[0] = -1;
    for (let i = 1; i < n; i++) {
      const p = f.parent[i];
      const pk = f.kind[p];
      this.scope[i] = (pk === K.FUNC || pk === K.CLASS) && f.field[i] === F.BODY ? p : this.scope[p];
    }
    this.imports(importNodes);
    const seen = new Set<string>();
    const moduleVars = new Set<string>();
    const facts = this.facts;
    for (let i = 0; i < n; i++) {
      switch (f.kind[i]) {
        case K.IDENT: {
          if (seen.size >= MAX_NAMES) break;
          const name = this.src(i);
          if (name && !seen.has(name) && !PY_KEYWORDS.has(name)) {
            seen.add(name);
            facts.names.push({ name, line: this.line(f.start[i]), scope: this.scopeName(i) });
          }
          break;
        }
        case K.CALL:
          this.call(i);
          break;
        case K.FUNC:
        case K.CLASS:
          this.definition(i);
          break;
        case K.ASSIGNMENT:
        case K.AUG_ASSIGNMENT:
          this.assignment(i, moduleVars);
          break;
        case K.COMMENT:
          scanComment(this.src(i), this.line(f.start[i]), facts);
          break;
        default:
          break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Entry point

function collectImports(f: Flat): number[] {
  const out: number[] = [];
  for (let i = 0; i < f.n; i++) {
    const k = f.kind[i];
    if (k === K.IMPORT || k === K.IMPORT_FROM || k === K.FUTURE_IMPORT) out.push(i);
  }
  return out;
}

/** Outermost ERROR nodes' share of the text, and the offset of the first error (innermost along the first path). */
function errorStats(f: Flat, errors: number[], firstMissing: number, textLength: number): { share: number; offset: number } {
  if (errors.length === 0) return { share: 0, offset: firstMissing };
  // Subtree end (last descendant index) for the error nodes only, via parent links in reverse.
  const subEnd = new Int32Array(f.n);
  for (let i = 0; i < f.n; i++) subEnd[i] = i;
  for (let i = f.n - 1; i > 0; i--) {
    const p = f.parent[i];
    if (subEnd[i] > subEnd[p]) subEnd[p] = subEnd[i];
  }
  let covered = 0;
  let outerEnd = -1;
  for (const e of errors) {
    if (e > outerEnd) {
      covered += f.end[e] - f.start[e];
      outerEnd = subEnd[e];
    }
  }
  let cur = errors[0];
  for (let k = 1; k < errors.length && errors[k] <= subEnd[cur]; k++) cur = errors[k];
  let offset = f.start[cur];
  if (firstMissing >= 0 && firstMissing < offset) offset = firstMissing;
  return { share: textLength > 0 ? covered / textLength : 0, offset };
}

/** Merge the definitions and imports the fallback found that the error-tolerant tree lost. */
function mergeFallback(facts: FileFacts, scratch: FileFacts): void {
  const defKeys = new Set(facts.definitions.map((d) => (d.kind === 'variable' ? 'v:' + d.name : d.name + ':' + d.line)));
  let added = false;
  for (const d of scratch.definitions) {
    const key = d.kind === 'variable' ? 'v:' + d.name : d.name + ':' + d.line;
    if (defKeys.has(key)) continue;
    defKeys.add(key);
    facts.definitions.push(d);
    added = true;
  }
  if (added) facts.definitions.sort((a, b) => a.line - b.line);
  const impKeys = new Set(facts.imports.map((m) => m.module + ':' + m.line));
  let addedImp = false;
  for (const m of scratch.imports) {
    if (impKeys.has(m.module + ':' + m.line)) continue;
    impKeys.add(m.module + ':' + m.line);
    facts.imports.push(m);
    addedImp = true;
  }
  if (addedImp) facts.imports.sort((a, b) => a.line - b.line);
}

interface Mark {
  imports: number;
  definitions: number;
  calls: number;
  assignments: number;
  names: number;
  markers: number;
  suppressions: number;
  issues: number;
}

function rollback(facts: FileFacts, mark: Mark): void {
  facts.imports.length = mark.imports;
  facts.definitions.length = mark.definitions;
  facts.calls.length = mark.calls;
  facts.assignments.length = mark.assignments;
  facts.names.length = mark.names;
  facts.markers.length = mark.markers;
  facts.suppressions.length = mark.suppressions;
  facts.issues.length = mark.issues;
}

function scratchOf(facts: FileFacts): FileFacts {
  return {
    ...facts,
    imports: [],
    definitions: [],
    calls: [],
    assignments: [],
    names: [],
    markers: [],
    suppressions: [],
    issues: [],
    headings: [],
    configKeys: [],
    requirements: [],
  };
}

function parseWithTree(p: Parser, text: string, facts: FileFacts, opts: PythonParseOptions): void {
  const deadline = performance.now() + PARSE_BUDGET_MS;
  p.reset();
  const tree = p.parse(text, null, { progressCallback: () => performance.now() > deadline });
  if (!tree) {
    p.reset();
    parsePythonFallback(text, facts, { reason: `Python parse exceeded its time budget (${PARSE_BUDGET_MS / 1000} s)`, lineMap: opts.lineMap });
    return;
  }
  let walk: WalkResult;
  try {
    walk = flatten(tree, text.length);
  } finally {
    tree.delete();
  }
  const { flat, errors, firstMissing } = walk;
  const hasError = errors.length > 0 || firstMissing >= 0;
  let errLine = 0;
  if (hasError) {
    const stats = errorStats(flat, errors, firstMissing, text.length);
    const l = lineOf(lineStarts(text), Math.max(0, stats.offset));
    errLine = opts.lineMap ? opts.lineMap(l) : l;
    if (stats.share > UNUSABLE_ERROR_SHARE) {
      parsePythonFallback(text, facts, {
        reason: `Python syntax error near line ${errLine} left most of the file unparsed`,
        lineMap: opts.lineMap,
      });
      return;
    }
  }
  facts.parser = 'tree-sitter';
  facts.lines = countLines(text, 'hash');
  new Extractor(flat, text, facts, opts.lineMap).run(collectImports(flat));
  if (hasError) {
    facts.issues.push({
      step: PARSE_STEP,
      path: facts.path,
      message: `Python syntax error near line ${errLine}: facts come from the error-tolerant tree and may be incomplete around it`,
      context: 'Parsing Python source into facts',
    });
    const scratch = scratchOf(facts);
    parsePythonFallback(text, scratch, { lineMap: opts.lineMap, silent: true });
    mergeFallback(facts, scratch);
  }
}

/**
 * Fill `facts` from Python source. Never throws. `opts.forceFallback` uses the lexical scanner;
 * `opts.lineMap` maps every reported line (notebooks).
 */
export function parsePython(text: string, facts: FileFacts, opts: PythonParseOptions = {}): void {
  const start = facts.definitions.length;
  parsePythonGuarded(text, facts, opts);
  // Type stub files (.pyi) only declare interfaces: their `...` bodies are not stubs.
  if (facts.path.endsWith('.pyi')) {
    for (let i = start; i < facts.definitions.length; i++) {
      facts.definitions[i].stub = false;
      delete facts.definitions[i].stubKind;
    }
  }
}

function parsePythonGuarded(text: string, facts: FileFacts, opts: PythonParseOptions): void {
  const mark: Mark = {
    imports: facts.imports.length,
    definitions: facts.definitions.length,
    calls: facts.calls.length,
    assignments: facts.assignments.length,
    names: facts.names.length,
    markers: facts.markers.length,
    suppressions: facts.suppressions.length,
    issues: facts.issues.length,
  };
  try {
    if (opts.forceFallback) {
      parsePythonFallback(text, facts, { reason: 'Python fallback scanner forced', lineMap: opts.lineMap });
      return;
    }
    if (!parser) {
      const why = grammarError
        ? `Python grammar could not load (${grammarError})`
        : 'Python grammar could not load (initPython() was not called)';
      parsePythonFallback(text, facts, { reason: why, lineMap: opts.lineMap });
      return;
    }
    parseWithTree(parser, text, facts, opts);
  } catch (e) {
    // A bug must not lose the file: roll back what was added and use the fallback.
    rollback(facts, mark);
    const msg = sanitize(e instanceof Error ? e.message : String(e));
    try {
      parsePythonFallback(text, facts, { reason: `Python parser failed internally (${msg})`, lineMap: opts.lineMap });
    } catch (e2) {
      rollback(facts, mark);
      facts.parser = 'none';
      facts.issues.push({
        step: PARSE_STEP,
        path: facts.path,
        message: `Python parsing failed: ${sanitize(e2 instanceof Error ? e2.message : String(e2))}`,
      });
    }
  }
}
