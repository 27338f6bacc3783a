// The CLI: `--patches-dir DIR` writes each report diff as NN-<subfeature-id>.patch (exactly the JSON
// report's diffs, earlier NN-*.patch files replaced), `--max-diffs N` (else config maxDiffs, else 5)
// decides how many diffs the report gives; the Markdown shows them with Why/Risk/Rollback/Tests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../src/cli.js';
import type { AtomicDiff } from '../src/model/types.js';
import { FIXTURES, gitApply, gitRepo, removeRepo } from './patches-kit.js';

let repo = '';
let out = '';
const io = () => {
  const err: string[] = [];
  return { io: { stdout: () => undefined, stderr: (s: string) => void err.push(s), env: {}, stderrIsTTY: false }, err };
};

async function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  const { io: cliIo, err } = io();
  const code = await main(['node', 'codex-audit', '--root', repo, '--no-cache', '--jobs', '1', '--timestamp', '2026-01-01T00:00:00Z', ...args], cliIo);
  return { code, stderr: err.join('') };
}

beforeEach(() => {
  repo = gitRepo('ca-patches-cli-', join(FIXTURES, 'ml-half'));
  out = gitRepo('ca-patches-out-');
});
afterEach(() => {
  removeRepo(repo);
  removeRepo(out);
});

describe('--patches-dir and --max-diffs', () => {
  it('writes the report diffs as numbered patch files that apply', async () => {
    const dir = join(out, 'patches');
    const r = await cli('--out', join(out, 'audit.json'), '--out', join(out, 'AUDIT.md'), '--patches-dir', dir, '--max-diffs', '3');
    expect(r.code, r.stderr).toBe(0);
    const diffs = (JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8')) as { diffs: AtomicDiff[] }).diffs;
    expect(diffs).toHaveLength(3);
    const names = readdirSync(dir).sort();
    expect(names).toEqual(diffs.map((d, i) => `0${i + 1}-${d.subfeature}.patch`));
    for (const [i, name] of names.entries()) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(text).toBe(diffs[i].diff);
      const applied = gitApply(repo, text, name, false);
      expect(applied.status, applied.stderr).toBe(0);
    }
    const md = readFileSync(join(out, 'AUDIT.md'), 'utf8');
    const section = md.slice(md.indexOf('## 4) Atomic Diffs'), md.indexOf('## 5)'));
    expect(section.match(/^### [A-C]\) /gm)).toHaveLength(3);
    for (const label of ['Why: ', 'Risk: ', 'Rollback: ', 'Tests/docs: ', '```diff\ndiff --git ']) expect(section.split(label).length - 1).toBe(3);
  });

  it('replaces the NN-*.patch files of an earlier run, and leaves other files alone', async () => {
    const dir = join(out, 'p');
    expect((await cli('--out', join(out, 'a.json'), '--patches-dir', dir, '--max-diffs', '4')).code).toBe(0);
    expect(readdirSync(dir)).toHaveLength(4);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect((await cli('--out', join(out, 'a.json'), '--patches-dir', dir, '--max-diffs', '1')).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([readdirSync(dir).find((n) => n.startsWith('01-')), 'notes.txt']);
  });

  it('takes maxDiffs from the config when the flag is absent, and defaults to 5', async () => {
    expect((await cli('--out', join(out, 'd.json'))).code).toBe(0);
    expect((JSON.parse(readFileSync(join(out, 'd.json'), 'utf8')) as { diffs: unknown[] }).diffs).toHaveLength(5);
    writeFileSync(join(repo, 'codex-audit.config.json'), JSON.stringify({ maxDiffs: 2 }));
    expect((await cli('--out', join(out, 'c.json'))).code).toBe(0);
    expect((JSON.parse(readFileSync(join(out, 'c.json'), 'utf8')) as { diffs: unknown[] }).diffs).toHaveLength(2);
    expect((await cli('--out', join(out, 'f.json'), '--max-diffs', '1')).code).toBe(0);
    expect((JSON.parse(readFileSync(join(out, 'f.json'), 'utf8')) as { diffs: unknown[] }).diffs).toHaveLength(1);
  });

  it('with --max-diffs 0 the report says why there are no diffs', async () => {
    expect((await cli('--out', join(out, 'z.md'), '--max-diffs', '0', '--patches-dir', join(out, 'none'))).code).toBe(0);
    expect(readFileSync(join(out, 'z.md'), 'utf8')).toContain('No ready-to-apply diffs for this repository');
    expect(readdirSync(join(out, 'none'))).toEqual([]);
  });

  it('rejects a bad --max-diffs with exit code 2, naming the flag', async () => {
    for (const bad of ['-1', 'five', '51', '2.5']) {
      const r = await cli('--out', join(out, 'x.json'), `--max-diffs=${bad}`);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--max-diffs/);
    }
    expect(existsSync(join(out, 'x.json'))).toBe(false);
  });
});
