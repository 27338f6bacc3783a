import type { CapabilityDef, Signal } from '../../model/capability.js';
import type { RepoIndex } from '../../facts/index.js';
import { FILE_TEST, FILE_VENDORED } from '../../facts/index.js';
import type { DefinitionFact, FileFacts } from '../../facts/types.js';
import { columnsOf } from '../../facts/compact.js';
import { registerCustomSignal, testFilePolicy, type SignalContext } from '../../model/signals.js';
import type { Evidence } from '../../model/types.js';
import { declareFactUse } from '../../model/fact-use.js';

/**
 * Tokenization: a tokenizer exists, encodes and decodes, uses a native fast path, ships or versions a
 * vocabulary, applies a padding/truncation policy, and has a round-trip test.
 * `str.encode("utf-8")` is never evidence: encode/decode calls count only on a receiver named like a
 * tokenizer (`tokenizer`, `tok`, `enc`, `sp`, `bpe`, `processor`).
 */

/** Receivers of `.encode(`/`.decode(` that name a tokenizer (regex on everything before the method). */
export const TOKENIZER_RECEIVER =
  '(^|\\.)(\\w*tokeni[sz]er\\w*|tok|enc|sp|spm|sp_model|bpe|processor|tknzr)$|(get_encoding|encoding_for_model)\\(\\)$|(^|[./])(gpt-tokenizer|gpt-3-encoder|gpt3-tokenizer|js-tiktoken|tiktoken|@dqbd/tiktoken|llama-tokenizer-js|@anthropic-ai/tokenizer)(/[\\w/.-]*)?$';

const ENCODE_METHODS = new Set([
  'encode',
  'encode_ordinary',
  'encode_batch',
  'encode_ordinary_batch',
  'encode_plus',
  'batch_encode_plus',
  'convert_tokens_to_ids',
  'apply_chat_template',
  'EncodeAsIds',
  'EncodeAsPieces',
  'encode_as_ids',
  'encode_as_pieces',
  'tokenize',
]);
const DECODE_METHODS = new Set([
  'decode',
  'decode_batch',
  'batch_decode',
  'convert_ids_to_tokens',
  'convert_tokens_to_string',
  'decode_single_token_bytes',
  'DecodeIds',
  'DecodePieces',
  'decode_ids',
  'decode_pieces',
]);

// ---- tokenization.component ------------------------------------------------------------------

const COMPONENT_IMPORTS: Signal = {
  import: ['tokenizers', 'sentencepiece', 'tiktoken', 'js-tiktoken', 'gpt-tokenizer', '@dqbd/tiktoken', 'gpt-3-encoder', 'llama-tokenizer-js', 'nltk.tokenize'],
  note: 'a tokenizer library imported in code',
};
const COMPONENT_TRANSFORMERS: Signal = {
  import: ['transformers', '@huggingface/transformers', '@xenova/transformers'],
  names: 'Tokeni[sz]er',
  note: 'a transformers tokenizer class imported',
};
const COMPONENT_CALLS: Signal = {
  call: [
    '*Tokenizer.from_pretrained',
    '*TokenizerFast.from_pretrained',
    'tiktoken.get_encoding',
    'tiktoken.encoding_for_model',
    '*tiktoken*.get_encoding',
    '*tiktoken*.encoding_for_model',
    'SentencePieceProcessor',
    'SentencePieceTrainer.train',
    'preprocessing.text.Tokenizer',
    'TextVectorization',
    'nltk.word_tokenize',
  ],
  note: 'a tokenizer is loaded or built',
};
const COMPONENT_CLASS: Signal = {
  def: '^(?!.*(config|args|arguments|error|exception|test|mixin)$).*tokeni[sz]er',
  kind: ['class'],
  note: 'a tokenizer class defined in the repository',
};
const COMPONENT_FACTORY_DEFS: Signal = {
  def: '^(build|get|load|create|make|init|setup|train)_tokeni[sz]er$',
  kind: ['function', 'method'],
};
const COMPONENT_TOKENIZE_DEF: Signal = {
  def: '^(tokenize|bpe|get_pairs|bytes_to_unicode|train_bpe|bpe_merge|merge_pairs?)$',
  kind: ['function', 'method'],
  lang: ['python'],
  note: 'tokenize / BPE merge code',
};
const COMPONENT_OWN: Signal = { custom: 'tokenization.ownTokenizer', note: 'encode/decode pair defined over a vocabulary' };

// ---- tokenization.encode_decode --------------------------------------------------------------

const ENCODE_DECODE: Signal = {
  custom: 'tokenization.encodeDecode',
  note: 'both directions: encode-side and decode-side tokenizer calls, or an encode/decode pair on a tokenizer',
};

// ---- tokenization.fast_path ------------------------------------------------------------------

const FAST_IMPORTS: Signal = { import: ['tokenizers', 'tiktoken', 'sentencepiece', '@dqbd/tiktoken'] };
const FAST_NAMES: Signal = { import: ['transformers'], names: 'TokenizerFast$' };
const FAST_AUTO: Signal = {
  call: ['AutoTokenizer.from_pretrained', '*TokenizerFast.from_pretrained'],
  notKwValue: { use_fast: '^False$' },
  note: 'AutoTokenizer loads the Rust tokenizer unless use_fast=False',
};
const FAST_CLASS: Signal = { bases: ['PreTrainedTokenizerFast'] };

// ---- tokenization.vocab ----------------------------------------------------------------------

const VOCAB_FILES: Signal = {
  file: ['vocab.json', 'vocab.txt', 'merges.txt', 'tokenizer.json', 'tokenizer.model', '*.spm', 'spiece.model', 'encoder.json', 'vocab.bpe', '*.tiktoken', 'tokenizer_config.json', 'sentencepiece.bpe.model'],
  note: 'a vocabulary artifact',
};
const VOCAB_NAMES: Signal = {
  name: '^(vocab_size|n_vocab|get_vocab|save_vocabulary|vocab_file|vocab_files_names|vocab_hash|vocab_version|vocab_path)$',
  lang: ['python', 'typescript', 'javascript'],
};
const VOCAB_KW: Signal = { call: '**', kw: ['vocab_size', 'vocab_file'] };
const VOCAB_CONFIG: Signal = { configKey: '(^|\\.)(vocab_size|vocab_file|tokenizer_name|tokenizer_path)$' };

// ---- tokenization.padding_truncation ---------------------------------------------------------

const PAD_ON_TOKENIZER: Signal = {
  call: '**',
  receiver: TOKENIZER_RECEIVER,
  kw: ['padding', 'truncation', 'max_length', 'pad_to_multiple_of'],
  note: 'padding/truncation arguments on a tokenizer method',
};
const PAD_TOKENIZER_CALL: Signal = {
  call: ['*tokenizer*', '*tokeniser*'],
  kw: ['padding', 'truncation', 'max_length', 'pad_to_multiple_of'],
  note: 'padding/truncation arguments on a tokenizer call',
};
const PAD_NAMES: Signal = {
  name: '^(pad_token|pad_token_id|padding_side|truncation_side|model_max_length|pad_id)$',
  lang: ['python', 'typescript', 'javascript'],
};
const PAD_HELPERS: Signal = {
  def: '^_?(pad|truncate|pad_and_truncate)_(sequence|sequences|seq|seqs|tokens|token_ids|ids|input_ids|batch|to_length|to_max_length|to_multiple)$|^_?(left|right)_pad\\w*$|^_?pad_and_truncate$|^collate_pad\\w*$',
  kind: ['function', 'method'],
  lang: ['python'],
  note: 'an own pad/truncate helper',
};
const PAD_METHODS: Signal = { custom: 'tokenization.padMethods', note: 'a pad/truncate method on a tokenizer class' };
const PAD_SEQUENCE: Signal = { call: ['rnn.pad_sequence', 'DataCollatorWithPadding', 'DataCollatorForSeq2Seq', 'enable_padding', 'enable_truncation'] };

// ---- tokenization.tests ----------------------------------------------------------------------

const TEST_ROUND_TRIP: Signal = { custom: 'tokenization.encodeDecode', note: 'a test calling both encode and decode' };
const TEST_DEFS: Signal = {
  def: '^test.*?(^|_)(tokeni[sz]\\w*|encode\\w*|decode\\w*|bpe|vocab\\w*)(_|$)',
  kind: ['function', 'method'],
};
const TEST_CLASS: Signal = { def: '^Test\\w*Tokeni[sz]er', kind: ['class'] };
const TEST_JS: Signal = { call: ['it', 'test', 'describe'], arg0: 'tokeni[sz]', lang: ['typescript', 'javascript'] };

// ---------------------------------------------------------------------------------------------
// Custom detectors

function eligible(index: RepoIndex, ctx: SignalContext): (fi: number) => boolean {
  const policy = testFilePolicy(ctx.subfeature);
  return (fi) => {
    const flags = index.fileFlags(fi);
    if (flags & FILE_VENDORED) return false;
    const test = (flags & FILE_TEST) !== 0;
    return policy === 'only' ? test : policy === 'exclude' ? !test : true;
  };
}

const RECEIVER_RE = new RegExp(TOKENIZER_RECEIVER, 'i');
/** A direct call of a tokenizer object: `tokenizer(texts)`, `self.tokenizer(...)` (not a class, not a factory). */
const TOKENIZER_OBJECT_RE = /^[a-z_]*tokeni[sz]er(_\w+)?$/;
const FACTORY_RE = /^(get|build|load|create|make|init|setup|train)_/;

function callDirection(callee: string): 'encode' | 'decode' | undefined {
  const dot = callee.lastIndexOf('.');
  const last = callee.slice(dot + 1).replace(/\(\)$/, '');
  const receiver = dot < 0 ? '' : callee.slice(0, dot);
  if (TOKENIZER_OBJECT_RE.test(last) && !FACTORY_RE.test(last)) return 'encode';
  if (!receiver || !RECEIVER_RE.test(receiver)) return undefined;
  if (ENCODE_METHODS.has(last)) return 'encode';
  if (DECODE_METHODS.has(last)) return 'decode';
  return undefined;
}

const TOKENIZER_CLASS_RE = /tokeni[sz]er|bpe|vocab|sentencepiece|^encoder$|^codec$/i;
const NN_BASE_RE = /(^|\.)(Module|Layer|Model|LightningModule|PreTrainedModel)$/;
const VOCAB_NAME_RE = /^(stoi|itos|vocab|vocabulary|chars|char_to_idx|idx_to_char|char2idx|idx2char|token_to_id|id_to_token|encoder|decoder|word2idx|idx2word)$/;

/** Encode/decode definition pairs that make a tokenizer: in a tokenizer-like class, or module-level over a vocabulary. */
function ownTokenizerDefs(f: FileFacts): { evidence: DefinitionFact[]; classes: DefinitionFact[] } {
  const evidence: DefinitionFact[] = [];
  const classes: DefinitionFact[] = [];
  const byParent = new Map<string, DefinitionFact[]>();
  for (const d of f.definitions) {
    if (d.kind !== 'function' && d.kind !== 'method') continue;
    const list = byParent.get(d.parent);
    if (list) list.push(d);
    else byParent.set(d.parent, [d]);
  }
  const classByQual = new Map(f.definitions.filter((d) => d.kind === 'class').map((d) => [d.qualName, d]));
  for (const [parent, defs] of byParent) {
    const enc = defs.find((d) => ENCODE_METHODS.has(d.name) && d.name !== 'tokenize');
    const dec = defs.find((d) => DECODE_METHODS.has(d.name));
    if (!enc || !dec) continue;
    if (parent === '') {
      const vocabulary = f.names.some((n) => VOCAB_NAME_RE.test(n.name));
      if (!vocabulary || (f.language !== 'python' && f.language !== 'notebook')) continue;
      evidence.push(enc, dec);
      continue;
    }
    const cls = classByQual.get(parent);
    if (!cls || !TOKENIZER_CLASS_RE.test(cls.name) || cls.bases.some((b) => NN_BASE_RE.test(b))) continue;
    evidence.push(enc, dec);
    classes.push(cls);
  }
  return { evidence, classes };
}

function defEvidence(f: FileFacts, d: DefinitionFact): Evidence {
  return { path: f.path, line: d.line, excerpt: d.kind === 'class' ? `class ${d.name}` : `def ${d.qualName}` };
}

/** `tokenization.ownTokenizer`: a tokenizer written in the repository as an encode/decode pair. */
export function ownTokenizer(index: RepoIndex, ctx: SignalContext): Evidence[] {
  const ok = eligible(index, ctx);
  const out: Evidence[] = [];
  index.files.forEach((f, fi) => {
    if (!ok(fi)) return;
    const { evidence, classes } = ownTokenizerDefs(f);
    for (const c of classes) out.push(defEvidence(f, c));
    if (classes.length === 0) for (const d of evidence) out.push(defEvidence(f, d));
  });
  return out;
}

/**
 * `tokenization.encodeDecode`: both directions across the files the sub-feature may count. Evidence is
 * the encode/decode definition pairs of own tokenizers, plus encode-side and decode-side tokenizer
 * calls when both directions are seen (one direction alone is not evidence).
 */
export function encodeDecode(index: RepoIndex, ctx: SignalContext): Evidence[] {
  const ok = eligible(index, ctx);
  const defs: Evidence[] = [];
  const encodes: Evidence[] = [];
  const decodes: Evidence[] = [];
  // The direction depends on the callee alone: decided once per distinct callee.
  const directions = new Map<string, 'encode' | 'decode' | undefined>();
  index.files.forEach((f, fi) => {
    if (!ok(fi)) return;
    for (const d of ownTokenizerDefs(f).evidence) defs.push(defEvidence(f, d));
    const cols = columnsOf(f);
    for (let i = 0; i < cols.callCount; i++) {
      const callee = cols.callee(i);
      let dir = directions.get(callee);
      if (dir === undefined && !directions.has(callee)) {
        dir = callDirection(callee);
        directions.set(callee, dir);
      }
      if (!dir) continue;
      const e = { path: f.path, line: cols.callLine(i), excerpt: `${callee}(${cols.args(i)[0] ?? ''})` };
      (dir === 'encode' ? encodes : decodes).push(e);
    }
  });
  return encodes.length > 0 && decodes.length > 0 ? [...defs, ...encodes, ...decodes] : defs;
}

/** Own pad/truncate methods on a tokenizer class (any language): `TextTokenizer.truncate(ids)`. */
export function tokenizerPadMethods(index: RepoIndex, ctx: SignalContext): Evidence[] {
  const ok = eligible(index, ctx);
  const out: Evidence[] = [];
  index.files.forEach((f, fi) => {
    if (!ok(fi)) return;
    const classes = new Map(f.definitions.filter((d) => d.kind === 'class').map((d) => [d.qualName, d]));
    for (const d of f.definitions) {
      if (d.kind !== 'method' || !/^_?(pad|truncate|padIds|truncateIds|padTokens|truncateTokens|pad_ids|truncate_ids)$/.test(d.name)) continue;
      const cls = classes.get(d.parent);
      if (cls && TOKENIZER_CLASS_RE.test(cls.name)) out.push(defEvidence(f, d));
    }
  });
  return out;
}

registerCustomSignal('tokenization.ownTokenizer', ownTokenizer);
// encodeDecode reads tokenizer calls; ownTokenizer reads the vocabulary names.
declareFactUse('tokenization', {
  callee: (callee) => callDirection(callee) !== undefined,
  name: (n) => VOCAB_NAME_RE.test(n),
});
registerCustomSignal('tokenization.padMethods', tokenizerPadMethods);
registerCustomSignal('tokenization.encodeDecode', encodeDecode);

// ---------------------------------------------------------------------------------------------

export const capability: CapabilityDef = {
  id: 'tokenization',
  title: 'Tokenization',
  tableTitle: 'Tokenization (fast tokenizer, vocab, encode/decode, padding/truncation)',
  why: 'Every model input passes through the tokenizer: a wrong vocabulary, a missing truncation policy or an encode/decode mismatch silently changes what the model sees.',
  subfeatures: [
    {
      id: 'tokenization.component',
      title: 'Tokenizer component',
      core: true,
      summary: 'A tokenizer exists: a tokenizer library in use, a tokenizer class, or own BPE/encode-decode code.',
      gap: 'No tokenizer component: add a tokenizer module (HF `tokenizers`/`AutoTokenizer`, `tiktoken` or `sentencepiece`) behind one `get_tokenizer()` entry point.',
      signals: [COMPONENT_IMPORTS, COMPONENT_TRANSFORMERS, COMPONENT_CALLS, COMPONENT_CLASS, COMPONENT_FACTORY_DEFS, COMPONENT_TOKENIZE_DEF, COMPONENT_OWN],
    },
    {
      id: 'tokenization.encode_decode',
      title: 'Encode/decode',
      core: true,
      summary: 'Both directions: text to ids and ids back to text, on a tokenizer (not `str.encode`).',
      gap: 'No encode/decode pair on a tokenizer: expose `encode(text) -> ids` and `decode(ids) -> text` (or `batch_decode`) and use both.',
      signals: [ENCODE_DECODE],
    },
    {
      id: 'tokenization.fast_path',
      title: 'Fast tokenizer path',
      core: false,
      summary: 'A native (Rust/C++) tokenizer: `tokenizers`, `*TokenizerFast`, `AutoTokenizer` without `use_fast=False`, `tiktoken`, `sentencepiece`.',
      gap: 'No fast tokenizer path: load tokenizers through HF `tokenizers`/`AutoTokenizer` (use_fast) or `tiktoken`, with the pure-Python path as a fallback.',
      signals: [FAST_IMPORTS, FAST_NAMES, FAST_AUTO, FAST_CLASS],
    },
    {
      id: 'tokenization.vocab',
      title: 'Vocabulary artifacts / versioning',
      core: false,
      summary: 'Vocabulary files (`vocab.json`, `merges.txt`, `tokenizer.json`, `tokenizer.model`, ...) or code handling vocab size, saving or versioning.',
      gap: 'No vocabulary artifact or versioning: commit or pin the vocabulary (`tokenizer.json`/`vocab.json` + `merges.txt`) and record its size and hash with the model config.',
      signals: [VOCAB_FILES, VOCAB_NAMES, VOCAB_KW, VOCAB_CONFIG],
    },
    {
      id: 'tokenization.padding_truncation',
      title: 'Padding/truncation policy',
      core: false,
      summary: '`padding=`/`truncation=`/`max_length=` on tokenizer calls, pad token and padding side settings, or own pad/truncate helpers.',
      gap: 'No padding/truncation policy: pass `padding`, `truncation` and `max_length` from the config on every tokenizer call and set `pad_token`/`padding_side` explicitly.',
      signals: [PAD_ON_TOKENIZER, PAD_TOKENIZER_CALL, PAD_NAMES, PAD_HELPERS, PAD_METHODS, PAD_SEQUENCE],
    },
    {
      id: 'tokenization.tests',
      title: 'Round-trip tests',
      core: false,
      summary: 'A test that exercises encode and decode (round trip).',
      gap: 'No tokenizer round-trip test: add a unit test asserting `decode(encode(text)) == text` on ASCII, unicode and empty input, plus a padding/truncation case.',
      signals: [TEST_ROUND_TRIP, TEST_DEFS, TEST_CLASS, TEST_JS],
    },
  ],
  risks: [
    'Inconsistent sequences between training and inference when the vocabulary or special tokens drift',
    'OOM or silent clipping when truncation is not wired to the model context length',
    'Silent unicode errors when decode is not the inverse of encode',
  ],
  patchPlan:
    'Add a tokenizer module with an HF `tokenizers` fast path behind an import guard; pin the vocabulary files; wire padding/truncation from the config; unit tests for round-trip and padding.',
  rollbackPlan: 'Revert the tokenizer module and its config keys; keep the new tests skipped with a marker until the module returns.',
};
