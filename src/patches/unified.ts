/**
 * Unified diffs that `git apply` accepts: a line diff (Myers) between the old and the new text of a
 * file, grouped into hunks with three lines of context, under `diff --git` headers.
 *
 * Lines are compared with their line terminators, so a CRLF file, a file without a final newline
 * and a UTF-8 BOM are reproduced byte for byte (`\ No newline at end of file` where git wants it).
 */

export type LineOp = { kind: 'same' | 'del' | 'ins'; line: string };

/** The lines of `text`, each with its terminator (`\n` or `\r\n`); the last may have none. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Above this many differing lines the diff is written as delete-all/insert-all (still correct). */
const MAX_EDIT_DISTANCE = 4000;

/** A shortest edit script from `a` to `b` (Myers' O(ND) algorithm, common prefix/suffix trimmed first). */
export function diffLines(a: readonly string[], b: readonly string[]): LineOp[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const head: LineOp[] = a.slice(0, pre).map((line) => ({ kind: 'same', line }));
  const tail: LineOp[] = a.slice(a.length - suf).map((line) => ({ kind: 'same', line }));
  const middle = myers(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf));
  return [...head, ...middle, ...tail];
}

function myers(a: readonly string[], b: readonly string[]): LineOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ kind: 'ins', line }));
  if (m === 0) return a.map((line) => ({ kind: 'del', line }));
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = n + m;
  const v = new Int32Array(2 * offset + 2);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, offset);
    }
  }
  return [...a.map((line): LineOp => ({ kind: 'del', line })), ...b.map((line): LineOp => ({ kind: 'ins', line }))];
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[], offset: number): LineOp[] {
  const ops: LineOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = v[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: 'same', line: a[x - 1] });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: 'ins', line: b[y - 1] });
      else ops.push({ kind: 'del', line: a[x - 1] });
    }
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

const NO_EOL = '\\ No newline at end of file\n';

function emit(prefix: string, line: string): string {
  return line.endsWith('\n') ? `${prefix}${line}` : `${prefix}${line}\n${NO_EOL}`;
}

/** `start,count` of a hunk range; an empty range starts at the line before it (GNU/git convention). */
function range(start: number, count: number): string {
  return `${count === 0 ? start : start + 1},${count}`;
}

/** Hunks of the unified diff from `before` to `after` (empty string when they are equal). */
export function hunks(before: string, after: string, context = 3): string {
  const ops = diffLines(splitLines(before), splitLines(after));
  const changed = ops.map((op, i) => (op.kind === 'same' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return '';
  // Group changes whose gap of unchanged lines is small enough to share context.
  const groups: [number, number][] = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] - 1 <= 2 * context) last[1] = i;
    else groups.push([i, i]);
  }
  // Old/new line numbers before each op.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== 'ins') o++;
    if (op.kind !== 'del') n++;
  }
  let out = '';
  for (const [first, last] of groups) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    let oldCount = 0;
    let newCount = 0;
    let body = '';
    for (let i = from; i <= to; i++) {
      const op = ops[i];
      if (op.kind !== 'ins') oldCount++;
      if (op.kind !== 'del') newCount++;
      body += emit(op.kind === 'same' ? ' ' : op.kind === 'del' ? '-' : '+', op.line);
    }
    out += `@@ -${range(oldAt[from], oldCount)} +${range(newAt[from], newCount)} @@\n${body}`;
  }
  return out;
}

/** Paths the diff headers can carry unquoted (git quotes anything else). */
export const SAFE_PATH = /^[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+)*$/;

/**
 * One file's unified diff: a new file when `before` is undefined, else a modification (empty string
 * when nothing changes). `path` is POSIX, relative to the repository root.
 */
export function fileDiff(path: string, before: string | undefined, after: string): string {
  if (!SAFE_PATH.test(path) || path.split('/').some((s) => s === '.' || s === '..')) throw new Error(`unsafe path for a patch: ${JSON.stringify(path)}`);
  if (before === undefined) {
    if (after === '') throw new Error(`${path}: an empty new file cannot be expressed as a hunk`);
    return `diff --git a/${path} b/${path}\nnew file mode 100644\n--- /dev/null\n+++ b/${path}\n${hunks('', after)}`;
  }
  const body = hunks(before, after);
  return body === '' ? '' : `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n${body}`;
}
