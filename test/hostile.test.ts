/**
 * The hostile repository (test/hostile/generate.ts) through the BUILT CLI, as CI runs it on an untrusted
 * checkout: bounded time, nothing read outside the root, every problem an Error Capture Block naming its
 * file, reports that no file name or content can break or inject into, no network, deterministic output
 * whatever `--jobs`.
 *
 * Three runs over one generated tree: `--jobs 2`; the same inside the test sandbox (`node
 * --disallow-code-generation-from-strings --import sandbox.mjs`: every network API, child_process and vm
 * throw, eval is refused, imports from the tree are logged; worker threads inherit it); `--jobs 1`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHostileTree, HOSTILE_CASES, removeTree, type HostileTree } from './hostile/generate.js';
import { assertBuilt, linkProblems, markdownTables, outArgs, proseLines, RAW_HTML_RE, readOutputs, runCli, TIMESTAMP, type CliRun, type Outputs } from './hostile/run.js';

interface Run {
  name: string;
  run: CliRun;
  out: Outputs;
  bytes: Buffer[];
}

let base: string;
let tree: HostileTree;
const runs: Run[] = [];
let sandboxLog = '';

async function audit(name: string, extra: string[], sandboxed = false): Promise<Run> {
  const dir = path.join(base, `out-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  const sandbox = sandboxed ? { log: sandboxLog, root: tree.root } : undefined;
  const run = await runCli(['--root', tree.root, ...outArgs(dir), '--timestamp', TIMESTAMP, '--no-cache', ...extra], { sandbox });
  const r: Run = { name, run, out: readOutputs(dir), bytes: ['AUDIT.md', 'audit.json', 'audit.sarif'].map((f) => fs.readFileSync(path.join(dir, f))) };
  runs.push(r);
  return r;
}

beforeAll(async () => {
  assertBuilt();
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cxa-hostile-')));
  const t0 = performance.now();
  tree = await generateHostileTree(path.join(base, 'tree'));
  const genMs = Math.round(performance.now() - t0);
  await audit('jobs2', ['--jobs', '2']);
  sandboxLog = path.join(base, 'sandbox.log');
  await audit('sandbox', ['--jobs', '2'], true);
  await audit('jobs1', ['--jobs', '1']);
  // For the record of the run (visible with --reporter=verbose): what each case became and how long runs took.
  const report = JSON.parse(runs[0].out.json) as { errors: { path: string; message: string }[] };
  const lines = [`hostile tree generated in ${genMs} ms; runs: ${runs.map((r) => `${r.name} ${r.run.ms} ms (exit ${r.run.code})`).join(', ')}`];
  for (const [p, what] of Object.entries(HOSTILE_CASES)) {
    const blocks = report.errors.filter((e) => e.path === p || e.path.startsWith(p.endsWith('/') ? p : `${p}/`));
    lines.push(`  ${p} (${what}): ${blocks.length ? blocks.map((b) => b.message).join(' / ') : 'no Error Capture Block'}`);
  }
  console.info(lines.join('\n'));
}, 400_000);

afterAll(async () => {
  await tree?.cleanup();
  if (base) removeTree(base);
});

describe('hostile repository through the built CLI', () => {
  it('every run ends by itself within the kill bound, with exit 0 or 1', () => {
    expect(runs.map((r) => r.name)).toEqual(['jobs2', 'sandbox', 'jobs1']);
    for (const { run, name } of runs) {
      expect({ name, endedByItself: run.endedByItself, signal: run.signal }).toEqual({ name, endedByItself: true, signal: null });
      expect([0, 1]).toContain(run.code);
    }
  });

  it('never lets the secret outside the root into any output, stdout or stderr', () => {
    for (const { run, out } of runs) {
      for (const text of [out.md, out.json, out.sarif, run.stdout, run.stderr]) {
        // The secret starts with random hex: even a short quoted prefix would be caught.
        expect(text).not.toContain(tree.secret.slice(0, 12));
      }
    }
  });

  it('never reads an ignore file outside the root through a linked .git/info', () => {
    const report = JSON.parse(runs[0].out.json) as { stubs: { path: string }[] };
    expect(report.stubs.some((s) => s.path === tree.canary)).toBe(true);
  });

  it('shows an in-tree credential only masked, and no absolute path of the machine', () => {
    for (const { out } of runs) {
      for (const text of [out.md, out.json, out.sarif]) {
        expect(text).not.toContain(tree.inTreeSecret);
        expect(text).not.toContain(base);
      }
    }
    expect(JSON.parse(runs[0].out.json).risks.some((r: { id: string; path: string }) => r.id === 'risk.hardcoded_secret' && r.path === 'content/credentials.py')).toBe(true);
  });

  it('reports every problem as an Error Capture Block naming the file', () => {
    const report = JSON.parse(runs[0].out.json) as { errors: { path: string; step: string; message: string }[] };
    const byPath = new Map<string, string[]>();
    for (const e of report.errors) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e.message]);
    const expected: Record<string, RegExp> = {
      'links/secret-abs.txt': /outside the audited root/,
      'links/secret-rel.py': /outside the audited root/,
      'links/outside-dir': /outside the audited root/,
      'links/dev-zero.py': /outside the audited root/,
      'links/proc-self': /outside the audited root/,
      'links/proc-environ.txt': /outside the audited root/,
      'links/loop-a': /loop/i,
      'links/loop-b': /loop/i,
      'links/self': /loop/i,
      'links/up': /loop/i,
      'links/root': /loop/i,
      'links/dangling.py': /Dangling/,
      '.git/info': /not read/,
      'special/pipe.py': /FIFO/,
      'special/sock.py': /socket/,
      'big/huge.py': /larger than the size limit/,
      'big/app.min.js': /larger than the size limit/,
      'big/huge-output.ipynb': /larger than the size limit/,
      'content/nul.py': /binary/,
      'content/utf16-nobom.py': /binary/,
      'content/invalid-utf8.py': /Not valid UTF-8/,
      'content/surrogates-utf16.py': /surrogates/,
      'content/deep.ts': /nested too deeply|stack/,
      'content/deep.json': /nested deeper/,
      'content/deep.yaml': /nested deeper/,
      'content/deep.toml': /nested deeper|key path longer/,
      'content/wrong-types.ipynb': /unexpected types/,
      '.gitignore': /only the first \d+ were applied/,
      'names/bad-\ufffd\ufffd\ufffd.py': /not valid UTF-8/,
    };
    for (const [p, re] of Object.entries(expected)) {
      expect({ path: p, messages: byPath.get(p) ?? [] }).toEqual({ path: p, messages: expect.arrayContaining([expect.stringMatching(re)]) });
    }
    expect(report.errors.some((e) => e.path.startsWith('names/long/deep-') && /ENAMETOOLONG/.test(e.message))).toBe(true);
    // The Markdown has one Error Capture Block per problem, naming the file; SARIF carries them too.
    const md = runs[0].out.md;
    const blocks = md.split('\n').filter((l) => l === '```text').length;
    expect(blocks).toBe(report.errors.length);
    for (const p of Object.keys(expected).filter((x) => /^[\x20-\x7e]+$/.test(x))) expect(md).toContain(`encountered the following error:\n${p}: `);
    const sarif = JSON.parse(runs[0].out.sarif) as {
      runs: { invocations: { toolExecutionNotifications: { locations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }[];
    };
    const notified = sarif.runs[0].invocations[0].toolExecutionNotifications.map((n) => decodeURIComponent(n.locations?.[0]?.physicalLocation.artifactLocation.uri ?? ''));
    expect(notified.sort()).toEqual(report.errors.map((e) => e.path).sort());
  });

  it('keeps the column count of every Markdown table whatever the names', () => {
    const md = runs[0].out.md;
    const tables = markdownTables(md);
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const t of tables) {
      for (const row of t.rows) expect({ line: row.line, cells: row.cells.length }).toEqual({ line: row.line, cells: t.header.length });
    }
    // The Repo Map has one row per top-level folder, hostile names included.
    const report = JSON.parse(runs[0].out.json) as { repoMap: { dirs: { name: string }[] } };
    const repoMap = tables.find((t) => t.header[0].trim() === 'Directory');
    expect(repoMap?.rows.length).toBe(report.repoMap.dirs.length);
    expect(report.repoMap.dirs.map((d) => d.name)).toEqual(expect.arrayContaining(['dir|pipe', 'dir\nnewline', '<script>dir', '](javascript:alert(2))']));
  });

  it('lets no raw HTML or link from the tree survive in the Markdown', () => {
    const md = runs[0].out.md;
    const prose = proseLines(md);
    for (const { line, text } of prose) {
      // Code spans show their text literally (only our own prose has them: the tree's backticks are escaped).
      const html = RAW_HTML_RE.exec(text.replace(/(?<!\\)`[^`]*`/g, '``'))?.[0];
      expect({ line, html }).toEqual({ line, html: undefined });
      expect({ line, links: linkProblems(text) }).toEqual({ line, links: [] });
    }
    // The hostile names did reach the report (escaped), so the checks above saw them.
    expect(md).toContain('&lt;script&gt;');
    expect(md).toContain('\\]\\(javascript:alert\\(1\\)\\)');
    // Fenced blocks (Error Capture Blocks) cannot be closed early by a name: every fence line is ours.
    const fences = md.split('\n').filter((l) => /^ {0,3}(`{3,}|~{3,})/.test(l));
    for (const f of fences) expect(['```text', '```', '```diff']).toContain(f);
  });

  it('writes only valid UTF-8, and JSON and SARIF that parse', () => {
    // (The runs are byte-identical, see below: checking the first is checking all.)
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (const b of runs[0].bytes) expect(() => strict.decode(b)).not.toThrow();
    expect(JSON.parse(runs[0].out.json).schemaVersion).toBe(1);
    expect(JSON.parse(runs[0].out.sarif).version).toBe('2.1.0');
  });

  it('runs with network, child processes, vm and eval made to throw (worker threads included), identically', () => {
    const log = fs.readFileSync(sandboxLog, 'utf8').split('\n').filter(Boolean);
    expect(log).toContain('loaded main');
    expect(log.some((l) => /^loaded worker \d+$/.test(l))).toBe(true);
    // Nothing was even attempted (an attempt is logged before it throws), and nothing was imported from the tree.
    expect(log.filter((l) => !l.startsWith('loaded'))).toEqual([]);
    const [plain, offline] = runs;
    expect(offline.run.code).toBe(plain.run.code);
    offline.bytes.forEach((b, i) => expect(b.equals(plain.bytes[i])).toBe(true));
  });

  it('gives byte-identical output across runs and across --jobs', () => {
    const [first, ...rest] = runs;
    for (const r of rest) {
      expect(r.run.code).toBe(first.run.code);
      r.bytes.forEach((b, i) => expect({ run: r.name, file: i, same: b.equals(first.bytes[i]) }).toEqual({ run: r.name, file: i, same: true }));
    }
  });
});
