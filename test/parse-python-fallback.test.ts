import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyFacts, type FileFacts } from '../src/facts/types.js';
import { initPython, parsePython, pythonGrammarError, resetPythonGrammarForTests } from '../src/parse/python.js';
import { parsePythonFallback } from '../src/parse/python-fallback.js';

function fallback(src: string, path = 'pkg/train.py'): FileFacts {
  const facts = emptyFacts(path, 'python', src.length, 'h');
  parsePython(src, facts, { forceFallback: true });
  return facts;
}

const SRC = `"""Module doc with def fake(): and import nothing and # TODO not a marker."""
import os, sys as system
import torch.nn as nn
from torch.nn.utils import (
    clip_grad_norm_ as clip,  # FIXME: pin version
    clip_grad_value_,
)
from .models import Encoder
from . import utils
from ..x import *
try:
    import wandb
except ImportError:
    wandb = None

CONFIG = {
    "lr": 1e-3,  # TODO tune
    "text": "def not_a_def(): pass",
}
s = '''
class NotAClass:
    # HACK inside a string
'''
os.environ["WANDB_MODE"] = "offline"


@register("model")
class Net(nn.Module, metaclass=Meta):
    """Docstring."""

    def __init__(self, d):
        super().__init__()
        self.d = d

    @torch.no_grad()
    def forward(self, x):
        y = self.layer(x).relu()  # XXX: slow
        return nn.functional.softmax(y, dim=-1)

    def todo(self):
        raise NotImplementedError


async def main(args):
    model = Net(args.d)
    clip(model.parameters(), max_norm=args.max_grad_norm)
    x[0].backward()
    print("a(b)", f"{x}")
`;

describe('lexical fallback', () => {
  const f = fallback(SRC);
  beforeAll(async () => {
    await initPython();
  });

  it('marks the facts as degraded', () => {
    expect(f.parser).toBe('fallback');
    expect(f.issues).toHaveLength(1);
    expect(f.issues[0]).toMatchObject({ step: 'STEP_2:PARSE', path: 'pkg/train.py' });
    expect(f.issues[0].message).toMatch(/degraded/);
    expect(f.lines.total).toBe(SRC.split('\n').length);
  });

  it('extracts imports, including multi-line, relative and inside try', () => {
    expect(f.imports.map((i) => [i.module, i.names.join(','), i.kind, i.line])).toEqual([
      ['os', '', 'import', 2],
      ['sys', '', 'import', 2],
      ['torch.nn', '', 'import', 3],
      ['torch.nn.utils', 'clip_grad_norm_,clip_grad_value_', 'from', 4],
      ['pkg.models', 'Encoder', 'from', 8],
      ['pkg', 'utils', 'from', 9],
      ['x', '*', 'from', 10],
      ['wandb', '', 'import', 12],
    ]);
    expect(f.imports.filter((i) => i.relative).length).toBe(3);
  });

  it('extracts definitions with indentation-based spans, decorators and stubs', () => {
    const defs = f.definitions.filter((d) => d.kind !== 'variable');
    expect(defs.map((d) => [d.qualName, d.kind, d.line, d.endLine])).toEqual([
      ['Net', 'class', 28, 41],
      ['Net.__init__', 'method', 31, 33],
      ['Net.forward', 'method', 36, 38],
      ['Net.todo', 'method', 40, 41],
      ['main', 'function', 44, 48],
    ]);
    const net = defs[0];
    expect(net).toMatchObject({ bases: ['torch.nn.Module'], decorators: ['register'], docstring: true, exported: true, stub: false });
    expect(defs[1].trivialInit).toBe(true);
    expect(defs[2].decorators).toEqual(['torch.no_grad']);
    expect(defs[3]).toMatchObject({ stub: true, stubKind: 'not_implemented', parent: 'Net' });
    expect(defs[4]).toMatchObject({ async: true, exported: true });
    expect(f.definitions.filter((d) => d.kind === 'variable').map((d) => d.name)).toEqual(['wandb', 'CONFIG', 's']);
  });

  it('nothing inside strings becomes code', () => {
    const names = f.definitions.map((d) => d.name);
    expect(names).not.toContain('fake');
    expect(names).not.toContain('not_a_def');
    expect(names).not.toContain('NotAClass');
    expect(f.names.map((n) => n.name)).not.toContain('NotAClass');
  });

  it('markers come only from comments', () => {
    expect(f.markers.map((m) => [m.kind, m.line, m.text])).toEqual([
      ['FIXME', 5, 'pin version'],
      ['TODO', 17, 'tune'],
      ['XXX', 37, 'slow'],
    ]);
  });

  it('extracts calls resolved through aliases, with arguments', () => {
    const c = (callee: string) => f.calls.filter((x) => x.callee === callee);
    expect(c('torch.nn.utils.clip_grad_norm_')[0]).toMatchObject({
      line: 46,
      args: ['model.parameters()'],
      kwargs: { max_norm: 'args.max_grad_norm' },
      scope: 'main',
    });
    expect(c('torch.nn.functional.softmax')[0]).toMatchObject({ args: ['y'], kwargs: { dim: '-1' }, scope: 'Net.forward' });
    expect(c('self.layer().relu')).toHaveLength(1);
    expect(c('?.backward')).toHaveLength(1);
    expect(c('print')[0].args).toEqual(['"a(b)"', 'f"{x}"']);
    expect(c('register')[0].args).toEqual(['"model"']);
    expect(c('super().__init__')).toHaveLength(1);
    // keywords and definitions are not calls
    expect(f.calls.map((x) => x.callee)).not.toContain('forward');
    expect(f.calls.map((x) => x.callee)).not.toContain('Net.forward');
  });

  it('extracts simple assignments', () => {
    expect(f.assignments.find((a) => a.target === 'os.environ[WANDB_MODE]')).toMatchObject({ value: '"offline"', valueKind: 'string', line: 24 });
    expect(f.assignments.find((a) => a.target === 'CONFIG')).toMatchObject({ valueKind: 'dict', line: 16 });
    expect(f.assignments.find((a) => a.target === 'self.d')).toMatchObject({ valueKind: 'name', scope: 'Net.__init__' });
  });

  it('does not let an unclosed bracket swallow the rest of the file', () => {
    const g = fallback('x = foo(1,\n\ndef later():\n    return 2\n\nclass K:\n    pass\n');
    expect(g.definitions.filter((d) => d.kind !== 'variable').map((d) => d.name)).toEqual(['later', 'K']);
  });

  it('reads PEP 695 headers, one-line compound bodies and trailing comments like the tree does', () => {
    const src = [
      'import re as regex',
      'class Box[T](Base):',
      '    def first[U](self, xs: list[U]) -> U:',
      '        return xs[0]',
      '        # trailing comment in the body',
      '       # less indented: belongs to the class',
      '# column 0: outside',
      'if regex: import json',
      'try: import yaml',
      'except ImportError: yaml = None',
    ].join('\n');
    const fb = fallback(src);
    const tree = emptyFacts('pkg/train.py', 'python', 0, '');
    parsePython(src, tree);
    expect(tree.parser).toBe('tree-sitter');
    const shape = (f: FileFacts) => ({
      defs: f.definitions.map((d) => [d.qualName, d.kind, d.line, d.endLine, d.bases.join(',')]),
      imports: f.imports.map((i) => [i.module, i.line]),
    });
    expect(shape(fb)).toEqual(shape(tree));
    expect(shape(fb).defs).toEqual([
      ['Box', 'class', 2, 6, 'Base'],
      ['Box.first', 'method', 3, 5, ''],
      ['yaml', 'variable', 10, 10, ''],
    ]);
    expect(shape(fb).imports).toEqual([
      ['re', 1],
      ['json', 8],
      ['yaml', 9],
    ]);
  });

  it('handles tabs, semicolons, backslash continuations and CRLF', () => {
    const g = fallback('import os; import sys\r\nx = 1 + \\\r\n    2\r\nif x:\r\n\tdef f():\r\n\t\tpass\r\n');
    expect(g.imports.map((i) => i.module)).toEqual(['os', 'sys']);
    expect(g.definitions.find((d) => d.name === 'f')).toMatchObject({ stub: true, line: 5, endLine: 6 });
  });

  it('maps lines and runs silently for merging', () => {
    const g = emptyFacts('a.py', 'python', 0, '');
    parsePythonFallback('import os\n# TODO x\n', g, { silent: true, lineMap: (l) => l + 100 });
    expect(g.issues).toEqual([]);
    expect(g.imports[0].line).toBe(101);
    expect(g.markers[0].line).toBe(102);
  });

  it('finishes on hostile input without throwing', () => {
    fallback('f(' .repeat(20000) + ')'.repeat(20000));
    fallback('"""'.repeat(1) + 'x'.repeat(1_000_000));
    fallback('a.'.repeat(100000) + 'b()');
    fallback(' '.repeat(50000) + 'def x():\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i + 1) + 'def f():').join('\n'));
  });
});

describe('grammar that cannot load', () => {
  beforeAll(async () => {
    resetPythonGrammarForTests('/nonexistent/dir/tree-sitter-python.wasm');
    await initPython();
  });
  afterAll(async () => {
    resetPythonGrammarForTests();
    await initPython();
  });

  it('remembers the error without leaking machine paths, and every file uses the fallback', () => {
    const err = pythonGrammarError();
    expect(err).toBeDefined();
    expect(err).not.toContain('/nonexistent');
    const facts = emptyFacts('a.py', 'python', 0, '');
    parsePython('import os\ndef f():\n    pass\n', facts);
    expect(facts.parser).toBe('fallback');
    expect(facts.issues).toHaveLength(1);
    expect(facts.issues[0].step).toBe('STEP_2:PARSE');
    expect(facts.issues[0].message).toMatch(/grammar could not load/);
    expect(facts.definitions[0]).toMatchObject({ name: 'f', stub: true });
  });
});

describe('grammar recovery', () => {
  it('loads again after a reset', async () => {
    resetPythonGrammarForTests();
    await initPython();
    expect(pythonGrammarError()).toBeUndefined();
    const facts = emptyFacts('a.py', 'python', 0, '');
    parsePython('x = 1\n', facts);
    expect(facts.parser).toBe('tree-sitter');
  });
});
