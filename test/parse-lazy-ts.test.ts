/**
 * The TS/JS parser (TypeScript's compiler) loads on first need. A caller of the synchronous entry point
 * that did not load it first gets the lexical fallback and an issue saying so, never silent gaps; the
 * async entry points load it themselves. test/setup.ts loads the parser for every test file, so this
 * test imports a fresh instance of the dispatch module (vi.resetModules), where it starts unloaded.
 */
import { describe, expect, it, vi } from 'vitest';

describe('lazy TypeScript parser', () => {
  it('falls back with an issue when not loaded, parses fully once loaded', async () => {
    vi.resetModules();
    const index = await import('../src/parse/index.js');
    const { emptyFacts } = await import('../src/facts/types.js');
    const text = "import { z } from 'zod';\nexport function train(cfg: Cfg): void { z.object({ lr: 1 }); }\n";
    const before = emptyFacts('src/a.ts', 'typescript', text.length, 'h');
    expect(index.needsTypeScriptParser('typescript')).toBe(true);
    expect(index.needsTypeScriptParser('python')).toBe(false);
    index.parseSource(text, before);
    expect(before.parser).toBe('fallback');
    expect(before.issues.map((i) => i.message).join('\n')).toContain('TypeScript parser not loaded');
    await index.loadTypeScriptParser();
    expect(index.needsTypeScriptParser('javascript')).toBe(false);
    const after = emptyFacts('src/a.ts', 'typescript', text.length, 'h');
    index.parseSource(text, after);
    expect(after.issues).toEqual([]);
    expect(after.parser).not.toBe('fallback');
    expect(after.definitions.map((d) => d.name)).toEqual(['train']);
    expect(after.calls.map((c) => c.callee)).toContain('zod.z.object');
  });

  it('a parser that cannot load gives fallback facts and an issue naming why, without retrying per file', async () => {
    vi.resetModules();
    vi.doMock('../src/parse/typescript.js', () => {
      throw new Error('typescript is missing');
    });
    try {
      const index = await import('../src/parse/index.js');
      const { emptyFacts } = await import('../src/facts/types.js');
      await expect(index.loadTypeScriptParser()).resolves.toBeUndefined();
      expect(index.needsTypeScriptParser('typescript')).toBe(false);
      const text = 'export function train(): void {}\n';
      const f = emptyFacts('src/a.ts', 'typescript', text.length, 'h');
      index.parseSource(text, f);
      expect(f.parser).toBe('fallback');
      expect(f.issues.map((i) => i.message).join('\n')).toContain("TypeScript parser could not load (");
      expect(f.definitions.map((d) => d.name)).toEqual(['train']);
    } finally {
      vi.doUnmock('../src/parse/typescript.js');
      vi.resetModules();
    }
  });
});
