import type { FileFacts } from '../facts/types.js';
import { FactRecorder, MAX_KEYS, emptyCounts, excerpt, splitLines, tally } from './text.js';

/**
 * Markdown reader (README, docs): headings and fenced code blocks, CommonMark-shaped.
 *
 * - Headings (HeadingFact): ATX `#`..`######` (closing `#`s removed), setext (a paragraph underlined
 *   with `===` -> level 1 or `---` -> level 2; its line is the paragraph's first line), and one-line
 *   HTML `<h1>..</h1>`..`<h6>` (tags inside removed). Nothing inside fenced code, HTML comments or YAML
 *   front matter is a heading.
 * - Code blocks (`facts.codeBlocks`): each ``` or ~~~ fence with its language, the first word of the info
 *   string lower-cased (`mermaid`, `python`, '' when none; `{python}` -> `python`), and its line.
 * - Markers: only from HTML comments (`<!-- TODO: ... -->`). "TODO" in prose or in a code sample is
 *   documentation, not an unfinished piece of the repository's code.
 * - Line counts: blank, comment (lines wholly inside HTML comments), code (everything else: prose too).
 * Issues: a code fence or HTML comment still open at the end of the file (what it swallowed is lost to
 * headings), and the heading/code block caps.
 */
export function parseMarkdown(text: string, facts: FileFacts): void {
  facts.parser = 'reader';
  const out = new FactRecorder(facts, 'Markdown');
  try {
    readMarkdown(text, out);
  } catch (err) {
    out.internalError(err);
  }
}

const ATX_RE = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const SETEXT_RE = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE_RE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const HTML_HEADING_RE = /^\s*<h([1-6])(?:\s[^>]*)?>(.*?)<\/h\1>/i;
const THEMATIC_BREAK_RE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
/** Lines that end a paragraph and cannot be one: list items, quotes, tables, HTML blocks. */
const NOT_PARAGRAPH_RE = /^ {0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|>|\||<)/;

/** A letter or other character no block form starts with: the line is plain paragraph text. */
function isProseStart(c: string): boolean {
  return !'-*+_>|<0123456789'.includes(c);
}

function closingFence(line: string, ch: string, len: number): boolean {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  let run = 0;
  while (line[i + run] === ch) run++;
  return run >= len && line.slice(i + run).trim().length === 0;
}

function headingText(s: string): string {
  return excerpt(s, 200);
}

function readMarkdown(text: string, out: FactRecorder): void {
  const facts = out.facts;
  const counts = emptyCounts();
  const lines = text.length === 0 ? [] : splitLines(text);
  const codeBlocks: { lang: string; line: number }[] = [];
  let fence: { ch: string; len: number; line: number } | null = null;
  let comment: { line: number } | null = null;
  let para: { line: number; parts: string[] } | null = null;
  let capReported = false;

  const heading = (level: number, text: string, line: number): void => {
    if (facts.headings.length >= MAX_KEYS) {
      if (!capReported) {
        capReported = true;
        out.issue(line, `more than ${MAX_KEYS} headings; the rest are not recorded`);
      }
      return;
    }
    facts.headings.push({ level, text: headingText(text), line });
  };

  let start = 0;
  // YAML front matter: `---` on line 1 up to the next `---`/`...` line.
  if (lines.length > 1 && lines[0].trimEnd() === '---') {
    for (let j = 1; j < lines.length; j++) {
      const l = lines[j].trimEnd();
      if (l === '---' || l === '...') {
        for (let k = 0; k <= j; k++) tally(counts, 'code');
        start = j + 1;
        break;
      }
    }
  }

  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    const lineNo = i + 1;

    if (fence) {
      tally(counts, line.trim().length === 0 ? 'blank' : 'code');
      if (closingFence(line, fence.ch, fence.len)) fence = null;
      continue;
    }

    // HTML comments: markers from their text; what remains of the line is read as Markdown.
    let rest = line;
    let sawComment = false;
    if (comment || line.includes('<!--')) {
      let kept = '';
      let pos = 0;
      while (pos <= rest.length) {
        if (comment) {
          const end = rest.indexOf('-->', pos);
          const body = end === -1 ? rest.slice(pos) : rest.slice(pos, end + 3);
          if (body.trim().length > 0) out.comment(body, lineNo);
          sawComment = true;
          if (end === -1) {
            pos = rest.length + 1;
            break;
          }
          comment = null;
          pos = end + 3;
          continue;
        }
        const open = rest.indexOf('<!--', pos);
        if (open === -1) {
          kept += rest.slice(pos);
          break;
        }
        kept += rest.slice(pos, open);
        comment = { line: lineNo };
        pos = open;
        // The scan of the comment body starts at `<!--` so the text keeps its delimiter.
        const end = rest.indexOf('-->', open + 4);
        const body = end === -1 ? rest.slice(open) : rest.slice(open, end + 3);
        out.comment(body, lineNo);
        sawComment = true;
        if (end === -1) break;
        comment = null;
        pos = end + 3;
      }
      rest = kept;
    }

    const t = rest.trim();
    if (t.length === 0) {
      tally(counts, sawComment ? 'comment' : 'blank');
      if (!sawComment) para = null;
      continue;
    }
    tally(counts, 'code');

    // The first character past the indentation decides which block forms are possible.
    const lead = t[0];
    const f = lead === '`' || lead === '~' ? FENCE_RE.exec(rest) : null;
    if (f && !(f[2][0] === '`' && f[3].includes('`'))) {
      const info = (f[3].length > 200 ? f[3].slice(0, 200) : f[3]).trim();
      const word = info.split(/\s+/, 1)[0] ?? '';
      const lang = word.replace(/^[{.]+|[}]+$/g, '').replace(/[{},].*$/, '').toLowerCase();
      if (codeBlocks.length < MAX_KEYS) codeBlocks.push({ lang: excerpt(lang, 40), line: lineNo });
      fence = { ch: f[2][0], len: f[2].length, line: lineNo };
      para = null;
      continue;
    }

    const atx = lead === '#' ? ATX_RE.exec(rest) : null;
    if (atx) {
      let h = (atx[2] ?? '').trim();
      // Closing sequence: `## Title ##` -> `Title` (a `#` glued to a word stays).
      const closing = /(?:^|[ \t])#+$/.exec(h);
      if (closing) h = h.slice(0, closing.index).trim();
      heading(atx[1].length, h, lineNo);
      para = null;
      continue;
    }

    if (para && (lead === '=' || lead === '-') && SETEXT_RE.test(rest)) {
      heading(lead === '=' ? 1 : 2, para.parts.join(' '), para.line);
      para = null;
      continue;
    }

    if (lead === '<' && rest.length < 2000) {
      const html = HTML_HEADING_RE.exec(rest);
      if (html) {
        heading(Number(html[1]), html[2].replace(/<[^>]*>/g, '').trim(), lineNo);
        para = null;
        continue;
      }
    }

    if (
      !isProseStart(lead) &&
      (NOT_PARAGRAPH_RE.test(rest) || (rest.length < 2000 && THEMATIC_BREAK_RE.test(rest)))
    ) {
      para = null;
      continue;
    }
    if (!para) {
      // Four spaces of indentation outside a paragraph: an indented code block.
      if (/^(?: {4}|\t)/.test(rest)) continue;
      para = { line: lineNo, parts: [] };
    }
    if (para.parts.length < 20) para.parts.push(t.length > 500 ? t.slice(0, 500) : t);
  }

  if (fence) out.issue(fence.line, 'code fence not closed before the end of the file');
  if (comment) out.issue((comment as { line: number }).line, 'HTML comment not closed before the end of the file');
  facts.codeBlocks = codeBlocks;
  facts.lines = counts;
}
