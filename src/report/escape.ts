/**
 * Escaping for everything taken from the audited tree (paths, excerpts, headings).
 * A file named `a|b<script>.py` must not break a Markdown table or inject markup or links.
 */

const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Replace control and bidi characters with a visible escape, so they cannot reorder or hide text. */
export function visibleControls(s: string): string {
  return s.replace(CONTROL_RE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Lone UTF-16 surrogates become U+FFFD so every output is valid UTF-8. */
export function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/**
 * Inline Markdown text: no HTML, no links, no emphasis tricks, one line.
 * Backslash-escapes every ASCII punctuation character that Markdown could read as syntax.
 */
export function escapeInline(s: string): string {
  const one = visibleControls(wellFormed(s)).replace(/\r\n|\r|\n|\t/g, ' ');
  return one
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~^$@])/g, '\\$1')
    // GFM autolinks bare URLs, `www.` names and e-mail addresses (`@`, escaped above): break them.
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.');
}

/**
 * Our own prose (gap texts, risks, plans from the registry; custom capabilities come from a config file in
 * the audited tree): Markdown whose `code spans` must render. Only what would break a table or read as
 * HTML or a link is escaped: pipes (with the backslashes before them), line breaks, and outside code
 * spans `<`/`>`/`&`, `](` and what GFM autolinks (inside a code span GFM shows entities literally, so
 * they stay as they are). Code spans are found as CommonMark finds them (see {@link codeSpans}).
 */
export function proseInline(s: string): string {
  const one = visibleControls(wellFormed(s)).replace(/\r\n|\r|\n|\t/g, ' ');
  return codeSpans(one)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;')
            .replace(/\]\(/g, ']\\(')
            .replace(/@/g, '\\@')
            .replace(/:(?=\/\/)/g, '\\:')
            .replace(/\b(www)\./gi, '$1\\.'),
    )
    .join('')
    .replace(/(\\*)\|/g, (_m, bs: string) => `${bs}${bs}\\|`);
}

/**
 * Split text into [prose, code span, prose, code span, ..., prose] the way CommonMark reads it: a
 * backtick run opens a code span closed by the next run of the same length (no escapes inside); a run
 * without a closing run is literal; outside code spans a backslash escapes the next punctuation character.
 */
export function codeSpans(s: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && /[!-/:-@[-`{-~]/.test(s[i + 1])) {
      i += 2;
      continue;
    }
    if (c !== '`') {
      i++;
      continue;
    }
    let n = 1;
    while (s[i + n] === '`') n++;
    let close = -1;
    for (let j = i + n; j < s.length; ) {
      if (s[j] !== '`') {
        j++;
        continue;
      }
      let m = 1;
      while (s[j + m] === '`') m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      i += n;
      continue;
    }
    parts.push(s.slice(start, i), s.slice(i, close + n));
    i = start = close + n;
  }
  parts.push(s.slice(start));
  return parts;
}

/** A table cell of our own prose: never empty. */
export function proseCell(s: string): string {
  const e = proseInline(s).trim();
  return e.length === 0 ? '—' : e;
}

/** A table cell: inline-escaped, never empty (an empty cell reads as a missing column). */
export function escapeCell(s: string): string {
  const e = escapeInline(s).trim();
  return e.length === 0 ? '—' : e;
}

/** URL-encode a repository-relative path for a Markdown link target (no scheme can sneak in). */
export function linkTarget(path: string, line?: number): string {
  const encoded = wellFormed(path)
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[()'*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
  // A first segment like `javascript:x` is encoded to `javascript%3Ax`, so it stays relative.
  return line && line > 0 ? `${encoded}#L${line}` : encoded;
}

/** `[path:line](path#Lline)` with both parts escaped. */
export function evidenceLink(path: string, line?: number): string {
  const label = line && line > 0 ? `${path}:${line}` : path;
  return `[${escapeInline(label)}](${linkTarget(path, line)})`;
}

/** Text inside a fenced code block: only a fence could break out, so neutralise fences. */
export function escapeFenced(s: string): string {
  return visibleControls(wellFormed(s)).replace(/^(\s*)(`{3,}|~{3,})/gm, '$1\u200b$2');
}
