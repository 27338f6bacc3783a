import { parentPort, workerData } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { runJobWire, transferables, type JobSpec, type JobSetup, type WireResult } from './job.js';
import { initPython } from '../parse/python.js';

/**
 * A parse worker: receives jobs, answers with facts (or an outcome). Jobs run one at a time, in the
 * order they arrive, even though several may be queued here: the pool's time limit applies to the job
 * at the head of this queue, and answers come back in order.
 */
const setup = workerData as JobSetup;
// A TS/JS-only phase (see pool.ts) has no use for the Python grammar.
let chain: Promise<unknown> = setup.scriptOnly ? Promise.resolve() : initPython();

async function run(job: JobSpec): Promise<void> {
  const hooks = setup.testHooks;
  if (hooks?.hangOn && job.path.endsWith(hooks.hangOn)) for (;;);
  if (hooks?.crashOn && job.path.endsWith(hooks.crashOn)) {
    setImmediate(() => {
      throw new Error(`test crash on ${job.path}`);
    });
    return new Promise(() => undefined);
  }
  let result: WireResult;
  try {
    result = await runJobWire(job, setup);
  } catch (e) {
    // runJobWire does not throw by design; if it ever does, the file is reported and the queue goes on.
    result = { id: job.id, kind: 'unreadable', path: job.path, message: `Parser worker failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  result.heap = getHeapStatistics().total_heap_size;
  parentPort?.postMessage(result, transferables(result));
}

parentPort?.on('message', (job: JobSpec) => {
  chain = chain.then(() => run(job));
});
