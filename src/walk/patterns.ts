/**
 * Pattern plumbing for the walker: gitignore files rebased onto the audited root, brace expansion for
 * `--include` / `--exclude`, and the built-in exclude names.
 *
 * Every matcher is an `ignore` instance holding root-relative rules. A nested `.gitignore` is rebased
 * (`*.log` in `a/b/.gitignore` becomes `a/b/**\/*.log`) and appended after its ancestors' rules, so one
 * instance per directory answers with git's precedence (deeper files win, last match wins) and git's
 * "an excluded directory cannot have its contents re-included" rule, which `ignore` applies by testing
 * parent directories first.
 */
import ignore, { type Ignore } from 'ignore';

export type Matcher = Ignore;

/** Case-sensitive like git on Linux (and the same on every machine, so output is deterministic). */
export function newMatcher(): Matcher {
  return ignore({ ignorecase: false, allowRelativePaths: true });
}

/**
 * Turn the text of an ignore file found in directory `base` (root-relative POSIX, '' for the root) into
 * root-relative gitignore rules.
 */
export function rebaseIgnoreFile(text: string, base: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw === '' || raw.startsWith('#')) continue;
    if (raw.trim() === '') continue;
    const rule = rebaseRule(literalQuestionMarks(raw), base === '' ? '' : escapeGlob(base));
    if (rule !== undefined) out.push(rule);
  }
  return out;
}

function rebaseRule(rule: string, base: string): string | undefined {
  let negate = '';
  let body = rule;
  if (body.startsWith('!')) {
    negate = '!';
    body = body.slice(1);
  } else if (body.startsWith('\\!') || body.startsWith('\\#')) {
    // The escape only matters at the start of a rule; once prefixed the character is literal.
    body = body.slice(1);
  }
  // A rule that is only separators would name the folder itself (and so everything in it): git ignores it.
  if (body.replace(/\//g, '').trim() === '') return undefined;
  if (base === '') return rule;
  // git: a separator at the beginning or in the middle anchors the rule to the ignore file's folder;
  // otherwise it matches at any depth below that folder. A trailing separator only means "directories".
  const anchored = body.replace(/\/+$/, '').includes('/');
  if (anchored) return `${negate}${base}/${body.replace(/^\/+/, '')}`;
  return `${negate}${base}/**/${body}`;
}

/**
 * `ignore` cannot match an escaped `\?`, so a literal `?` travels as this private-use character, both in
 * the paths tested ({@link matchPath}) and in rules (escaped `\?`, folder names). A wildcard `?` still
 * matches it, as it matches any character.
 */
const QMARK = '\uE000';

/** The form of a root-relative path that matchers are asked about. */
export function matchPath(rel: string): string {
  return rel.includes('?') ? rel.replaceAll('?', QMARK) : rel;
}

function literalQuestionMarks(rule: string): string {
  return rule.includes('\\?') ? rule.replaceAll('\\?', QMARK) : rule;
}

/** Escape a literal path so that `ignore` reads it as itself (folders named `a[1]`, `*`, `a?`, `!x`, `#x`). */
export function escapeGlob(literal: string): string {
  const s = literal.replace(/[\\*[\]]/g, (c) => `\\${c}`).replaceAll('?', QMARK);
  return s.startsWith('!') || s.startsWith('#') ? `\\${s}` : s;
}

/**
 * Normalise user globs (`--include`, `--exclude`, config): strip a leading `./`, expand `{a,b}`.
 * The result uses gitignore glob semantics (like ripgrep's `--glob`): a pattern without a slash matches
 * a name at any depth, a pattern with a slash is anchored at the root, `dir` also matches everything
 * under `dir`, `**` spans folders, a trailing `/` matches directories only, `!` negates.
 */
export function userPatterns(patterns: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    let s = p;
    let negate = '';
    if (s.startsWith('!')) {
      negate = '!';
      s = s.slice(1);
    }
    while (s.startsWith('./')) s = s.slice(2);
    if (s === '' || s === '.') continue;
    for (const e of expandBraces(s)) out.push(negate + literalQuestionMarks(e));
  }
  return out;
}

const MAX_BRACE_EXPANSION = 1024;

/** `src/**\/*.{py,ts}` -> [`src/**\/*.py`, `src/**\/*.ts`]; nested braces work; `\{` is literal. */
export function expandBraces(pattern: string): string[] {
  const open = findBraceGroup(pattern);
  if (!open) return [pattern];
  const { start, end, parts } = open;
  const prefix = pattern.slice(0, start);
  const suffix = pattern.slice(end + 1);
  const out: string[] = [];
  for (const part of parts) {
    for (const e of expandBraces(prefix + part + suffix)) {
      out.push(e);
      if (out.length >= MAX_BRACE_EXPANSION) return out;
    }
  }
  return out;
}

/** The first `{...}` group with a top-level comma, or undefined. */
function findBraceGroup(p: string): { start: number; end: number; parts: string[] } | undefined {
  for (let start = 0; start < p.length; start++) {
    const c = p[start];
    if (c === '\\') {
      start++;
      continue;
    }
    if (c !== '{') continue;
    let depth = 0;
    const parts: string[] = [];
    let partStart = start + 1;
    for (let i = start; i < p.length; i++) {
      const d = p[i];
      if (d === '\\') {
        i++;
        continue;
      }
      if (d === '{') depth++;
      else if (d === '}') {
        depth--;
        if (depth === 0) {
          parts.push(p.slice(partStart, i));
          if (parts.length > 1) return { start, end: i, parts };
          break;
        }
      } else if (d === ',' && depth === 1) {
        parts.push(p.slice(partStart, i));
        partStart = i + 1;
      }
    }
  }
  return undefined;
}

/**
 * Built-in excludes: directory names (or `*suffix` name patterns) never descended into. `.git`, `.hg` and
 * `.svn` are skipped whatever their type (a `.git` file is a worktree or submodule pointer). Any folder
 * holding a `pyvenv.cfg` (a virtualenv, whatever its name, `env` included) is skipped as well.
 */
export const BUILTIN_EXCLUDES: readonly string[] = Object.freeze([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.nox',
  '.cache',
  '.eggs',
  '*.egg-info',
  'dist',
  'build',
  '.next',
  '.turbo',
  'coverage',
  '.ipynb_checkpoints',
  'site-packages',
]);

/** A directory holding this file is a Python virtualenv and is skipped. */
export const VENV_MARKER = 'pyvenv.cfg';

/** Version-control metadata: excluded even when it is a file. */
const VCS_NAMES = new Set(['.git', '.hg', '.svn']);

export interface NameExcluder {
  dir(name: string): boolean;
  file(name: string): boolean;
}

export function nameExcluder(names: readonly string[]): NameExcluder {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const n of names) {
    if (n.startsWith('*')) suffixes.push(n.slice(1));
    else exact.add(n);
  }
  const dir = (name: string): boolean => exact.has(name) || suffixes.some((s) => name.endsWith(s) && name.length > s.length);
  return { dir, file: (name) => VCS_NAMES.has(name) && exact.has(name) };
}

/**
 * Extensions of files that are binary by construction (images, archives, compiled code, model weights,
 * data blobs). They are listed as skipped without being opened; other files are sniffed by the reader.
 */
export const BINARY_EXTENSIONS: readonly string[] = Object.freeze([
  // images
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'icns', 'webp', 'tif', 'tiff', 'psd', 'heic', 'avif',
  // audio / video
  'mp3', 'mp4', 'm4a', 'wav', 'flac', 'ogg', 'opus', 'avi', 'mov', 'mkv', 'webm',
  // archives
  'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'tar', 'whl', 'jar', 'war', 'egg',
  // compiled code
  'so', 'dylib', 'dll', 'exe', 'o', 'a', 'obj', 'lib', 'class', 'pyc', 'pyo', 'pyd', 'wasm', 'node',
  // model weights and tensors
  'pt', 'pth', 'ckpt', 'safetensors', 'onnx', 'pb', 'h5', 'hdf5', 'keras', 'tflite', 'gguf', 'ggml',
  'npy', 'npz', 'pkl', 'pickle', 'joblib', 'bin', 'mlmodel',
  // data stores
  'parquet', 'arrow', 'feather', 'avro', 'orc', 'tfrecord', 'lmdb', 'mdb', 'db', 'sqlite', 'sqlite3',
  // fonts and documents
  'ttf', 'otf', 'woff', 'woff2', 'eot', 'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx',
]);

const BINARY_EXT_SET = new Set(BINARY_EXTENSIONS);

/** The binary extension of a file name (lower-cased, without the dot), or undefined. */
export function binaryExtension(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  const ext = name.slice(dot + 1).toLowerCase();
  return BINARY_EXT_SET.has(ext) ? ext : undefined;
}
