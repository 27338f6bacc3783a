import { beforeAll, describe, expect, it } from 'vitest';
import { emptyFacts, type FileFacts } from '../src/facts/types.js';
import { parseNotebook } from '../src/parse/notebook.js';
import { initPython } from '../src/parse/python.js';

beforeAll(async () => {
  await initPython();
});

function nb(text: string, path = 'notebooks/explore.ipynb'): FileFacts {
  const facts = emptyFacts(path, 'notebook', text.length, 'h');
  parseNotebook(text, facts);
  return facts;
}

/** Source lines as Jupyter stores them: each ends with \n except the last. */
const src = (...lines: string[]) => lines.map((l, i) => (i < lines.length - 1 ? l + '\n' : l));

const NOTEBOOK = {
  cells: [
    { cell_type: 'markdown', metadata: {}, source: src('# Training notebook', '', 'Some *prose* with import torch.', '## Setup') },
    {
      cell_type: 'code',
      execution_count: 1,
      metadata: {},
      outputs: [{ output_type: 'stream', name: 'stdout', text: ['def not_code():\n', '# TODO not a marker\n'] }],
      source: src('%matplotlib inline', '!pip install torch', 'import torch', 'import torch.nn as nn  # TODO pin torch'),
    },
    {
      cell_type: 'code',
      execution_count: 2,
      metadata: {},
      outputs: [],
      source: src('class Net(nn.Module):', '    def forward(self, x):', '        raise NotImplementedError', '', 'model = Net()', 'torch.manual_seed(0)'),
    },
    { cell_type: 'markdown', metadata: {}, source: '### Results\n```python\n# not a heading\n```\n#NoSpace' },
    { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: src('%%bash', 'echo def shell_only():') },
    { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: 'x = compute()\ny = x.mean()' },
  ],
  metadata: { kernelspec: { name: 'python3', language: 'python' } },
  nbformat: 4,
  nbformat_minor: 5,
};

const TEXT = JSON.stringify(NOTEBOOK, null, 1) + '\n';
const jsonLines = TEXT.split('\n');
/** Line of the .ipynb holding a JSON string that starts with `s` (first occurrence at or after `after`). */
const lineOfJson = (s: string, after = 0) => {
  const needle = JSON.stringify(s).slice(0, -1);
  for (let i = after; i < jsonLines.length; i++) if (jsonLines[i].includes(needle)) return i + 1;
  throw new Error(`not found: ${s}`);
};

describe('parseNotebook', () => {
  let f: FileFacts;
  beforeAll(() => {
    f = nb(TEXT);
  });

  it('parses code cells as Python and keeps the notebook language', () => {
    expect(f.language).toBe('notebook');
    expect(f.parser).toBe('tree-sitter');
    expect(f.issues).toEqual([]);
    expect(f.imports.map((i) => i.module)).toEqual(['torch', 'torch.nn']);
    expect(f.definitions.map((d) => d.qualName)).toEqual(['Net', 'Net.forward', 'model', 'x', 'y']);
    expect(f.calls.map((c) => c.callee)).toEqual(['Net', 'torch.manual_seed', 'compute', 'x.mean']);
  });

  it('maps every line to the line of the .ipynb file', () => {
    expect(f.imports[0].line).toBe(lineOfJson('import torch\n'));
    expect(f.imports[1].line).toBe(lineOfJson('import torch.nn as nn'));
    const net = f.definitions[0];
    expect(net.line).toBe(lineOfJson('class Net(nn.Module):'));
    expect(net.endLine).toBe(lineOfJson('        raise NotImplementedError'));
    expect(f.definitions[1]).toMatchObject({ stub: true, stubKind: 'not_implemented' });
    expect(f.calls.find((c) => c.callee === 'torch.manual_seed')?.line).toBe(lineOfJson('torch.manual_seed(0)'));
    // a single-string source maps all its lines to the line of that string
    const strLine = lineOfJson('x = compute()');
    expect(f.calls.find((c) => c.callee === 'x.mean')?.line).toBe(strLine);
  });

  it('takes markers from code comments only (not from outputs)', () => {
    expect(f.markers).toEqual([{ kind: 'TODO', line: lineOfJson('import torch.nn as nn'), text: 'pin torch' }]);
  });

  it('blanks magics and shell lines, and non-Python cell magics entirely', () => {
    expect(f.calls.map((c) => c.callee)).not.toContain('pip');
    expect(f.definitions.map((d) => d.name)).not.toContain('shell_only');
    expect(f.definitions.map((d) => d.name)).not.toContain('not_code');
    expect(f.issues).toEqual([]);
  });

  it('records cells with their start lines and markdown headings', () => {
    expect(f.cells?.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(f.cells?.[0].startLine).toBe(lineOfJson('# Training notebook'));
    expect(f.cells?.[1].startLine).toBe(lineOfJson('%matplotlib inline'));
    expect(f.cells?.[5].startLine).toBe(strLineOf());
    expect(f.headings).toEqual([
      { level: 1, text: 'Training notebook', line: lineOfJson('# Training notebook') },
      { level: 2, text: 'Setup', line: lineOfJson('## Setup') },
      { level: 3, text: 'Results', line: lineOfJson('### Results') },
    ]);
  });

  it('counts code and markdown lines', () => {
    // code cells: 4 + 6 + 2 + 2 lines (magic lines are blank); markdown: 4 + 5 lines, one blank
    expect(f.lines).toEqual({ total: 14 + 9, code: 9, comment: 8, blank: 5 + 1 });
  });

  it('maps syntax errors to the notebook line', () => {
    const bad = JSON.stringify({ cells: [{ cell_type: 'code', source: ['x = 1\n', 'def broken(:\n', '    pass'] }] }, null, 1);
    const g = nb(bad);
    expect(g.issues.length).toBeGreaterThan(0);
    const lines = bad.split('\n');
    const expected = lines.findIndex((l) => l.includes('def broken')) + 1;
    expect(g.issues[0].message).toContain(`line ${expected}`);
  });
});

function strLineOf(): number {
  return lineOfJson('x = compute()');
}

describe('parseNotebook tolerance', () => {
  it('reports invalid JSON without throwing', () => {
    const f = nb('{"cells": [');
    expect(f.issues).toHaveLength(1);
    expect(f.issues[0]).toMatchObject({ step: 'STEP_2:PARSE', path: 'notebooks/explore.ipynb' });
    expect(f.issues[0].message).toMatch(/not valid JSON/);
  });

  it('reports non-object JSON', () => {
    for (const t of ['[]', '42', 'null', '"x"']) {
      const f = nb(t);
      expect(f.issues).toHaveLength(1);
      expect(f.issues[0].message).toMatch(/not an object/);
    }
  });

  it('reports a missing cells array', () => {
    const f = nb('{"metadata": {}}');
    expect(f.issues[0].message).toMatch(/no "cells" array/);
  });

  it('tolerates wrong types in cells and sources', () => {
    const text = JSON.stringify(
      {
        cells: [
          42,
          null,
          { cell_type: 'code', source: ['import os\n', 7, 'os.getcwd()'] },
          { cell_type: 'code', source: { not: 'a list' } },
          { cell_type: 5, source: 'import nope' },
          { cell_type: 'code' },
          { cell_type: 'markdown', source: ['# Title'] },
        ],
      },
      null,
      1,
    );
    const f = nb(text);
    expect(f.imports.map((i) => i.module)).toEqual(['os']);
    expect(f.calls.map((c) => c.callee)).toEqual(['os.getcwd']);
    expect(f.cells).toHaveLength(7);
    expect(f.headings.map((h) => h.text)).toEqual(['Title']);
    expect(f.issues).toHaveLength(1);
    expect(f.issues[0].message).toMatch(/unexpected types/);
    const lines = text.split('\n');
    expect(f.calls[0].line).toBe(lines.findIndex((l) => l.includes('os.getcwd()')) + 1);
  });

  it('reads nbformat 3 worksheets with input fields', () => {
    const text = JSON.stringify(
      { nbformat: 3, worksheets: [{ cells: [{ cell_type: 'code', input: ['import numpy as np\n', 'np.zeros(3)'] }] }] },
      null,
      1,
    );
    const f = nb(text);
    expect(f.imports.map((i) => i.module)).toEqual(['numpy']);
    expect(f.calls[0].callee).toBe('numpy.zeros');
    expect(f.calls[0].line).toBe(text.split('\n').findIndex((l) => l.includes('np.zeros')) + 1);
  });

  it('handles a compact (one-line) notebook, a BOM and escaped quotes', () => {
    const text = '\ufeff' + JSON.stringify({ cells: [{ cell_type: 'code', source: ['s = "a \\"q\\" b"  # FIXME: x\n', 'print(s)'] }] });
    const f = nb(text);
    expect(f.markers).toEqual([{ kind: 'FIXME', line: 1, text: 'x' }]);
    expect(f.calls[0]).toMatchObject({ callee: 'print', line: 1 });
  });

  it('does not parse a non-Python kernel as Python', () => {
    const text = JSON.stringify({ metadata: { kernelspec: { language: 'R' } }, cells: [{ cell_type: 'code', source: 'library(ggplot2)' }] });
    const f = nb(text);
    expect(f.calls).toEqual([]);
    expect(f.parser).toBe('reader');
    expect(f.issues).toEqual([]);
  });

  it('ignores a 20 MB output quickly', () => {
    const big = 'x'.repeat(20 * 1024 * 1024);
    const text = JSON.stringify(
      {
        cells: [
          { cell_type: 'code', source: ['import torch\n', 'torch.cuda.is_available()'], outputs: [{ output_type: 'stream', text: [big, '"quoted" \\ more'] }] },
          { cell_type: 'code', source: ['print(1)'], outputs: [] },
        ],
      },
      null,
      1,
    );
    const f = nb(text);
    expect(f.calls.map((c) => c.callee)).toEqual(['torch.cuda.is_available', 'print']);
    expect(f.calls[1].line).toBe(text.split('\n').findIndex((l) => l.includes('print(1)')) + 1);
  });
});
