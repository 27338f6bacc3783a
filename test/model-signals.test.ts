import { describe, expect, it } from 'vitest';
import { buildRepoIndex } from '../src/facts/index.js';
import type { FileFacts } from '../src/facts/types.js';
import type { Signal } from '../src/model/capability.js';
import {
  checkSignal,
  docstringCoverage,
  evaluateSignal,
  excerptOf,
  matchSignal,
  registerCustomSignal,
  signalKind,
  testFilePolicy,
  type SignalContext,
  type SignalIssue,
} from '../src/model/signals.js';
import { call, cls, def, file, imp } from './model-helpers.js';

/** Evidence as `path:line excerpt` strings. */
function ev(signal: Signal, files: FileFacts[], ctx: SignalContext = {}): string[] {
  return matchSignal(signal, buildRepoIndex(files), ctx).map((e) => `${e.path}:${e.line} ${e.excerpt}`);
}

/** Evidence locations only. */
function at(signal: Signal, files: FileFacts[], ctx: SignalContext = {}): string[] {
  return matchSignal(signal, buildRepoIndex(files), ctx).map((e) => `${e.path}:${e.line}`);
}

describe('signalKind', () => {
  it.each<[Signal, string]>([
    [{ import: 'torch' }, 'import'],
    [{ call: 'x' }, 'call'],
    [{ def: 'x' }, 'def'],
    [{ kind: ['class'] }, 'def'],
    [{ bases: ['A'] }, 'def'],
    [{ file: 'x' }, 'file'],
    [{ configKey: 'x' }, 'configKey'],
    [{ heading: 'x' }, 'heading'],
    [{ name: 'x' }, 'name'],
    [{ assign: 'x' }, 'assign'],
    [{ text: 'x' }, 'text'],
    [{ requirement: 'x' }, 'requirement'],
    [{ all: [{ name: 'x' }], within: 'file' }, 'cooccur'],
    [{ custom: 'x' }, 'custom'],
  ])('%j is %s', (signal, kind) => {
    expect(signalKind(signal)).toBe(kind);
  });

  it('reports signals that cannot compile', () => {
    expect(checkSignal({ def: '(' })).toMatch(/Invalid regular expression/);
    expect(checkSignal({ paths: ['*.py'] } as Signal)).toMatch(/not a signal/);
    expect(checkSignal({ all: [], within: 'scope' })).toMatch(/non-empty/);
    expect(checkSignal({ name: '^ok$' })).toBeUndefined();
  });
});

describe('import signals: segment prefix', () => {
  const files = [
    file('a.py', { imports: [imp('torch', 1), imp('torch.nn', 2, ['functional']), imp('torchmetrics', 3), imp('torchvision.models', 4, ['resnet18'])] }),
    file('b.py', { imports: [imp('peft', 1, ['LoraConfig', 'get_peft_model']), imp('transformers', 2, ['AutoTokenizer', 'AutoModel'])] }),
  ];

  it.each<[Signal, string[]]>([
    [{ import: 'torch' }, ['a.py:1 import torch', 'a.py:2 from torch.nn import functional']],
    [{ import: 'torchmetrics' }, ['a.py:3 import torchmetrics']],
    [{ import: 'torch.nn' }, ['a.py:2 from torch.nn import functional']],
    [{ import: 'torch.nn.functional' }, ['a.py:2 from torch.nn import functional']],
    [{ import: 'peft.LoraConfig' }, ['b.py:1 from peft import LoraConfig, get_peft_model']],
    [{ import: 'peft.PeftModel' }, []],
    [{ import: 'transformers', names: '^AutoTokenizer$' }, ['b.py:2 from transformers import AutoTokenizer, AutoModel']],
    [{ import: 'transformers', names: '^PreTrainedTokenizer' }, []],
    [{ import: ['sentencepiece', 'torchvision'] }, ['a.py:4 from torchvision.models import resnet18']],
    [{ import: 'torch*' }, ['a.py:1 import torch', 'a.py:2 from torch.nn import functional', 'a.py:3 import torchmetrics', 'a.py:4 from torchvision.models import resnet18']],
    [{ import: '**.models' }, ['a.py:4 from torchvision.models import resnet18']],
    [{ import: 'torc' }, []],
  ])('%j', (signal, expected) => {
    expect(ev(signal, files)).toEqual(expected);
  });

  it('a pattern starting with a wildcard checks every import path (module and module.name)', () => {
    const f = [
      file('t.py', {
        imports: [imp('pkg.training', 1, ['loop']), imp('trainer', 2), imp('pkg.strain', 3), imp('pkg', 4, ['train_utils']), imp('pkg', 5, ['*'])],
      }),
      file('t.ts', { imports: [imp('src/train/loop', 1, ['run'], { kind: 'import' }), imp('src/restrain', 2, [], { kind: 'import' })] }),
    ];
    expect(at({ import: ['**.train*', '**/train*'] }, f)).toEqual(['t.py:1', 't.py:2', 't.py:4', 't.ts:1']);
    expect(at({ import: '*.training' }, f)).toEqual(['t.py:1']);
  });

  it('TS/JS specifiers split on "/", node: is ignored, type-only imports never match', () => {
    const ts = [
      file('src/a.ts', {
        imports: [
          imp('@huggingface/transformers', 1, ['AutoTokenizer'], { kind: 'import' }),
          imp('@huggingface/transformers-x', 2, [], { kind: 'import' }),
          imp('tiktoken/lite', 3, ['Tiktoken'], { kind: 'import' }),
          imp('node:fs', 4, ['readFileSync'], { kind: 'import' }),
          imp('zod', 5, ['z'], { kind: 'import', typeOnly: true }),
          imp('yargs', 6, [], { kind: 'require' }),
        ],
      }),
    ];
    expect(ev({ import: '@huggingface/transformers' }, ts)).toEqual(["src/a.ts:1 import { AutoTokenizer } from '@huggingface/transformers'"]);
    expect(ev({ import: 'tiktoken' }, ts)).toEqual(["src/a.ts:3 import { Tiktoken } from 'tiktoken/lite'"]);
    expect(at({ import: 'fs' }, ts)).toEqual(['src/a.ts:4']);
    expect(at({ import: 'node:fs' }, ts)).toEqual(['src/a.ts:4']);
    expect(at({ import: 'zod' }, ts)).toEqual([]);
    expect(ev({ import: 'yargs' }, ts)).toEqual(["src/a.ts:6 require('yargs')"]);
  });

  it('lang filters by language; python includes notebooks', () => {
    const mixed = [file('a.py', { imports: [imp('wandb', 1)] }), file('n.ipynb', { imports: [imp('wandb', 2)] }), file('c.ts', { imports: [imp('wandb', 3, [], { kind: 'import' })] })];
    expect(at({ import: 'wandb', lang: ['python'] }, mixed)).toEqual(['a.py:1', 'n.ipynb:2']);
    expect(at({ import: 'wandb', lang: ['typescript'] }, mixed)).toEqual(['c.ts:3']);
    expect(at({ import: 'wandb' }, mixed)).toEqual(['a.py:1', 'c.ts:3', 'n.ipynb:2']);
  });
});

describe('call signals: segment suffix, receiver, keywords', () => {
  const files = [
    file('train.py', {
      calls: [
        call('torch.nn.utils.clip_grad_norm_', 10, { args: ['model.parameters()'], kwargs: { max_norm: '1.0' } }),
        call('transformers.get_linear_schedule_with_warmup', 11, { args: ['opt'] }),
        call('torch.optim.lr_scheduler.StepLR', 12, { args: ['opt'] }),
        call('transformers.AutoModel.from_pretrained().to', 13, { args: ['device'] }),
        call('self.tokenizer.encode', 14, { args: ['text'] }),
        call('?.encode', 15, { args: ['"utf-8"'] }),
        call('text.encode', 16, { args: ['"utf-8"'] }),
        call('transformers.TrainingArguments', 17, { kwargs: { fp16: 'True', report_to: '"none"' } }),
        call('wandb.init', 18, { kwargs: { mode: '"offline"' } }),
        call('wandb.init', 19, { kwargs: { mode: "'online'" } }),
        call('transformers.AutoTokenizer.from_pretrained', 20, { args: ['name'], kwargs: { use_fast: 'False' } }),
        call('transformers.AutoTokenizer.from_pretrained', 21, { args: ['name'] }),
        call('torch.load', 22, { args: ['path'], kwargs: { weights_only: 'True' } }),
        call('torch.load', 23, { args: ['path'] }),
        call('torch.device', 24, { args: ['"cuda"'] }),
        call('torch.device', 25, { args: ['dev'] }),
        call('backward', 26),
      ],
    }),
  ];

  it.each<[Signal, string[]]>([
    [{ call: 'clip_grad_norm_' }, ['train.py:10 torch.nn.utils.clip_grad_norm_(max_norm=1.0)']],
    [{ call: 'utils.clip_grad_norm_' }, ['train.py:10 torch.nn.utils.clip_grad_norm_(max_norm=1.0)']],
    [{ call: 'torch.nn.utils.clip_grad_norm_' }, ['train.py:10 torch.nn.utils.clip_grad_norm_(max_norm=1.0)']],
    [{ call: 'nn.clip_grad_norm_' }, []],
    [{ call: 'norm_' }, []],
    [{ call: 'get_*_schedule_with_warmup' }, ['train.py:11 transformers.get_linear_schedule_with_warmup(opt)']],
    [{ call: 'torch.optim.lr_scheduler.*' }, ['train.py:12 torch.optim.lr_scheduler.StepLR(opt)']],
    [{ call: 'transformers.**.from_pretrained' }, ['train.py:20 transformers.AutoTokenizer.from_pretrained(use_fast=False)', 'train.py:21 transformers.AutoTokenizer.from_pretrained(name)']],
    [{ call: 'from_pretrained.to' }, ['train.py:13 transformers.AutoModel.from_pretrained().to(device)']],
    [{ call: 'AutoModel.from_pretrained' }, []],
    [{ call: 'encode', receiver: '(^|\\.)(tokenizer|tok|enc|sp|bpe)$' }, ['train.py:14 self.tokenizer.encode(text)']],
    [{ call: 'backward', receiver: '^$' }, ['train.py:26 backward()']],
    [{ call: 'TrainingArguments', kw: ['fp16', 'bf16'] }, ['train.py:17 transformers.TrainingArguments(fp16=True, report_to="none")']],
    [{ call: 'TrainingArguments', kw: ['bf16'] }, []],
    [{ call: 'TrainingArguments', kwValue: { report_to: '^none$' } }, ['train.py:17 transformers.TrainingArguments(fp16=True, report_to="none")']],
    [{ call: 'wandb.init', kwValue: { mode: '^(offline|disabled)$' } }, ['train.py:18 wandb.init(mode="offline")']],
    [{ call: 'wandb.init', kwValue: { mode: 'OFFLINE', project: '.' } }, []],
    [{ call: 'AutoTokenizer.from_pretrained', notKwValue: { use_fast: '^false$' } }, ['train.py:21 transformers.AutoTokenizer.from_pretrained(name)']],
    [{ call: 'torch.load', withoutKw: ['weights_only'] }, ['train.py:23 torch.load(path)']],
    [{ call: 'torch.device', arg0: '^["\']cuda' }, ['train.py:24 torch.device("cuda")']],
    [{ call: 'torch.device', arg0: '^[a-z_]\\w*$' }, ['train.py:25 torch.device(dev)']],
    [{ call: '**', kw: ['fp16'] }, ['train.py:17 transformers.TrainingArguments(fp16=True, report_to="none")']],
    [{ call: '**', kwValue: { mode: 'offline' } }, ['train.py:18 wandb.init(mode="offline")']],
    [{ call: 'wandb.*', kw: ['mode'] }, ['train.py:18 wandb.init(mode="offline")', "train.py:19 wandb.init(mode='online')"]],
    [{ call: 'nothing.*', kw: ['mode'] }, []],
    [{ call: 'lr_scheduler.*' }, ['train.py:12 torch.optim.lr_scheduler.StepLR(opt)']],
    [{ call: 'optim.**' }, ['train.py:12 torch.optim.lr_scheduler.StepLR(opt)']],
    [{ call: 'AutoModel.**' }, ['train.py:13 transformers.AutoModel.from_pretrained().to(device)']],
    [{ call: 'utils.*' }, ['train.py:10 torch.nn.utils.clip_grad_norm_(max_norm=1.0)']],
    [{ call: 'nn.*' }, []],
    [{ call: '**', arg0: '^"cuda"$' }, ['train.py:24 torch.device("cuda")']],
    [{ call: '*', arg0: '^"cuda"$' }, ['train.py:24 torch.device("cuda")']],
    [
      { call: '**', receiver: 'tokenizer$' },
      [
        'train.py:14 self.tokenizer.encode(text)',
        'train.py:20 transformers.AutoTokenizer.from_pretrained(use_fast=False)',
        'train.py:21 transformers.AutoTokenizer.from_pretrained(name)',
      ],
    ],
    [{ call: 'torch.*', arg0: '^"' }, ['train.py:24 torch.device("cuda")']],
    [{ call: 'wandb.*', arg0: '^"' }, []],
  ])('%j', (signal, expected) => {
    expect(ev(signal, files)).toEqual(expected);
  });

  it('plain str.encode("utf-8") is not tokenizer encoding: a literal receiver is "?"', () => {
    const s: Signal = { call: 'encode', receiver: '(^|\\.)(tokenizer|tok|enc|sp|bpe)$' };
    expect(at(s, files)).not.toContain('train.py:15');
    expect(at(s, files)).not.toContain('train.py:16');
    // without a receiver constraint every encode matches, the literal one included
    expect(at({ call: 'encode' }, files)).toEqual(['train.py:14', 'train.py:15', 'train.py:16']);
  });

  it('dotted patterns are case-sensitive while regexes are not', () => {
    expect(at({ call: 'Clip_Grad_Norm_' }, files)).toEqual([]);
    expect(at({ call: 'encode', receiver: 'TOKENIZER' }, files)).toEqual(['train.py:14']);
  });

  it('TS keyword arguments show as an object literal', () => {
    const ts = [file('a.ts', { calls: [call('express', 1), call('pino', 2, { kwargs: { level: "'info'" } })] })];
    expect(ev({ call: 'pino' }, ts)).toEqual(["a.ts:2 pino({ level: 'info' })"]);
  });
});

describe('definition signals', () => {
  const files = [
    file('m.py', {
      definitions: [
        def('build_model', 1, { endLine: 5 }),
        cls('Net', 7, 20, { bases: ['torch.nn.Module'] }),
        cls('Blocks', 22, 30, { bases: ['torch.nn.ModuleList'] }),
        def('main', 32, { decorators: ['hydra.main'] }),
        def('Options', 40, { kind: 'interface' }),
        def('fit', 8, { parent: 'Net', async: true }),
      ],
    }),
    file('m.ts', { definitions: [def('createModel', 1, { exported: true }), cls('Tok', 3, 9, { bases: ['Base'] }), def('encode', 4, { parent: 'Tok' })] }),
  ];

  it.each<[Signal, string[]]>([
    [{ def: '^build_model$' }, ['m.py:1 def build_model']],
    [{ def: '^BUILD_MODEL$' }, ['m.py:1 def build_model']],
    [{ def: 'model', kind: ['function'] }, ['m.py:1 def build_model', 'm.ts:1 function createModel']],
    [{ kind: ['class'], bases: ['nn.Module'] }, ['m.py:7 class Net(torch.nn.Module)']],
    [{ bases: ['Module'] }, ['m.py:7 class Net(torch.nn.Module)']],
    [{ bases: ['torch.nn.*'] }, ['m.py:7 class Net(torch.nn.Module)', 'm.py:22 class Blocks(torch.nn.ModuleList)']],
    [{ decorators: ['hydra.main'] }, ['m.py:32 @hydra.main def main']],
    [{ decorators: ['main'] }, ['m.py:32 @hydra.main def main']],
    [{ decorators: ['hydra.*'] }, ['m.py:32 @hydra.main def main']],
    [{ bases: ['torch.**'] }, ['m.py:7 class Net(torch.nn.Module)', 'm.py:22 class Blocks(torch.nn.ModuleList)']],
    [{ bases: ['nn.*'], def: 'net' }, ['m.py:7 class Net(torch.nn.Module)']],
    [{ kind: ['interface'] }, ['m.py:40 interface Options']],
    [{ def: '^fit$' }, ['m.py:8 async def fit']],
    [{ def: 'tok', kind: ['class'] }, ['m.ts:3 class Tok extends Base']],
    [{ def: '^encode$' }, ['m.ts:4 Tok.encode()']],
  ])('%j', (signal, expected) => {
    expect(ev(signal, files)).toEqual(expected);
  });
});

describe('file, configKey, heading, name, assign, requirement signals', () => {
  const files = [
    file('poetry.lock'),
    file('.github/workflows/ci.yml', { configKeys: [{ key: 'jobs.test.steps.[].run', line: 9, value: 'pytest' }] }),
    file('conf/train.yaml', {
      configKeys: [
        { key: 'training.optimizer.lr', line: 3, value: '0.001' },
        { key: 'logging.mode', line: 5, value: '"offline"' },
        { key: 'defaults', line: 1 },
      ],
    }),
    file('README.md', { headings: [{ level: 2, text: 'Installation', line: 4 }, { level: 1, text: 'Project', line: 1 }] }),
    file('tok.py', {
      names: [{ name: 'vocab_size', line: 3, scope: 'Tok' }, { name: 'pad_token_id', line: 4, scope: '' }],
      assignments: [
        { target: 'torch.backends.cudnn.deterministic', line: 6, value: 'True', valueKind: 'bool', scope: '' },
        { target: 'torch.backends.cudnn.benchmark', line: 7, value: 'False', valueKind: 'bool', scope: '' },
        { target: 'os.environ[WANDB_MODE]', line: 8, value: '"offline"', valueKind: 'string', scope: '' },
        { target: 'MODEL_REGISTRY', line: 9, value: '{}', valueKind: 'dict', scope: '' },
      ],
    }),
    file('requirements.txt', {
      requirements: [
        { name: 'wandb', spec: '==0.16.0', pinned: true, line: 1 },
        { name: 'detect_secrets', spec: '', pinned: false, line: 2 },
      ],
    }),
  ];

  it.each<[Signal, string[]]>([
    [{ file: 'poetry.lock' }, ['poetry.lock:1 poetry.lock']],
    [{ file: ['uv.lock', '*.lock'] }, ['poetry.lock:1 poetry.lock']],
    [{ file: '.github/workflows/*' }, ['.github/workflows/ci.yml:1 .github/workflows/ci.yml']],
    [{ file: '*.yaml', notPaths: ['.github/'] }, ['conf/train.yaml:1 conf/train.yaml']],
    [{ file: '*.{yaml,yml}', paths: ['conf/**'] }, ['conf/train.yaml:1 conf/train.yaml']],
    [{ configKey: '^training\\.optimizer\\.lr$' }, ['conf/train.yaml:3 training.optimizer.lr=0.001']],
    [{ configKey: 'mode$', value: '^offline$' }, ['conf/train.yaml:5 logging.mode="offline"']],
    [{ configKey: '^defaults$' }, ['conf/train.yaml:1 defaults']],
    [{ configKey: '^defaults$', value: '.' }, []],
    [{ heading: 'install|quick ?start|usage' }, ['README.md:4 ## Installation']],
    [{ name: '^vocab_size$' }, ['tok.py:3 vocab_size']],
    [{ name: 'PAD_TOKEN' }, ['tok.py:4 pad_token_id']],
    [{ assign: 'cudnn.deterministic', value: '^true$' }, ['tok.py:6 torch.backends.cudnn.deterministic = True']],
    [{ assign: 'cudnn.benchmark', value: '^true$' }, []],
    [{ assign: 'os.environ[WANDB_MODE]', value: '^offline$' }, ['tok.py:8 os.environ[WANDB_MODE] = "offline"']],
    [{ assign: 'environ[*]' }, ['tok.py:8 os.environ[WANDB_MODE] = "offline"']],
    [{ assign: 'cudnn.*' }, ['tok.py:6 torch.backends.cudnn.deterministic = True', 'tok.py:7 torch.backends.cudnn.benchmark = False']],
    [{ assign: 'torch.**', value: '^false$' }, ['tok.py:7 torch.backends.cudnn.benchmark = False']],
    [{ assign: 'backends.*' }, []],
    [{ assign: '*', value: '^offline$' }, ['tok.py:8 os.environ[WANDB_MODE] = "offline"']],
    [{ assign: '**', value: 'true', valueKind: ['bool'] }, ['tok.py:6 torch.backends.cudnn.deterministic = True']],
    [{ configKey: '.', value: '^offline$' }, ['conf/train.yaml:5 logging.mode="offline"']],
    [{ configKey: '^x', value: '^offline$' }, []],
    [{ assign: '*_REGISTRY', valueKind: ['dict'] }, ['tok.py:9 MODEL_REGISTRY = {}']],
    [{ assign: '*_REGISTRY', valueKind: ['list'] }, []],
    [{ requirement: '^wandb$' }, ['requirements.txt:1 wandb ==0.16.0']],
    [{ requirement: '^detect-secrets$' }, ['requirements.txt:2 detect_secrets']],
  ])('%j', (signal, expected) => {
    expect(ev(signal, files)).toEqual(expected);
  });

  it('a requirement is a declared dependency: weak unless `counts`', () => {
    const index = buildRepoIndex(files);
    expect(evaluateSignal({ requirement: 'wandb' }, index).weak).toBe(true);
    expect(evaluateSignal({ requirement: 'wandb', counts: true }, index).weak).toBe(false);
    expect(evaluateSignal({ import: 'wandb' }, index).weak).toBe(false);
  });
});

describe('text signals', () => {
  const tm = (pattern: string, line: number, excerpt: string) => ({ pattern, line, excerpt });
  const files = [
    file('a.py', { textMatches: [tm('WANDB_MODE', 3, 'WANDB_MODE'), tm('other', 4, 'other')] }),
    file('NOTES.md', { textMatches: [tm('WANDB_MODE', 2, 'WANDB_MODE')] }),
    file('b.py'),
  ];

  it('reads the parse-time matches of the exact pattern; prose never counts', () => {
    expect(ev({ text: 'WANDB_MODE' }, files)).toEqual(['a.py:3 WANDB_MODE']);
    expect(ev({ text: 'wandb_mode' }, files)).toEqual([]);
  });

  it('uses a file text the pipeline supplies (whole line as excerpt)', () => {
    const sources: Record<string, string> = { 'b.py': 'import os\nos.environ["WANDB_MODE"] = "offline"  # x\n\nwandb_mode = 1\n' };
    const ctx: SignalContext = { sourceText: (p) => sources[p] };
    expect(ev({ text: 'WANDB_MODE' }, files, ctx)).toEqual(['a.py:3 WANDB_MODE', 'b.py:2 os.environ["WANDB_MODE"] = "offline" # x', 'b.py:4 wandb_mode = 1']);
  });
});

describe('cooccurrence', () => {
  const backwardAndStep: Signal = {
    all: [{ call: 'backward' }, { call: 'step', receiver: 'optim' }],
    within: 'scope',
  };

  it('matches at module top level (a training script)', () => {
    const f = file('train.py', { calls: [call('loss.backward', 10), call('optimizer.step', 11), call('print', 12)] });
    expect(ev(backwardAndStep, [f])).toEqual(['train.py:10 loss.backward()', 'train.py:11 optimizer.step()']);
  });

  it('does not match when split across two functions, but does within one file', () => {
    const f = file('train.py', {
      definitions: [def('a', 1, { endLine: 5 }), def('b', 6, { endLine: 9 })],
      calls: [call('loss.backward', 2, { scope: 'a' }), call('optimizer.step', 7, { scope: 'b' })],
    });
    expect(at(backwardAndStep, [f])).toEqual([]);
    expect(at({ ...backwardAndStep, within: 'file' }, [f])).toEqual(['train.py:2', 'train.py:7']);
  });

  it('a top-level call and a call inside a function are not in one scope', () => {
    const f = file('train.py', { calls: [call('loss.backward', 2, { scope: 'train' }), call('optimizer.step', 7)] });
    expect(at(backwardAndStep, [f])).toEqual([]);
  });

  it('one class holds its methods; one function holds its inner functions', () => {
    const inClass = file('lit.py', { calls: [call('loss.backward', 3, { scope: 'Model.training_step' }), call('self.optim.step', 8, { scope: 'Model.optimizer_step' })] });
    const inFn = file('loop.py', { calls: [call('loss.backward', 3, { scope: 'train.closure' }), call('optimizer.step', 6, { scope: 'train' })] });
    expect(at(backwardAndStep, [inClass])).toEqual(['lit.py:3', 'lit.py:8']);
    expect(at(backwardAndStep, [inFn])).toEqual(['loop.py:3', 'loop.py:6']);
  });

  it('never across files', () => {
    const a = file('a.py', { calls: [call('loss.backward', 1)] });
    const b = file('b.py', { calls: [call('optimizer.step', 1)] });
    expect(at(backwardAndStep, [a, b])).toEqual([]);
    expect(at({ ...backwardAndStep, within: 'file' }, [a, b])).toEqual([]);
  });

  it('definitions belong to the scope that declares them (encode and decode of one class)', () => {
    const s: Signal = { all: [{ def: '^encode$' }, { def: '^decode$' }], within: 'scope' };
    const tok = file('tok.py', { definitions: [cls('Tok', 1, 9), def('encode', 2, { parent: 'Tok' }), def('decode', 5, { parent: 'Tok' })] });
    const split = file('two.py', { definitions: [cls('A', 1, 3), def('encode', 2, { parent: 'A' }), cls('B', 4, 6), def('decode', 5, { parent: 'B' })] });
    expect(at(s, [tok, split])).toEqual(['tok.py:2', 'tok.py:5']);
  });

  it('facts without a scope take the definition around their line', () => {
    const s: Signal = { all: [{ import: 'wandb' }, { call: 'wandb.init' }], within: 'scope' };
    const inside = file('a.py', { definitions: [def('setup', 1, { endLine: 5 })], imports: [imp('wandb', 2)], calls: [call('wandb.init', 3, { scope: 'setup' })] });
    const apart = file('b.py', { definitions: [def('setup', 3, { endLine: 5 })], imports: [imp('wandb', 1)], calls: [call('wandb.init', 4, { scope: 'setup' })] });
    expect(at(s, [inside, apart])).toEqual(['a.py:2', 'a.py:3']);
  });

  it('the outer filters apply to every inner match', () => {
    const f = file('tests/test_loop.py', { calls: [call('loss.backward', 1), call('optimizer.step', 2)] });
    expect(at(backwardAndStep, [f])).toEqual([]);
    expect(at(backwardAndStep, [f], { subfeature: 'training.tests' })).toEqual(['tests/test_loop.py:1', 'tests/test_loop.py:2']);
    expect(at({ ...backwardAndStep, notPaths: ['tests/'] }, [f], { subfeature: 'training.tests' })).toEqual([]);
  });
});

describe('which files count', () => {
  const files = [
    file('src/train.py', { calls: [call('wandb.init', 1)] }),
    file('tests/test_train.py', { calls: [call('wandb.init', 2)] }),
    file('vendor/lib/train.py', { calls: [call('wandb.init', 3)] }),
    file('examples/run.py', { calls: [call('wandb.init', 4)] }),
    file('docs/guide.md', { headings: [{ level: 2, text: 'Quick start', line: 5 }], names: [{ name: 'wandb', line: 6, scope: '' }] }),
  ];

  it.each([
    [undefined, 'exclude'],
    ['training.loop', 'exclude'],
    ['training.tests', 'only'],
    ['ci_tests.suite', 'include'],
    ['ci_tests.tests', 'only'],
  ])('testFilePolicy(%s) = %s', (id, policy) => {
    expect(testFilePolicy(id)).toBe(policy);
  });

  it.each<[SignalContext, string[]]>([
    [{}, ['examples/run.py:4', 'src/train.py:1']],
    [{ subfeature: 'logging.backend' }, ['examples/run.py:4', 'src/train.py:1']],
    [{ subfeature: 'logging.tests' }, ['tests/test_train.py:2']],
    [{ subfeature: 'ci_tests.offline_markers' }, ['examples/run.py:4', 'src/train.py:1', 'tests/test_train.py:2']],
    [{ subfeature: 'logging.backend', testFiles: 'include' }, ['examples/run.py:4', 'src/train.py:1', 'tests/test_train.py:2']],
  ])('test files and vendored copies: %j', (ctx, expected) => {
    expect(at({ call: 'wandb.init' }, files, ctx)).toEqual(expected);
  });

  it('prose counts only for heading and file signals', () => {
    expect(at({ heading: 'quick start' }, files)).toEqual(['docs/guide.md:5']);
    expect(at({ file: 'guide.md' }, files)).toEqual(['docs/guide.md:1']);
    expect(at({ name: 'wandb' }, files)).toEqual([]);
  });

  it('vendored files never count, not even for file signals or ci_tests', () => {
    expect(at({ file: 'train.py' }, files, { subfeature: 'ci_tests.suite' })).toEqual(['src/train.py:1']);
    expect(at({ file: '*train.py' }, files, { subfeature: 'ci_tests.suite' })).toEqual(['src/train.py:1', 'tests/test_train.py:1']);
    expect(at({ file: 'vendor/**' }, files, { subfeature: 'ci_tests.suite' })).toEqual([]);
  });
});

describe('custom signals', () => {
  const files = [file('src/a.py'), file('tests/test_a.py'), file('vendor/v.py')];

  it('looks up a registered detector; its evidence passes the common filters', () => {
    registerCustomSignal('everyFile', (index) => index.files.map((f) => ({ path: f.path, line: 2, excerpt: `seen ${f.path}` })));
    expect(ev({ custom: 'everyFile' }, files)).toEqual(['src/a.py:2 seen src/a.py']);
    expect(ev({ custom: 'everyFile' }, files, { subfeature: 'data.tests' })).toEqual(['tests/test_a.py:2 seen tests/test_a.py']);
    expect(at({ custom: 'everyFile', notPaths: ['src/**'] }, files)).toEqual([]);
  });

  it('ctx.customSignals take precedence; a note comes back with the outcome', () => {
    const index = buildRepoIndex(files);
    const out = evaluateSignal({ custom: 'everyFile' }, index, {
      customSignals: { everyFile: () => ({ evidence: [{ path: 'src/a.py', line: 9, excerpt: 'mine' }], note: '42%' }) },
    });
    expect(out.evidence).toEqual([{ path: 'src/a.py', line: 9, excerpt: 'mine' }]);
    expect(out.notes).toEqual(['42%']);
  });

  it('problems are reported to onIssue (or thrown without a handler)', () => {
    const issues: SignalIssue[] = [];
    const onIssue = (i: SignalIssue) => issues.push(i);
    expect(matchSignal({ custom: 'noSuchDetector' }, buildRepoIndex(files), { onIssue, subfeature: 'x.y' })).toEqual([]);
    expect(matchSignal({ custom: 'boom' }, buildRepoIndex(files), { onIssue, customSignals: { boom: () => { throw new Error('bad'); } } })).toEqual([]);
    expect(matchSignal({ name: '(' }, buildRepoIndex(files), { onIssue })).toEqual([]);
    expect(issues.map((i) => i.message)).toEqual([
      'unknown custom detector "noSuchDetector"',
      'custom detector "boom" failed: bad',
      expect.stringMatching(/Invalid regular expression/),
    ]);
    expect(issues[0].subfeature).toBe('x.y');
    expect(() => matchSignal({ custom: 'noSuchDetector' }, buildRepoIndex(files))).toThrow(/unknown custom detector/);
  });
});

describe('docstring coverage', () => {
  it.each<[string, FileFacts[], number, string]>([
    [
      'counts public top-level Python functions and classes only (evidence: the first documented one per file)',
      [
        file('pkg/a.py', {
          definitions: [
            def('load', 1, { docstring: true }),
            def('_private', 3),
            cls('Model', 5, 9, { docstring: true }),
            def('forward', 6, { parent: 'Model' }),
            def('save', 10),
          ],
        }),
      ],
      1,
      '67% of public top-level functions and classes have docstrings (2 of 3)',
    ],
    [
      'below half: no evidence, the note keeps the measure',
      [file('pkg/a.py', { definitions: [def('a', 1, { docstring: true }), def('b', 2), def('c', 3)] })],
      0,
      '33% of public top-level functions and classes have docstrings (1 of 3)',
    ],
    [
      'exactly half is enough',
      [file('pkg/a.py', { definitions: [def('a', 1, { docstring: true }), def('b', 2)] })],
      1,
      '50% of public top-level functions and classes have docstrings (1 of 2)',
    ],
    [
      'tests, examples, vendored and notebooks are left out; TS counts exported declarations',
      [
        file('tests/test_a.py', { definitions: [def('t', 1)] }),
        file('examples/e.py', { definitions: [def('e', 1)] }),
        file('vendor/v.py', { definitions: [def('v', 1)] }),
        file('n.ipynb', { definitions: [def('n', 1)] }),
        file('src/x.ts', { definitions: [def('run', 1, { exported: true, docstring: true }), def('local', 3, { exported: false }), cls('Api', 5, 9, { exported: true })] }),
      ],
      1,
      '50% of public top-level functions and classes have docstrings (1 of 2)',
    ],
    ['nothing to measure', [file('README.md')], 0, 'no public top-level functions or classes in source files'],
  ])('%s', (_name, files, evidenceCount, note) => {
    const out = docstringCoverage(buildRepoIndex(files));
    expect(out.evidence.length).toBe(evidenceCount);
    expect(out.note).toBe(note);
  });

  it('is registered as the custom signal docstringCoverage', () => {
    const out = evaluateSignal({ custom: 'docstringCoverage' }, buildRepoIndex([file('a.py', { definitions: [def('f', 4, { docstring: true })] })]));
    expect(out.evidence).toEqual([{ path: 'a.py', line: 4, excerpt: 'def f' }]);
    expect(out.notes).toEqual(['100% of public top-level functions and classes have docstrings (1 of 1)']);
  });
});

describe('evidence shape', () => {
  it('is sorted by path then line, one per location', () => {
    const files = [file('b.py', { calls: [call('torch.save', 5), call('torch.save', 2)] }), file('a.py', { calls: [call('torch.save', 9)] })];
    expect(at({ call: ['torch.save', 'save'] }, files)).toEqual(['a.py:9', 'b.py:2', 'b.py:5']);
  });

  it('excerpts are one line of at most 160 characters with secrets masked', () => {
    const long = excerptOf(`f(${'x'.repeat(300)})`);
    expect(long.length).toBe(160);
    expect(long.endsWith('…')).toBe(true);
    expect(excerptOf('a\n   b')).toBe('a b');
    expect(excerptOf('client(key="AKIAABCDEFGHIJKLMNOP")')).not.toContain('ABCDEFGHIJKLMNOP');
    expect(excerptOf('login(api_key="supersecretvalue")')).toBe('login(api_key="su****")');
    expect(excerptOf('ghp_abcdefghijklmnopqrstuvwxyz0123')).toBe('ghp_****');
  });
});
