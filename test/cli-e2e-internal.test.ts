/**
 * `main()` from src/cli.ts driven in-process with injected dependencies: exit 3 for an internal error
 * (here the output stream fails, as a closed pipe would), and one audit for several outputs.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIO } from '../src/cli.js';
import { TIMESTAMP, cleanupTemps, fixture, tempDir } from './e2e-helpers.js';

const calls = vi.hoisted(() => ({ runAudit: 0 }));
vi.mock('../src/audit.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/audit.js')>();
  return {
    ...real,
    runAudit: (...args: Parameters<typeof real.runAudit>) => {
      calls.runAudit++;
      return real.runAudit(...args);
    },
  };
});

const { main, ownFileExcludes } = await import('../src/cli.js');

afterAll(cleanupTemps);

function io(overrides: Partial<CliIO> = {}): CliIO & { err: string[]; out: string[] } {
  const err: string[] = [];
  const out: string[] = [];
  return { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: {}, stderrIsTTY: false, err, out, ...overrides };
}

const argv = (...args: string[]) => ['node', 'codex-audit', ...args];

describe('main()', () => {
  it('returns 3 with an "internal error" message when a dependency fails unexpectedly', async () => {
    const x = io({
      stdout: () => {
        throw new Error('EPIPE: broken pipe, write');
      },
    });
    const code = await main(argv('--root', fixture('plain'), '--no-cache', '--timestamp', TIMESTAMP, '--jobs', '1'), x);
    expect(code).toBe(3);
    const err = x.err.join('');
    expect(err).toContain('codex-audit: internal error: EPIPE: broken pipe, write');
    expect(err).toContain('Please report it with the command you ran');
    expect(err).not.toContain('    at '); // the stack only with --verbose
  });

  it('prints the stack of an internal error with --verbose', async () => {
    const x = io({
      stdout: () => {
        throw new Error('disk on fire');
      },
    });
    const code = await main(argv('--root', fixture('plain'), '--no-cache', '--timestamp', TIMESTAMP, '--jobs', '1', '--verbose'), x);
    expect(code).toBe(3);
    expect(x.err.join('')).toMatch(/internal error: disk on fire[\s\S]*\n {4}at /);
  });

  it('returns 2, not 3, for usage errors, and 0 or 1 for gates, without exiting the process', async () => {
    const bad = io();
    expect(await main(argv('--fail-on', 'everything'), bad)).toBe(2);
    expect(bad.err.join('')).toContain('--fail-on: "everything" is not one of');
    const gate = io();
    expect(await main(argv('--root', fixture('plain'), '--no-cache', '--timestamp', TIMESTAMP, '--jobs', '1', '--fail-on', 'missing', '--no-report'), gate)).toBe(1);
  });

  it('audits once for several outputs, and they agree', async () => {
    const out = tempDir();
    calls.runAudit = 0;
    const x = io();
    const code = await main(
      argv('--root', fixture('ml-half'), '--no-cache', '--timestamp', TIMESTAMP, '--jobs', '1', '--out', join(out, 'AUDIT.md'), '--out', join(out, 'audit.sarif'), '--out', join(out, 'audit.json')),
      x,
    );
    expect(code).toBe(0);
    expect(calls.runAudit).toBe(1);
    const json = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'));
    const sarif = JSON.parse(readFileSync(join(out, 'audit.sarif'), 'utf8'));
    const md = readFileSync(join(out, 'AUDIT.md'), 'utf8');
    expect(sarif.runs[0].properties.score).toBe(json.summary.score);
    expect(sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId.startsWith('stub.'))).toHaveLength(json.stubs.length);
    expect(sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId.startsWith('risk.'))).toHaveLength(json.risks.length);
    expect(md).toContain(`Score: ${json.summary.score}/100`);
    expect(x.err.join('')).toContain(`wrote ${join(out, 'audit.json')}`);
  });
});

describe('ownFileExcludes', () => {
  it('anchors and escapes the paths of own files inside the root, and skips the others', () => {
    expect(ownFileExcludes('/r', ['/r/audit.json', '/r/reports/a[1].sarif', '/r/codex-audit.baseline.json', '/r/audit.json'])).toEqual([
      '/audit.json',
      '/reports/a\\[1\\].sarif',
      '/codex-audit.baseline.json',
    ]);
    expect(ownFileExcludes('/r', [undefined, '/elsewhere/audit.json', '/r', '/r/../r2/x.json'])).toEqual([]);
  });
});
