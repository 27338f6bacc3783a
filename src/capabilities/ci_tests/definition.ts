import type { CapabilityDef, Signal } from '../../model/capability.js';

/**
 * Internal CI/test: a test suite, a local gate (tox, nox, make/just test target, npm test script,
 * pre-commit), runner configuration, a coverage threshold, a CI workflow, and offline markers for
 * network tests. Test files count here like any other file (CAPABILITIES.md, "Terms").
 */

/** Test files by the CAPABILITIES.md rule, as globs. */
export const TEST_FILE_GLOBS = [
  'test_*.py',
  '*_test.py',
  'tests.py',
  '**/tests/**/*.py',
  '**/test/**/*.py',
  '**/testing/**/*.py',
  '*.{test,spec}.{ts,tsx,js,jsx,mjs,cjs,mts,cts}',
  '**/__tests__/**/*.{ts,tsx,js,jsx,mjs,cjs}',
  '**/test/**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}',
  '**/tests/**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}',
];
const NOT_TEST_CODE = ['**/__init__.py', '**/conftest.py', '**/fixtures/**', '**/*.d.ts'];
const MAKEFILES = ['**/Makefile', '**/makefile', '**/GNUmakefile', '**/*.mk', '**/justfile', '**/Justfile', '**/.justfile'];
const PYPROJECT = ['**/pyproject.toml'];
const PACKAGE_JSON = ['**/package.json'];

// ---- ci_tests.suite --------------------------------------------------------------------------

const SUITE_TEST_DEFS: Signal = {
  def: '^test',
  kind: ['function', 'method'],
  paths: TEST_FILE_GLOBS,
  notPaths: NOT_TEST_CODE,
  note: 'a test function',
};
const SUITE_TEST_CLASSES: Signal = { bases: ['unittest.TestCase', 'TestCase'], paths: TEST_FILE_GLOBS };
const SUITE_JS_TESTS: Signal = { call: ['it', 'test', 'describe', 'node:test.test', 'node:test.it', 'node:test.describe'], paths: TEST_FILE_GLOBS, lang: ['typescript', 'javascript'] };
const SUITE_FILES: Signal = { file: TEST_FILE_GLOBS, notPaths: NOT_TEST_CODE, note: 'a test file' };

// ---- ci_tests.local_gates --------------------------------------------------------------------

const GATE_FILES: Signal = { file: ['tox.ini', 'noxfile.py', '.pre-commit-config.yaml', '.pre-commit-config.yml', 'run_tests.sh', 'run-tests.sh', 'test.sh', '**/scripts/test*.sh', 'Taskfile.y*ml'], note: 'a local gate' };
const GATE_MAKE_TARGET: Signal = { configKey: '^target:(test\\w*|tests|test-[\\w-]+|unit[\\w-]*|pytest|check)$', paths: MAKEFILES, note: 'a make/just test target' };
const GATE_NPM_TEST: Signal = {
  configKey: '^scripts\\.(?![\\w:.-]*watch)[\\w:.-]*test[\\w:.-]*$',
  value: '^(?!.*no test specified).+',
  paths: PACKAGE_JSON,
  note: 'an npm test script',
};
const GATE_PY_TASKS: Signal = {
  configKey: '^tool\\.(poe\\.tasks|pdm\\.scripts|hatch\\.envs\\.[\\w-]+\\.scripts|taskipy\\.tasks|tox)(\\.|$)',
  paths: PYPROJECT,
};

// ---- ci_tests.runner_config ------------------------------------------------------------------

const RUNNER_FILES: Signal = {
  file: ['pytest.ini', 'conftest.py', 'vitest.config.*', 'vitest.workspace.*', 'jest.config.*', '.mocharc*', 'karma.conf.*', 'ava.config.*', 'playwright.config.*'],
  note: 'a test-runner config',
};
const RUNNER_PYPROJECT: Signal = { configKey: '^tool\\.pytest(\\.ini_options)?(\\.|$)', paths: PYPROJECT };
const RUNNER_SETUP_CFG: Signal = { configKey: '^tool:pytest(\\.|$)', paths: ['**/setup.cfg'] };
const RUNNER_TOX_PYTEST: Signal = { configKey: '^pytest(\\.|$)', paths: ['**/tox.ini'] };
const RUNNER_PACKAGE_JSON: Signal = { configKey: '^(jest|ava|mocha|vitest)(\\.|$)', paths: PACKAGE_JSON };

// ---- ci_tests.coverage -----------------------------------------------------------------------

const COV_FAIL_UNDER_VALUE: Signal = { configKey: '.', value: '--cov-fail-under|--fail-under|--check-coverage|coverageThreshold', note: 'a coverage threshold in a command' };
const COV_FAIL_UNDER_KEY: Signal = { configKey: '(^|\\.)(fail_under|fail-under|check-coverage|coverageThreshold)(\\.|$)' };
const COV_CONFIG: Signal = { configKey: '^(tool\\.coverage|coverage:\\w+|report)(\\.|$)', paths: ['**/pyproject.toml', '**/setup.cfg', '**/tox.ini', '**/.coveragerc'] };
const COV_FILES: Signal = { file: ['.coveragerc', '.nycrc', '.nycrc.json', '.c8rc', '.c8rc.json'] };
const COV_CODECOV: Signal = { configKey: '^coverage\\.status\\.', paths: ['**/codecov.y*ml', '**/.codecov.y*ml'] };
const COV_ARGS: Signal = { call: ['session.run', 'subprocess.*', 'pytest.main', 'run'], arg0: '--cov-fail-under' };
const COV_ARGS_ANY: Signal = { call: '**', kw: ['fail_under'] };
const COV_JS_CONFIG: Signal = { text: 'coverageThreshold|thresholds\\s*:|--coverage\\.thresholds|check-coverage', paths: ['**/{vitest,vite,jest}.config.*', '**/.nycrc*', '**/.c8rc*', '**/package.json'] };
const COV_MAKE: Signal = { text: '--cov-fail-under', paths: [...MAKEFILES, '**/*.sh', '**/tox.ini', '**/noxfile.py'] };

// ---- ci_tests.ci_workflow --------------------------------------------------------------------

const CI_FILES: Signal = {
  file: [
    '.github/workflows/*.{yml,yaml}',
    '.gitlab-ci.yml',
    '.gitlab-ci.yaml',
    '.circleci/**',
    'azure-pipelines*.y*ml',
    'Jenkinsfile',
    '.buildkite/**',
    '.travis.yml',
    'bitbucket-pipelines.yml',
    '.drone.yml',
    'appveyor.yml',
    '.appveyor.yml',
    '.woodpecker.yml',
    '.woodpecker/**',
  ],
  note: 'a CI workflow',
};

// ---- ci_tests.offline_markers ----------------------------------------------------------------

const OFFLINE_WORDS = 'network|internet|offline|online|download|connection|socket|HF_HUB|hub access|requires? (an? )?(api|token)';
const OFFLINE_DECORATORS: Signal = {
  decorators: ['pytest.mark.*network*', 'pytest.mark.*online*', 'pytest.mark.*internet*', 'pytest.mark.remote*', 'pytest.mark.vcr', 'vcr.use_cassette', '*requires_network*', '*require_network*', '*requires_internet*', '*require_internet*', '*skip_if_offline*', '*skip_offline*', '*needs_network*'],
  note: 'a network test marked',
};
const OFFLINE_SKIPIF: Signal = { call: ['skipif', 'skipIf', 'skipUnless'], kwValue: { reason: OFFLINE_WORDS }, note: 'a network test skipped when offline' };
const OFFLINE_SKIPIF_ARG: Signal = { call: ['skipif', 'skipIf', 'skipUnless', 'pytest.skip', 'skipTest'], arg0: OFFLINE_WORDS };
const OFFLINE_ENV: Signal = {
  text: 'HF_HUB_OFFLINE|TRANSFORMERS_OFFLINE|HF_DATASETS_OFFLINE',
  paths: [...TEST_FILE_GLOBS, '**/conftest.py', '.github/**', '**/tox.ini', '**/noxfile.py', '**/pytest.ini', '**/pyproject.toml', '**/setup.cfg', '**/run_tests*.sh', '**/test*.sh', ...MAKEFILES, '**/.gitlab-ci.y*ml'],
  note: 'the HF offline switches set for tests',
};
const OFFLINE_ADDOPTION: Signal = { call: 'addoption', arg0: '--(offline|online|network|internet|run[-_]network|no[-_]network|run[-_]online|allow[-_]network|run[-_]remote|remote)\\b' };
const OFFLINE_SOCKET: Signal = { call: ['disable_socket', 'pytest_socket.disable_socket', 'disableNetConnect', 'nock.disableNetConnect'] };
const OFFLINE_SOCKET_IMPORT: Signal = { import: ['pytest_socket', 'vcr', 'pytest_recording'], paths: TEST_FILE_GLOBS, note: 'network blocked or replayed from cassettes' };
const OFFLINE_MARKERS_CONFIG: Signal = { configKey: '(^|\\.)markers(\\.\\[\\])?$', value: 'network|online|internet|offline|remote' };
const OFFLINE_ADDOPTS: Signal = { configKey: '(^|\\.)addopts$', value: '--disable-socket|--block-network|-m\\s*["\']?not (network|online|internet|remote)' };

export const capability: CapabilityDef = {
  id: 'ci_tests',
  title: 'Internal CI/Test',
  tableTitle: 'Internal CI/Test (pytest, tox/nox local gates, coverage)',
  why: 'Tests and gates that run locally, offline and in CI are what keep a research codebase from silently breaking between experiments.',
  subfeatures: [
    {
      id: 'ci_tests.suite',
      title: 'Test suite',
      core: true,
      summary: 'Tests exist: `tests/`/`test/` folders, `test_*.py`, `*_test.py`, `*.test.ts`, `*.spec.ts`.',
      gap: 'No test suite: add `tests/` with pytest (or vitest) tests for the core modules, starting with a tiny end-to-end smoke test.',
      signals: [SUITE_TEST_DEFS, SUITE_TEST_CLASSES, SUITE_JS_TESTS, SUITE_FILES],
    },
    {
      id: 'ci_tests.local_gates',
      title: 'Local gates (tox/nox/make)',
      core: true,
      summary: 'A local gate: `tox.ini`, `noxfile.py`, a Makefile/justfile test target, an npm `test` script, `.pre-commit-config.yaml`.',
      gap: 'No local gate: add `tox.ini` (or `noxfile.py`, or a `make test` target) that runs the tests offline with one command.',
      signals: [GATE_FILES, GATE_MAKE_TARGET, GATE_NPM_TEST, GATE_PY_TASKS],
    },
    {
      id: 'ci_tests.runner_config',
      title: 'Test runner config',
      core: false,
      summary: '`pytest.ini`, `[tool.pytest.ini_options]`, `conftest.py`, `setup.cfg [tool:pytest]`, vitest/jest config.',
      gap: 'No test-runner config: add `[tool.pytest.ini_options]` (testpaths, markers, `-q`) to `pyproject.toml`, or a `vitest.config.ts`.',
      signals: [RUNNER_FILES, RUNNER_PYPROJECT, RUNNER_SETUP_CFG, RUNNER_TOX_PYTEST, RUNNER_PACKAGE_JSON],
    },
    {
      id: 'ci_tests.coverage',
      title: 'Coverage threshold',
      core: false,
      summary: 'A coverage threshold: `--cov-fail-under`, `fail_under`, `.coveragerc`, `[tool.coverage]`, vitest/jest `coverageThreshold`/`thresholds`.',
      gap: 'No coverage threshold: run tests with coverage and fail under a floor (`--cov-fail-under=80` or `[tool.coverage.report] fail_under`) for the core modules.',
      signals: [COV_FAIL_UNDER_VALUE, COV_FAIL_UNDER_KEY, COV_CONFIG, COV_FILES, COV_CODECOV, COV_ARGS, COV_ARGS_ANY, COV_JS_CONFIG, COV_MAKE],
    },
    {
      id: 'ci_tests.ci_workflow',
      title: 'CI workflow',
      core: false,
      summary: '`.github/workflows/*`, `.gitlab-ci.yml`, `.circleci/`, `azure-pipelines.yml`, `Jenkinsfile`, `.buildkite/`.',
      gap: 'No CI workflow: add `.github/workflows/tests.yml` running the local gate on each push and pull request.',
      signals: [CI_FILES],
    },
    {
      id: 'ci_tests.offline_markers',
      title: 'Offline markers',
      core: false,
      summary: 'Network tests marked or skippable: pytest markers / `skipif` on network, `HF_HUB_OFFLINE`/`TRANSFORMERS_OFFLINE`, an `--offline` flag, socket blocking.',
      gap: 'No offline markers: mark tests that need the network (`@pytest.mark.network`), skip them unless enabled, and run the suite with `HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1`.',
      signals: [OFFLINE_DECORATORS, OFFLINE_SKIPIF, OFFLINE_SKIPIF_ARG, OFFLINE_ENV, OFFLINE_ADDOPTION, OFFLINE_SOCKET, OFFLINE_SOCKET_IMPORT, OFFLINE_MARKERS_CONFIG, OFFLINE_ADDOPTS],
    },
  ],
  risks: ['Breakage goes unnoticed between experiments', 'Flaky or hanging tests on air-gapped machines when network tests are not marked', 'Coverage of core utilities erodes without a floor'],
  patchPlan: 'Add `tox.ini` and a `noxfile.py` with offline envs (`HF_HUB_OFFLINE=1`), a pytest config with a `network` marker, a ~80% coverage floor for core utilities, and a CI workflow running the same gate.',
  rollbackPlan: 'Lower the coverage threshold or skip failing envs in the constraints; keep the tests.',
};
