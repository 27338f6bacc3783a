import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

const HF_TOKENIZER = `
  from transformers import AutoTokenizer
  tokenizer = AutoTokenizer.from_pretrained(args.model)
  batch = tokenizer(texts, padding="max_length", truncation=True, max_length=512)
  print(tokenizer.batch_decode(out))
`;

const rows: Row[] = [
  ['tokenization.component', 'HF AutoTokenizer', { 'train.py': HF_TOKENIZER }, 'present'],
  ['tokenization.component', 'tiktoken', { 'prepare.py': 'import tiktoken\nenc = tiktoken.get_encoding("gpt2")\n' }, 'present'],
  ['tokenization.component', 'own BPE tokenizer class', { 'tok.py': 'class BPETokenizer:\n    def encode(self, s):\n        return [1]\n' }, 'present'],
  ['tokenization.component', 'char-level encode/decode over stoi/itos', {
    'prepare.py': `
      chars = sorted(set(data))
      stoi = {ch: i for i, ch in enumerate(chars)}
      itos = {i: ch for i, ch in enumerate(chars)}
      def encode(s):
          return [stoi[c] for c in s]
      def decode(l):
          return ''.join(itos[i] for i in l)
    `,
  }, 'present'],
  ['tokenization.component', 'a declared dependency is not a tokenizer', { 'requirements.txt': 'tokenizers==0.19.1\n', 'README.md': '# Uses tiktoken\n' }, 'absent'],
  ['tokenization.component', 'a config class named TokenizerConfig is not one', { 'cfg.py': 'class TokenizerConfig:\n    name = "gpt2"\n' }, 'absent'],
  ['tokenization.component', 'a stub tokenizer is stubbed', { 'tok.py': 'class Tokenizer:\n    def encode(self, s):\n        raise NotImplementedError\n    def decode(self, ids):\n        raise NotImplementedError\n' }, 'stubbed'],

  ['tokenization.encode_decode', 'tokenizer call and batch_decode', { 'train.py': HF_TOKENIZER }, 'present'],
  ['tokenization.encode_decode', 'tiktoken enc.encode and enc.decode across files', {
    'prepare.py': 'import tiktoken\nenc = tiktoken.get_encoding("gpt2")\nids = enc.encode_ordinary(text)\n',
    'sample.py': 'import tiktoken\nenc = tiktoken.get_encoding("gpt2")\nprint(enc.decode(y[0].tolist()))\n',
  }, 'present'],
  ['tokenization.encode_decode', 'str.encode("utf-8") is not tokenization', { 'io.py': 'data = text.encode("utf-8")\nback = data.decode("utf-8")\n' }, 'absent'],
  ['tokenization.encode_decode', 'one direction only is not both', { 'prep.py': 'ids = tokenizer.encode(text)\n' }, 'absent'],
  ['tokenization.encode_decode', 'a codec class is not a tokenizer', { 'codec.py': 'class Base64Codec:\n    def encode(self, b):\n        return b\n    def decode(self, s):\n        return s\n' }, 'absent'],
  ['tokenization.encode_decode', 'a VAE encode/decode is not tokenization', {
    'vae.py': 'import torch\nclass AutoencoderKL(torch.nn.Module):\n    def encode(self, x):\n        return self.enc(x)\n    def decode(self, z):\n        return self.dec(z)\n',
  }, 'absent'],
  ['tokenization.encode_decode', 'TS tokenizer.encode/decode', { 'src/tok.ts': "const ids = tokenizer.encode(text);\nconst s = tokenizer.decode(ids);\n" }, 'present'],

  ['tokenization.fast_path', 'AutoTokenizer loads the fast tokenizer', { 'train.py': HF_TOKENIZER }, 'present'],
  ['tokenization.fast_path', 'use_fast=False opts out', { 't.py': 'from transformers import AutoTokenizer\ntok = AutoTokenizer.from_pretrained(name, use_fast=False)\n' }, 'absent'],

  ['tokenization.vocab', 'vocabulary files', { 'assets/vocab.json': '{"a": 0}\n', 'assets/merges.txt': '#version: 0.2\na b\n' }, 'present'],
  ['tokenization.vocab', 'vocab_size in the model config', { 'model.py': 'class GPTConfig:\n    vocab_size: int = 50304\n' }, 'present'],

  ['tokenization.padding_truncation', 'padding/truncation on the tokenizer call', { 'train.py': HF_TOKENIZER }, 'present'],
  ['tokenization.padding_truncation', 'pad_token and padding_side', { 't.py': 'tokenizer.pad_token_id = 0\ntokenizer.padding_side = "left"\n' }, 'present'],
  ['tokenization.padding_truncation', 'max_length on generate is not tokenizer padding', { 'gen.py': 'out = model.generate(ids, max_length=64)\n' }, 'absent'],
  ['tokenization.padding_truncation', 'a string pad helper in TS is not', { 'src/fmt.ts': 'export function pad(s: string) { return s.padStart(4); }\n' }, 'absent'],

  ['tokenization.tests', 'a round-trip test', { 'tests/test_tokenizer.py': 'def test_round_trip(tok):\n    assert tok.decode(tok.encode("hi")) == "hi"\n' }, 'present'],
  ['tokenization.tests', 'encode/decode in source only is not a test', { 'train.py': HF_TOKENIZER }, 'absent'],
  ['tokenization.tests', 'a codec round-trip test in a TS library is not a tokenizer test', { 'src/codec.test.ts': 'test("codec round trip", () => { expect(z.decode(z.encode(1))).toBe(1); });\n' }, 'absent'],
];

describe('tokenization signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
