import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

/** A nanoGPT-style script: the loop at module top level, AMP through a GradScaler. */
const SCRIPT = `
  import torch
  scaler = torch.cuda.amp.GradScaler(enabled=True)
  gradient_accumulation_steps = 8
  grad_clip = 1.0
  def get_lr(it):
      return learning_rate * it / warmup_iters
  while True:
      for micro_step in range(gradient_accumulation_steps):
          with torch.amp.autocast(device_type="cuda", dtype=torch.bfloat16):
              logits, loss = model(X, Y)
          scaler.scale(loss).backward()
      torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
      scaler.step(optimizer)
      scaler.update()
      optimizer.zero_grad(set_to_none=True)
`;

const HF = `
  from transformers import Trainer, TrainingArguments
  args = TrainingArguments(output_dir="out", fp16=True, gradient_accumulation_steps=4, max_grad_norm=1.0, lr_scheduler_type="cosine")
  trainer = Trainer(model=model, args=args, train_dataset=ds)
  trainer.train()
`;

const rows: Row[] = [
  ['training.loop', 'backward + optimizer step at module top level (nanoGPT)', { 'train.py': SCRIPT }, 'present'],
  ['training.loop', 'HF Trainer(...).train()', { 'finetune.py': HF }, 'present'],
  ['training.loop', 'Lightning trainer.fit', { 'train.py': 'import lightning as L\ntrainer = L.Trainer(max_epochs=1)\ntrainer.fit(model, dm)\n' }, 'present'],
  ['training.loop', 'Keras model.fit', { 'train.py': 'model.compile(optimizer="adam", loss="mse")\nmodel.fit(x, y, epochs=3)\n' }, 'present'],
  ['training.loop', 'tfjs model.fit', { 'src/train.ts': 'await model.fit(xs, ys, { epochs: 5 });\n' }, 'present'],
  ['training.loop', 'accelerator.backward in a loop', { 'train.py': 'for batch in loader:\n    loss = model(**batch).loss\n    accelerator.backward(loss)\n    optimizer.step()\n' }, 'present'],
  ['training.loop', 'inference-only accelerate is not training', {
    'infer.py': 'from accelerate import Accelerator\naccelerator = Accelerator()\nmodel = accelerator.prepare(model)\nmodel.eval()\nout = model.generate(ids)\n',
  }, 'absent'],
  ['training.loop', 'model.train() switches a mode, it does not train', { 'x.py': 'model.train()\nout = model(x)\n' }, 'absent'],
  ['training.loop', 'a stub train step is stubbed', { 'train.py': 'def train_step(model, batch):\n    raise NotImplementedError\n' }, 'stubbed'],

  ['training.mixed_precision', 'autocast and GradScaler', { 'train.py': SCRIPT }, 'present'],
  ['training.mixed_precision', 'fp16=True on TrainingArguments', { 'finetune.py': HF }, 'present'],
  ['training.mixed_precision', 'an inference CLI --fp16 flag is not a training engine (whisper)', {
    'transcribe.py': 'import argparse, torch\np = argparse.ArgumentParser()\np.add_argument("--fp16", default=True)\nwith torch.autocast("cuda"):\n    out = model.decode(mel)\n',
  }, 'absent'],
  ['training.mixed_precision', 'the same flag in a repository that trains', {
    'train.py': 'import argparse, torch\np = argparse.ArgumentParser()\np.add_argument("--fp16", action="store_true")\nloss.backward()\noptimizer.step()\n',
  }, 'present'],
  ['training.mixed_precision', 'fp16=False is not AMP', { 'f.py': 'args = TrainingArguments(output_dir="o", fp16=False)\n' }, 'absent'],

  ['training.grad_accumulation', 'gradient_accumulation_steps', { 'train.py': SCRIPT }, 'present'],
  ['training.grad_accumulation', 'accumulate_grad_batches in a YAML config', { 'configs/trainer.yaml': 'trainer:\n  accumulate_grad_batches: 4\n' }, 'present'],
  ['training.grad_accumulation', 'nothing about accumulation', { 'train.py': 'loss.backward()\noptimizer.step()\n' }, 'absent'],

  ['training.grad_clipping', 'clip_grad_norm_', { 'train.py': SCRIPT }, 'present'],
  ['training.grad_clipping', 'max_grad_norm kwarg', { 'finetune.py': HF }, 'present'],
  ['training.grad_clipping', 'no clipping', { 'train.py': 'loss.backward()\noptimizer.step()\n' }, 'absent'],

  ['training.lr_schedule', 'an own get_lr with warmup', { 'train.py': SCRIPT }, 'present'],
  ['training.lr_schedule', 'get_cosine_schedule_with_warmup', { 's.py': 'from transformers import get_cosine_schedule_with_warmup\nsched = get_cosine_schedule_with_warmup(opt, 100, 1000)\n' }, 'present'],
  ['training.lr_schedule', 'a diffusion noise scheduler step is not an LR schedule', { 'd.py': 'latents = self.scheduler.step(noise_pred, t, latents).prev_sample\n' }, 'absent'],

  ['training.tests', 'a smoke test that steps the optimizer', {
    'tests/test_train.py': 'from mypkg.train import train_step\ndef test_train_step_reduces_loss(model):\n    assert train_step(model) < 1\n',
  }, 'present'],
  ['training.tests', '"constraints" is not a training test', { 'tests/test_schema.py': 'def test_string_constraints():\n    assert True\n' }, 'absent'],
  ['training.tests', 'a training loop outside tests is not a test', { 'train.py': SCRIPT }, 'absent'],
  ['training.grad_accumulation', 'micro-batch accumulation settings (OLMo)', { 'cfg.py': 'class TrainConfig:\n    device_train_microbatch_size: int = 16\n' }, 'present'],
  ['training.tests', 'a TS test about compiler optimization is not a training test', { 'src/compile.test.ts': 'test("union of literals (Set optimization)", () => {});\ntest("bypasses fast path for backward compat", () => {});\n' }, 'absent'],
];

describe('training signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
