// The reader the CLI gives the patch builder: text files under the root only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootBoundedReader } from '../src/patches/reader.js';

let base = '';
let root = '';
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'ca-reader-'));
  root = join(base, 'repo');
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(join(base, 'secret.txt'), 'outside\n');
  writeFileSync(join(root, 'README.md'), '# hi\n');
  writeFileSync(join(root, 'docs', 'bom.md'), '\uFEFF# bom\n');
  writeFileSync(join(root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  writeFileSync(join(root, 'big.txt'), 'x'.repeat(2000));
  symlinkSync(join(root, 'README.md'), join(root, 'inside-link.md'));
  symlinkSync(join(base, 'secret.txt'), join(root, 'outside-link.txt'));
  symlinkSync(base, join(root, 'up'));
  symlinkSync(join(root, 'docs'), join(root, 'docs-link'));
  spawnSync('mkfifo', [join(root, 'fifo')]);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('rootBoundedReader', () => {
  it('reads text files under the root and keeps a BOM', () => {
    const read = rootBoundedReader(root);
    expect(read('README.md')).toBe('# hi\n');
    expect(read('docs/bom.md')).toBe('\uFEFF# bom\n');
  });

  it.each([
    ['a parent segment', '../secret.txt'],
    ['a nested parent segment', 'docs/../../secret.txt'],
    ['an absolute path', '/etc/passwd'],
    ['a symlink leaving the root', 'outside-link.txt'],
    ['a symlink inside the root (git apply cannot patch through it)', 'inside-link.md'],
    ['a path through a folder symlink inside the root', 'docs-link/bom.md'],
    ['a folder symlink leaving the root', 'up/secret.txt'],
    ['a folder', 'docs'],
    ['a FIFO', 'fifo'],
    ['a missing file', 'nope.md'],
    ['invalid UTF-8', 'latin1.txt'],
    ['an empty path', ''],
    ['a NUL byte', 'README.md\0x'],
    ['a backslash', 'docs\\bom.md'],
  ])('refuses %s', (_label, path) => {
    expect(rootBoundedReader(root)(path)).toBeUndefined();
  });

  it('refuses files over the size limit', () => {
    expect(rootBoundedReader(root, 1000)('big.txt')).toBeUndefined();
    expect(rootBoundedReader(root, 4000)('big.txt')).toHaveLength(2000);
  });
});
