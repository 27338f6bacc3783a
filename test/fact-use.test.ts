import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit, type AuditOptions } from '../src/audit.js';
import { renderJson } from '../src/report/json.js';
import { walk } from '../src/walk/walk.js';
import { collectFileFacts } from '../src/facts/collect.js';
import { buildRepoIndex } from '../src/facts/index.js';
import { emptyFacts, type FileFacts } from '../src/facts/types.js';
import { capabilities } from '../src/capabilities/index.js';
import { FactFilter, relevantSignals } from '../src/model/relevance.js';
import { markFilteredIndex, matchSignal, signalFactUse, signalKind, type SignalIssue } from '../src/model/signals.js';
import type { Signal } from '../src/model/capability.js';
import { FIXTURES, TIMESTAMP } from './e2e-helpers.js';

const base = mkdtempSync(join(tmpdir(), 'codex-audit-factuse-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const FIXTURE_NAMES = ['ml-complete', 'ml-half', 'ml-stubs', 'ts-app', 'plain'];

function counts(files: readonly FileFacts[]): { calls: number; assignments: number; names: number } {
  let calls = 0;
  let assignments = 0;
  let names = 0;
  for (const f of files) {
    calls += f.calls.length;
    assignments += f.assignments.length;
    names += f.names.length;
  }
  return { calls, assignments, names };
}

async function fixtureFacts(name: string): Promise<FileFacts[]> {
  const { files } = await walk({ root: join(FIXTURES, name), maxFileSize: 2 * 1024 * 1024 });
  const out: FileFacts[] = [];
  for (const f of files) {
    const r = await collectFileFacts(f, 2 * 1024 * 1024);
    if (r.kind === 'facts') out.push({ ...r.facts, path: `${name}/${r.facts.path}` });
  }
  return out;
}

/** Every call, assignment and name signal, inner signals of `all` included. */
function factSignals(list: readonly Signal[]): Signal[] {
  return list.flatMap((s) => {
    const kind = signalKind(s);
    if (kind === 'cooccur') return factSignals((s as { all: Signal[] }).all);
    return kind === 'call' || kind === 'assign' || kind === 'name' ? [s] : [];
  });
}

describe('only the facts detectors can use are kept (model/fact-use.ts)', () => {
  for (const name of FIXTURE_NAMES) {
    it(`${name}: the report is the report over every fact, from far fewer facts, in-process and on workers`, async () => {
      const root = join(FIXTURES, name);
      const opts: AuditOptions = { root, timestamp: TIMESTAMP, cacheDir: false, jobs: 1 };
      const all = await runAudit({ ...opts, keepAllFacts: true });
      const expected = renderJson(all.report);
      for (const jobs of [1, 2]) {
        const kept = await runAudit({ ...opts, jobs });
        expect(renderJson(kept.report), `jobs ${jobs}`).toBe(expected);
        const before = counts(all.index?.files ?? []);
        const after = counts(kept.index?.files ?? []);
        expect(after.calls + after.assignments + after.names).toBeLessThan((before.calls + before.assignments + before.names) / 2);
        expect(after.calls).toBeLessThanOrEqual(before.calls);
      }
      expect(all.report.errors.some((e) => /not declared/.test(e.message))).toBe(false);
    });
  }

  it('the facts cache keeps every fact: a later audit that keeps everything reads the same facts as a fresh parse', async () => {
    const root = join(FIXTURES, 'ml-complete');
    const cacheDir = join(base, 'cache');
    mkdirSync(cacheDir, { recursive: true });
    const kept = await runAudit({ root, timestamp: TIMESTAMP, cacheDir, jobs: 2 });
    const fresh = await runAudit({ root, timestamp: TIMESTAMP, cacheDir: false, jobs: 1, keepAllFacts: true });
    rmSync(join(cacheDir, 'reports'), { recursive: true, force: true });
    const fromCache = await runAudit({ root, timestamp: TIMESTAMP, cacheDir, jobs: 2, keepAllFacts: true });
    expect(fromCache.stats.parsed).toBe(0);
    expect(counts(fromCache.index?.files ?? [])).toEqual(counts(fresh.index?.files ?? []));
    expect(counts(kept.index?.files ?? []).calls).toBeLessThan(counts(fresh.index?.files ?? []).calls);
    // And a filtered audit over cached facts is the filtered audit over parsed ones.
    rmSync(join(cacheDir, 'reports'), { recursive: true, force: true });
    const keptFromCache = await runAudit({ root, timestamp: TIMESTAMP, cacheDir, jobs: 1 });
    expect(keptFromCache.stats.parsed).toBe(0);
    expect(renderJson(keptFromCache.report)).toBe(renderJson(kept.report));
    expect(counts(keptFromCache.index?.files ?? [])).toEqual(counts(kept.index?.files ?? []));
  });

  it('every signal of the audit finds the same evidence in the kept facts as in all of them', async () => {
    const facts = (await Promise.all(FIXTURE_NAMES.map(fixtureFacts))).flat();
    const signals = relevantSignals(capabilities);
    const filter = new FactFilter(signals);
    const full = buildRepoIndex(facts);
    const kept = buildRepoIndex(facts.map((f) => filter.keep(f)));
    markFilteredIndex(kept, filter.keys);
    const list = factSignals(signals);
    expect(list.length).toBeGreaterThan(100);
    let matched = 0;
    for (const s of list) {
      const issues: SignalIssue[] = [];
      const ctx = { testFiles: 'include' as const, onIssue: (i: SignalIssue) => issues.push(i) };
      const want = matchSignal(s, full, ctx);
      expect(matchSignal(s, kept, ctx), JSON.stringify(s)).toEqual(want);
      expect(issues, JSON.stringify(s)).toEqual([]);
      if (want.length > 0) matched++;
    }
    // The fixtures exercise a good share of them (the comparison is not vacuous).
    expect(matched).toBeGreaterThan(60);
  });

  it('predicates follow the matchers: patterns, receivers, keywords, first arguments, values, kinds, names', () => {
    const use = signalFactUse([
      { call: 'torch.save' },
      { call: '*.from_pretrained', receiver: 'Auto' },
      { call: '**', kw: ['seed'] },
      { call: '**', arg0: '^["\']--lr' },
      { call: 'lr_scheduler.*' },
      { assign: 'os.environ[WANDB_MODE]', value: 'offline' },
      { assign: '*', valueKind: ['dict'] },
      { all: [{ name: '^vocab_size$' }, { call: 'build' }], within: 'scope' },
    ]);
    const call = (callee: string, args: string[] = [], kwargs: Record<string, string> = {}) => use.call({ callee, line: 1, args, kwargs, scope: '' });
    expect(call('torch.save')).toBe(true);
    expect(call('x.torch.save')).toBe(true);
    expect(call('torch.save_all')).toBe(false);
    expect(call('transformers.AutoModel.from_pretrained')).toBe(true);
    expect(call('mylib.Model.from_pretrained')).toBe(false);
    expect(call('anything', [], { seed: '0' })).toBe(true);
    expect(call('anything', ['"--lr"'])).toBe(true);
    expect(call('anything', ['"--epochs"'])).toBe(false);
    expect(call('torch.optim.lr_scheduler.StepLR')).toBe(true);
    expect(call('build()')).toBe(true);
    expect(call('len', ['x'])).toBe(false);
    const assign = (target: string, value: string, valueKind: FileFacts['assignments'][number]['valueKind']) => use.assignment({ target, value, valueKind, line: 1, scope: '' });
    expect(assign('os.environ[WANDB_MODE]', '"offline"', 'string')).toBe(true);
    expect(assign('os.environ[WANDB_MODE]', '"online"', 'string')).toBe(false);
    expect(assign('CONFIG', '{}', 'dict')).toBe(true);
    expect(assign('x', '1', 'number')).toBe(false);
    expect(use.name('vocab_size')).toBe(true);
    expect(use.name('hidden')).toBe(false);
    expect(use.keys.size).toBe(9);
  });

  it('declared detectors keep what they read: risky and secret-bearing calls, tokenizer calls, registry stores', () => {
    const filter = new FactFilter([]);
    const call = (callee: string, args: string[] = [], kwargs: Record<string, string> = {}, lang: FileFacts['language'] = 'python') =>
      filter.call({ callee, line: 1, args, kwargs, scope: '' }, lang);
    expect(call('pickle.load', ['f'])).toBe(true);
    expect(call('yaml.load', ['f'])).toBe(true);
    expect(call('whatever', [], { trust_remote_code: 'True' })).toBe(true);
    expect(call('client.login', ['"ghp_R8x2Kq9LmZ4tW7vY1bN3cD5fG6hJ0kP2sQ4u"'])).toBe(true);
    expect(call('child_process.exec', ['cmd'], {}, 'typescript')).toBe(true);
    expect(call('tokenizer.encode', ['text'])).toBe(true);
    expect(call('parser.add_argument', ['"--resume"'])).toBe(true);
    expect(call('table.set', ['name', 'cls'])).toBe(true);
    expect(call('describe', ['"tokenizer"'], {}, 'typescript')).toBe(true);
    expect(call('np.zeros', ['3'])).toBe(false);
    expect(call('pickle.load', ['f'], {}, 'yaml')).toBe(false);
    const assign = (target: string, value: string, valueKind: FileFacts['assignments'][number]['valueKind'], scope = 'f') =>
      filter.assignment({ target, value, valueKind, line: 1, scope }, 'python');
    expect(assign('api_key', '"sk-R8x2Kq9LmZ4tW7vY1bN3cD5f"', 'string')).toBe(true);
    expect(assign('MODEL_REGISTRY', '{}', 'dict')).toBe(true);
    expect(assign('REGISTRY[name]', 'cls', 'name')).toBe(true);
    expect(assign('logger', 'logging.getLogger()', 'call', '')).toBe(true);
    expect(assign('y', 'x + 1', 'other')).toBe(false);
    expect(filter.name({ name: 'stoi', line: 1, scope: '' }, 'python')).toBe(true);
    expect(filter.name({ name: 'benchmark', line: 1, scope: '' }, 'python')).toBe(true);
    expect(filter.name({ name: 'hidden', line: 1, scope: '' }, 'python')).toBe(false);
  });

  it('keep() returns the same object when every fact stays, and keeps the order of those that do', () => {
    const filter = new FactFilter([{ call: 'torch.save' }]);
    const f = emptyFacts('a.py', 'python', 0, 'h');
    expect(filter.keep(f)).toBe(f);
    f.calls.push(
      { callee: 'torch.save', line: 3, args: ['m'], kwargs: {}, scope: '' },
      { callee: 'len', line: 4, args: ['x'], kwargs: {}, scope: '' },
      { callee: 'torch.save', line: 9, args: ['n'], kwargs: {}, scope: 'f' },
    );
    const k = filter.keep(f);
    expect(k).not.toBe(f);
    expect(k.calls.map((c) => c.line)).toEqual([3, 9]);
    expect(Object.keys(k)).toEqual(Object.keys(f));
    expect(f.calls).toHaveLength(3);
  });

  it('a call, assignment or name signal nobody declared is reported when matched against kept facts', () => {
    const f = emptyFacts('a.py', 'python', 0, 'h');
    f.calls.push({ callee: 'torch.save', line: 3, args: ['m'], kwargs: {}, scope: '' });
    const index = buildRepoIndex([f]);
    const issues: SignalIssue[] = [];
    expect(matchSignal({ call: 'torch.save' }, index, { onIssue: (i) => issues.push(i) })).toHaveLength(1);
    expect(issues).toEqual([]);
    markFilteredIndex(index, signalFactUse([{ call: 'torch.save' }]).keys);
    expect(matchSignal({ call: 'torch.save' }, index, { onIssue: (i) => issues.push(i) })).toHaveLength(1);
    expect(issues).toEqual([]);
    matchSignal({ call: 'torch.load' }, index, { onIssue: (i) => issues.push(i) });
    expect(issues.map((i) => i.message)).toEqual([expect.stringMatching(/not declared/)]);
    // Other kinds read facts that are never cut: no report.
    matchSignal({ import: 'torch' }, index, { onIssue: (i) => issues.push(i) });
    expect(issues).toHaveLength(1);
  });

  it('config signals and custom capabilities keep their facts too', async () => {
    const root = join(base, 'custom');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'train.py'), 'def go(x):\n    frobnicate_weights(x, mode="fast")\n    zqx_total = 3\n    return zqx_total\n');
    const extra: Signal[] = [{ call: 'frobnicate_weights', kwValue: { mode: 'fast' } }];
    const custom = {
      ...capabilities[0],
      id: 'zqx',
      title: 'Zqx',
      tableTitle: 'Zqx',
      subfeatures: [{ id: 'zqx.total', title: 'Total', core: true, summary: 's', gap: 'g', signals: [{ name: '^zqx_total$' }, { assign: 'zqx_total', valueKind: ['number'] }] as Signal[] }],
    };
    const opts: AuditOptions = { root, timestamp: TIMESTAMP, cacheDir: false, jobs: 2, capabilities: [...capabilities, custom], extraSignals: { 'training.loop': extra } };
    const kept = await runAudit(opts);
    const all = await runAudit({ ...opts, keepAllFacts: true });
    expect(renderJson(kept.report)).toBe(renderJson(all.report));
    const loop = kept.report.capabilities.find((c) => c.id === 'training')?.subfeatures.find((s) => s.id === 'training.loop');
    expect(loop?.evidence.map((e) => e.line)).toContain(2);
    const total = kept.report.capabilities.find((c) => c.id === 'zqx')?.subfeatures[0];
    expect(total?.state).toBe('present');
    expect(total?.evidence.map((e) => e.line)).toEqual([3]);
    expect(counts(kept.index?.files ?? [])).toEqual({ calls: 1, assignments: 1, names: 1 });
  });
});
