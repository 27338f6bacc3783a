import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

/** Tool and repository-metadata files: none of them is experiment configuration. */
const TOOL_CONFIGS = {
  'tsconfig.json': '{"compilerOptions": {"strict": true}}\n',
  'eslint.config.json': '{"rules": {}}\n',
  '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n',
  'docker-compose.yml': 'services:\n  app:\n    image: x\n',
  'package.json': '{"name": "x", "version": "1.0.0"}\n',
  'vitest.config.json': '{"test": {}}\n',
  '.pre-commit-config.yaml': 'repos: []\n',
};

const rows: Row[] = [
  ['configuration.files', 'YAML files in configs/', { 'configs/base.yaml': 'model:\n  n_layer: 12\n' }, 'present'],
  ['configuration.files', 'a file named *config*.json', { 'train_config.json': '{"lr": 0.001}\n' }, 'present'],
  ['configuration.files', 'Python config modules in config/ (nanoGPT)', { 'config/train_gpt2.py': 'batch_size = 12\n' }, 'present'],
  ['configuration.files', 'tool configs are not experiment configuration', TOOL_CONFIGS, 'absent'],
  ['configuration.files', 'a conformer/ model folder is not a config folder', { 'models/conformer/params.json': '{"d": 1}\n' }, 'absent'],

  ['configuration.overrides', 'argparse', { 'train.py': 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--lr", type=float)\n' }, 'present'],
  ['configuration.overrides', '@hydra.main', { 'train.py': 'import hydra\n@hydra.main(config_path="conf", config_name="config")\ndef main(cfg):\n    print(cfg)\n' }, 'present'],
  ['configuration.overrides', '--key=value into globals (nanoGPT configurator)', {
    'configurator.py': 'import sys\nfor arg in sys.argv[1:]:\n    key, val = arg.split("=")\n    globals()[key[2:]] = val\n',
  }, 'present'],
  ['configuration.overrides', 'commander in TS', { 'src/cli.ts': "import { Command } from 'commander';\nconst program = new Command();\n" }, 'present'],
  ['configuration.overrides', 'a benchmark script parsing argv is not app configuration', { 'bench/run.ts': "import { parseArgs } from 'node:util';\nparseArgs({ args: process.argv });\n" }, 'absent'],
  ['configuration.overrides', 'nothing parses the command line', { 'train.py': 'lr = 0.001\n' }, 'absent'],

  ['configuration.hierarchy', 'OmegaConf.merge of schema, file and CLI', { 'cfg.py': 'from omegaconf import OmegaConf\ncfg = OmegaConf.merge(OmegaConf.structured(Schema), OmegaConf.load(p), OmegaConf.from_cli())\n' }, 'present'],
  ['configuration.hierarchy', 'Hydra defaults list', { 'conf/config.yaml': 'defaults:\n  - model: small\n  - _self_\n' }, 'present'],
  ['configuration.hierarchy', 'config file exec\'d over module defaults (nanoGPT)', { 'configurator.py': 'exec(open(config_file).read())\n' }, 'present'],
  ['configuration.hierarchy', 'a YAML file set as argparse defaults', {
    'cli.py': 'import yaml\ndef parse(parser, path):\n    cfg = yaml.safe_load(open(path))\n    parser.set_defaults(**cfg)\n    return parser.parse_args()\n',
  }, 'present'],
  ['configuration.hierarchy', 'tsconfig extends is not a config hierarchy', { 'tsconfig.json': '{"extends": "./tsconfig.base.json"}\n' }, 'absent'],
  ['configuration.hierarchy', 'generation_kwargs.update next to json.load is not', {
    'gen.py': 'import json\ndef run(args):\n    data = json.load(open(args.data))\n    generation_kwargs.update(args.generation_kwargs)\n',
  }, 'absent'],

  ['configuration.validation', 'a dataclass config', { 'cfg.py': 'from dataclasses import dataclass\n@dataclass\nclass TrainConfig:\n    lr: float = 1e-3\n' }, 'present'],
  ['configuration.validation', 'pydantic settings', { 'settings.py': 'from pydantic_settings import BaseSettings\nclass AppSettings(BaseSettings):\n    port: int = 8000\n' }, 'present'],
  ['configuration.validation', 'a data-record dataclass is not config', { 'rec.py': 'from dataclasses import dataclass\n@dataclass\nclass Example:\n    text: str\n' }, 'absent'],
  ['configuration.validation', 'zod validating a config module', { 'src/config.ts': "import { z } from 'zod';\nexport const Config = z.object({ port: z.number() });\n" }, 'present'],
  ['configuration.validation', 'zod validating a request is not config', { 'src/routes/user.ts': "import { z } from 'zod';\nexport const Body = z.object({ name: z.string() });\n" }, 'absent'],

  ['configuration.sweeps', 'a W&B sweep file', { 'sweep.yaml': 'method: bayes\nparameters:\n  lr:\n    min: 0.0001\n' }, 'present'],
  ['configuration.sweeps', 'optuna', { 'tune.py': 'import optuna\nstudy = optuna.create_study()\n' }, 'present'],
  ['configuration.sweeps', 'no search', { 'configs/base.yaml': 'lr: 0.1\n' }, 'absent'],
  ['configuration.overrides', 'merge_from_args(sys.argv) (minGPT CfgNode)', { 'run.py': 'import sys\nconfig.merge_from_args(sys.argv[1:])\n' }, 'present'],
  ['configuration.hierarchy', 'CLI into dataclass defaults alone is not layered', { 'run.py': 'from transformers import HfArgumentParser\nparser = HfArgumentParser(Args)\nargs = parser.parse_args_into_dataclasses()\n' }, 'absent'],
  ['configuration.hierarchy', 'a YAML --config applied as parser defaults (TRL)', {
    'cli.py': 'import yaml\nclass Parser:\n    def parse(self, path):\n        config = yaml.safe_load(open(path))\n        self.set_defaults_with_config(**config)\n',
  }, 'present'],
];

describe('configuration signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
