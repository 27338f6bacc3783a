import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyFacts, type FileFacts, type Language } from '../src/facts/types.js';
import { parseYaml } from '../src/parse/yaml.js';
import { parseToml } from '../src/parse/toml.js';
import { parseJson } from '../src/parse/json.js';
import { parseIni } from '../src/parse/ini.js';
import { parseRequirements, readRequirement } from '../src/parse/requirements.js';
import { parseDockerfile } from '../src/parse/dockerfile.js';
import { parseMarkdown } from '../src/parse/markdown.js';
import { parseText } from '../src/parse/text.js';

type Reader = (text: string, facts: FileFacts) => void;

function run(reader: Reader, path: string, language: Language, text: string): FileFacts {
  const facts = emptyFacts(path, language, text.length, 'h');
  reader(text, facts);
  return facts;
}

const yaml = (text: string, path = 'conf/config.yaml') => run(parseYaml, path, 'yaml', text);
const toml = (text: string, path = 'pyproject.toml') => run(parseToml, path, 'toml', text);
const json = (text: string, path = 'config.json') => run(parseJson, path, 'json', text);
const ini = (text: string, path = 'setup.cfg') => run(parseIni, path, 'ini', text);
const reqs = (text: string, path = 'requirements.txt') => run(parseRequirements, path, 'requirements', text);
const docker = (text: string, path = 'Dockerfile') => run(parseDockerfile, path, 'dockerfile', text);
const md = (text: string, path = 'README.md') => run(parseMarkdown, path, 'markdown', text);

/** `line key = value` rows, the shape the tests compare against. */
function rows(f: FileFacts): string[] {
  return f.configKeys.map((k) => `${k.line} ${k.key}${k.value === undefined ? '' : ` = ${k.value}`}`);
}
function keySet(f: FileFacts): Set<string> {
  return new Set(f.configKeys.map((k) => k.key));
}
function value(f: FileFacts, key: string): string | undefined {
  return f.configKeys.find((k) => k.key === key)?.value;
}
function issueText(f: FileFacts): string {
  return f.issues.map((i) => i.message).join('\n');
}

function noInternalErrors(f: FileFacts): void {
  for (const i of f.issues) {
    expect(i.step).toBe('STEP_2:PARSE');
    expect(i.path).toBe(f.path);
    expect(i.message).not.toMatch(/reader failed/);
  }
}

describe('YAML reader', () => {
  it('reads a Hydra config: nested keys, the defaults list, comments, markers', () => {
    const f = yaml(
      [
        '# @package _global_',
        'defaults:',
        '  - model: resnet50   # TODO: try vit',
        '  - optimizer: adamw',
        '  - override hydra/sweeper: optuna',
        '  - _self_',
        '',
        'trainer:',
        '  max_epochs: 10',
        '  precision: "bf16-mixed"',
        "  gradient_clip_val: 1.0 # FIXME tune",
        'hydra:',
        '  run:',
        '    dir: outputs/${now:%Y-%m-%d}',
        '  sweeper:',
        '    params:',
        '      lr: interval(1e-5, 1e-3)',
      ].join('\n'),
    );
    expect(f.parser).toBe('reader');
    expect(rows(f)).toEqual([
      '2 defaults',
      '3 defaults.[]',
      '3 defaults.[].model = resnet50',
      '4 defaults.[]',
      '4 defaults.[].optimizer = adamw',
      '5 defaults.[]',
      '5 defaults.[].override hydra/sweeper = optuna',
      '6 defaults.[] = _self_',
      '8 trainer',
      '9 trainer.max_epochs = 10',
      '10 trainer.precision = bf16-mixed',
      '11 trainer.gradient_clip_val = 1.0',
      '12 hydra',
      '13 hydra.run',
      '14 hydra.run.dir = outputs/${now:%Y-%m-%d}',
      '15 hydra.sweeper',
      '16 hydra.sweeper.params',
      '17 hydra.sweeper.params.lr = interval(1e-5, 1e-3)',
    ]);
    expect(f.markers).toEqual([
      { kind: 'TODO', line: 3, text: 'try vit' },
      { kind: 'FIXME', line: 11, text: 'tune' },
    ]);
    expect(f.issues).toEqual([]);
    expect(f.lines).toEqual({ total: 17, code: 15, comment: 1, blank: 1 });
  });

  it('reads a W&B sweep file with flow sequences and nested parameters', () => {
    const f = yaml(
      [
        'program: train.py',
        'method: bayes',
        'metric:',
        '  name: val/loss',
        '  goal: minimize',
        'parameters:',
        '  lr:',
        '    distribution: log_uniform_values',
        '    min: 0.00001',
        '    max: 0.01',
        '  batch_size:',
        '    values: [16, 32, 64]',
        '  optimizer: {values: ["adam", "sgd"]}',
        'command:',
        '  - ${env}',
        '  - python',
        '  - ${program}',
        '  - ${args}',
      ].join('\n'),
      'sweep.yaml',
    );
    expect(value(f, 'method')).toBe('bayes');
    expect(value(f, 'metric.goal')).toBe('minimize');
    expect(f.configKeys.filter((k) => k.key === 'parameters.batch_size.values.[]').map((k) => k.value)).toEqual(['16', '32', '64']);
    expect(f.configKeys.filter((k) => k.key === 'parameters.optimizer.values.[]').map((k) => k.value)).toEqual(['adam', 'sgd']);
    expect(f.configKeys.filter((k) => k.key === 'command.[]').map((k) => k.value)).toEqual(['${env}', 'python', '${program}', '${args}']);
    expect(f.issues).toEqual([]);
  });

  it('sequences at the parent key indentation, nested sequences, sequences of mappings', () => {
    const f = yaml(
      [
        'jobs:',
        '  test:',
        '    steps:',
        '    - uses: actions/checkout@v4',
        '    - name: Test',
        '      run: npm test',
        '    - - inner',
        '      - second',
        'after: 1',
      ].join('\n'),
      '.github/workflows/ci.yml',
    );
    expect(rows(f)).toEqual([
      '1 jobs',
      '2 jobs.test',
      '3 jobs.test.steps',
      '4 jobs.test.steps.[]',
      '4 jobs.test.steps.[].uses = actions/checkout@v4',
      '5 jobs.test.steps.[]',
      '5 jobs.test.steps.[].name = Test',
      '6 jobs.test.steps.[].run = npm test',
      '7 jobs.test.steps.[]',
      '7 jobs.test.steps.[].[] = inner',
      '8 jobs.test.steps.[].[] = second',
      '9 after = 1',
    ]);
    expect(f.issues).toEqual([]);
  });

  it('quoted keys and values, `#` inside quotes is no comment, block scalars are skipped', () => {
    const f = yaml(
      [
        '"quoted key": \'it\'\'s # not a comment\'',
        "'single': \"say \\\"hi\\\" # still not\" # TODO real one",
        'url: http://example.com/#anchor',
        'script: |',
        '  # TODO not a comment: inside a block scalar',
        '  key: not a key',
        '',
        '  echo done',
        'folded: >-',
        '  text',
        'next: ok',
      ].join('\n'),
    );
    expect(rows(f)).toEqual([
      "1 quoted key = it's # not a comment",
      '2 single = say "hi" # still not',
      '3 url = http://example.com/#anchor',
      '4 script',
      '9 folded',
      '11 next = ok',
    ]);
    expect(f.markers).toEqual([{ kind: 'TODO', line: 2, text: 'real one' }]);
  });

  it('flow mappings are read shallowly, also over several lines', () => {
    const f = yaml(
      [
        'opt: {lr: 0.1, betas: [0.9, 0.99], deep: {a: {b: {c: 1}}}}',
        'list: [',
        '  a,   # TODO: comment in a flow',
        '  {name: b},',
        ']',
        'tail: 2',
      ].join('\n'),
    );
    expect(rows(f)).toEqual([
      '1 opt',
      '1 opt.lr = 0.1',
      '1 opt.betas',
      '1 opt.betas.[] = 0.9',
      '1 opt.betas.[] = 0.99',
      '1 opt.deep',
      '1 opt.deep.a',
      '2 list',
      '3 list.[] = a',
      '4 list.[]',
      '4 list.[].name = b',
      '6 tail = 2',
    ]);
    expect(f.markers.map((m) => m.line)).toEqual([3]);
    expect(f.issues).toEqual([]);
  });

  it('multi-document files restart paths at each `---`', () => {
    const f = yaml(['a: 1', '---', 'b:', '  c: 2', '...', '---', '- x'].join('\n'));
    expect(rows(f)).toEqual(['1 a = 1', '3 b', '4 b.c = 2', '7 [] = x']);
    expect(f.issues).toEqual([]);
  });

  it('anchors are skipped and aliases kept as written, never expanded', () => {
    const f = yaml(['base: &base', '  lr: 1', 'exp:', '  <<: *base', '  other: *base'].join('\n'));
    expect(rows(f)).toEqual(['1 base', '2 base.lr = 1', '3 exp', '4 exp.<< = *base', '5 exp.other = *base']);
  });

  it('an alias bomb costs its own size only', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill('*' + prev).join(',')}]`);
    }
    let f = emptyFacts('x', 'yaml', 0, '');
    f = yaml(lines.join('\n'));
    expect(f.configKeys.length).toBe(12 * 10);
    expect(value(f, 'l.[]')).toBe('*k');
  });

  it('caps keys per file with one issue', () => {
    const text = Array.from({ length: 25_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const f = yaml(text);
    expect(f.configKeys.length).toBe(20_000);
    expect(f.issues).toHaveLength(1);
    expect(f.issues[0].message).toMatch(/more than 20000 config keys/);
  });

  it('records issues for malformed input and keeps what it could read', () => {
    const f = yaml(
      [
        'a: 1',
        '  b: 2', // mapping under a scalar
        'c:',
        '    d: 1',
        '  e: 2', // inconsistent indentation
        '\tf: 3', // tab indentation
        'g: "unterminated',
        'h: 4',
      ].join('\n'),
    );
    const text = issueText(f);
    expect(text).toMatch(/YAML line 2: mapping key under a key that already has a value/);
    expect(text).toMatch(/YAML line 5: inconsistent indentation/);
    expect(text).toMatch(/YAML line 6: tab character/);
    expect(text).toMatch(/YAML line 7: quoted scalar not closed/);
    // A tab counts as one column: `f` lands under `c` (YAML itself rejects the line).
    expect(keySet(f)).toEqual(new Set(['a', 'c', 'c.d', 'c.e', 'c.f', 'g']));
    noInternalErrors(f);

    const flow = yaml('x: [1, {a: 2]\ny: 3');
    expect(issueText(flow)).toMatch(/closes a '\{'/);
    expect(issueText(flow)).toMatch(/flow collection not closed/);
  });

  it('10,000-deep flow nesting does not throw', () => {
    const f = yaml('a: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\nb: 1');
    expect(value(f, 'b')).toBe('1');
    expect(issueText(f)).toMatch(/nested deeper than 1000/);
    noInternalErrors(f);
    const g = yaml('a: ' + '{x: '.repeat(10_000));
    expect(keySet(g).has('a.x.x')).toBe(true);
    noInternalErrors(g);
  });

  it('CRLF line ends and suppression comments', () => {
    const f = yaml('a:\r\n  b: 1 # codex-audit: ignore[configuration.files] generated\r\n  c: "x"\r\n');
    expect(rows(f)).toEqual(['1 a', '2 a.b = 1', '3 a.c = x']);
    expect(f.suppressions).toEqual([{ id: 'configuration.files', line: 2, reason: 'generated' }]);
    expect(rows(toml('[a]\r\nb = 1\r\nc = """x\r\ny"""\r\nd = 2\r\n'))).toEqual(['1 a', '2 a.b = 1', '3 a.c = x y', '5 a.d = 2']);
    expect(rows(json('{\r\n"a": 1,\r\n"b": 2\r\n}'))).toEqual(['2 a = 1', '3 b = 2']);
    expect(rows(ini('[s]\r\nk = v\r\n'))).toEqual(['1 s', '2 s.k = v']);
  });

  it('a flow document (JSON written as YAML) gives root-level keys', () => {
    const f = yaml('{\n  "name": "x",\n  "tags": ["a"]\n}\n');
    expect(rows(f)).toEqual(['2 name = x', '3 tags', '3 tags.[] = a']);
  });
});

describe('TOML reader', () => {
  const pyproject = [
    '[build-system]',
    'requires = ["setuptools>=61"]',
    '',
    '[project]',
    'name = "demo"',
    'version = "0.1.0"',
    'dependencies = [',
    '  "torch>=2.0",   # TODO: pin torch',
    '  "numpy==1.26.4",',
    '  "requests[socks] == 2.31.0 ; python_version > \'3.8\'",',
    ']',
    'urls.homepage = "https://example.com"',
    '',
    '[project.optional-dependencies]',
    'dev = ["pytest>=7", "ruff"]',
    '',
    '[project.scripts]',
    'demo = "demo.cli:main"',
    '',
    '[tool.pytest.ini_options]',
    'addopts = "-q --cov=demo"',
    'markers = [',
    '  "slow: marks slow tests",',
    ']',
    '',
    '[tool.coverage.report]',
    'fail_under = 85',
    '',
    '[tool.poetry.dependencies]',
    'python = "^3.10"',
    'transformers = "4.40.0"',
    'accelerate = "^0.30"',
    'peft = { version = "==0.11.1", optional = true }',
    'mylib = { git = "https://github.com/x/y.git", rev = "abc" }',
    '',
    '[[tool.mypy.overrides]]',
    'module = "a.*"',
    '[[tool.mypy.overrides]]',
    'module = "b.*"',
    'doc = """',
    '# not a comment',
    'fake = "key"',
    '"""',
    "lit = '''x'''",
    'when = 1979-05-27 07:32:00Z',
  ].join('\n');

  it('reads pyproject.toml: tables, implicit parents, dotted keys, arrays of tables', () => {
    const f = toml(pyproject);
    expect(f.parser).toBe('reader');
    const k = keySet(f);
    for (const key of [
      'build-system',
      'project',
      'project.dependencies',
      'project.dependencies.[]',
      'project.urls',
      'project.urls.homepage',
      'project.optional-dependencies.dev',
      'project.scripts',
      'project.scripts.demo',
      'tool',
      'tool.pytest',
      'tool.pytest.ini_options',
      'tool.pytest.ini_options.addopts',
      'tool.pytest.ini_options.markers.[]',
      'tool.coverage',
      'tool.coverage.report',
      'tool.coverage.report.fail_under',
      'tool.poetry.dependencies.peft.version',
      'tool.mypy.overrides',
      'tool.mypy.overrides.[]',
      'tool.mypy.overrides.[].module',
      'tool.mypy.overrides.[].doc',
      'tool.mypy.overrides.[].when',
    ])
      expect(k, key).toContain(key);
    expect(k.has('fake')).toBe(false);
    expect(k.has('tool.mypy.overrides.[].fake')).toBe(false);
    expect(value(f, 'tool.pytest.ini_options.addopts')).toBe('-q --cov=demo');
    expect(value(f, 'tool.coverage.report.fail_under')).toBe('85');
    expect(value(f, 'project.scripts.demo')).toBe('demo.cli:main');
    expect(value(f, 'tool.mypy.overrides.[].lit')).toBe('x');
    const lineOf = (key: string) => f.configKeys.find((c) => c.key === key)?.line;
    expect(lineOf('tool.pytest.ini_options')).toBe(20);
    expect(lineOf('tool.pytest.ini_options.addopts')).toBe(21);
    expect(lineOf('tool')).toBe(20);
    expect(f.configKeys.filter((c) => c.key === 'tool.mypy.overrides.[]').map((c) => c.line)).toEqual([36, 38]);
    expect(f.configKeys.filter((c) => c.key === 'tool').length).toBe(1);
    expect(f.markers).toEqual([{ kind: 'TODO', line: 8, text: 'pin torch' }]);
    expect(f.issues).toEqual([]);
  });

  it('records declared dependencies as requirements', () => {
    const f = toml(pyproject);
    expect(f.requirements).toEqual([
      { name: 'torch', spec: '>=2.0', pinned: false, line: 8 },
      { name: 'numpy', spec: '==1.26.4', pinned: true, line: 9 },
      { name: 'requests', spec: '==2.31.0', pinned: true, line: 10 },
      { name: 'pytest', spec: '>=7', pinned: false, line: 15 },
      { name: 'ruff', spec: '', pinned: false, line: 15 },
      { name: 'transformers', spec: '4.40.0', pinned: true, line: 31 },
      { name: 'accelerate', spec: '^0.30', pinned: false, line: 32 },
      { name: 'peft', spec: '==0.11.1', pinned: true, line: 33 },
      { name: 'mylib', spec: '@url', pinned: false, line: 34 },
    ]);
  });

  it('poetry groups and Pipfile packages', () => {
    const f = toml('[tool.poetry.group.dev.dependencies]\nPyTest = "^8"\n"zope.interface" = "6.0"\n');
    expect(f.requirements).toEqual([
      { name: 'pytest', spec: '^8', pinned: false, line: 2 },
      { name: 'zope-interface', spec: '6.0', pinned: true, line: 3 },
    ]);
    const p = toml('[packages]\nrequests = "==2.31.0"\nflask = "*"\n[dev-packages]\nblack = {version = ">=24"}\n', 'Pipfile');
    expect(p.requirements).toEqual([
      { name: 'requests', spec: '==2.31.0', pinned: true, line: 2 },
      { name: 'flask', spec: '', pinned: false, line: 3 },
      { name: 'black', spec: '>=24', pinned: false, line: 5 },
    ]);
    // `[packages]` means nothing special outside a Pipfile.
    expect(toml('[packages]\nrequests = "==2.31.0"\n', 'conf/x.toml').requirements).toEqual([]);
  });

  it('inline tables and arrays two levels deep; sub-tables of array elements', () => {
    const f = toml(['[[fruits]]', 'name = "apple"', '[fruits.physical]', 'color = "red"', 'x = {a = 1, b = {c = 2, d = {e = 3}}, arr = [1, [2, [3]]]}'].join('\n'));
    expect(rows(f)).toEqual([
      '1 fruits',
      '1 fruits.[]',
      '2 fruits.[].name = apple',
      '3 fruits.[].physical',
      '4 fruits.[].physical.color = red',
      '5 fruits.[].physical.x',
      '5 fruits.[].physical.x.a = 1',
      '5 fruits.[].physical.x.b',
      '5 fruits.[].physical.x.b.c = 2',
      '5 fruits.[].physical.x.b.d',
      '5 fruits.[].physical.x.arr',
      '5 fruits.[].physical.x.arr.[] = 1',
      '5 fruits.[].physical.x.arr.[]',
    ]);
  });

  it('quoted keys and comments', () => {
    const f = toml('[tool."my.tool"]\n"a b" = 1 # XXX: odd\n\'lit\' = "v # not comment"\n');
    expect(rows(f)).toEqual(['1 tool', '1 tool.my.tool', '2 tool.my.tool.a b = 1', '3 tool.my.tool.lit = v # not comment']);
    expect(f.markers).toEqual([{ kind: 'XXX', line: 2, text: 'odd' }]);
  });

  it('records issues for malformed input and reads on', () => {
    const f = toml(
      ['[project', 'name = demo', 'ok = 1', 'bad = "unterminated', 'arr = [1, 2', 'after = 3', 'x = 1 2', 'just a line', 's = """never closed'].join('\n'),
    );
    const text = issueText(f);
    expect(text).toMatch(/TOML line 1: table header not closed/);
    expect(text).toMatch(/TOML line 2: not a TOML value: demo/);
    expect(text).toMatch(/TOML line 4: string not closed/);
    expect(text).toMatch(/TOML line 6: unexpected 'a' in array/);
    expect(text).toMatch(/TOML line 7: unexpected text after the value/);
    expect(text).toMatch(/TOML line 8: '=' expected after key 'just'/);
    expect(text).toMatch(/TOML line 9: multi-line string not closed/);
    expect(keySet(f)).toContain('ok');
    expect(keySet(f)).toContain('arr');
    noInternalErrors(f);
  });

  it('10,000-deep arrays and inline tables do not throw', () => {
    const f = toml('a = ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\nb = 1\n');
    expect(value(f, 'b')).toBe('1');
    expect(issueText(f)).toMatch(/nested deeper than 1000/);
    noInternalErrors(f);
    const g = toml('a = ' + '{x = '.repeat(10_000) + '1' + '}'.repeat(10_000) + '\nb = 2\n');
    expect(value(g, 'b')).toBe('2');
    noInternalErrors(g);
    const h = toml('['.repeat(10_000) + '\nb = 3\n');
    expect(value(h, 'b')).toBe('3');
    expect(h.issues.length).toBeGreaterThan(0);
    noInternalErrors(h);
  });
});

describe('JSON reader', () => {
  it('reads package.json: scripts, bin, dependencies as requirements', () => {
    const f = json(
      JSON.stringify(
        {
          name: 'demo',
          version: '1.0.0',
          bin: { demo: './bin/demo.js' },
          scripts: { test: 'vitest run', build: 'tsc' },
          dependencies: { commander: '14.0.3', zod: '^4.1.0', local: 'file:../local', gh: 'git+https://github.com/a/b.git' },
          devDependencies: { vitest: '=4.1.12', typescript: '~5.9.0' },
          keywords: ['ml', 'audit'],
        },
        null,
        2,
      ),
      'package.json',
    );
    expect(value(f, 'name')).toBe('demo');
    expect(value(f, 'bin.demo')).toBe('./bin/demo.js');
    expect(value(f, 'scripts.test')).toBe('vitest run');
    expect(f.configKeys.filter((k) => k.key === 'keywords.[]').map((k) => k.value)).toEqual(['ml', 'audit']);
    expect(f.configKeys.find((k) => k.key === 'scripts.test')?.line).toBe(8);
    expect(f.requirements).toEqual([
      { name: 'commander', spec: '14.0.3', pinned: true, line: 12 },
      { name: 'zod', spec: '^4.1.0', pinned: false, line: 13 },
      { name: 'local', spec: 'file:../local', pinned: false, line: 14 },
      { name: 'gh', spec: '@url', pinned: false, line: 15 },
      { name: 'vitest', spec: '=4.1.12', pinned: true, line: 18 },
      { name: 'typescript', spec: '~5.9.0', pinned: false, line: 19 },
    ]);
    expect(f.issues).toEqual([]);
    // Only package.json declares npm dependencies.
    expect(json('{"dependencies": {"a": "1.0.0"}}', 'conf/x.json').requirements).toEqual([]);
  });

  it('reads tsconfig with comments and trailing commas', () => {
    const f = json(
      [
        '{',
        '  // TODO: enable later',
        '  "compilerOptions": {',
        '    "strict": true, /* FIXME: block */',
        '    "paths": { "@/*": ["src/*",], },',
        '  },',
        '  "include": ["src", "test",],',
        '}',
      ].join('\n'),
      'tsconfig.json',
    );
    expect(rows(f)).toEqual([
      '3 compilerOptions',
      '4 compilerOptions.strict = true',
      '5 compilerOptions.paths',
      '5 compilerOptions.paths.@/*',
      '5 compilerOptions.paths.@/*.[] = src/*',
      '7 include',
      '7 include.[] = src',
      '7 include.[] = test',
    ]);
    expect(f.markers).toEqual([
      { kind: 'TODO', line: 2, text: 'enable later' },
      { kind: 'FIXME', line: 4, text: 'block' },
    ]);
    expect(f.issues).toEqual([]);
    expect(f.lines).toEqual({ total: 8, code: 7, comment: 1, blank: 0 });
  });

  it('JSON5-style unquoted keys and single quotes; escapes in strings', () => {
    const f = json("{a: 'x', \"b\\\"q\": \"say \\\"hi\\\"\", n: -1.5e3, ok: null}");
    expect(rows(f)).toEqual(['1 a = x', '1 b"q = say "hi"', '1 n = -1.5e3', '1 ok = null']);
    expect(f.issues).toEqual([]);
  });

  it('records issues for malformed input and keeps the rest', () => {
    const f = json(['{', '  "a": 1', '  "b": tru,', '  "c" 3,', '  "d": "open', '  "e": [1, 2}', '}', 'extra'].join('\n'));
    const text = issueText(f);
    expect(text).toMatch(/JSON line 3: ',' expected/);
    expect(text).toMatch(/JSON line 3: not a JSON value: tru/);
    expect(text).toMatch(/JSON line 4: ':' expected after key 'c'/);
    expect(text).toMatch(/JSON line 5: string not closed/);
    expect(text).toMatch(/JSON line 6: '\}' closes the array opened at line 6/);
    expect(keySet(f)).toEqual(new Set(['a', 'b', 'c', 'd', 'e', 'e.[]']));
    noInternalErrors(f);
    expect(issueText(json('{"a": [1, 2'))).toMatch(/JSON line 1: array not closed/);
  });

  it('10,000-deep nesting does not throw', () => {
    const f = json('['.repeat(10_000) + ']'.repeat(10_000));
    expect(f.issues.map((i) => i.message)).toEqual(['JSON line 1: nested deeper than 64 levels; deeper keys are not recorded']);
    expect(f.configKeys.length).toBe(64);
    const g = json('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));
    expect(g.configKeys.length).toBe(64);
    noInternalErrors(g);
    const h = json('['.repeat(10_000));
    expect(issueText(h)).toMatch(/array not closed/);
    noInternalErrors(h);
  });

  it('a huge single-line JSON is read fast, with the key cap', () => {
    const items = Array.from({ length: 300_000 }, (_, i) => `{"id":${i},"name":"item ${i}"}`);
    const text = `{"data":[${items.join(',')}],"tail":true}`;
    expect(text.length).toBeGreaterThan(5_000_000);
    let f = emptyFacts('x', 'json', 0, '');
    f = json(text);
    expect(f.configKeys.length).toBe(20_000);
    expect(issueText(f)).toMatch(/more than 20000 config keys/);
    expect(f.lines.total).toBe(1);
  });

  it('lock files keep top-level keys only; vocabularies none', () => {
    const lock = json('{"name":"x","lockfileVersion":3,"packages":{"":{"name":"x"},"node_modules/a":{"version":"1.0.0"}}}', 'package-lock.json');
    expect([...keySet(lock)]).toEqual(['name', 'lockfileVersion', 'packages']);
    const vocab = json('{"a": 1, "b": 2}', 'tokenizer/vocab.json');
    expect(vocab.configKeys).toEqual([]);
    expect(vocab.issues).toEqual([]);
  });
});

describe('INI reader', () => {
  it('reads setup.cfg: [metadata], [options] with requirements, [tool:pytest], entry points', () => {
    const f = ini(
      [
        '[metadata]',
        'name = demo',
        'version: 0.1.0',
        '',
        '[options]',
        'packages = find:',
        'install_requires =',
        '    numpy==1.26.4',
        '    torch>=2.0  # TODO: pin',
        "    tqdm; python_version >= '3.8'",
        '',
        '[options.extras_require]',
        'dev = pytest==8.0.0',
        '',
        '[options.entry_points]',
        'console_scripts =',
        '    demo = demo.cli:main',
        '',
        '; a comment',
        '[tool:pytest]',
        'addopts = -q',
        '    --cov=demo',
        '    --cov-fail-under=80',
      ].join('\n'),
    );
    expect(rows(f)).toEqual([
      '1 metadata',
      '2 metadata.name = demo',
      '3 metadata.version = 0.1.0',
      '5 options',
      '6 options.packages = find:',
      '7 options.install_requires = numpy==1.26.4 torch>=2.0 tqdm; python_version >= \'3.8\'',
      '12 options.extras_require',
      '13 options.extras_require.dev = pytest==8.0.0',
      '15 options.entry_points',
      '16 options.entry_points.console_scripts = demo = demo.cli:main',
      '20 tool:pytest',
      '21 tool:pytest.addopts = -q --cov=demo --cov-fail-under=80',
    ]);
    expect(f.requirements).toEqual([
      { name: 'numpy', spec: '==1.26.4', pinned: true, line: 8 },
      { name: 'torch', spec: '>=2.0', pinned: false, line: 9 },
      { name: 'tqdm', spec: '', pinned: false, line: 10 },
      { name: 'pytest', spec: '==8.0.0', pinned: true, line: 13 },
    ]);
    expect(f.markers).toEqual([{ kind: 'TODO', line: 9, text: 'pin' }]);
    expect(f.issues).toEqual([]);
    expect(f.lines).toEqual({ total: 23, code: 18, comment: 1, blank: 4 });
  });

  it('reads tox.ini sections with colons', () => {
    const f = ini(
      ['[tox]', 'envlist = py310, py311', '', '[testenv]', 'deps =', '    pytest', '    -rrequirements.txt', 'commands = pytest {posargs}', '', '[testenv:lint]', 'commands = ruff check .'].join('\n'),
      'tox.ini',
    );
    expect(keySet(f)).toEqual(
      new Set(['tox', 'tox.envlist', 'testenv', 'testenv.deps', 'testenv.commands', 'testenv:lint', 'testenv:lint.commands']),
    );
    expect(value(f, 'testenv.deps')).toBe('pytest -rrequirements.txt');
    expect(value(f, 'testenv:lint.commands')).toBe('ruff check .');
    // Requirements come from setup.cfg only.
    expect(f.requirements).toEqual([]);
  });

  it('records issues for malformed input', () => {
    const f = ini(['  indented first', '[broken', 'novalue', '= nokey', '[ok]', 'a = 1'].join('\n'), '.flake8');
    const text = issueText(f);
    expect(text).toMatch(/INI line 1: indented line with no option/);
    expect(text).toMatch(/INI line 2: section header not closed/);
    expect(text).toMatch(/INI line 3: not 'key = value'/);
    expect(text).toMatch(/INI line 4: option without a name/);
    expect(value(f, 'ok.a')).toBe('1');
    noInternalErrors(f);
  });
});

describe('requirements reader', () => {
  it('pins, hashes, markers, extras, options, URLs and comments', () => {
    const f = reqs(
      [
        '# core deps  TODO: audit',
        '-r base.txt',
        '-c constraints.txt',
        '--index-url https://pypi.org/simple',
        '-e .',
        '-e git+https://github.com/a/b.git#egg=b',
        'torch==2.1.0',
        'Numpy >= 1.24, <2   # HACK: numpy 2 breaks',
        "requests[socks]==2.31.0 ; python_version >= '3.8'",
        'scipy===1.11.4',
        'pandas==2.*',
        'tqdm',
        'Foo_Bar.baz~=1.0',
        'flask==3.0.0 \\',
        '    --hash=sha256:abcdef \\',
        '    --hash=sha256:012345',
        'rich \\',
        '    --hash=sha256:abc',
        'mylib @ https://user:secret@example.com/mylib-1.0.tar.gz',
        'https://example.com/pkg-1.0.tar.gz',
        './local/pkg',
        'dist/pkg-1.0-py3-none-any.whl',
        'pkg==1.0 --no-binary :all:',
        '',
      ].join('\n'),
    );
    expect(f.requirements).toEqual([
      { name: 'torch', spec: '==2.1.0', pinned: true, line: 7 },
      { name: 'numpy', spec: '>=1.24,<2', pinned: false, line: 8 },
      { name: 'requests', spec: '==2.31.0', pinned: true, line: 9 },
      { name: 'scipy', spec: '===1.11.4', pinned: true, line: 10 },
      { name: 'pandas', spec: '==2.*', pinned: false, line: 11 },
      { name: 'tqdm', spec: '', pinned: false, line: 12 },
      { name: 'foo-bar-baz', spec: '~=1.0', pinned: false, line: 13 },
      { name: 'flask', spec: '==3.0.0', pinned: true, line: 14 },
      { name: 'rich', spec: '', pinned: true, line: 17 },
      { name: 'mylib', spec: '@url', pinned: false, line: 19 },
      { name: 'pkg', spec: '==1.0', pinned: true, line: 23 },
    ]);
    expect(JSON.stringify(f)).not.toContain('secret');
    expect(f.markers).toEqual([
      { kind: 'TODO', line: 1, text: 'audit' },
      { kind: 'HACK', line: 8, text: 'numpy 2 breaks' },
    ]);
    expect(f.issues).toEqual([]);
    expect(f.parser).toBe('reader');
  });

  it('readRequirement reads PEP 508 strings', () => {
    expect(readRequirement('torch (>=2.0)')).toEqual({ name: 'torch', spec: '>=2.0', pinned: false });
    expect(readRequirement('x[a,b]==1.0+cpu; sys_platform=="linux"')).toEqual({ name: 'x', spec: '==1.0+cpu', pinned: true });
    expect(readRequirement('>=1.0')).toBeNull();
    expect(readRequirement('pkg garbage')).toBeNull();
  });

  it('records issues for lines that are no requirement', () => {
    const f = reqs(['torch==2.0', '>=1.0', 'pkg !!', 'ok==1 \\'].join('\n'));
    const text = issueText(f);
    expect(text).toMatch(/requirements line 2: not a requirement: >=1.0/);
    expect(text).toMatch(/requirements line 3: not a requirement/);
    expect(text).toMatch(/requirements line 4: line continuation/);
    expect(f.requirements.map((r) => r.name)).toEqual(['torch', 'ok']);
    noInternalErrors(f);
  });
});

describe('Dockerfile reader', () => {
  it('instructions with values, continuations, heredocs and comments', () => {
    const f = docker(
      [
        '# syntax=docker/dockerfile:1',
        'FROM python:3.11-slim AS base',
        '# TODO: multi-stage build',
        'RUN apt-get update \\',
        '    # a comment inside the continuation',
        '    && apt-get install -y git \\',
        '    && rm -rf /var/lib/apt/lists/*',
        'COPY <<EOF /app/config.txt',
        'FROM not-an-instruction',
        'EOF',
        'expose 8000',
        'USER app',
        'ENTRYPOINT ["python", "-m", "demo"]',
        'CMD ["--help"]',
      ].join('\n'),
    );
    expect(rows(f)).toEqual([
      '2 FROM = python:3.11-slim AS base',
      '4 RUN = apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*',
      '8 COPY = <<EOF /app/config.txt',
      '11 EXPOSE = 8000',
      '12 USER = app',
      '13 ENTRYPOINT = ["python", "-m", "demo"]',
      '14 CMD = ["--help"]',
    ]);
    expect(f.markers).toEqual([{ kind: 'TODO', line: 3, text: 'multi-stage build' }]);
    expect(f.issues).toEqual([]);
  });

  it('honours the escape directive', () => {
    const f = docker(['# escape=`', 'FROM windows', 'RUN dir `', '    c:\\'].join('\n'));
    expect(value(f, 'RUN')).toBe('dir c:\\');
  });

  it('records issues for malformed input', () => {
    const f = docker(['FROM x', 'FROBNICATE y', '!!!', 'RUN <<EOT', 'echo'].join('\n'));
    const text = issueText(f);
    expect(text).toMatch(/Dockerfile line 2: unknown instruction FROBNICATE/);
    expect(text).toMatch(/Dockerfile line 3: not an instruction/);
    expect(text).toMatch(/heredoc <<EOT not closed/);
    expect(value(f, 'FROM')).toBe('x');
    noInternalErrors(f);
  });
});

describe('Markdown reader', () => {
  it('headings (ATX, setext, HTML), fenced code with languages, markers from HTML comments only', () => {
    const f = md(
      [
        '<h1 align="center"><b>Demo</b></h1>',
        '',
        'Demo Project',
        '============',
        '',
        'TODO: this prose is not a marker.',
        '',
        '## Installation ##',
        '',
        '```bash',
        '# not a heading',
        'pip install demo',
        '```',
        '',
        'Quick Start',
        '-----------',
        '',
        '<!-- TODO: write the usage section -->',
        '### Usage',
        '~~~~ mermaid',
        'graph TD',
        '```',
        '# still code',
        '~~~~',
        '',
        '- list item',
        '---',
        '',
        '    # indented code, not a heading',
        '#hashtag is not a heading',
        '<!--',
        'FIXME: multi-line comment',
        '# not a heading either',
        '-->',
        '```{python}',
        '```',
        '####### seven is not a heading',
        '#',
      ].join('\n'),
    );
    expect(f.headings).toEqual([
      { level: 1, text: 'Demo', line: 1 },
      { level: 1, text: 'Demo Project', line: 3 },
      { level: 2, text: 'Installation', line: 8 },
      { level: 2, text: 'Quick Start', line: 15 },
      { level: 3, text: 'Usage', line: 19 },
      { level: 1, text: '', line: 38 },
    ]);
    expect(f.codeBlocks).toEqual([
      { lang: 'bash', line: 10 },
      { lang: 'mermaid', line: 20 },
      { lang: 'python', line: 35 },
    ]);
    expect(f.markers).toEqual([
      { kind: 'TODO', line: 18, text: 'write the usage section' },
      { kind: 'FIXME', line: 32, text: 'multi-line comment' },
    ]);
    expect(f.issues).toEqual([]);
    expect(f.lines.comment).toBe(5);
    expect(f.lines.total).toBe(38);
  });

  it('front matter is skipped', () => {
    const f = md(['---', 'title: x', '# not a heading', '---', '# Title'].join('\n'));
    expect(f.headings).toEqual([{ level: 1, text: 'Title', line: 5 }]);
  });

  it('records issues for an unclosed fence or comment', () => {
    const f = md(['# A', '```python', '# swallowed'].join('\n'));
    expect(issueText(f)).toMatch(/Markdown line 2: code fence not closed/);
    expect(f.headings).toEqual([{ level: 1, text: 'A', line: 1 }]);
    expect(issueText(md('<!-- open\n# B'))).toMatch(/Markdown line 1: HTML comment not closed/);
  });
});

describe('text reader', () => {
  it('counts lines only', () => {
    const f = run(parseText, 'NOTES.txt', 'text', 'a\n\n# TODO not a marker\n');
    expect(f.parser).toBe('reader');
    expect(f.lines).toEqual({ total: 4, code: 2, comment: 0, blank: 2 });
    expect(f.markers).toEqual([]);
  });
});

describe('all readers: hostile input', () => {
  const readers: [string, Reader, string][] = [
    ['yaml', parseYaml, 'c.yaml'],
    ['toml', parseToml, 'pyproject.toml'],
    ['json', parseJson, 'package.json'],
    ['ini', parseIni, 'setup.cfg'],
    ['requirements', parseRequirements, 'requirements.txt'],
    ['dockerfile', parseDockerfile, 'Dockerfile'],
    ['markdown', parseMarkdown, 'README.md'],
    ['text', parseText, 'a.txt'],
  ];

  it('never throw on arbitrary text', () => {
    const alphabet = fc.constantFrom(
      ...'ab:=-[]{}"\'#;,.|>&*!\\ \t\n\r`~<>/$@?%0123456789TODO'.split(''),
      '---\n',
      '```',
      '<!--',
      '-->',
      '"""',
      "'''",
      '[[',
      ']]',
      '- ',
      ': ',
      '  ',
      '\\\n',
    );
    const arb = fc.array(alphabet, { maxLength: 200 }).map((a) => a.join(''));
    for (const [, reader, path] of readers) {
      fc.assert(
        fc.property(arb, (text) => {
          const f = emptyFacts(path, 'other', text.length, 'h');
          reader(text, f);
          for (const i of f.issues) if (/reader failed/.test(i.message)) throw new Error(`${path}: ${i.message}\n${JSON.stringify(text)}`);
          for (const k of f.configKeys) if (!(k.line >= 1)) throw new Error(`bad line in ${path}`);
          return f.parser === 'reader';
        }),
        { numRuns: 400 },
      );
    }
  });

  it('each reader handles 5 MB in well under a second', () => {
    const samples: Record<string, string> = {
      yaml: 'section:\n  key: "value # x"\n  list:\n    - {a: 1, b: [1, 2]}\n# TODO: note\n',
      toml: '[tool.x]\nkey = "value"\narr = [1, 2, {a = 1}]\n# TODO note\n',
      json: '{"key": "value", "list": [1, 2, {"a": null}]},\n',
      ini: '[section]\nkey = value\n    continued\n; TODO note\n',
      requirements: 'torch==2.1.0 --hash=sha256:abc\nnumpy>=1.0 ; python_version > "3"\n# TODO\n',
      dockerfile: 'RUN echo a \\\n  && echo b\n# TODO note\n',
      markdown: '# Heading\n\nSome *prose* <!-- TODO -->\n```mermaid\ngraph\n```\n',
      text: 'just some text\n',
    };
    for (const [name, reader, path] of readers) {
      const unit = samples[name];
      let text = unit.repeat(Math.ceil(5_000_000 / unit.length));
      if (name === 'json') text = '[' + text.slice(0, -2) + ']';
      const f = emptyFacts(path, 'other', text.length, 'h');
      reader(text, f);
      // Only the caps may speak: the input is well-formed.
      expect(f.issues.filter((i) => !/more than 20000/.test(i.message)), name).toEqual([]);
    }
  });

  it('a 5 MB single line in line-based readers', () => {
    const long = 'x'.repeat(5_000_000);
    for (const [, reader, path] of readers) {
      const inputs = [
        long,
        `key: ${long}`,
        `key = "${long}"`,
        `<!-- ${long}`,
        `# ${long}`,
        '- '.repeat(2_500_000),
        'a:'.repeat(2_500_000),
        '"'.repeat(5_000_000),
        `x = [${'1,'.repeat(2_500_000)}]`,
        '#'.repeat(5_000_000),
        '<!--'.repeat(1_250_000),
      ];
      for (const text of inputs) {
        const f = emptyFacts(path, 'other', text.length, 'h');
        reader(text, f);
        for (const k of f.configKeys) expect((k.value ?? '').length).toBeLessThanOrEqual(120);
        noInternalErrors(f);
      }
    }
  });
});
