import { describe, expect, it } from 'vitest';
import { emptyFacts, type FileFacts } from '../src/facts/types.js';
import { languageOf } from '../src/parse/index.js';
import { parseTypeScript } from '../src/parse/typescript.js';
import { aliasTarget, resolveSpecifier } from '../src/parse/ts-common.js';

function run(src: string, path = 'src/a/b.ts', opts?: { forceFallback?: boolean }): FileFacts {
  const f = emptyFacts(path, languageOf(path), src.length, 'hash');
  parseTypeScript(src, f, opts);
  return f;
}

const def = (f: FileFacts, qual: string) => f.definitions.find((d) => d.qualName === qual);
const callsTo = (f: FileFacts, callee: string) => f.calls.filter((c) => c.callee === callee);

describe('imports', () => {
  it('records every ESM import form with names, kinds, typeOnly and lines', () => {
    const f = run(
      [
        "import express, { Router as R, json } from 'express';",
        "import * as tf from '@tensorflow/tfjs';",
        "import type { PreTrainedTokenizer } from '@huggingface/transformers';",
        "import { type Tensor, type Rank } from '@tensorflow/tfjs-core';",
        "import { type Config, loadConfig } from './config.js';",
        "import 'reflect-metadata';",
        "import fs = require('node:fs');",
        "import { default as yaml } from 'yaml';",
        'export const app = express();',
      ].join('\n'),
    );
    expect(f.parser).toBe('typescript');
    expect(f.issues).toEqual([]);
    expect(f.imports).toEqual([
      { module: 'express', names: ['default', 'Router', 'json'], line: 1, kind: 'import' },
      { module: '@tensorflow/tfjs', names: ['*'], line: 2, kind: 'import' },
      { module: '@huggingface/transformers', names: ['PreTrainedTokenizer'], line: 3, kind: 'import', typeOnly: true },
      { module: '@tensorflow/tfjs-core', names: ['Tensor', 'Rank'], line: 4, kind: 'import', typeOnly: true },
      { module: 'src/a/config', names: ['Config', 'loadConfig'], line: 5, kind: 'import', relative: true },
      { module: 'reflect-metadata', names: [], line: 6, kind: 'import' },
      { module: 'node:fs', names: ['default'], line: 7, kind: 'require' },
      { module: 'yaml', names: ['default'], line: 8, kind: 'import' },
    ]);
  });

  it('records re-exports as export-from, star and type-only re-exports included', () => {
    const f = run(
      [
        "export { Trainer, fit as train } from './trainer';",
        "export * from '../shared/types.js';",
        "export * as metrics from './metrics/index.ts';",
        "export type { RunConfig } from './config';",
        'export { local };',
        'const local = 1;',
      ].join('\n'),
      'src/train/index.ts',
    );
    expect(f.imports).toEqual([
      { module: 'src/train/trainer', names: ['Trainer', 'fit'], line: 1, kind: 'export-from', relative: true },
      { module: 'src/shared/types', names: ['*'], line: 2, kind: 'export-from', relative: true },
      { module: 'src/train/metrics/index', names: ['*'], line: 3, kind: 'export-from', relative: true },
      { module: 'src/train/config', names: ['RunConfig'], line: 4, kind: 'export-from', relative: true, typeOnly: true },
    ]);
    expect(def(f, 'local')?.exported).toBe(true);
  });

  it('records require (plain, destructured, member) and dynamic import, with ? for non-literals', () => {
    const f = run(
      [
        "const ort = require('onnxruntime-node');",
        "const { readFileSync, join: pjoin } = require('node:fs');",
        "const sub = require('lodash').merge;",
        "require('./register');",
        'function load(name) {',
        '  const mod = require(name);',
        "  return import('./plugins/' + name);",
        '}',
        'export async function lazy() {',
        "  const { pipeline } = await import('@xenova/transformers');",
        "  const ns = await import('./heavy.js');",
        "  await import('./side-effect');",
        '  return pipeline;',
        '}',
      ].join('\n'),
      'src/runtime/load.cjs',
    );
    expect(f.parser).toBe('typescript');
    expect(f.imports).toEqual([
      { module: 'onnxruntime-node', names: ['default'], line: 1, kind: 'require' },
      { module: 'node:fs', names: ['readFileSync', 'join'], line: 2, kind: 'require' },
      { module: 'lodash', names: ['merge'], line: 3, kind: 'require' },
      { module: 'src/runtime/register', names: [], line: 4, kind: 'require', relative: true },
      { module: '?', names: [], line: 6, kind: 'require' },
      { module: '?', names: [], line: 7, kind: 'dynamic' },
      { module: '@xenova/transformers', names: ['pipeline'], line: 10, kind: 'dynamic' },
      { module: 'src/runtime/heavy', names: ['*'], line: 11, kind: 'dynamic', relative: true },
      { module: 'src/runtime/side-effect', names: [], line: 12, kind: 'dynamic', relative: true },
    ]);
    // import bindings are not variable definitions
    expect(def(f, 'ort')).toBeUndefined();
    expect(def(f, 'readFileSync')).toBeUndefined();
  });

  it('resolves relative specifiers to repo-relative POSIX paths without JS/TS extension', () => {
    expect(resolveSpecifier('../utils/seed.js', 'src/a/b.ts')).toEqual({ module: 'src/utils/seed', relative: true });
    expect(resolveSpecifier('./x', 'main.ts')).toEqual({ module: 'x', relative: true });
    expect(resolveSpecifier('../../up.mjs', 'src/main.ts')).toEqual({ module: '../up', relative: true });
    expect(resolveSpecifier('./styles.css', 'src/ui/App.tsx')).toEqual({ module: 'src/ui/styles.css', relative: true });
    expect(resolveSpecifier('./components/', 'src/ui/App.tsx')).toEqual({ module: 'src/ui/components', relative: true });
    expect(resolveSpecifier('.', 'src/ui/App.tsx')).toEqual({ module: 'src/ui', relative: true });
    expect(resolveSpecifier('./types.d.ts', 'src/index.ts').module).toBe('src/types');
    expect(resolveSpecifier('@scope/pkg/sub', 'src/index.ts')).toEqual({ module: '@scope/pkg/sub', relative: false });
    const f = run("import { setSeed } from '../utils/seed.js';\nsetSeed(42);", 'src/a/b.ts');
    expect(f.imports[0]).toEqual({ module: 'src/utils/seed', names: ['setSeed'], line: 1, kind: 'import', relative: true });
  });

  it('alias targets: packages are module-qualified, relative bindings keep original names', () => {
    expect(aliasTarget('express', false, 'default', 'express')).toBe('express');
    expect(aliasTarget('@tensorflow/tfjs', false, '*', 'tf')).toBe('@tensorflow/tfjs');
    expect(aliasTarget('m', false, 'a', 'b')).toBe('m.a');
    expect(aliasTarget('src/x', true, 'a', 'b')).toBe('a');
    expect(aliasTarget('src/x', true, 'a', 'a')).toBeNull();
    expect(aliasTarget('src/x', true, '*', 'ns')).toBeNull();
  });
});

describe('calls and aliases', () => {
  const src = [
    "import * as tf from '@tensorflow/tfjs';",
    "import { AutoTokenizer as AT, pipeline } from '@huggingface/transformers';",
    "import express from 'express';",
    "import { clip as clipGrads } from './optim';",
    "const ort = require('onnxruntime-node');",
    '',
    'export async function main(x: tf.Tensor) {',
    '  const tok = await AT.from_pretrained("bert-base-uncased", { revision: "main", cache_dir: ".cache" });',
    '  const model = tf.sequential();',
    "  tf.model({ inputs: x, outputs: x }).compile({ optimizer: 'adam', loss: 'mse' });",
    '  const t = new tf.Tensor(x);',
    '  const session = await ort.InferenceSession.create("model.onnx");',
    '  const app = express();',
    '  clipGrads(model, 1.0);',
    '  data[0].backward();',
    "  registry['build']();",
    '  maybe?.run?.(1, 2);',
    '  (model as any).fit(x);',
    '  return pipeline("sentiment-analysis", { device: "webgpu" });',
    '}',
  ].join('\n');
  const f = run(src);

  it('resolves namespace, named, default and require aliases in callees', () => {
    expect(callsTo(f, '@huggingface/transformers.AutoTokenizer.from_pretrained')).toHaveLength(1);
    expect(callsTo(f, '@tensorflow/tfjs.sequential')).toHaveLength(1);
    expect(callsTo(f, 'express')).toHaveLength(1);
    expect(callsTo(f, 'onnxruntime-node.InferenceSession.create')).toHaveLength(1);
    // relative named import: original name
    expect(callsTo(f, 'clip')).toHaveLength(1);
    expect(callsTo(f, '@huggingface/transformers.pipeline')).toHaveLength(1);
  });

  it('treats new X() as a call of X', () => {
    const [c] = callsTo(f, '@tensorflow/tfjs.Tensor');
    expect(c).toMatchObject({ line: 11, args: ['x'], scope: 'main' });
  });

  it('writes chains with (), non-name receivers as ?, and unwraps optional chaining and casts', () => {
    expect(callsTo(f, '@tensorflow/tfjs.model().compile')[0]).toMatchObject({
      line: 10,
      args: [],
      kwargs: { optimizer: "'adam'", loss: "'mse'" },
    });
    expect(callsTo(f, '?.backward')).toHaveLength(1);
    expect(callsTo(f, 'registry.build')).toHaveLength(1);
    expect(callsTo(f, 'maybe.run')[0].args).toEqual(['1', '2']);
    expect(callsTo(f, 'model.fit')).toHaveLength(1);
  });

  it('splits positional args from trailing object-literal kwargs', () => {
    const [c] = callsTo(f, '@huggingface/transformers.AutoTokenizer.from_pretrained');
    expect(c).toEqual({
      callee: '@huggingface/transformers.AutoTokenizer.from_pretrained',
      line: 8,
      args: ['"bert-base-uncased"'],
      kwargs: { revision: '"main"', cache_dir: '".cache"' },
      scope: 'main',
    });
    expect(callsTo(f, '@huggingface/transformers.pipeline')[0].kwargs).toEqual({ device: '"webgpu"' });
    expect(callsTo(f, 'clip')[0].args).toEqual(['model', '1.0']);
  });

  it('applies aliases to this-chains, bases, decorators and assignment targets', () => {
    const g = run(
      [
        "import * as nn from './nn';",
        "import { Injectable } from '@nestjs/common';",
        "import * as tf from '@tensorflow/tfjs';",
        '@Injectable()',
        'export class Net extends tf.LayersModel {',
        '  private opt: any;',
        '  step() { this.opt.zero.grad(); tf.env().set("DEBUG", false); }',
        '}',
        'tf.ENV = null;',
      ].join('\n'),
    );
    const net = def(g, 'Net');
    expect(net?.bases).toEqual(['@tensorflow/tfjs.LayersModel']);
    expect(net?.decorators).toEqual(['@nestjs/common.Injectable']);
    expect(callsTo(g, 'this.opt.zero.grad')[0].scope).toBe('Net.step');
    expect(callsTo(g, '@tensorflow/tfjs.env().set')[0].args).toEqual(['"DEBUG"', 'false']);
    expect(g.assignments.find((a) => a.target === '@tensorflow/tfjs.ENV')).toMatchObject({ valueKind: 'none', scope: '' });
  });

  it('keeps args short and kwargs free of __proto__', () => {
    const long = 'x'.repeat(5000);
    const g = run(`f("${long}", { __proto__: 1, a: [${'1,'.repeat(2000)}] });`);
    const [c] = callsTo(g, 'f');
    expect(c.args[0].length).toBeLessThanOrEqual(120);
    expect(c.args[0].endsWith('…')).toBe(true);
    expect(Object.keys(c.kwargs)).toEqual(['a']);
    expect(c.kwargs.a.length).toBeLessThanOrEqual(120);
  });

  it('scopes calls to the innermost named definition; anonymous functions inherit', () => {
    const g = run(
      [
        'export class Loop {',
        '  run() {',
        '    items.forEach((i) => { process(i); });',
        '    function inner() { deep(); }',
        '  }',
        '}',
        'top();',
        'describe("x", () => { it("y", () => { expectIt(); }); });',
      ].join('\n'),
    );
    expect(callsTo(g, 'process')[0].scope).toBe('Loop.run');
    expect(callsTo(g, 'deep')[0].scope).toBe('Loop.run.inner');
    expect(def(g, 'Loop.run.inner')).toMatchObject({ kind: 'function', parent: 'Loop.run' });
    expect(callsTo(g, 'top')[0].scope).toBe('');
    expect(callsTo(g, 'expectIt')[0].scope).toBe('');
  });
});

describe('JSX / TSX', () => {
  const src = [
    "import React, { useState, useEffect } from 'react';",
    "import { useQuery } from '@tanstack/react-query';",
    '',
    '/** Shows the training run. */',
    'export function RunView({ id }: { id: string }) {',
    '  const [open, setOpen] = useState(false);',
    '  const q = useQuery({ queryKey: ["run", id] });',
    '  useEffect(() => {}, [id]);',
    '  return (',
    '    <div className="run" onClick={() => setOpen(!open)}>',
    '      TODO: this is JSX text',
    '      {/* FIXME: real comment in JSX */}',
    '      <Chart.Line data={q.data} label="TODO" />',
    '    </div>',
    '  );',
    '}',
    '',
    'export const Badge = ({ n }: { n: number }) => <span>{n}</span>;',
    'export default RunView;',
  ].join('\n');
  const f = run(src, 'web/src/RunView.tsx');

  it('parses TSX with component definitions and resolved hook calls', () => {
    expect(f.parser).toBe('typescript');
    expect(def(f, 'RunView')).toMatchObject({ kind: 'function', exported: true, docstring: true, stub: false, line: 5, endLine: 16 });
    expect(def(f, 'Badge')).toMatchObject({ kind: 'function', exported: true, stub: false });
    expect(callsTo(f, 'react.useState')[0]).toMatchObject({ scope: 'RunView', args: ['false'] });
    expect(callsTo(f, 'react.useEffect')[0]).toMatchObject({ scope: 'RunView', line: 8 });
    expect(callsTo(f, '@tanstack/react-query.useQuery')[0].kwargs).toEqual({ queryKey: '["run", id]' });
    expect(callsTo(f, 'setOpen')[0].scope).toBe('RunView');
  });

  it('does not make an empty callback arrow a definition', () => {
    expect(f.definitions.map((d) => d.qualName)).toEqual(['RunView', 'Badge']);
    expect(f.definitions.some((d) => d.stub)).toBe(false);
  });

  it('takes markers from JSX comments only, never from JSX text or attribute strings', () => {
    expect(f.markers).toEqual([{ kind: 'FIXME', line: 12, text: 'real comment in JSX' }]);
  });

  it('records JSX identifiers as names but not JSX text', () => {
    const names = f.names.map((n) => n.name);
    expect(names).toContain('Chart');
    expect(names).toContain('className');
    expect(names).not.toContain('JSX');
    expect(names).not.toContain('text');
  });

  it('parses .ts without JSX so that <T>x casts work, and .js with JSX', () => {
    const ts = run('const n = <number>value;\nexport function id<T>(x: T): T { return x; }', 'src/cast.ts');
    expect(ts.parser).toBe('typescript');
    expect(def(ts, 'id')?.kind).toBe('function');
    const js = run('export function App() { return <div onClick={() => go()} />; }', 'src/App.js');
    expect(js.parser).toBe('typescript');
    expect(callsTo(js, 'go')[0].scope).toBe('App');
  });
});

describe('classes, decorators, abstract members, interfaces', () => {
  const src = [
    "import { Component, Input, HostListener } from '@angular/core';",
    "import * as nn from 'torch-js/nn';",
    '',
    '/** Base of all trainers. */',
    'export abstract class BaseTrainer extends nn.Module implements Fittable, Loggable {',
    '  abstract step(batch: Batch): Promise<number>;',
    '  protected abstract get name(): string;',
    '  /**',
    '   * Subclasses override.',
    '   * @abstract',
    '   */',
    '  validate(): void { throw new Error("override me"); }',
    '  log(msg: string) { console.log(msg); }',
    '}',
    '',
    '@Component({ selector: "app-chart", templateUrl: "./chart.html" })',
    'export class ChartComponent {',
    '  @Input() data: number[] = [];',
    "  @HostListener('window:resize', ['$event'])",
    '  onResize(event: Event) {}',
    '  private secret() { return 1; }',
    '  #hidden() { return 2; }',
    '}',
    '',
    'export interface Fittable extends Base, nn.Trainable {',
    '  fit(x: number[]): void;',
    '  readonly epochs: number;',
    '}',
    'export type Batch = { x: number[]; y: number[] };',
    'export enum Phase { Train, Eval }',
    'declare global { interface Window { tf: unknown } }',
  ].join('\n');
  const f = run(src);

  it('records abstract classes and abstract members (never stubs)', () => {
    expect(def(f, 'BaseTrainer')).toMatchObject({
      kind: 'class',
      abstract: true,
      exported: true,
      docstring: true,
      bases: ['torch-js/nn.Module', 'Fittable', 'Loggable'],
      line: 5,
      endLine: 14,
    });
    expect(def(f, 'BaseTrainer.step')).toMatchObject({ kind: 'method', abstract: true, stub: false, parent: 'BaseTrainer' });
    expect(def(f, 'BaseTrainer.name')).toMatchObject({ kind: 'method', abstract: true, stub: false });
    // JSDoc @abstract marks the method abstract; its throw is not a not-implemented message
    expect(def(f, 'BaseTrainer.validate')).toMatchObject({ abstract: true, docstring: true, stub: false });
    expect(def(f, 'BaseTrainer.log')?.abstract).toBeUndefined();
  });

  it('resolves class and member decorators', () => {
    expect(def(f, 'ChartComponent')?.decorators).toEqual(['@angular/core.Component']);
    expect(def(f, 'ChartComponent.onResize')).toMatchObject({
      decorators: ['@angular/core.HostListener'],
      stub: true,
      stubKind: 'empty_body',
    });
    const dec = callsTo(f, '@angular/core.Component')[0];
    expect(dec.kwargs).toEqual({ selector: '"app-chart"', templateUrl: '"./chart.html"' });
    expect(dec.scope).toBe('');
    expect(callsTo(f, '@angular/core.Input')[0].scope).toBe('ChartComponent');
    expect(f.assignments.find((a) => a.target === 'this.data')).toMatchObject({ valueKind: 'list', scope: 'ChartComponent' });
  });

  it('exports public methods of exported classes only', () => {
    expect(def(f, 'ChartComponent.onResize')?.exported).toBe(true);
    expect(def(f, 'ChartComponent.secret')?.exported).toBe(false);
    expect(def(f, 'ChartComponent.#hidden')?.exported).toBe(false);
  });

  it('records interfaces, types and enums, which are never stubs; interface members are not definitions', () => {
    expect(def(f, 'Fittable')).toMatchObject({
      kind: 'interface',
      bases: ['Base', 'torch-js/nn.Trainable'],
      stub: false,
      exported: true,
    });
    expect(def(f, 'Fittable.fit')).toBeUndefined();
    expect(def(f, 'Batch')).toMatchObject({ kind: 'type', stub: false, exported: true });
    expect(def(f, 'Phase')).toMatchObject({ kind: 'enum', stub: false, exported: true });
    expect(def(f, 'Window')).toMatchObject({ kind: 'interface', exported: false });
    expect(f.definitions.filter((d) => d.kind === 'interface' || d.kind === 'type' || d.kind === 'enum').every((d) => !d.stub)).toBe(true);
  });
});

describe('stub rule', () => {
  const cases: [string, string, boolean, string | undefined][] = [
    ['empty function', 'function f() {}', true, 'empty_body'],
    ['comment-only body', 'function f() {\n  // TODO: later\n  /* nothing */\n}', true, 'empty_body'],
    ['empty async arrow const', 'const f = async () => {};', true, 'empty_body'],
    ['throw new Error not implemented', 'function f() { throw new Error("Not implemented"); }', true, 'throw_not_implemented'],
    ['throw Error TODO', "function f(): never { throw Error('TODO: wire the optimizer'); }", true, 'throw_not_implemented'],
    ['template message', 'function f() { throw new Error(`${name}: not implemented yet`); }', true, 'throw_not_implemented'],
    ['stub message', 'function f() { throw new Error("stub"); }', true, 'throw_not_implemented'],
    ['NotImplementedError class', 'function f() { throw new NotImplementedError(); }', true, 'throw_not_implemented'],
    ['other error', 'function f() { throw new Error("invalid argument"); }', false, undefined],
    ['other error class', 'function f() { throw new RangeError("out of range"); }', false, undefined],
    ['throw plus work', 'function f() { log(); throw new Error("not implemented"); }', false, undefined],
    ['return only', 'function f() { return; }', false, undefined],
    ['expression arrow', 'const f = () => undefined;', false, undefined],
    ['declare function', 'declare function f(x: number): void;', false, undefined],
  ];
  for (const [label, code, stub, kind] of cases) {
    it(`${label}: ${stub ? kind : 'not a stub'}`, () => {
      const f = run(code);
      const d = def(f, 'f');
      expect(d, label).toBeDefined();
      expect(d?.stub).toBe(stub);
      expect(d?.stubKind).toBe(kind);
    });
  }

  it('collapses overloads into the implementation; signatures are not stubs', () => {
    const f = run(
      [
        '/** Loads a checkpoint. */',
        'export function load(path: string): Model;',
        'export function load(buf: Uint8Array): Model;',
        'export function load(src: any): Model { return parse(src); }',
        'class Repo {',
        '  get(id: string): Row;',
        '  get(id: number): Row;',
        '  get(id: any): Row { return this.rows[id]; }',
        '  only(): void;',
        '}',
      ].join('\n'),
    );
    const loads = f.definitions.filter((d) => d.qualName === 'load');
    expect(loads).toHaveLength(1);
    expect(loads[0]).toMatchObject({ line: 4, stub: false, exported: true, docstring: true });
    expect(f.definitions.filter((d) => d.qualName === 'Repo.get')).toHaveLength(1);
    expect(def(f, 'Repo.get')?.line).toBe(8);
    expect(def(f, 'Repo.only')).toMatchObject({ stub: false });
  });

  it('class methods and class-field arrows follow the same rule', () => {
    const f = run(
      [
        'export class Tokenizer {',
        '  encode(text: string): number[] { throw new Error("Method not implemented."); }',
        '  decode(ids: number[]): string { return ids.join(" "); }',
        '  reset = () => {};',
        '  flush = async () => { await this.io.flush(); };',
        '}',
      ].join('\n'),
    );
    expect(def(f, 'Tokenizer.encode')).toMatchObject({ stub: true, stubKind: 'throw_not_implemented' });
    expect(def(f, 'Tokenizer.decode')?.stub).toBe(false);
    expect(def(f, 'Tokenizer.reset')).toMatchObject({ kind: 'method', stub: true, stubKind: 'empty_body' });
    expect(def(f, 'Tokenizer.flush')).toMatchObject({ kind: 'method', stub: false, async: true });
    expect(callsTo(f, 'this.io.flush')[0].scope).toBe('Tokenizer.flush');
  });
});

describe('constructors', () => {
  const f = run(
    [
      'class A { constructor(private readonly http: Http, public cfg: Cfg) {} }',
      'class B extends Base { constructor(x: number, opts = {}) { super(x); this.x = x; this.opts = { ...opts }; } }',
      'class C { constructor() { this.init(); } }',
      'class D { constructor(o: object) { Object.assign(this, o); } }',
      'class E { constructor() { throw new Error("not implemented"); } }',
      'class F { constructor() {} }',
    ].join('\n'),
  );

  it('marks constructors that only store arguments / call super as trivialInit, not stubs', () => {
    expect(def(f, 'A.constructor')).toMatchObject({ kind: 'method', trivialInit: true, stub: false });
    expect(def(f, 'B.constructor')).toMatchObject({ trivialInit: true, stub: false });
    expect(def(f, 'D.constructor')).toMatchObject({ trivialInit: true });
    expect(def(f, 'F.constructor')).toMatchObject({ trivialInit: true, stub: false });
  });

  it('does not mark constructors that do work, and flags throw-not-implemented ones', () => {
    expect(def(f, 'C.constructor')).toMatchObject({ trivialInit: false, stub: false });
    expect(def(f, 'E.constructor')).toMatchObject({ trivialInit: false, stub: true, stubKind: 'throw_not_implemented' });
  });
});

describe('JSDoc docstrings', () => {
  const f = run(
    [
      '/** Plain. */', // 1
      'function plain() {}',
      '/** With export. */',
      'export function withExport() {}',
      '/** Decorated. */', // 5
      '@Injectable()',
      'export class Decorated {',
      '  /** Method doc. */',
      '  @Log() public async run() {}',
      '  /* not jsdoc */', // 10
      '  bare() {}',
      '}',
      '/** One blank line is fine. */',
      '',
      'export const oneBlank = () => 1;', // 15
      '/** Two blank lines are too many. */',
      '',
      '',
      'export const twoBlank = 2;',
      '/** Lint comment between. */', // 20
      '// eslint-disable-next-line @typescript-eslint/no-explicit-any',
      'export type Loose = any;',
      '/** Belongs to the statement. */',
      'doSomething();',
      'function afterCall() {}', // 25
      '/***** banner *****/',
      'function banner() {}',
      '/** Too far above the lint comment. */',
      '',
      '',
      '// eslint-disable-next-line',
      'function lintGap() {}',
    ].join('\n'),
  );

  it.each([
    ['plain', true],
    ['withExport', true],
    ['Decorated', true],
    ['Decorated.run', true],
    ['Decorated.bare', false],
    ['oneBlank', true],
    ['twoBlank', false],
    ['Loose', true],
    ['afterCall', false],
    ['banner', false],
    ['lintGap', false],
  ])('%s docstring=%s', (qual, expected) => {
    expect(def(f, qual)?.docstring).toBe(expected);
  });
});

describe('exports', () => {
  it('marks export, export default, export lists and CommonJS exports', () => {
    const f = run(
      [
        'export const buildModel = async (cfg: Cfg) => { return cfg; };',
        'export function train() {}',
        'const evaluate = function () { return 1; };',
        'function helper() { return 2; }',
        'let counter = 0;',
        'export { evaluate, helper as publicHelper };',
        'export default class {}',
      ].join('\n'),
    );
    expect(def(f, 'buildModel')).toMatchObject({ kind: 'function', exported: true, async: true, stub: false });
    expect(def(f, 'evaluate')).toMatchObject({ kind: 'function', exported: true });
    expect(def(f, 'helper')).toMatchObject({ exported: true });
    expect(def(f, 'counter')).toMatchObject({ kind: 'variable', exported: false });
    expect(def(f, 'default')).toMatchObject({ kind: 'class', exported: true });

    const cjs = run(
      [
        'function fit() { return 1; }',
        'class Trainer {}',
        'exports.predict = function (x) { return x; };',
        'module.exports.score = async () => {};',
        'module.exports = { fit, Trainer };',
      ].join('\n'),
      'lib/index.js',
    );
    expect(def(cjs, 'fit')?.exported).toBe(true);
    expect(def(cjs, 'Trainer')?.exported).toBe(true);
    expect(def(cjs, 'predict')).toMatchObject({ kind: 'function', exported: true, stub: false });
    expect(def(cjs, 'score')).toMatchObject({ kind: 'function', exported: true, stub: true, stubKind: 'empty_body', async: true });
    expect(cjs.assignments.find((a) => a.target === 'module.exports')?.valueKind).toBe('dict');
  });
});

describe('assignments', () => {
  it('records targets, value kinds and scopes', () => {
    const f = run(
      [
        "process.env.WANDB_MODE = 'offline';",
        "process.env['HF_HOME'] = '/tmp/hf';",
        'const REGISTRY = new Map();',
        'const DEFAULTS = { lr: 3e-4, epochs: 10 };',
        'const LAYERS = [64, 32];',
        'let seed = 42, debug = false, none = null, nothing = undefined, alias = REGISTRY, neg = -1;',
        'export class T {',
        '  static defaults = { a: 1 };',
        '  fit() { this.lr = cfg.lr ?? 0.1; obj[key] = 1; }',
        '}',
      ].join('\n'),
    );
    const a = (t: string) => f.assignments.find((x) => x.target === t);
    expect(a('process.env.WANDB_MODE')).toEqual({ target: 'process.env.WANDB_MODE', line: 1, value: "'offline'", valueKind: 'string', scope: '' });
    expect(a('process.env[HF_HOME]')?.valueKind).toBe('string');
    expect(a('REGISTRY')).toMatchObject({ valueKind: 'call', value: 'new Map()' });
    expect(a('DEFAULTS')?.valueKind).toBe('dict');
    expect(a('LAYERS')?.valueKind).toBe('list');
    expect(a('seed')?.valueKind).toBe('number');
    expect(a('debug')?.valueKind).toBe('bool');
    expect(a('none')?.valueKind).toBe('none');
    expect(a('nothing')?.valueKind).toBe('none');
    expect(a('alias')?.valueKind).toBe('name');
    expect(a('neg')?.valueKind).toBe('number');
    expect(a('T.defaults')).toMatchObject({ valueKind: 'dict', scope: 'T' });
    expect(a('this.lr')).toMatchObject({ scope: 'T.fit', line: 9, valueKind: 'other' });
    expect(a('obj[?]')).toBeDefined();
    expect(def(f, 'REGISTRY')?.kind).toBe('variable');
  });
});

describe('names', () => {
  it('takes identifiers and property names from code only, first occurrence per file', () => {
    const f = run(
      [
        "const label = 'hiddenInString';",
        '// hiddenInComment',
        'const tpl = `hiddenInTemplate ${visibleInTemplate}`;',
        'model.gradientCheckpointing = true;',
        'function later() { return label; }',
      ].join('\n'),
    );
    const names = new Map(f.names.map((n) => [n.name, n]));
    expect(names.get('label')).toEqual({ name: 'label', line: 1, scope: '' });
    expect(names.has('visibleInTemplate')).toBe(true);
    expect(names.get('gradientCheckpointing')?.line).toBe(4);
    for (const hidden of ['hiddenInString', 'hiddenInComment', 'hiddenInTemplate']) expect(names.has(hidden)).toBe(false);
    expect(f.names.filter((n) => n.name === 'label')).toHaveLength(1);
  });

  it('caps distinct names at 5,000 without an issue', () => {
    const src = Array.from({ length: 6000 }, (_, i) => `v${i}();`).join('\n');
    const f = run(src);
    expect(f.names).toHaveLength(5000);
    expect(f.issues).toEqual([]);
  });
});

describe('markers and suppressions', () => {
  it('takes markers from comments only, including end-of-line and multi-line block comments', () => {
    const f = run(
      [
        "const s = 'TODO: not a marker';",
        'const t = `FIXME not a marker either`;',
        'const re = /TODO/;',
        'run(); // TODO: wire the scheduler',
        '/*',
        ' * FIXME(alice): flaky on CI',
        ' * HACK around a tfjs bug',
        ' */',
        '// XXX overflow',
        '/** TBD: decide the format */',
      ].join('\n'),
    );
    expect(f.markers).toEqual([
      { kind: 'TODO', line: 4, text: 'wire the scheduler' },
      { kind: 'FIXME', line: 6, text: 'alice): flaky on CI' },
      { kind: 'HACK', line: 7, text: 'around a tfjs bug' },
      { kind: 'XXX', line: 9, text: 'overflow' },
      { kind: 'TBD', line: 10, text: 'decide the format' },
    ]);
  });

  it('records suppressions from comments, not from strings', () => {
    const f = run(
      [
        '// codex-audit: ignore[training.grad_clipping] clipping lives in the C++ kernel',
        'export function step() {} // codex-audit: ignore[stub, risk.eval] placeholder until v2',
        "const s = 'codex-audit: ignore[nope] not a comment';",
      ].join('\n'),
    );
    expect(f.suppressions).toEqual([
      { id: 'training.grad_clipping', line: 1, reason: 'clipping lives in the C++ kernel' },
      { id: 'stub', line: 2, reason: 'placeholder until v2' },
      { id: 'risk.eval', line: 2, reason: 'placeholder until v2' },
    ]);
  });

  it('counts lines with the C style', () => {
    const f = run('// a\n\nconst x = 1; /* b */\n/*\n c\n*/\n');
    expect(f.lines).toEqual({ total: 7, code: 1, comment: 4, blank: 2 });
  });
});

describe('determinism', () => {
  it('gives identical facts for identical input', () => {
    const src = "import * as tf from '@tensorflow/tfjs';\nexport class M extends tf.Model { fit() { tf.tidy(() => {}); } }\n";
    expect(run(src)).toEqual(run(src));
    expect(JSON.stringify(run(src))).toBe(JSON.stringify(run(src)));
  });
});
