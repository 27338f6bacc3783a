import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JobResult, JobSetup, JobSpec, WireResult } from './job.js';
import type { FileFacts } from '../facts/types.js';
import type { WireFacts } from '../facts/wire.js';
import { fromWire, runJob } from './job.js';
import { initPython } from '../parse/python.js';
import { languageOf } from '../parse/index.js';

export interface PoolOptions {
  jobs: number;
  /** Per-file time limit in milliseconds (workers only: an in-process job cannot be cut off). */
  fileTimeoutMs: number;
  onResult?: (done: number, total: number) => void;
  /** Applied to each result as it arrives (e.g. compacting facts), so uncompacted results never pile up. */
  transform?: (r: PoolResult) => PoolResult;
  /**
   * How facts are stored as they arrive: `decode` builds them from a worker's wire form, `compact`
   * takes those parsed in this thread (--jobs 1). Default: decoded as they are, kept as they are.
   */
  facts?: { decode(w: WireFacts): FileFacts; compact(f: FileFacts): FileFacts };
  /**
   * Jobs queued at each worker beyond the one it is running (default 1), so a worker never waits for
   * the main thread between files. The time limit still applies to each job from the moment it starts.
   */
  prefetch?: number;
  /**
   * A worker whose V8 heap (as it reports with each answer) passes this many bytes is replaced once its
   * queue is done (default RECYCLE_HEAP_BYTES). V8 grows a busy heap well past what it holds and does
   * not give it back, so a long-lived parser thread's memory would grow with the repository.
   */
  recycleHeapBytes?: number;
  /** Called each time a worker thread is started (replacements included). */
  onWorkerStart?: () => void;
}

/** See PoolOptions.recycleHeapBytes: a parser worker starts at about 60-90 MB of heap. */
export const RECYCLE_HEAP_BYTES = 160 * 1024 * 1024;

/** Languages parsed in the first phase, by TypeScript's parser. */
const SCRIPT_LANGUAGES = new Set(['typescript', 'javascript']);

export type PoolResult = JobResult | { id: number; kind: 'timeout'; path: string; message: string };

/** The compiled worker script: beside this file in dist/, or dist/ when running from src/ (tests). */
function workerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../dist/parallel/worker.js', import.meta.url);
}

/**
 * Run every job and return the results in job order. With jobs > 1 the jobs go to worker threads, each
 * holding the job it runs plus `prefetch` queued ones; a job that runs past the time limit has its
 * worker terminated and replaced and comes back as a 'timeout' result, and the jobs queued behind it go
 * back to the queue. A worker that dies reports the job it was running as unreadable, the same way.
 * With jobs = 1 everything runs in this thread.
 *
 * TS/JS files go first, on workers of their own, then the rest on fresh workers. TypeScript's compiler
 * costs a worker about 120 MB that V8 never hands back, and the main thread's facts grow as files come
 * in: parsing TS/JS while the main thread holds little, then dropping those workers, keeps the two
 * from adding up. A repository in one language has one phase.
 */
export async function runJobs(specs: JobSpec[], setup: JobSetup, opts: PoolOptions): Promise<PoolResult[]> {
  const results: PoolResult[] = new Array(specs.length);
  let done = 0;
  const finish = (i: number, r: PoolResult): void => {
    results[i] = opts.transform ? opts.transform(r) : r;
    opts.onResult?.(++done, specs.length);
  };
  if (Math.min(Math.max(1, Math.floor(opts.jobs)), specs.length) <= 1) {
    await initPython();
    const compact = opts.facts ? (r: JobResult): JobResult => (r.kind === 'facts' ? { ...r, facts: opts.facts!.compact(r.facts) } : r) : (r: JobResult) => r;
    for (let i = 0; i < specs.length; i++) finish(i, compact(await runJob(specs[i], setup)));
    return results;
  }
  const script: number[] = [];
  const other: number[] = [];
  for (let i = 0; i < specs.length; i++) {
    const lang = languageOf(specs[i].path);
    (SCRIPT_LANGUAGES.has(lang) ? script : other).push(i);
  }
  if (script.length > 0) await runOnWorkers(script, specs, { ...setup, scriptOnly: true }, opts, finish);
  if (other.length > 0) await runOnWorkers(other, specs, setup, opts, finish);
  return results;
}

/** The jobs `order` (indices into `specs`) on worker threads; returns once every worker has exited. */
async function runOnWorkers(order: number[], specs: JobSpec[], setup: JobSetup, opts: PoolOptions, finish: (i: number, r: PoolResult) => void): Promise<void> {
  const workers = Math.min(Math.max(1, Math.floor(opts.jobs)), order.length);
  const depth = 1 + Math.max(0, Math.floor(opts.prefetch ?? 1));
  const url = workerUrl();
  const recycleAt = opts.recycleHeapBytes ?? RECYCLE_HEAP_BYTES;
  let next = 0;
  // Jobs handed back by a worker that was cut off or died; they go out again before new ones.
  const retry: number[] = [];
  const take = (): number | undefined => (retry.length > 0 ? retry.shift() : next < order.length ? order[next++] : undefined);
  const pending = (): boolean => retry.length > 0 || next < order.length;
  // Workers being terminated: this returns once those threads (and their memory) are gone, so the next
  // phase and detection never run beside idle parser threads.
  const ended: Promise<unknown>[] = [];
  await new Promise<void>((resolveAll, rejectAll) => {
    let live = 0;
    const start = (): void => {
      const w = new Worker(url, { workerData: setup });
      live++;
      opts.onWorkerStart?.();
      // Spec indices sent to this worker and not answered yet, in the order it runs them.
      const inflight: number[] = [];
      let timer: NodeJS.Timeout | undefined;
      let gone = false;
      // Its heap passed the limit: it gets no more jobs, and is replaced once it has answered those it holds.
      let draining = false;
      const arm = (): void => {
        clearTimeout(timer);
        timer = inflight.length > 0 ? setTimeout(onTimeout, opts.fileTimeoutMs) : undefined;
      };
      const topUp = (): void => {
        while (!draining && inflight.length < depth) {
          const i = take();
          if (i === undefined) break;
          inflight.push(i);
          w.postMessage(specs[i]);
        }
      };
      /** This worker is finished with: report its running job as `why`, requeue the rest, replace it. */
      const retire = (why: (spec: JobSpec) => PoolResult): void => {
        if (gone) return;
        gone = true;
        clearTimeout(timer);
        w.removeAllListeners('message');
        const head = inflight.shift();
        if (head !== undefined) finish(head, why(specs[head]));
        retry.unshift(...inflight);
        inflight.length = 0;
        live--;
        if (pending()) start();
        else if (live === 0) resolveAll();
      };
      /** Nothing left for this worker, or it drained its queue to be replaced: let it go. */
      function release(): void {
        if (gone) return;
        gone = true;
        clearTimeout(timer);
        w.removeAllListeners();
        w.on('error', () => undefined);
        live--;
        ended.push(w.terminate());
        if (draining && pending()) start();
        else if (live === 0) {
          if (pending()) start();
          else resolveAll();
        }
      }
      function onTimeout(): void {
        w.removeAllListeners('exit');
        w.removeAllListeners('error');
        w.on('error', () => undefined);
        ended.push(w.terminate());
        retire((spec) => ({
          id: spec.id,
          kind: 'timeout',
          path: spec.path,
          message: `Parsing took longer than ${opts.fileTimeoutMs} ms; the file was cut off and its worker replaced.`,
        }));
      }
      w.on('message', (r: WireResult) => {
        // Answers come in the order the jobs were sent (the worker runs its queue in order).
        const at = inflight.findIndex((i) => specs[i].id === r.id);
        if (at < 0) return;
        const [i] = inflight.splice(at, 1);
        if ((r.heap ?? 0) > recycleAt) draining = true;
        finish(i, opts.facts ? fromWire(r, (w) => opts.facts!.decode(w)) : fromWire(r));
        topUp();
        arm();
        if (inflight.length === 0) release();
      });
      // A worker that dies on a file reports that file and is replaced; the audit goes on.
      let failure: string | undefined;
      w.on('error', (e) => {
        failure = `Parser worker failed: ${e.message}`;
      });
      w.on('exit', () => {
        const message = failure ?? 'Parser worker exited unexpectedly while parsing this file.';
        retire((spec) => ({ id: spec.id, kind: 'unreadable', path: spec.path, message }));
      });
      topUp();
      arm();
      // More workers than jobs left (the others took them all into their queues): this one is not needed.
      if (inflight.length === 0) release();
    };
    try {
      for (let i = 0; i < workers; i++) start();
    } catch (e) {
      rejectAll(e);
    }
  });
  await Promise.all(ended);
}
