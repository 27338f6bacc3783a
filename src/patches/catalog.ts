import type { FileFacts } from '../facts/types.js';
import type { RepoLayout } from '../model/layout.js';
import type { AuditReport, SubFeatureResult } from '../model/types.js';
import { addPackageScripts, addPreCommitRepo, appendMarkdownSection } from './edits.js';
import { dirDepth, pyRootExpr, testFrameworkImport, tsImportPath, type PythonPlacement, type ReadFile, type TsPlacement } from './placement.js';
import { loadPatchTemplate, renderPatchTemplate } from './templates.js';

/**
 * The patch catalog: one entry per standard remedy, in the order used to break ranking ties. An
 * entry names the gaps it addresses (sub-feature ids and Reproducibility row ids) and builds the file
 * changes for the audited repository from templates in `templates/patches/`, or says why it cannot.
 * Prose (why, risk) is data here; code lives in the templates.
 */

export type Flavour = 'python' | 'typescript' | 'none';

export interface PatchContext {
  report: AuditReport;
  files: FileFacts[];
  layout: RepoLayout;
  flavour: Flavour;
  read: ReadFile;
  /** A file exists at this path (walked, or readable through the reader); compared case-insensitively. */
  exists(path: string): boolean;
  py: PythonPlacement;
  /** TS conventions, or why TS files cannot be suggested. */
  ts: TsPlacement | string;
  subfeature(id: string): SubFeatureResult | undefined;
}

export interface FileChange {
  path: string;
  /** Current text of a modified file; undefined for a new file. */
  before?: string;
  after: string;
}

export interface PatchProposal {
  title: string;
  why: string;
  risk: string;
  tests: string;
  changes: FileChange[];
  /** Gaps (sub-feature or Reproducibility row ids) that are closed once the patch is applied. */
  closes: string[];
  /** Default: reverse the patch or delete the new files. */
  rollback?: string;
}

export interface PatchDef {
  id: string;
  /** Gaps addressed, in order of preference for naming the diff. */
  targets: string[];
  /** Only meaningful for ML code (ranked after general remedies in a repository without ML code). */
  mlSpecific: boolean;
  build(ctx: PatchContext): PatchProposal;
}

/** Thrown by a builder that cannot produce a correct patch for this repository. */
export class PatchSkip extends Error {}

const skip = (reason: string): never => {
  throw new PatchSkip(reason);
};

function newFile(ctx: PatchContext, path: string, after: string): FileChange {
  if (ctx.exists(path)) skip(`${path} already exists (never overwritten)`);
  return { path, after };
}

const join = (...parts: string[]): string => parts.filter((p) => p !== '').join('/');
const code = (s: string): string => `\`${s}\``;

// ---------------------------------------------------------------------------------------------
// Python and TypeScript module + test pairs

interface PyModule {
  modulePath: string;
  testPath: string;
  module: string;
  changes: FileChange[];
}

function pyVars(ctx: PatchContext, testPath: string, module: string): Record<string, string> {
  const root = pyRootExpr(testPath);
  return {
    module,
    import_root: ctx.py.importRoot === '' ? root : `${root} / "${ctx.py.importRoot}"`,
    root_depth: String(dirDepth(ctx.py.testsDir)),
  };
}

function pythonOnly(ctx: PatchContext): void {
  if (ctx.flavour !== 'python') skip(ctx.flavour === 'typescript' ? 'no TypeScript flavour of this patch' : 'no Python or TypeScript code to adapt it to');
}

/** The TS conventions (any TypeScript repository with a package.json). */
function tsRepo(ctx: PatchContext): TsPlacement {
  return typeof ctx.ts === 'string' ? skip(ctx.ts) : ctx.ts;
}

/** The TS conventions, for patches whose code or tests use `node:` modules. */
function tsOnly(ctx: PatchContext): TsPlacement {
  const ts = tsRepo(ctx);
  if (!ts.hasNodeTypes) skip('@types/node is not a dependency, so node: imports would not type-check');
  return ts;
}

function pyModule(ctx: PatchContext, name: string, vars: Record<string, string> = {}): PyModule {
  const modulePath = join(ctx.py.moduleDir, `${name}.py`);
  const testPath = join(ctx.py.testsDir, `test_${name}.py`);
  const module = `${ctx.py.importPrefix}${name}`;
  const all = { ...pyVars(ctx, testPath, module), ...vars };
  return {
    modulePath,
    testPath,
    module,
    changes: [newFile(ctx, modulePath, renderPatchTemplate(`python/${name}.py`, all)), newFile(ctx, testPath, renderPatchTemplate(`python/test_${name}.py`, all))],
  };
}

interface TsModule {
  modulePath: string;
  testPath: string;
  changes: FileChange[];
}

function tsTestFile(ctx: PatchContext, ts: TsPlacement, template: string, testPath: string, vars: Record<string, string>): FileChange {
  const framework = ts.framework ?? skip('the repository runs its tests with neither vitest nor jest, so the new tests would not run');
  const text = loadPatchTemplate(template);
  return newFile(ctx, testPath, renderPatchTemplate(template, { ...vars, test_framework_import: testFrameworkImport({ ...ts, framework }, text) }));
}

/** The test file of a config or docs patch, when the repository's TS test runner can run it. */
function optionalTsTest(ctx: PatchContext, template: string, name: string, vars: Record<string, string>): { change: FileChange; tests: string } | undefined {
  if (typeof ctx.ts === 'string' || !ctx.ts.hasNodeTypes || !ctx.ts.framework) return undefined;
  const testPath = join(ctx.ts.testDir, `${name}${ctx.ts.testSuffix}`);
  return { change: tsTestFile(ctx, ctx.ts, template, testPath, vars), tests: tsTests(ctx.ts, testPath) };
}

const NO_TS_TEST = 'No test file: the repository has no vitest or jest setup (with @types/node) to run one.';

function tsModule(ctx: PatchContext, name: string, vars: Record<string, string> = {}): TsModule {
  const ts = tsOnly(ctx);
  const modulePath = join(ts.sourceDir ?? skip('no TypeScript source folder (src/) to put new modules in'), `${name}.ts`);
  const testPath = join(ts.testDir, `${name}${ts.testSuffix}`);
  const all = { ...vars, module_import: tsImportPath(ts.testDir, modulePath, ts.importExt) };
  return {
    modulePath,
    testPath,
    changes: [newFile(ctx, modulePath, renderPatchTemplate(`typescript/${name}.ts`, all)), tsTestFile(ctx, ts, `typescript/${name}.test.ts`, testPath, all)],
  };
}

function pyTests(ctx: PatchContext, testPath: string): string {
  const run = ctx.py.testStyle === 'unittest' ? `python -m unittest ${testPath}` : `python -m pytest ${testPath}`;
  return `Adds ${code(testPath)} (unittest.TestCase; pytest collects it too): ${code(run)}.`;
}

function tsTests(ts: TsPlacement, testPath: string): string {
  return `Adds ${code(testPath)} (${ts.framework}): ${code(`npx ${ts.framework === 'jest' ? 'jest' : 'vitest run'} ${testPath}`)}.`;
}

const NEW_MODULE_RISK = 'Low: new files only, imported by nothing until you call them';

// ---------------------------------------------------------------------------------------------
// The remedies

const reproducibility: PatchDef = {
  id: 'reproducibility',
  targets: ['checkpointing.rng_state', 'repro.seeds', 'repro.deterministic_flags', 'repro.rng_state'],
  mlSpecific: true,
  build(ctx) {
    pythonOnly(ctx);
    const m = pyModule(ctx, 'reproducibility');
    return {
      title: `Deterministic seeding with RNG capture/restore (${m.modulePath})`,
      why: 'A run repeats only when every generator (random, NumPy, PyTorch CPU and CUDA) is seeded from one number, and a resumed run continues the same random sequence only when the RNG state is stored with the checkpoint and set back on resume.',
      risk: `${NEW_MODULE_RISK}. \`deterministic=True\` (off by default) makes some CUDA kernels slower and makes PyTorch warn on operations without a deterministic implementation.`,
      tests: `${pyTests(ctx, m.testPath)} Use: call \`seed_everything(seed)\` first in the entry point; put \`capture_rng_state()\` in each checkpoint and pass it to \`restore_rng_state()\` on resume.`,
      changes: m.changes,
      closes: ['checkpointing.rng_state', 'repro.seeds', 'repro.deterministic_flags', 'repro.rng_state'],
    };
  },
};

const checkpoint: PatchDef = {
  id: 'checkpoint',
  targets: ['checkpointing.atomic_write', 'checkpointing.metadata', 'repro.atomic_writes'],
  mlSpecific: true,
  build(ctx) {
    if (ctx.flavour === 'typescript') {
      const ts = tsOnly(ctx);
      const m = tsModule(ctx, 'atomic-write');
      return {
        title: `Atomic file writer with checkpoint metadata (${m.modulePath})`,
        why: 'A crash or a full disk in the middle of a plain write leaves a torn file in place of the last good checkpoint or artifact; writing to a temporary file and renaming it over the target is all-or-nothing. The metadata file (step, metrics, config hash, git commit) says what produced each checkpoint.',
        risk: `${NEW_MODULE_RISK}. The temporary file lives in the target folder, so a crash can leave a stray \`.*.tmp\` file (never a torn target).`,
        tests: `${tsTests(ts, m.testPath)} Use: \`saveCheckpoint(path, JSON.stringify(weights), { step, config, metrics })\`.`,
        changes: m.changes,
        closes: ['checkpointing.atomic_write'],
      };
    }
    pythonOnly(ctx);
    const m = pyModule(ctx, 'atomic_checkpoint');
    return {
      title: `Atomic checkpoint writer with metadata (${m.modulePath})`,
      why: 'A crash or a full disk in the middle of `torch.save` leaves a torn file in place of the last good checkpoint; writing to a temporary file and `os.replace`-ing it is all-or-nothing. The metadata file beside each checkpoint (step, metrics, config, config hash, git commit) says what produced it.',
      risk: `${NEW_MODULE_RISK}. The temporary file lives in the checkpoint folder, so a crash can leave a stray \`.*.tmp\` file (never a torn checkpoint).`,
      tests: `${pyTests(ctx, m.testPath)} Use: \`save_checkpoint(path, {"model": model.state_dict(), "optimizer": optimizer.state_dict()}, step=step, config=cfg, metrics={"val_loss": loss})\`.`,
      changes: m.changes,
      closes: ['checkpointing.atomic_write', 'checkpointing.metadata', 'repro.atomic_writes'],
    };
  },
};

const metricsSink: PatchDef = {
  id: 'metrics_sink',
  targets: ['evaluation.sink', 'repro.metrics_sink'],
  mlSpecific: true,
  build(ctx) {
    const why =
      'Metrics that are only printed are lost with the terminal; one NDJSON (or CSV) record per evaluation makes runs comparable, plottable and diffable, with no service and no network.';
    if (ctx.flavour === 'typescript') {
      const ts = tsOnly(ctx);
      const m = tsModule(ctx, 'metrics-sink');
      return {
        title: `NDJSON/CSV metrics sink (${m.modulePath})`,
        why,
        risk: `${NEW_MODULE_RISK}. Records are appended synchronously (one small write per record).`,
        tests: `${tsTests(ts, m.testPath)} Use: \`new MetricsSink('runs/metrics.ndjson').log({ loss }, step, { split: 'val' })\`.`,
        changes: m.changes,
        // The Reproducibility row reads Python sinks only, so it stays Partial for a TS sink.
        closes: ['evaluation.sink'],
      };
    }
    pythonOnly(ctx);
    const m = pyModule(ctx, 'metrics_sink');
    return {
      title: `NDJSON/CSV metrics sink (${m.modulePath})`,
      why,
      risk: `${NEW_MODULE_RISK}. The file is flushed after every record (one small write per evaluation).`,
      tests: `${pyTests(ctx, m.testPath)} Use: \`with MetricsSink("runs/metrics.ndjson") as sink: sink.log({"loss": loss}, step=step, split="val")\`.`,
      changes: m.changes,
      closes: ['evaluation.sink', 'repro.metrics_sink'],
    };
  },
};

const tracking: PatchDef = {
  id: 'tracking',
  targets: ['tracking.local_store', 'logging.offline_guard', 'tracking.tracker', 'repro.offline_tracking'],
  mlSpecific: true,
  build(ctx) {
    pythonOnly(ctx);
    const m = pyModule(ctx, 'tracking_offline');
    return {
      title: `Offline-safe experiment tracking, local MLflow store and wandb offline mode (${m.modulePath})`,
      why: 'Runs must be recorded (parameters, metrics, artifacts) without depending on a tracking server: on an air-gapped machine a remote URI hangs or fails the job, and an unset `WANDB_MODE` may upload data. A local `file:` store and `WANDB_MODE=offline` keep everything on disk; without MLflow the calls are no-ops.',
      risk: `${NEW_MODULE_RISK}. Importing the module imports MLflow when it is installed (slow the first time). Inside \`offline_run()\` the process environment has \`MLFLOW_TRACKING_URI\` and \`WANDB_MODE\` overridden; both are restored afterwards.`,
      tests: `${pyTests(ctx, m.testPath)} Use: \`with offline_run("my-experiment", params=cfg) as run: run.log_metrics({"loss": loss}, step=step)\`; view with \`mlflow ui --backend-store-uri mlruns\`.`,
      changes: m.changes,
      closes: ['tracking.local_store', 'logging.offline_guard', 'tracking.tracker', 'repro.offline_tracking'],
    };
  },
};

const offlineLogging: PatchDef = {
  id: 'offline_logging',
  targets: ['logging.backend', 'logging.system_metrics'],
  mlSpecific: true,
  build(ctx) {
    pythonOnly(ctx);
    const m = pyModule(ctx, 'offline_logging');
    return {
      title: `Offline TensorBoard logger with system metrics (${m.modulePath})`,
      why: 'Loss curves and memory use are how a failed or slow run is understood; TensorBoard event files are local (no account, no network), and CPU/RAM/GPU samples show leaks and OOM causes. Missing libraries (TensorBoard, psutil, PyTorch) turn the calls into no-ops instead of crashes.',
      risk: `${NEW_MODULE_RISK}. Event files grow with the number of logged scalars; log every N steps.`,
      tests: `${pyTests(ctx, m.testPath)} Use: \`logger = OfflineLogger("runs/tensorboard"); logger.log_scalar("train/loss", loss, step); logger.log_system_metrics(step)\`; view with \`tensorboard --logdir runs\`.`,
      changes: m.changes,
      closes: ['logging.backend', 'logging.system_metrics'],
    };
  },
};

const configuration: PatchDef = {
  id: 'configuration',
  targets: ['configuration.files', 'configuration.overrides', 'configuration.hierarchy'],
  mlSpecific: false,
  build(ctx) {
    const isGap = (id: string): boolean => gapState(ctx, id);
    const configDir = ctx.layout.configDir ?? 'configs';
    const why =
      'Settings that live in code or shell history cannot be reproduced or reviewed; a base config file with the run-shaping settings (seed, device, dtype, precision), experiment files merged over it and single-key overrides from the command line make every run describable by its files and flags.';
    if (ctx.flavour === 'typescript') {
      const ts = tsOnly(ctx);
      const basePath = `${configDir}/base.json`;
      const createBase = isGap('configuration.files');
      const hasBase = createBase || ctx.exists(basePath);
      const m = tsModule(ctx, 'config-loader', {
        default_config_expr: hasBase ? `'${basePath}'` : 'undefined',
        default_config_doc: hasBase ? `\`${basePath}\`` : 'an empty config',
      });
      const changes = createBase ? [newFile(ctx, basePath, loadPatchTemplate('typescript/base.json')), ...m.changes] : m.changes;
      return {
        title: `${createBase ? 'Base config file and a' : 'A'} layered config loader with command-line overrides (${m.modulePath})`,
        why,
        risk: `${NEW_MODULE_RISK}. Config files are JSON (no new dependency); \`parseArgs\` needs Node >= 18.3.`,
        tests: `${tsTests(ts, m.testPath)} Use: \`const config = configFromArgv(process.argv.slice(2))\` (flags \`--config FILE\`, \`--set train.lr=0.001\`).`,
        changes,
        closes: [...(createBase ? ['configuration.files'] : []), 'configuration.overrides', 'configuration.hierarchy'],
      };
    }
    pythonOnly(ctx);
    const basePath = `${configDir}/base.yaml`;
    const createBase = isGap('configuration.files');
    const hasBase = createBase || ctx.exists(basePath);
    const loaderPath = join(ctx.py.moduleDir, 'config_loader.py');
    const loaderModule = `${ctx.py.importPrefix}config_loader`;
    const m = pyModule(ctx, 'config_loader', {
      default_config_expr: hasBase ? `${pyRootExpr(loaderPath)} / "${basePath}"` : 'None',
      default_config_doc: hasBase ? `\`\`${basePath}\`\`` : 'an empty config',
      loader_module: loaderModule,
    });
    const changes = createBase ? [newFile(ctx, basePath, renderPatchTemplate('python/base.yaml', { loader_module: loaderModule, config_dir: configDir })), ...m.changes] : m.changes;
    return {
      title: `${createBase ? `Base config (${basePath}) and a` : 'A'} layered config loader with command-line overrides (${m.modulePath})`,
      why,
      risk: `${NEW_MODULE_RISK}. YAML files need PyYAML (\`pip install pyyaml\`); JSON files need nothing. \`config_from_args\` ignores flags it does not know, so it can sit beside an existing parser.`,
      tests: `${pyTests(ctx, m.testPath)} Use: \`cfg = config_from_args()\` in the entry point; \`python -m ${loaderModule} --set train.lr=0.001\` prints the resolved config.`,
      changes,
      closes: [...(createBase ? ['configuration.files'] : []), 'configuration.overrides', 'configuration.hierarchy'],
    };
  },
};

const COVERAGE_FLOOR = 60;

function hasPythonPackaging(ctx: PatchContext): boolean {
  return ctx.files.some(
    (f) =>
      f.path === 'setup.py' ||
      (f.path === 'setup.cfg' && f.configKeys.some((k) => k.key.startsWith('metadata.'))) ||
      (f.path === 'pyproject.toml' && f.configKeys.some((k) => /^(project|tool\.poetry)\./.test(k.key))),
  );
}

const localGate: PatchDef = {
  id: 'local_gate',
  targets: ['ci_tests.local_gates', 'ci_tests.coverage'],
  mlSpecific: false,
  build(ctx) {
    if (ctx.flavour === 'typescript') return npmGate(ctx);
    pythonOnly(ctx);
    const requirements = ctx.exists('requirements.txt');
    const packaged = hasPythonPackaging(ctx);
    const testsDir = ctx.py.testsDir;
    const gateFile = !ctx.exists('tox.ini') ? 'tox.ini' : !ctx.exists('noxfile.py') ? 'noxfile.py' : skip('tox.ini and noxfile.py already exist');
    const vars = {
      tests_dir: testsDir,
      cov_target: ctx.py.coverageTarget,
      cov_floor: String(COVERAGE_FLOOR),
      tox_install: packaged ? '' : 'skip_install = true\n',
      tox_deps: requirements ? '    -r requirements.txt\n' : '',
      nox_install: (requirements ? '    session.install("-r", "requirements.txt")\n' : '') + (packaged ? '    session.install("-e", ".")\n' : ''),
    };
    const testPath = join(testsDir, 'test_local_gate.py');
    const changes = [
      newFile(ctx, gateFile, renderPatchTemplate(`python/${gateFile}`, vars)),
      newFile(ctx, testPath, renderPatchTemplate('python/test_local_gate.py', { ...vars, gate_file: gateFile, root_depth: String(dirDepth(testsDir)) })),
    ];
    const tool = gateFile === 'tox.ini' ? 'tox' : 'nox';
    return {
      title: `Local test gate with a coverage floor (${gateFile})`,
      why: `One command (\`${tool}\`) runs the tests in a clean environment with a coverage floor, offline switches for Hugging Face and a fixed hash seed, the same on every machine and in CI.`,
      risk: `The floor (${COVERAGE_FLOOR}%) is a first guess: if the first \`${tool}\` run reports less, set \`--cov-fail-under\` just below the measured value and raise it over time. The environment is built from ${requirements ? '`requirements.txt`' : packaged ? 'the package metadata' : 'pytest and pytest-cov only'}; add test-only dependencies there.`,
      tests: `${pyTests(ctx, testPath)} Run the gate: \`pip install ${tool} && ${tool}\`.`,
      changes,
      closes: ['ci_tests.local_gates', 'ci_tests.coverage'],
    };
  },
};

function npmGate(ctx: PatchContext): PatchProposal {
  const ts = tsOnly(ctx);
  const text = ctx.read('package.json') ?? skip('package.json is not readable');
  const scripts = ts.packageJson.scripts ?? {};
  if (!ts.framework) skip('the repository runs its tests with neither vitest nor jest');
  const vitest = ts.framework === 'vitest';
  const testScript = scripts.test;
  const add: Record<string, string> = {};
  if (testScript === undefined || /no test specified/.test(testScript)) {
    if (testScript !== undefined) skip('the placeholder npm test script would have to be replaced, not added to');
    add.test = vitest ? 'vitest run' : 'jest';
  }
  const coverageName = ['test:coverage', 'coverage:check', 'test:cov'].find((n) => !(n in scripts)) ?? skip('no free name for a coverage script');
  add[coverageName] = vitest ? `vitest run --coverage --coverage.thresholds.lines=${COVERAGE_FLOOR}` : `jest --coverage --coverageThreshold='{"global":{"lines":${COVERAGE_FLOOR}}}'`;
  const after = addPackageScripts(text, add) ?? skip('package.json has a layout the script edit does not handle safely');
  const testPath = join(ts.testDir, `local-gate${ts.testSuffix}`);
  const deps = { ...(ts.packageJson.dependencies ?? {}), ...(ts.packageJson.devDependencies ?? {}) };
  const provider = vitest ? (['@vitest/coverage-v8', '@vitest/coverage-istanbul'].some((d) => d in deps) ? '' : ' It needs a coverage provider: `npm i -D @vitest/coverage-v8` (same major version as vitest).') : '';
  return {
    title: `Local test gate: npm scripts with a coverage floor (package.json)`,
    why: `\`npm run ${coverageName}\` runs the tests with a ${COVERAGE_FLOOR}% line-coverage floor, one command locally and in CI.`,
    risk: `Adds scripts only; existing scripts are untouched. The floor is a first guess: lower it to just below the measured coverage if the first run fails.${provider}${vitest ? '' : ' The threshold is quoted for POSIX shells.'}`,
    tests: `${tsTests(ts, testPath)}`,
    changes: [{ path: 'package.json', before: text, after }, tsTestFile(ctx, ts, 'typescript/local-gate.test.ts', testPath, { coverage_script: coverageName })],
    closes: ['ci_tests.local_gates', 'ci_tests.coverage'],
    rollback: 'Reverse the patch (`git apply -R`): it removes the added scripts and the test file.',
  };
}

const PRE_COMMIT_FILES = ['.pre-commit-config.yaml', '.pre-commit-config.yml'];

const precommit: PatchDef = {
  id: 'precommit_secrets',
  targets: ['security.secrets_scanning', 'security.precommit'],
  mlSpecific: false,
  build(ctx) {
    const existing = PRE_COMMIT_FILES.find((p) => ctx.exists(p));
    const configPath = existing ?? '.pre-commit-config.yaml';
    let change: FileChange;
    if (existing) {
      const text = ctx.read(existing) ?? skip(`${existing} is not readable`);
      const after = addPreCommitRepo(text, loadPatchTemplate('common/pre-commit-secrets-entry.yaml')) ?? skip(`${existing} has a layout the hook edit does not handle safely`);
      change = { path: existing, before: text, after };
    } else change = newFile(ctx, configPath, loadPatchTemplate('common/pre-commit-config.yaml'));
    const changes = [change];
    let tests = 'Check: `pre-commit run --all-files`.';
    if (ctx.flavour === 'python') {
      const testPath = join(ctx.py.testsDir, 'test_precommit_secrets.py');
      changes.push(newFile(ctx, testPath, renderPatchTemplate('python/test_precommit_secrets.py', { root_depth: String(dirDepth(ctx.py.testsDir)), precommit_file: configPath })));
      tests = `${pyTests(ctx, testPath)} ${tests}`;
    } else if (ctx.flavour === 'typescript') {
      const t = optionalTsTest(ctx, 'typescript/precommit-secrets.test.ts', 'precommit-secrets', { precommit_file: configPath });
      if (t) changes.push(t.change);
      tests = `${t ? t.tests : NO_TS_TEST} ${tests}`;
    }
    return {
      title: existing ? `Secrets scanner hook (gitleaks) in ${existing}` : 'pre-commit hooks with secrets scanners (.pre-commit-config.yaml)',
      why: `A credential committed once stays in the history; a pre-commit scanner (${existing ? 'gitleaks' : 'gitleaks, plus the private-key check'}) stops it before the commit exists, offline, on every contributor machine.`,
      risk: `Commits that add something that looks like a secret are blocked until it is removed or allow-listed (\`.gitleaksignore\`, or a \`gitleaks:allow\` comment). Hook revisions are pinned; update them with \`pre-commit autoupdate\`. Needs \`pip install pre-commit && pre-commit install\` once per clone.`,
      tests,
      changes,
      closes: existing ? ['security.secrets_scanning'] : ['security.secrets_scanning', 'security.precommit'],
      rollback: existing ? `Reverse the patch (\`git apply -R\`): it removes the gitleaks entry from ${existing}${changes.length > 1 ? ' and the test file' : ''}.` : undefined,
    };
  },
};

const LOCK_FILES = /^(poetry\.lock|uv\.lock|Pipfile\.lock|pdm\.lock|pixi\.lock|requirements[^/]*\.lock|package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lockb?)$/;

const dependencyLock: PatchDef = {
  id: 'dependency_lock',
  targets: ['security.dependency_lock'],
  mlSpecific: false,
  build(ctx) {
    if (ctx.files.some((f) => LOCK_FILES.test(f.path))) skip('a lock file exists already');
    if (ctx.flavour === 'typescript') {
      const ts = tsRepo(ctx);
      if (ts.packageJson.packageManager && !ts.packageJson.packageManager.startsWith('npm')) skip(`the repository uses ${ts.packageJson.packageManager.split('@')[0]}, not npm`);
      const other = ctx.files.find((f) => /^(pnpm-workspace\.yaml|\.yarnrc(\.yml)?|bunfig\.toml)$/.test(f.path));
      if (other) skip(`the repository uses another package manager than npm (${other.path})`);
      const t = optionalTsTest(ctx, 'typescript/dependency-lock.test.ts', 'dependency-lock', {});
      return {
        title: 'Locked npm installs (.npmrc)',
        why: 'Without a committed lock file every install resolves version ranges anew, so two machines (or two days) run different dependency code. This makes npm always write `package-lock.json` and record exact versions; the lock itself has to be generated by npm, not by a patch.',
        risk: 'None at apply time. The gap closes once you run `npm install --package-lock-only` and commit `package-lock.json`; from then on use `npm ci`.',
        tests: t ? `${t.tests} The lock test is skipped until package-lock.json exists.` : NO_TS_TEST,
        changes: [newFile(ctx, '.npmrc', loadPatchTemplate('typescript/npmrc')), ...(t ? [t.change] : [])],
        closes: [],
      };
    }
    pythonOnly(ctx);
    const reqs = ctx.read('requirements.txt');
    let requirements: string;
    let lockFile: string;
    if (reqs !== undefined) {
      const lines = reqs.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
      if (lines.length === 0) skip('requirements.txt lists nothing');
      requirements = lines.join('\n');
      lockFile = 'requirements.txt';
    } else if (hasPythonPackaging(ctx)) {
      requirements = '-e .';
      lockFile = 'requirements.lock';
    } else return skip('no declared dependencies to lock');
    const testPath = join(ctx.py.testsDir, 'test_requirements_lock.py');
    const vars = { requirements, lock_file: lockFile, root_depth: String(dirDepth(ctx.py.testsDir)) };
    return {
      title: `Pinned dependency lock via pip-tools (requirements.in -> ${lockFile})`,
      why: `Unpinned requirements resolve to whatever is newest at install time, so two machines (or two days) run different library code and a compromised release is picked up silently. \`requirements.in\` keeps the direct dependencies; \`pip-compile --generate-hashes\` turns it into ${code(lockFile)} with every transitive version pinned and hashed. A patch cannot do the resolution itself.`,
      risk: `None at apply time. The gap closes once you run \`pip-compile --generate-hashes --output-file=${lockFile} requirements.in\` (it needs the package index) and commit the result; review the pinned versions it picks${lockFile === 'requirements.txt' ? ', since it rewrites requirements.txt' : ''}.`,
      tests: `${pyTests(ctx, testPath)} It checks that every direct dependency is in the lock and, once compiled, that every line is pinned.`,
      changes: [newFile(ctx, 'requirements.in', renderPatchTemplate('python/requirements.in', vars)), newFile(ctx, testPath, renderPatchTemplate('python/test_requirements_lock.py', vars))],
      closes: [],
    };
  },
};

const dataSplits: PatchDef = {
  id: 'data_splits',
  targets: ['data.splits', 'data.deterministic_shuffle'],
  mlSpecific: true,
  build(ctx) {
    pythonOnly(ctx);
    const m = pyModule(ctx, 'data_splits');
    return {
      title: `Deterministic train/validation split helpers (${m.modulePath})`,
      why: 'Validation metrics mean something only when the validation items never leak into training and are the same on every run; a split derived from a seed (or from a hash of each item key) and a seeded DataLoader order make both true.',
      risk: `${NEW_MODULE_RISK}. Switching an existing pipeline to these splits changes which items are in validation once; store the split with \`save_split\` so it stays fixed afterwards.`,
      tests: `${pyTests(ctx, m.testPath)} Use: \`train, val = train_val_split(items, 0.1, seed=cfg.seed)\`; \`DataLoader(ds, shuffle=True, generator=seeded_generator(seed), worker_init_fn=seed_worker)\`.`,
      changes: m.changes,
      closes: ['data.splits', 'data.deterministic_shuffle'],
    };
  },
};

const README_MD = /^readme(\.md|\.markdown)?$/i;

function readmeCommands(ctx: PatchContext): { intro: string; commands: string[] } {
  if (ctx.flavour === 'typescript') {
    const ts = tsRepo(ctx);
    const scripts = ts.packageJson.scripts ?? {};
    const lock = ctx.files.map((f) => f.path);
    const install = lock.includes('package-lock.json') ? 'npm ci' : lock.includes('yarn.lock') ? 'yarn install --frozen-lockfile' : lock.includes('pnpm-lock.yaml') ? 'pnpm install --frozen-lockfile' : 'npm install';
    const commands = [install];
    if (scripts.build) commands.push('npm run build');
    if (scripts.test && !/no test specified/.test(scripts.test)) commands.push('npm test');
    return { intro: commands.length > 1 ? 'Install the dependencies, build, and run the tests:' : 'Install the dependencies:', commands };
  }
  pythonOnly(ctx);
  const commands = ['python -m venv .venv', '. .venv/bin/activate'];
  if (ctx.exists('requirements.txt')) commands.push('pip install -r requirements.txt');
  const packaged = hasPythonPackaging(ctx);
  if (packaged) commands.push('pip install -e .');
  const hasTests = ctx.subfeature('ci_tests.suite')?.state === 'present';
  if (hasTests) commands.push(ctx.py.testStyle === 'unittest' ? `python -m unittest discover -s ${ctx.py.testsDir}` : 'python -m pytest');
  else if (ctx.layout.pythonImport) {
    const pythonPath = packaged ? '' : ctx.py.importRoot === 'src' ? 'PYTHONPATH=src ' : '';
    commands.push(`${pythonPath}python -c "import ${ctx.layout.pythonImport}"`);
  }
  return { intro: hasTests ? 'Set up a virtual environment, install, and run the tests:' : 'Set up a virtual environment and install:', commands };
}

const readme: PatchDef = {
  id: 'readme',
  targets: ['docs.readme'],
  mlSpecific: false,
  build(ctx) {
    const roots = ctx.files.filter((f) => !f.path.includes('/') && /^readme/i.test(f.path)).map((f) => f.path);
    const md = roots.find((p) => README_MD.test(p));
    if (!md && roots.length > 0) skip(`the README (${roots[0]}) is not Markdown`);
    const { intro, commands } = readmeCommands(ctx);
    const section = renderPatchTemplate('common/readme-quickstart.md', { intro, commands: commands.join('\n') });
    const readmePath = md ?? 'README.md';
    let change: FileChange;
    if (md) {
      const text = ctx.read(md) ?? skip(`${md} is not readable`);
      change = { path: md, before: text, after: appendMarkdownSection(text, section) ?? skip(`${md} ends inside an unclosed code block`) };
    } else {
      const name = ctx.report.root;
      const head = renderPatchTemplate('common/readme-new.md', { name, summary: `What ${name} does, in one paragraph.` });
      change = newFile(ctx, 'README.md', head + section);
    }
    const changes = [change];
    let tests = '';
    if (ctx.flavour === 'python') {
      const testPath = join(ctx.py.testsDir, 'test_readme_quickstart.py');
      changes.push(newFile(ctx, testPath, renderPatchTemplate('python/test_readme_quickstart.py', { readme: readmePath, root_depth: String(dirDepth(ctx.py.testsDir)) })));
      tests = pyTests(ctx, testPath);
    } else {
      const t = optionalTsTest(ctx, 'typescript/readme-quickstart.test.ts', 'readme-quickstart', { readme: readmePath });
      if (t) changes.push(t.change);
      tests = t ? t.tests : NO_TS_TEST;
    }
    return {
      title: md ? `README quick start section (${md})` : 'README with a quick start (README.md)',
      why: 'A newcomer (or CI, or you in six months) needs the exact commands to install and check the project; the ones below are derived from the files this repository has.',
      risk: `Docs only.${md ? '' : ' Replace the placeholder summary line.'} Keep the commands in step with the project; the test fails when a file they install from disappears.`,
      tests,
      changes,
      closes: ['docs.readme'],
      rollback: md ? `Reverse the patch (\`git apply -R\`): it removes the section from ${md} and the test file.` : undefined,
    };
  },
};

/** A sub-feature that is absent or stubbed and not deferred, or a Reproducibility row that is not provided. */
export function gapState(ctx: Pick<PatchContext, 'report' | 'subfeature'>, id: string): boolean {
  const s = ctx.subfeature(id);
  if (s) return s.state !== 'present' && !s.deferred;
  const row = ctx.report.reproducibility.find((r) => r.id === id);
  return row !== undefined && row.status !== 'provided';
}

/** Every remedy, in tie-break order (reproducibility first, docs last). */
export const PATCHES: readonly PatchDef[] = [reproducibility, checkpoint, metricsSink, tracking, offlineLogging, configuration, localGate, precommit, dependencyLock, dataSplits, readme];
