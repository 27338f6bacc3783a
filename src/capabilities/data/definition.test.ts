import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

const rows: Row[] = [
  ['data.pipeline', 'a Dataset subclass and DataLoader', {
    'data.py': 'from torch.utils.data import Dataset, DataLoader\nclass Blocks(Dataset):\n    def __len__(self):\n        return 1\nloader = DataLoader(Blocks(), batch_size=2)\n',
  }, 'present'],
  ['data.pipeline', 'np.memmap batch reader (nanoGPT)', { 'train.py': 'import numpy as np\ndef get_batch(split):\n    data = np.memmap("train.bin", dtype=np.uint16, mode="r")\n' }, 'present'],
  ['data.pipeline', 'datasets.load_dataset', { 'd.py': 'from datasets import load_dataset\nds = load_dataset("imdb")\n' }, 'present'],
  ['data.pipeline', 'a GraphQL DataLoader in TS is not an ML pipeline', { 'src/loaders.ts': "import DataLoader from 'dataloader';\nexport const users = new DataLoader(batchFn);\n" }, 'absent'],

  ['data.splits', 'train_test_split', { 'd.py': 'split = ds.train_test_split(test_size=0.1, seed=1)\n' }, 'present'],
  ['data.splits', 'ratio slicing into train/val (nanoGPT)', { 'prepare.py': 'n = len(data)\ntrain_data = data[:int(n*0.9)]\nval_data = data[int(n*0.9):]\n' }, 'present'],
  ['data.splits', 'val.bin read by name', { 'train.py': "data = np.memmap(os.path.join(data_dir, 'val.bin'), dtype=np.uint16)\n" }, 'present'],
  ['data.splits', 'device.txt is not a dev split', { 'x.py': 'open("device.txt").read()\n' }, 'absent'],

  ['data.deterministic_shuffle', 'a seeded torch.Generator', { 'd.py': 'g = torch.Generator().manual_seed(seed)\nloader = DataLoader(ds, shuffle=True, generator=g)\n' }, 'present'],
  ['data.deterministic_shuffle', 'worker_init_fn', { 'd.py': 'loader = DataLoader(ds, shuffle=True, worker_init_fn=seed_worker)\n' }, 'present'],
  ['data.deterministic_shuffle', 'datasets shuffle(seed=)', { 'd.py': 'ds = ds.shuffle(seed=42)\n' }, 'present'],
  ['data.deterministic_shuffle', 'an unseeded shuffle', { 'd.py': 'loader = DataLoader(ds, shuffle=True)\nrandom.shuffle(items)\n' }, 'absent'],

  ['data.caching', 'load_dataset(..., cache_dir=)', { 'd.py': 'from datasets import load_dataset\nds = load_dataset("c4", cache_dir="/data/hf")\n' }, 'present'],
  ['data.caching', 'a cache of downloaded weights is not a data cache', { 'm.py': 'from transformers import AutoModel\nm = AutoModel.from_pretrained(name, cache_dir="/cache")\n' }, 'absent'],
  ['data.caching', 'index files reused behind an existence check', {
    'idx.py': 'import os\nimport numpy as np\ndef build(path):\n    if not os.path.isfile(path):\n        np.save(path, make_index())\n    return np.load(path)\n',
  }, 'present'],
  ['data.caching', 'a vocabulary pickle read when present is not a cache (nanoGPT meta.pkl)', {
    'train.py': "import os, pickle, torch\nif os.path.exists(meta_path):\n    meta = pickle.load(open(meta_path, 'rb'))\ntorch.save(checkpoint, 'ckpt.pt')\ncheckpoint = torch.load('ckpt.pt')\n",
  }, 'absent'],
  ['data.caching', 'DVC', { 'dvc.yaml': 'stages:\n  prepare:\n    cmd: python prepare.py\n' }, 'present'],

  ['data.tests', 'a split test', { 'tests/test_data.py': 'from mypkg.data import split_dataset\ndef test_split_is_disjoint():\n    assert split_dataset()\n' }, 'present'],
  ['data.tests', 'test_metadata is not a data test', { 'tests/test_meta.py': 'def test_metadata_roundtrip():\n    assert True\n' }, 'absent'],
];

describe('data signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
