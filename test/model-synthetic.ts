// A synthetic large repository and capability registry for the detection-engine performance test.
import type { FileFacts } from '../src/facts/types.js';
import type { CapabilityDef, Signal, SubFeatureDef } from '../src/model/capability.js';
import { call, cls, def, file, imp } from './model-helpers.js';

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const WORDS = Array.from({ length: 4000 }, (_, i) => `w${i.toString(36)}${['_step', '_loss', '_data', '', '_cfg', '_model'][i % 6]}`);
const MODULES = ['torch', 'torch.nn', 'numpy', 'transformers', 'datasets', 'wandb', 'os', 'json', 'pkg.models', 'pkg.utils', 'typing', 'dataclasses', ...WORDS.slice(0, 200).map((w) => `lib_${w}`)];
const CALLEES = ['loss.backward', 'optimizer.step', 'torch.save', 'model.to', 'json.dump', 'logging.getLogger', 'print', 'len', 'torch.no_grad', 'self.tokenizer.encode', ...WORDS.map((w) => `obj_${w.slice(0, 3)}.${w}`)];

/** About `n` files of a large ML repository: Python and TS sources, tests, configs, docs. */
export function syntheticRepo(n: number): FileFacts[] {
  const files: FileFacts[] = [];
  for (let k = 0; k < n; k++) {
    const r = k % 20;
    const dir = r === 0 ? 'tests' : r === 1 ? 'examples' : r === 2 ? 'vendor/lib' : `pkg/m${k % 97}`;
    if (r === 3 || r === 4) {
      files.push(file(`configs/c${k}.yaml`, { configKeys: Array.from({ length: 30 }, (_, i) => ({ key: `section${i % 5}.${pick(WORDS)}`, line: i + 1, value: String(i) })) }));
      continue;
    }
    if (r === 5) {
      files.push(file(`docs/p${k}.md`, { headings: Array.from({ length: 8 }, (_, i) => ({ level: 2, text: `${pick(WORDS)} ${pick(WORDS)}`, line: i * 10 + 1 })) }));
      continue;
    }
    const ts = r >= 17;
    const path = `${dir}/f${k}.${ts ? 'ts' : 'py'}`;
    const defs = Array.from({ length: 20 }, (_, i) => {
      const isClass = i % 7 === 0;
      return isClass
        ? cls(`C${pick(WORDS)}`, i * 20 + 1, i * 20 + 19, { bases: [pick(['torch.nn.Module', 'object', 'Base', 'abc.ABC'])] })
        : def(pick(WORDS), i * 20 + 1, { endLine: i * 20 + 18, stub: rand() < 0.03, stubKind: 'pass', docstring: rand() < 0.5, exported: true });
    });
    files.push(
      file(path, {
        imports: Array.from({ length: 12 }, (_, i) => (ts ? imp(pick(MODULES).replace(/\./g, '/'), i + 1, ['x'], { kind: 'import' }) : imp(pick(MODULES), i + 1, rand() < 0.5 ? [pick(WORDS)] : []))),
        definitions: defs,
        calls: Array.from({ length: 120 }, (_, i) =>
          call(pick(CALLEES), 20 + i * 3, {
            args: ['x'],
            kwargs: rand() < 0.3 ? { [pick(['fp16', 'device', 'mode', pick(WORDS)])]: pick(['True', '"offline"', '1']) } : {},
            scope: pick(defs).qualName,
          }),
        ),
        assignments: Array.from({ length: 30 }, (_, i) => ({ target: pick(WORDS), line: 400 + i, value: '1', valueKind: 'number' as const, scope: '' })),
        names: Array.from({ length: 80 }, (_, i) => ({ name: pick(WORDS), line: 20 + i, scope: '' })),
        markers: rand() < 0.2 ? [{ kind: 'TODO' as const, line: 30, text: 'later' }] : [],
      }),
    );
  }
  return files;
}

/** Broad signals shared between sub-features, as definitions share their constants. */
const BROAD_ASSIGN: Signal = { assign: '*_loss', valueKind: ['number'] };
const BROAD_KW: Signal = { call: '**', kw: ['fp16'], notKwValue: { fp16: '^False$' } };
const MODULE_CLASS: Signal = { kind: ['class'], bases: ['nn.Module'] };
const LOOP: Signal = { all: [{ call: 'backward' }, { call: 'step', receiver: 'optim' }], within: 'scope' };

/** 14 capabilities x 6 sub-features x ~7 signals of every kind, each with its own patterns. */
export function syntheticDefs(): CapabilityDef[] {
  return Array.from({ length: 14 }, (_, c) => {
    const subfeatures: SubFeatureDef[] = Array.from({ length: 6 }, (_, s) => {
      const w = (i: number) => WORDS[(c * 97 + s * 13 + i * 7) % WORDS.length];
      const signals: Signal[] = [
        { import: [`lib_${w(1)}`, 'wandb', `torch.${w(2)}`] },
        { import: 'transformers', names: `^(${w(3)}|AutoTokenizer)$` },
        { call: [w(4), `obj_${w(5).slice(0, 3)}.${w(5)}`, 'get_*_schedule'], receiver: '.' },
        BROAD_KW,
        { call: 'step', receiver: 'optim' },
        { def: `^(${w(6)}|${w(7)}|build_\\w+)$`, kind: ['function', 'method'] },
        MODULE_CLASS,
        { name: `^(${w(8)}|${w(9)})$` },
        { name: `${w(10).slice(0, 4)}` },
        { configKey: `(^|\\.)${w(11)}$` },
        { heading: `install|${w(12)}` },
        { file: [`*${c}${s}*.yaml`, 'poetry.lock'] },
        { assign: `*.${w(13)}`, valueKind: ['number'] },
        BROAD_ASSIGN,
        LOOP,
      ];
      return {
        id: s === 5 ? `cap${c}.tests` : `cap${c}.s${s}`,
        title: `S${s}`,
        core: s < 2,
        summary: 's',
        gap: 'g',
        signals: signals.filter((_x, i) => (i + s + c) % 2 === 0 || i < 3),
      };
    });
    subfeatures.push({ id: `cap${c}.docstrings`, title: 'D', core: false, summary: 's', gap: 'g', signals: [{ custom: 'docstringCoverage' }] });
    return { id: `cap${c}`, title: `C${c}`, tableTitle: `C${c}`, why: 'w', subfeatures, risks: [], patchPlan: 'p', rollbackPlan: 'r' };
  });
}

