import { describe, expect, it } from 'vitest';
import { buildRepoIndex } from '../src/facts/index.js';
import type { MarkerFact } from '../src/facts/types.js';
import { collectPlaceholders, collectStubs, isPlaceholderConfig } from '../src/model/stubs.js';
import { cls, def, file, nie } from './model-helpers.js';

const marker = (kind: MarkerFact['kind'], line: number, text: string): MarkerFact => ({ kind, line, text });

describe('collectStubs', () => {
  const index = buildRepoIndex([
    file('src/model.py', {
      definitions: [
        def('build_model', 10, { endLine: 11, stub: true, stubKind: 'not_implemented' }),
        def('load', 13, { endLine: 14, stub: true, stubKind: 'pass' }),
        def('save', 16, { endLine: 17, stub: true, stubKind: 'ellipsis' }),
        cls('Base', 20, 30, { bases: ['abc.ABC'] }),
        def('forward', 21, { parent: 'Base', endLine: 22, stub: true, stubKind: 'pass', abstract: true }),
        def('train', 40, { endLine: 50 }),
      ],
      markers: [marker('TODO', 45, 'use the scheduler'), marker('FIXME', 2, 'import order'), marker('HACK', 46, ''), marker('XXX', 47, 'x'), marker('TBD', 48, 't')],
    }),
    file('src/app.ts', { definitions: [def('start', 3, { endLine: 3, stub: true, stubKind: 'throw_not_implemented' }), def('noop', 5, { stub: true, stubKind: 'empty_body' })] }),
    file('tests/test_model.py', { definitions: [def('test_later', 1, { stub: true, stubKind: 'pass', endLine: 2 })], markers: [marker('TODO', 5, 'more cases')] }),
    file('vendor/lib.py', { definitions: [def('v', 1, { stub: true, stubKind: 'pass' })], markers: [marker('TODO', 3, 'upstream')] }),
  ]);
  const { stubs, testStubs } = collectStubs(index);

  it('reports effective stub definitions by kind with their symbol, and markers with the enclosing symbol', () => {
    expect(stubs.map((s) => [s.path, s.line, s.kind, s.symbol ?? null])).toEqual([
      ['src/app.ts', 3, 'not_implemented', 'start'],
      ['src/app.ts', 5, 'empty_body', 'noop'],
      ['src/model.py', 2, 'fixme', null],
      ['src/model.py', 10, 'not_implemented', 'build_model'],
      ['src/model.py', 13, 'empty_body', 'load'],
      ['src/model.py', 16, 'empty_body', 'save'],
      ['src/model.py', 45, 'todo', 'train'],
      ['src/model.py', 46, 'hack', 'train'],
      ['src/model.py', 47, 'xxx', 'train'],
      ['src/model.py', 48, 'tbd', 'train'],
    ]);
  });

  it('keeps marker text and describes stub bodies', () => {
    expect(stubs.find((s) => s.line === 45)?.text).toBe('use the scheduler');
    expect(stubs.find((s) => s.line === 46)?.text).toBeUndefined();
    expect(stubs.find((s) => s.line === 10)?.text).toBe('raises NotImplementedError');
  });

  it('reports test files apart and leaves vendored files out', () => {
    expect(testStubs.map((s) => `${s.path}:${s.line}:${s.kind}`)).toEqual(['tests/test_model.py:1:empty_body', 'tests/test_model.py:5:todo']);
    expect([...stubs, ...testStubs].some((s) => s.path.startsWith('vendor/'))).toBe(false);
  });

  it('an overridden NotImplementedError method and Protocol members are not stub findings', () => {
    const r = collectStubs(
      buildRepoIndex([
        file('a.py', { definitions: [cls('Metric', 1, 5), nie('Metric', 'compute', 2), nie('Metric', 'reset', 4)] }),
        file('b.py', { definitions: [cls('Acc', 1, 5, { bases: ['a.Metric'] }), def('compute', 2, { parent: 'Acc' })] }),
        file('c.py', { definitions: [cls('Sink', 1, 3, { bases: ['typing.Protocol'] }), def('write', 2, { parent: 'Sink', stub: true, stubKind: 'ellipsis' })] }),
      ]),
    );
    expect(r.stubs.map((s) => s.symbol)).toEqual(['Metric.reset']);
  });
});

describe('placeholder configs', () => {
  it.each([
    ['configs/example_config.yaml', true],
    ['template_settings.json', true],
    ['sample-config.toml', true],
    ['.env.example', true],
    ['deploy/.env.sample', true],
    ['.env.template', true],
    ['config.yaml.example', true],
    ['settings.ini.sample', true],
    ['conf/app.example.yml', true],
    ['example.env', true],
    ['example_train.py', false],
    ['README.example', false],
    ['examples/config.yaml', false],
    ['config.yaml', false],
    ['sampler.yaml', false],
    ['.env', false],
  ])('isPlaceholderConfig(%s) = %s', (path, expected) => {
    expect(isPlaceholderConfig(path)).toBe(expected);
  });

  it('collectPlaceholders lists them sorted, outside vendored and test files', () => {
    const index = buildRepoIndex([
      file('z/.env.example'),
      file('configs/example_base.yaml'),
      file('tests/fixtures/example_cfg.json'),
      file('vendor/pkg/template_x.yaml'),
      file('src/train.py'),
    ]);
    expect(collectPlaceholders(index)).toEqual([{ path: 'configs/example_base.yaml' }, { path: 'z/.env.example' }]);
  });
});
