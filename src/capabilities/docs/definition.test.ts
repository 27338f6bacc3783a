import { describe, expect, it } from 'vitest';
import { judge, stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

const rows: Row[] = [
  ['docs.readme', 'a README with an Installation heading', { 'README.md': '# x\n\n## Installation\n\npip install x\n' }, 'present'],
  ['docs.readme', 'a quick start in a monorepo package README', { 'packages/core/README.md': '# core\n\n## 🚀 Quick start\n' }, 'present'],
  ['docs.readme', 'a README without install/usage sections', { 'README.md': '# x\n\n## Results\n\n## Citation\n' }, 'absent'],
  ['docs.readme', 'an install heading outside a README does not count', { 'docs/notes.md': '## Installation\n' }, 'absent'],

  ['docs.examples', 'examples/', { 'examples/run.py': 'print(1)\n' }, 'present'],
  ['docs.examples', 'a notebook', { 'analysis.ipynb': '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n' }, 'present'],
  ['docs.examples', 'an empty examples folder placeholder', { 'examples/.gitkeep': '' }, 'absent'],

  ['docs.site', 'docs/ with content', { 'docs/index.md': '# Docs\n' }, 'present'],
  ['docs.site', 'a documentation/ folder', { 'documentation/api.md': '# API\n' }, 'present'],
  ['docs.site', 'a Mermaid diagram', { 'ARCHITECTURE.md': '# Arch\n\n```mermaid\ngraph TD; A-->B\n```\n' }, 'present'],
  ['docs.site', 'mkdocs.yml', { 'mkdocs.yml': 'site_name: x\n' }, 'present'],
  ['docs.site', 'none', { 'README.md': '# x\n' }, 'absent'],

  ['docs.docstrings', 'most public functions documented', {
    'pkg/a.py': 'def f():\n    """F."""\n    return 1\n\ndef g():\n    """G."""\n    return 2\n\ndef h():\n    return 3\n',
  }, 'present'],
  ['docs.docstrings', 'few public functions documented', { 'pkg/a.py': 'def f():\n    return 1\n\ndef g():\n    return 2\n\ndef h():\n    """H."""\n' }, 'absent'],
];

describe('docs signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });

  it('reports the measured docstring percentage', async () => {
    const r = await judge('docs', { 'pkg/a.py': 'def f():\n    """F."""\n\ndef g():\n    return 2\n' });
    expect(r.subfeatures.find((s) => s.id === 'docs.docstrings')?.note).toMatch(/50%/);
  });
});
