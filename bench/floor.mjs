// The floor the audit is measured against: read every file, or read + parse every file with the same
// parsers (no cache, no detection, no rendering), on N threads. Usage: node bench/floor.mjs ROOT read|parse JOBS
import { readFileSync } from 'node:fs';
import { walk } from '../dist/walk/walk.js';
import { runJobs } from '../dist/parallel/pool.js';

const [root, mode, jobsArg] = process.argv.slice(2);
const { files } = await walk({ root, maxFileSize: 2 * 1024 * 1024 });
if (mode === 'read') {
  let bytes = 0;
  for (const f of files) bytes += readFileSync(f.abs).length;
  console.log(JSON.stringify({ files: files.length, bytes }));
} else {
  const specs = files.map((f, id) => ({ id, path: f.path, abs: f.abs }));
  const res = await runJobs(specs, { maxBytes: 2 * 1024 * 1024, textPatterns: [], cacheSalt: [] }, { jobs: Number(jobsArg), fileTimeoutMs: 60_000 });
  console.log(JSON.stringify({ files: res.length }));
}
