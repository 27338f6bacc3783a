import type { FileFacts, MarkerKind } from '../facts/types.js';

const MARKER_RE = /(?<![A-Za-z0-9_])(TODO|FIXME|TBD|XXX|HACK)(?![A-Za-z0-9_])[:\s(-]*(.*)$/;
const SUPPRESS_RE = /codex-audit:\s*ignore\[([A-Za-z0-9_.,\s*-]+)\]\s*(.*)$/;

/**
 * Record the markers and suppressions a comment holds. `comment` is the comment's text (delimiters may be
 * included); `line` is the line of its first character. Multi-line comments are scanned line by line.
 */
export function scanComment(comment: string, line: number, facts: FileFacts): void {
  const parts = comment.split(/\r\n|\r|\n/);
  for (let i = 0; i < parts.length; i++) {
    const text = parts[i];
    if (text.length > 2000) continue;
    const m = MARKER_RE.exec(text);
    if (m) {
      facts.markers.push({
        kind: m[1] as MarkerKind,
        line: line + i,
        text: cleanTail(m[2]),
      });
    }
    const s = SUPPRESS_RE.exec(text);
    if (s) {
      for (const id of s[1].split(',')) {
        const trimmed = id.trim();
        if (trimmed) facts.suppressions.push({ id: trimmed, line: line + i, reason: cleanTail(s[2]) });
      }
    }
  }
}

function cleanTail(s: string): string {
  return s.replace(/\*\/\s*$/, '').replace(/-->\s*$/, '').trim().slice(0, 160);
}

/**
 * Lexical line counts. A line is blank when it has only white space, comment when it starts with a
 * comment token of the language (or lies inside a block comment), code otherwise.
 */
export function countLines(text: string, style: 'hash' | 'c' | 'none'): FileFacts['lines'] {
  const counts = { total: 0, code: 0, comment: 0, blank: 0 };
  if (text.length === 0) return counts;
  let inBlock = false;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = n;
    const raw = text.slice(start, end);
    counts.total++;
    const t = raw.trim();
    if (t.length === 0) counts.blank++;
    else if (style === 'c') {
      if (inBlock) {
        counts.comment++;
        if (t.includes('*/')) inBlock = false;
      } else if (t.startsWith('//')) counts.comment++;
      else if (t.startsWith('/*')) {
        counts.comment++;
        if (!t.includes('*/', 2)) inBlock = true;
      } else counts.code++;
    } else if (style === 'hash' && t.startsWith('#')) counts.comment++;
    else counts.code++;
    if (end === n) break;
    start = end + 1;
  }
  return counts;
}

/** Cut source text to at most `max` characters on one line, for args, values and excerpts. */
export function shortText(s: string, max = 120): string {
  // Well-formed whatever the input (a message may quote half a surrogate pair), and never cut inside a pair.
  const one = s.replace(/\s+/g, ' ').trim().replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  if (one.length <= max) return one;
  const cut = /[\ud800-\udbff]/.test(one[max - 2] ?? '') ? max - 2 : max - 1;
  return one.slice(0, cut) + '…';
}
