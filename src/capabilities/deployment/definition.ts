import type { CapabilityDef, Signal } from '../../model/capability.js';

/**
 * Deployment: packaging metadata, CLI entry points, a container outside `.devcontainer/`, and a serving
 * surface (web/UI app or a model server launcher).
 */

const PYPROJECT = ['**/pyproject.toml'];
/** Where launch commands live: shell scripts, container files, CI/compose/k8s YAML, make/just, Procfiles, job scripts. */
export const LAUNCH_FILES = ['**/*.{sh,bash,zsh,slurm,sbatch,yaml,yml,toml}', '**/Dockerfile*', '**/*.dockerfile', '**/Containerfile*', '**/Makefile', '**/justfile', '**/Procfile'];
const SETUP_CFG = ['**/setup.cfg'];
const PACKAGE_JSON = ['**/package.json'];

// ---- deployment.packaging --------------------------------------------------------------------

const PKG_PYPROJECT: Signal = { configKey: '^(project|tool\\.poetry|tool\\.flit\\.metadata)\\.name$', paths: PYPROJECT, note: 'pyproject package metadata' };
const PKG_SETUP_PY: Signal = { file: ['setup.py'], note: 'a setup.py' };
const PKG_SETUP_CFG: Signal = { configKey: '^metadata\\.name$', paths: SETUP_CFG };
const PKG_PACKAGE_JSON: Signal = {
  all: [{ configKey: '^name$' }, { configKey: '^version$' }],
  within: 'file',
  paths: PACKAGE_JSON,
  note: 'package.json with name and version',
};
const PKG_CONDA: Signal = { configKey: '^package\\.name$', paths: ['**/meta.yaml', '**/recipe.yaml'] };

// ---- deployment.cli_entrypoints --------------------------------------------------------------

const CLI_PYPROJECT: Signal = { configKey: '^(project\\.(scripts|gui-scripts)|tool\\.poetry\\.scripts|tool\\.flit\\.scripts)\\.', paths: PYPROJECT, note: 'console scripts declared' };
const CLI_SETUP_CFG: Signal = { configKey: '^options\\.entry_points(\\.console_scripts)?', paths: SETUP_CFG };
const CLI_SETUP_PY: Signal = { call: ['setup', 'setuptools.setup', 'distutils.core.setup'], kw: ['entry_points', 'scripts'], paths: ['**/setup.py'] };
const CLI_MAIN_MODULE: Signal = { file: ['__main__.py'], note: 'a `python -m` entry point' };
const CLI_PACKAGE_BIN: Signal = { configKey: '^bin(\\.|$)', paths: PACKAGE_JSON, note: 'package.json `bin`' };

// ---- deployment.container --------------------------------------------------------------------

const CONTAINER_FILES: Signal = {
  file: ['Dockerfile', 'Dockerfile.*', '*.Dockerfile', '*.dockerfile', 'Containerfile', 'Containerfile.*', 'docker-compose.y*ml', 'docker-compose.*.y*ml', 'compose.y*ml', 'compose.*.y*ml', 'Singularity', 'Singularity.*', 'Apptainer', '*.apptainer'],
  notPaths: ['**/.devcontainer/**', '**/*.{py,ts,tsx,js,mjs,cjs,jsx,md,rst,txt,json,ipynb}'],
  note: 'a container definition',
};

// ---- deployment.serving ----------------------------------------------------------------------

const SERVE_CALLS: Signal = {
  call: [
    'fastapi.FastAPI',
    'fastapi.APIRouter',
    'flask.Flask',
    'gradio.Interface',
    'gradio.Blocks',
    'gradio.ChatInterface',
    'uvicorn.run',
    'litserve.LitServer',
    'bentoml.Service',
    'starlette.applications.Starlette',
    'sanic.Sanic',
    'aiohttp.web.Application',
    'aiohttp.web.run_app',
    'tornado.web.Application',
    'grpc.server',
    'waitress.serve',
    'ray.serve.run',
    'serve.run',
    'vllm.entrypoints.**',
    'modal.asgi_app',
  ],
  note: 'a serving app created',
};
const SERVE_IMPORTS: Signal = { import: ['streamlit', 'gradio', 'vllm.entrypoints', 'ray.serve', 'litserve', 'bentoml', 'sglang.srt.server', 'chainlit'], note: 'a serving framework imported in code' };
const SERVE_DECORATORS: Signal = { decorators: ['bentoml.service', 'serve.deployment', 'ray.serve.deployment', 'modal.web_endpoint', 'modal.asgi_app', 'modal.fastapi_endpoint'] };
const SERVE_TORCHSERVE: Signal = { bases: ['base_handler.BaseHandler', 'ts.torch_handler.base_handler.BaseHandler'], note: 'a TorchServe handler' };
const SERVE_LAUNCHERS: Signal = {
  text: 'vllm serve\\b|vllm\\.entrypoints\\.(openai\\.)?api_server|text-generation-launcher|tritonserver\\b|torchserve --start|sglang\\.launch_server|ollama serve|mlflow models serve|llama-server\\b',
  paths: LAUNCH_FILES,
  note: 'a model server launched',
};
const SERVE_JS: Signal = {
  call: ['express', 'fastify', 'Fastify', 'hono.Hono', 'Hono', 'koa', 'Koa', 'NestFactory.create', '@nestjs/core.NestFactory.create', 'h3.createApp', 'elysia.Elysia'],
  lang: ['typescript', 'javascript'],
  note: 'a JS web server created',
};

export const capability: CapabilityDef = {
  id: 'deployment',
  title: 'Deployment',
  tableTitle: 'Deployment (packaging, CLI entrypoints, Docker)',
  why: 'A model that cannot be installed, launched from a command or built into an image stays on one machine: packaging, entry points and a container make it runnable elsewhere.',
  subfeatures: [
    {
      id: 'deployment.packaging',
      title: 'Packaging metadata',
      core: true,
      summary: '`pyproject.toml` `[project]`/`[tool.poetry]`, `setup.py`, `setup.cfg [metadata]`, `package.json` with name and version.',
      gap: 'No packaging metadata: add `pyproject.toml` with `[project]` name, version, Python requirement and dependencies, so the code installs with `pip install -e .`.',
      signals: [PKG_PYPROJECT, PKG_SETUP_PY, PKG_SETUP_CFG, PKG_PACKAGE_JSON, PKG_CONDA],
    },
    {
      id: 'deployment.cli_entrypoints',
      title: 'CLI entry points',
      core: false,
      summary: '`[project.scripts]`, `console_scripts`, `entry_points=`, `__main__.py`, `package.json` `bin`.',
      gap: 'No CLI entry points: declare `[project.scripts]` (e.g. `train = "pkg.train:main"`) or add `pkg/__main__.py` so runs start from one documented command.',
      signals: [CLI_PYPROJECT, CLI_SETUP_CFG, CLI_SETUP_PY, CLI_MAIN_MODULE, CLI_PACKAGE_BIN],
    },
    {
      id: 'deployment.container',
      title: 'Container',
      core: false,
      summary: '`Dockerfile`, `Containerfile`, `docker-compose.y(a)ml`, `compose.y(a)ml` outside `.devcontainer/`.',
      gap: 'No container: add a `Dockerfile` that installs from the lockfile and runs the CLI entry point, buildable without network access beyond the base image and a local wheel cache.',
      signals: [CONTAINER_FILES],
    },
    {
      id: 'deployment.serving',
      title: 'Serving surface',
      core: false,
      summary: 'A serving surface: FastAPI/Flask/gradio/streamlit apps, TorchServe handlers, vLLM/TGI launchers; TS: express/fastify/hono servers.',
      gap: 'No serving surface: add a minimal inference server (FastAPI endpoint or gradio demo) that loads the checkpoint once and exposes generate/predict.',
      signals: [SERVE_CALLS, SERVE_IMPORTS, SERVE_DECORATORS, SERVE_TORCHSERVE, SERVE_LAUNCHERS, SERVE_JS],
    },
  ],
  risks: ['Hard to distribute or run outside the author machine', 'Environment drift between development and serving without a container', 'Undocumented launch commands'],
  patchPlan: 'Add `pyproject.toml` metadata with a minimal CLI entry point (`[project.scripts]`) and a local Dockerfile that installs from the lockfile without network access.',
  rollbackPlan: 'Keep `pyproject.toml` but remove the entry points and the Dockerfile.',
};
