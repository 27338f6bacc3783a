import { describe, expect, it } from 'vitest';
import { emptyFacts, type FileFacts } from './types.js';
import { FactsCompactor } from './compact.js';
import { decodeFacts, encodeFacts } from './wire.js';
import { parsePython, initPython } from '../parse/python.js';

await initPython();

function facts(path: string, src: string): FileFacts {
  const f = emptyFacts(path, 'python', src.length, 'h');
  parsePython(src, f);
  return f;
}

const SRC = `import torch
def step(model, x):
    y = model(x)
    loss = torch.nn.functional.cross_entropy(y, x, reduction="mean")
    torch.save(model.state_dict(), "ckpt.pt")
    return model(x)
def other(model, x):
    return model(x), torch.nn.functional.cross_entropy(y, x, reduction="mean")
`;

describe('FactsCompactor', () => {
  it('keeps every fact equal while sharing repeated strings, short lists and keyword records', () => {
    const a = facts('a.py', SRC);
    const b = facts('b.py', SRC);
    const copies = [structuredClone(a), structuredClone(b)];
    const c = new FactsCompactor();
    const ca = c.compact(a);
    const cb = c.compact(b);
    expect([ca, cb]).toEqual(copies);
    const ce = (f: FileFacts) => f.calls.find((x) => x.callee === 'torch.nn.functional.cross_entropy')!;
    // One copy of `(y, x)` and of `reduction="mean"` across both files, frozen (facts are read-only).
    expect(ce(ca).args).toBe(ce(cb).args);
    expect(ce(ca).kwargs).toBe(ce(cb).kwargs);
    expect(Object.isFrozen(ce(ca).args)).toBe(true);
    expect(Object.isFrozen(ce(ca).kwargs)).toBe(true);
    // Calls without keywords share the one empty record.
    const plain = ca.calls.filter((x) => x.callee === 'model');
    expect(plain.length).toBeGreaterThan(1);
    expect(plain[0].kwargs).toBe(plain[1].kwargs);
  });

  it('does not share lists or records that only look alike once joined', () => {
    const c = new FactsCompactor();
    const f1 = emptyFacts('x.py', 'python', 0, 'h');
    const f2 = emptyFacts('y.py', 'python', 0, 'h');
    f1.calls.push({ callee: 'f', line: 1, args: ['a\u0000b'], kwargs: { k: 'v\u0000w' }, scope: '' });
    f2.calls.push({ callee: 'f', line: 1, args: ['a', 'b'], kwargs: { k: 'v', w: '' }, scope: '' });
    const p1 = c.compact(f1);
    const p2 = c.compact(f2);
    expect(p1.calls[0].args).toEqual(['a\u0000b']);
    expect(p2.calls[0].args).toEqual(['a', 'b']);
    expect(p1.calls[0].kwargs).toEqual({ k: 'v\u0000w' });
    expect(p2.calls[0].kwargs).toEqual({ k: 'v', w: '' });
  });
});

describe('wire form (facts/wire.ts)', () => {
  it('decodes to the facts encoded, plainly and through a compactor, keyword `__proto__` included', () => {
    const f = facts('a.py', SRC + 'f(**{"__proto__": 1})\ng(__proto__=2, x=3)\n');
    f.calls.push({ callee: 'h', line: 99, args: ['a'.repeat(300)], kwargs: { __proto__: 'v' } as Record<string, string>, scope: '' });
    Object.defineProperty(f.calls[f.calls.length - 1].kwargs, '__proto__', { value: 'v', enumerable: true, writable: true, configurable: true });
    const copy = structuredClone(f);
    const wire = JSON.parse(JSON.stringify(encodeFacts(f)));
    expect(decodeFacts(wire)).toEqual(copy);
    const c = new FactsCompactor();
    const d = c.decode(JSON.parse(JSON.stringify(encodeFacts(f))));
    expect(d).toEqual(copy);
    expect(Object.keys(d.calls[d.calls.length - 1].kwargs)).toEqual(['__proto__']);
    // A second file decoded by the same compactor shares the short lists and records of the first.
    const d2 = c.decode(JSON.parse(JSON.stringify(encodeFacts(facts('b.py', SRC)))));
    const ce = (x: FileFacts) => x.calls.find((k) => k.callee === 'torch.nn.functional.cross_entropy')!;
    expect(ce(d2).args).toBe(ce(d).args);
    expect(ce(d2).kwargs).toBe(ce(d).kwargs);
  });

  it('throws on a damaged entry instead of giving wrong facts', () => {
    const w = encodeFacts(facts('a.py', SRC));
    const broken = [
      { ...w, s: [...w.s.slice(0, -1), 7 as unknown as string] },
      { ...w, c: [...w.c, 1] },
      { ...w, a: [...w.a, w.s.length + 1, 1, 0, 0, 0] },
      { ...w, n: [-1, 1, 0] },
      { ...w, c: [1.5, ...w.c.slice(1)] },
      { ...w, f: null as unknown as typeof w.f },
      // As a worker sends them: Int32Arrays, checked the same way.
      { ...w, c: Int32Array.from([-1, ...w.c.slice(1)]) },
      { ...w, n: Int32Array.from([w.s.length, 1, 0]) },
    ];
    // Sound Int32Arrays decode to the same facts as plain lists.
    expect(decodeFacts({ ...w, c: Int32Array.from(w.c), a: Int32Array.from(w.a), n: Int32Array.from(w.n) })).toEqual(decodeFacts(w));
    for (const b of broken) expect(() => decodeFacts(b)).toThrow(/damaged facts entry/);
  });
});
