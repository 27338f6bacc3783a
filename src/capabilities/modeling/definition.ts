import type { CapabilityDef, Signal } from '../../model/capability.js';

/**
 * Modeling: how the model is built (factory), placed (device), typed (dtype), adapted (PEFT/LoRA) and
 * loaded from weights. Plain tensor code is not a model: construction means an `nn.Module`-style class,
 * a framework model loaded by name, or a build/create/load_model entry point.
 */

// ---- modeling.factory ------------------------------------------------------------------------

const FACTORY_CLASSES: Signal = {
  bases: [
    'nn.Module',
    'PreTrainedModel',
    '*PreTrainedModel',
    'LightningModule',
    'linen.Module',
    'keras.Model',
    'keras.models.Model',
    'keras.layers.Layer',
    'eqx.Module',
    'equinox.Module',
    'haiku.Module',
    'hk.Module',
  ],
  note: 'a model class deriving a framework module',
};
const FACTORY_CALLS: Signal = {
  call: [
    'AutoModel*.from_pretrained',
    'AutoModel*.from_config',
    '*For*.from_pretrained',
    '*Model.from_pretrained',
    '*Pipeline.from_pretrained',
    'timm.create_model',
    'torchvision.models.*',
    'open_clip.create_model*',
    'SentenceTransformer',
    'transformers.pipeline',
    '*transformers.pipeline',
    'vllm.LLM',
    'llama_cpp.Llama',
    'keras.Sequential',
    'keras.models.Sequential',
    'keras.models.load_model',
    'keras.saving.load_model',
    'onnxruntime.InferenceSession',
    'InferenceSession.create',
    'ultralytics.YOLO',
    'whisper.load_model',
  ],
  note: 'a framework model constructed or loaded',
};
const FACTORY_TFJS: Signal = {
  call: ['tf.sequential', 'tf.model', 'tf.loadLayersModel', 'tf.loadGraphModel', '*tfjs*.sequential', '*tfjs*.model', '*tfjs*.loadLayersModel', '*tfjs*.loadGraphModel'],
  lang: ['typescript', 'javascript'],
  note: 'a tfjs model built or loaded',
};
const FACTORY_DEFS: Signal = {
  def: '^((build|create|get|load|make|init|setup|instantiate)_?model|model_factory|(build|create)_\\w+_model)$',
  kind: ['function', 'method'],
  note: 'a model factory function',
};

// ---- modeling.device -------------------------------------------------------------------------

const DEVICE_TO: Signal = { call: 'to', receiver: '.', arg0: 'device|cuda|cpu|mps|xpu|gpu|rank', note: '`.to(device)`' };
const DEVICE_TO_KW: Signal = { call: 'to', receiver: '.', kw: ['device'] };
const DEVICE_CUDA: Signal = { call: 'cuda', receiver: '.', lang: ['python'], note: '`.cuda()`' };
const DEVICE_MAP: Signal = { call: '**', kw: ['device_map'], note: '`device_map=`' };
const DEVICE_CALLS: Signal = {
  call: [
    'torch.device',
    'torch.cuda.is_available',
    'torch.cuda.set_device',
    'torch.backends.mps.is_available',
    'torch.cuda.device_count',
    'accelerator.prepare',
    'accelerator.prepare_model',
    'fabric.setup',
    'deepspeed.initialize',
    'jax.device_put',
    'jax.devices',
    'tf.device',
    'tensorflow.device',
    'xla_model.xla_device',
  ],
};
const DEVICE_TENSOR_KW: Signal = { call: 'torch.*', kw: ['device'] };
const DEVICE_TFJS: Signal = { call: ['tf.setBackend', '*tfjs*.setBackend'], lang: ['typescript', 'javascript'] };
const DEVICE_JS_KW: Signal = {
  call: ['*transformers.pipeline', 'AutoModel*.from_pretrained', '*.from_pretrained'],
  kw: ['device'],
  lang: ['typescript', 'javascript'],
};

// ---- modeling.dtype --------------------------------------------------------------------------

const HALF_DTYPE = '(torch|jnp|jax\\.numpy|tf|tensorflow)\\.(b?float16|half|bfloat16)\\b|^(b?float16|bfloat16|fp16|bf16|half|auto)$';
const DTYPE_KW: Signal = { call: '**', kw: ['torch_dtype'], note: '`torch_dtype=`' };
const DTYPE_HALF_KW: Signal = { call: '**', kwValue: { dtype: HALF_DTYPE } };
const DTYPE_CASTS: Signal = { call: ['half', 'bfloat16'], receiver: '.', lang: ['python'], note: '`.half()` / `.bfloat16()`' };
const DTYPE_TO: Signal = { call: 'to', receiver: '.', kw: ['dtype'] };
const DTYPE_TO_ARG: Signal = { call: 'to', receiver: '.', arg0: '^(torch|jnp)\\.(b?float16|half|bfloat16|float32|float64)$' };
/** Model artifacts (tfjs `model.json` topology, weight manifests) carry dtypes that nobody chose: not config. */
export const NOT_DTYPE_CONFIG = ['**/model.json', '**/*manifest*.json', '**/*weights*', '**/package*.json', '**/tsconfig*.json', '**/*compose*.y*ml', '**/.github/**'];
const DTYPE_CONFIG: Signal = {
  configKey: '^(?!.*(modelTopology|weightsManifest|layers\\.\\[\\]))(.*\\.)?(dtype|torch_dtype|precision|param_dtype|compute_dtype|model_dtype)$',
  notPaths: NOT_DTYPE_CONFIG,
};
const DTYPE_ASSIGN: Signal = { assign: 'dtype', value: 'b?float16|bfloat16|float32|fp16|bf16|half', lang: ['python'] };
const DTYPE_ASSIGN_TORCH: Signal = { assign: 'torch_dtype', lang: ['python'] };
const DTYPE_CLI: Signal = { call: 'add_argument', arg0: '--(dtype|torch[_-]dtype|precision|half|fp16|bf16)\\b' };
const DTYPE_CALLS: Signal = { call: ['torch.set_default_dtype', 'BitsAndBytesConfig', 'mixed_precision.set_global_policy'] };
const DTYPE_QUANT_KW: Signal = { call: '**', kw: ['load_in_8bit', 'load_in_4bit'] };

// ---- modeling.peft ---------------------------------------------------------------------------

const PEFT_IMPORTS: Signal = { import: ['peft', 'loralib', 'unsloth'], note: 'an adapter library imported in code' };
const PEFT_CALLS: Signal = { call: ['get_peft_model', 'LoraConfig', 'PeftModel.from_pretrained', 'prepare_model_for_kbit_training', 'FastLanguageModel.get_peft_model'] };
const PEFT_DEFS: Signal = {
  def: '(^|_)lora($|_|\\d)|^lora|lora(linear|layer|config|model|module|adapter|embedding|conv|weight|params?)$|(with|merged)lora',
  kind: ['class', 'function', 'method'],
  note: 'an own LoRA layer or helper',
};
const PEFT_NAMES: Signal = { name: '^lora_(a|b|alpha|r|rank|dropout)$', lang: ['python'] };

// ---- modeling.checkpoint_load ----------------------------------------------------------------

const LOAD_CALLS: Signal = {
  call: [
    'load_state_dict',
    'torch.load',
    'safetensors.torch.load_file',
    'safetensors.torch.load_model',
    'safetensors.safe_open',
    'safe_open',
    'load_checkpoint_and_dispatch',
    'load_checkpoint_in_model',
    'checkpoints.restore_checkpoint',
    'keras.models.load_model',
    'load_weights',
  ],
  note: 'weights loaded from a checkpoint',
};
const LOAD_FROM_PRETRAINED: Signal = {
  call: ['from_pretrained'],
  receiver: '^(?!.*(tokeni[sz]er\\w*|processor|config|feature_extractor)$).',
  arg0: '^(?![rRbBuU]?["\'])|^[rRbBuU]?["\'](\\.{1,2}/|/|~)',
  note: '`from_pretrained` of a local path or variable',
};
const LOAD_TFJS: Signal = { call: ['tf.loadLayersModel', 'tf.loadGraphModel', '*tfjs*.loadLayersModel', '*tfjs*.loadGraphModel'], lang: ['typescript', 'javascript'] };

export const capability: CapabilityDef = {
  id: 'modeling',
  title: 'Modeling',
  tableTitle: 'Modeling (init, dtype, device, LoRA/PEFT)',
  why: 'The model factory decides what gets trained and served: device placement and dtype decide memory and speed, adapters decide what is trainable, and checkpoint loading decides whether results can be resumed or reproduced.',
  subfeatures: [
    {
      id: 'modeling.factory',
      title: 'Model factory',
      core: true,
      summary: 'Model construction: a class deriving nn.Module/PreTrainedModel/LightningModule/flax/keras, `AutoModel*.from_pretrained`, or a build/create/get/load_model function.',
      gap: 'No model factory: add one `build_model(config)` entry point that constructs the model from the config (own `nn.Module` or `AutoModel*.from_pretrained`).',
      signals: [FACTORY_CLASSES, FACTORY_CALLS, FACTORY_TFJS, FACTORY_DEFS],
    },
    {
      id: 'modeling.device',
      title: 'Device placement',
      core: true,
      summary: 'Explicit device placement: `.to(device)`, `.cuda()`, `device_map=`, `torch.device(...)`, `torch.cuda.is_available()`, `accelerator.prepare`.',
      gap: 'No explicit device placement: resolve the device once (`torch.device("cuda" if torch.cuda.is_available() else "cpu")`, or a `--device` flag) and move the model and batches with `.to(device)`.',
      signals: [DEVICE_TO, DEVICE_TO_KW, DEVICE_CUDA, DEVICE_MAP, DEVICE_CALLS, DEVICE_TENSOR_KW, DEVICE_TFJS, DEVICE_JS_KW],
    },
    {
      id: 'modeling.dtype',
      title: 'Explicit dtype',
      core: false,
      summary: '`torch_dtype=`, `dtype=torch.(b)float16`, `.half()`, `.bfloat16()`, `.to(dtype=...)`, or a dtype/precision config field.',
      gap: 'No explicit dtype: add a `dtype` config field (fp32/fp16/bf16) and pass it as `torch_dtype=` / `.to(dtype=...)` when the model is built.',
      signals: [DTYPE_KW, DTYPE_HALF_KW, DTYPE_CASTS, DTYPE_TO, DTYPE_TO_ARG, DTYPE_CONFIG, DTYPE_ASSIGN, DTYPE_ASSIGN_TORCH, DTYPE_CLI, DTYPE_CALLS, DTYPE_QUANT_KW],
    },
    {
      id: 'modeling.peft',
      title: 'LoRA/PEFT adapters',
      core: false,
      summary: 'Adapters: `peft` (`LoraConfig`, `get_peft_model`, `PeftModel`), `loralib`, or an own LoRA layer.',
      gap: 'No adapter support: wire optional LoRA through `peft` (`LoraConfig` + `get_peft_model`) behind a config flag, guarded by `try: import peft except ImportError`.',
      signals: [PEFT_IMPORTS, PEFT_CALLS, PEFT_DEFS, PEFT_NAMES],
    },
    {
      id: 'modeling.checkpoint_load',
      title: 'Load from checkpoint',
      core: false,
      summary: 'Weights loaded from a checkpoint: `load_state_dict`, `torch.load`, safetensors `load_file`/`safe_open`, `from_pretrained` of a local path.',
      gap: 'No load-from-checkpoint path: add `load_model(path)` that restores weights with `load_state_dict` (safetensors `load_file` or `torch.load(..., weights_only=True)`) and checks parity with the saved config.',
      signals: [LOAD_CALLS, LOAD_FROM_PRETRAINED, LOAD_TFJS],
    },
  ],
  risks: [
    'VRAM spikes when dtype and device are left to defaults',
    'Incorrect dtype casting (fp16 overflow, bf16 on unsupported hardware)',
    'Training slowdown or CPU fallback when placement is implicit',
  ],
  patchPlan:
    'Add a model factory `build_model(config)` with explicit device/dtype from CLI or config, torch autocast guards and optional PEFT adapters; load weights through one `load_model(path)` helper.',
  rollbackPlan: 'Revert the model factory and its CLI flags; keep the config schema fields so existing configs still parse.',
};
