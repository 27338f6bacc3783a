import type { FileFacts } from '../facts/types.js';
import { countLines } from './comments.js';
import { FactRecorder, excerpt, splitLines, valueText } from './text.js';

/**
 * Dockerfile / Containerfile reader.
 *
 * Keys (ConfigKeyFact): each instruction, upper-cased, at the line where it starts (`FROM`, `RUN`, `CMD`,
 * `ENTRYPOINT`, `EXPOSE`, `USER`, `HEALTHCHECK`, ...), its value the argument text with continuation
 * lines joined (at most 120 chars): `RUN apt-get update \\\n && apt-get install -y git` -> `RUN` =
 * `apt-get update && apt-get install -y git`. Heredoc bodies (`RUN <<EOF ... EOF`) are skipped.
 * The `# escape=` parser directive is honoured. Markers come from `#` comment lines.
 * Issues: unknown instructions, lines that are no instruction, a continuation or heredoc open at the end.
 */
export function parseDockerfile(text: string, facts: FileFacts): void {
  facts.parser = 'reader';
  const out = new FactRecorder(facts, 'Dockerfile');
  try {
    facts.lines = countLines(text, 'hash');
    readDockerfile(text, out);
  } catch (err) {
    out.internalError(err);
  }
}

const INSTRUCTIONS = new Set([
  'FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER',
  'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
]);
const INSTRUCTION_RE = /^([A-Za-z]+)(?:\s+|$)/;
const HEREDOC_RE = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
const DIRECTIVE_RE = /^#\s*escape\s*=\s*([\\`])\s*$/i;

function readDockerfile(text: string, out: FactRecorder): void {
  const lines = text.length === 0 ? [] : splitLines(text);
  let escape = '\\';
  let directivesOpen = true;
  let i = 0;
  while (i < lines.length) {
    const lineNo = i + 1;
    const t = lines[i].trim();
    i++;
    if (t.length === 0) {
      directivesOpen = false;
      continue;
    }
    if (t[0] === '#') {
      const d = directivesOpen ? DIRECTIVE_RE.exec(t) : null;
      if (d) escape = d[1];
      else if (!/^#\s*[a-z]+\s*=/i.test(t)) directivesOpen = false;
      out.comment(t, lineNo);
      continue;
    }
    directivesOpen = false;
    const m = INSTRUCTION_RE.exec(t);
    if (!m) {
      out.issue(lineNo, `not an instruction: ${excerpt(t, 60)}`);
      continue;
    }
    const name = m[1].toUpperCase();
    if (!INSTRUCTIONS.has(name)) out.issue(lineNo, `unknown instruction ${excerpt(m[1], 40)}`);
    // Gather the instruction over its continuation lines (comment lines inside are dropped).
    const parts: string[] = [];
    let piece = t.slice(m[0].length);
    let length = 0;
    let continued = piece.endsWith(escape);
    if (continued) piece = piece.slice(0, -1);
    parts.push(piece);
    length += piece.length;
    while (continued) {
      if (i >= lines.length) {
        out.issue(lineNo, 'line continuation at the end of the file');
        break;
      }
      const next = lines[i].trim();
      const nextNo = i + 1;
      i++;
      if (next.startsWith('#')) {
        out.comment(next, nextNo);
        continue;
      }
      if (next.length === 0) continue;
      continued = next.endsWith(escape);
      piece = continued ? next.slice(0, -1) : next;
      if (length < 2000) {
        parts.push(piece);
        length += piece.length;
      }
    }
    const args = parts.join(' ');
    if (!out.keysFull) out.key(name, lineNo, valueText(args));
    // Heredocs: skip each body up to its delimiter line.
    if (name === 'RUN' || name === 'COPY' || name === 'ADD') {
      HEREDOC_RE.lastIndex = 0;
      const delimiters: { word: string; strip: boolean }[] = [];
      const head = args.length > 2000 ? args.slice(0, 2000) : args;
      let h: RegExpExecArray | null;
      while ((h = HEREDOC_RE.exec(head)) !== null && delimiters.length < 10) delimiters.push({ word: h[3], strip: h[1] === '-' });
      for (const d of delimiters) {
        const openedAt = i;
        let closed = false;
        while (i < lines.length) {
          const body = d.strip ? lines[i].replace(/^\t+/, '') : lines[i];
          i++;
          if (body === d.word || body.trimEnd() === d.word) {
            closed = true;
            break;
          }
        }
        if (!closed) out.issue(openedAt, `heredoc <<${d.word} not closed before the end of the file`);
      }
    }
  }
}
