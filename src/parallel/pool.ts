import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JobResult, JobSetup, JobSpec } from './job.js';
import { runJob } from './job.js';
import { initPython } from '../parse/python.js';

export interface PoolOptions {
  jobs: number;
  /** Per-file time limit in milliseconds (workers only: an in-process job cannot be cut off). */
  fileTimeoutMs: number;
  onResult?: (done: number, total: number) => void;
  /** Applied to each result as it arrives (e.g. compacting facts), so uncompacted results never pile up. */
  transform?: (r: PoolResult) => PoolResult;
}

export type PoolResult = JobResult | { id: number; kind: 'timeout'; path: string; message: string };

/** The compiled worker script: beside this file in dist/, or dist/ when running from src/ (tests). */
function workerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../dist/parallel/worker.js', import.meta.url);
}

/**
 * Run every job and return the results in job order. With jobs > 1 the jobs go to worker threads, fed as
 * they free up; a job that runs past the time limit has its worker terminated and replaced, and comes
 * back as a 'timeout' result. With jobs = 1 everything runs in this thread.
 */
export async function runJobs(specs: JobSpec[], setup: JobSetup, opts: PoolOptions): Promise<PoolResult[]> {
  const results: PoolResult[] = new Array(specs.length);
  let done = 0;
  const finish = (i: number, r: PoolResult): void => {
    results[i] = opts.transform ? opts.transform(r) : r;
    opts.onResult?.(++done, specs.length);
  };
  const workers = Math.min(Math.max(1, Math.floor(opts.jobs)), specs.length);
  if (workers <= 1) {
    await initPython();
    for (let i = 0; i < specs.length; i++) finish(i, await runJob(specs[i], setup));
    return results;
  }
  const url = workerUrl();
  let next = 0;
  await new Promise<void>((resolveAll, rejectAll) => {
    let live = 0;
    let failed = false;
    const start = (): void => {
      const w = new Worker(url, { workerData: setup });
      live++;
      let current = -1;
      let timer: NodeJS.Timeout | undefined;
      const feed = (): void => {
        if (next >= specs.length) {
          current = -1;
          void w.terminate();
          return;
        }
        current = next++;
        const spec = specs[current];
        timer = setTimeout(() => {
          const i = current;
          current = -1;
          w.removeAllListeners('message');
          w.removeAllListeners('exit');
          w.removeAllListeners('error');
          void w.terminate();
          live--;
          finish(i, { id: spec.id, kind: 'timeout', path: spec.path, message: `Parsing took longer than ${opts.fileTimeoutMs} ms; the file was cut off and its worker replaced.` });
          if (next < specs.length) start();
          else if (live === 0) resolveAll();
        }, opts.fileTimeoutMs);
        w.postMessage(spec);
      };
      w.on('message', (r: JobResult) => {
        clearTimeout(timer);
        if (current >= 0) finish(current, r);
        feed();
      });
      w.on('error', (e) => {
        clearTimeout(timer);
        // A worker that dies on a file reports that file and is replaced; the audit goes on.
        if (current >= 0) {
          const spec = specs[current];
          finish(current, { id: spec.id, kind: 'unreadable', path: spec.path, message: `Parser worker failed: ${e.message}` });
          current = -1;
        }
      });
      w.on('exit', () => {
        clearTimeout(timer);
        live--;
        if (failed) return;
        if (current >= 0) {
          const spec = specs[current];
          finish(current, { id: spec.id, kind: 'unreadable', path: spec.path, message: 'Parser worker exited unexpectedly while parsing this file.' });
          current = -1;
        }
        if (next < specs.length) start();
        else if (live === 0) resolveAll();
      });
      feed();
    };
    try {
      for (let i = 0; i < workers; i++) start();
    } catch (e) {
      failed = true;
      rejectAll(e);
    }
  });
  return results;
}
