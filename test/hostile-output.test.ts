/**
 * Outputs and big files, through the BUILT CLI.
 *
 * - Atomic output: runs writing big reports (a 40,000-line stub file: ~6 MB of JSON, ~20 MB of SARIF)
 *   are SIGKILLed at intervals; every report file must then be whole (the previous one or the new one,
 *   byte for byte), and nothing but our hidden temp files may be left beside them.
 * - Big files with the size limit raised: a 5 MB single-line minified JS file, a notebook with a 20 MB
 *   output cell and a 50 MB file end in bounded time (the per-file time limit cuts off a parser that runs
 *   too long, as an Error Capture Block).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTree, writeBigFiles, writeStubFile } from './hostile/generate.js';
import { assertBuilt, CLI, outArgs, runCli, TIMESTAMP } from './hostile/run.js';

const OUTPUTS = ['AUDIT.md', 'audit.json', 'audit.sarif'];
/** What writeFileAtomic leaves behind at worst when killed: `.NAME.PID.HEX.tmp`. */
const TEMP_RE = /^\.(AUDIT\.md|audit\.json|audit\.sarif)\.\d+\.[0-9a-f]{8}\.tmp$/;

let base: string;

beforeAll(() => {
  assertBuilt();
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cxa-hostile-output-')));
});

afterAll(() => {
  if (base) removeTree(base);
});

const readAll = (dir: string): Buffer[] => OUTPUTS.map((f) => fs.readFileSync(path.join(dir, f)));

/** Start a run and SIGKILL it after `ms`; resolves when it is gone (or ended by itself first). */
function killedRun(args: string[], ms: number, env: NodeJS.ProcessEnv): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: 'ignore' });
    let killed = false;
    const timer = setTimeout(() => {
      killed = child.kill('SIGKILL');
    }, ms);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ killed: killed && signal === 'SIGKILL' });
    });
  });
}

describe('atomic output', () => {
  it('a run killed at any moment leaves every report whole (old or new), never torn', async () => {
    const root = path.join(base, 'atomic', 'repo');
    writeStubFile(root, 'stubs.py', 40_000);
    fs.writeFileSync(path.join(root, 'train.py'), 'def train():\n    raise NotImplementedError\n');
    const env = { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: path.join(base, 'user-cache') };
    const cache = ['--cache-dir', path.join(base, 'atomic', 'cache')];
    const out = path.join(base, 'atomic', 'out');
    const fresh = path.join(base, 'atomic', 'fresh');
    fs.mkdirSync(out, { recursive: true });
    fs.mkdirSync(fresh, { recursive: true });
    // The previous report (timestamp A), then the complete new one (timestamp B) elsewhere, to compare with.
    const common = ['--root', root, '--quiet', ...cache];
    const first = await runCli([...common, ...outArgs(out), '--timestamp', TIMESTAMP], { env });
    expect(first.code).toBe(0);
    const old = readAll(out);
    const later = ['--timestamp', '2026-02-02T00:00:00Z'];
    const complete = await runCli([...common, ...outArgs(fresh), ...later], { env });
    expect(complete.code).toBe(0);
    const next = readAll(fresh);
    next.forEach((b, i) => expect(b.equals(old[i])).toBe(false));
    // Kill runs writing to `out` over the second half of a (warm) run, where rendering and writing happen.
    const kills = 6;
    let killed = 0;
    let tornTemps = 0;
    for (let k = 0; k < kills; k++) {
      const at = Math.round(complete.ms * (0.5 + (0.55 * k) / (kills - 1)));
      const r = await killedRun([...common, ...outArgs(out), ...later], at, env);
      if (r.killed) killed++;
      const now = readAll(out);
      now.forEach((b, i) => expect({ file: OUTPUTS[i], killedAt: at, whole: b.equals(old[i]) || b.equals(next[i]) }).toEqual({ file: OUTPUTS[i], killedAt: at, whole: true }));
      for (const name of fs.readdirSync(out)) {
        if (OUTPUTS.includes(name)) continue;
        expect(name).toMatch(TEMP_RE);
        tornTemps++;
      }
    }
    expect(killed).toBeGreaterThan(0);
    // (How many kills landed mid-write: each leaves a hidden temp file, while the reports stay whole.)
    console.info(`atomic output: ${killed}/${kills} runs killed (warm run ${complete.ms} ms); hidden temp files left by kills mid-write: ${tornTemps}`);
    // A run that is not killed replaces the reports with the new ones.
    const last = await runCli([...common, ...outArgs(out), ...later], { env });
    expect(last.code).toBe(0);
    readAll(out).forEach((b, i) => expect(b.equals(next[i])).toBe(true));
  }, 300_000);
});

describe('big files with the size limit raised', () => {
  it('5 MB minified JS, a 20 MB notebook output and a 50 MB file end in bounded time', async () => {
    const root = path.join(base, 'big', 'repo');
    writeBigFiles(root);
    fs.writeFileSync(path.join(root, 'main.py'), 'def main():\n    pass\n');
    const out = path.join(base, 'big', 'out');
    fs.mkdirSync(out, { recursive: true });
    const run = await runCli(['--root', root, ...outArgs(out), '--timestamp', TIMESTAMP, '--no-cache', '--jobs', '2', '--max-file-size', '32M', '--file-timeout', '20000'], {
      env: { XDG_CACHE_HOME: path.join(base, 'user-cache') },
    });
    expect({ endedByItself: run.endedByItself, signal: run.signal }).toEqual({ endedByItself: true, signal: null });
    expect([0, 1]).toContain(run.code);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'audit.json'), 'utf8')) as {
      errors: { path: string; message: string }[];
      stubs: { path: string; symbol?: string }[];
    };
    const about = (p: string): string[] => report.errors.filter((e) => e.path === p).map((e) => e.message);
    expect(about('big/huge.py')).toEqual([expect.stringMatching(/larger than the size limit/)]);
    // The notebook is read (its output cell is not code): the function after the 20 MB output is found.
    expect(about('big/huge-output.ipynb')).toEqual([]);
    expect(report.stubs.some((s) => s.path === 'big/huge-output.ipynb' && s.symbol === 'after_output')).toBe(true);
    // The minified file is either parsed or cut off by the time limit: never a hang, never a crash.
    for (const m of about('big/app.min.js')) expect(m).toMatch(/took longer than 20000 ms|not recorded|fallback/);
    expect(report.stubs.some((s) => s.path === 'main.py')).toBe(true);
  }, 300_000);
});
