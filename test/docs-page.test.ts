import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { capabilities } from '../src/capabilities/index.js';
import { renderCapabilitiesPage } from '../src/capabilities/docs-page.js';

describe('docs/capabilities.md', () => {
  it('is exactly what the registry generates (run `npm run docs` after changing a capability)', () => {
    const committed = readFileSync(new URL('../docs/capabilities.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderCapabilitiesPage(capabilities));
  });
  it('names every sub-feature id once', () => {
    const page = renderCapabilitiesPage(capabilities);
    for (const c of capabilities) for (const s of c.subfeatures) expect(page.split(`| \`${s.id}\` |`).length - 1).toBe(1);
  });
});
