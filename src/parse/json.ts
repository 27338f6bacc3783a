import type { FileFacts } from '../facts/types.js';
import { countLines } from './comments.js';
import { FactRecorder, baseName, excerpt, joinKey, segmentText } from './text.js';

/**
 * JSON / JSONC / JSON5-ish reader: a tolerant scanner with an explicit stack (no JSON.parse, no
 * recursion: a 10,000-deep `[[[[` is a counter). Comments (`//`, `/* *\/`), trailing commas,
 * single-quoted strings and unquoted keys are accepted.
 *
 * Keys (ConfigKeyFact): every object member as its full path, array items as `[]`, one fact per item:
 * `{"compilerOptions": {"strict": true}, "include": ["src"]}` -> `compilerOptions`,
 * `compilerOptions.strict` = `true`, `include`, `include.[]` = `src`; a root array's items are `[]`.
 * Values: string content (quotes removed) or the literal as written, at most 120 chars; none for
 * objects and arrays. Keys deeper than 64 levels are not recorded (one issue); lock files
 * (`package-lock.json`, `npm-shrinkwrap.json`) record top-level keys only and tokenizer vocabularies
 * (`vocab.json`, `tokenizer.json`, `encoder.json`) none: they are data, and would only hit the key cap.
 * Requirements: in `package.json`, each entry of `dependencies`, `devDependencies` and
 * `optionalDependencies` (name = key, spec = the range as written, `@url` for URL/git specs; pinned
 * when it is one exact version such as `1.2.3`).
 * Markers come from comments. Malformed input (bad tokens, missing commas or colons, unterminated
 * strings, unclosed or mismatched brackets, content after the value) is recorded as issues and skipped.
 */
export function parseJson(text: string, facts: FileFacts): void {
  facts.parser = 'reader';
  const out = new FactRecorder(facts, 'JSON');
  try {
    facts.lines = countLines(text, 'c');
    const base = baseName(facts.path);
    const depth = DATA_FILES.has(base) ? 0 : LOCK_FILES.has(base) ? 1 : MAX_RECORD_DEPTH;
    new JsonReader(text, out, depth, base === 'package.json').read();
  } catch (err) {
    out.internalError(err);
  }
}

const MAX_RECORD_DEPTH = 64;
const MAX_FRAMES = 1000;
const LOCK_FILES = new Set(['package-lock.json', 'npm-shrinkwrap.json']);
const DATA_FILES = new Set(['vocab.json', 'tokenizer.json', 'encoder.json']);
const DEP_TABLES = new Set(['dependencies', 'devDependencies', 'optionalDependencies']);
const NPM_EXACT_RE = /^=?v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const LITERAL_RE = /^(?:true|false|null|[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?NaN|[+-]?Infinity|0[xX][0-9a-fA-F]+)$/;

/** Characters that start or end something: junk skipping stops at them. */
const MEANINGFUL = '{}[],:"\'/';

interface Frame {
  kind: 'obj' | 'arr';
  /** Path of this container; null when too deep to record. */
  path: string | null;
  depth: number;
  state: 'key' | 'colon' | 'value' | 'sep';
  key: string | null;
  keyLine: number;
  openLine: number;
}

function isIdentChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 45 || c === 43 || c === 46 || c > 127
  );
}

class JsonReader {
  private pos = 0;
  private line = 1;
  private readonly n: number;
  private readonly frames: Frame[] = [];
  private overflow = 0;
  private rootDone = false;
  private deepReported = false;

  constructor(
    private readonly text: string,
    private readonly out: FactRecorder,
    private readonly recordDepth: number,
    private readonly packageJson: boolean,
  ) {
    this.n = text.length;
  }

  read(): void {
    const t = this.text;
    if (t.charCodeAt(0) === 0xfeff) this.pos = 1;
    while (this.pos < this.n) {
      const c = t.charCodeAt(this.pos);
      if (c === 10) {
        this.line++;
        this.pos++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) {
        this.pos++;
        continue;
      }
      if (c === 47 /* / */ && (t[this.pos + 1] === '/' || t[this.pos + 1] === '*')) {
        this.comment();
        continue;
      }
      if (this.rootDone) {
        this.out.issue(this.line, 'content after the end of the JSON value');
        return;
      }
      if (this.overflow > 0) this.deep(c);
      else this.step(c);
    }
    if (this.overflow > 0 || this.frames.length > 0) {
      const f = this.frames[this.frames.length - 1];
      const opened = f ? f.openLine : this.line;
      this.out.issue(opened, `${f && f.kind === 'arr' ? 'array' : 'object'} not closed before the end of the file`);
    } else if (!this.rootDone && this.n > 0 && this.text.trim().length > 0) {
      this.out.issue(this.line, 'no JSON value found');
    }
  }

  private comment(): void {
    const t = this.text;
    const start = this.pos;
    const line = this.line;
    if (t[this.pos + 1] === '/') {
      let e = t.indexOf('\n', this.pos);
      if (e === -1) e = this.n;
      this.pos = e;
    } else {
      const e = t.indexOf('*/', this.pos + 2);
      const end = e === -1 ? this.n : e + 2;
      for (let i = this.pos; i < end; i++) if (t.charCodeAt(i) === 10) this.line++;
      this.pos = end;
      if (e === -1) this.out.issue(line, 'block comment not closed before the end of the file');
    }
    this.out.comment(t.slice(start, Math.min(this.pos, start + 100_000)), line);
  }

  /** A quoted string at `pos`; its content (cut to 1000 chars). Ends at a newline with an issue. */
  private string(): string {
    const t = this.text;
    const q = t.charCodeAt(this.pos);
    const start = ++this.pos;
    let escaped = false;
    while (this.pos < this.n) {
      const c = t.charCodeAt(this.pos);
      if (c === 92) {
        escaped = true;
        // A backslash before a newline is a JSON5 line continuation.
        if (t.charCodeAt(this.pos + 1) === 10) this.line++;
        this.pos += 2;
        continue;
      }
      if (c === q) {
        const raw = t.slice(start, Math.min(this.pos, start + 1000));
        this.pos++;
        return escaped ? raw.replace(/\\(["'\\/])/g, '$1') : raw;
      }
      if (c === 10) break;
      this.pos++;
    }
    this.out.issue(this.line, 'string not closed on its line');
    return t.slice(start, Math.min(this.pos, start + 1000));
  }

  /** An unquoted token (literal or JSON5 identifier key). */
  private token(): string {
    const start = this.pos;
    while (this.pos < this.n && isIdentChar(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, Math.min(this.pos, start + 1000));
  }

  private record(path: string, line: number, value?: string): void {
    this.out.key(path, line, value);
  }

  /** Where the next value of frame `f` is recorded, or null. */
  private slot(f: Frame): string | null {
    if (f.path === null || f.depth > this.recordDepth) return null;
    if (f.kind === 'arr') return f.path ? f.path + '.[]' : '[]';
    return f.key === null ? null : joinKey(f.path, f.key);
  }

  private scalarValue(value: string, isString: boolean, line: number): void {
    const f = this.frames[this.frames.length - 1];
    if (!f) {
      this.rootDone = true;
      return;
    }
    const at = this.slot(f);
    if (at !== null) this.record(at, f.kind === 'arr' ? line : f.keyLine, value);
    if (this.packageJson && f.kind === 'obj' && f.depth === 2 && f.key !== null && f.path !== null && DEP_TABLES.has(f.path) && isString) {
      const urlish = value.includes('://') || value.startsWith('git');
      const spec = urlish ? '@url' : value.trim();
      this.out.requirement(f.key.toLowerCase(), spec, !urlish && NPM_EXACT_RE.test(spec), f.keyLine);
    }
    f.state = 'sep';
  }

  private open(kind: 'obj' | 'arr'): void {
    const parent = this.frames[this.frames.length - 1];
    let path: string | null = '';
    if (parent) {
      path = this.slot(parent);
      if (path !== null) this.record(path, parent.kind === 'arr' ? this.line : parent.keyLine);
      parent.state = 'sep';
    }
    this.pos++;
    if (this.frames.length >= MAX_FRAMES) {
      this.overflow = 1;
      if (!this.deepReported) {
        this.deepReported = true;
        this.out.issue(this.line, `nested deeper than ${MAX_FRAMES} levels; inner levels only counted`);
      }
      return;
    }
    const depth = parent ? parent.depth + 1 : 1;
    if (depth > MAX_RECORD_DEPTH && !this.deepReported && path !== null) {
      this.deepReported = true;
      this.out.issue(this.line, `nested deeper than ${MAX_RECORD_DEPTH} levels; deeper keys are not recorded`);
    }
    if (depth > MAX_RECORD_DEPTH) path = null;
    this.frames.push({ kind, path, depth, state: kind === 'obj' ? 'key' : 'value', key: null, keyLine: this.line, openLine: this.line });
  }

  private close(kind: 'obj' | 'arr'): void {
    this.pos++;
    const f = this.frames.pop()!;
    if (f.kind !== kind) {
      this.out.issue(this.line, `'${kind === 'obj' ? '}' : ']'}' closes the ${f.kind === 'obj' ? 'object' : 'array'} opened at line ${f.openLine}`);
    } else if (f.state === 'colon' || (f.kind === 'obj' && f.state === 'value')) {
      this.out.issue(this.line, 'member without a value');
    }
    if (this.frames.length === 0) this.rootDone = true;
  }

  /** Past MAX_FRAMES: only count brackets and skip strings. */
  private deep(c: number): void {
    if (c === 34 || c === 39) {
      this.string();
      return;
    }
    if (c === 91 || c === 123) {
      this.overflow++;
      if (!this.deepReported) {
        this.deepReported = true;
        this.out.issue(this.line, `nested deeper than ${MAX_FRAMES} levels; inner levels only counted`);
      }
    } else if (c === 93 || c === 125) this.overflow--;
    this.pos++;
  }

  private step(c: number): void {
    const f = this.frames[this.frames.length - 1];
    const ch = this.text[this.pos];
    if (f && f.state === 'sep') {
      if (ch === ',') {
        f.state = f.kind === 'obj' ? 'key' : 'value';
        f.key = null;
        this.pos++;
        return;
      }
      if (ch === '}' || ch === ']') {
        this.close(ch === '}' ? 'obj' : 'arr');
        return;
      }
      this.out.issue(this.line, `',' expected before '${excerpt(this.text.slice(this.pos, this.pos + 20), 20)}'`);
      f.state = f.kind === 'obj' ? 'key' : 'value';
      f.key = null;
      return;
    }
    if (f && f.state === 'key') {
      if (ch === '}') {
        this.close('obj');
        return;
      }
      const line = this.line;
      let key: string;
      if (c === 34 || c === 39) key = this.string();
      else {
        key = this.token();
        if (key.length === 0) {
          this.out.issue(this.line, `unexpected '${ch}' where a key was expected`);
          this.skipBad(ch);
          return;
        }
      }
      f.key = segmentText(key);
      f.keyLine = line;
      f.state = 'colon';
      return;
    }
    if (f && f.state === 'colon') {
      if (ch === ':') {
        this.pos++;
        f.state = 'value';
        return;
      }
      this.out.issue(this.line, `':' expected after key '${excerpt(f.key ?? '', 40)}'`);
      f.state = 'value';
      return;
    }
    // A value (inside a frame, or the root).
    if (ch === '{' || ch === '[') {
      this.open(ch === '{' ? 'obj' : 'arr');
      return;
    }
    if (ch === ']' && f && f.kind === 'arr') {
      this.close('arr');
      return;
    }
    if (ch === '}' || ch === ']') {
      if (f) this.close(ch === '}' ? 'obj' : 'arr');
      else {
        this.out.issue(this.line, `unexpected '${ch}'`);
        this.pos++;
      }
      return;
    }
    const line = this.line;
    if (c === 34 || c === 39) {
      this.scalarValue(this.string(), true, line);
      return;
    }
    const tok = this.token();
    if (tok.length === 0) {
      this.out.issue(this.line, `unexpected '${ch}' where a value was expected`);
      this.skipBad(ch);
      return;
    }
    if (!LITERAL_RE.test(tok)) this.out.issue(this.line, `not a JSON value: ${excerpt(tok, 40)}`);
    this.scalarValue(tok, false, line);
  }

  /** Skip a character that fits nowhere, with the junk after it (the issue is already recorded). */
  private skipBad(_ch: string): void {
    this.pos++;
    while (this.pos < this.n) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || isIdentChar(c) || MEANINGFUL.includes(this.text[this.pos])) break;
      this.pos++;
    }
  }
}
