import type { CapabilityDef, Signal } from '../../model/capability.js';

/**
 * Configuration management: experiment/app config files, runtime overrides from the command line,
 * layered defaults, validation and sweeps. Tool and repository-metadata files are never experiment
 * configuration: tsconfig, lint/format/test/bundler configs, CI, pre-commit, compose, package files.
 */

/** Tool and repository-metadata files that are never experiment configuration. */
export const NOT_EXPERIMENT_CONFIG = [
  '**/tsconfig*.json',
  '**/jsconfig*.json',
  '**/*eslint*',
  '**/*prettier*',
  '**/biome.json*',
  '**/*babel*',
  '**/*jest*',
  '**/vitest*',
  '**/vite.config*',
  '**/*webpack*',
  '**/*rollup*',
  '**/esbuild*',
  '**/tsup.config*',
  '**/*stylelint*',
  '**/*commitlint*',
  '**/*markdownlint*',
  '**/*lint-staged*',
  '**/.github/**',
  '**/.gitlab/**',
  '**/.gitlab-ci.y*ml',
  '**/.circleci/**',
  '**/.buildkite/**',
  '**/azure-pipelines*.y*ml',
  '**/.travis.y*ml',
  '**/.pre-commit-config.y*ml',
  '**/.pre-commit-hooks.y*ml',
  '**/*compose*.y*ml',
  '**/mkdocs*.y*ml',
  '**/.readthedocs*.y*ml',
  '**/package.json',
  '**/package-lock.json',
  '**/pnpm-*.yaml',
  '**/yarn*',
  '**/.yarnrc*',
  '**/lerna.json',
  '**/nx.json',
  '**/turbo.json',
  '**/deno.json*',
  '**/renovate*.json*',
  '**/.renovaterc*',
  '**/dependabot.y*ml',
  '**/codecov.y*ml',
  '**/.codecov.y*ml',
  '**/pyproject.toml',
  '**/poetry.lock',
  '**/uv.lock',
  '**/Cargo.toml',
  '**/environment*.y*ml',
  '**/conda-*.y*ml',
  '**/.devcontainer/**',
  '**/.vscode/**',
  '**/.idea/**',
  '**/.changeset/**',
  '**/.release-please*',
  '**/release-please*',
  '**/citation.cff',
  '**/.secrets.baseline',
  '**/.gitleaks.toml',
  '**/.codex-audit*',
  '**/codex-audit.config.*',
  '**/docs/conf.py',
  '**/doc/conf.py',
  '**/setup.py',
  '**/__init__.py',
];

/** TS/JS tooling folders: a benchmark or repository script parsing argv is not the app's configuration. */
const JS_TOOLING = ['**/bench/**', '**/benchmark/**', '**/benchmarks/**', '**/scripts/**', '**/tools/**', '**/fixtures/**', '**/__fixtures__/**'];

// ---- configuration.files ---------------------------------------------------------------------

/** Folders whose name says config (`conf/`, `configs/`, `config_hub/`, `model_configs/`), not `conformer/`. */
export const CONFIG_DIR = '**/{*conf,*confs,*config,*configs,*configuration,*configurations,conf_*,config_*,configs_*,conf-*,config-*,configs-*}/**';

const FILES_IN_CONFIG_DIR: Signal = {
  file: [`${CONFIG_DIR}/*.{yaml,yml,toml,json,jsonc}`, `${CONFIG_DIR}/*.py`],
  notPaths: NOT_EXPERIMENT_CONFIG,
  note: 'a config file in a config folder',
};
const FILES_NAMED_CONFIG: Signal = {
  file: ['*config*.{yaml,yml,toml,json}', '*config*.py', '*hparams*.{yaml,yml,json}', '*hyperparams*.{yaml,yml,json}'],
  notPaths: NOT_EXPERIMENT_CONFIG,
  note: 'a file named like a config',
};

// ---- configuration.overrides -----------------------------------------------------------------

const OVERRIDE_CALLS: Signal = {
  call: [
    'argparse.ArgumentParser',
    'HfArgumentParser',
    'fire.Fire',
    'typer.Typer',
    'typer.run',
    'jsonargparse.CLI',
    'jsonargparse.ArgumentParser',
    'tyro.cli',
    'simple_parsing.parse',
    'simple_parsing.ArgumentParser',
    'docopt.docopt',
    'LightningCLI',
    'OmegaConf.from_cli',
    'merge_from_args',
    'merge_from_list',
    'OmegaConf.from_dotlist',
    'configargparse.ArgParser',
    'configargparse.ArgumentParser',
    'absl.app.run',
    'flags.DEFINE_*',
  ],
  note: 'command-line overrides parsed',
};
const OVERRIDE_DECORATORS: Signal = {
  decorators: ['hydra.main', 'click.command', 'click.group', 'click.option', 'app.command', 'typer.Typer.command'],
  note: 'a CLI entry decorated by Hydra/click/typer',
};
const OVERRIDE_CLICK: Signal = { import: ['click', 'typer', 'absl.flags', 'ml_collections.config_flags'], note: 'a CLI framework imported in code' };
const OVERRIDE_GLOBALS: Signal = {
  all: [{ name: '^argv$' }, { call: 'globals', receiver: '^$' }],
  within: 'file',
  lang: ['python'],
  note: '`--key=value` arguments parsed into globals (nanoGPT configurator style)',
};
const OVERRIDE_ARGV: Signal = { call: '**', arg0: '^sys\\.argv', lang: ['python'], note: 'command-line arguments parsed into the config' };
const OVERRIDE_JS: Signal = {
  import: ['commander', 'yargs', 'yargs/yargs', 'minimist', 'meow', 'cac', 'sade', 'mri', 'arg', 'clipanion', '@oclif/core'],
  lang: ['typescript', 'javascript'],
  notPaths: JS_TOOLING,
};
const OVERRIDE_NODE_PARSEARGS: Signal = { call: ['util.parseArgs', 'node:util.parseArgs', 'parseArgs'], lang: ['typescript', 'javascript'], notPaths: JS_TOOLING };

// ---- configuration.hierarchy -----------------------------------------------------------------

const HIER_HYDRA: Signal = { decorators: ['hydra.main'], note: 'Hydra composes defaults, config files and CLI overrides' };
const HIER_CALLS: Signal = {
  call: [
    'OmegaConf.merge',
    'OmegaConf.unsafe_merge',
    'hydra.compose',
    'merge_from_file',
    'merge_from_list',
    'merge_from_other_cfg',
    'Config.fromfile',
    'parse_yaml_file',
    'parse_json_file',
    'deep_update',
    'dict_merge',
  ],
  receiver: '^(?!.*(re|regex|np|numpy|torch|os\\.path|functools)$)',
  note: 'a config merged over defaults',
};
const HIER_DEFAULTS_LIST: Signal = { configKey: '^defaults(\\.\\[\\])?(\\.|$)', paths: [CONFIG_DIR], note: 'a Hydra defaults list' };
const HIER_BASE_KEY: Signal = { configKey: '^(_base_|__base__|base_config|base_configs|inherit_from)(\\.|$)', notPaths: NOT_EXPERIMENT_CONFIG };
const HIER_BASE_ASSIGN: Signal = { assign: '_base_', lang: ['python'] };
const HIER_MERGE_DEFS: Signal = {
  def: '^(deep_?merge\\w*|merge_(configs?|dicts?|cfgs?|config_dicts?|with_defaults)|update_config|recursive_update|deep_update|override_config|apply_overrides|load_config_with_defaults)$',
  kind: ['function', 'method'],
};
const CONFIG_FILE_LOAD: Signal = { call: ['yaml.safe_load', 'yaml.load', 'yaml.full_load', 'json.load', 'toml.load', 'tomllib.load', 'OmegaConf.load'] };
const HIER_FILE_OVER_DEFAULTS: Signal = {
  all: [CONFIG_FILE_LOAD, { call: ['update', 'merge'], receiver: '(^|[._])(config|cfg|conf|args|defaults?|params|hparams|settings|opts|options|__dict__|vars\\(\\))$' }],
  within: 'scope',
  note: 'a config file loaded over defaults',
};
const HIER_FILE_AS_CLI_DEFAULTS: Signal = {
  all: [CONFIG_FILE_LOAD, { call: 'set_defaults*', receiver: '.' }],
  within: 'scope',
  note: 'a config file set as argument defaults, the command line on top',
};
const HIER_EXEC_CONFIG: Signal = { call: 'exec', receiver: '^$', arg0: 'open\\(', lang: ['python'], note: 'a config file executed over module defaults' };
const HIER_JSONARGPARSE: Signal = { name: '^ActionConfigFile$' };
const HIER_JS: Signal = { import: ['cosmiconfig', 'lilconfig', 'convict', 'rc', 'c12', 'nconf', 'deepmerge', 'defu', 'lodash.merge'], lang: ['typescript', 'javascript'], notPaths: JS_TOOLING };

// ---- configuration.validation ----------------------------------------------------------------

const CONFIG_NAME = '(config|conf|cfg|args|arguments|settings|options|params|hparams|hyperparameters|hyper_parameters|spec)$';
const VALID_DATACLASS: Signal = {
  def: CONFIG_NAME,
  kind: ['class'],
  decorators: ['dataclass', 'dataclasses.dataclass', 'attr.s', 'attrs.define', 'attr.define', 'attrs.frozen', 'define', 'frozen', 'pydantic.dataclasses.dataclass', 'chz.chz'],
  note: 'a typed config dataclass',
};
const VALID_PYDANTIC: Signal = {
  def: CONFIG_NAME,
  kind: ['class'],
  bases: ['pydantic.BaseModel', 'BaseModel'],
  lang: ['python'],
};
const VALID_SETTINGS: Signal = { bases: ['BaseSettings', 'pydantic_settings.BaseSettings'] };
const VALID_CALLS: Signal = { call: ['OmegaConf.structured', 'jsonschema.validate', 'ConfigStore.instance', 'marshmallow.Schema'] };
/** A schema library counts for configuration where the file is about configuration (not request validation). */
const VALID_JS_IMPORTS: Signal = {
  import: ['zod', 'ajv', 'joi', 'valibot', 'yup', 'superstruct', '@sinclair/typebox', 'arktype', 'convict'],
  lang: ['typescript', 'javascript'],
  paths: ['**/*{config,conf,settings,env,options}*', '**/{config,configs,conf,settings}/**'],
  notPaths: JS_TOOLING,
};
const VALID_TS_TYPES: Signal = {
  def: '(options|config|configuration|settings)$',
  kind: ['interface', 'type'],
  lang: ['typescript'],
  notPaths: JS_TOOLING,
  note: 'an options/config type checked by the compiler',
};

// ---- configuration.sweeps --------------------------------------------------------------------

const SWEEP_IMPORTS: Signal = { import: ['optuna', 'ray.tune', 'hyperopt', 'nevergrad', 'skopt', 'keras_tuner', 'ax.service', 'syne_tune', 'flaml'], note: 'a hyperparameter search library' };
const SWEEP_RAY_NAMES: Signal = { import: ['ray'], names: '^tune$' };
const SWEEP_CALLS: Signal = { call: ['wandb.sweep', 'wandb.agent', 'optuna.create_study', 'GridSearchCV', 'RandomizedSearchCV', 'tune.run', 'tune.Tuner'] };
const SWEEP_WANDB_FILE: Signal = { all: [{ configKey: '^method$', value: '^(grid|random|bayes)$' }, { configKey: '^parameters\\.' }], within: 'file', note: 'a W&B sweep file' };
const SWEEP_HYDRA: Signal = { configKey: '^hydra\\.(sweeper|sweep)(\\.|$)' };
const SWEEP_HYDRA_DEFAULTS: Signal = { configKey: '^defaults', value: 'hydra/sweeper|hydra/launcher' };
const SWEEP_FILES: Signal = { file: ['**/hydra/sweeper/**', '*sweep*.{yaml,yml,json}'] };

export const capability: CapabilityDef = {
  id: 'configuration',
  title: 'Configuration Management',
  tableTitle: 'Configuration Mgmt (Hydra/YAML, overrides, sweeps)',
  why: 'A run is only reproducible when every setting that shaped it lives in a config that can be read back, overridden at the command line and validated before compute is spent.',
  subfeatures: [
    {
      id: 'configuration.files',
      title: 'Config files',
      core: true,
      summary: 'Experiment/app config files: YAML/TOML/JSON (or Python config modules) in a `conf`/`config` folder, or named `*config*`. Tool configs (tsconfig, lint, CI, compose, package files) do not count.',
      gap: 'No experiment config files: add `configs/base.yaml` (seed, model, data, optimizer, precision, device, output dir) and one experiment file overriding it.',
      signals: [FILES_IN_CONFIG_DIR, FILES_NAMED_CONFIG],
    },
    {
      id: 'configuration.overrides',
      title: 'Runtime overrides',
      core: true,
      summary: 'Runtime overrides from the command line: argparse, click, typer, fire, HfArgumentParser, jsonargparse, `@hydra.main`, `--key=value` into globals; TS: commander, yargs.',
      gap: 'No runtime overrides: parse the command line (argparse/`HfArgumentParser`, or Hydra `key=value`) into the config so a run can change a setting without editing files.',
      signals: [OVERRIDE_CALLS, OVERRIDE_DECORATORS, OVERRIDE_CLICK, OVERRIDE_GLOBALS, OVERRIDE_ARGV, OVERRIDE_JS, OVERRIDE_NODE_PARSEARGS],
    },
    {
      id: 'configuration.hierarchy',
      title: 'Hierarchical defaults',
      core: false,
      summary: 'Layered configuration: defaults overridden by files and then by the command line (Hydra defaults lists, `OmegaConf.merge`, a YAML file loaded over dataclass defaults, base + experiment files).',
      gap: 'No hierarchical defaults: load defaults (a dataclass or `base.yaml`), merge the experiment file over them (`OmegaConf.merge`), then apply command-line overrides last.',
      signals: [HIER_HYDRA, HIER_CALLS, HIER_DEFAULTS_LIST, HIER_BASE_KEY, HIER_BASE_ASSIGN, HIER_MERGE_DEFS, HIER_FILE_OVER_DEFAULTS, HIER_FILE_AS_CLI_DEFAULTS, HIER_EXEC_CONFIG, HIER_JSONARGPARSE, HIER_JS],
    },
    {
      id: 'configuration.validation',
      title: 'Typed/validated config',
      core: false,
      summary: 'Typed or validated configuration: pydantic models, `@dataclass` configs, OmegaConf structured configs, attrs; TS: zod, ajv, joi, valibot, or an options type.',
      gap: 'No config validation: declare the config as a dataclass or pydantic model (OmegaConf structured config) so unknown keys and wrong types fail before the run starts.',
      signals: [VALID_DATACLASS, VALID_PYDANTIC, VALID_SETTINGS, VALID_CALLS, VALID_JS_IMPORTS, VALID_TS_TYPES],
    },
    {
      id: 'configuration.sweeps',
      title: 'Sweep-ready config',
      core: false,
      summary: 'Sweeps: Hydra multirun/sweeper, W&B sweep files (`method: grid|random|bayes`), optuna, ray.tune.',
      gap: 'No sweep support: add a sweep definition (Hydra `--multirun` with a sweeper, or a W&B sweep YAML with `method`/`parameters`) over the config keys worth searching.',
      signals: [SWEEP_IMPORTS, SWEEP_RAY_NAMES, SWEEP_CALLS, SWEEP_WANDB_FILE, SWEEP_HYDRA, SWEEP_HYDRA_DEFAULTS, SWEEP_FILES],
    },
  ],
  risks: ['Unreproducible runs when settings live only in code or shell history', 'Fragile CLI: typos in overrides pass silently without validation', 'Silent drift between experiments that copy and edit whole config files'],
  patchPlan: 'Add `configs/` with `base.yaml` and `experiment.yaml`; load them with OmegaConf over a dataclass schema (no network) and apply command-line overrides last.',
  rollbackPlan: 'Keep the plain YAML files as the fallback; remove the Hydra/OmegaConf wrapper and its entry point.',
};
