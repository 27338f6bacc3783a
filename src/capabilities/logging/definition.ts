import type { CapabilityDef, Signal } from '../../model/capability.js';

/**
 * Logging & monitoring: a metrics backend (TensorBoard, W&B, MLflow, ...), system metrics, an offline
 * guard for network backends, and levelled named loggers. Silencing other libraries' loggers
 * (`logging.getLogger("transformers").setLevel(...)`) is not structured logging: a logger must emit.
 */

export const TRACKER_MODULES = ['wandb', 'mlflow', 'aim', 'comet_ml', 'clearml', 'neptune', 'dvclive', 'swanlab'];

// ---- logging.backend -------------------------------------------------------------------------

const BACKEND_CALLS: Signal = {
  call: [
    'SummaryWriter',
    'tf.summary.create_file_writer',
    'tensorflow.summary.create_file_writer',
    'wandb.init',
    'wandb.log',
    'mlflow.start_run',
    'mlflow.log_metric',
    'mlflow.log_metrics',
    'mlflow.autolog',
    'aim.Run',
    'comet_ml.Experiment',
    'comet_ml.start',
    'clearml.Task.init',
    'Task.init',
    'neptune.init_run',
    'neptune.init',
    'dvclive.Live',
    'swanlab.init',
    'TensorBoardLogger',
    'WandbLogger',
    'MLFlowLogger',
    'CometLogger',
    'NeptuneLogger',
    'AimLogger',
    'CSVLogger',
    'accelerator.init_trackers',
    'callbacks.TensorBoard',
  ],
  note: 'a metrics backend created or written to',
};
const BACKEND_IMPORTS: Signal = {
  import: ['tensorboardX', 'torch.utils.tensorboard', ...TRACKER_MODULES, 'pytorch_lightning.loggers', 'lightning.pytorch.loggers', 'lightning.fabric.loggers', '@wandb/sdk'],
  note: 'a metrics backend imported in code',
};
const BACKEND_REPORT_TO: Signal = { call: '**', kwValue: { report_to: 'wandb|tensorboard|mlflow|comet|all|clearml|neptune|aim|dvclive|swanlab' } };
const BACKEND_REPORT_TO_CONFIG: Signal = { configKey: '(^|\\.)report_to(\\.\\[\\])?$', value: 'wandb|tensorboard|mlflow|comet|all|clearml|neptune|aim' };
const BACKEND_TFJS: Signal = { call: ['tf.node.summaryFileWriter', '*tfjs*.node.summaryFileWriter', 'node.tensorBoard'], lang: ['typescript', 'javascript'] };

// ---- logging.system_metrics ------------------------------------------------------------------

const SYS_CALLS: Signal = {
  call: [
    'psutil.virtual_memory',
    'psutil.cpu_percent',
    'psutil.swap_memory',
    'psutil.disk_usage',
    'psutil.net_io_counters',
    'psutil.sensors_temperatures',
    'pynvml.nvml*',
    'GPUtil.getGPUs',
    'GPUtil.showUtilization',
    'torch.cuda.max_memory_allocated',
    'torch.cuda.memory_allocated',
    'torch.cuda.memory_reserved',
    'torch.cuda.max_memory_reserved',
    'torch.cuda.mem_get_info',
    'torch.cuda.memory_stats',
    'torch.cuda.memory_summary',
    'torch.cuda.utilization',
    'torch.cuda.reset_peak_memory_stats',
    'resource.getrusage',
    'DeviceStatsMonitor',
  ],
  note: 'system or GPU metrics sampled',
};
const SYS_PROCESS: Signal = { call: ['memory_info', 'memory_full_info', 'memory_percent', 'cpu_percent'], receiver: 'psutil|process|proc' };
const SYS_IMPORTS: Signal = { import: ['pynvml', 'nvidia_ml_py', 'py3nvml', 'GPUtil', 'gpustat', 'nvitop'] };
const SYS_NVIDIA_SMI: Signal = { call: ['subprocess.*', 'os.popen'], arg0: 'nvidia-smi' };

// ---- logging.offline_guard -------------------------------------------------------------------

const OFFLINE_ENV_ASSIGN: Signal = { assign: 'environ[WANDB_MODE]', note: '`WANDB_MODE` set in code' };
const OFFLINE_ENV_DISABLED: Signal = { assign: 'environ[WANDB_DISABLED]' };
const OFFLINE_ENV_CALL: Signal = { call: ['setdefault', 'putenv', 'setenv'], arg0: 'WANDB_(MODE|DISABLED|OFFLINE)|MLFLOW_TRACKING_URI' };
const OFFLINE_ENV_CONFIG: Signal = { configKey: '(^|\\.)(WANDB_MODE|WANDB_DISABLED)$' };
const OFFLINE_WANDB_MODE: Signal = { call: ['wandb.init', 'WandbLogger'], kwValue: { mode: 'offline|disabled|dryrun|mode' }, note: '`wandb.init(mode="offline")`' };
const OFFLINE_WANDB_OFFLINE_KW: Signal = { call: ['WandbLogger'], kwValue: { offline: '^(True|true|.*offline.*)$' } };
const OFFLINE_REPORT_TO_NONE: Signal = {
  call: '**',
  kwValue: { report_to: '^(none|None|\\[\\s*\\]|)$|else\\s*(["\']?none\\b|None\\b|\\[\\s*\\])' },
  note: '`report_to="none"` (or a tracker only when configured)',
};
const OFFLINE_REPORT_TO_CONFIG: Signal = { configKey: '(^|\\.)report_to$', value: '^(none|\\[\\])$' };
const OFFLINE_DEFAULT_OFF: Signal = { assign: '*wandb*', value: '^(False|None)$', note: 'a network backend off by default (`wandb_log = False`)' };
const OFFLINE_DEFAULT_OFF_MLFLOW: Signal = { assign: '*mlflow*', value: '^(False|None)$' };
const OFFLINE_DEFAULT_OFF_TRACKING: Signal = { assign: '*tracking*', value: '^False$' };
const OFFLINE_CLI_FLAG: Signal = {
  call: 'add_argument',
  arg0: '--((use|log|enable|with)[_-])?(wandb|mlflow|comet|neptune|clearml|tracking)\\b|--log[_-]to[_-]wandb',
  kwValue: { action: 'store_true' },
  note: 'a network backend enabled only by an opt-in flag',
};
const OFFLINE_CLI_DEFAULT: Signal = { call: 'add_argument', arg0: '--(report[_-]to|wandb[_-]mode|logger)', kwValue: { default: 'none|offline|disabled|tensorboard|csv' } };
const OFFLINE_AVAILABILITY: Signal = { call: ['importlib.util.find_spec', 'find_spec'], arg0: 'wandb|mlflow|comet|neptune|clearml' };
const OFFLINE_AVAILABILITY_BARE: Signal = { call: ['is_wandb_available', 'is_mlflow_available', 'is_comet_available', 'is_neptune_available', 'is_clearml_available'] };
/** Last resort: the guarded import itself (`try: import wandb` / `except ImportError`). */
const OFFLINE_TRY_IMPORT: Signal = {
  text: '^[ \\t]*(import|from) (wandb|mlflow|comet_ml|neptune|clearml|aim)\\b[^\\n]*\\n([ \\t]*[^\\n]*\\n){0,2}?[ \\t]*except[ \\t]*(\\(|ImportError|ModuleNotFoundError|Exception)',
  lang: ['python'],
  note: '`try: import wandb except ImportError`',
};

// ---- logging.structured ----------------------------------------------------------------------

const LOGGER_RECEIVER = '(^|\\.)(_?logger|_?log|_?LOGGER|_?LOG|lg|\\w+_logger|logger_\\w+)$|(getLogger|get_logger)\\(\\)$';
const EMIT_METHODS = ['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log', 'success', 'trace'];
const STRUCT_NAMED_LOGGER: Signal = {
  all: [{ call: ['getLogger', 'get_logger', 'getChild'] }, { call: EMIT_METHODS, receiver: LOGGER_RECEIVER }],
  within: 'file',
  note: 'a named logger that emits messages',
};
const STRUCT_CONFIG_CALLS: Signal = {
  call: ['logging.basicConfig', 'logging.config.dictConfig', 'logging.config.fileConfig', 'structlog.configure', 'coloredlogs.install', 'RichHandler', 'logging.FileHandler', 'logging.handlers.*'],
  note: 'logging configured with levels and handlers',
};
const STRUCT_ABSL: Signal = { call: ['absl.logging.info', 'absl.logging.warning', 'absl.logging.error', 'absl.logging.debug'] };
const STRUCT_IMPORTS: Signal = {
  import: ['loguru', 'structlog', 'rich.logging', 'coloredlogs', 'pino', 'winston', 'bunyan', 'log4js', 'consola', 'loglevel', 'signale', 'tslog', 'roarr', '@logtape/logtape'],
  note: 'a structured/levelled logging library',
};
const STRUCT_OWN_LEVELS: Signal = {
  all: [{ def: '^debug$', kind: ['method', 'function'] }, { def: '^(warn|warning)$', kind: ['method', 'function'] }, { def: '^error$', kind: ['method', 'function'] }],
  within: 'file',
  note: 'an own levelled logger (debug/warn/error)',
};

export const capability: CapabilityDef = {
  id: 'logging',
  title: 'Logging & Monitoring',
  tableTitle: 'Logging & Monitoring (TB/W&B/MLflow, psutil/NVML)',
  why: 'Runs that are not logged cannot be diagnosed: loss curves, GPU memory and levelled messages are how a failure at step 40k is understood, and network backends must not crash air-gapped jobs.',
  subfeatures: [
    {
      id: 'logging.backend',
      title: 'Metrics backend',
      core: true,
      summary: 'A metrics backend: TensorBoard (`SummaryWriter`, tensorboardX), wandb, mlflow, aim, comet_ml, clearml, Lightning loggers, `report_to=`.',
      gap: 'No metrics backend: log scalars (loss, lr, throughput) to a local TensorBoard `SummaryWriter` guarded by an import check, with W&B/MLflow optional.',
      signals: [BACKEND_CALLS, BACKEND_IMPORTS, BACKEND_REPORT_TO, BACKEND_REPORT_TO_CONFIG, BACKEND_TFJS],
    },
    {
      id: 'logging.system_metrics',
      title: 'System metrics',
      core: false,
      summary: 'System and GPU metrics: `psutil`, `pynvml`/`nvidia_ml_py`, `GPUtil`, `torch.cuda.max_memory_allocated`/`memory_allocated`.',
      gap: 'No system metrics: sample CPU/RAM with `psutil` and GPU memory with `torch.cuda.max_memory_allocated()` (NVML when available) at each log step.',
      signals: [SYS_CALLS, SYS_PROCESS, SYS_IMPORTS, SYS_NVIDIA_SMI],
    },
    {
      id: 'logging.offline_guard',
      title: 'Offline guard',
      core: false,
      summary: 'Network backends off by default or guarded: `WANDB_MODE`, `mode="offline"|"disabled"`, `report_to="none"`, `wandb_log = False` defaults, `try: import wandb except ImportError`.',
      gap: 'No offline guard: default network backends off (`report_to="none"`, `WANDB_MODE=offline`) and import them inside `try/except ImportError` so an air-gapped run never blocks on the network.',
      signals: [
        OFFLINE_ENV_ASSIGN,
        OFFLINE_ENV_DISABLED,
        OFFLINE_ENV_CALL,
        OFFLINE_ENV_CONFIG,
        OFFLINE_WANDB_MODE,
        OFFLINE_WANDB_OFFLINE_KW,
        OFFLINE_REPORT_TO_NONE,
        OFFLINE_REPORT_TO_CONFIG,
        OFFLINE_DEFAULT_OFF,
        OFFLINE_DEFAULT_OFF_MLFLOW,
        OFFLINE_DEFAULT_OFF_TRACKING,
        OFFLINE_CLI_FLAG,
        OFFLINE_CLI_DEFAULT,
        OFFLINE_AVAILABILITY,
        OFFLINE_AVAILABILITY_BARE,
        OFFLINE_TRY_IMPORT,
      ],
    },
    {
      id: 'logging.structured',
      title: 'Structured logging',
      core: false,
      summary: 'Named, levelled loggers that emit: `logging.getLogger(...)` with `.info(`/`.warning(`, `basicConfig`/`dictConfig`, loguru, structlog, rich; TS: pino, winston, bunyan, or an own levelled logger.',
      gap: 'No structured logging: use `logger = logging.getLogger(__name__)` in each module, configure levels once (`logging.basicConfig`/`dictConfig`) and replace bare `print` calls.',
      signals: [STRUCT_NAMED_LOGGER, STRUCT_CONFIG_CALLS, STRUCT_ABSL, STRUCT_IMPORTS, STRUCT_OWN_LEVELS],
    },
  ],
  risks: ['Crash or hang on an air-gapped machine when a network backend starts unguarded', 'Missing logs for a failed run', 'OOM causes invisible without GPU memory metrics'],
  patchPlan: 'Add a guarded TensorBoard writer plus a psutil/NVML sampler; disable network backends by default (`report_to="none"`, `WANDB_MODE=offline`); route messages through `logging.getLogger(__name__)`.',
  rollbackPlan: 'Remove the logging hooks and keep no-op shims with the same names so call sites still run.',
};
