import type { CapabilityDef, Signal } from '../../model/capability.js';
import type { RepoIndex } from '../../facts/index.js';
import { FILE_TEST, FILE_VENDORED } from '../../facts/index.js';
import type { FileFacts } from '../../facts/types.js';
import { columnsOf } from '../../facts/compact.js';
import { registerCustomSignal, testFilePolicy, type SignalContext } from '../../model/signals.js';
import type { Evidence } from '../../model/types.js';
import { declareFactUse } from '../../model/fact-use.js';

/**
 * Checkpointing & resume: model/training state written and read back, optimizer and RNG state in the
 * checkpoint, retention, atomic writes and metadata. Saving and resuming other progress (a crawl, a
 * stream, a download) is not checkpointing: a `save_checkpoint`/`resume` definition or a `--resume` flag
 * counts only in a file that uses an ML framework (or as a stub, which is reported as stubbed).
 */

// ---- shared constants ------------------------------------------------------------------------

/** What a model checkpoint is saved with (never a dataset, a token cache or embeddings). */
const NOT_DATA_ARG = '^(?!.*(data|dataset|tokens|token_ids|features|cache|vocab|examples|samples|embedding|index|labels|shard|corpus|split)).';
/** Receivers of `save_pretrained` that are not a model: tokenizers, processors, configs (also right after `from_pretrained()`). */
const NOT_TOKENIZER_RECEIVER = '^(?!.*(tokeni[sz]er\\w*|processor|config|feature_extractor|image_processor)(\\.from_pretrained\\(\\))?$).';
const OPTIM_STATE_RECEIVER = 'optim|(^|[._])opt$|sched|scaler';

export const SAVE_CALLS: Signal = {
  call: ['torch.save', 'safetensors.torch.save_file', 'safetensors.torch.save_model', 'safetensors.numpy.save_file', 'accelerator.save', 'xla_model.save'],
  arg0: NOT_DATA_ARG,
  note: 'model or training state written',
};
const SAVE_NO_ARGS: Signal = {
  call: ['trainer.save_model', 'trainer.save_state', 'accelerator.save_state', 'accelerator.save_model', 'ModelCheckpoint', 'keras.models.save_model', 'mlflow.**.save_model', 'mlflow.**.log_model'],
  note: 'a framework checkpoint save',
};
const SAVE_PRETRAINED: Signal = { call: 'save_pretrained', receiver: NOT_TOKENIZER_RECEIVER, note: '`model.save_pretrained`' };
const SAVE_ENGINE: Signal = { call: 'save_checkpoint', receiver: '(engine|model|trainer|deepspeed|checkpoints|fabric|accelerator)$' };
const SAVE_KERAS: Signal = {
  call: ['save', 'save_weights'],
  receiver: '(^|\\.)(model|\\w*_model|net|checkpoint|ckpt|checkpointer|ckpt_manager|checkpoint_manager|ckpt_mngr)$',
  note: 'Keras/tfjs/orbax/tf.train save',
};
const SAVE_HF_ARGS: Signal = {
  call: ['TrainingArguments', '*TrainingArguments', '*Config'],
  kw: ['save_steps', 'save_strategy'],
  notKwValue: { save_strategy: '^no$' },
  note: 'HF Trainer checkpoints configured',
};
const SAVE_DEFS: Signal = { custom: 'checkpointing.saveDefs', note: 'a save_checkpoint function in ML code' };

// ---- checkpointing.resume --------------------------------------------------------------------

const RESUME_NAMES: Signal = {
  name: '^(resume_from_checkpoint|resume_from|resume_ckpt|resume_checkpoint|resume_path|auto_resume|resume_training|resume_step|resume_iter)$',
  note: 'a resume setting used in code',
};
const RESUME_FIT_CKPT: Signal = { call: ['fit', 'train'], kw: ['ckpt_path', 'resume_from_checkpoint'], notKwValue: { resume_from_checkpoint: '^(None|False)$' } };
export const RESUME_OPTIMIZER_LOAD: Signal = { call: 'load_state_dict', receiver: OPTIM_STATE_RECEIVER, note: 'optimizer/scheduler state restored' };
const RESUME_CALLS: Signal = { call: ['accelerator.load_state', 'fabric.load', 'tf.train.latest_checkpoint', 'latest_checkpoint', 'restore_checkpoint', 'get_last_checkpoint'] };
const RESUME_ENGINE: Signal = { call: 'load_checkpoint', receiver: '(engine|model|trainer|deepspeed|fabric)$' };
const RESUME_RESTORE: Signal = { call: 'restore', receiver: '(checkpoint|ckpt|manager|checkpointer|ckpt_manager|checkpoint_manager)$' };
const RESUME_INIT_FROM: Signal = { text: 'init_from\\s*==\\s*[\'"]resume[\'"]', lang: ['python'], note: 'an `init_from == "resume"` branch' };
const RESUME_CONFIG: Signal = { configKey: '(^|\\.)(resume_from_checkpoint|resume_from|auto_resume|resume_path|resume_ckpt)$' };
const RESUME_DEFS: Signal = { custom: 'checkpointing.resumeDefs', note: 'a load_checkpoint/resume function or `--resume` flag in ML code' };

// ---- checkpointing.optimizer_state -----------------------------------------------------------

const OPT_STATE_DICT: Signal = { call: 'state_dict', receiver: OPTIM_STATE_RECEIVER, note: '`optimizer.state_dict()`' };
const OPT_FRAMEWORK: Signal = { call: ['accelerator.save_state', 'trainer.save_checkpoint', 'fabric.save'] };
const OPT_ENGINE: Signal = { call: 'save_checkpoint', receiver: '(engine|model|deepspeed)$', note: 'DeepSpeed engine checkpoint (includes optimizer state)' };
const OPT_LIGHTNING: Signal = { call: 'ModelCheckpoint', notKwValue: { save_weights_only: '^True$' } };
const OPT_HF: Signal = {
  call: ['TrainingArguments', '*TrainingArguments', '*Config'],
  kw: ['save_steps', 'save_strategy'],
  notKwValue: { save_strategy: '^no$', save_only_model: '^True$' },
};

// ---- checkpointing.rng_state -----------------------------------------------------------------

export const RNG_CAPTURE: Signal = {
  call: [
    'torch.get_rng_state',
    'torch.random.get_rng_state',
    'torch.cuda.get_rng_state',
    'torch.cuda.get_rng_state_all',
    'random.getstate',
    'numpy.random.get_state',
    'np.random.get_state',
    'xla_model.get_rng_state',
  ],
  note: 'RNG state captured',
};
export const RNG_RESTORE: Signal = {
  call: [
    'torch.set_rng_state',
    'torch.random.set_rng_state',
    'torch.cuda.set_rng_state',
    'torch.cuda.set_rng_state_all',
    'random.setstate',
    'numpy.random.set_state',
    'np.random.set_state',
    'xla_model.set_rng_state',
  ],
  note: 'RNG state restored',
};
export const RNG_GENERATOR: Signal = { call: ['get_state', 'set_state'], receiver: '(generator|rng|gen|bit_generator|random_state)$' };

// ---- checkpointing.retention -----------------------------------------------------------------

const RETAIN_NAMES_RE =
  '^(save_total_limit|save_top_k|keep_last\\w*|max_to_keep|keep_checkpoint_max|save_best_only|load_best_model_at_end|metric_for_best_model|keep_n_checkpoints|num_checkpoints_to_keep|max_checkpoints(_to_keep)?|keep_best\\w*|save_limit|keep_top_k|checkpoints_total_limit|max_keep_ckpts|always_save_checkpoint|\\w*checkpoints_to_keep|keep_checkpoints?)$';
const RETAIN_NAMES: Signal = { name: RETAIN_NAMES_RE };
const RETAIN_CONFIG: Signal = { configKey: '(^|\\.)(save_total_limit|save_top_k|keep_last\\w*|max_to_keep|keep_checkpoint_max|save_best_only|keep_n_checkpoints|checkpoints_total_limit|max_keep_ckpts)$' };
const RETAIN_BEST_GUARD: Signal = {
  all: [{ assign: 'best_*' }, { call: ['torch.save', 'save_pretrained', 'save_checkpoint', 'save_model', 'save_file', 'save_state'] }],
  within: 'scope',
  note: 'a best-metric comparison guarding a save',
};
const RETAIN_DELETE: Signal = { call: ['shutil.rmtree', 'rmtree'], arg0: '(ckpt|checkpoint)(?!s?_dir\\b\\s*,)', note: 'old checkpoints deleted' };

// ---- checkpointing.atomic_write --------------------------------------------------------------

/** A temp-file name: `tmp`, `temp` (not `template`), `.part`, `partial`. */
const TEMP_NAME = 'tmp|temp(?!late)|\\.part\\b|partial|incomplete|staging';
const REPLACE_CALL: Signal = {
  call: ['os.replace', 'os.rename', 'shutil.move', 'replace', 'rename'],
  receiver: '^(os|shutil|pathlib\\.Path\\(\\)|Path\\(\\)|\\w*(path|tmp|file|dst|dest|target)\\w*)$',
};
export const ATOMIC_TEMP_THEN_REPLACE: Signal = {
  all: [{ call: ['tempfile.*', 'NamedTemporaryFile', 'mkstemp'] }, REPLACE_CALL],
  within: 'scope',
  note: 'a temp file renamed into place',
};
export const ATOMIC_SUFFIX_THEN_REPLACE: Signal = {
  all: [{ call: ['with_suffix', 'with_name'], arg0: TEMP_NAME }, REPLACE_CALL],
  within: 'scope',
  note: 'a `.tmp` sibling renamed into place',
};
export const ATOMIC_REPLACE_TMP: Signal = { call: ['os.replace', 'os.rename', 'shutil.move'], arg0: TEMP_NAME, note: '`os.replace(tmp, path)`' };
export const ATOMIC_PATH_REPLACE: Signal = { call: ['replace', 'rename'], receiver: '(^|\\.)((tmp|temp)(_\\w*)?|\\w+_(tmp|temp))$', lang: ['python'] };
export const ATOMIC_JS: Signal = {
  call: ['rename', 'renameSync', '*.rename', '*.renameSync'],
  arg0: TEMP_NAME,
  lang: ['typescript', 'javascript'],
};
const ATOMIC_IMPORTS: Signal = { import: ['atomicwrites', 'write-file-atomic', 'safer', 'atomic_write', 'fs-write-stream-atomic', 'steno'] };

// ---- checkpointing.metadata ------------------------------------------------------------------

const META_KEYS = '["\'](epoch|step|global_step|iter\\w*|config|cfg|args|model_args|train_config|hparams|hyper_parameters|metrics?|best_\\w+|git\\w*|commit|version|val_loss|loss)["\']\\s*:';
const SAVE_CALL_NAMES = ['torch.save', 'save_file', 'accelerator.save', 'save_checkpoint', 'pickle.dump'];
const META_SAVE_DICT_ARG: Signal = { call: ['torch.save', 'accelerator.save'], arg0: META_KEYS, note: 'metadata keys saved in the checkpoint dict' };
const META_SAVE_DICT_VAR: Signal = {
  all: [{ call: SAVE_CALL_NAMES }, { assign: '*', valueKind: ['dict'], value: META_KEYS }],
  within: 'scope',
  note: 'a checkpoint dict holding config/step/metric',
};
const META_SAFETENSORS: Signal = { call: ['save_file', 'save_model'], kw: ['metadata'] };
const META_FRAMEWORK: Signal = { call: ['save_hyperparameters', 'trainer.save_model'] };
const META_PRETRAINED: Signal = { call: 'save_pretrained', receiver: NOT_TOKENIZER_RECEIVER, note: '`save_pretrained` writes config.json beside the weights' };
const META_DUMP_WITH_SAVE: Signal = {
  all: [
    { call: SAVE_CALL_NAMES },
    { call: ['json.dump', 'yaml.dump', 'yaml.safe_dump', 'OmegaConf.save', 'toml.dump'], arg0: 'meta|config|cfg|args|hparams|params|info|vars\\(|asdict' },
  ],
  within: 'scope',
};
const META_FILE_WITH_SAVE: Signal = {
  all: [{ call: SAVE_CALL_NAMES }, { call: 'open', arg0: 'metadata\\.json|meta\\.json|(config|args|hparams|params)\\.(json|ya?ml)' }],
  within: 'file',
};

// ---------------------------------------------------------------------------------------------
// Custom detectors: checkpoint/resume definitions in ML code

const ML_PY_ROOTS = new Set([
  'torch',
  'tensorflow',
  'keras',
  'jax',
  'flax',
  'optax',
  'orbax',
  'safetensors',
  'transformers',
  'deepspeed',
  'accelerate',
  'lightning',
  'pytorch_lightning',
  'peft',
  'trl',
  'mlx',
  'paddle',
  'mindspore',
  'composer',
  'megatron',
  'timm',
  'diffusers',
  'sklearn',
  'xgboost',
  'lightgbm',
]);
const ML_JS_RE = /^(@tensorflow\/|onnxruntime|@xenova\/transformers|@huggingface\/transformers|brain\.js|ml5|@mlc-ai\/)/;

/** A file that uses an ML framework (imports one). */
export function usesMlFramework(f: FileFacts): boolean {
  return f.imports.some((imp) => {
    if (f.language === 'python' || f.language === 'notebook') return ML_PY_ROOTS.has(imp.module.split('.')[0]);
    return ML_JS_RE.test(imp.module);
  });
}

function eligibleFiles(index: RepoIndex, ctx: SignalContext): FileFacts[] {
  const policy = testFilePolicy(ctx.subfeature);
  return index.files.filter((_f, fi) => {
    const flags = index.fileFlags(fi);
    if (flags & FILE_VENDORED) return false;
    const test = (flags & FILE_TEST) !== 0;
    return policy === 'only' ? test : policy === 'exclude' ? !test : true;
  });
}

/** Definitions named by `re` that are stubs (always reported, as stubbed) or live in ML code. */
function mlDefinitions(index: RepoIndex, ctx: SignalContext, re: RegExp): Evidence[] {
  const out: Evidence[] = [];
  for (const f of eligibleFiles(index, ctx)) {
    const ml = usesMlFramework(f);
    for (const d of f.definitions) {
      if ((d.kind !== 'function' && d.kind !== 'method') || !re.test(d.name)) continue;
      if (ml || d.stub) out.push({ path: f.path, line: d.line, excerpt: `def ${d.qualName}` });
    }
  }
  return out;
}

const SAVE_DEF_RE = /^_?(save_checkpoint|save_ckpt|checkpoint_save|save_model|save_weights|save_model_checkpoint|save_training_state|save_state_dict)$/i;
/** `resume` alone is left out: vLLM clients, crawlers and streams pause and resume too. */
const RESUME_DEF_RE = /^_?(load_checkpoint|load_ckpt|restore_checkpoint|restore_ckpt|load_training_state|resume_from\w*|resume_training|resume_checkpoint|resume_ckpt|try_resume\w*|maybe_resume\w*|auto_resume\w*|load_latest_checkpoint)$/i;
const RESUME_FLAG_RE = /^["']--(resume|resume[_-]from([_-]checkpoint)?|resume[_-](ckpt|checkpoint|path|dir))["']$/;

/** `checkpointing.saveDefs`: own save_checkpoint-style functions in ML code, or stubbed anywhere. */
export function saveDefs(index: RepoIndex, ctx: SignalContext): Evidence[] {
  return mlDefinitions(index, ctx, SAVE_DEF_RE);
}

const ADD_ARGUMENT_RE = /(^|\.)add_argument$/;

/** `checkpointing.resumeDefs`: own load_checkpoint/resume functions and `--resume` flags in ML code. */
export function resumeDefs(index: RepoIndex, ctx: SignalContext): Evidence[] {
  const out = mlDefinitions(index, ctx, RESUME_DEF_RE);
  for (const f of eligibleFiles(index, ctx)) {
    if (!usesMlFramework(f)) continue;
    const cols = columnsOf(f);
    for (let i = 0; i < cols.callCount; i++) {
      const callee = cols.callee(i);
      if (!ADD_ARGUMENT_RE.test(callee)) continue;
      const args = cols.args(i);
      if (!args.some((a) => RESUME_FLAG_RE.test(a))) continue;
      out.push({ path: f.path, line: cols.callLine(i), excerpt: `${callee}(${args[0]})` });
    }
  }
  return out;
}

registerCustomSignal('checkpointing.saveDefs', saveDefs);
// resumeDefs reads `add_argument("--resume...")` calls.
declareFactUse('checkpointing.resumeDefs', {
  call: (c) => ADD_ARGUMENT_RE.test(c.callee) && c.args.some((a) => RESUME_FLAG_RE.test(a)),
});
registerCustomSignal('checkpointing.resumeDefs', resumeDefs);

export const capability: CapabilityDef = {
  id: 'checkpointing',
  title: 'Checkpointing & Resume',
  tableTitle: 'Checkpointing & Resume (weights, optimizer, scheduler, RNG, best-k)',
  why: 'Long runs fail: only a checkpoint with model, optimizer, scheduler and RNG state, written atomically, lets a run resume where it stopped and reproduce what it would have done.',
  subfeatures: [
    {
      id: 'checkpointing.save',
      title: 'Checkpoint save',
      core: true,
      summary: 'Model or training state written: `torch.save`, `save_pretrained`, safetensors `save_file`, `trainer.save_model`, a `save_checkpoint` writing model/optimizer state, Lightning `ModelCheckpoint`, `accelerator.save_state`.',
      gap: 'No checkpoint save: add `save_checkpoint(path, model, optimizer, scheduler, step)` writing `state_dict`s (safetensors or `torch.save`) every N steps and at the end of training.',
      signals: [SAVE_CALLS, SAVE_NO_ARGS, SAVE_PRETRAINED, SAVE_ENGINE, SAVE_KERAS, SAVE_HF_ARGS, SAVE_DEFS],
    },
    {
      id: 'checkpointing.resume',
      title: 'Resume',
      core: true,
      summary: 'Resume: `resume_from_checkpoint`, `ckpt_path=`, optimizer `load_state_dict`, `accelerator.load_state`, an `init_from == "resume"` branch, `load_checkpoint`/`resume*` functions.',
      gap: 'No resume path: add `--resume PATH` that restores model, optimizer, scheduler and step from the last checkpoint and continues the loop from that step.',
      signals: [RESUME_NAMES, RESUME_FIT_CKPT, RESUME_OPTIMIZER_LOAD, RESUME_CALLS, RESUME_ENGINE, RESUME_RESTORE, RESUME_INIT_FROM, RESUME_CONFIG, RESUME_DEFS],
    },
    {
      id: 'checkpointing.optimizer_state',
      title: 'Optimizer/scheduler state',
      core: false,
      summary: '`optimizer.state_dict()` (and scheduler state) written into the checkpoint, or a framework save that includes it (DeepSpeed, `accelerator.save_state`, Lightning/HF Trainer checkpoints).',
      gap: 'Optimizer state not checkpointed: save `optimizer.state_dict()` and `scheduler.state_dict()` (and the GradScaler) next to the model weights, and restore them on resume.',
      signals: [OPT_STATE_DICT, OPT_FRAMEWORK, OPT_ENGINE, OPT_LIGHTNING, OPT_HF],
    },
    {
      id: 'checkpointing.rng_state',
      title: 'RNG state capture/restore',
      core: false,
      summary: '`torch.get_rng_state`/`set_rng_state`, `torch.cuda.get_rng_state_all`, `random.getstate`/`setstate`, `np.random.get_state`/`set_state`.',
      gap: 'No RNG capture/restore: store `torch.get_rng_state()`, `torch.cuda.get_rng_state_all()`, `random.getstate()` and `np.random.get_state()` in the checkpoint and set them back on resume.',
      signals: [RNG_CAPTURE, RNG_RESTORE, RNG_GENERATOR],
    },
    {
      id: 'checkpointing.retention',
      title: 'Best-k / keep-last retention',
      core: false,
      summary: 'Best-k / keep-last: `save_total_limit`, `save_top_k`, `keep_last*`, `max_to_keep`, a best-metric comparison guarding a save, deleting old checkpoints.',
      gap: 'No checkpoint retention: keep the last N checkpoints plus the best by a configured metric (`save_total_limit`/`save_top_k` or an own keep-best rule) and delete the rest.',
      signals: [RETAIN_NAMES, RETAIN_CONFIG, RETAIN_BEST_GUARD, RETAIN_DELETE],
    },
    {
      id: 'checkpointing.atomic_write',
      title: 'Atomic writes',
      core: false,
      summary: 'Files written atomically: to a temp file, then `os.replace`/`os.rename`/`Path.replace` (TS: `fs.rename` after writing a temp file).',
      gap: 'No atomic writes: write checkpoints to `path + ".tmp"` (or `tempfile.NamedTemporaryFile` in the same folder), flush, then `os.replace(tmp, path)` so a crash never leaves a torn file.',
      signals: [ATOMIC_TEMP_THEN_REPLACE, ATOMIC_SUFFIX_THEN_REPLACE, ATOMIC_REPLACE_TMP, ATOMIC_PATH_REPLACE, ATOMIC_JS, ATOMIC_IMPORTS],
    },
    {
      id: 'checkpointing.metadata',
      title: 'Checkpoint metadata',
      core: false,
      summary: 'Metadata saved with the weights: config, step/iteration, metric, git SHA, a `metadata.json`.',
      gap: 'No checkpoint metadata: write `metadata.json` beside each checkpoint with step, epoch, metric, config hash and git SHA.',
      signals: [META_SAVE_DICT_ARG, META_SAVE_DICT_VAR, META_SAFETENSORS, META_FRAMEWORK, META_PRETRAINED, META_DUMP_WITH_SAVE, META_FILE_WITH_SAVE],
    },
  ],
  risks: ['Non-reproducible restarts when optimizer, scheduler or RNG state is lost', 'Partial corruption when a crash interrupts a non-atomic write', 'Disk exhaustion without a retention policy'],
  patchPlan: 'Add a checkpoint module that writes model, optimizer, scheduler and RNG state plus `metadata.json` atomically (temp file + `os.replace`), keeps best-k by metric, and restores all of it on `--resume`; tests for resume parity.',
  rollbackPlan: 'Revert the checkpoint module; leave the metadata schema and file names intact so existing checkpoints still load.',
};
