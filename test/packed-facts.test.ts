import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { walk } from '../src/walk/walk.js';
import { collectFileFacts } from '../src/facts/collect.js';
import { buildRepoIndex, KeyTable } from '../src/facts/index.js';
import { FactsCompactor, columnsOf, isPacked, plainFacts } from '../src/facts/compact.js';
import { encodeFacts } from '../src/facts/wire.js';
import { buildReport, DEFAULT_MAX_FILE_SIZE } from '../src/audit.js';
import { capabilities } from '../src/capabilities/index.js';
import { emptyFacts, type FileFacts } from '../src/facts/types.js';

async function fixtureFacts(name: string): Promise<FileFacts[]> {
  const root = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const { files } = await walk({ root, maxFileSize: DEFAULT_MAX_FILE_SIZE });
  const out: FileFacts[] = [];
  for (const f of files) {
    const r = await collectFileFacts(f, DEFAULT_MAX_FILE_SIZE);
    if (r.kind === 'facts') out.push(r.facts);
  }
  return out;
}

function report(files: FileFacts[]): string {
  const r = buildReport(buildRepoIndex(files), [], [...capabilities], { root: '/x/repo', timestamp: '2026-01-01T00:00:00Z' });
  return JSON.stringify(r);
}

describe('packed facts (facts/compact.ts)', () => {
  for (const name of ['ml-complete', 'ml-half', 'ml-stubs', 'ts-app']) {
    it(`${name}: the report over packed facts is the report over plain facts, even when almost nothing stays built`, async () => {
      const plain = await fixtureFacts(name);
      const expected = report(plain);
      // Packed from objects (--jobs 1) and from the wire form (workers, cache), with room for 3 built
      // facts only: every detector read rebuilds what it needs.
      for (const pack of [(c: FactsCompactor, f: FileFacts) => c.compact(f), (c: FactsCompactor, f: FileFacts) => c.decode(JSON.parse(JSON.stringify(encodeFacts(f))))]) {
        const c = new FactsCompactor(3);
        const packed = plain.map((f) => pack(c, structuredClone(f)));
        expect(packed.every(isPacked)).toBe(true);
        expect(packed.map(plainFacts)).toEqual(plain);
        expect(report(packed)).toBe(expected);
      }
    });
  }

  it('keeps at most the budget of built facts, oldest out first, and rebuilds equal facts on demand', () => {
    const c = new FactsCompactor(10);
    const files = [0, 1, 2].map((k) => {
      const f = emptyFacts(`f${k}.py`, 'python', 0, 'h');
      for (let i = 0; i < 6; i++) {
        f.calls.push({ callee: `m${k}.call${i}`, line: i + 1, args: [`a${i}`], kwargs: i % 2 ? { k: `v${i}` } : {}, scope: '' });
        f.names.push({ name: `n${i}`, line: i + 1, scope: 's' });
      }
      return f;
    });
    const packed = files.map((f) => c.compact(f));
    const first = packed[0].calls;
    expect(packed[0].calls).toBe(first); // still built: the same list
    expect(Object.isFrozen(first)).toBe(true);
    void packed[1].calls; // 12 built > 10: the oldest (file 0) goes
    expect(packed[1].calls).toBe(packed[1].calls);
    const again = packed[0].calls;
    expect(again).not.toBe(first);
    expect(again).toEqual(files[0].calls);
    // A list larger than the whole budget is still built (and kept until the next one).
    const big = new FactsCompactor(2);
    const pb = big.compact(files[2]);
    expect(pb.names).toBe(pb.names);
    expect(pb.names).toEqual(files[2].names);
    // Columns read the packed facts without building them.
    const cols = columnsOf(packed[2]);
    expect(cols.callCount).toBe(6);
    expect([cols.callee(3), cols.kwargs(3), cols.name(5)]).toEqual(['m2.call3', { k: 'v3' }, 'n5']);
    expect(columnsOf(files[2]).callee(3)).toBe('m2.call3');
  });

  it('serialises like plain facts', () => {
    const f = emptyFacts('a.py', 'python', 3, 'h');
    f.assignments.push({ target: 'x', line: 1, value: '1', valueKind: 'number', scope: '' });
    f.markers.push({ kind: 'TODO', line: 2, text: 'later' });
    const p = new FactsCompactor().compact(structuredClone(f));
    expect(JSON.stringify(p)).toBe(JSON.stringify(f));
    expect(Object.keys(p)).toEqual(Object.keys(f));
  });
});

describe('KeyTable.ofEveryItem', () => {
  it('gives the keys and references of the same table filled item by item', () => {
    const counts = [3, 0, 2, 4];
    const keyOf = (f: number, i: number) => ['a', 'b', 'a.b', ''][(f * 7 + i * 3) % 4];
    const added = new KeyTable();
    counts.forEach((n, f) => {
      for (let i = 0; i < n; i++) added.add(keyOf(f, i), f, i);
    });
    const dense = KeyTable.ofEveryItem(counts, keyOf);
    expect(dense.keys).toEqual(added.keys);
    for (const k of added.keys) expect([...(dense.get(k) ?? [])]).toEqual([...(added.get(k) ?? [])]);
    expect([...dense.all()]).toEqual([...added.all()]);
    expect(dense.search(/^a/)).toEqual(added.search(/^a/));
  });
});

describe('FactsCompactor.seal', () => {
  it('drops its lookup maps; files packed afterwards are still whole and equal', () => {
    const c = new FactsCompactor();
    const f = emptyFacts('a.py', 'python', 0, 'h');
    f.calls.push({ callee: 'torch.save', line: 1, args: ['m', 'p'], kwargs: { k: 'v' }, scope: 'f' });
    f.names.push({ name: 'torch', line: 1, scope: '' });
    const before = c.compact(structuredClone(f));
    c.seal();
    const after = c.decode(JSON.parse(JSON.stringify(encodeFacts(f))));
    expect(plainFacts(after)).toEqual(f);
    expect(plainFacts(before)).toEqual(f);
  });
});
