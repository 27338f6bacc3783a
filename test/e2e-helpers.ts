/**
 * Helpers for the end-to-end tests: they spawn the BUILT CLI (`bin/codex-audit.js` over `dist/`, so run
 * `npm run build` first; `npm test` does) as a separate process and look at its exit code, stderr and files.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(REPO, 'bin', 'codex-audit.js');
export const FIXTURES = join(REPO, 'fixtures');
export const FIXTURE_NAMES = ['ml-complete', 'ml-half', 'ml-stubs', 'ts-app', 'plain'] as const;
export const TIMESTAMP = '2026-01-31T12:00:00Z';

if (!existsSync(join(REPO, 'dist', 'build-id.txt'))) waitForBuild();
if (!existsSync(join(REPO, 'dist', 'cli.js'))) throw new Error('dist/cli.js not found: run `npm run build` before the end-to-end tests');

/** Wait (up to a minute) for a build in progress to finish: dist/build-id.txt is its last file. */
function waitForBuild(): void {
  const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  for (let i = 0; i < 120 && !existsSync(join(REPO, 'dist', 'build-id.txt')); i++) sleep(500);
  sleep(500);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** An environment without colours, SOURCE_DATE_EPOCH or a user cache folder. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.SOURCE_DATE_EPOCH;
  delete env.FORCE_COLOR;
  return env;
}

/** Run the built CLI with `args`; never throws on a non-zero exit. */
export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): RunResult {
  for (let attempt = 0; ; attempt++) {
    const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? REPO,
      env: cleanEnv(opts.env),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error) throw r.error;
    // A `npm run build` running beside the tests (it empties dist/ first) is not the CLI's failure: wait for it.
    if (attempt < 3 && r.stderr.includes('ERR_MODULE_NOT_FOUND') && r.stderr.includes(join(REPO, 'dist'))) {
      waitForBuild();
      continue;
    }
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }
}


/** Audit flags every test wants: no cache, a fixed timestamp, no colour. */
export const QUIET_AUDIT = ['--no-cache', '--timestamp', TIMESTAMP, '--no-color'];

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

const temps: string[] = [];

export function tempDir(prefix = 'ca-e2e-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** A private copy of a fixture (for tests that change the tree); fixtures/ itself is never edited. */
export function copyFixture(name: string): string {
  const d = join(tempDir(`ca-${name}-`), name);
  cpSync(fixture(name), d, { recursive: true });
  return d;
}

export function cleanupTemps(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
