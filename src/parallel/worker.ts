import { parentPort, workerData } from 'node:worker_threads';
import { runJob, type JobSpec, type JobSetup } from './job.js';
import { initPython } from '../parse/python.js';

/** A parse worker: receives jobs, answers with facts (or an outcome). One job at a time. */
const setup = workerData as JobSetup;
const ready = initPython();
parentPort?.on('message', async (job: JobSpec) => {
  await ready;
  const result = await runJob(job, setup);
  parentPort?.postMessage(result);
});
