// Unified diffs: the line diff is a correct edit script, and real `git apply` turns the old text into
// the new one byte for byte (CRLF, missing final newline, BOM), for random edits too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffLines, fileDiff, hunks, splitLines } from '../src/patches/unified.js';
import { gitApply, gitRepo, removeRepo } from './patches-kit.js';

describe('splitLines', () => {
  it('keeps terminators and a last line without one', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\nb')).toEqual(['a\n', 'b']);
    expect(splitLines('a\r\nb\r\n')).toEqual(['a\r\n', 'b\r\n']);
    expect(splitLines('\n\n')).toEqual(['\n', '\n']);
  });
});

function lcs(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = x === b[j - 1] ? diag + 1 : Math.max(row[j], row[j - 1]);
      diag = up;
    }
  }
  return row[b.length];
}

describe('diffLines', () => {
  it('is a shortest edit script that rebuilds both sides', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'd'), { maxLength: 30 }), fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'd'), { maxLength: 30 }), (a, b) => {
        const ops = diffLines(a, b);
        expect(ops.filter((o) => o.kind !== 'ins').map((o) => o.line)).toEqual(a);
        expect(ops.filter((o) => o.kind !== 'del').map((o) => o.line)).toEqual(b);
        // Shortest: exactly the lines outside a longest common subsequence change.
        expect(ops.filter((o) => o.kind !== 'same').length).toBe(a.length + b.length - 2 * lcs(a, b));
      }),
      { numRuns: 300 },
    );
  });
  it('keeps common lines as context', () => {
    expect(diffLines(['a\n', 'b\n', 'c\n'], ['a\n', 'x\n', 'c\n']).map((o) => o.kind)).toEqual(['same', 'del', 'ins', 'same']);
  });
});

describe('fileDiff', () => {
  it('writes a new file in git format', () => {
    expect(fileDiff('pkg/x.py', undefined, 'a\nb\n')).toBe('diff --git a/pkg/x.py b/pkg/x.py\nnew file mode 100644\n--- /dev/null\n+++ b/pkg/x.py\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });
  it('marks a missing final newline', () => {
    expect(hunks('a\nb', 'a\nb\nc\n')).toBe('@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n');
  });
  it('appends with leading context only, and splits far-apart changes into hunks', () => {
    const old = Array.from({ length: 20 }, (_, i) => `l${i}\n`).join('');
    expect(hunks(old, old + 'new\n')).toBe('@@ -18,3 +18,4 @@\n l17\n l18\n l19\n+new\n');
    const twoEdits = old.replace('l1\n', 'L1\n').replace('l18\n', 'L18\n');
    expect(hunks(old, twoEdits).match(/^@@/gm)).toHaveLength(2);
  });
  it('gives nothing for an unchanged file and refuses unsafe paths', () => {
    expect(fileDiff('a.txt', 'x\n', 'x\n')).toBe('');
    for (const p of ['../x', '/etc/passwd', 'a/../b', 'a b.txt', 'a\nb', '']) expect(() => fileDiff(p, undefined, 'x\n')).toThrow(/unsafe path/);
  });
});

describe('git apply accepts the diffs', () => {
  let repo = '';
  beforeAll(() => {
    repo = gitRepo('ca-unified-');
  });
  afterAll(() => removeRepo(repo));

  const roundTrip = (before: string, after: string, name: string): void => {
    const path = join(repo, `${name}.txt`);
    writeFileSync(path, before);
    const r = gitApply(repo, fileDiff(`${name}.txt`, before, after), name, false);
    expect(r.status, `${r.stderr}\n${fileDiff(`${name}.txt`, before, after)}`).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(after);
  };

  it('for CRLF files, a BOM, and a file without a final newline', () => {
    roundTrip('\uFEFFtitle\r\nbody\r\n', '\uFEFFtitle\r\nbody\r\nmore\r\n', 'bom');
    roundTrip('one\ntwo', 'one\ntwo\nthree\n', 'noeol');
    roundTrip('one\ntwo\n', 'one\ntwo', 'dropeol');
  });

  it('for random edits', () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('alpha\n', 'beta\n', 'gamma\n', '\n', 'delta\r\n', '  indented\n'), { minLength: 1, maxLength: 25 }),
        fc.array(fc.constantFrom('alpha\n', 'beta\n', 'new\n', '\n', 'delta\r\n'), { maxLength: 25 }),
        fc.boolean(),
        (a, b, dropEol) => {
          const before = a.join('');
          let after = b.join('');
          if (dropEol && after.endsWith('\n')) after = after.replace(/\r?\n$/, '');
          if (after === '' || before === after) return;
          roundTrip(before, after, `r${n++}`);
        },
      ),
      { numRuns: 40 },
    );
  });
});
