import { describe, expect, it } from 'vitest';
import { buildRepoIndex } from '../src/facts/index.js';
import type { FileFacts } from '../src/facts/types.js';
import type { CapabilityDef, SubFeatureDef } from '../src/model/capability.js';
import { MAX_EVIDENCE, STUBBED_GAP_PREFIX, detectAll, detectCapability, repositoryScore } from '../src/model/detect.js';
import { scoreOf, statusCounts, statusOf } from '../src/model/status.js';
import type { Status, SubFeatureState } from '../src/model/types.js';
import { call, cls, def, file } from './model-helpers.js';

function sub(id: string, core: boolean, signals: SubFeatureDef['signals']): SubFeatureDef {
  return { id, title: `Title of ${id}`, core, summary: `what ${id} is`, gap: `Add ${id}.`, signals };
}

/** A small training capability: two core sub-features, two others. */
const training: CapabilityDef = {
  id: 'training',
  title: 'Training Engine',
  tableTitle: 'Training Engine (loop)',
  why: 'why',
  subfeatures: [
    sub('training.loop', true, [{ call: 'backward' }]),
    sub('training.grad_clipping', true, [{ call: 'clip_grad_norm_' }, { name: '^max_grad_norm$' }]),
    sub('training.lr_schedule', false, [{ call: 'get_*_schedule_with_warmup' }]),
    sub('training.tests', false, [{ call: 'train_step' }]),
  ],
  risks: ['Divergence'],
  patchPlan: 'Add a loop.',
  rollbackPlan: 'Revert the loop.',
};

function detect(files: FileFacts[], opts: Parameters<typeof detectCapability>[3] = {}) {
  return detectCapability(training, buildRepoIndex(files), {}, opts);
}

const states = (r: ReturnType<typeof detect>): Record<string, SubFeatureState> => Object.fromEntries(r.subfeatures.map((s) => [s.id, s.state]));

describe('sub-feature states', () => {
  it('present outside stubs, stubbed when all evidence is in stubs, absent otherwise', () => {
    const r = detect([
      file('train.py', {
        definitions: [def('clip', 5, { endLine: 7, stub: true, stubKind: 'not_implemented' })],
        calls: [call('loss.backward', 2), call('torch.nn.utils.clip_grad_norm_', 6, { scope: 'clip' })],
      }),
    ]);
    expect(states(r)).toEqual({
      'training.loop': 'present',
      'training.grad_clipping': 'stubbed',
      'training.lr_schedule': 'absent',
      'training.tests': 'absent',
    });
    const clipping = r.subfeatures[1];
    expect(clipping.evidence).toEqual([{ path: 'train.py', line: 6, excerpt: 'torch.nn.utils.clip_grad_norm_()' }]);
    expect(clipping.gap).toBe('Add training.grad_clipping.');
    expect(r.subfeatures[0].gap).toBeUndefined();
    expect(r.subfeatures[2].evidence).toEqual([]);
  });

  it('evidence on a stub class line or inside it is stubbed; a stub definition itself is stubbed', () => {
    const r = detect([
      file('t.py', {
        definitions: [
          cls('Trainer', 1, 9),
          def('__init__', 2, { parent: 'Trainer', endLine: 3, trivialInit: true }),
          def('fit', 4, { parent: 'Trainer', endLine: 5, stub: true, stubKind: 'pass' }),
          def('max_grad_norm', 11, { stub: true, stubKind: 'ellipsis', endLine: 11 }),
        ],
        calls: [call('self.loss.backward', 3, { scope: 'Trainer.__init__' })],
        names: [{ name: 'max_grad_norm', line: 11, scope: '' }],
      }),
    ]);
    expect(states(r)['training.loop']).toBe('stubbed');
    expect(states(r)['training.grad_clipping']).toBe('stubbed');
  });

  it('evidence inside a NotImplementedError method that a subclass overrides is present (an interface)', () => {
    const base = file('base.py', {
      definitions: [cls('Engine', 1, 9), def('step', 2, { parent: 'Engine', endLine: 4, stub: true, stubKind: 'not_implemented' })],
      calls: [call('loss.backward', 3, { scope: 'Engine.step' })],
    });
    const sub = file('impl.py', { definitions: [cls('Impl', 1, 5, { bases: ['Engine'] }), def('step', 2, { parent: 'Impl', endLine: 4 })] });
    expect(states(detect([base]))['training.loop']).toBe('stubbed');
    expect(states(detect([base, sub]))['training.loop']).toBe('present');
  });

  it('present evidence is preferred: a present sub-feature lists only evidence outside stubs', () => {
    const r = detect([
      file('a.py', { definitions: [def('s', 1, { endLine: 3, stub: true, stubKind: 'pass' })], calls: [call('x.backward', 2, { scope: 's' }), call('y.backward', 8)] }),
    ]);
    expect(r.subfeatures[0].state).toBe('present');
    expect(r.subfeatures[0].evidence.map((e) => e.line)).toEqual([8]);
  });

  it('test files count only for .tests sub-features, which count nothing else', () => {
    const r = detect([file('tests/test_train.py', { calls: [call('loss.backward', 1), call('train_step', 2)] }), file('src/train.py', { calls: [call('train_step', 3)] })]);
    expect(states(r)['training.loop']).toBe('absent');
    expect(states(r)['training.tests']).toBe('present');
    expect(r.subfeatures[3].evidence.map((e) => e.path)).toEqual(['tests/test_train.py']);
  });

  it('vendored copies never count', () => {
    expect(states(detect([file('third_party/lib/loop.py', { calls: [call('loss.backward', 1)] })]))['training.loop']).toBe('absent');
  });

  it('a declared dependency alone is not evidence', () => {
    const cap: CapabilityDef = { ...training, subfeatures: [sub('logging.backend', true, [{ requirement: '^wandb$' }, { import: 'wandb' }])] };
    const req = file('requirements.txt', { requirements: [{ name: 'wandb', spec: '', pinned: false, line: 1 }] });
    const only = detectCapability(cap, buildRepoIndex([req]));
    expect(only.subfeatures[0].state).toBe('absent');
    expect(only.subfeatures[0].evidence).toEqual([]);
    const both = detectCapability(cap, buildRepoIndex([req, file('log.py', { imports: [{ module: 'wandb', names: [], line: 1, kind: 'import' }] })]));
    expect(both.subfeatures[0].state).toBe('present');
    expect(both.subfeatures[0].evidence.map((e) => e.path)).toEqual(['log.py']);
    const counted: CapabilityDef = { ...training, subfeatures: [sub('security.lock', true, [{ requirement: '^wandb$', counts: true }])] };
    expect(detectCapability(counted, buildRepoIndex([req])).subfeatures[0].state).toBe('present');
  });
});

describe('evidence lists', () => {
  it(`keep at most ${MAX_EVIDENCE}, one per file first, sources before examples, sorted`, () => {
    const files = [
      file('a.py', { calls: [1, 2, 3, 4].map((l) => call('loss.backward', l)) }),
      file('b.py', { calls: [call('loss.backward', 7)] }),
      file('examples/c.py', { calls: [call('loss.backward', 1)] }),
      file('d.py', { calls: [call('loss.backward', 9)] }),
    ];
    const ev = detect(files).subfeatures[0].evidence.map((e) => `${e.path}:${e.line}`);
    expect(ev).toEqual(['a.py:1', 'a.py:2', 'b.py:7', 'd.py:9', 'examples/c.py:1']);
  });

  it('are deduplicated by path:line across signals', () => {
    const f = file('a.py', { calls: [call('torch.nn.utils.clip_grad_norm_', 4)], names: [{ name: 'max_grad_norm', line: 4, scope: '' }] });
    const ev = detect([f]).subfeatures[1].evidence;
    expect(ev).toEqual([{ path: 'a.py', line: 4, excerpt: 'torch.nn.utils.clip_grad_norm_()' }]);
  });
});

describe('status and score', () => {
  it.each<[string, SubFeatureState[], Status, number]>([
    // [loop★, clipping★, schedule, tests]
    ['every core present', ['present', 'present', 'absent', 'absent'], 'implemented', 67],
    ['everything present', ['present', 'present', 'present', 'present'], 'implemented', 100],
    ['one core missing', ['present', 'absent', 'present', 'present'], 'partial', 67],
    ['only a non-core present', ['absent', 'stubbed', 'present', 'absent'], 'partial', 17],
    ['nothing present, one stubbed', ['stubbed', 'absent', 'absent', 'absent'], 'stubbed', 0],
    ['nothing at all', ['absent', 'absent', 'absent', 'absent'], 'missing', 0],
  ])('%s', (_name, subStates, status, score) => {
    const subs = subStates.map((state, i) => ({ core: i < 2, state }));
    expect(statusOf(subs)).toBe(status);
    expect(scoreOf(subs)).toBe(score);
  });

  it('without core sub-features all of them decide', () => {
    expect(statusOf([{ core: false, state: 'present' }, { core: false, state: 'absent' }])).toBe('partial');
    expect(statusOf([{ core: false, state: 'present' }])).toBe('implemented');
    expect(scoreOf([])).toBe(0);
    expect(statusOf([])).toBe('missing');
  });

  it.each<[number[], number]>([
    [[], 0],
    [[100, 0], 50],
    [[67, 50, 0], 39],
    [[1, 2], 2],
  ])('repositoryScore(%j) = %d', (scores, expected) => {
    expect(repositoryScore(scores.map((score) => ({ score })))).toBe(expected);
  });

  it('statusCounts counts each status', () => {
    expect(statusCounts([{ status: 'partial' }, { status: 'partial' }, { status: 'missing' }])).toEqual({ implemented: 0, partial: 2, stubbed: 0, missing: 1 });
  });

  it('the four statuses come out of real facts', () => {
    const implemented = detect([file('a.py', { calls: [call('loss.backward', 1), call('clip_grad_norm_', 2)] })]);
    const partial = detect([file('a.py', { calls: [call('loss.backward', 1)] })]);
    const stubbed = detect([file('a.py', { definitions: [def('train', 1, { endLine: 3, stub: true, stubKind: 'pass' })], calls: [call('loss.backward', 2, { scope: 'train' })] })]);
    const missing = detect([file('a.py')]);
    expect([implemented, partial, stubbed, missing].map((r) => [r.status, r.score])).toEqual([
      ['implemented', 67],
      ['partial', 33],
      ['stubbed', 0],
      ['missing', 0],
    ]);
  });
});

describe('gaps, deferred items and definition prose', () => {
  const files = [file('a.py', { definitions: [def('s', 1, { endLine: 3, stub: true, stubKind: 'pass' })], calls: [call('loss.backward', 2, { scope: 's' })] })];

  it('lists every non-present sub-feature, stubbed ones prefixed', () => {
    const r = detect(files);
    expect(r.gaps).toEqual([`${STUBBED_GAP_PREFIX}Add training.loop.`, 'Add training.grad_clipping.', 'Add training.lr_schedule.', 'Add training.tests.']);
    expect(r.risks).toEqual(['Divergence']);
    expect(r.patchPlan).toBe('Add a loop.');
    expect(r.rollbackPlan).toBe('Revert the loop.');
    expect(r.title).toBe('Training Engine');
  });

  it('deferred sub-features keep their state, carry the reason and leave the gaps', () => {
    const r = detect(files, { deferred: { 'training.tests': 'after the refactor', 'training.loop': 'later' } });
    expect(r.gaps).toEqual(['Add training.grad_clipping.', 'Add training.lr_schedule.']);
    expect(r.subfeatures.map((s) => [s.state, s.deferred])).toEqual([
      ['stubbed', 'later'],
      ['absent', undefined],
      ['absent', undefined],
      ['absent', 'after the refactor'],
    ]);
    // status and score are unchanged by deferral
    expect([r.status, r.score]).toEqual(['stubbed', 0]);
  });

  it('a capability id defers all its gaps; a present sub-feature is never deferred', () => {
    const r = detect([file('a.py', { calls: [call('loss.backward', 1)] })], { deferred: { training: 'not this quarter' } });
    expect(r.gaps).toEqual([]);
    expect(r.subfeatures.map((s) => s.deferred)).toEqual([undefined, 'not this quarter', 'not this quarter', 'not this quarter']);
  });

  it('extra signals from the config join a sub-feature', () => {
    const f = [file('a.py', { calls: [call('mylib.clip', 3)] })];
    expect(states(detect(f))['training.grad_clipping']).toBe('absent');
    expect(states(detect(f, { extraSignals: { 'training.grad_clipping': [{ call: 'mylib.clip' }] } }))['training.grad_clipping']).toBe('present');
  });
});

describe('measured notes and detectAll', () => {
  const docs: CapabilityDef = { ...training, id: 'docs', title: 'Docs', subfeatures: [sub('docs.docstrings', false, [{ custom: 'docstringCoverage' }])] };

  it('docs.docstrings carries the measured percentage whatever its state', () => {
    const good = detectCapability(docs, buildRepoIndex([file('a.py', { definitions: [def('f', 1, { docstring: true }), def('g', 2)] })]));
    expect(good.subfeatures[0].state).toBe('present');
    expect(good.subfeatures[0].note).toBe('50% of public top-level functions and classes have docstrings (1 of 2)');
    const poor = detectCapability(docs, buildRepoIndex([file('a.py', { definitions: [def('f', 1), def('g', 2)] })]));
    expect(poor.subfeatures[0].state).toBe('absent');
    expect(poor.subfeatures[0].note).toBe('0% of public top-level functions and classes have docstrings (0 of 2)');
  });

  it('detectAll judges every definition in order', () => {
    const results = detectAll([training, docs], buildRepoIndex([file('a.py', { calls: [call('loss.backward', 1)] })]));
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['training', 'partial'],
      ['docs', 'missing'],
    ]);
  });
});
