import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILTIN_EXCLUDES, WalkRootError, walk, type WalkOptions, type WalkResult } from '../src/walk/walk.js';
import { decodeText, firstInvalidUtf8, isBinary, readFileSafe } from '../src/walk/decode.js';
import { expandBraces, rebaseIgnoreFile, userPatterns } from '../src/walk/patterns.js';

const posixOnly = process.platform === 'win32';

let tmp: string;
let serial = 0;

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cxa-walk-')));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A fresh folder under the temp dir with `files` written into it (a trailing `/` makes a folder). */
function tree(files: Record<string, string | Uint8Array> = {}): string {
  const root = path.join(tmp, `t${++serial}`);
  fs.mkdirSync(root, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    if (rel.endsWith('/')) {
      fs.mkdirSync(abs, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

function link(root: string, rel: string, target: string): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.symlinkSync(target, abs);
}

async function run(opts: WalkOptions): Promise<WalkResult> {
  const r = await within(10_000, walk(opts));
  assertPublic(r, opts.root);
  return r;
}

/** No absolute path outside `abs`, and `abs` never leaves the root. */
function assertPublic(r: WalkResult, root: string): void {
  const view = JSON.stringify({ files: r.files.map((f) => [f.path, f.size]), skipped: r.skipped, issues: r.issues });
  expect(view).not.toContain(tmp);
  const realRoot = fs.realpathSync(root);
  for (const f of r.files) {
    expect(path.isAbsolute(f.abs)).toBe(true);
    expect(f.abs.startsWith(realRoot + path.sep)).toBe(true);
    expect(f.path.startsWith('/')).toBe(false);
  }
}

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const paths = (r: WalkResult): string[] => r.files.map((f) => f.path);
const skip = (r: WalkResult, p: string) => r.skipped.filter((s) => s.path === p);
const issuesAt = (r: WalkResult, p: string) => r.issues.filter((i) => i.path === p);
const codeUnitSorted = (xs: string[]): string[] => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('ignore files', () => {
  it('applies nested .gitignore files with git semantics (negation, dir-only, anchored, precedence)', async () => {
    const root = tree({
      '.gitignore': '# comment\n*.log\n!keep.log\nout/\n/anchored.txt\ngen/\nnotes\\#1.md\n',
      'a.log': '',
      'keep.log': '',
      'anchored.txt': '',
      'notes#1.md': '',
      'main.py': '',
      'out/big.js': '',
      'gen/g.py': '',
      'sub/anchored.txt': '',
      'sub/x.log': '',
      'sub/important.log': '',
      'sub/.gitignore': '!important.log\n/local-only.txt\n',
      'sub/local-only.txt': '',
      'sub/deeper/local-only.txt': '',
      'other/out': 'a file named like a dir-only rule',
      'pkg/.gitignore': '!gen/\n',
      'pkg/gen/kept.py': '',
    });
    // Anything inside an ignored folder must never be looked at: a dangling link there would be reported.
    link(root, 'out/deep/broken', 'nowhere');
    const r = await run({ root });
    expect(paths(r)).toEqual([
      '.gitignore',
      'keep.log',
      'main.py',
      'other/out',
      'pkg/.gitignore',
      'pkg/gen/kept.py',
      'sub/.gitignore',
      'sub/anchored.txt',
      'sub/deeper/local-only.txt',
      'sub/important.log',
    ]);
    expect(r.skipped).toEqual([]);
    expect(r.issues).toEqual([]);
  });

  it('matches case-sensitively, like git on Linux, on every machine', async () => {
    const root = tree({ '.gitignore': '*.LOG\nGen/\n', 'a.log': '', 'b.LOG': '', 'gen/x.py': '', 'Gen/y.py': '' });
    expect(paths(await run({ root }))).toEqual(['.gitignore', 'a.log', 'gen/x.py']);
    expect(paths(await run({ root, include: ['*.PY'] }))).toEqual([]);
  });

  it('cannot re-include a file whose parent folder is ignored (git rule)', async () => {
    const root = tree({ '.gitignore': 'data/\n!data/keep.csv\n', 'data/keep.csv': '', 'x.py': '' });
    expect(paths(await run({ root }))).toEqual(['.gitignore', 'x.py']);
  });

  it('prunes ignored folders without reading them', async () => {
    const root = tree({ '.gitignore': 'huge/\n', 'huge/a/b/c.txt': '', 'ok/d.txt': '' });
    const spy = vi.spyOn(fs.promises, 'readdir');
    const r = await run({ root });
    expect(paths(r)).toEqual(['.gitignore', 'ok/d.txt']);
    const read = spy.mock.calls.map((c) => String(c[0]));
    expect(read.some((p) => p.includes('huge'))).toBe(false);
    expect(read).toContain(path.join(root, 'ok'));
  });

  it('honours .codexauditignore at any level, with or without gitignore', async () => {
    const root = tree({
      '.codexauditignore': 'fixtures/\n',
      '.gitignore': 'secret.txt\n',
      'secret.txt': '',
      'fixtures/f.py': '',
      'src/.codexauditignore': '*.gen.py\n',
      'src/a.gen.py': '',
      'src/a.py': '',
      'top.gen.py': '',
    });
    const r = await run({ root });
    expect(paths(r)).toEqual(['.codexauditignore', '.gitignore', 'src/.codexauditignore', 'src/a.py', 'top.gen.py']);
    const noGit = await run({ root, useGitignore: false });
    expect(paths(noGit)).toContain('secret.txt');
    expect(paths(noGit)).not.toContain('src/a.gen.py');
    expect(paths(noGit)).not.toContain('fixtures/f.py');
  });

  it('lets .codexauditignore re-include what the .gitignore of the same folder excludes', async () => {
    const root = tree({ '.gitignore': 'vendor/\n', '.codexauditignore': '!vendor/\n', 'vendor/v.py': '' });
    expect(paths(await run({ root }))).toContain('vendor/v.py');
  });

  it('reads .git/info/exclude at the root', async () => {
    const root = tree({ '.git/info/exclude': 'local.py\n', 'local.py': '', 'shared.py': '' });
    expect(paths(await run({ root }))).toEqual(['shared.py']);
    expect(paths(await run({ root, useGitignore: false }))).toEqual(['local.py', 'shared.py']);
  });

  it('keeps rules of oddly named folders to those folders', async () => {
    const root = tree({
      'a?/.gitignore': '*.txt\n',
      'a?/x.txt': '',
      'ab/x.txt': '',
      'b[1]/.gitignore': 'x.txt\n',
      'b[1]/x.txt': '',
      'b1/x.txt': '',
      '!neg/.gitignore': 'x.txt\n',
      '!neg/x.txt': '',
      '#hash/.gitignore': 'x.txt\n',
      '#hash/x.txt': '',
      'st*r/.gitignore': 'x.txt\n',
      'st*r/x.txt': '',
      'stur/x.txt': '',
      'new\nline/.gitignore': 'x.txt\n',
      'new\nline/x.txt': '',
    });
    const r = await run({ root });
    expect(paths(r).filter((p) => p.endsWith('x.txt'))).toEqual(['ab/x.txt', 'b1/x.txt', 'stur/x.txt']);
  });
});

describe('built-in excludes', () => {
  it('skips VCS, dependency, cache, build and virtualenv folders silently', async () => {
    const files: Record<string, string> = { 'src/app.py': '', 'src/build': 'a script named build', 'src/submodule/.git': 'gitdir: ../x' };
    for (const name of BUILTIN_EXCLUDES) files[`${name.replace('*', 'pkg')}/inner.py`] = '';
    Object.assign(files, {
      'env/pyvenv.cfg': 'home = /usr/bin',
      'env/lib/x.py': '',
      'myvenv/pyvenv.cfg': '',
      'myvenv/bin/activate': '',
      'env2/kept.py': '',
      'src/node_modules/dep/index.js': '',
      'src/deep/__pycache__/m.pyc': '',
    });
    const r = await run({ root: tree(files) });
    expect(paths(r)).toEqual(['env2/kept.py', 'src/app.py', 'src/build']);
    expect(r.skipped).toEqual([]);
    expect(r.issues).toEqual([]);
  });

  it('exports the list and allows replacing it', async () => {
    expect(BUILTIN_EXCLUDES).toEqual(expect.arrayContaining(['.git', 'node_modules', '__pycache__', '*.egg-info', 'site-packages']));
    const root = tree({ 'node_modules/x.js': '', 'dist/y.js': '' });
    expect(paths(await run({ root, builtinExcludes: ['dist'] }))).toEqual(['node_modules/x.js']);
  });
});

describe('include and exclude', () => {
  const files = {
    'README.md': '',
    'setup.py': '',
    'src/a.py': '',
    'src/b.ts': '',
    'src/c.js': '',
    'src/deep/d.py': '',
    'tests/test_a.py': '',
    'docs/guide.md': '',
  };

  it.each([
    [{ include: ['*.py'] }, ['setup.py', 'src/a.py', 'src/deep/d.py', 'tests/test_a.py']],
    [{ include: ['src/**/*.{py,ts}'] }, ['src/a.py', 'src/b.ts', 'src/deep/d.py']],
    [{ include: ['src/*.py'] }, ['src/a.py']],
    [{ include: ['./src'] }, ['src/a.py', 'src/b.ts', 'src/c.js', 'src/deep/d.py']],
    [{ include: ['*.py', '!test_*.py'] }, ['setup.py', 'src/a.py', 'src/deep/d.py']],
    [{ exclude: ['tests/', '*.md'] }, ['setup.py', 'src/a.py', 'src/b.ts', 'src/c.js', 'src/deep/d.py']],
    [{ exclude: ['src/deep'] }, ['README.md', 'docs/guide.md', 'setup.py', 'src/a.py', 'src/b.ts', 'src/c.js', 'tests/test_a.py']],
    [{ include: ['**/*.py'], exclude: ['tests'] }, ['setup.py', 'src/a.py', 'src/deep/d.py']],
    [{ include: [] }, Object.keys(files).sort()],
  ])('%j', async (flags, expected) => {
    const r = await run({ root: tree(files), ...flags });
    expect(paths(r)).toEqual(expected);
  });

  it('prunes excluded folders without reading them', async () => {
    const root = tree({ 'tests/t/x.py': '', 'a.py': '' });
    const spy = vi.spyOn(fs.promises, 'readdir');
    await run({ root, exclude: ['tests'] });
    expect(spy.mock.calls.map((c) => String(c[0])).some((p) => p.includes('tests'))).toBe(false);
  });
});

describe('limits', () => {
  it('skips files over maxFileSize with the size in the detail and an issue', async () => {
    const root = tree({ 'big.txt': 'x'.repeat(101), 'edge.txt': 'x'.repeat(100), 'small.txt': 'x' });
    const r = await run({ root, maxFileSize: 100 });
    expect(paths(r)).toEqual(['edge.txt', 'small.txt']);
    expect(r.files.find((f) => f.path === 'edge.txt')?.size).toBe(100);
    expect(skip(r, 'big.txt')).toEqual([{ path: 'big.txt', reason: 'too_large', detail: expect.stringContaining('101 bytes') }]);
    const [issue] = issuesAt(r, 'big.txt');
    expect(issue.step).toBe('STEP_1:REPO_TRAVERSAL');
    expect(issue.message).toMatch(/larger than the size limit \(101 bytes > 100 bytes\)/);
  });

  it('defaults to 2 MiB', async () => {
    const root = tree({ 'at.bin.txt': new Uint8Array(2 * 1024 * 1024), 'over.txt': new Uint8Array(2 * 1024 * 1024 + 1) });
    const r = await run({ root });
    expect(paths(r)).toEqual(['at.bin.txt']);
    expect(skip(r, 'over.txt')[0].reason).toBe('too_large');
  });

  it('rejects a nonsensical maxFileSize', async () => {
    await expect(walk({ root: tree(), maxFileSize: -1 })).rejects.toThrow(RangeError);
  });

  it('lists files of binary types as skipped without an issue', async () => {
    const root = tree({ 'logo.png': 'not really', 'w/model.SafeTensors': '', 'icon.svg': '<svg/>' });
    const r = await run({ root });
    expect(paths(r)).toEqual(['icon.svg']);
    expect(r.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['logo.png', 'binary'],
      ['w/model.SafeTensors', 'binary'],
    ]);
    expect(r.issues).toEqual([]);
  });
});

describe('symlinks', () => {
  it.skipIf(posixOnly)('never follows a link out of the root and never reveals its target', async () => {
    const outside = path.join(tmp, `secret-outside-${serial}`);
    fs.mkdirSync(path.join(outside, 'dir'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'token.txt'), 'TOPSECRET-CONTENT');
    fs.writeFileSync(path.join(outside, 'dir', 'inner.py'), 'TOPSECRET = 1');
    const root = tree({ 'ok.py': '' });
    link(root, 'leak.txt', path.join(outside, 'token.txt'));
    link(root, 'leakdir', path.join(outside, 'dir'));
    link(root, 'sub/rel-leak.txt', `../../${path.basename(outside)}/token.txt`);
    link(root, 'up', '..');
    link(root, 'zero', '/dev/zero');
    const r = await run({ root });
    expect(paths(r)).toEqual(['ok.py']);
    expect(r.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['leak.txt', 'symlink_outside'],
      ['leakdir', 'symlink_outside'],
      ['sub/rel-leak.txt', 'symlink_outside'],
      ['up', 'symlink_outside'],
      ['zero', 'symlink_outside'],
    ]);
    expect(r.issues.map((i) => i.path)).toEqual(['leak.txt', 'leakdir', 'sub/rel-leak.txt', 'up', 'zero']);
    expect(r.issues[0].message).toBe('Symlink points outside the audited root; not followed.');
    const all = JSON.stringify(r);
    for (const needle of ['TOPSECRET', 'secret-outside', 'token.txt', 'inner.py', '/dev/zero']) expect(all).not.toContain(needle);
  });

  it.skipIf(posixOnly)('cuts loops and does not walk a folder twice', async () => {
    const root = tree({ 'a/b/file.py': '', 'examples/demo.py': '', 'docs/index.md': '' });
    link(root, 'a/b/up', '../..');
    link(root, 'a/self', '.');
    link(root, 'c1', 'c2');
    link(root, 'c2', 'c1');
    link(root, 'docs/examples', '../examples');
    const r = await run({ root });
    expect(paths(r)).toEqual(['a/b/file.py', 'docs/index.md', 'examples/demo.py']);
    expect(r.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['a/b/up', 'symlink_loop'],
      ['a/self', 'symlink_loop'],
      ['c1', 'symlink_loop'],
      ['c2', 'symlink_loop'],
      ['docs/examples', 'symlink_loop'],
    ]);
    expect(skip(r, 'docs/examples')[0].detail).toMatch(/duplicate of examples\//);
    // A duplicate is not a problem (the folder is walked under its own path); a loop is.
    expect(r.issues.map((i) => i.path)).toEqual(['a/b/up', 'a/self', 'c1', 'c2']);
    expect(issuesAt(r, 'a/self')[0].message).toMatch(/loop/i);
  });

  it.skipIf(posixOnly)('reports a dangling top-level README.md instead of crashing', async () => {
    const root = tree({ '.gitignore': 'ignored-link\n', 'main.py': '' });
    link(root, 'README.md', 'docs/README.md');
    link(root, 'ignored-link', 'nowhere');
    const r = await run({ root });
    expect(paths(r)).toEqual(['.gitignore', 'main.py']);
    expect(r.skipped).toEqual([{ path: 'README.md', reason: 'dangling_symlink', detail: 'target does not exist' }]);
    expect(issuesAt(r, 'README.md')[0].message).toMatch(/dangling/i);
    expect(r.issues).toHaveLength(1);
  });

  it.skipIf(posixOnly)('keeps file links inside the root under the link path, reading the real file', async () => {
    const root = tree({ 'docs/README.md': '# hi', '.gitignore': 'local.env\n', 'local.env': 'K=V', 'node_modules/p/index.js': '' });
    link(root, 'README.md', 'docs/README.md');
    link(root, '.env', 'local.env');
    link(root, 'vendored', 'node_modules/p');
    link(root, 'vendored.js', 'node_modules/p/index.js');
    const r = await run({ root });
    expect(paths(r)).toEqual(['.gitignore', 'README.md', 'docs/README.md']);
    const readme = r.files.find((f) => f.path === 'README.md');
    expect(readme?.abs).toBe(path.join(root, 'docs', 'README.md'));
    expect(readme?.size).toBe(4);
    expect(r.issues).toEqual([]);
  });

  it.skipIf(posixOnly)('walks through a root given as a symlink', async () => {
    const real = tree({ 'x.py': 'x' });
    const alias = path.join(tmp, `alias-${serial}`);
    fs.symlinkSync(real, alias);
    const r = await run({ root: alias });
    expect(r.files).toEqual([{ path: 'x.py', abs: path.join(real, 'x.py'), size: 1 }]);
  });
});

describe('special files', () => {
  it.skipIf(posixOnly)('never opens FIFOs or sockets and still finishes', async () => {
    const root = tree({ 'a.py': '' });
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    execFileSync('mkfifo', [path.join(root, 'data.py')]);
    link(root, 'pipe-link', 'pipe');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(root, 'sock'), resolve));
    try {
      const r = await run({ root });
      expect(paths(r)).toEqual(['a.py']);
      expect(r.skipped).toEqual([
        { path: 'data.py', reason: 'special', detail: 'FIFO' },
        { path: 'pipe', reason: 'special', detail: 'FIFO' },
        { path: 'pipe-link', reason: 'special', detail: 'symlink to a FIFO' },
        { path: 'sock', reason: 'special', detail: 'socket' },
      ]);
      expect(r.issues.map((i) => [i.path, i.message])).toEqual([
        ['data.py', 'Special file (FIFO) is never opened; not scanned.'],
        ['pipe', 'Special file (FIFO) is never opened; not scanned.'],
        ['pipe-link', 'Symlink to a special file (FIFO), which is never opened; not scanned.'],
        ['sock', 'Special file (socket) is never opened; not scanned.'],
      ]);
      // The reader refuses them too, without blocking.
      for (const name of ['pipe', 'sock']) {
        const read = await within(5_000, readFileSafe(path.join(root, name), 1000));
        expect(read).toMatchObject({ reason: 'special', error: expect.stringMatching(/not a regular file/i) });
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it.skipIf(posixOnly)('does not report ignored special files', async () => {
    const root = tree({ '.gitignore': '*.pipe\n' });
    execFileSync('mkfifo', [path.join(root, 'x.pipe')]);
    const r = await run({ root });
    expect(r.skipped).toEqual([]);
    expect(r.issues).toEqual([]);
  });
});

describe('names and order', () => {
  it.skipIf(posixOnly)('handles spaces, newlines, pipes, control characters, long and odd names', async () => {
    const long = `${'n'.repeat(240)}.py`;
    const names = ['with space.py', 'new\nline.py', 'a|b<script>.py', 'ctrl\u0001.py', long, 'ünïcødé.py', '...', '-dash.py', 'tab\tname.py', 'back\\slash.py', 'trailing '];
    const files: Record<string, string> = {};
    for (const n of names) files[`d ir/${n}`] = n;
    const r = await run({ root: tree(files) });
    expect(paths(r)).toEqual(codeUnitSorted(names.map((n) => `d ir/${n}`)));
    for (const f of r.files) expect(fs.readFileSync(f.abs, 'utf8')).toBe(f.path.slice('d ir/'.length));
  });

  it('sorts by plain code-unit order and is deterministic', async () => {
    const root = tree({ 'b.py': '', 'B.py': '', 'a/b': '', 'a.b': '', 'a-b': '', 'Z/z': '', 'é.py': '', 'e.py': '', '_x': '' });
    const r1 = await run({ root });
    expect(paths(r1)).toEqual(['B.py', 'Z/z', '_x', 'a-b', 'a.b', 'a/b', 'b.py', 'e.py', 'é.py']);
    const r2 = await run({ root });
    expect(r2).toEqual(r1);
  });

  it.skipIf(process.platform !== 'linux')('reports a file name that is not valid UTF-8', async () => {
    const root = tree({ 'ok.py': '' });
    const bad = Buffer.concat([Buffer.from(root + path.sep), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x70, 0x79])]);
    fs.writeFileSync(bad, 'x');
    const r = await run({ root });
    expect(paths(r)).toEqual(['ok.py']);
    expect(r.skipped).toEqual([{ path: 'caf\uFFFD.py', reason: 'ignored_encoding', detail: 'file name is not valid UTF-8' }]);
    expect(r.issues[0].message).toMatch(/not valid UTF-8/);
  });
});

describe('errors while walking', () => {
  function failReaddirFor(target: string, code: string): void {
    const real = fs.promises.readdir.bind(fs.promises);
    vi.spyOn(fs.promises, 'readdir').mockImplementation(((p: fs.PathLike, o?: unknown) => {
      if (String(p) === target) return Promise.reject(Object.assign(new Error(`${code}: fake, scandir '${target}'`), { code }));
      return (real as (p: fs.PathLike, o?: unknown) => Promise<unknown>)(p, o);
    }) as typeof fs.promises.readdir);
  }

  it('turns an unreadable folder into an issue and walks the rest', async () => {
    const root = tree({ 'locked/x.py': '', 'open/y.py': '' });
    failReaddirFor(path.join(root, 'locked'), 'EACCES');
    const r = await run({ root });
    expect(paths(r)).toEqual(['open/y.py']);
    expect(skip(r, 'locked')[0].reason).toBe('unreadable');
    expect(issuesAt(r, 'locked')[0].message).toMatch(/permission denied \(EACCES\)/);
  });

  it('turns a folder that vanished mid-walk into an issue', async () => {
    const root = tree({ 'gone/x.py': '', 'y.py': '' });
    failReaddirFor(path.join(root, 'gone'), 'ENOENT');
    const r = await run({ root });
    expect(paths(r)).toEqual(['y.py']);
    expect(issuesAt(r, 'gone')[0].message).toMatch(/vanished/);
  });

  it('reports an unreadable root as an issue on "."', async () => {
    const root = tree({ 'x.py': '' });
    failReaddirFor(root, 'EACCES');
    const r = await run({ root });
    expect(r.files).toEqual([]);
    expect(r.issues.map((i) => i.path)).toEqual(['.']);
  });

  it('turns a file that vanished before lstat into an issue', async () => {
    const root = tree({ 'a.py': '', 'b.py': '' });
    const real = fs.lstatSync;
    vi.spyOn(fs, 'lstatSync').mockImplementation(((p: fs.PathLike, o?: fs.StatSyncOptions) => {
      if (String(p).endsWith(`${path.sep}a.py`)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return real(p, o);
    }) as typeof fs.lstatSync);
    const r = await run({ root });
    expect(paths(r)).toEqual(['b.py']);
    expect(skip(r, 'a.py')).toEqual([{ path: 'a.py', reason: 'unreadable', detail: 'cannot be inspected (ENOENT)' }]);
    expect(issuesAt(r, 'a.py')[0].message).toMatch(/vanished/);
  });

  it('rejects a missing root or a root that is a file with WalkRootError', async () => {
    await expect(walk({ root: path.join(tmp, 'does-not-exist') })).rejects.toBeInstanceOf(WalkRootError);
    const root = tree({ 'f.txt': '' });
    await expect(walk({ root: path.join(root, 'f.txt') })).rejects.toMatchObject({ name: 'WalkRootError', code: 'ENOTDIR' });
  });
});

describe('large trees', () => {
  it('walks a 10,000-file tree, pruning a big node_modules (speed is measured in bench/)', async () => {
    const root = tree({ '.gitignore': '*.log\n' });
    for (let d = 0; d < 100; d++) {
      for (let s = 0; s < 4; s++) {
        const dir = path.join(root, `pkg${d}`, `sub${s}`);
        fs.mkdirSync(dir, { recursive: true });
        for (let f = 0; f < 25; f++) fs.writeFileSync(path.join(dir, `m${f}.py`), 'x = 1\n');
      }
    }
    fs.mkdirSync(path.join(root, 'node_modules', 'dep'), { recursive: true });
    for (let f = 0; f < 1000; f++) fs.writeFileSync(path.join(root, 'node_modules', 'dep', `f${f}.js`), '');
    const result = await walk({ root });
    expect(result.files.length).toBe(10_001);
    expect(result.files.some((f) => f.path.startsWith('node_modules/'))).toBe(false);
  });
});

describe('readFileSafe', () => {
  it('reads a regular file', async () => {
    const root = tree({ 'a.txt': 'hello' });
    const r = await readFileSafe(path.join(root, 'a.txt'), 100);
    expect('bytes' in r && Buffer.from(r.bytes).toString()).toBe('hello');
  });

  it('refuses files over the limit', async () => {
    const root = tree({ 'a.txt': 'hello' });
    expect(await readFileSafe(path.join(root, 'a.txt'), 4)).toMatchObject({ reason: 'too_large', error: expect.stringMatching(/larger than/) });
    expect('bytes' in (await readFileSafe(path.join(root, 'a.txt'), 5))).toBe(true);
  });

  it('returns an error, not a throw, for a file deleted between walk and read', async () => {
    const root = tree({ 'a.py': 'x' });
    const [file] = (await run({ root })).files;
    fs.rmSync(file.abs);
    const r = await readFileSafe(file.abs, 100);
    expect(r).toMatchObject({ reason: 'unreadable', error: expect.stringMatching(/vanished/) });
    expect(JSON.stringify(r)).not.toContain(tmp);
  });

  it.skipIf(posixOnly)('refuses a file swapped for a FIFO after the walk, without hanging', async () => {
    const root = tree({ 'a.py': 'x' });
    const [file] = (await run({ root })).files;
    fs.rmSync(file.abs);
    execFileSync('mkfifo', [file.abs]);
    const r = await within(5_000, readFileSafe(file.abs, 100));
    expect(r).toMatchObject({ reason: 'special', error: expect.stringContaining('FIFO') });
  });

  it.skipIf(posixOnly)('does not follow a symlink, a directory or a device', async () => {
    const root = tree({ 'real.txt': 'secret', 'dir/': '' });
    link(root, 'l.txt', 'real.txt');
    expect('error' in (await readFileSafe(path.join(root, 'l.txt'), 100))).toBe(true);
    expect(await readFileSafe(path.join(root, 'dir'), 100)).toMatchObject({ reason: 'special' });
    expect(await within(5_000, readFileSafe('/dev/zero', 100))).toMatchObject({ reason: 'special', error: expect.stringContaining('character device') });
  });

  it('reads an empty file', async () => {
    const root = tree({ 'e.txt': '' });
    const r = await readFileSafe(path.join(root, 'e.txt'), 0);
    expect('bytes' in r && r.bytes.length).toBe(0);
  });
});

describe('isBinary', () => {
  const le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const be = (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);
  it.each([
    ['empty', new Uint8Array(0), false],
    ['ascii text', Buffer.from('def f():\n\treturn 1\r\n'), false],
    ['utf-8 text', Buffer.from('naïve — 日本語\n'), false],
    ['ANSI colour log', Buffer.from('\u001b[31mred\u001b[0m\n'.repeat(50)), false],
    ['NUL byte', Buffer.from('abc\u0000def'), true],
    ['PNG header', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), true],
    ['NUL only after 8 KiB', Buffer.concat([Buffer.alloc(9000, 0x61), Buffer.from([0])]), false],
    ['many control bytes', Buffer.from('a\u0001b\u0002c\u0003d\u0004e\u0005'), true],
    ['UTF-16LE with BOM', le('hello\nworld\n'), false],
    ['UTF-16BE with BOM', be('hello\nworld\n'), false],
    ['UTF-16LE with a NUL character', le('a\u0000b'), true],
    ['UTF-16 BOM then control units', le('\u0001\u0002\u0003\u0004'), true],
  ])('%s', (_name, bytes, expected) => {
    expect(isBinary(bytes)).toBe(expected);
  });
});

describe('decodeText', () => {
  it.each([
    ['plain UTF-8', Buffer.from('héllo\n'), 'héllo\n', 'utf-8'],
    ['UTF-8 BOM stripped', Buffer.from('\ufeffabc'), 'abc', 'utf-8-bom'],
    ['UTF-16LE BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hé\r\nx', 'utf16le')]), 'hé\r\nx', 'utf-16le'],
    ['UTF-16BE BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('hé\r\n😀', 'utf16le').swap16()]), 'hé\r\n😀', 'utf-16be'],
    ['CRLF and lone CR kept', Buffer.from('a\r\nb\rc\n'), 'a\r\nb\rc\n', 'utf-8'],
    ['4-byte sequence', Buffer.from('x😀y'), 'x😀y', 'utf-8'],
  ])('%s', (_name, bytes, text, encoding) => {
    const d = decodeText(bytes);
    expect(d).toEqual({ text, encoding });
  });

  it('falls back to Latin-1 with an issue naming the first bad byte', () => {
    const d = decodeText(Buffer.from([0x6f, 0x6b, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    expect(d.encoding).toBe('latin-1');
    expect(d.text).toBe('ok\ncafé\n');
    expect(d.issue).toBe('Not valid UTF-8 (first invalid byte 0xE9 at offset 6, line 2); decoded as Latin-1.');
  });

  it('keeps every byte in Latin-1 (0x80-0x9F are not Windows-1252)', () => {
    const d = decodeText(Buffer.from([0x80, 0x9f, 0xff]));
    expect([...d.text].map((c) => c.codePointAt(0))).toEqual([0x80, 0x9f, 0xff]);
  });

  it('replaces bad bytes after a UTF-8 BOM and reports it', () => {
    const d = decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xff, 0x62]));
    expect(d).toMatchObject({ text: 'a\ufffdb', encoding: 'utf-8-bom', issue: expect.stringMatching(/Invalid UTF-8/) });
  });

  it('reports odd-length and unpaired-surrogate UTF-16', () => {
    const odd = decodeText(Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x62]));
    expect(odd).toMatchObject({ text: 'a', encoding: 'utf-16le', issue: expect.stringMatching(/odd number of bytes/) });
    const lone = decodeText(Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x61, 0x00]));
    expect(lone).toMatchObject({ text: '\ufffda', encoding: 'utf-16le', issue: expect.stringMatching(/surrogate/) });
  });

  it.each([
    [[0x61, 0x62], -1],
    [[0x61, 0xe2, 0x82], 1], // truncated
    [[0xc0, 0xaf], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0xe2, 0x82, 0xac, 0x80], 3], // stray continuation
    [[0xf0, 0x9f, 0x98, 0x80], -1],
  ])('firstInvalidUtf8(%j) = %i, agreeing with TextDecoder', (bytes, at) => {
    const b = Uint8Array.from(bytes);
    expect(firstInvalidUtf8(b)).toBe(at);
    const valid = (() => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
        return true;
      } catch {
        return false;
      }
    })();
    expect(valid).toBe(at === -1);
  });
});

describe('patterns', () => {
  it.each([
    ['a.py', ['a.py']],
    ['*.{py,ts}', ['*.py', '*.ts']],
    ['{src,lib}/**/*.{js,mjs}', ['src/**/*.js', 'src/**/*.mjs', 'lib/**/*.js', 'lib/**/*.mjs']],
    ['{a,{b,c}}x', ['ax', 'bx', 'cx']],
    ['{single}', ['{single}']],
    ['\\{a,b}', ['\\{a,b}']],
  ])('expandBraces(%j)', (p, expected) => {
    expect(expandBraces(p)).toEqual(expected);
  });

  it('rebases nested ignore rules onto the root', () => {
    expect(rebaseIgnoreFile('# c\n\n*.log\n!keep.log\n/anchored\nsub/x\nbuild/\n**/deep\n\\#lit\n/\n', 'a/b')).toEqual([
      'a/b/**/*.log',
      '!a/b/**/keep.log',
      'a/b/anchored',
      'a/b/sub/x',
      'a/b/**/build/',
      'a/b/**/deep',
      'a/b/**/#lit',
    ]);
    expect(rebaseIgnoreFile('*.log\r\n/x\r\n', '')).toEqual(['*.log', '/x']);
  });

  it('normalises user globs', () => {
    expect(userPatterns(['./src/**', '!./tests', '', '.', '*.{a,b}'])).toEqual(['src/**', '!tests', '*.a', '*.b']);
  });
});
