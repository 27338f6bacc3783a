// The TypeScript flavours and other repository layouts (src layout, a `test/` folder, root-level
// scripts), on small synthetic repositories: every patch applies, compiles and passes its own tests,
// and lands where the layout says (import paths included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { audit, checkPython, checkTypescript, gitApply, gitRepo, removeRepo, runPytest, runVitest, type Audited } from './patches-kit.js';

/** Compiling, type-checking and running the generated tests spawns python, tsc and vitest. */
const HEAVY = 180_000;

const TS_REPO: Record<string, string> = {
  'package.json': JSON.stringify(
    {
      name: 'tiny-ts',
      version: '1.0.0',
      type: 'module',
      scripts: { build: 'tsc -p tsconfig.json', test: 'vitest run' },
      devDependencies: { '@types/node': '^20.0.0', typescript: '^5.4.0', vitest: '^4.0.0' },
    },
    null,
    2,
  ) + '\n',
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', rootDir: 'src' }, include: ['src/**/*.ts'] }, null, 2) + '\n',
  'README.md': '# tiny-ts\r\n\r\nA tiny library.\r\n\r\n## API\r\n\r\n`double(n)` doubles.',
  'src/util.ts': 'export function double(n: number): number {\n  return n * 2;\n}\n',
  'src/index.ts': "export { double } from './util.js';\n",
  'test/util.test.ts': "import { describe, expect, it } from 'vitest';\nimport { double } from '../src/util.js';\n\ndescribe('double', () => {\n  it('doubles', () => {\n    expect(double(2)).toBe(4);\n  });\n});\n",
};

const PY_SRC_REPO: Record<string, string> = {
  'pyproject.toml': '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "deepthing"\nversion = "0.1.0"\ndependencies = ["torch>=2"]\n',
  'src/deepthing/__init__.py': '"""deepthing."""\n',
  'src/deepthing/model.py': 'import torch\n\n\nclass Net(torch.nn.Module):\n    """A net."""\n\n    def forward(self, x):\n        return x\n',
  'test/test_model.py': 'import unittest\n\n\nclass ModelTest(unittest.TestCase):\n    def test_nothing(self):\n        self.assertTrue(True)\n',
  'README.rst': 'deepthing\n=========\n',
  'tox.ini': '[tox]\nenvlist = py3\n\n[testenv]\ndeps = pytest\ncommands = pytest test\n',
};

const PY_SCRIPTS_REPO: Record<string, string> = {
  'train.py': 'import torch\n\nmodel = torch.nn.Linear(2, 2)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nfor _ in range(3):\n    loss = model(torch.zeros(1, 2)).sum()\n    loss.backward()\n    opt.step()\n',
  'README.md': '# scripts\n\nTrain with `python train.py`.\n\n```bash\npython train.py\n',
};

function applied(state: Audited, repo: string): { py: string[]; ts: string[]; tests: string[] } {
  for (const d of state.plan.diffs) {
    const r = gitApply(repo, d.diff, d.id, false);
    if (r.status !== 0) throw new Error(`${d.id}: ${r.stderr}`);
  }
  const created = state.plan.diffs.flatMap((d) => d.files.filter((f) => d.diff.includes(`--- /dev/null\n+++ b/${f}\n`)));
  return {
    py: created.filter((f) => f.endsWith('.py')),
    ts: created.filter((f) => f.endsWith('.ts')),
    tests: created.filter((f) => /(^|\/)test_[^/]*\.py$|\.(test|spec)\.ts$/.test(f)),
  };
}

describe('TypeScript repository (src/ + test/, NodeNext, vitest)', () => {
  let repo = '';
  let state: Audited;
  beforeAll(async () => {
    repo = gitRepo('ca-patches-ts-', undefined, TS_REPO);
    state = await audit(repo);
  }, HEAVY);
  afterAll(() => removeRepo(repo));

  it('offers the TypeScript remedies and the neutral ones, in TS', () => {
    const ids = state.plan.diffs.map((d) => d.id).sort();
    expect(ids).toEqual(['checkpoint', 'configuration', 'dependency_lock', 'local_gate', 'metrics_sink', 'precommit_secrets', 'readme']);
    const files = state.plan.diffs.flatMap((d) => d.files);
    expect(files).toEqual(expect.arrayContaining(['src/metrics-sink.ts', 'test/metrics-sink.test.ts', 'src/config-loader.ts', 'configs/base.json', 'package.json', '.npmrc', 'README.md']));
    expect(files.filter((f) => f.endsWith('.py'))).toEqual([]);
    const sink = state.plan.diffs.find((d) => d.id === 'metrics_sink');
    expect(sink?.diff).toContain("+import { MetricsSink, readMetrics } from '../src/metrics-sink.js';");
    expect(sink?.diff).toContain("+import { afterEach, beforeEach, describe, expect, it } from 'vitest';");
  });

  it('applies, type-checks strictly, passes its vitest tests, and closes the gaps', async () => {
    const { ts, tests } = applied(state, repo);
    expect(checkTypescript(repo, ts)).toEqual([]);
    expect(runVitest(repo, tests)).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts).toEqual({ build: 'tsc -p tsconfig.json', test: 'vitest run', 'test:coverage': 'vitest run --coverage --coverage.thresholds.lines=60' });
    // The README kept its CRLF line endings and gained a final newline before the new section.
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toMatch(/doubles\.\r\n\r\n## Quick start\r\n/);
    const after = await audit(repo);
    const state2 = (id: string): string | undefined => after.run.report.capabilities.flatMap((c) => c.subfeatures).find((s) => s.id === id)?.state;
    for (const d of state.plan.diffs) for (const id of d.closes) expect(`${id}: ${state2(id) ?? after.run.report.reproducibility.find((r) => r.id === id)?.status}`).toMatch(/: (present|provided)$/);
  }, HEAVY);
});

describe('Python src layout with a test/ folder and unittest', () => {
  let repo = '';
  let state: Audited;
  beforeAll(async () => {
    repo = gitRepo('ca-patches-src-', undefined, PY_SRC_REPO);
    state = await audit(repo);
  });
  afterAll(() => removeRepo(repo));

  it('puts modules in the package, tests in test/, imports through src/; skips the non-Markdown README; adds a noxfile beside tox.ini', () => {
    const repro = state.plan.diffs.find((d) => d.id === 'reproducibility');
    expect(repro?.files).toEqual(['src/deepthing/reproducibility.py', 'test/test_reproducibility.py']);
    expect(repro?.diff).toContain('+_IMPORT_ROOT = Path(__file__).resolve().parents[1] / "src"');
    expect(repro?.diff).toContain('+from deepthing.reproducibility import (  # noqa: E402');
    expect(repro?.tests).toContain('python -m unittest test/test_reproducibility.py');
    expect(state.plan.diffs.find((d) => d.id === 'readme')).toBeUndefined();
    expect(state.plan.skipped).toContainEqual({ id: 'readme', reason: 'the README (README.rst) is not Markdown' });
    const lock = state.plan.diffs.find((d) => d.id === 'dependency_lock');
    expect(lock?.diff).toContain('+-e .');
    expect(lock?.diff).toContain('pip-compile --generate-hashes --output-file=requirements.lock requirements.in');
    // tox.ini exists (the gate) but has no coverage floor: the floor comes as a noxfile.
    const gate = state.plan.diffs.find((d) => d.id === 'local_gate');
    expect(gate?.subfeature).toBe('ci_tests.coverage');
    expect(gate?.files).toEqual(['noxfile.py', 'test/test_local_gate.py']);
    expect(gate?.diff).toContain('+        "--cov=deepthing",');
    expect(gate?.diff).toContain('+    session.install("-e", ".")');
  });

  it('applies, compiles, imports without torch and passes its own tests', () => {
    const { py, tests } = applied(state, repo);
    expect(checkPython(repo, py)).toEqual([]);
    expect(runPytest(repo, tests)).toEqual([]);
  }, HEAVY);
});

describe('Python scripts at the root (no package), README ending inside a code block', () => {
  let repo = '';
  let state: Audited;
  beforeAll(async () => {
    repo = gitRepo('ca-patches-scripts-', undefined, PY_SCRIPTS_REPO);
    state = await audit(repo, 50, /code fence not closed/);
  });
  afterAll(() => removeRepo(repo));

  it('puts modules at the root and tests in tests/, and leaves a README with an open code block alone', () => {
    const sink = state.plan.diffs.find((d) => d.id === 'metrics_sink');
    expect(sink?.files).toEqual(['metrics_sink.py', 'tests/test_metrics_sink.py']);
    expect(sink?.diff).toContain('+from metrics_sink import MetricsSink, read_metrics  # noqa: E402');
    expect(state.plan.skipped).toContainEqual({ id: 'readme', reason: 'README.md ends inside an unclosed code block' });
  });

  it('applies, compiles and passes its own tests', () => {
    const { py, tests } = applied(state, repo);
    expect(checkPython(repo, py)).toEqual([]);
    expect(runPytest(repo, tests)).toEqual([]);
  }, HEAVY);
});
