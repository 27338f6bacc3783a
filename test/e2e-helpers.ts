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

/** Git settings for tests: no user or system config, a fixed identity. */
export const GIT_TEST_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

/** An environment without colours, SOURCE_DATE_EPOCH or a user cache folder. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.SOURCE_DATE_EPOCH;
  delete env.FORCE_COLOR;
  return env;
}

/**
 * Spawn `cmd` (the CLI, or git running the hook); never throws on a non-zero exit. A `npm run build` running
 * beside the tests empties dist/ first: a run that failed because dist/ was missing is not the CLI's
 * failure, so it waits for the build and runs again.
 */
export function spawnChecked(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  for (let attempt = 0; ; attempt++) {
    const r: SpawnSyncReturns<string> = spawnSync(cmd, args, {
      cwd: opts.cwd ?? REPO,
      env: opts.env ?? cleanEnv(),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error) throw r.error;
    const distMissing = r.stderr.includes(join(REPO, 'dist')) && /ERR_MODULE_NOT_FOUND|ENOENT/.test(r.stderr);
    if (attempt < 3 && distMissing) {
      waitForBuild();
      continue;
    }
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }
}

/** Run the built CLI with `args`; never throws on a non-zero exit. */
export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): RunResult {
  return spawnChecked(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: cleanEnv(opts.env) });
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
