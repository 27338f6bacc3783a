import type { CapabilityDef, Signal } from '../../model/capability.js';

/**
 * Data handling: a data pipeline, train/validation splits, seeded order, caching of data or
 * preprocessing outputs, and data tests. Caches of downloaded model weights (`from_pretrained(...,
 * cache_dir=)`) are not data caches: `cache_dir` counts only on dataset loaders.
 */

// ---- data.pipeline ---------------------------------------------------------------------------

const PIPE_DATASET_CLASSES: Signal = {
  bases: ['Dataset', 'IterableDataset', 'data.Dataset', 'LightningDataModule', 'DataModule', 'torchdata.**', 'StreamingDataset', 'keras.utils.Sequence', 'utils.Sequence'],
  lang: ['python'],
  note: 'a Dataset subclass',
};
const PIPE_CALLS: Signal = {
  call: [
    'DataLoader',
    'datasets.load_dataset',
    'load_dataset',
    'datasets.load_from_disk',
    'load_from_disk',
    'Dataset.from_*',
    'datasets.Dataset.from_*',
    'numpy.memmap',
    'np.memmap',
    'tf.data.**',
    'tensorflow.data.**',
    'tfds.load',
    'tensorflow_datasets.load',
    'torchvision.datasets.*',
    'StreamingDataset',
    'webdataset.WebDataset',
    'wds.WebDataset',
    'grain.**',
    'DistributedSampler',
  ],
  lang: ['python'],
  note: 'a data pipeline built',
};
const PIPE_IMPORTS: Signal = { import: ['webdataset', 'torchdata', 'streaming', 'ffcv', 'dali', 'nvidia.dali', 'grain', 'tensorflow_datasets'], note: 'a data loading library imported in code' };
const PIPE_TFJS: Signal = { call: ['tf.data.*', '*tfjs*.data.*'], lang: ['typescript', 'javascript'] };
const PIPE_BATCH_DEFS: Signal = {
  def: '^(get_batch|get_batches|iter_batches|batch_iterator|data_iterator|build_dataloader|build_dataloaders|get_dataloader|get_dataloaders|create_dataloader|make_dataloader|build_dataset|get_dataset|load_dataset|create_dataset|make_dataset|collate_fn|collate)$',
  kind: ['function', 'method'],
  note: 'a batch/dataset builder',
};

// ---- data.splits -----------------------------------------------------------------------------

const SPLIT_CALLS: Signal = { call: ['train_test_split', 'random_split', 'KFold', 'StratifiedKFold', 'GroupKFold', 'ShuffleSplit'], note: 'splits created' };
const SPLIT_NAMES: Signal = {
  name: '^(val|valid|validation|eval|dev|test)_?(data|dataset|ds|set|split|examples|samples|loader|dataloader|files|ids|indices|idx)$|^(val|validation|train|test)_(split|ratio|fraction|frac|size|pct|percent)$|^(test_size|validation_split|val_split)$',
  lang: ['python'],
  note: 'a validation/test split used in code',
};
const SPLIT_LOAD_BOTH: Signal = {
  all: [
    { call: '**', kwValue: { split: '^(train|training)' } },
    { call: '**', kwValue: { split: '^(val|valid|validation|test|dev|eval)' } },
  ],
  within: 'file',
  note: 'train and validation splits loaded',
};
const SPLIT_FILES: Signal = { call: '**', arg0: '(?<![a-z])(val|valid|validation|dev)([._-]\\w*)?\\.(bin|jsonl?|csv|tsv|txt|parquet|arrow|npy|npz|pt|tfrecords?)\\b', note: 'a validation file read' };
const SPLIT_CONFIG: Signal = { configKey: '(^|\\.)(val|valid|validation|eval|dev)_(split|data|dataset|files?|path|ratio|size)$|(^|\\.)(validation_split|val_split|test_size|train_split)$' };
const SPLIT_TFJS: Signal = { call: 'fit', kw: ['validationSplit', 'validationData'], lang: ['typescript', 'javascript'] };

// ---- data.deterministic_shuffle --------------------------------------------------------------

export const SHUFFLE_SEEDED_GENERATOR: Signal = { call: ['torch.Generator().manual_seed', 'Generator().manual_seed'], note: 'a seeded `torch.Generator`' };
export const SHUFFLE_GENERATOR_SEED: Signal = { call: 'manual_seed', receiver: '(^|\\.)(g|gen|generator|rng|\\w*_generator|\\w*_gen)$' };
export const SHUFFLE_WORKER_INIT: Signal = { call: '**', kw: ['worker_init_fn'], note: '`worker_init_fn=`' };
export const SHUFFLE_WORKER_INIT_DEF: Signal = { def: '^(seed_worker|worker_init_fn|_?init_worker_seed|worker_init|seed_workers)$', kind: ['function', 'method'] };
export const SHUFFLE_SEED_KW: Signal = {
  call: ['shuffle', 'DistributedSampler', 'train_test_split', 'random_split', 'RandomSampler', 'interleave_datasets', 'DataLoader'],
  kw: ['seed', 'random_state', 'generator'],
  notKwValue: { seed: '^None$', generator: '^None$', random_state: '^None$' },
};
export const SHUFFLE_SEEDED_RNG: Signal = {
  call: ['random.Random', 'numpy.random.default_rng', 'np.random.default_rng', 'numpy.random.RandomState', 'np.random.RandomState'],
  arg0: '.',
  note: 'a seeded RNG for ordering',
};

// ---- data.caching ----------------------------------------------------------------------------

const CACHE_DATASET_KW: Signal = {
  call: ['load_dataset', 'datasets.load_dataset', 'map', 'filter', 'tfds.load'],
  kw: ['cache_dir', 'cache_file_name', 'load_from_cache_file', 'cache_file_names'],
  notKwValue: { load_from_cache_file: '^False$' },
  note: 'dataset loader/preprocessing cache',
};
const CACHE_SAVE_TO_DISK: Signal = {
  all: [{ call: 'save_to_disk', receiver: '.' }, { call: ['load_from_disk', 'datasets.load_from_disk'] }],
  within: 'file',
  note: 'preprocessed dataset saved and reloaded',
};
/** Where preprocessed data lives: a cache, processed/tokenized output, array or arrow files. */
const CACHED_DATA_PATH = 'cache|cached|processed|preprocess|tokenized|encoded|\\.(npy|npz|arrow|parquet|pt|pkl|pickle|bin|h5|hdf5|feather)\\b';
const CACHE_LOAD: Signal = { call: ['numpy.load', 'np.load', 'torch.load', 'pickle.load', 'load_from_disk', 'pandas.read_parquet', 'pandas.read_pickle', 'numpy.memmap', 'np.memmap', 'joblib.load', 'datasets.load_from_disk'] };
const CACHE_SAVE: Signal = { call: ['numpy.save', 'np.save', 'torch.save', 'pickle.dump', 'save_to_disk', 'to_parquet', 'to_pickle', 'tofile', 'joblib.dump', 'np.savez*', 'numpy.savez*'] };
const EXISTS: Signal = { call: ['os.path.exists', 'os.path.isfile', 'exists', 'is_file'] };
/** Load/save pairs of one format: data written once and read back (torch pairs are checkpoints unless the path says cache). */
const CACHE_PAIRS: [string[], string[]][] = [
  [['numpy.load', 'numpy.memmap'], ['numpy.save', 'numpy.savez*', 'tofile']],
  [['pickle.load'], ['pickle.dump']],
  [['load_from_disk'], ['save_to_disk']],
  [['pandas.read_parquet', 'pandas.read_pickle', 'pandas.read_feather'], ['to_parquet', 'to_pickle', 'to_feather']],
];
const CACHE_EXISTS_THEN_LOAD: Signal[] = CACHE_PAIRS.map(([load, save]) => ({
  all: [EXISTS, { call: load }, { call: save }],
  within: 'scope',
  note: 'preprocessed data reused behind an existence check',
}));
const CACHE_PATH_EXISTS_THEN_LOAD: Signal = {
  all: [{ call: ['os.path.exists', 'os.path.isfile'], arg0: CACHED_DATA_PATH }, CACHE_LOAD, CACHE_SAVE],
  within: 'scope',
  note: 'preprocessed data reused behind an existence check',
};
const CACHE_RECEIVER_EXISTS_THEN_LOAD: Signal = {
  all: [{ call: ['exists', 'is_file'], receiver: '(cache|cached|processed|preprocess|tokenized|encoded)\\w*$' }, CACHE_LOAD, CACHE_SAVE],
  within: 'scope',
  note: 'preprocessed data reused behind an existence check',
};
const CACHE_HASH_KEY: Signal = {
  all: [
    { call: ['hashlib.*', 'xxhash.*'] },
    { name: '(^|_)cache(_|$)|^cache\\w*|\\w*_cache$' },
    { name: '^(dataset|datasets|data_path|data_dir|data_files|tokenized\\w*|preprocess\\w*|corpus|shards?|examples)$' },
  ],
  within: 'file',
  lang: ['python'],
  note: 'hashes used as cache keys',
};
const CACHE_DVC: Signal = { file: ['dvc.yaml', 'dvc.lock', '*.dvc', '**/.dvc/config'], note: 'DVC-tracked data' };
const CACHE_LIBS: Signal = { call: ['joblib.Memory', 'diskcache.Cache'] };
const CACHE_DEFS: Signal = { def: '^(cache_dataset|load_or_build\\w*|get_cached_\\w+|load_cached_\\w+|build_cache|preprocess_and_cache\\w*|cached_dataset|cache_tokenized\\w*)$', kind: ['function', 'method'] };

// ---- data.tests ------------------------------------------------------------------------------

const TEST_DATA_IMPORTS: Signal = { import: ['**.data', '**.dataset*', '**.dataloader*', '**.datamodule*', '**/data', '**/dataset*'], note: 'a test importing the data module' };
const TEST_DATA_CALLS: Signal = { call: ['DataLoader', 'load_dataset', 'random_split', 'train_test_split', 'get_batch', 'numpy.memmap'] };
const TEST_DEFS: Signal = {
  def: '^test.*?(^|_)(data|dataset|datasets|dataloader|loader|loaders|(train|val|valid|validation|test|data|dataset)_splits?|splits|batch|batches|collate\\w*|shuffle\\w*|sampler|preprocess\\w*|memmap)(_|$)',
  kind: ['function', 'method'],
};
const TEST_JS: Signal = { call: ['it', 'test', 'describe'], arg0: '\\b(datasets?|data ?loaders?|train(ing)? (and|/) (val|test)\\w*|shuffl\\w*)\\b', lang: ['typescript', 'javascript'] };

export const capability: CapabilityDef = {
  id: 'data',
  title: 'Data Handling',
  tableTitle: 'Data Handling (splits, deterministic shuffling, caching)',
  why: 'Data decides what a model learns: leaks between splits inflate metrics, unseeded order makes runs unrepeatable, and uncached preprocessing wastes compute or silently goes stale.',
  subfeatures: [
    {
      id: 'data.pipeline',
      title: 'Data pipeline',
      core: true,
      summary: '`Dataset`/`IterableDataset` subclasses, `DataLoader`, `datasets.load_dataset`, `np.memmap` batch readers, webdataset, `tf.data`.',
      gap: 'No data pipeline: add a `Dataset` (or `load_dataset` wrapper) and a `DataLoader` builder that yields batches from the configured data paths.',
      signals: [PIPE_DATASET_CLASSES, PIPE_CALLS, PIPE_IMPORTS, PIPE_TFJS, PIPE_BATCH_DEFS],
    },
    {
      id: 'data.splits',
      title: 'Train/validation splits',
      core: false,
      summary: 'Train/validation separation in code: `train_test_split`, `random_split`, `.train_test_split(`, ratio slicing, or distinct train and validation sets.',
      gap: 'No explicit splits: create train/validation splits from a seed (`train_test_split(..., seed=)` or `random_split` with a seeded generator) and save the split ids so they never leak.',
      signals: [SPLIT_CALLS, SPLIT_NAMES, SPLIT_LOAD_BOTH, SPLIT_FILES, SPLIT_CONFIG, SPLIT_TFJS],
    },
    {
      id: 'data.deterministic_shuffle',
      title: 'Deterministic shuffling',
      core: false,
      summary: 'Seeded order: a seeded `torch.Generator` passed as `generator=`, `shuffle(seed=...)`, `worker_init_fn`, `DistributedSampler(..., seed=)`, `random.Random(seed)`.',
      gap: 'No seeded shuffling: pass `generator=torch.Generator().manual_seed(seed)` and a `worker_init_fn` to every DataLoader (and `seed=` to samplers and `.shuffle`).',
      signals: [SHUFFLE_SEEDED_GENERATOR, SHUFFLE_GENERATOR_SEED, SHUFFLE_WORKER_INIT, SHUFFLE_WORKER_INIT_DEF, SHUFFLE_SEED_KW, SHUFFLE_SEEDED_RNG],
    },
    {
      id: 'data.caching',
      title: 'Data caching',
      core: false,
      summary: 'Data or preprocessing outputs cached and reused: `load_dataset(..., cache_dir=)`, `.map(..., cache_file_name=)`, preprocessed files behind an existence check, hashed cache keys, DVC.',
      gap: 'No data cache: store preprocessed/tokenized data under a key derived from a hash of the raw data and the preprocessing config, and reuse it when the key matches.',
      signals: [CACHE_DATASET_KW, CACHE_SAVE_TO_DISK, ...CACHE_EXISTS_THEN_LOAD, CACHE_PATH_EXISTS_THEN_LOAD, CACHE_RECEIVER_EXISTS_THEN_LOAD, CACHE_HASH_KEY, CACHE_DVC, CACHE_LIBS, CACHE_DEFS],
    },
    {
      id: 'data.tests',
      title: 'Data tests',
      core: false,
      summary: 'Tests of data loading or splits.',
      gap: 'No data tests: add tests that load a tiny sample, check batch shapes and dtypes, and assert that splits are disjoint and the shuffled order is identical for the same seed.',
      signals: [TEST_DATA_IMPORTS, TEST_DATA_CALLS, TEST_DEFS, TEST_JS],
    },
  ],
  risks: ['Data leakage across splits inflating metrics', 'Stale caches silently reused after the raw data or preprocessing changed', 'Unrepeatable runs from unseeded shuffling'],
  patchPlan: 'Add a data module with a seeded split API, hash-based cache keys for preprocessed data and seeded DataLoader generators; tests for deterministic shuffling and disjoint splits.',
  rollbackPlan: 'Revert the data module; keep the split specification documented so the split ids can be regenerated.',
};
