import type { Signal } from '../model/capability.js';
import type { CapabilityResult, Evidence, ReproItem, ReproStatus, SubFeatureResult } from '../model/types.js';
import { isTestPath, isVendoredPath } from '../facts/index.js';
import { NOT_DTYPE_CONFIG } from './modeling/definition.js';
import { ATOMIC_JS, ATOMIC_PATH_REPLACE, ATOMIC_REPLACE_TMP, ATOMIC_SUFFIX_THEN_REPLACE, ATOMIC_TEMP_THEN_REPLACE, RNG_CAPTURE, RNG_RESTORE } from './checkpointing/definition.js';
import { SHUFFLE_GENERATOR_SEED, SHUFFLE_SEEDED_GENERATOR, SHUFFLE_SEEDED_RNG } from './data/definition.js';
import { METRIC_WORDS, SINK_CSV, SINK_CSV_ARG, SINK_JSON_DUMP, SINK_JSONL, SINK_JSONL_ARG, SINK_LOGGERS, SINK_TO_CSV, SINK_TO_CSV_PATH, SINK_WRITE_JSON } from './evaluation/definition.js';
import { RUN_CONFIG_DUMP, RUN_CONFIG_WRITE, RUN_GIT_SHA, RUN_GITPYTHON, RUN_HEXSHA, RUN_TRACKER_CONFIG_KW, RUN_TRACKER_PARAMS } from './tracking/definition.js';

/**
 * The Reproducibility Checklist (CAPABILITIES.md): eleven rows, each decided from named groups of
 * signals (matched outside tests and vendored code) and from the sub-feature results. Rows are data:
 * id, item text, the groups, the sub-features read, and the Provided/Partial/Missing rule in words;
 * `decide` is the rule as a small pure function of the matched groups.
 */

export interface ReproInput {
  /** Evidence per signal group of the row, outside tests and vendored code. */
  groups: Record<string, Evidence[]>;
  /** A sub-feature result by id (undefined when its capability was not audited). */
  subfeature(id: string): SubFeatureResult | undefined;
}

export interface ReproDecision {
  status: ReproStatus;
  evidence: Evidence[];
  note?: string;
}

export interface ReproItemDef {
  id: string;
  /** The row's text, as in CAPABILITIES.md. */
  item: string;
  /** Sub-features the row reads. */
  subfeatures: string[];
  /** Named groups of signals; a group's evidence is the union of its signals' matches. */
  signals: Record<string, Signal[]>;
  /** The rule, in words (for `explain` and the docs). */
  rule: { provided: string; partial: string; missing: string };
  decide(input: ReproInput): ReproDecision;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const MAX_EVIDENCE = 5;

const byLocation = (a: Evidence, b: Evidence): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line);

/** Distinct evidence, sorted by location, at most MAX_EVIDENCE (one per file first). */
function pick(...lists: Evidence[][]): Evidence[] {
  const seen = new Set<string>();
  const all: Evidence[] = [];
  for (const list of lists) {
    for (const e of list) {
      const key = `${e.path}:${e.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      all.push(e);
    }
  }
  all.sort(byLocation);
  if (all.length <= MAX_EVIDENCE) return all;
  const first: Evidence[] = [];
  const rest: Evidence[] = [];
  let prev: string | undefined;
  for (const e of all) {
    (e.path === prev ? rest : first).push(e);
    prev = e.path;
  }
  return [...first, ...rest].slice(0, MAX_EVIDENCE).sort(byLocation);
}

function present(input: ReproInput, id: string): SubFeatureResult | undefined {
  const s = input.subfeature(id);
  return s && s.state === 'present' ? s : undefined;
}

function paths(list: Evidence[]): Set<string> {
  return new Set(list.map((e) => e.path));
}

function decision(status: ReproStatus, evidence: Evidence[], note?: string): ReproDecision {
  return note === undefined ? { status, evidence } : { status, evidence, note };
}

/** Files whose `device`/`precision` keys are not run settings (compose GPU reservations, CI, packages). */
const NOT_RUN_CONFIG = ['**/*compose*.y*ml', '**/.github/**', '**/package.json', '**/.gitlab-ci.y*ml', '**/tsconfig*.json'];
const ADD_ARGUMENT = ['add_argument', 'add_option', 'click.option', 'DEFINE_*'];
const CONFIGURATOR_EXEC: Signal = { call: 'exec', receiver: '^$', arg0: 'open\\(', lang: ['python'] };
const SAVE_CALLS: Signal = { call: ['torch.save', 'save_file', 'save_pretrained', 'save_checkpoint', 'save_model', 'save_state', 'accelerator.save', 'save_weights'] };

// ---------------------------------------------------------------------------------------------
// The rows

const seeds: ReproItemDef = {
  id: 'repro.seeds',
  item: 'Seeds across random, numpy, torch',
  subfeatures: [],
  signals: {
    random: [{ call: 'seed', receiver: '^random$', note: '`random.seed`' }],
    numpy: [{ call: ['numpy.random.seed', 'np.random.seed'], note: '`np.random.seed`' }],
    framework: [
      { call: ['torch.manual_seed', 'torch.random.manual_seed', 'torch.cuda.manual_seed_all', 'tf.random.set_seed', 'tensorflow.random.set_seed', 'jax.random.PRNGKey', 'jax.random.key'], note: '`torch.manual_seed` (or the TF/JAX seed)' },
    ],
    allInOne: [
      { call: 'set_seed', receiver: '(^|\\.)(transformers|trainer_utils|accelerate|accelerate\\.utils)$', note: '`transformers.set_seed` / accelerate `set_seed`' },
      { call: 'seed_everything', receiver: 'lightning|^pl$|fabric|^L$', note: 'Lightning `seed_everything`' },
      { call: ['keras.utils.set_random_seed', 'transformers.enable_full_determinism'] },
    ],
  },
  rule: {
    provided: '`random.seed`, `np.random.seed` and `torch.manual_seed` all seen (directly or inside an own `set_seed`), or `transformers.set_seed`/`seed_everything`',
    partial: 'some of the three seeds',
    missing: 'no seed call outside tests',
  },
  decide({ groups }) {
    const { random, numpy, framework, allInOne } = groups;
    if (allInOne.length > 0) return decision('provided', pick(allInOne, random, numpy, framework));
    const have = [random, numpy, framework].filter((g) => g.length > 0).length;
    if (have === 3) return decision('provided', pick(random, numpy, framework));
    if (have === 0) return decision('missing', [], 'No seed is set outside tests: add `set_seed(seed)` calling `random.seed`, `np.random.seed` and `torch.manual_seed`.');
    const missing = [random.length === 0 ? '`random.seed`' : '', numpy.length === 0 ? '`np.random.seed`' : '', framework.length === 0 ? '`torch.manual_seed`' : '']
      .filter(Boolean)
      .join(', ');
    return decision('partial', pick(random, numpy, framework), `Missing ${missing}.`);
  },
};

const deterministicFlags: ReproItemDef = {
  id: 'repro.deterministic_flags',
  item: 'Deterministic flags',
  subfeatures: [],
  signals: {
    strong: [
      { assign: 'torch.backends.cudnn.deterministic', value: '^True$', note: '`torch.backends.cudnn.deterministic = True`' },
      { call: 'torch.use_deterministic_algorithms', arg0: '^True$', note: '`torch.use_deterministic_algorithms(True)`' },
      { call: 'torch.use_deterministic_algorithms', kwValue: { mode: '^True$' } },
      { assign: 'environ[CUBLAS_WORKSPACE_CONFIG]', note: '`CUBLAS_WORKSPACE_CONFIG`' },
      { call: ['setdefault', 'putenv', 'setenv'], arg0: 'CUBLAS_WORKSPACE_CONFIG' },
      { configKey: '(^|\\.)CUBLAS_WORKSPACE_CONFIG$' },
      { call: ['transformers.enable_full_determinism', 'enable_full_determinism', 'enable_op_determinism'] },
      { call: '**', kwValue: { deterministic: '^(True|true|warn)$' }, note: 'Lightning `Trainer(deterministic=True)`' },
      { call: '**', kwValue: { full_determinism: '^(True|true)$' } },
      { assign: 'environ[TF_DETERMINISTIC_OPS]' },
    ],
    weak: [
      { assign: 'torch.backends.cudnn.benchmark', value: '^False$', note: '`cudnn.benchmark = False`' },
      { assign: 'torch.backends.cudnn.deterministic', valueKind: ['name', 'call', 'other'], note: 'determinism switched by a setting' },
      { call: 'torch.use_deterministic_algorithms', arg0: '^(?!False$)[A-Za-z_]' },
    ],
  },
  rule: {
    provided: '`torch.backends.cudnn.deterministic = True`, `use_deterministic_algorithms(True)`, `CUBLAS_WORKSPACE_CONFIG` or a framework determinism switch, outside tests (False is not evidence)',
    partial: 'only `cudnn.benchmark = False`, or determinism switched by a setting whose value is not visible',
    missing: 'none of these',
  },
  decide({ groups }) {
    if (groups.strong.length > 0) return decision('provided', pick(groups.strong, groups.weak));
    if (groups.weak.length > 0) return decision('partial', pick(groups.weak), 'Determinism is only partly pinned: set `torch.backends.cudnn.deterministic = True` and `torch.use_deterministic_algorithms(True)` with `CUBLAS_WORKSPACE_CONFIG=:4096:8`.');
    return decision('missing', [], 'No deterministic flags: set `torch.use_deterministic_algorithms(True)`, `cudnn.deterministic = True`, `cudnn.benchmark = False` and `CUBLAS_WORKSPACE_CONFIG` behind a `deterministic` option.');
  },
};

const rngState: ReproItemDef = {
  id: 'repro.rng_state',
  item: 'RNG capture/restore',
  subfeatures: ['checkpointing.rng_state'],
  signals: {
    capture: [RNG_CAPTURE, { call: 'get_state', receiver: '(generator|rng|gen|bit_generator)$' }],
    restore: [RNG_RESTORE, { call: 'set_state', receiver: '(generator|rng|gen|bit_generator)$' }],
  },
  rule: { provided: 'RNG state both captured and restored (`checkpointing.rng_state`)', partial: 'only captured, or only restored', missing: 'neither' },
  decide({ groups }) {
    const { capture, restore } = groups;
    if (capture.length > 0 && restore.length > 0) return decision('provided', pick(capture, restore));
    if (capture.length > 0) return decision('partial', pick(capture), 'RNG state is captured but never restored on resume.');
    if (restore.length > 0) return decision('partial', pick(restore), 'RNG state is restored but its capture was not found.');
    return decision('missing', [], 'No RNG capture/restore: save `torch.get_rng_state()`, `torch.cuda.get_rng_state_all()`, `random.getstate()` and `np.random.get_state()` with each checkpoint and set them back on resume.');
  },
};

/** A dict literal holding the run config under a config-like key. */
const CONFIG_IN_DICT = '["\'](config|cfg|args|model_args|train_config|hparams|hyper_parameters)["\']\\s*:';

const configCapture: ReproItemDef = {
  id: 'repro.config_capture',
  item: 'Config capture',
  subfeatures: ['tracking.run_metadata', 'checkpointing.metadata'],
  signals: {
    dump: [
      RUN_CONFIG_DUMP,
      RUN_CONFIG_WRITE,
      { call: ['save_hyperparameters', 'OmegaConf.save'] },
      { call: ['torch.save', 'accelerator.save'], arg0: CONFIG_IN_DICT, note: 'config saved inside the checkpoint' },
      // nanoGPT's shape: `checkpoint = {..., 'config': config}` then `torch.save(checkpoint, path)` in one scope.
      {
        all: [{ call: ['torch.save', 'accelerator.save'] }, { assign: '*', valueKind: ['dict'], value: CONFIG_IN_DICT }],
        within: 'scope',
        note: 'config stored in the checkpoint dict that is saved',
      },
    ],
    tracker: [RUN_TRACKER_PARAMS, RUN_TRACKER_CONFIG_KW],
  },
  rule: {
    provided: 'the run config dumped next to the outputs or into the checkpoint',
    partial: 'hyperparameters logged only to a tracker, or other run/checkpoint metadata without the config',
    missing: 'no config capture',
  },
  decide(input) {
    const { dump, tracker } = input.groups;
    if (dump.length > 0) return decision('provided', pick(dump, tracker));
    if (tracker.length > 0) return decision('partial', pick(tracker), 'The config reaches the tracker only; also dump it next to the run outputs (e.g. `config.yaml` in the run folder).');
    const meta = present(input, 'checkpointing.metadata') ?? present(input, 'tracking.run_metadata');
    if (meta) return decision('partial', pick(meta.evidence), 'Run or checkpoint metadata is written, but not the full config.');
    return decision('missing', [], 'No config capture: dump the resolved config (YAML/JSON) into each run folder and checkpoint.');
  },
};

const codeVersion: ReproItemDef = {
  id: 'repro.code_version',
  item: 'Code version (git SHA)',
  subfeatures: ['tracking.run_metadata'],
  signals: {
    git: [RUN_GIT_SHA, RUN_GITPYTHON, RUN_HEXSHA],
    store: [
      { call: ['json.dump', 'yaml.dump', 'yaml.safe_dump', 'torch.save', 'save_file', 'OmegaConf.save', 'mlflow.set_tag', 'mlflow.set_tags', 'mlflow.log_param', 'mlflow.log_params', 'wandb.config.update', 'add_hparams', 'write'] },
      { call: ['wandb.init'], kw: ['config'] },
    ],
  },
  rule: { provided: 'the git SHA captured in a file that writes run or checkpoint metadata', partial: 'the git SHA read but not visibly stored', missing: 'no git SHA capture' },
  decide({ groups }) {
    const stored = paths(groups.store);
    const withStore = groups.git.filter((e) => stored.has(e.path));
    if (withStore.length > 0) return decision('provided', pick(withStore));
    if (groups.git.length > 0) return decision('partial', pick(groups.git), 'The git SHA is read but not written into run or checkpoint metadata.');
    return decision('missing', [], 'No code version capture: store `git rev-parse HEAD` (and a dirty flag) in each run and checkpoint metadata.');
  },
};

const dataVersioning: ReproItemDef = {
  id: 'repro.data_versioning',
  item: 'Data versioning / hash',
  subfeatures: ['data.caching'],
  signals: {
    dvc: [{ file: ['dvc.yaml', 'dvc.lock', '*.dvc', '**/.dvc/config'] }, { import: ['dvc.api'] }],
    hash: [
      {
        all: [
          { call: ['hashlib.*', 'xxhash.*'] },
          { call: 'read', receiver: '.' },
          { name: '^(dataset|datasets|data_path|data_dir|data_files|tokenized\\w*|preprocess\\w*|corpus|shards?|split)$' },
        ],
        within: 'file',
        lang: ['python'],
        note: 'data files hashed',
      },
      { def: '^_?(file|data|dataset|corpus|shard)_(sha\\d*|md5|hash|checksum|digest|fingerprint)(_\\w*)?$', kind: ['function', 'method'], lang: ['python'] },
      { call: '**', kw: ['new_fingerprint'], note: 'a datasets fingerprint (hash) as the cache version' },
      { name: '^(data|dataset|corpus)_?(hash|checksum|fingerprint|version|sha\\d*|md5|digest)$' },
    ],
  },
  rule: { provided: 'DVC-tracked data or a hash of the data used as its version', partial: 'a data cache (`data.caching`) without a hash key', missing: 'neither' },
  decide(input) {
    const { dvc, hash } = input.groups;
    if (dvc.length > 0 || hash.length > 0) return decision('provided', pick(dvc, hash));
    const cache = present(input, 'data.caching');
    if (cache) return decision('partial', pick(cache.evidence), 'Data is cached but not versioned: key the cache by a hash of the raw data and preprocessing config.');
    return decision('missing', [], 'No data versioning: record a hash (or DVC version) of every dataset a run reads.');
  },
};

const deterministicDataloaders: ReproItemDef = {
  id: 'repro.deterministic_dataloaders',
  item: 'Deterministic dataloaders',
  subfeatures: ['data.deterministic_shuffle'],
  signals: {
    seeded: [{ call: 'DataLoader', kw: ['worker_init_fn', 'generator'], notKwValue: { generator: '^None$', worker_init_fn: '^None$' }, lang: ['python'] }],
    shuffled: [{ call: 'DataLoader', kw: ['shuffle'], notKwValue: { shuffle: '^False$' }, lang: ['python'] }],
    other: [
      SHUFFLE_SEEDED_GENERATOR,
      SHUFFLE_GENERATOR_SEED,
      SHUFFLE_SEEDED_RNG,
      { call: ['shuffle', 'DistributedSampler', 'RandomSampler', 'random_split', 'interleave_datasets'], kw: ['seed', 'generator'], notKwValue: { seed: '^None$', generator: '^None$' } },
    ],
  },
  rule: {
    provided: 'DataLoaders seeded with `worker_init_fn` or a seeded `generator=`, and no shuffling loader left unseeded',
    partial: 'only some shuffling loaders seeded, or a seeded order without seeded DataLoaders',
    missing: 'no seeded loader or order',
  },
  decide({ groups }) {
    const seededAt = new Set(groups.seeded.map((e) => `${e.path}:${e.line}`));
    const unseeded = groups.shuffled.filter((e) => !seededAt.has(`${e.path}:${e.line}`));
    if (groups.seeded.length > 0 && unseeded.length === 0) return decision('provided', pick(groups.seeded));
    if (groups.seeded.length > 0) {
      return decision('partial', pick(groups.seeded, unseeded), `${unseeded.length} shuffling DataLoader(s) have no seeded generator or worker_init_fn (first at ${unseeded[0].path}:${unseeded[0].line}).`);
    }
    if (groups.other.length > 0) return decision('partial', pick(groups.other), 'The order is seeded, but DataLoaders get no `generator=`/`worker_init_fn`.');
    return decision('missing', [], 'No deterministic dataloaders: pass `generator=torch.Generator().manual_seed(seed)` and `worker_init_fn` to every shuffling DataLoader.');
  },
};

const precisionDevice: ReproItemDef = {
  id: 'repro.precision_device',
  item: 'Precision/device explicit',
  subfeatures: ['modeling.dtype', 'modeling.device'],
  signals: {
    dtypeConfig: [
      { call: ADD_ARGUMENT, arg0: '--(dtype|torch[_-]dtype|precision|half|fp16|bf16|amp|mixed[_-]precision)\\b' },
      { configKey: '^(?!.*(modelTopology|weightsManifest|layers\\.\\[\\]))(.*\\.)?(dtype|torch_dtype|precision|mixed_precision|fp16|bf16|compute_dtype)$', notPaths: [...NOT_RUN_CONFIG, ...NOT_DTYPE_CONFIG] },
      { assign: 'torch_dtype', lang: ['python'] },
      { all: [{ assign: 'dtype', lang: ['python'] }, CONFIGURATOR_EXEC], within: 'file' },
      { call: ['HfArgumentParser', 'LightningCLI'] },
    ],
    deviceConfig: [
      { call: ADD_ARGUMENT, arg0: '--(device|devices|gpu|gpus|cuda|cpu|no[_-]cuda|use[_-]cpu|device[_-]map|accelerator)\\b' },
      { configKey: '^(?!.*(modelTopology|weightsManifest|layers\\.\\[\\]))(.*\\.)?(device|devices|device_map|accelerator|gpus|use_cpu|no_cuda)$', notPaths: [...NOT_RUN_CONFIG, ...NOT_DTYPE_CONFIG] },
      { all: [{ assign: 'device', lang: ['python'] }, CONFIGURATOR_EXEC], within: 'file' },
      { call: ['HfArgumentParser', 'LightningCLI'] },
    ],
  },
  rule: {
    provided: '`modeling.dtype` and `modeling.device` present, both driven by the CLI or a config file',
    partial: 'dtype or device explicit, but not both driven by configuration',
    missing: 'neither explicit',
  },
  decide(input) {
    const dtype = present(input, 'modeling.dtype');
    const device = present(input, 'modeling.device');
    const { dtypeConfig, deviceConfig } = input.groups;
    if (dtype && device && dtypeConfig.length > 0 && deviceConfig.length > 0) return decision('provided', pick(dtypeConfig, deviceConfig));
    if (dtype || device || dtypeConfig.length > 0 || deviceConfig.length > 0) {
      const lacking = [
        !dtype ? 'no explicit dtype' : dtypeConfig.length === 0 ? 'dtype not set from CLI/config' : '',
        !device ? 'no explicit device placement' : deviceConfig.length === 0 ? 'device not set from CLI/config' : '',
      ]
        .filter(Boolean)
        .join('; ');
      return decision('partial', pick(dtypeConfig, deviceConfig, dtype?.evidence ?? [], device?.evidence ?? []), `Partly explicit: ${lacking}.`);
    }
    return decision('missing', [], 'Precision and device are implicit: add `--dtype` and `--device` (or config fields) and apply them when the model is built.');
  },
};

const atomicWrites: ReproItemDef = {
  id: 'repro.atomic_writes',
  item: 'Checkpoint atomic writes',
  subfeatures: ['checkpointing.atomic_write'],
  signals: {
    atomic: [ATOMIC_TEMP_THEN_REPLACE, ATOMIC_SUFFIX_THEN_REPLACE, ATOMIC_REPLACE_TMP, ATOMIC_PATH_REPLACE, ATOMIC_JS],
    save: [SAVE_CALLS],
  },
  rule: { provided: 'an atomic write (temp file + rename) in code that saves checkpoints', partial: 'atomic writes elsewhere (`checkpointing.atomic_write`), not for checkpoints', missing: 'no atomic writes' },
  decide(input) {
    const saving = paths(input.groups.save);
    const forCheckpoints = input.groups.atomic.filter((e) => saving.has(e.path));
    if (forCheckpoints.length > 0) return decision('provided', pick(forCheckpoints));
    const anywhere = present(input, 'checkpointing.atomic_write');
    if (anywhere || input.groups.atomic.length > 0) {
      return decision('partial', pick(input.groups.atomic, anywhere?.evidence ?? []), 'Files are written atomically, but checkpoints are not: save to a temp file and `os.replace` it into place.');
    }
    return decision('missing', [], 'Checkpoints are written in place: write to `path + ".tmp"` and `os.replace(tmp, path)`.');
  },
};

const metricsSink: ReproItemDef = {
  id: 'repro.metrics_sink',
  item: 'Metrics sink (CSV/NDJSON)',
  subfeatures: ['evaluation.sink'],
  signals: {
    lines: [
      SINK_CSV,
      SINK_CSV_ARG,
      SINK_JSONL,
      SINK_JSONL_ARG,
      SINK_WRITE_JSON,
      SINK_TO_CSV,
      SINK_TO_CSV_PATH,
      { call: ['CSVLogger', '*CSVLogger'] },
      { call: 'open', arg0: `${METRIC_WORDS}[^'"]*\\.(jsonl|ndjson|csv|tsv)` },
    ],
    json: [SINK_JSON_DUMP, SINK_LOGGERS],
  },
  rule: { provided: 'metrics appended as CSV or JSON lines (`evaluation.sink`)', partial: 'metrics dumped only as one-shot JSON', missing: 'no metrics file' },
  decide(input) {
    if (input.groups.lines.length > 0) return decision('provided', pick(input.groups.lines));
    const sink = present(input, 'evaluation.sink');
    if (input.groups.json.length > 0 || sink) {
      return decision('partial', pick(input.groups.json, sink?.evidence ?? []), 'Metrics are dumped as JSON documents; append one record per step/eval as NDJSON or CSV for a streamable history.');
    }
    return decision('missing', [], 'No metrics sink: append evaluation metrics to `metrics.ndjson` (one JSON object per line) in the run folder.');
  },
};

const offlineTracking: ReproItemDef = {
  id: 'repro.offline_tracking',
  item: 'Offline experiment tracking',
  subfeatures: ['tracking.local_store', 'logging.offline_guard'],
  signals: {
    local: [{ call: ['SummaryWriter', 'TensorBoardLogger', 'CSVLogger', 'callbacks.TensorBoard', 'tf.summary.create_file_writer'] }],
  },
  rule: { provided: '`tracking.local_store` or `logging.offline_guard` present', partial: 'only local-by-design logging (TensorBoard/CSV) without an offline tracker setting', missing: 'neither' },
  decide(input) {
    const store = present(input, 'tracking.local_store');
    const guard = present(input, 'logging.offline_guard');
    if (store || guard) return decision('provided', pick(store?.evidence ?? [], guard?.evidence ?? []));
    if (input.groups.local.length > 0) return decision('partial', pick(input.groups.local), 'Metrics stay local (TensorBoard/CSV), but there is no offline tracker: record params and runs in a local MLflow store or W&B offline mode.');
    return decision('missing', [], 'No offline experiment tracking: default MLflow to `file:./mlruns` or set `WANDB_MODE=offline`.');
  },
};

/** The eleven rows, in the order of CAPABILITIES.md. */
export const reproducibilityItems: readonly ReproItemDef[] = [
  seeds,
  deterministicFlags,
  rngState,
  configCapture,
  codeVersion,
  dataVersioning,
  deterministicDataloaders,
  precisionDevice,
  atomicWrites,
  metricsSink,
  offlineTracking,
];

/**
 * Evaluate the checklist. `match` is the engine's signal matcher (evidence sorted by location); test
 * files and vendored code are excluded here again so the rule holds whatever matcher is passed.
 */
export function evaluateReproducibility(results: CapabilityResult[], match: (s: Signal) => Evidence[]): ReproItem[] {
  const subfeatures = new Map<string, SubFeatureResult>();
  for (const c of results) for (const s of c.subfeatures) subfeatures.set(s.id, s);
  const subfeature = (id: string): SubFeatureResult | undefined => subfeatures.get(id);
  return reproducibilityItems.map((def) => {
    const groups: Record<string, Evidence[]> = {};
    for (const [name, signals] of Object.entries(def.signals)) {
      const seen = new Set<string>();
      const list: Evidence[] = [];
      for (const s of signals) {
        for (const e of match(s)) {
          if (isTestPath(e.path) || isVendoredPath(e.path)) continue;
          const key = `${e.path}:${e.line}`;
          if (seen.has(key)) continue;
          seen.add(key);
          list.push(e);
        }
      }
      groups[name] = list.sort(byLocation);
    }
    const d = def.decide({ groups, subfeature });
    const item: ReproItem = { id: def.id, item: def.item, status: d.status, evidence: d.evidence };
    if (d.note !== undefined) item.note = d.note;
    return item;
  });
}
