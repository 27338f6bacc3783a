import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

const rows: Row[] = [
  ['ci_tests.suite', 'pytest tests', { 'tests/test_model.py': 'def test_forward():\n    assert True\n' }, 'present'],
  ['ci_tests.suite', 'vitest spec in a monorepo package', { 'packages/core/src/a.test.ts': "import { it } from 'vitest';\nit('works', () => {});\n" }, 'present'],
  ['ci_tests.suite', 'an empty tests package is not a suite', { 'tests/__init__.py': '' }, 'absent'],

  ['ci_tests.local_gates', 'tox.ini', { 'tox.ini': '[tox]\nenvlist = py311\n' }, 'present'],
  ['ci_tests.local_gates', 'a Makefile test target', { 'Makefile': 'test:\n\tpytest -q\n' }, 'present'],
  ['ci_tests.local_gates', 'an npm test script', { 'package.json': '{"name": "x", "scripts": {"test": "vitest run"}}\n' }, 'present'],
  ['ci_tests.local_gates', "npm init's placeholder test script is not a gate", { 'package.json': '{"name": "x", "scripts": {"test": "echo \\"Error: no test specified\\" && exit 1"}}\n' }, 'absent'],
  ['ci_tests.local_gates', 'a Makefile without a test target', { 'Makefile': 'build:\n\tpython setup.py build\n' }, 'absent'],

  ['ci_tests.runner_config', '[tool.pytest.ini_options]', { 'pyproject.toml': '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n' }, 'present'],
  ['ci_tests.runner_config', 'setup.cfg [tool:pytest]', { 'setup.cfg': '[tool:pytest]\naddopts = -q\n' }, 'present'],
  ['ci_tests.runner_config', 'none', { 'pyproject.toml': '[project]\nname = "x"\n' }, 'absent'],

  ['ci_tests.coverage', '--cov-fail-under in addopts', { 'pyproject.toml': '[tool.pytest.ini_options]\naddopts = "--cov=pkg --cov-fail-under=80"\n' }, 'present'],
  ['ci_tests.coverage', 'fail_under in .coveragerc', { '.coveragerc': '[report]\nfail_under = 85\n' }, 'present'],
  ['ci_tests.coverage', 'no coverage config', { 'tox.ini': '[testenv]\ncommands = pytest\n' }, 'absent'],

  ['ci_tests.ci_workflow', 'GitHub Actions', { '.github/workflows/ci.yml': 'on: push\n' }, 'present'],
  ['ci_tests.ci_workflow', 'GitLab CI', { '.gitlab-ci.yml': 'test:\n  script: pytest\n' }, 'present'],
  ['ci_tests.ci_workflow', 'none', { 'README.md': '# x\n' }, 'absent'],

  ['ci_tests.offline_markers', 'a network marker', { 'tests/test_hub.py': 'import pytest\n@pytest.mark.network\ndef test_download():\n    assert fetch("x")\n' }, 'present'],
  ['ci_tests.offline_markers', 'skipif on network', { 'tests/test_hub.py': 'import pytest\n@pytest.mark.skipif(not online(), reason="needs network")\ndef test_download():\n    assert fetch("x")\n' }, 'present'],
  ['ci_tests.offline_markers', 'HF offline switches in conftest', { 'tests/conftest.py': 'import os\nos.environ.setdefault("HF_HUB_OFFLINE", "1")\n' }, 'present'],
  ['ci_tests.offline_markers', 'a GPU skip is not an offline marker', { 'tests/test_gpu.py': 'import pytest\n@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs GPU")\ndef test_cuda():\n    pass\n' }, 'absent'],
  ['ci_tests.offline_markers', 'HF_HUB_OFFLINE in a training launch script is not a test marker', { 'scripts/run.sh': 'export HF_DATASETS_OFFLINE=1\npython train.py\n' }, 'absent'],
];

describe('ci_tests signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
