/**
 * The worker pool and the facts cache (PRODUCT.md, performance): the merge does not depend on --jobs or
 * on how many jobs are queued at a worker; a file that hangs a worker is cut off by the per-file time
 * limit and its worker replaced; a worker that dies reports its file and is replaced; the jobs queued
 * behind either are not lost. The cache gives the same facts and the same report as no cache, and a
 * corrupt, truncated or foreign entry is ignored and rebuilt, never trusted.
 * The pool runs the compiled worker (dist/): `npm test` builds first.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walk } from '../src/walk/walk.js';
import { runJobs, type PoolResult } from '../src/parallel/pool.js';
import type { JobSetup } from '../src/parallel/job.js';
import { FactsCache } from '../src/cache/cache.js';
import { runAudit } from '../src/audit.js';
import { renderJson } from '../src/report/json.js';
import { FIXTURES, TIMESTAMP } from './e2e-helpers.js';

const base = mkdtempSync(join(tmpdir(), 'codex-audit-pool-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function specsOf(fixture: string) {
  const { files } = await walk({ root: join(FIXTURES, fixture), maxFileSize: 2 * 1024 * 1024 });
  return files.map((f, id) => ({ id, path: f.path, abs: f.abs }));
}

const setup = (extra: Partial<JobSetup> = {}): JobSetup => ({ maxBytes: 2 * 1024 * 1024, textPatterns: [], cacheSalt: [], ...extra });

/** Results as comparable data: facts by value, other outcomes by kind and path. */
const view = (rs: PoolResult[]) => rs.map((r) => (r.kind === 'facts' ? { kind: r.kind, facts: r.facts } : r));

describe('worker pool', () => {
  it('gives the same results in job order whatever --jobs and prefetch depth', async () => {
    const specs = [...(await specsOf('ml-complete')), ...(await specsOf('ts-app')).map((s, i) => ({ ...s, id: 1000 + i }))];
    const one = await runJobs(specs, setup(), { jobs: 1, fileTimeoutMs: 60_000 });
    expect(one.every((r) => r.kind === 'facts')).toBe(true);
    expect(one.map((r) => r.id)).toEqual(specs.map((s) => s.id));
    for (const [jobs, prefetch] of [
      [2, 0],
      [2, 1],
      [3, 4],
    ]) {
      const many = await runJobs(specs, setup(), { jobs, prefetch, fileTimeoutMs: 60_000 });
      expect(view(many), `jobs ${jobs}, prefetch ${prefetch}`).toEqual(view(one));
    }
  });

  it('parses TS/JS files first, on workers of their own, then the rest; results stay in job order', async () => {
    const specs = [...(await specsOf('ml-complete')), ...(await specsOf('ts-app')).map((s, i) => ({ ...s, id: 1000 + i }))];
    const script = (p: string) => /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(p);
    expect(specs.some((s) => script(s.path)) && specs.some((s) => !script(s.path))).toBe(true);
    const arrival: string[] = [];
    const rs = await runJobs(specs, setup(), {
      jobs: 2,
      fileTimeoutMs: 60_000,
      transform: (r) => {
        arrival.push(r.kind === 'facts' ? r.facts.path : r.path);
        return r;
      },
    });
    const firstOther = arrival.findIndex((p) => !script(p));
    expect(arrival.slice(firstOther).some(script)).toBe(false);
    expect(rs.map((r) => r.id)).toEqual(specs.map((s) => s.id));
  });

  it('replaces a worker whose heap passed the limit once it has answered its queue; the results are the same', async () => {
    const ts = (await specsOf('ts-app')).filter((s) => s.path.endsWith('.ts')).slice(0, 3);
    const specs = [...(await specsOf('ml-half')).slice(0, 4), ...ts.map((s, i) => ({ ...s, id: 1000 + i }))];
    const one = await runJobs(specs, setup(), { jobs: 1, fileTimeoutMs: 60_000 });
    let started = 0;
    const normal = await runJobs(specs, setup(), { jobs: 2, fileTimeoutMs: 60_000, onWorkerStart: () => started++ });
    expect(view(normal)).toEqual(view(one));
    // Two phases (TS/JS, then the rest), two workers each: nothing passes the default limit here.
    expect(started).toBe(4);
    for (const prefetch of [0, 1]) {
      started = 0;
      // Every heap passes a 1-byte limit: each worker answers the jobs it holds (1 + prefetch) and is replaced.
      const recycled = await runJobs(specs, setup(), { jobs: 2, prefetch, fileTimeoutMs: 60_000, recycleHeapBytes: 1, onWorkerStart: () => started++ });
      expect(view(recycled), `prefetch ${prefetch}`).toEqual(view(one));
      expect(started, `prefetch ${prefetch}`).toBeGreaterThanOrEqual(Math.ceil(specs.length / (1 + prefetch)));
    }
  });

  it('finishes when the first workers queue every job and the others get none', async () => {
    const all = await specsOf('ml-half');
    for (const [n, jobs, prefetch] of [
      [2, 2, 1],
      [3, 2, 4],
      [2, 3, 0],
    ]) {
      const specs = all.slice(0, n);
      const rs = await runJobs(specs, setup(), { jobs, prefetch, fileTimeoutMs: 60_000 });
      expect(rs.map((r) => [r.id, r.kind]), `${n} files, jobs ${jobs}, prefetch ${prefetch}`).toEqual(specs.map((s) => [s.id, 'facts']));
    }
  });

  it('cuts off a file that hangs its worker, reports it and finishes every other file', async () => {
    const specs = await specsOf('ml-complete');
    const victim = specs.find((s) => s.path.endsWith('.py'));
    expect(victim).toBeDefined();
    const seen: number[] = [];
    const rs = await runJobs(specs, setup({ testHooks: { hangOn: victim!.path } }), {
      jobs: 2,
      prefetch: 3,
      fileTimeoutMs: 1500,
      onResult: (done) => seen.push(done),
    });
    const bad = rs.filter((r) => r.kind !== 'facts');
    expect(bad).toEqual([
      {
        id: victim!.id,
        kind: 'timeout',
        path: victim!.path,
        message: 'Parsing took longer than 1500 ms; the file was cut off and its worker replaced.',
      },
    ]);
    // Every job came back exactly once, including those queued behind the hung one.
    expect(rs.map((r) => r.id)).toEqual(specs.map((s) => s.id));
    expect(seen).toEqual(specs.map((_, i) => i + 1));
  });

  it('replaces a worker that dies on a file, reporting that file as unreadable', async () => {
    const specs = await specsOf('ml-complete');
    const victims = specs.filter((s) => s.path.endsWith('.md')).slice(0, 2);
    expect(victims.length).toBe(2);
    // Two files crash their workers: the pool must replace a worker more than once.
    const suffix = victims[0].path.slice(victims[0].path.lastIndexOf('/'));
    const crashing = specs.filter((s) => s.path.endsWith(suffix));
    const rs = await runJobs(specs, setup({ testHooks: { crashOn: suffix } }), { jobs: 2, prefetch: 2, fileTimeoutMs: 60_000 });
    const bad = rs.filter((r) => r.kind !== 'facts');
    expect(bad.map((r) => r.path)).toEqual(crashing.map((s) => s.path));
    for (const r of bad) {
      expect(r.kind).toBe('unreadable');
      expect(r.kind === 'unreadable' && r.message).toMatch(/^Parser worker failed: test crash on /);
    }
    expect(rs.filter((r) => r.kind === 'facts').length).toBe(specs.length - crashing.length);
  });

  it('a file cut off by the time limit becomes an Error Capture Block of the report; the audit goes on', async () => {
    const root = join(FIXTURES, 'ml-half');
    const specs = await specsOf('ml-half');
    const victim = specs.find((s) => s.path.endsWith('.py'))!;
    const run = await runAudit({ root, timestamp: TIMESTAMP, cacheDir: false, jobs: 2, fileTimeoutMs: 1000, workerTestHooks: { hangOn: victim.path } });
    const blocks = run.report.errors.filter((e) => e.path === victim.path);
    expect(blocks.length).toBe(1);
    expect(blocks[0].step).toBe('STEP_2:PARSE');
    expect(JSON.stringify(blocks[0])).toContain('Parsing took longer than 1000 ms; the file was cut off and its worker replaced.');
    // Every other file was audited.
    expect(run.report.summary.files).toBe(specs.length - 1);
  });
});

describe('facts cache', () => {
  it('a warm run returns the cached facts, equal to freshly parsed ones, from workers and in-process', async () => {
    const specs = await specsOf('ml-complete');
    const cacheDir = join(base, 'warm');
    const s = setup({ cacheDir, cacheSalt: ['test-salt'] });
    const cold = await runJobs(specs, s, { jobs: 2, fileTimeoutMs: 60_000 });
    expect(cold.every((r) => r.kind === 'facts' && !r.cached)).toBe(true);
    for (const jobs of [1, 2]) {
      const warm = await runJobs(specs, setup({ cacheDir, cacheSalt: ['test-salt'] }), { jobs, fileTimeoutMs: 60_000 });
      expect(warm.every((r) => r.kind === 'facts' && r.cached)).toBe(true);
      expect(view(warm)).toEqual(view(cold));
    }
    // Another salt (tool build, parser versions, text patterns) never sees these entries.
    const other = await runJobs(specs, setup({ cacheDir, cacheSalt: ['other-salt'] }), { jobs: 2, fileTimeoutMs: 60_000 });
    expect(other.every((r) => r.kind === 'facts' && !r.cached)).toBe(true);
  });

  it('ignores and rebuilds corrupt, truncated and foreign entries', async () => {
    const specs = await specsOf('ml-half');
    const cacheDir = join(base, 'corrupt');
    const fresh = await runJobs(specs, setup(), { jobs: 1, fileTimeoutMs: 60_000 });
    await runJobs(specs, setup({ cacheDir, cacheSalt: ['s'] }), { jobs: 2, fileTimeoutMs: 60_000 });
    const entries = readdirSync(cacheDir, { recursive: true, encoding: 'utf8' })
      .filter((p) => p.endsWith('.json'))
      .map((p) => join(cacheDir, p))
      .sort();
    expect(entries.length).toBe(fresh.filter((r) => r.kind === 'facts').length);
    const text = (p: string) => readFileSync(p, 'utf8');
    // Truncated, garbage, valid JSON for another key, and an entry whose facts claim another path.
    writeFileSync(entries[0], text(entries[0]).slice(0, 40));
    writeFileSync(entries[1], '\u0000\u0001not json');
    writeFileSync(entries[2], text(entries[3]));
    const forged = JSON.parse(text(entries[4])) as { w: { f: { path: string } } };
    forged.w.f.path = 'elsewhere.py';
    writeFileSync(entries[4], JSON.stringify(forged));
    // Wire form damaged in place (right key, path and hash): a string index out of range, a truncated
    // call list, a string table entry that is not a string.
    const withCalls = entries
      .slice(5)
      .map((p) => [p, JSON.parse(text(p))] as const)
      .filter(([, e]) => e.w?.c?.length > 8);
    expect(withCalls.length).toBeGreaterThanOrEqual(3);
    const [[p5, e5], [p6, e6], [p7, e7]] = withCalls.slice(-3);
    e5.w.c[0] = e5.w.s.length + 7;
    writeFileSync(p5, JSON.stringify(e5));
    e6.w.c = e6.w.c.slice(0, e6.w.c.length - 1);
    writeFileSync(p6, JSON.stringify(e6));
    e7.w.s[0] = 12;
    writeFileSync(p7, JSON.stringify(e7));
    const damaged = 7;
    for (const jobs of [1, 2]) {
      const again = await runJobs(specs, setup({ cacheDir, cacheSalt: ['s'] }), { jobs, fileTimeoutMs: 60_000 });
      expect(view(again)).toEqual(view(fresh));
      expect(again.filter((r) => r.kind === 'facts' && !r.cached).length, `jobs ${jobs}`).toBe(jobs === 1 ? damaged : 0);
    }
    // The rebuilt entries are sound again.
    const cache = new FactsCache(cacheDir, ['s']);
    for (const r of fresh) if (r.kind === 'facts') expect(cache.get(r.facts.path, r.facts.hash)).toEqual(r.facts);
  });

  it('cached and uncached audits give identical reports', async () => {
    for (const fixture of ['ml-complete', 'ts-app']) {
      const root = join(FIXTURES, fixture);
      const cacheDir = join(base, `audit-${fixture}`);
      mkdirSync(cacheDir, { recursive: true });
      const none = await runAudit({ root, timestamp: TIMESTAMP, cacheDir: false, jobs: 2 });
      const cold = await runAudit({ root, timestamp: TIMESTAMP, cacheDir, jobs: 2 });
      const warm = await runAudit({ root, timestamp: TIMESTAMP, cacheDir, jobs: 1 });
      expect(cold.stats.cached).toBe(0);
      expect(warm.stats.reportCached).toBe(true);
      // Facts from the cache with the report cache gone: the whole pipeline over cached facts.
      rmSync(join(cacheDir, 'reports'), { recursive: true, force: true });
      const factsOnly = await runAudit({ root, timestamp: TIMESTAMP, cacheDir, jobs: 2 });
      expect(factsOnly.stats.reportCached).toBe(false);
      expect(factsOnly.stats.parsed).toBe(0);
      const json = (r: typeof none) => renderJson(r.report);
      expect(json(cold), fixture).toBe(json(none));
      expect(json(warm), fixture).toBe(json(none));
      expect(json(factsOnly), fixture).toBe(json(none));
    }
  });
});
