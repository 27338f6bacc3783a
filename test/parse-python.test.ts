import { beforeAll, describe, expect, it } from 'vitest';
import { emptyFacts, type FileFacts } from '../src/facts/types.js';
import { initPython, parsePython, pythonGrammarError, setDirectCursorForTests } from '../src/parse/python.js';

function parse(src: string, path = 'pkg/sub/train.py', opts?: Parameters<typeof parsePython>[2]): FileFacts {
  const facts = emptyFacts(path, 'python', src.length, 'h');
  parsePython(src, facts, opts);
  return facts;
}

const def = (f: FileFacts, qualName: string) => {
  const d = f.definitions.find((x) => x.qualName === qualName);
  if (!d) throw new Error(`no definition ${qualName}: ${f.definitions.map((x) => x.qualName).join(', ')}`);
  return d;
};
const calls = (f: FileFacts, callee: string) => f.calls.filter((c) => c.callee === callee);

const TRAIN = `#!/usr/bin/env python
"""Training entry point."""
from __future__ import annotations

import os
import torch
import torch.nn as nn
from torch.nn.utils import clip_grad_norm_ as clip
from dataclasses import dataclass, field
from typing import Protocol
from abc import ABC, abstractmethod
from ..models import Encoder
from . import utils
from .data import *
from transformers import AutoModel, AutoTokenizer

try:
    import wandb
except ImportError:  # optional dependency
    wandb = None

LEARNING_RATE = 3e-4
_PRIVATE: int = 1
os.environ["WANDB_MODE"] = "offline"
torch.backends.cudnn.deterministic = True


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters."""
    lr: float = 1e-3
    max_grad_norm: float = 1.0
    tags: list[str] = field(default_factory=list)


class Base(ABC):
    @abstractmethod
    def step(self, batch) -> float:
        """One optimisation step."""


class Model(nn.Module):
    class Config:
        depth = 2

    def __init__(self, dim: int, vocab: int = 32000):
        super().__init__()
        self.dim = dim
        self.embed = nn.Embedding(vocab, dim)

    def forward(self, x):  # TODO: mask padding
        return self.embed(x).relu()


@torch.no_grad()
def evaluate(model, loader):
    def _inner(batch):
        return model(batch)
    return [_inner(b) for b in loader]


async def fetch(url: str) -> bytes:
    async with session.get(url) as resp:
        return await resp.read()


def train(cfg: TrainConfig, args):
    import numpy as np
    model = AutoModel.from_pretrained("bert-base", torch_dtype=torch.float16).to("cuda")
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, **{"eps": 1e-8})
    for step, batch in enumerate(loader):
        loss = model(**batch).loss
        loss.backward()
        clip(model.parameters(), max_norm=args.max_grad_norm)
        opt.step()
        total, count = 0, 1
        total += loss.item()
    with torch.no_grad():
        x[0].backward()
        "abc".encode("utf-8")
    np.random.seed(0)


if __name__ == "__main__":
    train(TrainConfig(), parse_args())
`;

beforeAll(async () => {
  await initPython();
});

describe('parsePython (tree-sitter)', () => {
  it('loads the grammar', () => {
    expect(pythonGrammarError()).toBeUndefined();
    const f = parse('x = 1\n');
    expect(f.parser).toBe('tree-sitter');
    expect(f.issues).toEqual([]);
  });

  it('extracts imports with relative resolution', () => {
    const f = parse(TRAIN);
    const mods = f.imports.map((i) => [i.module, i.names.join(','), i.kind, i.relative ?? false, i.line]);
    expect(mods).toEqual([
      ['__future__', 'annotations', 'from', false, 3],
      ['os', '', 'import', false, 5],
      ['torch', '', 'import', false, 6],
      ['torch.nn', '', 'import', false, 7],
      ['torch.nn.utils', 'clip_grad_norm_', 'from', false, 8],
      ['dataclasses', 'dataclass,field', 'from', false, 9],
      ['typing', 'Protocol', 'from', false, 10],
      ['abc', 'ABC,abstractmethod', 'from', false, 11],
      ['pkg.models', 'Encoder', 'from', true, 12],
      ['pkg.sub', 'utils', 'from', true, 13],
      ['pkg.sub.data', '*', 'from', true, 14],
      ['transformers', 'AutoModel,AutoTokenizer', 'from', false, 15],
      ['wandb', '', 'import', false, 18],
      ['numpy', '', 'import', false, 68],
    ]);
  });

  it('resolves relative imports for __init__.py, src layout and the repository root', () => {
    // `...` climbs to the repository root; a fourth dot leaves it and is kept as written
    const src = 'from . import a\nfrom .. import b\nfrom ..x.y import z\nfrom ...top import q\nfrom .... import r\n';
    const expected = ['pkg.sub', 'pkg', 'pkg.x.y', 'top', '....'];
    expect(parse(src, 'pkg/sub/__init__.py').imports.map((i) => i.module)).toEqual(expected);
    expect(parse(src, 'src/pkg/sub/mod.py').imports.map((i) => i.module)).toEqual(expected);
    expect(parse(src, 'src/pkg/sub/mod.py', { forceFallback: true }).imports.map((i) => i.module)).toEqual(expected);
    expect(parse('from .models import X\nfrom . import m\n', 'train.py').imports.map((i) => i.module)).toEqual(['models', '.']);
  });

  it('resolves callees, decorators, bases and targets through aliases', () => {
    const f = parse(TRAIN);
    expect(calls(f, 'torch.nn.utils.clip_grad_norm_')).toHaveLength(1);
    const clip = calls(f, 'torch.nn.utils.clip_grad_norm_')[0];
    expect(clip.kwargs).toEqual({ max_norm: 'args.max_grad_norm' });
    expect(clip.args).toEqual(['model.parameters()']);
    expect(clip.scope).toBe('train');
    expect(clip.line).toBe(74);
    expect(calls(f, 'torch.nn.Embedding')[0].args).toEqual(['vocab', 'dim']);
    expect(def(f, 'Model').bases).toEqual(['torch.nn.Module']);
    expect(def(f, 'Base').bases).toEqual(['abc.ABC']);
    expect(def(f, 'Base.step').decorators).toEqual(['abc.abstractmethod']);
    expect(def(f, 'TrainConfig').decorators).toEqual(['dataclasses.dataclass']);
    expect(def(f, 'evaluate').decorators).toEqual(['torch.no_grad']);
    // the import inside the function still feeds the alias table
    expect(calls(f, 'numpy.random.seed')).toHaveLength(1);
  });

  it('writes chained calls with () and non-name receivers as ?', () => {
    const f = parse(TRAIN);
    const to = calls(f, 'transformers.AutoModel.from_pretrained().to');
    expect(to).toHaveLength(1);
    expect(to[0].args).toEqual(['"cuda"']);
    const fp = calls(f, 'transformers.AutoModel.from_pretrained')[0];
    expect(fp.args).toEqual(['"bert-base"']);
    expect(fp.kwargs).toEqual({ torch_dtype: 'torch.float16' });
    expect(calls(f, '?.backward')).toHaveLength(1);
    expect(calls(f, '?.encode')[0].args).toEqual(['"utf-8"']);
    expect(calls(f, 'self.embed().relu')).toHaveLength(1);
    expect(calls(f, 'super().__init__')).toHaveLength(1);
    // ** dicts are ignored, keyword args kept
    const adam = calls(f, 'torch.optim.AdamW')[0];
    expect(adam.kwargs).toEqual({ lr: 'cfg.lr' });
    expect(adam.args).toEqual(['model.parameters()']);
  });

  it('counts calls in decorators, default arguments and with statements, with the right scope', () => {
    const f = parse(TRAIN);
    expect(calls(f, 'dataclasses.dataclass')[0]).toMatchObject({ kwargs: { frozen: 'True' }, scope: '', line: 28 });
    expect(calls(f, 'dataclasses.field')[0]).toMatchObject({ kwargs: { default_factory: 'list' }, scope: 'TrainConfig' });
    const ng = calls(f, 'torch.no_grad');
    expect(ng.map((c) => [c.line, c.scope])).toEqual([
      [55, ''],
      [78, 'train'],
    ]);
    expect(calls(f, 'session.get')[0].scope).toBe('fetch');
    expect(calls(f, 'model')[0].scope).toBe('evaluate._inner');
    const g = parse('def f(a=make_default(1)):\n    pass\n');
    expect(g.calls).toEqual([{ callee: 'make_default', line: 1, args: ['1'], kwargs: {}, scope: '' }]);
  });

  it('extracts definitions with kinds, qualNames, spans, docstrings and exports', () => {
    const f = parse(TRAIN);
    const fns = f.definitions.filter((d) => d.kind !== 'variable').map((d) => [d.qualName, d.kind, d.line, d.endLine]);
    expect(fns).toEqual([
      ['TrainConfig', 'class', 29, 33],
      ['Base', 'class', 36, 39],
      ['Base.step', 'method', 38, 39],
      ['Model', 'class', 42, 52],
      ['Model.Config', 'class', 43, 44],
      ['Model.__init__', 'method', 46, 49],
      ['Model.forward', 'method', 51, 52],
      ['evaluate', 'function', 56, 59],
      ['evaluate._inner', 'function', 57, 58],
      ['fetch', 'function', 62, 64],
      ['train', 'function', 67, 81],
    ]);
    expect(def(f, 'TrainConfig')).toMatchObject({ docstring: true, exported: true, parent: '', stub: false });
    expect(def(f, 'Model.forward')).toMatchObject({ kind: 'method', parent: 'Model', exported: false, docstring: false, async: false });
    expect(def(f, 'evaluate._inner')).toMatchObject({ kind: 'function', parent: 'evaluate', exported: false });
    expect(def(f, 'fetch')).toMatchObject({ async: true, exported: true });
    expect(def(f, 'Model.Config')).toMatchObject({ kind: 'class', parent: 'Model' });
  });

  it('records module-level variables (first binding, underscore rule)', () => {
    const f = parse(TRAIN);
    const vars = f.definitions.filter((d) => d.kind === 'variable').map((d) => [d.name, d.line, d.exported]);
    expect(vars).toEqual([
      ['wandb', 20, true],
      ['LEARNING_RATE', 22, true],
      ['_PRIVATE', 23, false],
    ]);
    // attribute, subscript and function-local targets are not variables
    expect(f.definitions.find((d) => d.name === 'model' && d.kind === 'variable')).toBeUndefined();
  });

  it('extracts assignments: attribute, subscript, annotated, augmented, tuple', () => {
    const f = parse(TRAIN);
    const a = (t: string) => f.assignments.filter((x) => x.target === t);
    expect(a('os.environ[WANDB_MODE]')[0]).toMatchObject({ value: '"offline"', valueKind: 'string', line: 24, scope: '' });
    expect(a('torch.backends.cudnn.deterministic')[0]).toMatchObject({ value: 'True', valueKind: 'bool' });
    expect(a('LEARNING_RATE')[0]).toMatchObject({ value: '3e-4', valueKind: 'number' });
    expect(a('_PRIVATE')[0]).toMatchObject({ value: '1', valueKind: 'number' });
    expect(a('wandb')[0]).toMatchObject({ valueKind: 'none' });
    expect(a('lr')[0]).toMatchObject({ scope: 'TrainConfig', value: '1e-3' });
    expect(a('self.embed')[0]).toMatchObject({ valueKind: 'call', scope: 'Model.__init__' });
    expect(a('total').map((x) => [x.value, x.line])).toEqual([
      ['0', 76],
      ['loss.item()', 77],
    ]);
    expect(a('count')[0]).toMatchObject({ value: '1', valueKind: 'number' });
    const g = parse('a = b = {"k": 1}\nx, (y, *z) = f()\ncfg["a"]["b"] = [1]\nn = -1\nq = d[0]\n');
    expect(g.assignments.map((x) => [x.target, x.value, x.valueKind])).toEqual([
      ['a', '{"k": 1}', 'dict'],
      ['b', '{"k": 1}', 'dict'],
      ['x', 'f()', 'call'],
      ['y', 'f()', 'call'],
      ['z', 'f()', 'call'],
      ['cfg[a][b]', '[1]', 'list'],
      ['n', '-1', 'number'],
      ['q', 'd[0]', 'other'],
    ]);
  });

  it('collects distinct names from code only, with keyword and attribute names', () => {
    const f = parse(TRAIN);
    const names = new Map(f.names.map((n) => [n.name, n]));
    expect(names.get('max_grad_norm')).toMatchObject({ line: 32, scope: 'TrainConfig' });
    expect(names.get('torch_dtype')?.scope).toBe('train');
    expect(names.has('default_factory')).toBe(true);
    expect(names.has('deterministic')).toBe(true);
    // strings and comments are not code
    expect(names.has('WANDB_MODE')).toBe(false);
    expect(names.has('mask')).toBe(false);
    expect(names.has('offline')).toBe(false);
    expect(f.names.filter((n) => n.name === 'model').length).toBe(1);
  });

  it('caps names at 5,000 per file', () => {
    const src = Array.from({ length: 6000 }, (_, i) => `v${i} = ${i}`).join('\n');
    const f = parse(src);
    expect(f.names).toHaveLength(5000);
    expect(f.definitions).toHaveLength(6000);
  });

  it('takes markers and suppressions from comments only', () => {
    const src = [
      'x = "# TODO not a marker"',
      's = """',
      'FIXME inside a docstring',
      '"""',
      'y = 1  # FIXME: real one',
      '# HACK around bug',
      'z = 2  # codex-audit: ignore[risk.eval, stub] trusted input',
      '# TODO(alice) later',
    ].join('\n');
    const f = parse(src);
    expect(f.markers).toEqual([
      { kind: 'FIXME', line: 5, text: 'real one' },
      { kind: 'HACK', line: 6, text: 'around bug' },
      { kind: 'TODO', line: 8, text: 'alice) later' },
    ]);
    expect(f.suppressions).toEqual([
      { id: 'risk.eval', line: 7, reason: 'trusted input' },
      { id: 'stub', line: 7, reason: 'trusted input' },
    ]);
  });

  it('counts lines', () => {
    const f = parse('# c\n\nx = 1\n');
    expect(f.lines).toEqual({ total: 4, code: 1, comment: 1, blank: 2 });
  });

  it('maps every line through lineMap', () => {
    const f = parse('import os\n# TODO a\ndef f():\n    os.getcwd()\n', 'nb.py', { lineMap: (l) => l * 10 });
    expect(f.imports[0].line).toBe(10);
    expect(f.markers[0].line).toBe(20);
    expect(f.definitions[0]).toMatchObject({ line: 30, endLine: 40 });
    expect(f.calls[0].line).toBe(40);
    expect(f.names.find((n) => n.name === 'getcwd')?.line).toBe(40);
  });

  it('handles non-ASCII text with correct offsets', () => {
    const f = parse('s = "😀 é"  # TODO ünïcode\ndef grüße():\n    return s.upper()\n');
    expect(f.markers[0]).toEqual({ kind: 'TODO', line: 1, text: 'ünïcode' });
    expect(def(f, 'grüße').line).toBe(2);
    expect(f.calls[0]).toMatchObject({ callee: 's.upper', line: 3 });
    expect(f.assignments[0].value).toBe('"😀 é"');
  });
});

describe('parsePython robustness', () => {
  it('reports a syntax error with its line, keeps the tree when it is usable', () => {
    const src = ['import os', '', 'def ok():', '    return 1', '', 'x = (1 +', '', 'def later():', '    os.getcwd()', ''].join('\n');
    const f = parse(src);
    expect(f.issues).toHaveLength(1);
    expect(f.issues[0].step).toBe('STEP_2:PARSE');
    expect(f.issues[0].message).toMatch(/syntax error near line \d+/);
    expect(f.definitions.map((d) => d.name)).toEqual(expect.arrayContaining(['ok', 'later']));
    expect(f.imports.map((i) => i.module)).toEqual(['os']);
  });

  it('falls back when most of the file is an error, and still finds every definition', () => {
    const src = ['import os', 'def f(x):', '    y = foo(x,', '    return y', '', 'def g():', '    return 2', '', 'class B:', '    def h(self):', '        pass', ''].join('\n');
    const f = parse(src);
    expect(f.parser).toBe('fallback');
    expect(f.issues).toHaveLength(1);
    expect(f.issues[0].message).toMatch(/syntax error near line 4 .*degraded/);
    expect(f.definitions.map((d) => d.qualName)).toEqual(['f', 'g', 'B', 'B.h']);
    expect(def(f, 'B.h')).toMatchObject({ stub: true, stubKind: 'pass', kind: 'method' });
  });

  it('merges definitions the error-tolerant tree lost (merge conflict markers)', () => {
    const src = ['import os', '<<<<<<< HEAD', 'def f(): return 1', '=======', 'def f(): return 2', '>>>>>>> branch', 'def g():', '    pass', ''].join('\n');
    const f = parse(src);
    expect(f.issues.length).toBe(1);
    expect(f.issues[0].message).toContain('line 2');
    expect(f.definitions.map((d) => [d.name, d.line])).toEqual([
      ['f', 3],
      ['f', 5],
      ['g', 7],
    ]);
  });

  it('survives 10,000 nested brackets without overflowing the stack', () => {
    const deep = 'x = ' + '['.repeat(10000) + ']'.repeat(10000) + '\nfoo(' + 'f('.repeat(10000) + ')'.repeat(10001) + '\n';
    const f = parse(deep);
    expect(['tree-sitter', 'fallback']).toContain(f.parser);
    expect(f.assignments[0]).toMatchObject({ target: 'x', valueKind: 'list' });
    expect(f.calls.length).toBeGreaterThan(0);
    const unclosed = parse('x = ' + '['.repeat(10000) + '\n');
    expect(unclosed.issues.length).toBeGreaterThan(0);
    const chain = parse('y = a' + '.b'.repeat(10000) + '()\n' + 'z = q' + '()'.repeat(10000) + '\n');
    expect(chain.calls.every((c) => c.callee.length <= 300)).toBe(true);
    const fb = parse(deep, 'a.py', { forceFallback: true });
    expect(fb.parser).toBe('fallback');
  });

  it('rolls back and falls back when extraction fails internally', () => {
    let calls = 0;
    const lineMap = (l: number) => {
      if (calls++ === 0) throw new Error('boom at /home/someone/secret');
      return l;
    };
    const f = parse('import os\nimport sys\n', 'a.py', { lineMap });
    expect(f.parser).toBe('fallback');
    expect(f.imports.map((i) => i.module)).toEqual(['os', 'sys']);
    expect(f.issues).toHaveLength(1);
    expect(f.issues[0].message).toMatch(/failed internally \(boom at <path>\)/);
    const g = parse('import os\n', 'a.py', {
      lineMap: () => {
        throw new Error('always');
      },
    });
    expect(g.parser).toBe('none');
    expect(g.imports).toEqual([]);
    expect(g.issues).toHaveLength(1);
    expect(g.issues[0].message).toMatch(/Python parsing failed: always/);
  });

  it('treats .pyi declarations as interfaces, not stubs', () => {
    const f = parse('def f(x: int) -> int: ...\nclass A:\n    def m(self) -> None: ...\n', 'pkg/mod.pyi');
    expect(f.definitions.map((d) => [d.qualName, d.stub, d.stubKind])).toEqual([
      ['f', false, undefined],
      ['A', false, undefined],
      ['A.m', false, undefined],
    ]);
  });

  it('never throws on hostile input', () => {
    const inputs = ['', '\0\0\0', 'def', '"""', "'''\n", '\\\n', 'class', '@', 'from . import', 'import', ')))', '\ufeffx=1', 'if x:\n\tpass\n  pass'];
    for (const s of inputs) {
      expect(() => parse(s)).not.toThrow();
      expect(() => parse(s, 'x.py', { forceFallback: true })).not.toThrow();
    }
  });

  it('parses a 100,000-line file completely (speed is measured in bench/)', () => {
    const block = (i: number) =>
      `class Model${i}(nn.Module):\n    """Doc ${i}."""\n    def __init__(self, dim: int = 3):\n        super().__init__()\n        self.lin = nn.Linear(dim, dim)  # TODO tune\n    def forward(self, x):\n        y = self.lin(x).relu()\n        return torch.cat([y, x[0]], dim=-1)\n\n\n`;
    const parts = ['import torch\nimport torch.nn as nn\n'];
    for (let i = 0; parts.length * 10 < 100_010; i++) parts.push(block(i));
    const src = parts.join('');
    const f = parse(src);
    // Past its time budget (a loaded machine) the tree-sitter parse hands over to the fallback with an
    // issue; either way the facts must be complete.
    expect(['tree-sitter', 'fallback']).toContain(f.parser);
    if (f.parser === 'fallback') expect(f.issues.length).toBeGreaterThan(0);
    expect(f.lines.total).toBeGreaterThanOrEqual(100_000);
    expect(f.definitions.length).toBe(3 * (parts.length - 1));
    expect(calls(f, 'torch.nn.Linear').length).toBe(parts.length - 1);
    const fb = parse(src, 'big.py', { forceFallback: true });
    expect(fb.definitions.length).toBe(3 * (parts.length - 1));
  });
});

describe('tree walk: direct cursor calls and the public TreeCursor API agree', () => {
  // The direct path keeps the cursor in web-tree-sitter's transfer buffer between calls (python.ts,
  // CursorOps); the public API is the reference. Both must give identical facts on every kind of input.
  const sources: Record<string, string> = {
    'train.py': TRAIN,
    // A syntax error inside an otherwise usable tree (ERROR and MISSING nodes are walked too).
    'broken.py': TRAIN + '\ndef f(:\n    return 1\nx = [1, 2\n' + TRAIN,
    'deep.py': 'x = ' + '['.repeat(300) + ']'.repeat(300) + '\n' + 'def g():\n    ' + 'if a:\n    '.repeat(40).trimEnd() + ' pass\n',
    'unicode.py': '# é中文\ndef ünï(): return "😀" + f"{x!r:>{w}}"\nclass Ä(Base): pass\n',
  };
  const parse = (path: string, text: string): FileFacts => {
    const f = emptyFacts(path, 'python', text.length, 'h');
    parsePython(text, f);
    return f;
  };
  it.each(Object.keys(sources))('%s', (path) => {
    expect(setDirectCursorForTests(true)).toBe(true);
    const direct = parse(path, sources[path]);
    // Twice in a row: the cursor's state must not leak from one file into the next.
    expect(parse(path, sources[path])).toEqual(direct);
    setDirectCursorForTests(false);
    try {
      expect(parse(path, sources[path])).toEqual(direct);
    } finally {
      setDirectCursorForTests(true);
    }
    expect(direct.parser).toBe('tree-sitter');
  });
});
