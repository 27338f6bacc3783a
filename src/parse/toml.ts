import type { FileFacts } from '../facts/types.js';
import { countLines } from './comments.js';
import { normaliseName, readRequirement } from './requirements.js';
import { FactRecorder, baseName, excerpt, joinKey, segmentText } from './text.js';

/**
 * TOML reader (pyproject.toml, Pipfile, tool configs): flattened key paths, no document tree.
 *
 * Keys (ConfigKeyFact):
 * - a table header records its full path at its line: `[tool.pytest.ini_options]` ->
 *   `tool.pytest.ini_options`; each key in it is `tool.pytest.ini_options.addopts` (value `-q`);
 * - implicit parent tables are recorded once, at their first line: `[tool.coverage.report]` also gives
 *   `tool` and `tool.coverage`; the same for dotted keys (`urls.homepage = ...` in `[project]` gives
 *   `project.urls` and `project.urls.homepage`);
 * - arrays of tables take a `[]` segment: `[[tool.mypy.overrides]]` -> `tool.mypy.overrides` (once),
 *   `tool.mypy.overrides.[]` (each header), keys `tool.mypy.overrides.[].module`; a sub-table of the
 *   last element, `[fruits.physical]` after `[[fruits]]`, is `fruits.[].physical`;
 * - arrays and inline tables are read two levels deep: `deps = ["a", {b = 1}]` -> `deps`,
 *   `deps.[]` = `a`, `deps.[]`, `deps.[].b` = `1`; deeper levels are skipped (scanned, not recorded);
 * - values: strings without quotes, other scalars as written, at most 120 chars; none for
 *   arrays and tables.
 * Requirements (RequirementFact) are recorded from `project.dependencies`,
 * `project.optional-dependencies.*`, `dependency-groups.*` (PEP 508 strings, as in requirements files),
 * `tool.poetry.dependencies`, `tool.poetry.dev-dependencies`, `tool.poetry.group.*.dependencies` (name =
 * key, spec = the version string or table `version`; poetry's bare `1.2.3` and `==1.2.3` are pinned;
 * `@url`/`@path` for git/url/path dependencies; `python` is skipped) and, in a Pipfile, `packages` and
 * `dev-packages`.
 * Markers come from `#` comments (not from `#` inside strings).
 */
export function parseToml(text: string, facts: FileFacts): void {
  facts.parser = 'reader';
  const out = new FactRecorder(facts, 'TOML');
  try {
    facts.lines = countLines(text, 'hash');
    new TomlReader(text, out, baseName(facts.path) === 'pipfile').read();
  } catch (err) {
    out.internalError(err);
  }
}

/** What a value turned out to be, with the depth-1 contents requirement readers need. */
interface ValueInfo {
  kind: 'string' | 'scalar' | 'array' | 'table' | 'error';
  text?: string;
  /** Array items at depth 1. */
  items?: { text?: string; isString: boolean; line: number }[];
  /** Inline-table scalar fields at depth 1. */
  fields?: Map<string, string>;
}

interface Frame {
  kind: 'array' | 'table';
  /** Path of this collection; null below the recorded depth. */
  path: string | null;
  depth: number;
  state: 'value' | 'sep' | 'key' | 'eq';
  key: string | null;
  keyLine: number;
  /** `path.[]`, built once per array. */
  itemPath?: string;
}

const MAX_FRAMES = 1000;
const RECORD_DEPTH = 2;
/** Cap on the depth-1 items/fields kept for requirement extraction. */
const MAX_COLLECTED = 20_000;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
/** `A-Za-z0-9_-` */
function isBareKeyChar(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45;
}
/** `A-Za-z0-9_+-.:` */
function isScalarChar(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45 || c === 43 || c === 46 || c === 58;
}
const SCALAR_RE =
  /^(?:true|false|[+-]?(?:inf|nan)|[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?|0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?|\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?)$/;

const POETRY_DEP_TABLE_RE = /^tool\.poetry\.(?:dependencies|dev-dependencies|group\.[^.]+\.dependencies)$/;
const PEP508_ARRAY_RE = /^(?:project\.dependencies|project\.optional-dependencies\.[^.]+|dependency-groups\.[^.]+)$/;
const POETRY_PIN_RE = /^(?:===?|=)?\s*v?\d+(?:\.\d+)*(?:[-+.]?[A-Za-z0-9]+)*$/;

class TomlReader {
  private pos = 0;
  private line = 1;
  private readonly n: number;
  private table = '';
  private readonly arrayTables = new Set<string>();
  private readonly seenTables = new Set<string>();
  private deepReported = false;

  constructor(
    private readonly text: string,
    private readonly out: FactRecorder,
    private readonly pipfile: boolean,
  ) {
    this.n = text.length;
  }

  read(): void {
    while (this.pos < this.n) {
      this.skipSpaces();
      if (this.pos >= this.n) break;
      const c = this.text[this.pos];
      if (c === '\n' || c === '\r') {
        this.newline();
        continue;
      }
      if (c === '#') {
        this.comment();
        continue;
      }
      const ok = c === '[' ? this.header() : this.keyValue();
      if (ok) this.endOfLine();
      else this.skipLine();
    }
  }

  // ---- low level -------------------------------------------------------------------------------

  private skipSpaces(): void {
    while (this.pos < this.n) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 32 || c === 9) this.pos++;
      else break;
    }
  }

  private newline(): void {
    if (this.text[this.pos] === '\r' && this.text[this.pos + 1] === '\n') this.pos++;
    this.pos++;
    this.line++;
  }

  private lineEnd(): number {
    const e = this.text.indexOf('\n', this.pos);
    return e === -1 ? this.n : e;
  }

  private comment(): void {
    const end = this.lineEnd();
    this.out.comment(this.text.slice(this.pos, end), this.line);
    this.pos = end;
  }

  private skipLine(): void {
    this.pos = this.lineEnd();
  }

  /** After a header or key/value: only a comment may follow on the line. */
  private endOfLine(): void {
    this.skipSpaces();
    if (this.pos >= this.n) return;
    const c = this.text[this.pos];
    if (c === '#') this.comment();
    else if (c !== '\n' && c !== '\r') {
      this.out.issue(this.line, `unexpected text after the value: ${excerpt(this.text.slice(this.pos, this.lineEnd()), 60)}`);
      this.skipLine();
    }
  }

  /** A dotted key: bare, "basic" or 'literal' segments. Null (issue recorded) when malformed. */
  private key(): string[] | null {
    const segs: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.text[this.pos];
      if (c === '"' || c === "'") {
        const s = this.singleLineString(c);
        if (s === null) return null;
        segs.push(segmentText(s));
      } else {
        const start = this.pos;
        while (this.pos < this.n && isBareKeyChar(this.text.charCodeAt(this.pos))) this.pos++;
        if (this.pos === start) {
          this.out.issue(this.line, c === undefined || c === '\n' || c === '\r' ? 'key expected' : `unexpected '${c}' where a key was expected`);
          return null;
        }
        segs.push(segmentText(this.text.slice(start, this.pos)));
      }
      this.skipSpaces();
      if (this.text[this.pos] !== '.') return segs;
      this.pos++;
    }
  }

  /** A "basic" or 'literal' string on one line, at the opening quote; its content, or null. */
  private singleLineString(q: string): string | null {
    const start = ++this.pos;
    const basic = q === '"';
    while (this.pos < this.n) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 10 || c === 13) break;
      if (basic && c === 92) {
        const d = this.text.charCodeAt(this.pos + 1);
        if (d === 10 || d === 13) break;
        this.pos += 2;
        continue;
      }
      if (this.text[this.pos] === q) {
        const raw = this.text.slice(start, Math.min(this.pos, start + 1000));
        this.pos++;
        return basic && raw.includes('\\') ? raw.replace(/\\(["\\])/g, '$1') : raw;
      }
      this.pos++;
    }
    this.out.issue(this.line, 'string not closed on its line');
    return null;
  }

  /** A multi-line string at its opening `"""`/`'''`; content (cut), or null when not closed. */
  private multiLineString(q: string): string | null {
    const startLine = this.line;
    this.pos += 3;
    const start = this.pos;
    const basic = q === '"';
    while (this.pos < this.n) {
      const c = this.text[this.pos];
      if (c === '\n') {
        this.line++;
        this.pos++;
        continue;
      }
      if (basic && c === '\\') {
        if (this.text[this.pos + 1] === '\n') this.line++;
        this.pos += 2;
        continue;
      }
      if (c === q && this.text[this.pos + 1] === q && this.text[this.pos + 2] === q) {
        let end = this.pos;
        this.pos += 3;
        // Up to two quotes may end the content itself: `""""` closes after one content quote.
        for (let k = 0; k < 2 && this.text[this.pos] === q; k++) {
          this.pos++;
          end++;
        }
        return this.text.slice(start, Math.min(end, start + 1000));
      }
      this.pos++;
    }
    this.out.issue(startLine, 'multi-line string not closed before the end of the file');
    return null;
  }

  /** A bare scalar (number, bool, date); its text, validated. */
  private bareScalar(): string {
    const start = this.pos;
    while (this.pos < this.n && isScalarChar(this.text.charCodeAt(this.pos))) this.pos++;
    // `1979-05-27 07:32:00`: a date and a time separated by one space.
    if (this.pos - start === 10 && this.text[this.pos] === ' ' && /\d/.test(this.text[this.pos + 1] ?? '')) {
      this.pos++;
      while (this.pos < this.n && isScalarChar(this.text.charCodeAt(this.pos))) this.pos++;
    }
    const token = this.text.slice(start, this.pos);
    if (token.length === 0) {
      const c = this.text[this.pos];
      this.out.issue(this.line, c === undefined || c === '\n' || c === '\r' || c === '#' ? 'value expected' : `unexpected '${c}' where a value was expected`);
    } else if (token.length > 100 || !SCALAR_RE.test(token)) {
      this.out.issue(this.line, `not a TOML value: ${excerpt(token, 60)} (strings need quotes)`);
    }
    return token;
  }

  // ---- structure -------------------------------------------------------------------------------

  private recordTable(path: string, line: number, always: boolean): void {
    if (this.seenTables.has(path)) {
      if (always) this.out.key(path, line);
      return;
    }
    this.seenTables.add(path);
    this.out.key(path, line);
  }

  /** Record the implicit parents of `segs` below `base`; returns the full path. */
  private walkPath(base: string, segs: string[], line: number, arrays: boolean): string {
    let path = base;
    for (let i = 0; i < segs.length; i++) {
      path = joinKey(path, segs[i]);
      if (i === segs.length - 1) break;
      if (arrays && this.arrayTables.has(path)) path += '.[]';
      if (!this.out.keysFull) this.recordTable(path, line, false);
    }
    return path;
  }

  private header(): boolean {
    const line = this.line;
    const isArray = this.text[this.pos + 1] === '[';
    this.pos += isArray ? 2 : 1;
    const segs = this.key();
    if (!segs) return false;
    this.skipSpaces();
    const close = isArray ? ']]' : ']';
    if (!this.text.startsWith(close, this.pos)) {
      this.out.issue(line, `table header not closed with '${close}'`);
      return false;
    }
    this.pos += close.length;
    let path = this.walkPath('', segs, line, true);
    if (isArray) {
      this.arrayTables.add(path);
      this.recordTable(path, line, false);
      path += '.[]';
      this.recordTable(path, line, true);
    } else {
      if (this.arrayTables.has(path)) path += '.[]';
      this.recordTable(path, line, true);
    }
    this.table = path;
    return true;
  }

  private keyValue(): boolean {
    const line = this.line;
    const segs = this.key();
    if (!segs) return false;
    this.skipSpaces();
    if (this.text[this.pos] !== '=') {
      this.out.issue(line, `'=' expected after key '${excerpt(segs.join('.'), 60)}'`);
      return false;
    }
    this.pos++;
    this.skipSpaces();
    const path = this.walkPath(this.table, segs, line, false);
    const info = this.value(path, line);
    if (info.kind === 'error') return false;
    const name = segs[segs.length - 1];
    this.requirements(path, path.slice(0, Math.max(0, path.length - name.length - 1)), name, info, line);
    return true;
  }

  /**
   * Read one value at `pos` and record `path` (with the value when it is a scalar; without one when the
   * value is malformed: the key is still evidence). Arrays and inline tables are read with an explicit stack (a 10,000-deep
   * `[[[[` costs a counter, not a call stack); their entries are recorded two levels deep.
   */
  private value(path: string, line: number): ValueInfo {
    const c = this.text[this.pos];
    if (c === '"' || c === "'") {
      const s = this.text.startsWith(c + c + c, this.pos) ? this.multiLineString(c) : this.singleLineString(c);
      this.out.key(path, line, s ?? undefined);
      return s === null ? { kind: 'error' } : { kind: 'string', text: s };
    }
    if (c !== '[' && c !== '{') {
      const token = this.bareScalar();
      this.out.key(path, line, token || undefined);
      return token.length === 0 ? { kind: 'error' } : { kind: 'scalar', text: token };
    }

    const info: ValueInfo = { kind: c === '[' ? 'array' : 'table', items: [], fields: new Map() };
    this.out.key(path, line);
    const frames: Frame[] = [];
    let overflow = 0;
    const startLine = this.line;

    const open = (kind: 'array' | 'table', parentPath: string | null, depth: number): void => {
      if (overflow > 0 || frames.length >= MAX_FRAMES) {
        overflow++;
        if (!this.deepReported) {
          this.deepReported = true;
          this.out.issue(this.line, `value nested deeper than ${MAX_FRAMES} levels; inner levels only counted`);
        }
        return;
      }
      frames.push({ kind, path: parentPath, depth, state: kind === 'array' ? 'value' : 'key', key: null, keyLine: this.line });
    };
    /** Where the next value in frame `f` goes: its key path, or null when not recorded. */
    const slot = (f: Frame): string | null => {
      if (f.path === null) return null;
      if (f.kind === 'array') return (f.itemPath ??= f.path + '.[]');
      return f.key === null ? null : joinKey(f.path, f.key);
    };
    const scalarIn = (f: Frame, text: string | undefined, isString: boolean, valueLine: number): void => {
      const at = slot(f);
      if (at !== null) this.out.key(at, f.kind === 'array' ? valueLine : f.keyLine, text);
      if (f.depth === 1) {
        if (f.kind === 'array' && info.items!.length < MAX_COLLECTED) info.items!.push({ text, isString, line: valueLine });
        if (f.kind === 'table' && f.key !== null && text !== undefined && info.fields!.size < MAX_COLLECTED)
          info.fields!.set(f.key, text);
      }
      f.state = 'sep';
    };

    this.pos++;
    open(info.kind === 'array' ? 'array' : 'table', path, 1);
    while (frames.length > 0 || overflow > 0) {
      if (this.pos >= this.n) {
        this.out.issue(startLine, `${info.kind === 'array' ? 'array' : 'inline table'} not closed before the end of the file`);
        return info;
      }
      const ch = this.text[this.pos];
      if (ch === ' ' || ch === '\t') {
        this.pos++;
        continue;
      }
      if (ch === '\n' || ch === '\r') {
        this.newline();
        continue;
      }
      if (ch === '#') {
        this.comment();
        continue;
      }
      if (overflow > 0) {
        // Too deep to track kinds: count brackets, skip strings.
        if (ch === '[' || ch === '{') overflow++;
        else if (ch === ']' || ch === '}') overflow--;
        if (ch === '"' || ch === "'") {
          const s = this.text.startsWith(ch + ch + ch, this.pos) ? this.multiLineString(ch) : this.singleLineString(ch);
          if (s === null) return { kind: 'error' };
        } else this.pos++;
        continue;
      }
      const f = frames[frames.length - 1];
      if (f.state === 'sep') {
        const closer = f.kind === 'array' ? ']' : '}';
        if (ch === ',') {
          f.state = f.kind === 'array' ? 'value' : 'key';
          f.key = null;
          this.pos++;
        } else if (ch === closer) {
          frames.pop();
          this.pos++;
          if (frames.length > 0) frames[frames.length - 1].state = 'sep';
        } else {
          this.out.issue(this.line, `unexpected '${ch}' in ${f.kind === 'array' ? 'array' : 'inline table'} (',' or '${closer}' expected)`);
          return { kind: 'error' };
        }
        continue;
      }
      if (f.state === 'key') {
        if (ch === '}') {
          frames.pop();
          this.pos++;
          if (frames.length > 0) frames[frames.length - 1].state = 'sep';
          continue;
        }
        const keyLine = this.line;
        const segs = this.key();
        if (!segs) return { kind: 'error' };
        f.key = segs.join('.');
        f.keyLine = keyLine;
        f.state = 'eq';
        continue;
      }
      if (f.state === 'eq') {
        if (ch !== '=') {
          this.out.issue(this.line, `'=' expected in inline table`);
          return { kind: 'error' };
        }
        this.pos++;
        f.state = 'value';
        continue;
      }
      // state 'value'
      if (f.kind === 'array' && ch === ']') {
        frames.pop();
        this.pos++;
        if (frames.length > 0) frames[frames.length - 1].state = 'sep';
        continue;
      }
      const valueLine = this.line;
      if (ch === '[' || ch === '{') {
        const at = slot(f);
        if (at !== null) this.out.key(at, f.kind === 'array' ? valueLine : f.keyLine);
        f.state = 'sep';
        this.pos++;
        open(ch === '[' ? 'array' : 'table', f.depth < RECORD_DEPTH ? at : null, f.depth + 1);
        continue;
      }
      if (ch === '"' || ch === "'") {
        const s = this.text.startsWith(ch + ch + ch, this.pos) ? this.multiLineString(ch) : this.singleLineString(ch);
        if (s === null) return { kind: 'error' };
        scalarIn(f, s, true, valueLine);
        continue;
      }
      const token = this.bareScalar();
      if (token.length === 0) return { kind: 'error' };
      scalarIn(f, token, false, valueLine);
    }
    return info;
  }

  // ---- requirements ----------------------------------------------------------------------------

  /** `path` = `table` + `.` + `name`; split by the reader, since a quoted name may hold dots. */
  private requirements(path: string, table: string, name: string, info: ValueInfo, line: number): void {
    if (PEP508_ARRAY_RE.test(path)) {
      for (const item of info.items ?? []) {
        if (!item.isString || item.text === undefined) continue;
        const req = readRequirement(item.text);
        if (req) this.out.requirement(req.name, req.spec, req.pinned, item.line);
        else this.out.issue(item.line, `not a requirement: ${excerpt(item.text, 60)}`);
      }
      return;
    }
    if (!table) return;
    const poetry = POETRY_DEP_TABLE_RE.test(table);
    const pipenv = this.pipfile && (table === 'packages' || table === 'dev-packages');
    if (!poetry && !pipenv) return;
    if (poetry && name.toLowerCase() === 'python') return;
    let spec = '';
    if (info.kind === 'string') spec = info.text ?? '';
    else if (info.kind === 'table') {
      const f = info.fields!;
      if (f.has('version')) spec = f.get('version')!;
      else if (f.has('git') || f.has('url')) spec = '@url';
      else if (f.has('path') || f.has('file')) spec = '@path';
    }
    spec = spec.trim();
    const pinned = spec.startsWith('@')
      ? false
      : poetry
        ? !spec.includes('*') && POETRY_PIN_RE.test(spec)
        : /^===?[^*]+$/.test(spec.replace(/\s+/g, ''));
    this.out.requirement(normaliseName(name), spec === '*' && pipenv ? '' : spec, pinned, line);
  }
}
