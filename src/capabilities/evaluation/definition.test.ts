import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

const rows: Row[] = [
  ['evaluation.loop', 'estimate_loss (nanoGPT)', { 'train.py': '@torch.no_grad()\ndef estimate_loss():\n    model.eval()\n    return losses\n' }, 'present'],
  ['evaluation.loop', 'model.eval() under no_grad computing a loss', {
    'ev.py': 'def run(model, loader):\n    model.eval()\n    with torch.no_grad():\n        for x, y in loader:\n            total += F.cross_entropy(model(x), y)\n',
  }, 'present'],
  ['evaluation.loop', 'generation under no_grad is inference, not evaluation', {
    'sample.py': 'model.eval()\nwith torch.no_grad():\n    y = model.generate(x, 100)\n    print(decode(y[0].tolist()))\n',
  }, 'absent'],
  ['evaluation.loop', 'trainer.evaluate()', { 'ft.py': 'metrics = trainer.evaluate()\n' }, 'present'],
  ['evaluation.loop', 'a config validate() method is not evaluation', { 'cfg.py': 'class Config:\n    def validate(self):\n        return True\n' }, 'absent'],
  ['evaluation.loop', 'a stub evaluate is stubbed', { 'ev.py': 'def evaluate(model, loader):\n    ...\n' }, 'stubbed'],

  ['evaluation.metrics', 'torchmetrics', { 'm.py': 'import torchmetrics\nacc = torchmetrics.Accuracy(task="binary")\n' }, 'present'],
  ['evaluation.metrics', 'torch is not torchmetrics', { 'm.py': 'import torch\nx = torch.ones(1)\n' }, 'absent'],
  ['evaluation.metrics', 'an own perplexity', { 'm.py': 'import math\ndef perplexity(loss):\n    return math.exp(loss)\n' }, 'present'],
  ['evaluation.metrics', 'a local evaluate.py script is not HF evaluate', { 'run.py': 'from evaluate import run_eval\nrun_eval()\n' }, 'absent'],
  ['evaluation.metrics', 'HF evaluate.load', { 'm.py': 'import evaluate\nbleu = evaluate.load("bleu")\n' }, 'present'],

  ['evaluation.sink', 'metrics appended to metrics.jsonl', {
    'ev.py': 'def log(row, out):\n    path = out / "metrics.jsonl"\n    with path.open("a") as f:\n        f.write(json.dumps(row) + "\\n")\n',
  }, 'present'],
  ['evaluation.sink', 'a CSV writer of results', { 'ev.py': 'import csv\ndef save(rows):\n    with open("results.csv", "w") as f:\n        csv.writer(f).writerows(rows)\n' }, 'present'],
  ['evaluation.sink', 'writing an eval split is data, not a metrics sink', {
    'prep.py': 'def write(examples):\n    with open("data/eval.jsonl", "w") as f:\n        for ex in examples:\n            f.write(json.dumps(ex) + "\\n")\n',
  }, 'absent'],

  ['evaluation.nan_guard', 'torch.isfinite on the loss', { 'train.py': 'if not torch.isfinite(loss):\n    raise RuntimeError("nan")\n' }, 'present'],
  ['evaluation.nan_guard', 'Number.isNaN in a TS library is not an ML guard', { 'src/num.ts': 'export const ok = (n: number) => !Number.isNaN(n);\n' }, 'absent'],

  ['evaluation.tests', 'a metric test', { 'tests/test_metrics.py': 'from mypkg.metrics import accuracy\ndef test_accuracy_counts_matches():\n    assert accuracy([1], [1]) == 1\n' }, 'present'],
  ['evaluation.tests', '"unevaluated" is not an evaluation test', { 'src/schema.test.ts': 'test("unevaluatedItems throws", () => {});\n' }, 'absent'],
  ['evaluation.sink', 'a transcription result writer is output, not metrics (whisper)', { 'utils.py': 'import json\ndef write_result(result, file):\n    json.dump(result, file)\n' }, 'absent'],
  ['evaluation.loop', 'an eval_split function (minGPT)', { 'adder.py': 'def eval_split(trainer, split):\n    correct = 0\n    return correct\n' }, 'present'],
];

describe('evaluation signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
