import { describe, expect, it } from 'vitest';
import { matcher, repo } from '../../test/capabilities-kit.js';
import { detectAll } from '../model/detect.js';
import type { Signal } from '../model/capability.js';
import type { CapabilityResult, Evidence, ReproItem } from '../model/types.js';
import { capabilities } from './index.js';
import { evaluateReproducibility, reproducibilityItems } from './reproducibility.js';

async function checklist(files: Record<string, string>): Promise<Record<string, ReproItem>> {
  const index = await repo(files);
  const results = detectAll(capabilities, index);
  const items = evaluateReproducibility(results, matcher(index));
  return Object.fromEntries(items.map((i) => [i.id, i]));
}

describe('reproducibility checklist', () => {
  it('evaluates the eleven rows in order, each with a status', async () => {
    const items = evaluateReproducibility([], () => []);
    expect(items.map((i) => i.id)).toEqual(reproducibilityItems.map((r) => r.id));
    expect(items.every((i) => i.status === 'missing' && i.evidence.length === 0)).toBe(true);
  });

  it.each([
    ['all three seeds', 'import random\nimport numpy as np\nimport torch\ndef set_seed(s):\n    random.seed(s)\n    np.random.seed(s)\n    torch.manual_seed(s)\n', 'provided'],
    ['transformers.set_seed alone', 'from transformers import set_seed\nset_seed(42)\n', 'provided'],
    ['Lightning seed_everything', 'import lightning as L\nL.seed_everything(1)\n', 'provided'],
    ['torch only (nanoGPT)', 'import torch\ntorch.manual_seed(1337)\n', 'partial'],
    ['an own set_seed calling torch only', 'import torch\ndef set_seed(s):\n    torch.manual_seed(s)\nset_seed(0)\n', 'partial'],
    ['no seed', 'x = 1\n', 'missing'],
  ])('seeds: %s', async (_name, src, status) => {
    const r = await checklist({ 'seed.py': src });
    expect(r['repro.seeds'].status).toBe(status);
  });

  it('names the missing seeds in the note', async () => {
    const r = await checklist({ 'seed.py': 'import torch\ntorch.manual_seed(1)\n' });
    expect(r['repro.seeds'].note).toContain('`random.seed`');
    expect(r['repro.seeds'].note).toContain('`np.random.seed`');
  });

  it('seeds set only in tests do not count', async () => {
    const r = await checklist({ 'tests/test_x.py': 'import random, torch\nimport numpy as np\nrandom.seed(0)\nnp.random.seed(0)\ntorch.manual_seed(0)\n' });
    expect(r['repro.seeds'].status).toBe('missing');
  });

  it.each([
    ['cudnn.deterministic = True', 'import torch\ntorch.backends.cudnn.deterministic = True\n', 'provided'],
    ['use_deterministic_algorithms(True)', 'import torch\ntorch.use_deterministic_algorithms(True)\n', 'provided'],
    ['CUBLAS_WORKSPACE_CONFIG', 'import os\nos.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"\n', 'provided'],
    ['False is not evidence', 'import torch\ntorch.backends.cudnn.deterministic = False\ntorch.use_deterministic_algorithms(False)\n', 'missing'],
    ['benchmark = False only', 'import torch\ntorch.backends.cudnn.benchmark = False\n', 'partial'],
  ])('deterministic flags: %s', async (_name, src, status) => {
    expect((await checklist({ 'det.py': src }))['repro.deterministic_flags'].status).toBe(status);
  });

  it('deterministic flags set in tests do not count', async () => {
    const r = await checklist({ 'tests/conftest.py': 'import torch\ntorch.backends.cudnn.deterministic = True\n' });
    expect(r['repro.deterministic_flags'].status).toBe('missing');
  });

  it.each([
    ['captured and restored', 'import torch, random\ns = torch.get_rng_state()\nr = random.getstate()\ntorch.set_rng_state(s)\nrandom.setstate(r)\n', 'provided'],
    ['captured only', 'import torch\ns = torch.get_rng_state()\n', 'partial'],
  ])('RNG capture/restore: %s', async (_name, src, status) => {
    expect((await checklist({ 'ckpt.py': src }))['repro.rng_state'].status).toBe(status);
  });

  it.each([
    ['config dumped next to outputs', 'import yaml\nyaml.safe_dump(config, open("out/config.yaml", "w"))\n', 'provided'],
    ['hyperparameters only in the tracker', 'import wandb\nwandb.init(project="p", config=config)\n', 'partial'],
    ['config in the checkpoint dict saved in the same scope', "import torch\ndef save(model, config, path):\n    checkpoint = {\n        'model': model.state_dict(),\n        'config': config,\n    }\n    torch.save(checkpoint, path)\n", 'provided'],
    ['a checkpoint dict with metadata but without the config', "import torch\ndef save(model, path):\n    checkpoint = {'model': model.state_dict(), 'step': 3}\n    torch.save(checkpoint, path)\n", 'partial'],
    ['config dict and torch.save in different functions', "import torch\ndef meta(config):\n    m = {'config': config}\n    return m\ndef save(model, path):\n    torch.save(model.state_dict(), path)\n", 'missing'],
    ['nothing', 'x = 1\n', 'missing'],
  ])('config capture: %s', async (_name, src, status) => {
    expect((await checklist({ 'run.py': src }))['repro.config_capture'].status).toBe(status);
  });

  it.each([
    ['git SHA stored with the metadata', 'import json, subprocess\nsha = subprocess.check_output(["git", "rev-parse", "HEAD"])\njson.dump({"git": sha}, f)\n', 'provided'],
    ['git SHA read only', 'import subprocess\nsha = subprocess.check_output(["git", "rev-parse", "HEAD"])\nprint(sha)\n', 'partial'],
  ])('code version: %s', async (_name, src, status) => {
    expect((await checklist({ 'meta.py': src }))['repro.code_version'].status).toBe(status);
  });

  it.each([
    ['DVC', { 'dvc.yaml': 'stages: {}\n' }, 'provided'],
    ['a data file hash', { 'data.py': 'import hashlib\ndef file_sha256(data_path):\n    return hashlib.sha256(open(data_path, "rb").read()).hexdigest()\n' }, 'provided'],
    ['a function named dataShape is not a data hash', { 'src/data.js': 'export function dataShape(x) { return x.shape; }\n' }, 'missing'],
    ['a cache without a hash key', { 'd.py': 'from datasets import load_dataset\nds = load_dataset("c4", cache_dir="/c")\n' }, 'partial'],
  ])('data versioning: %s', async (_name, files, status) => {
    expect((await checklist(files))['repro.data_versioning'].status).toBe(status);
  });

  it.each([
    ['every shuffling loader seeded', 'g = torch.Generator().manual_seed(0)\nDataLoader(ds, shuffle=True, generator=g, worker_init_fn=seed_worker)\nDataLoader(val, shuffle=False)\n', 'provided'],
    ['one of two shuffling loaders seeded', 'DataLoader(ds, shuffle=True, generator=g)\nDataLoader(other, shuffle=True)\n', 'partial'],
    ['seeded order without DataLoaders', 'ds = ds.shuffle(seed=42)\n', 'partial'],
    ['unseeded', 'DataLoader(ds, shuffle=True)\n', 'missing'],
  ])('deterministic dataloaders: %s', async (_name, src, status) => {
    expect((await checklist({ 'data.py': src }))['repro.deterministic_dataloaders'].status).toBe(status);
  });

  it.each([
    ['dtype and device explicit and on the CLI', 'import argparse, torch\np = argparse.ArgumentParser()\np.add_argument("--device")\np.add_argument("--dtype")\nmodel = model.to(args.device)\nmodel = model.to(dtype=torch.bfloat16)\n', 'provided'],
    ['explicit in code only', 'import torch\nmodel = model.to(device)\nmodel = model.half()\n', 'partial'],
    ['neither', 'x = 1\n', 'missing'],
  ])('precision/device explicit: %s', async (_name, src, status) => {
    expect((await checklist({ 'train.py': src }))['repro.precision_device'].status).toBe(status);
  });

  it('a tfjs model.json topology is not device configuration', async () => {
    const r = await checklist({ 'web/model.json': '{"modelTopology": {"node": [{"device": "/device:CPU:0"}]}}\n' });
    expect(r['repro.precision_device'].status).toBe('missing');
  });

  it.each([
    ['checkpoint written to a temp file and renamed', 'import os, torch\ndef save(m, path):\n    tmp = path + ".tmp"\n    torch.save(m.state_dict(), tmp)\n    os.replace(tmp, path)\n', 'provided'],
    ['atomic writes elsewhere only', { 'io.py': 'import os, json\ndef w(p, d):\n    json.dump(d, open(p + ".tmp", "w"))\n    os.replace(p + ".tmp", p)\n', 'ckpt.py': 'import torch\ntorch.save(sd, "m.pt")\n' }, 'partial'],
  ])('atomic writes: %s', async (_name, src, status) => {
    const files = typeof src === 'string' ? { 'ckpt.py': src } : src;
    expect((await checklist(files))['repro.atomic_writes'].status).toBe(status);
  });

  it.each([
    ['NDJSON lines', 'def log(r):\n    path = "metrics.jsonl"\n    with open(path, "a") as f:\n        f.write(json.dumps(r) + "\\n")\n', 'provided'],
    ['one JSON document', 'import json\njson.dump(results, open("results.json", "w"))\n', 'partial'],
  ])('metrics sink: %s', async (_name, src, status) => {
    expect((await checklist({ 'ev.py': src }))['repro.metrics_sink'].status).toBe(status);
  });

  it.each([
    ['W&B offline', 'import wandb\nwandb.init(project="p", mode="offline")\n', 'provided'],
    ['TensorBoard only', 'from torch.utils.tensorboard import SummaryWriter\nw = SummaryWriter()\n', 'partial'],
    ['online W&B', 'import wandb\nwandb.init(project="p")\n', 'missing'],
  ])('offline tracking: %s', async (_name, src, status) => {
    expect((await checklist({ 'log.py': src }))['repro.offline_tracking'].status).toBe(status);
  });

  it('is a pure function of the results and the matcher', () => {
    const ev: Evidence = { path: 'seed.py', line: 3, excerpt: 'transformers.set_seed(1)' };
    const match = (s: Signal): Evidence[] => ('call' in s && s.call === 'set_seed' ? [ev] : []);
    const results: CapabilityResult[] = [];
    const first = evaluateReproducibility(results, match);
    expect(first.find((i) => i.id === 'repro.seeds')).toMatchObject({ status: 'provided', evidence: [ev] });
    expect(evaluateReproducibility(results, match)).toEqual(first);
  });

  it('drops test-file and vendored evidence whatever the matcher returns', () => {
    const match = (s: Signal): Evidence[] => ('call' in s && s.call === 'set_seed' ? [{ path: 'tests/test_a.py', line: 1, excerpt: 'x' }, { path: 'vendor/x.py', line: 1, excerpt: 'x' }] : []);
    expect(evaluateReproducibility([], match).find((i) => i.id === 'repro.seeds')?.status).toBe('missing');
  });
});
