import type { CapabilityDef, Signal } from '../../model/capability.js';

/**
 * Experiment tracking: a tracker (runs with parameters and metrics), a local/offline store, run
 * provenance (git SHA, config dump, logged hyperparameters) and artifacts. TensorBoard counts as a
 * tracker only when hyperparameters are recorded (`add_hparams`); plain scalars are logging.
 */

// ---- tracking.tracker ------------------------------------------------------------------------

const TRACKER_CALLS: Signal = {
  call: [
    'mlflow.start_run',
    'mlflow.log_metric',
    'mlflow.log_metrics',
    'mlflow.log_param',
    'mlflow.log_params',
    'mlflow.set_experiment',
    'mlflow.autolog',
    'wandb.init',
    'aim.Run',
    'comet_ml.Experiment',
    'comet_ml.start',
    'clearml.Task.init',
    'Task.init',
    'sacred.Experiment',
    'neptune.init_run',
    'neptune.init',
    'dvclive.Live',
    'swanlab.init',
    'add_hparams',
    'MLFlowLogger',
    'WandbLogger',
    'CometLogger',
    'NeptuneLogger',
    'AimLogger',
    'accelerator.init_trackers',
    'dvc.api.params_show',
  ],
  note: 'an experiment tracker run',
};
const TRACKER_IMPORTS: Signal = { import: ['mlflow', 'wandb', 'aim', 'comet_ml', 'clearml', 'sacred', 'neptune', 'dvclive', 'swanlab', 'guild'], note: 'a tracker imported in code' };
const TRACKER_REPORT_TO: Signal = { call: '**', kwValue: { report_to: 'wandb|mlflow|comet|all|clearml|neptune|aim|dvclive|swanlab' } };
const TRACKER_REPORT_TO_CONFIG: Signal = { configKey: '(^|\\.)report_to(\\.\\[\\])?$', value: 'wandb|mlflow|comet|all|clearml|neptune|aim' };
const TRACKER_DVC: Signal = { configKey: '^(metrics|params|plots)(\\.|$)', paths: ['**/dvc.yaml'], note: 'DVC experiment metrics/params' };

// ---- tracking.local_store --------------------------------------------------------------------

/** A local tracking location: `file:` URI, a path, `mlruns`, sqlite (not `databricks` or `http(s)://`). */
const LOCAL_PATH = 'file:|^[rfRF]?["\'](?!databricks)(\\.{0,2}/|~|[^:"\']+["\']$)|mlruns|sqlite';
const LOCAL_MLFLOW_URI: Signal = { call: ['mlflow.set_tracking_uri', 'MlflowClient', 'mlflow.tracking.MlflowClient'], arg0: LOCAL_PATH, note: 'MLflow on a local file store' };
const LOCAL_MLFLOW_KW: Signal = { call: ['MLFlowLogger', 'MlflowClient', 'mlflow.tracking.MlflowClient'], kwValue: { tracking_uri: 'file:|^\\.{0,2}/|mlruns|sqlite' } };
const LOCAL_MLFLOW_ENV: Signal = { assign: 'environ[MLFLOW_TRACKING_URI]', value: 'file:|^\\.{0,2}/|mlruns|sqlite|path|dir' };
const LOCAL_MLFLOW_ENV_CALL: Signal = { call: ['setdefault', 'putenv', 'setenv'], arg0: 'MLFLOW_TRACKING_URI' };
const LOCAL_MLRUNS: Signal = { file: ['mlruns/', '.aim/'] };
const LOCAL_WANDB_OFFLINE: Signal = { call: ['wandb.init', 'WandbLogger'], kwValue: { mode: 'offline|dryrun' }, note: '`wandb.init(mode="offline")`' };
const LOCAL_WANDB_OFFLINE_FLAG: Signal = { call: 'WandbLogger', kwValue: { offline: '^(True|true)$' } };
const LOCAL_WANDB_ENV: Signal = { assign: 'environ[WANDB_MODE]', value: 'offline|dryrun' };
const LOCAL_WANDB_ENV_CALL: Signal = { call: ['setdefault', 'putenv', 'setenv'], arg0: 'WANDB_MODE' };
const LOCAL_ENV_CONFIG: Signal = { configKey: '(^|\\.)(WANDB_MODE|MLFLOW_TRACKING_URI)$', value: 'offline|dryrun|file:|^\\.{0,2}/|mlruns' };
const LOCAL_ENV_TEXT: Signal = {
  text: 'WANDB_MODE=["\']?(offline|dryrun)|MLFLOW_TRACKING_URI=["\']?(file:|\\.{0,2}/|mlruns)',
  paths: ['**/*.{sh,bash,zsh,slurm,sbatch,yaml,yml,toml,ini,cfg,env}', '**/.env*', '**/Dockerfile*', '**/*.dockerfile', '**/Makefile', '**/justfile'],
  note: 'an offline tracking switch in scripts',
};
const LOCAL_AIM: Signal = { call: ['aim.Run', 'AimLogger'], note: 'Aim writes runs to a local repository' };

// ---- tracking.run_metadata -------------------------------------------------------------------

export const RUN_GIT_SHA: Signal = {
  call: ['subprocess.*', 'os.popen', 'check_output', 'run', 'getoutput', 'execSync', 'execFileSync', 'spawnSync', 'exec', 'execFile'],
  arg0: 'rev-parse|git\\W{1,6}describe|git\\W{1,6}log\\W',
  note: 'git SHA captured',
};
export const RUN_GITPYTHON: Signal = { call: ['git.Repo', 'git.repo.Repo'], note: 'GitPython repository read' };
export const RUN_HEXSHA: Signal = { name: '^(hexsha|git_sha|git_hash|git_commit|git_revision)$', lang: ['python', 'typescript', 'javascript'] };
export const RUN_CONFIG_DUMP: Signal = {
  call: ['yaml.dump', 'yaml.safe_dump', 'json.dump', 'OmegaConf.save', 'toml.dump', 'save_hyperparameters'],
  arg0: 'config|cfg|conf\\b|args|hparams|hyper_?params|vars\\(|asdict|__dict__|training_args|settings',
  note: 'run config dumped',
};
const RUN_SAVE_HPARAMS: Signal = { call: 'save_hyperparameters' };
export const RUN_CONFIG_WRITE: Signal = { call: 'write', receiver: '.', arg0: 'json\\.dumps\\((config|cfg|args|vars\\(|asdict|hparams|hyper_?params|training_args|\\w*config\\.to_dict)', note: 'run config written as JSON' };
export const RUN_TRACKER_PARAMS: Signal = {
  call: ['mlflow.log_params', 'mlflow.log_param', 'wandb.config.update', 'wandb.run.config.update', 'run.config.update', 'add_hparams', 'log_parameters', 'log_hyperparams', 'log_hyperparameters', 'task.connect', 'Task.connect'],
  note: 'hyperparameters logged to the tracker',
};
export const RUN_TRACKER_CONFIG_KW: Signal = { call: ['wandb.init', 'accelerator.init_trackers', 'aim.Run', 'comet_ml.start'], kw: ['config'] };
const RUN_WANDB_CONFIG_ASSIGN: Signal = { assign: 'wandb.config.*' };

// ---- tracking.artifacts ----------------------------------------------------------------------

const ART_CALLS: Signal = {
  call: ['log_artifact', 'log_artifacts', 'wandb.Artifact', 'use_artifact', 'wandb.save', 'mlflow.**.log_model', 'upload_artifact', 'log_model', 'dvclive.Live.log_artifact'],
  note: 'artifacts logged',
};
const ART_NAMES: Signal = { name: '^(artifacts?_dir|artifact_path|artifacts_path|artifact_root|run_dir|run_output_dir|experiment_dir|exp_dir)$', lang: ['python'] };
const ART_RUN_SCOPED_DIR: Signal = {
  assign: '*_dir',
  value: 'strftime|datetime|time\\.time|run_name|run_id|exp_name|experiment_name|uuid|timestamp|wandb\\.run|\\{[^}]*(name|id|time|date|stamp)[^}]*\\}',
  note: 'a run-scoped output folder',
};
const ART_DVC_OUTS: Signal = { configKey: '^stages\\.[^.]+\\.outs', paths: ['**/dvc.yaml'] };

export const capability: CapabilityDef = {
  id: 'tracking',
  title: 'Experiment Tracking',
  tableTitle: 'Experiment Tracking (MLflow local, W&B offline)',
  why: 'Without a tracker, the link between a result and the code, config and data that produced it is lost; a local store keeps that provenance on air-gapped machines.',
  subfeatures: [
    {
      id: 'tracking.tracker',
      title: 'Experiment tracker',
      core: true,
      summary: 'An experiment tracker: mlflow, wandb, aim, comet_ml, clearml, DVC experiments, sacred, TensorBoard `add_hparams`.',
      gap: 'No experiment tracker: record each run (params, metrics, artifacts) with MLflow on a local file store, or W&B in offline mode.',
      signals: [TRACKER_CALLS, TRACKER_IMPORTS, TRACKER_REPORT_TO, TRACKER_REPORT_TO_CONFIG, TRACKER_DVC],
    },
    {
      id: 'tracking.local_store',
      title: 'Local/offline store',
      core: false,
      summary: 'A local/offline store: `mlflow.set_tracking_uri("file:...")`, `mlruns/`, `MLFLOW_TRACKING_URI` set to a path, `wandb.init(mode="offline")`, `WANDB_MODE=offline`.',
      gap: 'No local tracking store: point MLflow at `file:./mlruns` (or set `WANDB_MODE=offline`) by default so runs are recorded without network access.',
      signals: [
        LOCAL_MLFLOW_URI,
        LOCAL_MLFLOW_KW,
        LOCAL_MLFLOW_ENV,
        LOCAL_MLFLOW_ENV_CALL,
        LOCAL_MLRUNS,
        LOCAL_WANDB_OFFLINE,
        LOCAL_WANDB_OFFLINE_FLAG,
        LOCAL_WANDB_ENV,
        LOCAL_WANDB_ENV_CALL,
        LOCAL_ENV_CONFIG,
        LOCAL_ENV_TEXT,
        LOCAL_AIM,
      ],
    },
    {
      id: 'tracking.run_metadata',
      title: 'Run provenance',
      core: false,
      summary: 'Provenance per run: git SHA capture (`git rev-parse`, GitPython), config dumped next to outputs, hyperparameters logged (`log_params`, `wandb.config`).',
      gap: 'No run provenance: record the git SHA (`git rev-parse HEAD`), the resolved config (dumped next to the outputs) and the hyperparameters in the tracker for every run.',
      signals: [RUN_GIT_SHA, RUN_GITPYTHON, RUN_HEXSHA, RUN_CONFIG_DUMP, RUN_CONFIG_WRITE, RUN_SAVE_HPARAMS, RUN_TRACKER_PARAMS, RUN_TRACKER_CONFIG_KW, RUN_WANDB_CONFIG_ASSIGN],
    },
    {
      id: 'tracking.artifacts',
      title: 'Artifact directory',
      core: false,
      summary: '`log_artifact`, `wandb.Artifact`, an `artifacts_dir`/`output_dir` with run-scoped subfolders.',
      gap: 'No artifact directory: write each run to `artifacts/<run_id>/` (config, metrics, checkpoints) and log it with `log_artifact`.',
      signals: [ART_CALLS, ART_NAMES, ART_RUN_SCOPED_DIR, ART_DVC_OUTS],
    },
  ],
  risks: ['Loss of provenance: results cannot be traced to code, config and data', 'Runs lost or blocked on air-gapped machines when the tracker needs the network', 'Artifacts overwritten between runs without run-scoped folders'],
  patchPlan: 'Add an `mlflow_offline` helper that forces a local `file:` tracking URI, logs params, metrics, git SHA and the config, and writes artifacts to a run-scoped folder; tests assert no network is used.',
  rollbackPlan: 'Revert the helper; keep logs and metrics on disk only.',
};
