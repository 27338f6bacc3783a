import { describe, expect, it } from 'vitest';
import { KeyTable, buildRepoIndex, isExamplePath, isTestPath, isVendoredPath, mayMatchNewline, requiredLiterals } from '../src/facts/index.js';
import { compileGlob } from '../src/model/glob.js';
import { cls, def, file, nie } from './model-helpers.js';

describe('path classification', () => {
  it.each([
    ['tests/test_train.py', true],
    ['pkg/tests/helpers.py', true],
    ['test/model.test.ts', true],
    ['src/__tests__/a.ts', true],
    ['lib/testing/fakes.py', true],
    ['test_model.py', true],
    ['pkg/model_test.py', true],
    ['conftest.py', true],
    ['src/util.spec.ts', true],
    ['src/util.test.js', true],
    ['src/contest.py', false],
    ['src/attestation.py', false],
    ['src/test.py', false],
    ['src/testdata.py', false],
    ['src/latest/model.py', false],
    ['src/.test.ts', false],
  ])('isTestPath(%s) = %s', (path, expected) => {
    expect(isTestPath(path)).toBe(expected);
  });

  it.each([
    ['vendor/lib.py', true],
    ['src/third_party/x/y.py', true],
    ['third-party/a.js', true],
    ['extern/a.c', true],
    ['pkg/external/b.py', true],
    ['static/app.min.js', true],
    ['proto/model_pb2.py', true],
    ['proto/model_pb2_grpc.py', true],
    ['src/api.generated.ts', true],
    ['src/schema_generated.py', true],
    ['src/generated/client.ts', true],
    ['src/vendors.py', false],
    ['src/generator.py', false],
    ['src/min.js', false],
  ])('isVendoredPath(%s) = %s', (path, expected) => {
    expect(isVendoredPath(path)).toBe(expected);
  });

  it.each([
    ['examples/train.py', true],
    ['example/a.py', true],
    ['samples/x.ts', true],
    ['demo/app.py', true],
    ['demos/app.py', true],
    ['tutorials/t1.py', true],
    ['notebooks/explore.py', true],
    ['analysis.ipynb', true],
    ['docs/conf.py', true],
    ['src/exampleutils.py', false],
    ['src/model.py', false],
  ])('isExamplePath(%s) = %s', (path, expected) => {
    expect(isExamplePath(path)).toBe(expected);
  });

  it('the index sorts facts by path, keeps the first of a duplicated path and classifies each file', () => {
    const index = buildRepoIndex([file('b.py'), file('tests/a.py'), file('a.py'), file('vendor/x.py'), file('b.py', { size: 7 })]);
    expect(index.files.map((f) => f.path)).toEqual(['a.py', 'b.py', 'tests/a.py', 'vendor/x.py']);
    expect(index.byPath.get('b.py')?.size).toBe(100);
    expect(index.fileIndex('tests/a.py')).toBe(2);
    expect(index.fileIndex('nope.py')).toBe(-1);
    expect(index.isTestFile('tests/a.py')).toBe(true);
    expect(index.isTestFile('a.py')).toBe(false);
    expect(index.isVendored('vendor/x.py')).toBe(true);
    expect(index.isExample('examples/not-indexed.py')).toBe(true);
  });
});

describe('classes and subclasses', () => {
  const index = buildRepoIndex([
    file('a.py', { definitions: [cls('Base', 1, 10), cls('Mid', 12, 20, { bases: ['Base'] })] }),
    file('b.py', { definitions: [cls('Leaf', 1, 5, { bases: ['pkg.a.Mid'] }), cls('Gen', 7, 9, { bases: ['Base[T]'] })] }),
  ]);

  it('classesByName groups classes across files', () => {
    expect(index.classesByName.get('Leaf')?.map((r) => r.path)).toEqual(['b.py']);
    expect(index.classesByName.has('Nope')).toBe(false);
  });

  it('subclassesOf matches the last segment of each base, generics stripped; transitive follows further', () => {
    expect(index.subclassesOf('Base').map((r) => r.def.name).sort()).toEqual(['Gen', 'Mid']);
    expect(index.subclassesOf('Base', { transitive: true }).map((r) => r.def.name).sort()).toEqual(['Gen', 'Leaf', 'Mid']);
    expect(index.subclassesOf('Leaf')).toEqual([]);
  });
});

describe('effective stubs (interface declarations are not stubs)', () => {
  const stubNames = (files: Parameters<typeof buildRepoIndex>[0]): string[] =>
    buildRepoIndex(files)
      .stubDefinitions()
      .map((r) => `${r.path}:${r.def.qualName}`);

  it('a plain stub function is a stub', () => {
    expect(stubNames([file('m.py', { definitions: [def('build_model', 3, { stub: true, stubKind: 'pass', endLine: 4 })] })])).toEqual(['m.py:build_model']);
  });

  it('abstract methods are not stubs', () => {
    const d = def('forward', 3, { parent: 'Base', stub: true, stubKind: 'pass', abstract: true, decorators: ['abc.abstractmethod'] });
    expect(stubNames([file('m.py', { definitions: [cls('Base', 1, 5, { bases: ['abc.ABC'] }), d] })])).toEqual([]);
  });

  it('members of a Protocol class are not stubs (typing.Protocol, Protocol[T])', () => {
    for (const base of ['typing.Protocol', 'Protocol', 'typing_extensions.Protocol[T]']) {
      const d = def('encode', 3, { parent: 'Encoder', stub: true, stubKind: 'ellipsis' });
      expect(stubNames([file('m.py', { definitions: [cls('Encoder', 1, 5, { bases: [base] }), d] })])).toEqual([]);
    }
  });

  it('defs inside an interface are not stubs', () => {
    const d = def('run', 2, { parent: 'Runner', stub: true, stubKind: 'empty_body' });
    expect(stubNames([file('m.ts', { definitions: [def('Runner', 1, { kind: 'interface', endLine: 3 }), d] })])).toEqual([]);
  });

  it('@overload signatures and declaration files are not stubs', () => {
    const o = def('f', 2, { stub: true, stubKind: 'ellipsis', decorators: ['typing.overload'] });
    expect(stubNames([file('m.py', { definitions: [o] })])).toEqual([]);
    expect(stubNames([file('m.pyi', { definitions: [def('g', 1, { stub: true, stubKind: 'ellipsis' })] })])).toEqual([]);
    expect(stubNames([file('types.d.ts', { definitions: [def('h', 1, { stub: true, stubKind: 'empty_body' })] })])).toEqual([]);
  });

  it('a NotImplementedError method overridden by a subclass elsewhere is an interface, not a stub', () => {
    const base = file('base.py', { definitions: [cls('Tokenizer', 1, 10), nie('Tokenizer', 'encode', 2), nie('Tokenizer', 'decode', 5)] });
    const sub = file('bpe.py', { definitions: [cls('BPE', 1, 10, { bases: ['base.Tokenizer'] }), def('encode', 2, { parent: 'BPE', endLine: 4 })] });
    // encode is overridden, decode is not
    expect(stubNames([base, sub])).toEqual(['base.py:Tokenizer.decode']);
  });

  it('an override through an intermediate subclass counts (matched by class name)', () => {
    const base = file('a.py', { definitions: [cls('A', 1, 5), nie('A', 'run', 2)] });
    const mid = file('b.py', { definitions: [cls('B', 1, 2, { bases: ['A'] })] });
    const leaf = file('c.py', { definitions: [cls('C', 1, 5, { bases: ['B'] }), def('run', 2, { parent: 'C' })] });
    expect(stubNames([base, mid, leaf])).toEqual([]);
    expect(stubNames([base, mid])).toEqual(['a.py:A.run']);
  });

  it('a pass-bodied method is a stub even when overridden (only NotImplementedError declares an interface)', () => {
    const base = file('a.py', { definitions: [cls('A', 1, 5), def('run', 2, { parent: 'A', stub: true, stubKind: 'pass' })] });
    const sub = file('b.py', { definitions: [cls('B', 1, 5, { bases: ['A'] }), def('run', 2, { parent: 'B' })] });
    expect(stubNames([base, sub])).toEqual(['a.py:A.run']);
  });

  it('a class does not override itself (same name as its base)', () => {
    const f = file('a.py', { definitions: [cls('Module', 1, 5, { bases: ['torch.nn.Module'] }), nie('Module', 'forward', 2)] });
    expect(stubNames([f])).toEqual(['a.py:Module.forward']);
  });
});

describe('stub classes and inStub', () => {
  it('a class whose methods are all stubs is a stub class; a trivial constructor is ignored', () => {
    const index = buildRepoIndex([
      file('t.py', {
        definitions: [
          cls('Trainer', 1, 10),
          def('__init__', 2, { parent: 'Trainer', endLine: 3, trivialInit: true }),
          def('fit', 4, { parent: 'Trainer', endLine: 5, stub: true, stubKind: 'pass' }),
          def('evaluate', 6, { parent: 'Trainer', endLine: 7, stub: true, stubKind: 'not_implemented' }),
          def('helper', 12, { endLine: 14 }),
        ],
      }),
    ]);
    expect(index.stubClasses().map((r) => r.def.name)).toEqual(['Trainer']);
    expect(index.isStubClass('t.py', index.files[0].definitions[0])).toBe(true);
    // class line, the trivial constructor inside it, and its end are in the stub; code after it is not
    expect([1, 3, 10, 11, 12].map((l) => index.inStub('t.py', l))).toEqual([true, true, true, false, false]);
  });

  it('a real method keeps the class out; only the stub method span is in a stub', () => {
    const index = buildRepoIndex([
      file('t.py', {
        definitions: [
          cls('Trainer', 1, 10),
          def('fit', 2, { parent: 'Trainer', endLine: 5 }),
          def('evaluate', 6, { parent: 'Trainer', endLine: 7, stub: true, stubKind: 'pass' }),
        ],
      }),
    ]);
    expect(index.stubClasses()).toEqual([]);
    expect([1, 3, 6, 7, 8].map((l) => index.inStub('t.py', l))).toEqual([false, false, true, true, false]);
  });

  it('a class with no methods besides a trivial constructor is not a stub class', () => {
    const index = buildRepoIndex([
      file('c.py', { definitions: [cls('Config', 1, 4), def('__init__', 2, { parent: 'Config', endLine: 3, trivialInit: true })] }),
      file('d.py', { definitions: [cls('Empty', 1, 2)] }),
    ]);
    expect(index.stubClasses()).toEqual([]);
    expect(index.inStub('c.py', 1)).toBe(false);
  });

  it('an ABC with abstract methods is not a stub class', () => {
    const index = buildRepoIndex([
      file('b.py', {
        definitions: [
          cls('Metric', 1, 6, { bases: ['abc.ABC'] }),
          def('update', 2, { parent: 'Metric', endLine: 3, stub: true, stubKind: 'pass', abstract: true }),
          def('compute', 4, { parent: 'Metric', endLine: 5, stub: true, stubKind: 'pass', abstract: true }),
        ],
      }),
    ]);
    expect(index.stubClasses()).toEqual([]);
    expect(index.inStub('b.py', 2)).toBe(false);
  });

  it('inStub is false for unknown files and lines outside every span; nested spans merge', () => {
    const index = buildRepoIndex([
      file('n.py', {
        definitions: [
          def('outer', 1, { endLine: 3, stub: true, stubKind: 'pass' }),
          def('a', 10, { endLine: 20, stub: true, stubKind: 'pass' }),
          def('b', 12, { endLine: 25, stub: true, stubKind: 'pass' }),
        ],
      }),
    ]);
    expect(index.inStub('zzz.py', 1)).toBe(false);
    expect([0, 1, 3, 4, 9, 10, 21, 25, 26].map((l) => index.inStub('n.py', l))).toEqual([false, true, true, false, false, true, true, true, false]);
  });

  it('enclosingDefinition finds the innermost function or class around a line', () => {
    const index = buildRepoIndex([
      file('e.py', { definitions: [cls('A', 1, 10), def('m', 2, { parent: 'A', endLine: 5 }), def('inner', 3, { parent: 'A.m', endLine: 4 })] }),
    ]);
    expect(index.enclosingDefinition('e.py', 3)?.qualName).toBe('A.m.inner');
    expect(index.enclosingDefinition('e.py', 5)?.qualName).toBe('A.m');
    expect(index.enclosingDefinition('e.py', 8)?.qualName).toBe('A');
    expect(index.enclosingDefinition('e.py', 11)).toBeUndefined();
  });

  it('enclosingDefinition skips earlier siblings that have ended and climbs to the holder', () => {
    const defs = [cls('C', 1, 100), ...Array.from({ length: 40 }, (_, i) => def(`m${i}`, 2 + i * 2, { parent: 'C', endLine: 3 + i * 2 })), def('top', 200, { endLine: 210 })];
    const index = buildRepoIndex([file('s.py', { definitions: defs })]);
    expect(index.enclosingDefinition('s.py', 95)?.qualName).toBe('C');
    expect(index.enclosingDefinition('s.py', 5)?.qualName).toBe('C.m1');
    expect(index.enclosingDefinition('s.py', 150)).toBeUndefined();
    expect(index.enclosingDefinition('s.py', 205)?.qualName).toBe('top');
  });
});

describe('KeyTable', () => {
  const t = new KeyTable();
  ['vocab_size', 'get_vocab', 'vocab', 'foo', 'foo\nbar', 'bar_vocab'].forEach((k, i) => t.add(k, i, 0));
  t.add('vocab', 9, 1);

  it.each([
    ['vocab', ['vocab_size', 'get_vocab', 'vocab', 'bar_vocab']],
    ['^vocab$', ['vocab']],
    ['^VOCAB', ['vocab_size', 'vocab']],
    ['size$|^foo$', ['vocab_size', 'foo']],
    ['o\\sb', ['foo\nbar']],
    ['r_v', ['bar_vocab']],
    ['nothing', []],
  ])('search %s', (source, keys) => {
    expect(t.search(new RegExp(source, 'i')).map((k) => t.keys[k])).toEqual(keys);
  });

  it('a regex never matches across two keys', () => {
    // "foo" then "bar" are neighbours only through the separator
    expect(t.search(/ofoo/i)).toEqual([]);
    expect(t.search(/size\sget/i)).toEqual([]);
  });

  it('regroups by a coarser key without losing references', () => {
    const calls = new KeyTable();
    [['torch.save', 0], ['x.save', 1], ['torch.load', 2], ['torch.save', 3]].forEach(([k, f]) => calls.add(k as string, f as number, 7));
    const byLast = calls.regroup((k) => k.slice(k.lastIndexOf('.') + 1));
    expect(byLast.keys).toEqual(['save', 'load']);
    expect([...(byLast.get('save') ?? [])]).toEqual([0, 7, 3, 7, 1, 7]);
    expect([...(byLast.get('load') ?? [])]).toEqual([2, 7]);
    expect(byLast.search(/^sa/).map((k) => byLast.keys[k])).toEqual(['save']);
  });

  it('keeps every reference of a key', () => {
    expect([...(t.get('vocab') ?? [])]).toEqual([2, 0, 9, 1]);
  });
});

describe('mayMatchNewline (which regexes may scan newline-joined keys)', () => {
  it.each<[RegExp, boolean]>([
    [/^vocab_size$/i, false],
    [/tok(enizer)?\.encode/i, false],
    [/a.*b/, false],
    [/[\w.-]+/, false],
    [/[^/\n]*/, false],
    [/[^\s]+/, false],
    [/\S+/, false],
    [/[ -~]/, false],
    [/a\sb/, true],
    [/[^x]*/, true],
    [/\W/, true],
    [/\D/, true],
    [/\n/, true],
    [/[\s,]/, true],
    [/[\x00-\x7f]/, true],
    [/[\u000a]/, true],
    [/\p{L}/u, true],
    [/a.b/s, true],
  ])('%s -> %s', (re, expected) => {
    expect(mayMatchNewline(re)).toBe(expected);
  });

  it('compiled globs never match a newline', () => {
    for (const g of ['*.py', '**/conf/*.yaml', 'src/**', 'a?c', '[!x]y', '{a,b}/*']) expect(mayMatchNewline(compileGlob(g))).toBe(false);
  });

  it('a regex that may cross keys is tested key by key and still finds every key', () => {
    const t = new KeyTable();
    ['ab', 'xb', 'a', 'b'].forEach((k, i) => t.add(k, i, 0));
    expect(t.search(/a[^x]*b/).map((k) => t.keys[k])).toEqual(['ab']);
    expect(t.search(/a\s*b/).map((k) => t.keys[k])).toEqual(['ab']);
  });
});

describe('requiredLiterals (the prefilter of key searches)', () => {
  it.each<[RegExp, string[] | undefined]>([
    [/^vocab_size$/i, ['vocab_size']],
    [/(^|\.)(fp16|bf16|amp|use_amp)(\.enabled)?$/i, ['fp16', 'bf16', 'amp', 'use_amp']],
    [/^Vocab_\w+/i, ['vocab_']],
    [/max_?grad_?norm/, ['grad']],
    [/colou?r/, ['colo']],
    [/(?<![a-z])(val|dev)\.csv/, ['.csv']],
    [/(?:train|eval)(?:uate)?/, ['train', 'eval']],
    [/(train|)_loop/, ['_loop']],
    [/(a|b.*)/, ['a', 'b']],
    [/x{2,}y/, ['x']],
    [/.*/, undefined],
    [/[abc]+/, undefined],
    [/\d+/, undefined],
    [/(x|.)/, undefined],
    [/tok\.encode/, ['tok.encode']],
    [/a\/b/, ['a/b']],
    [/(?=foo)bar/, ['bar']],
  ])('%s -> %j', (re, expected) => {
    expect(requiredLiterals(re)).toEqual(expected);
  });

  it('a prefiltered search finds the same keys as a full scan', () => {
    const t = new KeyTable();
    ['Training.FP16', 'training.bf16.enabled', 'amp', 'damp.x', 'use_amp', 'lr', 'model.AMP'].forEach((k, i) => t.add(k, i, 0));
    const re = /(^|\.)(fp16|bf16|amp|use_amp)(\.enabled)?$/i;
    const expected = t.keys.flatMap((k, id) => (re.test(k) ? [id] : []));
    expect(t.search(re)).toEqual(expected);
    expect(expected.map((id) => t.keys[id])).toEqual(['Training.FP16', 'training.bf16.enabled', 'amp', 'use_amp', 'model.AMP']);
  });
});
