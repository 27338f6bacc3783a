/**
 * Helpers for the hostile suites: spawn the BUILT CLI as a child process with a kill bound, read its
 * outputs, and check Markdown reports structurally (tables, raw HTML, links).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(PROJECT, 'bin', 'codex-audit.js');
export const SANDBOX = path.join(PROJECT, 'test', 'hostile', 'sandbox.mjs');
/** The kill bound: a run that has not ended by itself after this long is killed and the test fails. */
export const KILL_MS = 120_000;
export const TIMESTAMP = '2026-01-01T00:00:00Z';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the process ended by itself (not killed by the bound). */
  endedByItself: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /**
   * Run inside the test sandbox: `node --disallow-code-generation-from-strings --import sandbox.mjs`
   * (no network, no child processes, no vm, no eval; imports from `root` logged), logging to `log`.
   */
  sandbox?: { log: string; root: string };
  killMs?: number;
}

/** The built CLI must exist: these suites test dist/, as users run it (`npm run build` first). */
export function assertBuilt(): void {
  if (!fs.existsSync(path.join(PROJECT, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` before the hostile suites');
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<CliRun> {
  const nodeArgs = opts.sandbox ? ['--disallow-code-generation-from-strings', '--import', pathToFileURL(SANDBOX).href] : [];
  const sandboxEnv = opts.sandbox ? { CXA_SANDBOX_LOG: opts.sandbox.log, CXA_SANDBOX_ROOT: opts.sandbox.root } : {};
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...sandboxEnv, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], { cwd: opts.cwd ?? PROJECT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, opts.killMs ?? KILL_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        endedByItself: !killed,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Math.round(performance.now() - started),
      });
    });
  });
}

/** `--out` for each of the three formats, in `dir`. */
export function outArgs(dir: string): string[] {
  return ['--out', path.join(dir, 'AUDIT.md'), '--out', path.join(dir, 'audit.json'), '--out', path.join(dir, 'audit.sarif')];
}

export interface Outputs {
  md: string;
  json: string;
  sarif: string;
}

export function readOutputs(dir: string): Outputs {
  return {
    md: fs.readFileSync(path.join(dir, 'AUDIT.md'), 'utf8'),
    json: fs.readFileSync(path.join(dir, 'audit.json'), 'utf8'),
    sarif: fs.readFileSync(path.join(dir, 'audit.sarif'), 'utf8'),
  };
}

/**
 * The cells of a GFM table row, split the way GFM splits it: on pipes that are not backslash-escaped
 * (a backslash escapes the next character, so `\\|` is an escaped backslash and then a delimiter).
 */
export function tableCells(row: string): string[] {
  let s = row.trim();
  if (s.startsWith('|')) s = s.slice(1);
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(cur);
      cur = '';
    } else cur += c;
  }
  // A trailing pipe closes the last cell; otherwise the rest is the last cell.
  if (cur.trim() !== '' || !s.endsWith('|')) cells.push(cur);
  return cells;
}

export interface MdTable {
  line: number;
  header: string[];
  rows: { line: number; cells: string[] }[];
}

/** The lines outside fenced code blocks, with their 1-based numbers (fences toggled by ``` or ~~~ lines). */
export function proseLines(md: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | undefined;
  md.split('\n').forEach((text, i) => {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(text);
    if (m) {
      if (fence === undefined) fence = m[1][0].repeat(m[1].length);
      else if (m[1][0] === fence[0] && m[1].length >= fence.length && text.trim() === m[1]) fence = undefined;
      return;
    }
    if (fence === undefined) out.push({ line: i + 1, text });
  });
  return out;
}

/** Every table of a Markdown document (a header row followed by a `|---|` delimiter row). */
export function markdownTables(md: string): MdTable[] {
  const lines = proseLines(md);
  const tables: MdTable[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const delim = lines[i + 1];
    if (!lines[i].text.startsWith('|') || !/^\|(\s*:?-+:?\s*\|)+\s*$/.test(delim.text) || delim.line !== lines[i].line + 1) continue;
    const t: MdTable = { line: lines[i].line, header: tableCells(lines[i].text), rows: [] };
    let j = i + 2;
    while (j < lines.length && lines[j].line === lines[j - 1].line + 1 && lines[j].text.startsWith('|')) {
      t.rows.push({ line: lines[j].line, cells: tableCells(lines[j].text) });
      j++;
    }
    tables.push(t);
    i = j - 1;
  }
  return tables;
}

/** Raw HTML that a Markdown renderer would pass through: a tag, a comment, a processing instruction. */
export const RAW_HTML_RE = /<\/?[A-Za-z][A-Za-z0-9-]*[\s/>]|<!--|<\?|<![A-Z]/;

/**
 * Link syntax that would survive: `](` not escaped (unless it is one of our evidence links, whose target
 * is a percent-encoded relative path), an autolink `<scheme:...>`, or a bare URL / www / e-mail that GFM
 * autolinks.
 */
export function linkProblems(text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(/(?<!\\)((?:\\\\)*)\]\(([^)]*)\)?/g)) {
    const target = m[2];
    if (!/^[A-Za-z0-9%._~\-/#]*$/.test(target) || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(target)) problems.push(`link target ${JSON.stringify(target)}`);
  }
  // Link destinations checked above are not autolinked: leave them out of the checks below.
  text = text.replace(/(?<!\\)((?:\\\\)*)\]\([A-Za-z0-9%._~\-/#]*\)/g, '$1]()');
  for (const m of text.matchAll(/<[A-Za-z][A-Za-z0-9+.-]*:[^\s>]*>/g)) problems.push(`autolink ${m[0]}`);
  for (const m of text.matchAll(/(?<![\\\w])(?:https?|ftp):\/\/[^\s)]+/g)) problems.push(`bare URL ${m[0]}`);
  for (const m of text.matchAll(/(?<![\w\\])www\.[A-Za-z0-9-]+\.[A-Za-z]/gi)) problems.push(`www autolink ${m[0]}`);
  for (const m of text.matchAll(/[A-Za-z0-9._+-]+(?<!\\)@[A-Za-z0-9-]+\.[A-Za-z]{2,}/g)) problems.push(`e-mail autolink ${m[0]}`);
  return problems;
}

/** Files left in `dir` that are neither the expected outputs nor our own temp-file pattern. */
export function strayFiles(dir: string, expected: string[]): string[] {
  return fs.readdirSync(dir).filter((n) => !expected.includes(n));
}
