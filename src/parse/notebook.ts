/**
 * Jupyter notebooks (nbformat 4, tolerant of nbformat 3 and of wrong types): the code cells are
 * concatenated and parsed as Python, with every line mapped back to the line of the .ipynb file that
 * holds it; markdown headings become HeadingFacts; outputs are ignored.
 *
 * Line location: after JSON.parse succeeds, one linear structural scan of the raw JSON text (strings
 * are skipped with indexOf, so a 20 MB output costs little) records, for each element of `cells`, the
 * line of the element and the line of each `source` string (pretty-printed notebooks put one source
 * line per JSON line; a single-string source maps all its lines to the line of that string). A line
 * that cannot be located maps to its cell's line.
 *
 * Magics: lines starting with `%` or `!` are blanked (kept as empty lines so lines still map); a cell
 * starting with a `%%` cell magic is blanked entirely unless the magic runs Python (`%%time`,
 * `%%timeit`, `%%capture`, `%%prun`, `%%debug`). A notebook whose kernel language is not Python is not
 * parsed as Python.
 *
 * Line counts: the code cells as Python (countLines 'hash'), plus markdown/raw cell lines counted as
 * comment (non-blank) or blank lines.
 */
import type { FileFacts } from '../facts/types.js';
import { countLines, shortText } from './comments.js';
import { PARSE_STEP } from './python-common.js';
import { parsePython } from './python.js';

interface CellLoc {
  /** Line of the cell element in the JSON text. */
  line: number;
  /** Line of each source string (array source), or one entry for a string source. */
  source: number[];
}

const enum Role {
  OTHER,
  ROOT,
  CELLS,
  CELL,
  SOURCE,
  WORKSHEETS,
  WORKSHEET,
}

interface Frame {
  obj: boolean;
  role: Role;
  key: string | null;
  expectKey: boolean;
}

/** Structural scan of valid JSON text: where each notebook cell and its source strings are. */
function locateCells(text: string): CellLoc[] {
  const cells: CellLoc[] = [];
  const stack: Frame[] = [];
  const n = text.length;
  let line = 1;
  let i = 0;
  const childRole = (parent: Frame | undefined, isObj: boolean): Role => {
    if (!parent) return isObj ? Role.ROOT : Role.OTHER;
    switch (parent.role) {
      case Role.ROOT:
        if (!isObj && parent.key === 'cells') return Role.CELLS;
        if (!isObj && parent.key === 'worksheets') return Role.WORKSHEETS;
        return Role.OTHER;
      case Role.WORKSHEETS:
        return isObj ? Role.WORKSHEET : Role.OTHER;
      case Role.WORKSHEET:
        return !isObj && parent.key === 'cells' ? Role.CELLS : Role.OTHER;
      case Role.CELLS:
        return isObj ? Role.CELL : Role.OTHER;
      case Role.CELL:
        return !isObj && (parent.key === 'source' || parent.key === 'input') ? Role.SOURCE : Role.OTHER;
      default:
        return Role.OTHER;
    }
  };
  /** Called at the start of every value. */
  const valueStart = (top: Frame | undefined) => {
    if (top && top.role === Role.CELLS) cells.push({ line, source: [] });
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === 34 /* " */) {
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          j = n;
          break;
        }
        let bs = 0;
        for (let k = q - 1; k > i && text.charCodeAt(k) === 92; k--) bs++;
        if (bs % 2 === 0) {
          j = q;
          break;
        }
        j = q + 1;
      }
      if (top && top.obj && top.expectKey) {
        top.key = j - i - 1 <= 32 ? text.slice(i + 1, j) : null;
        top.expectKey = false;
      } else {
        valueStart(top);
        if (top) {
          if (top.role === Role.SOURCE) {
            const cell = cells[cells.length - 1];
            if (cell) cell.source.push(line);
          } else if (top.role === Role.CELL && (top.key === 'source' || top.key === 'input')) {
            const cell = cells[cells.length - 1];
            if (cell) cell.source.push(line);
          }
        }
      }
      i = j + 1;
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      valueStart(top);
      const obj = c === 123;
      stack.push({ obj, role: childRole(top, obj), key: null, expectKey: obj });
      i++;
      continue;
    }
    if (c === 125 || c === 93) {
      stack.pop();
      i++;
      continue;
    }
    if (c === 44 /* , */) {
      if (top && top.obj) top.expectKey = true;
      i++;
      continue;
    }
    if (c === 58 /* : */) {
      i++;
      continue;
    }
    // number / true / false / null
    valueStart(top);
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d === 44 || d === 125 || d === 93 || d === 10 || d === 32 || d === 9 || d === 13) break;
      i++;
    }
  }
  return cells;
}

const PY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug']);

interface SourceLines {
  lines: string[];
  /** Source element index where each line starts. */
  origin: number[];
  malformed: boolean;
}

function sourceLines(src: unknown): SourceLines {
  const lines: string[] = [''];
  const origin: number[] = [0];
  let malformed = false;
  let parts: string[];
  if (typeof src === 'string') parts = [src];
  else if (Array.isArray(src)) {
    parts = [];
    for (const p of src) {
      if (typeof p === 'string') parts.push(p);
      else {
        malformed = true;
        parts.push('');
      }
    }
  } else {
    if (src !== undefined && src !== null) malformed = true;
    parts = [];
  }
  for (let j = 0; j < parts.length; j++) {
    const pieces = parts[j].split(/\r?\n/);
    // a line opened by the trailing newline of the previous element starts in this one
    if (origin[origin.length - 1] === -1) origin[origin.length - 1] = j;
    lines[lines.length - 1] += pieces[0];
    for (let k = 1; k < pieces.length; k++) {
      lines.push(pieces[k]);
      origin.push(k === pieces.length - 1 && pieces[k] === '' ? -1 : j);
    }
  }
  for (let k = 0; k < origin.length; k++) if (origin[k] === -1) origin[k] = Math.max(0, parts.length - 1);
  // A trailing newline leaves an empty last line that is not part of the cell.
  if (lines.length > 1 && lines[lines.length - 1] === '') {
    lines.pop();
    origin.pop();
  }
  if (lines.length === 1 && lines[0] === '' && parts.length === 0) return { lines: [], origin: [], malformed };
  return { lines, origin, malformed };
}

function issue(facts: FileFacts, message: string): void {
  facts.issues.push({ step: PARSE_STEP, path: facts.path, message, context: 'Reading a Jupyter notebook' });
}

const HEADING_RE = /^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/;

export function parseNotebook(text: string, facts: FileFacts): void {
  try {
    parseNotebookImpl(text, facts);
  } catch (e) {
    issue(facts, `Notebook could not be read: ${shortText(e instanceof Error ? e.message : String(e), 200)}`);
  }
}

function parseNotebookImpl(text: string, facts: FileFacts): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    facts.lines = countLines(text, 'none');
    issue(facts, `Notebook is not valid JSON: ${shortText(e instanceof Error ? e.message : String(e), 200)}`);
    return;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    facts.lines = countLines(text, 'none');
    issue(facts, 'Notebook JSON is not an object; no cells were read');
    return;
  }
  const nb = doc as Record<string, unknown>;
  let rawCells: unknown[] | undefined;
  if (Array.isArray(nb.cells)) rawCells = nb.cells;
  else if (Array.isArray(nb.worksheets)) {
    rawCells = [];
    for (const ws of nb.worksheets) {
      const wc = ws && typeof ws === 'object' ? (ws as Record<string, unknown>).cells : undefined;
      if (Array.isArray(wc)) rawCells.push(...wc);
    }
  }
  if (!rawCells) {
    facts.lines = countLines(text, 'none');
    issue(facts, 'Notebook has no "cells" array; no cells were read');
    return;
  }
  const locs = locateCells(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const locsOk = locs.length === rawCells.length;
  const meta = nb.metadata && typeof nb.metadata === 'object' ? (nb.metadata as Record<string, unknown>) : {};
  const lang = kernelLanguage(meta);
  const isPython = lang === undefined || /python|ipython/i.test(lang);

  const code: string[] = [];
  const map: number[] = [];
  let malformed = 0;
  let mdTotal = 0;
  let mdBlank = 0;
  facts.cells = [];
  for (let index = 0; index < rawCells.length; index++) {
    const cell = rawCells[index];
    const loc = locsOk ? locs[index] : undefined;
    const cellLine = loc ? loc.line : 1;
    if (cell === null || typeof cell !== 'object' || Array.isArray(cell)) {
      malformed++;
      facts.cells.push({ index, startLine: cellLine });
      continue;
    }
    const c = cell as Record<string, unknown>;
    const src = sourceLines(c.source !== undefined ? c.source : c.input);
    if (src.malformed) malformed++;
    const lineOfSrc = (k: number): number => {
      if (!loc || loc.source.length === 0) return cellLine;
      const el = src.origin[k] ?? 0;
      return loc.source[Math.min(el, loc.source.length - 1)] ?? cellLine;
    };
    facts.cells.push({ index, startLine: src.lines.length > 0 ? lineOfSrc(0) : loc?.source[0] ?? cellLine });
    const type = typeof c.cell_type === 'string' ? c.cell_type : undefined;
    if (type === undefined && c.cell_type !== undefined) malformed++;
    if (type === 'code') {
      const first = src.lines.find((l) => l.trim() !== '');
      const cellMagic = first !== undefined ? /^\s*%%(\w+)/.exec(first) : null;
      const blankAll = cellMagic !== null && !PY_CELL_MAGICS.has(cellMagic[1]);
      for (let k = 0; k < src.lines.length; k++) {
        const l = src.lines[k];
        const t = l.trimStart();
        code.push(blankAll || t.startsWith('%') || t.startsWith('!') ? '' : l);
        map.push(lineOfSrc(k));
      }
    } else if (type === 'markdown' || type === 'raw') {
      let fence: string | null = null;
      for (let k = 0; k < src.lines.length; k++) {
        const l = src.lines[k];
        mdTotal++;
        if (l.trim() === '') mdBlank++;
        if (type !== 'markdown') continue;
        const f = /^ {0,3}(`{3,}|~{3,})/.exec(l);
        if (f) {
          if (fence === null) fence = f[1][0];
          else if (f[1][0] === fence) fence = null;
          continue;
        }
        if (fence !== null) continue;
        const h = HEADING_RE.exec(l);
        if (h) facts.headings.push({ level: h[1].length, text: shortText(h[2], 160), line: lineOfSrc(k) });
      }
    }
  }
  if (malformed > 0) issue(facts, `${malformed} notebook cell field(s) had unexpected types; they were read as far as possible`);
  if (!locsOk && rawCells.length > 0) {
    issue(facts, 'Notebook cell positions could not be located in the JSON text; lines point at line 1');
  }
  const source = code.join('\n');
  if (isPython) {
    parsePython(source, facts, { lineMap: (l) => map[l - 1] ?? map[map.length - 1] ?? 1 });
  } else {
    facts.parser = 'reader';
    facts.lines = countLines(source, 'hash');
  }
  facts.lines.total += mdTotal;
  facts.lines.blank += mdBlank;
  facts.lines.comment += mdTotal - mdBlank;
}

function kernelLanguage(meta: Record<string, unknown>): string | undefined {
  const li = meta.language_info;
  if (li && typeof li === 'object' && typeof (li as Record<string, unknown>).name === 'string') {
    return (li as Record<string, unknown>).name as string;
  }
  const ks = meta.kernelspec;
  if (ks && typeof ks === 'object' && typeof (ks as Record<string, unknown>).language === 'string') {
    return (ks as Record<string, unknown>).language as string;
  }
  return undefined;
}
