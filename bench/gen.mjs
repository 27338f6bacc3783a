// Deterministic synthetic repository for benchmarks: Python and TypeScript files with realistic shapes
// (imports, classes, decorators, docstrings, comments, long files). Same seed, same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['model', 'token', 'batch', 'layer', 'optim', 'config', 'dataset', 'metric', 'loss', 'step', 'cache', 'vocab', 'embed', 'head', 'block', 'scale', 'grad', 'eval', 'train', 'sample'];
const PY_IMPORTS = ['import os', 'import math', 'import json', 'import random', 'import torch', 'import torch.nn as nn', 'import numpy as np', 'from typing import Any, Dict, List, Optional', 'from dataclasses import dataclass', 'from torch.utils.data import DataLoader, Dataset', 'import logging'];
const TS_IMPORTS = ["import { readFileSync } from 'node:fs';", "import * as path from 'node:path';", "import { z } from 'zod';", "import * as tf from '@tensorflow/tfjs';", "import type { Options } from './types.js';", "import express from 'express';"];

function name(r, n = 2) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(WORDS[Math.floor(r() * WORDS.length)]);
  return parts.join('_');
}
const camel = (s) => s.replace(/_(\w)/g, (_, c) => c.toUpperCase());
const pascal = (s) => camel(s).replace(/^\w/, (c) => c.toUpperCase());

function pyFile(r, targetBytes) {
  const out = [`"""Module ${name(r)}: generated for benchmarks."""`];
  for (const imp of PY_IMPORTS) if (r() < 0.6) out.push(imp);
  out.push('', 'logger = logging.getLogger(__name__)', '');
  let size = out.join('\n').length;
  let k = 0;
  while (size < targetBytes) {
    const cls = pascal(name(r)) + k++;
    const block = [`@dataclass`, `class ${cls}Config:`, `    """Configuration for ${cls}."""`, `    hidden: int = ${Math.floor(r() * 1024)}`, `    dropout: float = ${r().toFixed(3)}`, '', `class ${cls}(nn.Module):`, `    """A ${cls} layer."""`, '', `    def __init__(self, cfg: ${cls}Config) -> None:`, `        super().__init__()`, `        self.cfg = cfg`, `        self.proj = nn.Linear(cfg.hidden, cfg.hidden)  # projection`, ''];
    const methods = 2 + Math.floor(r() * 5);
    for (let m = 0; m < methods; m++) {
      const fn = name(r);
      block.push(`    def ${fn}_${m}(self, x: torch.Tensor, scale: float = 1.0) -> torch.Tensor:`, `        """Apply ${fn} to x."""`);
      const lines = 3 + Math.floor(r() * 12);
      for (let l = 0; l < lines; l++) {
        const v = name(r, 1);
        const kind = r();
        if (kind < 0.3) block.push(`        ${v}_${l} = self.proj(x) * scale + ${r().toFixed(4)}`);
        else if (kind < 0.5) block.push(`        if x.dim() > ${l % 4}:`, `            x = torch.nn.functional.gelu(x)  # activation ${l}`);
        else if (kind < 0.7) block.push(`        logger.debug("step %s %s", ${JSON.stringify(v)}, ${l})`);
        else if (kind < 0.85) block.push(`        values = [math.sqrt(i + ${l}) for i in range(${1 + (l % 7)})]`);
        else block.push(`        x = x.to(dtype=torch.float32, device=x.device)`);
      }
      block.push('        return x', '');
    }
    block.push('', `def build_${camel(name(r)).toLowerCase()}_${k}(cfg: Dict[str, Any]) -> ${cls}:`, `    """Factory."""`, `    return ${cls}(${cls}Config(**cfg))`, '', '');
    const text = block.join('\n');
    out.push(text);
    size += text.length + 1;
  }
  return out.join('\n') + '\n';
}

function tsFile(r, targetBytes) {
  const out = [`/** Module ${name(r)}: generated for benchmarks. */`];
  for (const imp of TS_IMPORTS) if (r() < 0.6) out.push(imp);
  out.push('');
  let size = out.join('\n').length;
  let k = 0;
  while (size < targetBytes) {
    const cls = pascal(name(r)) + k++;
    const block = [`export interface ${cls}Options {`, `  hidden: number;`, `  dropout?: number;`, `  name: string;`, `}`, '', `/** A ${cls}. */`, `export class ${cls} {`, `  private readonly values: number[] = [];`, `  constructor(private readonly opts: ${cls}Options) {}`, ''];
    const methods = 2 + Math.floor(r() * 5);
    for (let m = 0; m < methods; m++) {
      const fn = camel(name(r)) + m;
      block.push(`  ${fn}(input: number[], scale = 1): number[] {`);
      const lines = 3 + Math.floor(r() * 12);
      for (let l = 0; l < lines; l++) {
        const kind = r();
        if (kind < 0.3) block.push(`    const v${l} = input.map((x) => x * scale + ${r().toFixed(4)});`);
        else if (kind < 0.5) block.push(`    if (input.length > ${l}) {`, `      this.values.push(input[${l}] ?? 0); // keep ${l}`, `    }`);
        else if (kind < 0.7) block.push(`    console.debug(\`step \${${l}} of ${fn}\`);`);
        else if (kind < 0.85) block.push(`    const total${l} = input.reduce((a, b) => a + b, ${l});`);
        else block.push(`    const cfg${l} = { ...this.opts, hidden: this.opts.hidden * ${l + 1} };`);
      }
      block.push('    return input;', '  }', '');
    }
    block.push('}', '', `export const make${cls} = (opts: ${cls}Options): ${cls} => new ${cls}(opts);`, '');
    const text = block.join('\n');
    out.push(text);
    size += text.length + 1;
  }
  return out.join('\n') + '\n';
}

/** Write `pyFiles` Python and `tsFiles` TypeScript files (about `totalMB` in all) under `root`. */
export function generate(root, { pyFiles = 4000, tsFiles = 4000, totalMB = 100, seed = 42 } = {}) {
  const r = rng(seed);
  const n = pyFiles + tsFiles;
  const avg = (totalMB * 1024 * 1024) / n;
  let bytes = 0;
  const write = (rel, text) => {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    bytes += Buffer.byteLength(text);
  };
  // A size mix: most files small, a few long (10x), like real repositories.
  const sizeFor = (i) => (i % 50 === 0 ? avg * 8 : avg * (0.4 + r() * 0.9));
  for (let i = 0; i < pyFiles; i++) write(`py/pkg${i % 40}/mod_${i}.py`, pyFile(r, sizeFor(i)));
  for (let i = 0; i < tsFiles; i++) write(`ts/src/area${i % 40}/file_${i}.ts`, tsFile(r, sizeFor(i)));
  write('README.md', '# Synthetic benchmark repository\n\n## Installation\n\npip install .\n');
  write('pyproject.toml', '[project]\nname = "synthetic"\nversion = "0.0.1"\n');
  write('package.json', JSON.stringify({ name: 'synthetic', version: '0.0.1', scripts: { test: 'vitest run' } }, null, 2) + '\n');
  return { files: n + 3, bytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2];
  const scale = Number(process.argv[3] ?? '1');
  if (!root) {
    console.error('usage: node bench/gen.mjs DIR [scale]');
    process.exit(2);
  }
  const res = generate(root, { pyFiles: 4000 * scale, tsFiles: 4000 * scale, totalMB: 100 * scale });
  console.log(`wrote ${res.files} files, ${(res.bytes / 1e6).toFixed(1)} MB to ${root}`);
}
