import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runAudit } from '../src/audit.js';

/**
 * The acceptance table: each fixture's expected verdicts (fixtures/<name>.expected.json, derived by hand
 * from CAPABILITIES.md) against a real audit of the fixture.
 */
interface Expected {
  capabilities: Record<string, { status: string; subfeatures: Record<string, string> }>;
  reproducibility?: Record<string, string>;
  stubs?: { path: string; line: number; kind: string }[];
  risks?: { id: string; path: string; line: number }[];
}

const FIXTURES = ['ml-complete', 'ml-half', 'ml-stubs', 'ts-app', 'plain'];

describe.each(FIXTURES)('fixture %s', (name) => {
  const root = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const expected = JSON.parse(readFileSync(new URL(`../fixtures/${name}.expected.json`, import.meta.url), 'utf8')) as Expected;
  const audit = runAudit({ root, timestamp: '2026-01-01T00:00:00Z', cacheDir: false, jobs: 1 });

  it('has the expected status for every capability and state for every sub-feature', async () => {
    const { report } = await audit;
    const got: Expected['capabilities'] = {};
    for (const c of report.capabilities) got[c.id] = { status: c.status, subfeatures: Object.fromEntries(c.subfeatures.map((s) => [s.id, s.state])) };
    expect(got).toEqual(expected.capabilities);
  });

  it('has the expected stubs and risky patterns', async () => {
    const { report } = await audit;
    const key = (x: { path: string; line: number }) => `${x.path}:${x.line}`;
    if (expected.stubs) expect(report.stubs.map((s) => `${key(s)} ${s.kind}`).sort()).toEqual(expected.stubs.map((s) => `${key(s)} ${s.kind}`).sort());
    if (expected.risks) expect(report.risks.map((r) => `${r.id} ${key(r)}`).sort()).toEqual(expected.risks.map((r) => `${r.id} ${key(r)}`).sort());
  });

  it('has the expected reproducibility rows', async () => {
    const { report } = await audit;
    const got = Object.fromEntries(report.reproducibility.map((r) => [r.id.replace(/^repro\./, '').replace('code_version', 'git_sha'), r.status]));
    expect(got).toEqual(expected.reproducibility);
  });
});
