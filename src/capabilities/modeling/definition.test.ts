import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

const GPT = `
  import torch
  import torch.nn as nn

  class GPT(nn.Module):
      def __init__(self, config):
          super().__init__()
          self.config = config

      def forward(self, idx):
          return self.lm_head(idx)

  device = "cuda" if torch.cuda.is_available() else "cpu"
  model = GPT(config).to(device)
`;

const rows: Row[] = [
  ['modeling.factory', 'a class deriving nn.Module (GPT(config) style)', { 'model.py': GPT }, 'present'],
  ['modeling.factory', 'AutoModelForCausalLM.from_pretrained', { 'load.py': 'from transformers import AutoModelForCausalLM\nm = AutoModelForCausalLM.from_pretrained(path)\n' }, 'present'],
  ['modeling.factory', 'a tfjs sequential model', { 'src/model.ts': "import * as tf from '@tensorflow/tfjs';\nexport const m = tf.sequential();\n" }, 'present'],
  ['modeling.factory', 'plain tensor code is not a model', { 'ops.py': 'import torch\nx = torch.zeros(3)\ny = x * 2\n' }, 'absent'],
  ['modeling.factory', 'a stub factory is stubbed', { 'model.py': 'def build_model(cfg):\n    raise NotImplementedError\n' }, 'stubbed'],
  ['modeling.factory', 'a plain library TS class is not a model', { 'src/client.ts': 'export class Client { get(url: string) { return url; } }\n' }, 'absent'],

  ['modeling.device', '.to(device) and cuda availability', { 'model.py': GPT }, 'present'],
  ['modeling.device', 'device_map on from_pretrained', { 'load.py': 'from transformers import AutoModel\nm = AutoModel.from_pretrained(p, device_map="auto")\n' }, 'present'],
  ['modeling.device', 'a dtype cast is not device placement', { 'x.py': 'y = x.to(torch.float16)\n' }, 'absent'],

  ['modeling.dtype', 'torch_dtype on from_pretrained', { 'load.py': 'import torch\nfrom transformers import AutoModel\nm = AutoModel.from_pretrained(p, torch_dtype=torch.bfloat16)\n' }, 'present'],
  ['modeling.dtype', '.half()', { 'm.py': 'model = model.half()\n' }, 'present'],
  ['modeling.dtype', 'a dtype global (nanoGPT)', { 'train.py': "dtype = 'bfloat16' if torch.cuda.is_bf16_supported() else 'float16'\n" }, 'present'],
  ['modeling.dtype', 'float32 numpy arrays are not a precision choice', { 'd.py': 'import numpy as np\nx = np.zeros(3, dtype=np.float32)\n' }, 'absent'],
  ['modeling.dtype', 'a tfjs model.json topology is not config', { 'web/model.json': '{"modelTopology": {"config": {"layers": [{"config": {"dtype": "float32"}}]}}}\n' }, 'absent'],

  ['modeling.peft', 'peft LoraConfig', { 'ft.py': 'from peft import LoraConfig, get_peft_model\nmodel = get_peft_model(model, LoraConfig(r=8))\n' }, 'present'],
  ['modeling.peft', 'an own LoRA layer', { 'lora.py': 'import torch\nclass LoRALinear(torch.nn.Module):\n    def forward(self, x):\n        return x\n' }, 'present'],
  ['modeling.peft', '"exploration" is not LoRA', { 'rl.py': 'def exploration_bonus(x):\n    return x\n' }, 'absent'],

  ['modeling.checkpoint_load', 'load_state_dict from torch.load', { 'load.py': 'sd = torch.load(path, weights_only=True)\nmodel.load_state_dict(sd)\n' }, 'present'],
  ['modeling.checkpoint_load', 'from_pretrained of a local path', { 'load.py': 'from transformers import AutoModel\nm = AutoModel.from_pretrained("./checkpoints/final")\n' }, 'present'],
  ['modeling.checkpoint_load', 'a tokenizer from_pretrained is not a weights load', { 'tok.py': 'from transformers import AutoTokenizer\ntok = AutoTokenizer.from_pretrained(name)\n' }, 'absent'],
  ['modeling.checkpoint_load', 'a fast tokenizer from_pretrained is not a weights load either', { 'tok.py': 'from transformers import GPT2TokenizerFast\ntok = GPT2TokenizerFast.from_pretrained(vocab_file)\n' }, 'absent'],
];

describe('modeling signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
