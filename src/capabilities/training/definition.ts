import type { CapabilityDef, Signal } from '../../model/capability.js';
import type { RepoIndex } from '../../facts/index.js';
import { matchSignal, registerCustomSignal, type SignalContext } from '../../model/signals.js';
import type { Evidence } from '../../model/types.js';
import { declareSignals } from '../../model/fact-use.js';

/**
 * Training engine: a loop that actually trains (backward + optimizer step, a Trainer's `.train()`, a
 * Lightning `.fit()`, tfjs/Keras `model.fit`), with AMP, accumulation, clipping and an LR schedule.
 * Accelerate or Lightning used only to place an inference model on a device is not training, so
 * `accelerator.prepare` alone never counts here.
 */

/** Receivers of `.step()` that are an optimizer (or a DeepSpeed engine, or a GradScaler stepping one). */
export const OPTIMIZER_RECEIVER = 'optim|(^|[._])opt(_\\w+)?$|engine$|scaler$';

// ---- training.loop ---------------------------------------------------------------------------

const LOOP_BACKWARD_STEP: Signal = {
  all: [
    { call: 'backward', receiver: '.' },
    { call: 'step', receiver: OPTIMIZER_RECEIVER },
  ],
  within: 'file',
  note: '`.backward()` and an optimizer `.step()` in one file (script top level, function or class)',
};
const LOOP_ENGINE_BACKWARD: Signal = {
  call: 'backward',
  receiver: '(^|\\.)(accelerator|fabric|engine|model_engine|deepspeed_engine)$',
  note: '`accelerator.backward` / DeepSpeed engine backward',
};
const LOOP_BACKWARD_LOSS_ARG: Signal = { call: 'backward', receiver: '.', arg0: '^\\w*loss\\w*$', note: '`engine.backward(loss)`' };
const LOOP_TRAINER: Signal = {
  call: ['train', 'fit', 'step'],
  receiver: 'trainer$|Trainer\\(\\)$',
  note: 'a Trainer driven: `trainer.train()` (HF/TRL) or `trainer.fit()` (Lightning, composer)',
};
const LOOP_LIGHTNING_CLI: Signal = { call: ['LightningCLI', 'cli.LightningCLI'] };
const LOOP_APPLY_GRADIENTS: Signal = { call: ['apply_gradients', 'optax.apply_updates'], note: 'TF/flax/optax update step' };
const LOOP_MINIMIZE: Signal = { call: 'minimize', receiver: 'optim|(^|[._])opt(_\\w+)?$', note: '`optimizer.minimize(loss)` (TF, tfjs)' };
const LOOP_FIT: Signal = {
  call: ['fit', 'fitDataset', 'fit_generator', 'trainOnBatch', 'train_on_batch'],
  receiver: '(^|\\.)(model|net|network|\\w*_model)$',
  note: 'Keras/tfjs `model.fit`',
};
const LOOP_ULTRALYTICS: Signal = { call: 'train', receiver: '(^|\\.)model$', kw: ['epochs', 'data'] };
const LOOP_DEFS: Signal = {
  def: '^_?(train_step|training_step|train_epoch|train_one_epoch|train_loop|training_loop|run_training|fit_epoch|train_batch|train_model|train_iter|do_train|inner_training_loop)$',
  kind: ['function', 'method'],
  note: 'a training step/loop function',
};
const LOOP_TRAIN_FN: Signal = { def: '^train$', kind: ['function'], lang: ['python'], note: 'a module-level `train()` entry point' };

// ---- training.mixed_precision ----------------------------------------------------------------

/** Training-only AMP: a GradScaler scales a loss for backward. */
const AMP_SCALER: Signal = { call: ['GradScaler', 'ShardedGradScaler'], note: 'torch AMP GradScaler' };
const AMP_TRAINING_ARGS: Signal = { call: ['TrainingArguments', '*TrainingArguments', '*Config'], kwValue: { fp16: '^(True|true)$' } };
const AMP_TRAINING_ARGS_BF16: Signal = { call: ['TrainingArguments', '*TrainingArguments', '*Config'], kwValue: { bf16: '^(True|true)$' } };
const AMP_AUTOCAST: Signal = { call: 'autocast', note: 'torch autocast' };
const AMP_FP16_KW: Signal = { call: '**', kw: ['fp16'], notKwValue: { fp16: '^(False|false|0|None)$' } };
const AMP_BF16_KW: Signal = { call: '**', kw: ['bf16'], notKwValue: { bf16: '^(False|false|0|None)$' } };
const AMP_MIXED_KW: Signal = { call: '**', kw: ['mixed_precision'], notKwValue: { mixed_precision: '^(no|None|False|fp32|false)$' } };
const AMP_LIGHTNING_KW: Signal = { call: '**', kwValue: { precision: '16|bf16|mixed|half' } };
const AMP_CONFIG_FLAG: Signal = { configKey: '(^|\\.)(fp16|bf16|amp|use_amp)(\\.enabled)?$', value: '^(true|1|auto|yes)$' };
const AMP_CONFIG_MODE: Signal = { configKey: '(^|\\.)(mixed_precision|precision|amp_dtype)$', value: 'fp16|bf16|16|mixed' };
const AMP_CLI: Signal = { call: 'add_argument', arg0: '--(fp16|bf16|amp|use[_-]amp|mixed[_-]precision)\\b' };
const AMP_IMPORTS: Signal = { import: ['apex.amp', 'torch.cuda.amp', 'torch.amp', 'jmp'] };
const AMP_KERAS: Signal = { call: ['mixed_precision.set_global_policy', 'mixed_precision.Policy', 'set_global_policy'], arg0: 'mixed' };

/**
 * Precision switches that inference uses too (`autocast`, `--fp16`, `fp16: true`, `mixed_precision=`):
 * they count only in a repository that trains, so an inference CLI's `--fp16` is not a training engine.
 */
const AMP_AMBIGUOUS: Signal[] = [AMP_AUTOCAST, AMP_FP16_KW, AMP_BF16_KW, AMP_MIXED_KW, AMP_LIGHTNING_KW, AMP_CONFIG_FLAG, AMP_CONFIG_MODE, AMP_CLI, AMP_IMPORTS, AMP_KERAS];
const AMP_IN_TRAINING: Signal = { custom: 'training.ampInTraining', note: 'precision switches in a repository that trains' };

// ---- training.grad_accumulation --------------------------------------------------------------

const ACCUM_NAMES_RE =
  '^(gradient_?accumulation_?steps|grad_?accum(ulation)?_?steps|\\w*_grad_accum|device_train_microbatch_size|micro_?batch_?size|accumulate_?grad_?batches|accumulation_?steps|grad_?accum|gradient_?accumulation|accum_?steps|accum_?iter|accumulate_?steps|grad_?acc_?steps|gradient_?accumulation_?iters|num_?accumulation_?steps)$';
const ACCUM_NAMES: Signal = { name: ACCUM_NAMES_RE, note: 'an accumulation setting used in code' };
const ACCUM_CONFIG: Signal = { configKey: '(^|\\.)(gradient_accumulation_steps|accumulate_grad_batches|grad_accum_steps|accumulation_steps|grad_accum)$' };
const ACCUM_CALLS: Signal = { call: ['accelerator.accumulate', 'fabric.no_backward_sync'] };
const ACCUM_CLI: Signal = { call: 'add_argument', arg0: '--(gradient[_-]accumulation[_-]steps|grad[_-]accum\\w*|accumulate[_-]grad\\w*|accum[_-]steps)' };

// ---- training.grad_clipping ------------------------------------------------------------------

const CLIP_CALLS: Signal = { call: ['clip_grad_norm_', 'clip_grad_norm', 'clip_grad_value_', 'clip_by_global_norm', 'clip_by_norm', 'clip_gradients'] };
const CLIP_NAMES: Signal = {
  name: '^(max_grad_norm|gradient_clip_val|gradient_clip_algorithm|grad_clip|clip_grad|grad_clip_norm|gradient_clipping|grad_norm_clip|clipnorm|clipvalue|global_clipnorm|clip_norm|max_gradient_norm)$',
};
const CLIP_CONFIG: Signal = { configKey: '(^|\\.)(max_grad_norm|gradient_clip_val|grad_clip|clip_grad|gradient_clipping|clip_norm)$' };

// ---- training.lr_schedule --------------------------------------------------------------------

const LR_CALLS: Signal = {
  call: [
    'lr_scheduler.*',
    'get_scheduler',
    'get_*_schedule*',
    'OneCycleLR',
    'CosineAnnealingLR',
    'CosineAnnealingWarmRestarts',
    'LambdaLR',
    'StepLR',
    'MultiStepLR',
    'ExponentialLR',
    'LinearLR',
    'SequentialLR',
    'ReduceLROnPlateau',
    'optax.*schedule*',
    'optax.warmup_*',
    'schedules.*',
    'LearningRateScheduler',
    'create_scheduler',
    'timm.scheduler.*',
  ],
};
const LR_IMPORTS: Signal = { import: ['torch.optim.lr_scheduler', 'timm.scheduler'] };
const LR_DEFS: Signal = {
  def: '^(get_lr|get_learning_rate|lr_lambda|adjust_learning_rate|update_lr|warmup_lr|lr_warmup|cosine_lr|lr_schedule\\w*|\\w+_lr_schedule\\w*|(build|create|get|make)_(lr_)?scheduler|\\w*warmup\\w*_(lr|schedule|scheduler|factor)|(linear|cosine)_(warmup|decay)\\w*)$',
  kind: ['function', 'method'],
  note: 'an own learning-rate schedule',
};
const LR_STEP: Signal = { call: 'step', receiver: '(^|[._])lr_sched\\w*$' };
const LR_NAMES: Signal = {
  name: '^(lr_scheduler|lr_scheduler_type|warmup_steps|warmup_iters|warmup_ratio|lr_decay_iters|decay_lr|min_lr|warmup_epochs|lr_warmup_steps|num_warmup_steps|lr_schedule)$',
};
const LR_CONFIG: Signal = { configKey: '(^|\\.)(lr_scheduler(_type)?|warmup_steps|warmup_ratio|warmup_iters|lr_decay\\w*|lr_schedule|min_lr|warmup_epochs)(\\.|$)' };

// ---- training.tests --------------------------------------------------------------------------

const TEST_IMPORTS: Signal = { import: ['**.train*', '**/train*'], note: 'a test importing the training module' };
const TEST_DEFS: Signal = {
  def: '^test.*?(^|_)(train|training|trainer|trains|fit|backward|optim|optimizer|optimiser|overfit\\w*|smoke|grad|grads|gradients?)(_|$)',
  kind: ['function', 'method'],
};
const TEST_JS: Signal = { call: ['it', 'test', 'describe'], arg0: '\\b(trains?|training|trainer|fit(s|ting)? the model)\\b', lang: ['typescript', 'javascript'] };

// ---------------------------------------------------------------------------------------------
// Custom detector

/** What shows that the repository trains (the training.loop signals). */
const TRAINING_EVIDENCE: Signal[] = [
  LOOP_BACKWARD_STEP,
  LOOP_ENGINE_BACKWARD,
  LOOP_BACKWARD_LOSS_ARG,
  LOOP_TRAINER,
  LOOP_LIGHTNING_CLI,
  LOOP_APPLY_GRADIENTS,
  LOOP_MINIMIZE,
  LOOP_FIT,
  LOOP_ULTRALYTICS,
  LOOP_DEFS,
  LOOP_TRAIN_FN,
  AMP_SCALER,
  { call: ['TrainingArguments', '*TrainingArguments', 'Seq2SeqTrainer', '*Trainer'], receiver: '(^|\\.)(transformers|trl)$' },
];

/** `training.ampInTraining`: the ambiguous precision switches, when the repository has a training loop. */
export function ampInTraining(index: RepoIndex, ctx: SignalContext): Evidence[] {
  const trains = TRAINING_EVIDENCE.some((s) => matchSignal(s, index, ctx).length > 0);
  return trains ? AMP_AMBIGUOUS.flatMap((s) => matchSignal(s, index, ctx)) : [];
}

registerCustomSignal('training.ampInTraining', ampInTraining);
declareSignals('training.ampInTraining', [...TRAINING_EVIDENCE, ...AMP_AMBIGUOUS]);

export const capability: CapabilityDef = {
  id: 'training',
  title: 'Training Engine',
  tableTitle: 'Training Engine (HF Trainer/custom loop, precision, grad accumulation)',
  why: 'The training loop is where compute is spent: mixed precision, accumulation, clipping and the LR schedule decide whether a run converges, fits in memory and can be repeated.',
  subfeatures: [
    {
      id: 'training.loop',
      title: 'Training loop',
      core: true,
      summary: 'A loop that trains: `.backward()` with an optimizer step, HF/TRL `Trainer(...).train()`, Lightning `trainer.fit()`, `accelerator.backward`, DeepSpeed engine, Keras/tfjs `model.fit`.',
      gap: 'No training loop: add a train step (forward, `loss.backward()`, `optimizer.step()`, `optimizer.zero_grad()`) or drive HF `Trainer(...).train()`, with a one-batch smoke run.',
      signals: [
        LOOP_BACKWARD_STEP,
        LOOP_ENGINE_BACKWARD,
        LOOP_BACKWARD_LOSS_ARG,
        LOOP_TRAINER,
        LOOP_LIGHTNING_CLI,
        LOOP_APPLY_GRADIENTS,
        LOOP_MINIMIZE,
        LOOP_FIT,
        LOOP_ULTRALYTICS,
        LOOP_DEFS,
        LOOP_TRAIN_FN,
      ],
    },
    {
      id: 'training.mixed_precision',
      title: 'Mixed precision (AMP)',
      core: false,
      summary: '`autocast`, `GradScaler`, `fp16=`/`bf16=`, `mixed_precision=`, Lightning `precision=`, AMP config switches.',
      gap: 'No AMP precision switch: add a `precision` option (fp32/fp16/bf16) that wraps the forward pass in `torch.autocast` and uses `GradScaler` for fp16.',
      signals: [AMP_SCALER, AMP_TRAINING_ARGS, AMP_TRAINING_ARGS_BF16, AMP_IN_TRAINING],
    },
    {
      id: 'training.grad_accumulation',
      title: 'Gradient accumulation',
      core: false,
      summary: '`gradient_accumulation_steps`, `accumulate_grad_batches`, `accelerator.accumulate`, or an accumulation counter around `optimizer.step()`.',
      gap: 'No gradient accumulation: add a `gradient_accumulation_steps` option that divides the loss and steps the optimizer every N micro-batches.',
      signals: [ACCUM_NAMES, ACCUM_CONFIG, ACCUM_CALLS, ACCUM_CLI],
    },
    {
      id: 'training.grad_clipping',
      title: 'Gradient clipping',
      core: false,
      summary: '`clip_grad_norm_`, `clip_grad_value_`, `max_grad_norm`, `gradient_clip_val`, `grad_clip`.',
      gap: 'No gradient clipping: call `torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)` before `optimizer.step()` (unscale first under AMP), with `max_grad_norm` in the config.',
      signals: [CLIP_CALLS, CLIP_NAMES, CLIP_CONFIG],
    },
    {
      id: 'training.lr_schedule',
      title: 'Learning-rate schedule',
      core: false,
      summary: '`torch.optim.lr_scheduler`, `get_scheduler`, `get_*_schedule_with_warmup`, `OneCycleLR`, optax schedules, an own `get_lr`/warmup function.',
      gap: 'No learning-rate schedule: add warmup plus decay (`get_cosine_schedule_with_warmup` or an own `get_lr(step)`) and step it once per optimizer step.',
      signals: [LR_CALLS, LR_IMPORTS, LR_DEFS, LR_STEP, LR_NAMES, LR_CONFIG],
    },
    {
      id: 'training.tests',
      title: 'Training smoke test',
      core: false,
      summary: 'A test that runs or imports the training step (smoke test).',
      gap: 'No training smoke test: add a test that runs one or two optimizer steps on a tiny model and batch (CPU, fixed seed) and asserts the loss is finite and decreases.',
      signals: [LOOP_BACKWARD_STEP, LOOP_TRAINER, LOOP_FIT, TEST_IMPORTS, TEST_DEFS, TEST_JS],
    },
  ],
  risks: [
    'Divergence from unclipped gradients or a missing warmup',
    'Unstable loss and fp16 overflow without a GradScaler',
    'Effective batch size silently changes with hardware when accumulation is not configurable',
  ],
  patchPlan:
    'Introduce a train-loop adapter with precision (autocast + GradScaler) and gradient-accumulation config, clip before each optimizer step, step a warmup/decay scheduler; smoke test with a small batch.',
  rollbackPlan: 'Revert the adapter and its config keys; mark the smoke test skipped until the adapter returns.',
};
