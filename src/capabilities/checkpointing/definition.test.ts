import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

/** nanoGPT-style checkpointing at module top level. */
const NANO = `
  import torch
  best_val_loss = 1e9
  if init_from == 'resume':
      checkpoint = torch.load(ckpt_path, map_location=device)
      optimizer.load_state_dict(checkpoint['optimizer'])
  if losses['val'] < best_val_loss:
      best_val_loss = losses['val']
      checkpoint = {'model': raw_model.state_dict(), 'optimizer': optimizer.state_dict(), 'model_args': model_args, 'iter_num': iter_num, 'config': config}
      torch.save(checkpoint, os.path.join(out_dir, 'ckpt.pt'))
`;

/** A crawler saving and resuming its progress: not checkpointing. */
const CRAWLER = `
  import json
  import argparse

  def save_checkpoint(state, path):
      with open(path, "w") as f:
          json.dump(state, f)

  def resume(path):
      return json.load(open(path))

  parser = argparse.ArgumentParser()
  parser.add_argument("--resume", action="store_true")
`;

const rows: Row[] = [
  ['checkpointing.save', 'torch.save of a checkpoint dict', { 'train.py': NANO }, 'present'],
  ['checkpointing.save', 'model.save_pretrained', { 'ft.py': 'model.save_pretrained(output_dir)\n' }, 'present'],
  ['checkpointing.save', 'tokenizer.save_pretrained alone is not a model checkpoint', { 'ft.py': 'tokenizer.save_pretrained(output_dir)\n' }, 'absent'],
  ['checkpointing.save', 'torch.save of a dataset is not a checkpoint', { 'prep.py': 'torch.save(train_dataset, "data.pt")\n' }, 'absent'],
  ['checkpointing.save', "saving a crawl's progress is not checkpointing", { 'crawl.py': CRAWLER }, 'absent'],
  ['checkpointing.save', 'an own save_checkpoint in ML code', { 'ckpt.py': 'import torch\ndef save_checkpoint(model, path):\n    torch.save(model.state_dict(), path)\n' }, 'present'],
  ['checkpointing.save', 'a stub save_checkpoint is stubbed', { 'ckpt.py': 'def save_checkpoint(model, path):\n    raise NotImplementedError\n' }, 'stubbed'],

  ['checkpointing.resume', 'init_from == "resume" branch + optimizer state restored', { 'train.py': NANO }, 'present'],
  ['checkpointing.resume', 'resume_from_checkpoint on trainer.train', { 'ft.py': 'trainer.train(resume_from_checkpoint=args.resume)\n' }, 'present'],
  ['checkpointing.resume', 'a crawler resuming progress is not resume', { 'crawl.py': CRAWLER }, 'absent'],
  ['checkpointing.resume', 'a vLLM client pause/resume is not resume', { 'client.py': 'import torch\nclass Client:\n    def resume(self):\n        self.paused = False\n' }, 'absent'],

  ['checkpointing.optimizer_state', 'optimizer.state_dict() in the checkpoint', { 'train.py': NANO }, 'present'],
  ['checkpointing.optimizer_state', 'model weights only', { 's.py': 'torch.save(model.state_dict(), "m.pt")\n' }, 'absent'],

  ['checkpointing.rng_state', 'RNG state captured and restored', { 'rng.py': 'state = {"torch": torch.get_rng_state(), "py": random.getstate(), "np": np.random.get_state()}\ntorch.set_rng_state(state["torch"])\n' }, 'present'],
  ['checkpointing.rng_state', 'a seed is not RNG state capture', { 'seed.py': 'torch.manual_seed(0)\n' }, 'absent'],

  ['checkpointing.retention', 'a best-metric comparison guarding a save', { 'train.py': NANO }, 'present'],
  ['checkpointing.retention', 'save_total_limit', { 'ft.py': 'args = TrainingArguments(output_dir="o", save_total_limit=2)\n' }, 'present'],
  ['checkpointing.retention', 'every checkpoint kept', { 's.py': 'torch.save(model.state_dict(), f"m{step}.pt")\n' }, 'absent'],

  ['checkpointing.atomic_write', 'temp file then os.replace', {
    'io.py': 'import os, tempfile\ndef write(path, data):\n    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))\n    os.write(fd, data)\n    os.replace(tmp, path)\n',
  }, 'present'],
  ['checkpointing.atomic_write', 'TS rename of a temp file', { 'src/out.ts': "import { renameSync, writeFileSync } from 'node:fs';\nwriteFileSync(tmp, s);\nrenameSync(tmp, target);\n" }, 'present'],
  ['checkpointing.atomic_write', 'template.replace is string work', { 'fmt.py': 'def render(template):\n    return template.replace("{x}", "1")\n' }, 'absent'],

  ['checkpointing.metadata', 'config, step and metric in the checkpoint dict', { 'train.py': NANO }, 'present'],
  ['checkpointing.metadata', 'a bare state_dict has no metadata', { 's.py': 'torch.save(model.state_dict(), "m.pt")\n' }, 'absent'],
  ['checkpointing.save', 'saving a tokenizer straight from from_pretrained is not a model checkpoint', {
    'conv.py': 'from transformers import AutoTokenizer\nAutoTokenizer.from_pretrained(name).save_pretrained(out + "/tokenizer")\n',
  }, 'absent'],
];

describe('checkpointing signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
