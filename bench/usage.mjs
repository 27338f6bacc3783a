// Preloaded into a measured process: on exit, append its resource usage (whole process, worker threads
// included) to $BENCH_USAGE_FILE as one JSON line.
import { appendFileSync } from 'node:fs';

const t0 = performance.now();
process.on('exit', () => {
  const file = process.env.BENCH_USAGE_FILE;
  if (!file) return;
  const u = process.resourceUsage();
  appendFileSync(
    file,
    JSON.stringify({ wallMs: performance.now() - t0, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMB: u.maxRSS / 1024 }) + '\n',
  );
});
