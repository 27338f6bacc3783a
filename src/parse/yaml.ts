import type { FileFacts } from '../facts/types.js';
import { FactRecorder, emptyCounts, joinKey, segmentText, splitLines, tally } from './text.js';

/**
 * YAML reader: flattened key paths, one line at a time, by indentation. Not a YAML parser: it reads the
 * shapes config files use and never builds a tree.
 *
 * Keys (ConfigKeyFact):
 * - block mappings: every key, nested keys joined by `.`: `a:\n  b: 1` -> `a` (line 1), `a.b` = `1`;
 * - sequence items as a `[]` segment, one fact per item: `defaults:\n  - model: x` -> `defaults`,
 *   `defaults.[]`, `defaults.[].model` = `x`; a root sequence is `[]`;
 * - flow collections (`{a: 1}`, `[x, y]`, also over several lines) two levels deep: `opt: {lr: 1}` ->
 *   `opt`, `opt.lr` = `1`; `tags: [a, b]` -> `tags`, `tags.[]` = `a`, `tags.[]` = `b`;
 * - values: the scalar text, quotes removed, at most 120 chars; none for collections and block
 *   scalars (`|`, `>`, whose lines are skipped); an alias is kept as written (`*base`): anchors and
 *   aliases are never expanded, so an alias bomb costs its own length;
 * - `---` starts a new document (paths restart at the root); keys of all documents are kept.
 * Markers and suppressions come from real comments only (`#` at a line start or after white space,
 * outside quotes and block scalars).
 * Problems recorded as issues (reading goes on): tabs in indentation, a key inside a scalar value,
 * inconsistent indentation, unterminated quotes or flow collections, mismatched brackets.
 */
export function parseYaml(text: string, facts: FileFacts): void {
  facts.parser = 'reader';
  const out = new FactRecorder(facts, 'YAML');
  try {
    new YamlReader(out).read(text);
  } catch (err) {
    out.internalError(err);
  }
}

/** An open node of the block structure: a mapping key or a sequence item. */
interface Entry {
  /** Column of the key or of the `-`; -1 for the document root. */
  indent: number;
  path: string;
  seq: boolean;
  /** Has an inline value: nothing may nest under it. */
  scalar: boolean;
  /** Column of its first child (-1: none yet), and whether that child was a sequence item. */
  childIndent: number;
  childSeq: boolean;
}

interface FlowFrame {
  kind: 'map' | 'seq';
  /** Path of the collection; null once below the recorded depth. */
  path: string | null;
  depth: number;
  /** A key read, waiting for its value. */
  pendingKey: string | null;
  pendingLine: number;
}

/** Flow nesting kept with its bracket kinds; deeper levels are only counted. */
const MAX_FLOW_FRAMES = 1000;
/** `- - - x` levels read on one line. */
const MAX_INLINE_ITEMS = 100;
/** Flow levels whose entries are recorded. */
const FLOW_RECORD_DEPTH = 2;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** `---` (document start) or `...` (document end) at column 1. */
function isDocumentMarker(line: string): boolean {
  return (line.startsWith('---') || line.startsWith('...')) && (line.length === 3 || isSpace(line[3]));
}

/** Index of the closing quote of a quoted scalar whose content starts at `from`, or -1. */
function closingQuote(line: string, from: number, q: string): number {
  let i = from;
  const n = line.length;
  if (q === '"') {
    while (i < n) {
      const c = line.charCodeAt(i);
      if (c === 92 /* \ */) i += 2;
      else if (c === 34 /* " */) return i;
      else i++;
    }
    return -1;
  }
  while (i < n) {
    const j = line.indexOf("'", i);
    if (j === -1) return -1;
    if (line[j + 1] === "'") i = j + 2;
    else return j;
  }
  return -1;
}

function unquote(inner: string, q: string): string {
  const s = inner.length > 1000 ? inner.slice(0, 1000) : inner;
  if (q === '"') return s.includes('\\') ? s.replace(/\\(["\\/])/g, '$1') : s;
  return s.includes("''") ? s.replace(/''/g, "'") : s;
}

/** Start of a comment at or after `from`: `#` at `from` or after white space; -1 when none. */
function commentAt(line: string, from: number): number {
  let i = line.indexOf('#', from);
  while (i !== -1) {
    if (i === from || isSpace(line[i - 1])) return i;
    i = line.indexOf('#', i + 1);
  }
  return -1;
}

class YamlReader {
  private stack: Entry[] = [];
  /** Inside a block scalar: lines indented deeper than this column belong to it. */
  private blockIndent: number | null = null;
  /** Inside a quoted scalar that continues on the next line. */
  private quote: { ch: string; line: number } | null = null;
  private flow: FlowReader | null = null;
  private tabReported = false;

  constructor(private readonly out: FactRecorder) {
    this.resetDocument();
  }

  private resetDocument(): void {
    this.stack = [{ indent: -1, path: '', seq: false, scalar: false, childIndent: -1, childSeq: false }];
  }

  read(text: string): void {
    const counts = emptyCounts();
    const lines = text.length === 0 ? [] : splitLines(text);
    for (let i = 0; i < lines.length; i++) {
      tally(counts, this.readLine(lines[i], i + 1));
    }
    this.out.facts.lines = counts;
    if (this.quote) this.out.issue(this.quote.line, 'quoted scalar not closed before the end of the file');
    if (this.flow) this.flow.end();
  }

  private comment(line: string, at: number, lineNo: number): void {
    this.out.comment(line.slice(at), lineNo);
  }

  private readLine(line: string, lineNo: number): 'code' | 'comment' | 'blank' {
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    let first = indent;
    while (first < line.length && isSpace(line[first])) first++;
    const blank = first === line.length;

    if (this.blockIndent !== null) {
      if (blank) return 'blank';
      if (indent > this.blockIndent && !(indent === 0 && isDocumentMarker(line))) return 'code';
      this.blockIndent = null;
    }
    if (this.quote) {
      const end = closingQuote(line, 0, this.quote.ch);
      if (end === -1) return blank ? 'blank' : 'code';
      this.quote = null;
      const c = commentAt(line, end + 1);
      if (c !== -1) this.comment(line, c, lineNo);
      return 'code';
    }
    if (this.flow) {
      const r = this.flow.feed(line, 0, lineNo);
      if (r.closedAt !== -1) {
        this.flow = null;
        const c = commentAt(line, r.closedAt);
        if (c !== -1) this.comment(line, c, lineNo);
      }
      if (blank) return 'blank';
      return r.onlyComment ? 'comment' : 'code';
    }

    if (blank) return 'blank';
    if (line[indent] === '\t') {
      if (!this.tabReported) {
        this.tabReported = true;
        this.out.issue(lineNo, 'tab character in indentation (YAML allows spaces only)');
      }
      indent = first;
    }
    if (line[indent] === '#') {
      this.comment(line, indent, lineNo);
      return 'comment';
    }
    if (indent === 0 && isDocumentMarker(line)) {
      this.resetDocument();
      this.blockIndent = null;
      const c = commentAt(line, 3);
      if (c !== -1) this.comment(line, c, lineNo);
      else if (line.slice(3).trim().startsWith('|') || line.slice(3).trim().startsWith('>')) this.blockIndent = -1;
      return 'code';
    }
    if (indent === 0 && line[0] === '%') return 'code';
    this.readNode(line, indent, lineNo);
    return 'code';
  }

  private top(): Entry {
    return this.stack[this.stack.length - 1];
  }

  /** Attach a new child at column `col` to the entry now on top, checking the indentation. */
  private attach(col: number, seq: boolean, lineNo: number): Entry | null {
    const parent = this.top();
    if (parent.scalar) {
      this.out.issue(lineNo, seq ? 'sequence item under a key that already has a value' : 'mapping key under a key that already has a value');
      return null;
    }
    if (parent.childIndent === -1) {
      parent.childIndent = col;
      parent.childSeq = seq;
    } else if (parent.childIndent !== col) {
      this.out.issue(lineNo, `inconsistent indentation (column ${col + 1}, siblings at column ${parent.childIndent + 1})`);
    } else if (parent.childSeq !== seq) {
      this.out.issue(lineNo, seq ? 'sequence item among mapping keys' : 'mapping key among sequence items');
    }
    return parent;
  }

  private readNode(line: string, start: number, lineNo: number): void {
    let pos = start;
    // `- - a: 1` nests on one line: loop instead of recursing, a bounded number of times (each turn
    // looks for a key in the rest of the line).
    for (let turn = 0; ; turn++) {
      if (turn === MAX_INLINE_ITEMS) {
        this.out.issue(lineNo, `more than ${MAX_INLINE_ITEMS} sequence items nested on one line; the rest of the line is skipped`);
        return;
      }
      if (line[pos] === '-' && (pos + 1 === line.length || isSpace(line[pos + 1]))) {
        while (this.stack.length > 1) {
          const t = this.top();
          if (t.indent > pos || (t.indent === pos && t.seq)) this.stack.pop();
          else break;
        }
        const parent = this.attach(pos, true, lineNo);
        if (!parent) return;
        const path = parent.path ? parent.path + '.[]' : '[]';
        const entry: Entry = { indent: pos, path, seq: true, scalar: false, childIndent: -1, childSeq: false };
        this.stack.push(entry);
        let v = pos + 1;
        while (isSpace(line[v])) v++;
        if (v >= line.length || line[v] === '#') {
          this.out.key(path, lineNo);
          if (v < line.length) this.comment(line, v, lineNo);
          return;
        }
        if ((line[v] === '-' && (v + 1 === line.length || isSpace(line[v + 1]))) || findKey(line, v)) {
          this.out.key(path, lineNo);
          pos = v;
          continue;
        }
        this.readValue(entry, line, v, lineNo, true);
        return;
      }

      const k = findKey(line, pos);
      if (!k) {
        // A value on its own line: a continued plain scalar, or a flow/quoted value of the key above.
        while (this.stack.length > 1 && this.top().indent >= pos) this.stack.pop();
        const holder = this.top();
        const c = line[pos];
        if (c === '[' || c === '{' || c === '"' || c === "'") {
          if (holder.indent === -1 || !holder.scalar) this.readValue(holder, line, pos, lineNo, false);
          else this.out.issue(lineNo, 'value after a key that already has a value');
          return;
        }
        const cm = commentAt(line, pos);
        if (cm !== -1) this.comment(line, cm, lineNo);
        return;
      }
      while (this.stack.length > 1 && this.top().indent >= pos) this.stack.pop();
      const parent = this.attach(pos, false, lineNo);
      if (!parent) return;
      const path = joinKey(parent.path, k.key);
      const entry: Entry = { indent: pos, path, seq: false, scalar: false, childIndent: -1, childSeq: false };
      this.stack.push(entry);
      let v = k.valueStart;
      while (isSpace(line[v])) v++;
      if (v >= line.length || line[v] === '#') {
        this.out.key(path, lineNo);
        if (v < line.length) this.comment(line, v, lineNo);
        return;
      }
      this.readValue(entry, line, v, lineNo, true);
      return;
    }
  }

  /** Read the inline value of `entry` starting at `pos`, recording the entry's key when `record`. */
  private readValue(entry: Entry, line: string, pos: number, lineNo: number, record: boolean): void {
    // Properties: anchors and tags, never resolved.
    for (let guard = 0; guard < 4 && (line[pos] === '&' || line[pos] === '!'); guard++) {
      while (pos < line.length && !isSpace(line[pos])) pos++;
      while (isSpace(line[pos])) pos++;
    }
    if (pos >= line.length || line[pos] === '#') {
      if (record) this.out.key(entry.path, lineNo);
      if (pos < line.length) this.comment(line, pos, lineNo);
      return;
    }
    entry.scalar = true;
    const c = line[pos];
    if (c === '|' || c === '>') {
      if (record) this.out.key(entry.path, lineNo);
      this.blockIndent = entry.indent;
      const cm = commentAt(line, pos + 1);
      if (cm !== -1) this.comment(line, cm, lineNo);
      return;
    }
    if (c === '"' || c === "'") {
      const end = closingQuote(line, pos + 1, c);
      if (end === -1) {
        if (record) this.out.key(entry.path, lineNo, unquote(line.slice(pos + 1), c));
        this.quote = { ch: c, line: lineNo };
        return;
      }
      if (record) this.out.key(entry.path, lineNo, unquote(line.slice(pos + 1, end), c));
      const cm = commentAt(line, end + 1);
      if (cm !== -1) this.comment(line, cm, lineNo);
      return;
    }
    if (c === '[' || c === '{') {
      if (record) this.out.key(entry.path, lineNo);
      const flow = new FlowReader(this.out, entry.path, lineNo);
      const r = flow.feed(line, pos, lineNo);
      if (r.closedAt === -1) this.flow = flow;
      else {
        const cm = commentAt(line, r.closedAt);
        if (cm !== -1) this.comment(line, cm, lineNo);
      }
      return;
    }
    const cm = commentAt(line, pos);
    const value = (cm === -1 ? line.slice(pos) : line.slice(pos, cm)).trim();
    if (record) this.out.key(entry.path, lineNo, value);
    if (cm !== -1) this.comment(line, cm, lineNo);
  }
}

/**
 * A block mapping key at `pos`: a quoted key followed by `:`, or plain text up to the first `:` followed
 * by white space or the line end. Null when the line holds no key there.
 */
function findKey(line: string, pos: number): { key: string; valueStart: number } | null {
  const c = line[pos];
  if (c === '"' || c === "'") {
    const end = closingQuote(line, pos + 1, c);
    if (end === -1) return null;
    let j = end + 1;
    while (isSpace(line[j])) j++;
    if (line[j] !== ':') return null;
    return { key: segmentText(unquote(line.slice(pos + 1, end), c)), valueStart: j + 1 };
  }
  if (c === undefined || '[]{},#|>*&!%@`?'.includes(c)) return null;
  if (c === '-' && (pos + 1 === line.length || isSpace(line[pos + 1]))) return null;
  let i = line.indexOf(':', pos);
  while (i !== -1) {
    const next = line[i + 1];
    if (next === undefined || isSpace(next)) {
      const cm = commentAt(line, pos);
      if (cm !== -1 && cm < i) return null;
      const key = segmentText(line.slice(pos, i));
      return key ? { key, valueStart: i + 1 } : null;
    }
    i = line.indexOf(':', i + 1);
  }
  return null;
}

/**
 * Flow collections (`{...}`, `[...]`), fed line by line. Entries of the first two levels are recorded;
 * deeper levels are scanned for brackets only.
 */
class FlowReader {
  private frames: FlowFrame[] = [];
  /** Levels beyond MAX_FLOW_FRAMES, counted without their kinds. */
  private overflow = 0;
  private quote: { ch: string; line: number } | null = null;
  private deepReported = false;

  constructor(
    private readonly out: FactRecorder,
    private readonly basePath: string,
    private readonly startLine: number,
  ) {}

  private keyBase(f: FlowFrame): string | null {
    if (f.path === null) return null;
    if (f.kind === 'map') return f.path;
    return f.path ? f.path + '.[]' : '[]';
  }

  /** Record a scalar (value) or collection start (value undefined) in the top frame. */
  private entry(f: FlowFrame, value: string | undefined, lineNo: number): void {
    const base = this.keyBase(f);
    if (base === null) return;
    if (f.pendingKey !== null) {
      this.out.key(joinKey(base, f.pendingKey), f.pendingLine, value);
      f.pendingKey = null;
    } else if (f.kind === 'seq') {
      this.out.key(base, lineNo, value);
    }
    // A map entry with no key (`{: x}`) is not recorded.
  }

  private childPath(f: FlowFrame): string | null {
    const base = this.keyBase(f);
    if (base === null || f.depth >= FLOW_RECORD_DEPTH) return null;
    if (f.pendingKey !== null) return joinKey(base, f.pendingKey);
    return f.kind === 'seq' ? base : null;
  }

  private open(kind: 'map' | 'seq', lineNo: number): void {
    if (this.overflow > 0 || this.frames.length >= MAX_FLOW_FRAMES) {
      this.overflow++;
      if (!this.deepReported) {
        this.deepReported = true;
        this.out.issue(lineNo, `flow collection nested deeper than ${MAX_FLOW_FRAMES} levels; inner levels only counted`);
      }
      return;
    }
    const parent = this.frames[this.frames.length - 1];
    let path: string | null = this.basePath;
    if (parent) {
      path = this.childPath(parent);
      // The key holding the nested collection is recorded even when its contents are too deep to be.
      if (this.keyBase(parent) !== null) this.entry(parent, undefined, lineNo);
      else parent.pendingKey = null;
    }
    this.frames.push({ kind, path, depth: parent ? parent.depth + 1 : 1, pendingKey: null, pendingLine: lineNo });
  }

  private close(kind: 'map' | 'seq', lineNo: number): void {
    if (this.overflow > 0) {
      this.overflow--;
      return;
    }
    const f = this.frames.pop();
    if (!f) return;
    if (f.kind !== kind) this.out.issue(lineNo, `'${kind === 'map' ? '}' : ']'}' closes a '${f.kind === 'map' ? '{' : '['}'`);
    if (f.pendingKey !== null) this.entry(f, undefined, lineNo);
  }

  private scalar(token: string, lineNo: number, line: string, after: number): number {
    const f = this.frames[this.frames.length - 1];
    if (!f || this.overflow > 0) return after;
    let j = after;
    while (isSpace(line[j])) j++;
    if (line[j] === ':' && f.pendingKey === null) {
      f.pendingKey = segmentText(token);
      f.pendingLine = lineNo;
      if (f.kind === 'seq') {
        const base = this.keyBase(f);
        if (base !== null) this.out.key(base, lineNo);
      }
      return j + 1;
    }
    if (f.kind === 'map' && f.pendingKey === null) {
      // `{a, b}`: a key without a value.
      f.pendingKey = segmentText(token);
      f.pendingLine = lineNo;
      this.entry(f, undefined, lineNo);
      return after;
    }
    this.entry(f, token, lineNo);
    if (f.kind === 'seq') f.pendingKey = null;
    return after;
  }

  /** Feed one line from `pos`; `closedAt` is the index after the outermost closing bracket, or -1. */
  feed(line: string, pos: number, lineNo: number): { closedAt: number; onlyComment: boolean } {
    let i = pos;
    const n = line.length;
    let sawCode = false;
    if (this.quote) {
      const end = closingQuote(line, 0, this.quote.ch);
      if (end === -1) return { closedAt: -1, onlyComment: false };
      this.quote = null;
      i = end + 1;
      sawCode = true;
    }
    while (i < n) {
      const c = line[i];
      if (c === ' ' || c === '\t') {
        i++;
        continue;
      }
      if (c === '#' && (i === 0 || isSpace(line[i - 1]))) {
        this.out.comment(line.slice(i), lineNo);
        return { closedAt: -1, onlyComment: !sawCode };
      }
      sawCode = true;
      if (c === '{' || c === '[') {
        this.open(c === '{' ? 'map' : 'seq', lineNo);
        i++;
        continue;
      }
      if (c === '}' || c === ']') {
        this.close(c === '}' ? 'map' : 'seq', lineNo);
        i++;
        if (this.frames.length === 0 && this.overflow === 0) return { closedAt: i, onlyComment: false };
        continue;
      }
      if (c === ',') {
        const f = this.frames[this.frames.length - 1];
        if (f && this.overflow === 0 && f.pendingKey !== null) this.entry(f, undefined, lineNo);
        i++;
        continue;
      }
      if (c === ':') {
        // `{: x}` or a stray colon: skip it.
        i++;
        continue;
      }
      if (c === '"' || c === "'") {
        const end = closingQuote(line, i + 1, c);
        if (end === -1) {
          if (this.overflow === 0) {
            const f = this.frames[this.frames.length - 1];
            if (f) this.entry(f, unquote(line.slice(i + 1), c), lineNo);
          }
          this.quote = { ch: c, line: lineNo };
          return { closedAt: -1, onlyComment: false };
        }
        i = this.scalar(unquote(line.slice(i + 1, end), c), lineNo, line, end + 1);
        continue;
      }
      // Plain scalar: up to a flow indicator, `: `, or a comment.
      let j = i;
      while (j < n) {
        const d = line[j];
        if (d === ',' || d === '[' || d === ']' || d === '{' || d === '}') break;
        if (d === ':' && (j + 1 === n || isSpace(line[j + 1]) || ',[]{}'.includes(line[j + 1]))) break;
        if (d === '#' && isSpace(line[j - 1])) break;
        j++;
      }
      const token = line.slice(i, j).trim();
      if (token.startsWith('&') || token.startsWith('!')) {
        // An anchor or tag before a value: skip the property itself.
        let k = i;
        while (k < n && !isSpace(line[k]) && !',[]{}'.includes(line[k])) k++;
        i = k;
        continue;
      }
      i = this.scalar(token, lineNo, line, j);
    }
    return { closedAt: -1, onlyComment: !sawCode };
  }

  end(): void {
    if (this.quote) this.out.issue(this.quote.line, 'quoted scalar not closed before the end of the file');
    this.out.issue(this.startLine, 'flow collection not closed before the end of the file');
  }
}
