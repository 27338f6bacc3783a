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
});
