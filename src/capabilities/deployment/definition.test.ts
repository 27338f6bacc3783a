import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

const rows: Row[] = [
  ['deployment.packaging', 'pyproject [project]', { 'pyproject.toml': '[project]\nname = "minillm"\nversion = "0.1.0"\n' }, 'present'],
  ['deployment.packaging', 'package.json with name and version', { 'package.json': '{"name": "x", "version": "1.0.0"}\n' }, 'present'],
  ['deployment.packaging', 'a private workspace root without a version', { 'package.json': '{"name": "root", "private": true}\n' }, 'absent'],
  ['deployment.packaging', 'a tool-only pyproject is not packaging', { 'pyproject.toml': '[tool.black]\nline-length = 100\n' }, 'absent'],

  ['deployment.cli_entrypoints', '[project.scripts]', { 'pyproject.toml': '[project]\nname = "x"\n[project.scripts]\nx-train = "x.train:main"\n' }, 'present'],
  ['deployment.cli_entrypoints', '__main__.py', { 'pkg/__main__.py': 'from .cli import main\nmain()\n' }, 'present'],
  ['deployment.cli_entrypoints', 'package.json bin', { 'package.json': '{"name": "x", "bin": {"x": "bin/x.js"}}\n' }, 'present'],
  ['deployment.cli_entrypoints', 'none', { 'pyproject.toml': '[project]\nname = "x"\n' }, 'absent'],

  ['deployment.container', 'Dockerfile', { 'Dockerfile': 'FROM python:3.11\n' }, 'present'],
  ['deployment.container', 'compose.yaml', { 'compose.yaml': 'services:\n  app:\n    build: .\n' }, 'present'],
  ['deployment.container', 'a development container alone does not count', { '.devcontainer/Dockerfile': 'FROM mcr.microsoft.com/devcontainers/python\n' }, 'absent'],

  ['deployment.serving', 'FastAPI app', { 'serve.py': 'from fastapi import FastAPI\napp = FastAPI()\n' }, 'present'],
  ['deployment.serving', 'gradio demo', { 'app.py': 'import gradio as gr\ngr.Interface(fn=f, inputs="text", outputs="text").launch()\n' }, 'present'],
  ['deployment.serving', 'express server', { 'src/server.ts': "import express from 'express';\nconst app = express();\n" }, 'present'],
  ['deployment.serving', 'a vLLM launcher script', { 'scripts/serve.sh': 'vllm serve my/model --port 8000\n' }, 'present'],
  ['deployment.serving', 'a README mentioning vllm serve is not a launcher', { 'README.md': 'Run `vllm serve my/model`.\n' }, 'absent'],
  ['deployment.container', 'a parser module named dockerfile.ts is not a container', { 'src/parse/dockerfile.ts': 'export function parseDockerfile() {}\n' }, 'absent'],
  ['deployment.container', 'Dockerfile.gpu', { 'docker/Dockerfile.gpu': 'FROM nvidia/cuda\n' }, 'present'],
];

describe('deployment signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
