import { describe, expect, it } from 'vitest';
import { dedent, factsOf, repo } from '../../test/capabilities-kit.js';
import { initPython } from '../parse/python.js';
import { classifyTestFile, classifyTests, findTestCommands, ownPythonRoots, OFFLINE_ENV } from './tests-map.js';

async function classes(path: string, src: string, roots: string[] = ['mypkg']): Promise<string[]> {
  await initPython();
  return classifyTestFile(factsOf(path, dedent(src)), new Set(roots));
}

describe('ML Test Score classification', () => {
  it.each([
    ['tests/test_data.py', 'from mypkg.data import split\ndef test_split_is_disjoint():\n    assert split()\n', ['data']],
    ['tests/test_tokenizer.py', 'def test_encode_decode_round_trip(tok):\n    assert tok.decode(tok.encode("a")) == "a"\n', ['data']],
    ['tests/test_model.py', 'import torch\nfrom mypkg.model import GPT\ndef test_forward_shapes():\n    assert GPT()\n', ['model']],
    ['tests/test_train.py', 'def test_train_step_reduces_loss(model):\n    loss.backward()\n    assert loss < 1\n', ['model']],
    ['tests/test_config.py', 'from mypkg.config import load_config\ndef test_config_overrides(tmp_path):\n    assert load_config(tmp_path)\n', ['infrastructure']],
    ['tests/test_cli.py', 'from click.testing import CliRunner\ndef test_cli_help():\n    assert CliRunner().invoke(main)\n', ['infrastructure']],
    ['tests/test_regression.py', 'def test_golden_perplexity():\n    assert ppl == pytest.approx(12.3)\n', ['regression']],
    ['tests/test_speed.py', 'def test_forward_latency(benchmark):\n    benchmark(step)\n', ['performance']],
    ['src/model.spec.ts', "import { it } from 'vitest';\nit('forward returns logits of the right shape', () => {});\n", ['model']],
  ])('%s', async (path, src, expected) => {
    expect(await classes(path, src)).toEqual(expected);
  });

  it('does not classify helpers without tests (conftest.py)', async () => {
    expect(await classes('tests/conftest.py', 'import pytest\nfrom mypkg.data import load\n@pytest.fixture\ndef data():\n    return load()\n')).toEqual([]);
  });

  it('does not read library imports as the class of a test (os.path is not infrastructure)', async () => {
    expect(await classes('tests/test_x.py', 'import os.path\ndef test_something():\n    assert os.path.sep\n')).toEqual([]);
  });

  it('rows for every class, with what is missing', async () => {
    const index = await repo({
      'mypkg/data.py': 'def split():\n    return 1\n',
      'tests/test_data.py': 'from mypkg.data import split\ndef test_split():\n    assert split()\n',
      'mypkg/model_test_helpers.py': 'def test_like():\n    return 1\n',
    });
    const rows = classifyTests(index);
    expect(rows.map((r) => r.testClass)).toEqual(['data', 'model', 'infrastructure', 'regression', 'performance']);
    expect(rows[0]).toEqual({ testClass: 'data', files: ['tests/test_data.py'] });
    for (const r of rows.slice(1)) {
      expect(r.files).toEqual([]);
      expect(r.missing).toMatch(/^No \w+ tests: /);
    }
  });

  it('knows the repository\'s own Python roots', () => {
    expect([...ownPythonRoots(['src/mypkg/a.py', 'train.py', 'tests/test_a.py', 'README.md'])].sort()).toEqual(['mypkg', 'train']);
  });
});

describe('test commands', () => {
  it('finds pytest, tox, nox, make and npm gates, each with an offline variant', async () => {
    const index = await repo({
      'pyproject.toml': '[project]\nname = "x"\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
      'tox.ini': '[tox]\nenvlist = py310, py311\n',
      'noxfile.py': 'import nox\n@nox.session\ndef tests(session):\n    session.run("pytest")\n@nox.session\ndef lint(session):\n    session.run("ruff")\n',
      'Makefile': 'build:\n\tpython -m build\ntest:\n\tpytest -q\n',
      'web/package.json': '{"name": "web", "scripts": {"test": "vitest run", "test:watch": "vitest", "build": "tsc"}}\n',
      'web/pnpm-lock.yaml': 'lockfileVersion: 9\n',
      'tests/test_a.py': 'def test_a():\n    assert True\n',
    });
    const cmds = findTestCommands(index);
    expect(cmds.map((c) => [c.command, c.source])).toEqual([
      ['make test', 'Makefile'],
      ['nox -s tests', 'noxfile.py'],
      ['pytest -q', 'pyproject.toml'],
      ['tox -q -e py310,py311', 'tox.ini'],
      ['cd web && pnpm test', 'web/package.json'],
    ]);
    expect(cmds.find((c) => c.command === 'pytest -q')?.offline).toBe(`${OFFLINE_ENV} pytest -q`);
    expect(cmds.find((c) => c.source === 'web/package.json')?.offline).toBe('cd web && pnpm install --offline && pnpm test');
  });

  it('falls back to the test files when there is no runner config', async () => {
    const index = await repo({ 'tests/test_a.py': 'import unittest\nclass TestA(unittest.TestCase):\n    def test_a(self):\n        self.assertTrue(True)\n' });
    expect(findTestCommands(index)).toEqual([{ command: 'python -m unittest discover -q', source: 'tests', offline: `${OFFLINE_ENV} python -m unittest discover -q` }]);
  });

  it("ignores npm init's placeholder test script", async () => {
    const index = await repo({ 'package.json': '{"name": "x", "scripts": {"test": "echo \\"Error: no test specified\\" && exit 1"}}\n' });
    expect(findTestCommands(index)).toEqual([]);
  });

  it('runs a nested pytest config from its folder', async () => {
    const index = await repo({ 'tests/pytest.ini': '[pytest]\naddopts = -q\n', 'tests/test_a.py': 'def test_a():\n    assert 1\n' });
    expect(findTestCommands(index).map((c) => c.command)).toEqual(['cd tests && pytest -q']);
  });
});
