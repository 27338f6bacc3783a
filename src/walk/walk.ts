/**
 * The walker: lists the files of the audited root that the audit should read, and says why every other
 * file it met was left out.
 *
 * - Directories are read with `readdir({ withFileTypes })`, a bounded number at a time; ignored and
 *   built-in excluded folders are pruned before they are opened.
 * - `.gitignore` (with `.git/info/exclude` at the root) and `.codexauditignore` at every level, with git's
 *   semantics (see patterns.ts); `exclude` globs prune too; `include` globs filter files.
 * - Nothing outside the root is ever opened or read: every symlink is resolved with realpath first. A
 *   link leaving the root is reported, a link to a folder already walked (or containing the link) is
 *   not followed, a dangling link is reported. FIFOs, sockets and devices are only ever lstat'ed.
 * - No file content is read here (except ignore files): binary sniffing and decoding happen when the
 *   caller reads a file with `readFileSafe` / `isBinary` / `decodeText`.
 * - Output is sorted by path (plain code-unit order) and holds no absolute path except `WalkedFile.abs`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ScanIssue } from '../facts/types.js';
import { decodeText, errorCode, fileTypeName, readFileSafe } from './decode.js';
import {
  BUILTIN_EXCLUDES,
  VENV_MARKER,
  binaryExtension,
  matchPath,
  nameExcluder,
  newMatcher,
  rebaseIgnoreFile,
  userPatterns,
  type Matcher,
  type NameExcluder,
} from './patterns.js';

export { BINARY_EXTENSIONS, BUILTIN_EXCLUDES, VENV_MARKER } from './patterns.js';

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
export const WALK_STEP = 'STEP_1:REPO_TRAVERSAL';
/** Ignore files honoured at every level (`.gitignore` only when `useGitignore`). */
export const GITIGNORE = '.gitignore';
export const CODEXAUDITIGNORE = '.codexauditignore';

export interface WalkOptions {
  /** Absolute path of the audited root. */
  root: string;
  /** Globs (relative POSIX, gitignore glob syntax, `{a,b}` expanded); when given and non-empty, only matching files. */
  include?: string[];
  /** Extra globs to exclude (same syntax); matching folders are pruned. */
  exclude?: string[];
  /** Bytes; default 2 MiB. Larger files are skipped as `too_large`. */
  maxFileSize?: number;
  /** Honour `.gitignore` files and `.git/info/exclude`; default true. `.codexauditignore` always applies. */
  useGitignore?: boolean;
  /** Replaces {@link BUILTIN_EXCLUDES} (folder names, or `*suffix`); `pyvenv.cfg` folders are always skipped. */
  builtinExcludes?: readonly string[];
}

export interface WalkedFile {
  /** POSIX, relative to the root (through a followed symlink: the link's path). */
  path: string;
  /** Absolute real path (symlinks resolved) to pass to `readFileSafe`. */
  abs: string;
  size: number;
}

export type SkipReason =
  | 'too_large'
  | 'binary'
  | 'special'
  | 'symlink_outside'
  | 'symlink_loop'
  | 'dangling_symlink'
  | 'unreadable'
  | 'ignored_encoding';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  detail: string;
}

export interface WalkResult {
  files: WalkedFile[];
  skipped: SkippedFile[];
  issues: ScanIssue[];
}

/** The root itself cannot be walked (missing, not a directory): a usage error, not a scan issue. */
export class WalkRootError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'WalkRootError';
    this.code = code;
  }
}

/** Directories read at the same time. */
const DIR_CONCURRENCY = 16;
/** Ignore files larger than this are not applied (and reported). */
const MAX_IGNORE_FILE = 1024 * 1024;
/**
 * Ignore rules in force in one folder (its own and its ancestors'). Every path is tested against every
 * rule in force, so this bounds the time of the walk; rules past it are dropped (and reported).
 */
export const MAX_IGNORE_RULES = 2_000;
const ruleCounts = new WeakMap<Matcher, number>();

interface DirTask {
  /** Root-relative POSIX path ('' for the root). */
  rel: string;
  /** Absolute real path. */
  real: string;
  /** Rules in force for the entries of this folder (undefined: none yet). */
  rules: Matcher | undefined;
}

interface PendingLink {
  rel: string;
  name: string;
  abs: string;
  parentReal: string;
  rules: Matcher | undefined;
}

type LinkTarget = { error: unknown } | { outside: true } | { target: string; st: fs.Stats };

interface Ctx {
  realRoot: string;
  rootPrefix: string;
  maxFileSize: number;
  useGitignore: boolean;
  names: NameExcluder;
  include: Matcher | undefined;
  exclude: Matcher | undefined;
  files: WalkedFile[];
  skipped: SkippedFile[];
  issues: ScanIssue[];
  /** Real paths of folders walked (or queued). */
  visited: Set<string>;
  /** Real paths of folders left out (built-in, ignored, excluded, virtualenvs). */
  pruned: Set<string>;
  /** Real paths of files left out by ignore rules or `exclude`. */
  ignoredFiles: Set<string>;
  /** Targets of followed directory links. */
  followed: Set<string>;
  links: PendingLink[];
}

export async function walk(opts: WalkOptions): Promise<WalkResult> {
  const maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (typeof maxFileSize !== 'number' || !Number.isFinite(maxFileSize) || maxFileSize < 0) {
    throw new RangeError('maxFileSize must be a non-negative number of bytes.');
  }
  const realRoot = await resolveRoot(opts.root);
  const include = opts.include && opts.include.length > 0 ? userPatterns(opts.include) : undefined;
  const exclude = opts.exclude && opts.exclude.length > 0 ? userPatterns(opts.exclude) : undefined;
  const ctx: Ctx = {
    realRoot,
    rootPrefix: realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep,
    maxFileSize,
    useGitignore: opts.useGitignore ?? true,
    names: nameExcluder(opts.builtinExcludes ?? BUILTIN_EXCLUDES),
    include: include ? newMatcher().add(include) : undefined,
    exclude: exclude ? newMatcher().add(exclude) : undefined,
    files: [],
    skipped: [],
    issues: [],
    visited: new Set([realRoot]),
    pruned: new Set(),
    ignoredFiles: new Set(),
    followed: new Set(),
    links: [],
  };

  await runPool<DirTask>([{ rel: '', real: realRoot, rules: undefined }], DIR_CONCURRENCY, (t, push) => walkDir(ctx, t, push));
  // Links are judged once every real folder is known, in path order, so the outcome does not depend on
  // the order in which directory reads complete.
  while (ctx.links.length > 0) {
    const batch = ctx.links.splice(0).sort((a, b) => cmp(a.rel, b.rel));
    const targets = await Promise.all(batch.map((l) => resolveLink(ctx, l)));
    const follow: DirTask[] = [];
    batch.forEach((l, i) => judgeLink(ctx, l, targets[i], follow));
    if (follow.length > 0) await runPool<DirTask>(follow, DIR_CONCURRENCY, (t, push) => walkDir(ctx, t, push));
  }

  ctx.files.sort((a, b) => cmp(a.path, b.path));
  ctx.skipped.sort((a, b) => cmp(a.path, b.path) || cmp(a.reason, b.reason) || cmp(a.detail, b.detail));
  ctx.issues.sort((a, b) => cmp(a.path, b.path) || cmp(a.message, b.message));
  return { files: ctx.files, skipped: ctx.skipped, issues: ctx.issues };
}

async function resolveRoot(root: string): Promise<string> {
  let real: string;
  try {
    real = await fs.promises.realpath(path.resolve(root));
  } catch (e) {
    const code = errorCode(e) ?? 'EINVAL';
    throw new WalkRootError(`The audit root does not exist or cannot be resolved (${code}).`, code);
  }
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(real);
  } catch (e) {
    const code = errorCode(e) ?? 'EINVAL';
    throw new WalkRootError(`The audit root cannot be inspected (${code}).`, code);
  }
  if (!st.isDirectory()) throw new WalkRootError('The audit root is not a directory.', 'ENOTDIR');
  return real;
}

// ---------------------------------------------------------------------------------------------------
// One directory

async function walkDir(ctx: Ctx, task: DirTask, push: (t: DirTask) => void): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(task.real, { withFileTypes: true });
  } catch (e) {
    dirFailure(ctx, task.rel, e);
    return;
  }
  if (task.rel !== '' && entries.some((d) => d.name === VENV_MARKER)) {
    ctx.pruned.add(task.real);
    return;
  }
  const rules = await loadRules(ctx, task, entries);
  for (const d of entries) {
    const name = d.name;
    const entry: Entry = {
      name,
      rel: task.rel === '' ? name : `${task.rel}/${name}`,
      abs: joinAbs(task.real, name),
      parentReal: task.real,
      rules,
    };
    if (d.isDirectory()) onDir(ctx, entry, push);
    else if (d.isFile()) onFile(ctx, entry, push);
    else if (d.isSymbolicLink()) onLink(ctx, entry);
    else if (d.isFIFO() || d.isSocket() || d.isCharacterDevice() || d.isBlockDevice()) onSpecial(ctx, entry, fileTypeName(d));
    else onUnknown(ctx, entry, push);
  }
}

interface Entry {
  name: string;
  rel: string;
  abs: string;
  parentReal: string;
  rules: Matcher | undefined;
}

function onDir(ctx: Ctx, e: Entry, push: (t: DirTask) => void): void {
  if (ctx.names.dir(e.name) || excluded(ctx, e.rules, e.rel, true)) {
    ctx.pruned.add(e.abs);
    return;
  }
  ctx.visited.add(e.abs);
  push({ rel: e.rel, real: e.abs, rules: e.rules });
}

function onFile(ctx: Ctx, e: Entry, push: (t: DirTask) => void): void {
  if (ctx.names.file(e.name)) return;
  if (excluded(ctx, e.rules, e.rel, false)) {
    ctx.ignoredFiles.add(e.abs);
    return;
  }
  if (!included(ctx, e.rel)) return;
  const ext = binaryExtension(e.name);
  if (ext !== undefined) {
    skip(ctx, e.rel, 'binary', `binary file type (.${ext}); not read`);
    return;
  }
  let st: fs.Stats;
  try {
    st = lstatNow(e.abs);
  } catch (err) {
    entryFailure(ctx, e, err);
    return;
  }
  if (!st.isFile()) {
    // Replaced since the directory was listed.
    dispatchStat(ctx, e, st, push);
    return;
  }
  acceptFile(ctx, e.rel, e.abs, st.size, '');
}

function onUnknown(ctx: Ctx, e: Entry, push: (t: DirTask) => void): void {
  let st: fs.Stats;
  try {
    st = lstatNow(e.abs);
  } catch (err) {
    if (!excluded(ctx, e.rules, e.rel, false)) entryFailure(ctx, e, err);
    return;
  }
  if (st.isFile()) onFile(ctx, e, push);
  else dispatchStat(ctx, e, st, push);
}

function dispatchStat(ctx: Ctx, e: Entry, st: fs.Stats, push: (t: DirTask) => void): void {
  if (st.isDirectory()) onDir(ctx, e, push);
  else if (st.isSymbolicLink()) onLink(ctx, e);
  else if (st.isFile()) acceptFile(ctx, e.rel, e.abs, st.size, '');
  else onSpecial(ctx, e, fileTypeName(st));
}

function onLink(ctx: Ctx, e: Entry): void {
  ctx.links.push({ rel: e.rel, name: e.name, abs: e.abs, parentReal: e.parentReal, rules: e.rules });
}

function onSpecial(ctx: Ctx, e: Entry, type: string): void {
  if (excluded(ctx, e.rules, e.rel, false) || !included(ctx, e.rel)) return;
  skip(ctx, e.rel, 'special', type, `Special file (${type}) is never opened; not scanned.`, 'Listing the repository tree (lstat only).');
}

function acceptFile(ctx: Ctx, rel: string, abs: string, size: number, via: string): void {
  if (size > ctx.maxFileSize) {
    skip(
      ctx,
      rel,
      'too_large',
      `${size} bytes > limit ${ctx.maxFileSize} bytes${via}`,
      `File is larger than the size limit (${size} bytes > ${ctx.maxFileSize} bytes); not scanned.`,
      'Checking file sizes while walking the repository.',
    );
    return;
  }
  ctx.files.push({ path: rel, abs, size });
}

// ---------------------------------------------------------------------------------------------------
// Ignore rules

async function loadRules(ctx: Ctx, task: DirTask, entries: fs.Dirent[]): Promise<Matcher | undefined> {
  const sources: { file: string; rel: string; abs: string }[] = [];
  if (ctx.useGitignore && task.rel === '' && entries.some((d) => d.name === '.git' && d.isDirectory())) {
    sources.push({ file: '.git/info/exclude', rel: '.git/info/exclude', abs: path.join(task.real, '.git', 'info', 'exclude') });
  }
  for (const name of ctx.useGitignore ? [GITIGNORE, CODEXAUDITIGNORE] : [CODEXAUDITIGNORE]) {
    // A symlinked or special ignore file is not read (git does not follow a symlinked .gitignore either).
    if (entries.some((d) => d.name === name && d.isFile())) {
      sources.push({ file: name, rel: task.rel === '' ? name : `${task.rel}/${name}`, abs: joinAbs(task.real, name) });
    }
  }
  if (sources.length === 0) return task.rules;
  const texts = await Promise.all(sources.map((s) => readIgnoreFile(ctx, s)));
  const rules: string[] = [];
  const inherited = task.rules ? (ruleCounts.get(task.rules) ?? 0) : 0;
  texts.forEach((t, i) => {
    if (t === undefined) return;
    const own = rebaseIgnoreFile(t, task.rel);
    const room = Math.max(0, MAX_IGNORE_RULES - inherited - rules.length);
    if (own.length > room) {
      ctx.issues.push({
        step: WALK_STEP,
        path: sources[i].rel,
        message: `Ignore file has ${own.length} rules; only the first ${room} were applied: at most ${MAX_IGNORE_RULES} ignore rules are in force in a folder (with those of its parent folders), which bounds the time of the walk.`,
        context: 'Loading ignore rules while walking the repository.',
      });
      own.length = room;
    }
    for (const r of own) rules.push(r);
  });
  if (rules.length === 0) return task.rules;
  const m = newMatcher();
  if (task.rules) m.add(task.rules);
  m.add(rules);
  ruleCounts.set(m, inherited + rules.length);
  return m;
}

async function readIgnoreFile(ctx: Ctx, s: { file: string; rel: string; abs: string }): Promise<string | undefined> {
  if (s.file === '.git/info/exclude') {
    // Only the last component is opened without following links: a linked `.git/info` could lead outside.
    let info: fs.Stats;
    try {
      info = await fs.promises.lstat(path.dirname(s.abs));
    } catch {
      return undefined;
    }
    if (!info.isDirectory()) {
      if (info.isSymbolicLink()) {
        ctx.issues.push({
          step: WALK_STEP,
          path: '.git/info',
          message: 'Symlinked .git/info folder; .git/info/exclude was not read, since a link could lead outside the audited root.',
          context: 'Loading ignore rules while walking the repository.',
        });
      }
      return undefined;
    }
  }
  const read = await readFileSafe(s.abs, MAX_IGNORE_FILE);
  if ('bytes' in read) return decodeText(read.bytes).text;
  // `.git/info/exclude` is optional.
  if (s.file === '.git/info/exclude' && /ENOENT|ENOTDIR|vanished/.test(read.error)) return undefined;
  ctx.issues.push({
    step: WALK_STEP,
    path: s.rel,
    message: `Ignore file could not be read; its rules were not applied. ${read.error}`,
    context: 'Loading ignore rules while walking the repository.',
  });
  return undefined;
}

function excluded(ctx: Ctx, rules: Matcher | undefined, rel: string, isDir: boolean): boolean {
  if (!ctx.exclude && !rules) return false;
  const p = isDir ? `${matchPath(rel)}/` : matchPath(rel);
  return (ctx.exclude?.ignores(p) ?? false) || (rules?.ignores(p) ?? false);
}

function included(ctx: Ctx, rel: string): boolean {
  return !ctx.include || ctx.include.ignores(matchPath(rel));
}

// ---------------------------------------------------------------------------------------------------
// Symlinks

async function resolveLink(ctx: Ctx, l: PendingLink): Promise<LinkTarget> {
  let target: string;
  try {
    target = await fs.promises.realpath(l.abs);
  } catch (error) {
    return { error };
  }
  if (!isInside(ctx, target)) return { outside: true };
  try {
    return { target, st: await fs.promises.lstat(target) };
  } catch (error) {
    return { error };
  }
}

function judgeLink(ctx: Ctx, l: PendingLink, t: LinkTarget, follow: DirTask[]): void {
  // git sees a link as a file entry: file rules apply to it first.
  if (ctx.names.file(l.name) || excluded(ctx, l.rules, l.rel, false)) return;
  const ctxText = 'Resolving a symbolic link while walking the repository.';
  if ('error' in t) {
    if (!included(ctx, l.rel)) return;
    const code = errorCode(t.error) ?? 'unknown error';
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (l.name.includes('\uFFFD')) return badName(ctx, l.rel);
      skip(ctx, l.rel, 'dangling_symlink', 'target does not exist', 'Dangling symlink: its target does not exist; skipped.', ctxText);
    } else if (code === 'ELOOP') {
      skip(ctx, l.rel, 'symlink_loop', 'the chain of links loops (ELOOP)', 'Symlink chain loops back on itself (ELOOP); not followed.', ctxText);
    } else {
      skip(ctx, l.rel, 'unreadable', `cannot be resolved (${code})`, `Symlink cannot be resolved (${code}); skipped.`, ctxText);
    }
    return;
  }
  if ('outside' in t) {
    if (!included(ctx, l.rel)) return;
    skip(ctx, l.rel, 'symlink_outside', 'target is outside the audited root', 'Symlink points outside the audited root; not followed.', ctxText);
    return;
  }
  const { target, st } = t;
  const isDir = st.isDirectory();
  if (isDir && (ctx.names.dir(l.name) || excluded(ctx, l.rules, l.rel, true))) return;
  // A link into an excluded folder (node_modules, an ignored build tree) or to an ignored file is excluded too.
  if (ctx.ignoredFiles.has(target) || underAny(ctx, target, ctx.pruned)) return;
  const targetRel = relOf(ctx, target);
  if (isDir) {
    if (l.parentReal === target || l.parentReal.startsWith(target + path.sep) || target === ctx.realRoot) {
      skip(
        ctx,
        l.rel,
        'symlink_loop',
        `links back to ${targetRel === '' ? 'the root' : `${targetRel}/`}, which contains it`,
        'Symlink loop: it points to a folder that contains it; not followed.',
        ctxText,
      );
    } else if (ctx.visited.has(target) || underAny(ctx, target, ctx.followed)) {
      // Not a problem: the folder is walked under its own path.
      skip(ctx, l.rel, 'symlink_loop', `duplicate of ${targetRel}/, walked under that path; not followed`);
    } else {
      ctx.visited.add(target);
      ctx.followed.add(target);
      follow.push({ rel: l.rel, real: target, rules: l.rules });
    }
    return;
  }
  if (!included(ctx, l.rel)) return;
  if (st.isFile()) {
    const ext = binaryExtension(l.name);
    if (ext !== undefined) skip(ctx, l.rel, 'binary', `binary file type (.${ext}); not read`);
    else acceptFile(ctx, l.rel, target, st.size, ` (symlink to ${targetRel})`);
    return;
  }
  const type = fileTypeName(st);
  skip(ctx, l.rel, 'special', `symlink to a ${type}`, `Symlink to a special file (${type}), which is never opened; not scanned.`, ctxText);
}

function isInside(ctx: Ctx, p: string): boolean {
  return p === ctx.realRoot || p.startsWith(ctx.rootPrefix);
}

/** True when `p` or one of its ancestors up to the root is in `set`. */
function underAny(ctx: Ctx, p: string, set: Set<string>): boolean {
  if (set.size === 0) return false;
  let cur = p;
  while (cur.length >= ctx.realRoot.length) {
    if (set.has(cur)) return true;
    if (cur === ctx.realRoot) return false;
    const up = path.dirname(cur);
    if (up === cur) return false;
    cur = up;
  }
  return false;
}

function relOf(ctx: Ctx, real: string): string {
  if (real === ctx.realRoot) return '';
  const rel = real.slice(ctx.rootPrefix.length);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

// ---------------------------------------------------------------------------------------------------
// Reporting

function skip(ctx: Ctx, rel: string, reason: SkipReason, detail: string, message?: string, context?: string): void {
  ctx.skipped.push({ path: rel, reason, detail });
  if (message !== undefined) ctx.issues.push({ step: WALK_STEP, path: rel, message, context: context ?? 'Walking the repository tree.' });
}

function badName(ctx: Ctx, rel: string): void {
  skip(
    ctx,
    rel,
    'ignored_encoding',
    'file name is not valid UTF-8',
    'File name is not valid UTF-8 encoding; it cannot be opened by name and was not scanned.',
    'Listing the repository tree.',
  );
}

function dirFailure(ctx: Ctx, rel: string, e: unknown): void {
  const code = errorCode(e) ?? 'unknown error';
  const p = rel === '' ? '.' : rel;
  if ((code === 'ENOENT' || code === 'ENOTDIR') && rel.includes('\uFFFD')) return badName(ctx, p);
  const message =
    code === 'ENOENT' || code === 'ENOTDIR'
      ? `Directory vanished while the repository was being walked (${code}); its contents were not scanned.`
      : code === 'EACCES' || code === 'EPERM'
        ? `Directory cannot be read: permission denied (${code}); its contents were not scanned.`
        : `Directory cannot be read (${code}); its contents were not scanned.`;
  skip(ctx, p, 'unreadable', `directory cannot be read (${code})`, message, 'Reading directory entries while walking the repository.');
}

function entryFailure(ctx: Ctx, e: Entry, err: unknown): void {
  const code = errorCode(err) ?? 'unknown error';
  if ((code === 'ENOENT' || code === 'ENOTDIR') && e.name.includes('\uFFFD')) return badName(ctx, e.rel);
  const message =
    code === 'ENOENT' || code === 'ENOTDIR'
      ? `File vanished while the repository was being walked (${code}); not scanned.`
      : `File cannot be inspected (${code}); it is unreadable and was not scanned.`;
  skip(ctx, e.rel, 'unreadable', `cannot be inspected (${code})`, message, 'Checking file type and size while walking the repository.');
}

// ---------------------------------------------------------------------------------------------------
// Small utilities

/**
 * lstat of one directory entry. Synchronous on purpose: the call is only a metadata lookup (nothing is
 * opened), and on a local disk it is several times faster than a round trip through the thread pool,
 * which dominates the walk of a large tree.
 */
function lstatNow(abs: string): fs.Stats {
  return fs.lstatSync(abs);
}

function joinAbs(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Run `fn` over a growing work list with at most `limit` tasks in flight. `fn` must not reject. */
function runPool<T>(initial: T[], limit: number, fn: (item: T, push: (t: T) => void) => Promise<void>): Promise<void> {
  const queue = [...initial];
  let active = 0;
  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const push = (t: T): void => {
      queue.push(t);
    };
    const pump = (): void => {
      if (failed) return;
      while (active < limit && queue.length > 0) {
        const item = queue.pop() as T;
        active++;
        fn(item, push).then(
          () => {
            active--;
            pump();
          },
          (err: unknown) => {
            failed = true;
            reject(err);
          },
        );
      }
      if (active === 0 && queue.length === 0) resolve();
    };
    pump();
  });
}
