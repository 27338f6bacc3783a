import { describe, expect, it } from 'vitest';
import { emptyFacts, type FileFacts } from '../src/facts/types.js';
import { languageOf } from '../src/parse/index.js';
import { ESTREE_MAX_CHARS, parseTypeScript } from '../src/parse/typescript.js';
import { scanTypeScriptFallback } from '../src/parse/ts-fallback.js';

function run(src: string, path = 'src/a/b.ts', opts?: { forceFallback?: boolean }): FileFacts {
  const f = emptyFacts(path, languageOf(path), src.length, 'hash');
  parseTypeScript(src, f, opts);
  return f;
}

const def = (f: FileFacts, qual: string) => f.definitions.find((d) => d.qualName === qual);
const callees = (f: FileFacts) => f.calls.map((c) => c.callee);

const REALISTIC = [
  "import * as tf from '@tensorflow/tfjs';", // 1
  "import type { Config } from './config';",
  "import React, { useState as useS } from 'react';",
  "import './polyfill.js';",
  "export { Trainer as T } from './trainer.js';", // 5
  "export * from '../types';",
  "export type { Opts } from './opts';",
  "const ort = require('onnxruntime-node');",
  "const lazy = () => import('./lazy');",
  'const dyn = await import(name);', // 10
  '',
  '/** Build it. */',
  'export function build(units: number): tf.Sequential {',
  "  const m = tf.sequential({ name: 'x' });",
  '  if (units > 2) { m.add(tf.layers.dense({ units })); }', // 15
  '  const re = /[\'"`]/g; const half = units / 2 / 1;',
  '  const s = `TODO ${ `${units}` } } not code`;',
  '  return tf.model(x).compile();',
  '}',
  '', // 20
  'export abstract class Net extends tf.LayersModel implements Fittable, nn.Module {',
  '  constructor(private lr: number) { super(); }',
  '  abstract step(): void;',
  '  fit(a: string): void;',
  "  fit(a: any): void { ort.InferenceSession.create('m.onnx'); }", // 25
  '  empty() {}',
  '}',
  'export interface Fittable { fit(): void }',
  'export type Batch = { x: number[] };',
  'export enum Phase { Train }', // 30
  'export const run = async (x) => { await work(x); };',
  'export const noop = () => {};',
  'const counter = 0;',
  "let label = 'TODO: string';",
  '// FIXME: a real marker', // 35
  'function helper() { return 1; } // codex-audit: ignore[stub] ok',
  'export { helper, counter };',
].join('\n');

describe('forced fallback', () => {
  const f = run(REALISTIC, 'src/ui/model.ts', { forceFallback: true });

  it('reports degraded facts once, with parser fallback', () => {
    expect(f.parser).toBe('fallback');
    expect(f.issues).toHaveLength(1);
    expect(f.issues[0]).toMatchObject({ step: 'STEP_2:PARSE', path: 'src/ui/model.ts' });
    expect(f.issues[0].message).toMatch(/degraded/);
    expect(f.lines.total).toBe(37);
  });

  it('extracts imports of every form, resolved like the real parser', () => {
    expect(f.imports).toEqual([
      { module: '@tensorflow/tfjs', names: ['*'], line: 1, kind: 'import' },
      { module: 'src/ui/config', names: ['Config'], line: 2, kind: 'import', relative: true, typeOnly: true },
      { module: 'react', names: ['default', 'useState'], line: 3, kind: 'import' },
      { module: 'src/ui/polyfill', names: [], line: 4, kind: 'import', relative: true },
      { module: 'src/ui/trainer', names: ['Trainer'], line: 5, kind: 'export-from', relative: true },
      { module: 'src/types', names: ['*'], line: 6, kind: 'export-from', relative: true },
      { module: 'src/ui/opts', names: ['Opts'], line: 7, kind: 'export-from', relative: true, typeOnly: true },
      { module: 'onnxruntime-node', names: ['default'], line: 8, kind: 'require' },
      { module: 'src/ui/lazy', names: [], line: 9, kind: 'dynamic', relative: true },
      { module: '?', names: [], line: 10, kind: 'dynamic' },
    ]);
  });

  it('extracts definitions with export, bases, JSDoc, nesting and empty bodies', () => {
    expect(def(f, 'build')).toMatchObject({ kind: 'function', exported: true, docstring: true, line: 13, endLine: 19, stub: false });
    expect(def(f, 'Net')).toMatchObject({
      kind: 'class',
      exported: true,
      bases: ['@tensorflow/tfjs.LayersModel', 'Fittable', 'nn.Module'],
      line: 21,
      endLine: 27,
    });
    expect(def(f, 'Net.step')).toMatchObject({ kind: 'method', abstract: true, stub: false });
    expect(f.definitions.filter((d) => d.qualName === 'Net.fit')).toHaveLength(1);
    expect(def(f, 'Net.empty')).toMatchObject({ kind: 'method', stub: true, stubKind: 'empty_body' });
    expect(def(f, 'Net.constructor')?.stub).toBe(false);
    expect(def(f, 'Fittable')?.kind).toBe('interface');
    expect(def(f, 'Batch')?.kind).toBe('type');
    expect(def(f, 'Phase')?.kind).toBe('enum');
    expect(def(f, 'run')).toMatchObject({ kind: 'function', exported: true, stub: false });
    expect(def(f, 'noop')).toMatchObject({ kind: 'function', stub: true, stubKind: 'empty_body' });
    expect(def(f, 'lazy')?.kind).toBe('function');
    expect(def(f, 'counter')).toMatchObject({ kind: 'variable', exported: true });
    expect(def(f, 'label')).toMatchObject({ kind: 'variable', exported: false });
    expect(def(f, 'helper')).toMatchObject({ exported: true, stub: false });
    // import bindings are not variables
    expect(def(f, 'ort')).toBeUndefined();
  });

  it('extracts dotted calls through aliases, skipping keywords and method heads', () => {
    expect(callees(f)).toEqual([
      'require',
      '@tensorflow/tfjs.sequential',
      'm.add',
      '@tensorflow/tfjs.layers.dense',
      '@tensorflow/tfjs.model',
      '@tensorflow/tfjs.model().compile',
      'super',
      'onnxruntime-node.InferenceSession.create',
      'work',
    ]);
    expect(f.calls.find((c) => c.callee === 'onnxruntime-node.InferenceSession.create')).toMatchObject({ line: 25, scope: 'Net.fit' });
    expect(f.calls.find((c) => c.callee === 'work')?.scope).toBe('run');
  });

  it('takes markers and suppressions from comments only (not strings, templates or regexes)', () => {
    expect(f.markers).toEqual([{ kind: 'FIXME', line: 35, text: 'a real marker' }]);
    expect(f.suppressions).toEqual([{ id: 'stub', line: 36, reason: 'ok' }]);
    const names = f.names.map((n) => n.name);
    expect(names).not.toContain('TODO');
    expect(names).not.toContain('code');
    expect(names).toContain('half');
  });

  it('agrees with the real parser on the essentials of the same file', () => {
    const real = run(REALISTIC, 'src/ui/model.ts');
    expect(real.parser).toBe('typescript');
    expect(f.imports.map((i) => [i.module, i.kind])).toEqual(real.imports.map((i) => [i.module, i.kind]));
    expect(f.markers).toEqual(real.markers);
    for (const q of ['build', 'Net', 'Net.step', 'Net.fit', 'Net.empty', 'Fittable', 'Batch', 'Phase', 'run', 'noop', 'helper']) {
      expect(def(f, q)?.kind, q).toBe(def(real, q)?.kind);
      expect(def(f, q)?.exported, q).toBe(def(real, q)?.exported);
    }
  });

  it('handles default re-exports, export lists without semicolons and import-equals', () => {
    const g = run(
      [
        "export { default } from './Button'",
        "export { default as Card, type CardProps } from './Card'",
        'export { a, b as c }',
        'function a() {}',
        'function b() {}',
        "import fs = require('node:fs')",
        "import { default as yaml } from 'yaml'",
        'fs.readFileSync(p)',
      ].join('\n'),
      'src/ui/index.ts',
      { forceFallback: true },
    );
    expect(g.imports).toEqual([
      { module: 'src/ui/Button', names: ['default'], line: 1, kind: 'export-from', relative: true },
      { module: 'src/ui/Card', names: ['default', 'CardProps'], line: 2, kind: 'export-from', relative: true },
      { module: 'node:fs', names: ['default'], line: 6, kind: 'require' },
      { module: 'yaml', names: ['default'], line: 7, kind: 'import' },
    ]);
    expect(def(g, 'a')?.exported).toBe(true);
    expect(def(g, 'b')?.exported).toBe(true);
    expect(callees(g)).toContain('node:fs.readFileSync');
  });

  it('survives unterminated strings, comments, templates and regexes', () => {
    for (const src of ["const a = 'open", 'const b = `open ${x', '/* open', 'const r = /open', 'x = "a\\', 'f(`${`${`']) {
      const g = run(src + '\n// TODO: after', 'x.ts', { forceFallback: true });
      expect(g.parser).toBe('fallback');
    }
    const g = run("const a = 'unterminated\n// TODO: next line\n", 'x.ts', { forceFallback: true });
    expect(g.markers).toEqual([{ kind: 'TODO', line: 2, text: 'next line' }]);
  });

  it('records at most one issue itself and caps calls with one more', () => {
    const g = emptyFacts('gen.js', 'javascript', 0, 'h');
    scanTypeScriptFallback('a();\n'.repeat(100_050), g, 'parse error at line 3');
    expect(g.calls).toHaveLength(100_000);
    expect(g.issues.map((i) => i.step)).toEqual(['STEP_2:PARSE', 'STEP_3:FACTS']);
    expect(g.issues[0].message).toMatch(/^parse error at line 3; .*degraded/);
  });
});

describe('parse failures fall back', () => {
  it('a syntax error gives fallback facts and one STEP_2:PARSE issue with the error line', () => {
    const src = [
      "import * as tf from '@tensorflow/tfjs';",
      '// TODO: fix the syntax',
      'export function build() {',
      '  return tf.sequential(;',
      '}',
      'export class Net extends tf.LayersModel {}',
    ].join('\n');
    const f = run(src, 'src/broken.ts');
    expect(f.parser).toBe('fallback');
    expect(f.issues).toHaveLength(1);
    expect(f.issues[0].step).toBe('STEP_2:PARSE');
    expect(f.issues[0].message).toMatch(/line 4\b/);
    expect(f.imports).toEqual([{ module: '@tensorflow/tfjs', names: ['*'], line: 1, kind: 'import' }]);
    expect(def(f, 'build')).toMatchObject({ kind: 'function', exported: true });
    expect(def(f, 'Net')?.bases).toEqual(['@tensorflow/tfjs.LayersModel']);
    expect(f.markers).toEqual([{ kind: 'TODO', line: 2, text: 'fix the syntax' }]);
  });

  it('an internal failure after a successful parse is reported as STEP_3:FACTS and degrades to the fallback', () => {
    const f = emptyFacts('src/x.ts', 'typescript', 0, 'h');
    let armed = true;
    f.definitions = new Proxy([] as FileFacts['definitions'], {
      get(target, key, receiver) {
        if (key === 'push' && armed) {
          armed = false;
          return () => {
            throw new Error('boom');
          };
        }
        return Reflect.get(target, key, receiver);
      },
    });
    expect(() => parseTypeScript("import x from 'x';\nexport function a() { x(); }\n", f)).not.toThrow();
    expect(f.parser).toBe('fallback');
    expect(f.issues).toHaveLength(1);
    expect(f.issues[0].step).toBe('STEP_3:FACTS');
    expect(f.issues[0].message).toMatch(/boom/);
    expect(f.definitions.map((d) => d.name)).toEqual(['a']);
    expect(f.imports).toHaveLength(1);
    expect(f.calls.map((c) => c.callee)).toEqual(['x']);
  });

  it('a broken .d.cts does not throw and falls back', () => {
    const src = "export = ;\ndeclare module 'x' {\n  export function f(: void;\n// TODO: finish typings\n";
    const f = run(src, 'types/index.d.cts');
    expect(f.parser).toBe('fallback');
    expect(f.issues[0].step).toBe('STEP_2:PARSE');
    expect(f.markers.map((m) => m.kind)).toEqual(['TODO']);
  });

  it('an invalid-but-parseable .d.cts (bodies and initialisers in ambient context) still parses, without stubs', () => {
    const src = [
      'export declare function load(path: string): void { }',
      'declare const VERSION: string = "1";',
      'export declare class Model { predict(x: number): number; fit(): void {} }',
      'export = Model;',
    ].join('\n');
    const f = run(src, 'types/model.d.cts');
    expect(f.parser).toBe('typescript');
    expect(f.issues).toEqual([]);
    expect(def(f, 'load')).toMatchObject({ kind: 'function', stub: false, exported: true });
    expect(def(f, 'Model')).toMatchObject({ kind: 'class', exported: true });
    expect(f.definitions.every((d) => !d.stub)).toBe(true);
  });
});

describe('hostile input', () => {
  it('a 10,000-deep nested array literal does not throw, degrades with an issue, and later files still parse', () => {
    const depth = 10_000;
    const src = '// TODO: deep\nexport const deep = ' + '['.repeat(depth) + ']'.repeat(depth) + ';\nexport function after() {}\n';
    const f = run(src, 'src/deep.ts');
    expect(['typescript', 'fallback']).toContain(f.parser);
    if (f.parser === 'fallback') expect(f.issues[0].message).toMatch(/nested too deeply|stack/);
    expect(f.markers).toEqual([{ kind: 'TODO', line: 1, text: 'deep' }]);
    expect(def(f, 'after')).toMatchObject({ kind: 'function', exported: true });
    const next = run('export function ok() { return 1; }', 'src/ok.ts');
    expect(next.parser).toBe('typescript');
    expect(def(next, 'ok')).toBeDefined();
  });

  it.each([
    ['parentheses', (d: number) => 'x = ' + '('.repeat(d) + '1' + ')'.repeat(d) + ';'],
    ['objects', (d: number) => 'x = ' + '{a:'.repeat(d) + '1' + '}'.repeat(d) + ';'],
    ['arrow functions', (d: number) => 'x = ' + '() => '.repeat(d) + '1;'],
    ['calls', (d: number) => 'x = ' + 'f('.repeat(d) + ')'.repeat(d) + ';'],
    ['JSX', (d: number) => 'x = ' + '<a>'.repeat(d) + '</a>'.repeat(d) + ';'],
    ['member chain', (d: number) => 'x = a' + '.b()'.repeat(d) + ';'],
    ['binary expression', (d: number) => 'x = 1' + ' + 1'.repeat(d * 10) + ';'],
    ['templates', (d: number) => 'x = ' + '`${'.repeat(d) + '1' + '}`'.repeat(d) + ';'],
  ])('deep %s: no throw', (_label, make) => {
    const f = run(make(10_000) + '\n// TODO: end\n', 'src/deep.tsx');
    expect(['typescript', 'fallback']).toContain(f.parser);
    expect(f.markers.map((m) => m.line)).toEqual([2]);
  });

  it('sends files above the size limit straight to the fallback', () => {
    const src = '// TODO: huge\n' + 'export function f() { tf.tidy(); }\n'.repeat(Math.ceil((ESTREE_MAX_CHARS + 10) / 34));
    expect(src.length).toBeGreaterThan(ESTREE_MAX_CHARS);
    const f = run(src, 'src/huge.ts');
    expect(f.parser).toBe('fallback');
    expect(f.issues[0]).toMatchObject({ step: 'STEP_2:PARSE' });
    expect(f.issues[0].message).toMatch(/too large/);
    expect(f.markers).toEqual([{ kind: 'TODO', line: 1, text: 'huge' }]);
  });

  it('walks deep-but-parseable nesting iteratively with correct scopes', () => {
    const depth = 100;
    const src = 'export function outer() {\n' + 'run(() => {\n'.repeat(depth) + 'leaf();\n' + '});\n'.repeat(depth) + '}\n';
    const f = run(src, 'src/nest.ts');
    expect(f.parser).toBe('typescript');
    expect(f.calls.filter((c) => c.callee === 'run')).toHaveLength(depth);
    expect(f.calls.find((c) => c.callee === 'leaf')).toMatchObject({ scope: 'outer', line: depth + 2 });
  });

  it('never throws on garbage, truncations or odd characters', () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = 'abc{}()[]<>/\\*\'"`$;:=.,!?#@\n \t0123456789\u0000\ud800\u2028';
    const inputs: string[] = [];
    for (let k = 0; k < 60; k++) {
      let s = '';
      const len = rnd() % 400;
      for (let i = 0; i < len; i++) s += alphabet[rnd() % alphabet.length];
      inputs.push(s);
    }
    for (let cut = 0; cut < REALISTIC.length; cut += 37) inputs.push(REALISTIC.slice(0, cut));
    for (const s of inputs) {
      for (const path of ['g.ts', 'g.tsx', 'g.js', 'g.d.cts']) {
        const f = emptyFacts(path, languageOf(path), s.length, 'h');
        expect(() => parseTypeScript(s, f)).not.toThrow();
        expect(['typescript', 'fallback']).toContain(f.parser);
        if (f.parser === 'fallback') expect(f.issues.length).toBeGreaterThan(0);
        expect(() => parseTypeScript(s, emptyFacts(path, 'typescript', 0, 'h'), { forceFallback: true })).not.toThrow();
      }
    }
  });
});
