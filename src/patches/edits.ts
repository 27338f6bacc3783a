import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { splitLines } from './unified.js';

/**
 * Small, formatting-preserving edits of existing files (a README section, a pre-commit hook, npm
 * scripts). Each returns the new text, or undefined when the file has a shape the edit does not
 * handle safely; every structured edit is checked by parsing the result, so a patch never breaks the
 * file it touches.
 */

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function withEol(text: string, eol: string): string {
  return text.replace(/\r?\n/g, eol);
}

/** Append a Markdown section at the end of `text`, after one blank line. */
export function appendMarkdownSection(text: string, section: string): string | undefined {
  const eol = eolOf(text);
  const fences = splitLines(text).filter((l) => /^ {0,3}(```|~~~)/.test(l)).length;
  if (fences % 2 === 1) return undefined; // an unclosed code block would swallow the new section
  let body = text;
  if (body !== '' && !body.endsWith('\n')) body += eol;
  if (body !== '' && !/(\r?\n)\s*\r?\n$/.test(body)) body += eol;
  let added = withEol(section, eol);
  if (!added.endsWith(eol)) added += eol;
  return body + added;
}

/**
 * Add one repository entry (YAML text of a `- repo: ...` list item, written at column 0 with two-space
 * indentation) to the `repos:` list of a `.pre-commit-config.yaml`, matching the file's indentation.
 */
export function addPreCommitRepo(text: string, entry: string): string | undefined {
  let before: unknown;
  try {
    before = parseYaml(text);
  } catch {
    return undefined;
  }
  const oldRepos = (before as { repos?: unknown } | null)?.repos;
  if (!Array.isArray(oldRepos)) return undefined;
  const eol = eolOf(text);
  const lines = splitLines(text);
  const start = lines.findIndex((l) => /^repos:[ \t]*(#.*)?\r?\n?$/.test(l));
  if (start < 0) return undefined;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*(#.*)?\r?\n?$/.test(l) || /^[ \t-]/.test(l)) continue;
    end = i;
    break;
  }
  let item: RegExpExecArray | null = null;
  let last = -1;
  for (let i = start + 1; i < end; i++) {
    const l = lines[i];
    item ??= /^([ \t]*)-([ \t]+)\S/.exec(l);
    if (!/^\s*(#.*)?\r?\n?$/.test(l)) last = i;
  }
  if (!item || last < 0) return undefined;
  const indent = item[1];
  const content = indent + ' '.repeat(1 + item[2].length);
  const added = splitLines(entry.replace(/\r?\n/g, '\n'))
    .map((l, i) => {
      const bare = l.replace(/\n$/, '');
      if (i === 0) return `${indent}-${item[2]}${bare.replace(/^- /, '')}${eol}`;
      const m = /^( *)(.*)$/.exec(bare) ?? ['', '', bare];
      return bare === '' ? eol : `${content}${' '.repeat(Math.max(0, m[1].length - 2))}${m[2]}${eol}`;
    })
    .join('');
  const head = lines.slice(0, last + 1);
  if (!head[last].endsWith('\n')) head[last] += eol;
  const out = head.join('') + added + lines.slice(last + 1).join('');
  try {
    const repos = (parseYaml(out) as { repos?: unknown } | null)?.repos;
    const entryValue: unknown = parseYaml(entry);
    if (!Array.isArray(repos) || !Array.isArray(entryValue)) return undefined;
    if (!isDeepStrictEqual(repos, [...oldRepos, ...entryValue])) return undefined;
  } catch {
    return undefined;
  }
  return out;
}

interface JsonSpan {
  open: number;
  close: number;
}

/** Position of the `{...}` value of the top-level key `key` of a JSON object text, or 'absent'. */
function topLevelObjectSpan(text: string, key: string): JsonSpan | 'absent' | undefined {
  const skipSpace = (j: number): number => {
    while (j < text.length && /\s/.test(text[j])) j++;
    return j;
  };
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (depth === 1) {
        let j = skipSpace(end + 1);
        if (text[j] === ':' && (JSON.parse(text.slice(i, end + 1)) as string) === key) {
          j = skipSpace(j + 1);
          if (text[j] !== '{') return undefined;
          const close = matchingBrace(text, j);
          return close < 0 ? undefined : { open: j, close };
        }
      }
      i = end;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return 'absent';
}

/** Index of the closing quote of the JSON string starting at `open`. */
function stringEnd(text: string, open: number): number {
  let j = open + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return j;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = stringEnd(text, i);
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function lineIndentAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

/** Insert `entries` (already formatted `"k": v` strings) into the object spanning `span`. */
function insertEntries(text: string, span: JsonSpan, entries: string[], eol: string, unit: string): string {
  const inner = text.slice(span.open + 1, span.close);
  const closeIndent = lineIndentAt(text, span.close);
  if (inner.trim() === '') {
    const entryIndent = closeIndent + unit;
    return text.slice(0, span.open + 1) + eol + entries.map((e) => entryIndent + e).join(',' + eol) + eol + closeIndent + text.slice(span.close);
  }
  let lastContent = span.close - 1;
  while (/\s/.test(text[lastContent])) lastContent--;
  const multiline = /\r?\n/.test(inner);
  const firstEntry = /\r?\n([ \t]*)\S/.exec(inner);
  const entryIndent = firstEntry ? firstEntry[1] : closeIndent + unit;
  const added = multiline ? entries.map((e) => ',' + eol + entryIndent + e).join('') : entries.map((e) => ', ' + e).join('');
  return text.slice(0, lastContent + 1) + added + text.slice(lastContent + 1);
}

/** Add npm scripts to a package.json text (existing names are never replaced), keeping its formatting. */
export function addPackageScripts(text: string, scripts: Record<string, string>): string | undefined {
  let pkg: Record<string, unknown>;
  try {
    const data: unknown = JSON.parse(text);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
    pkg = data as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const existing = pkg.scripts;
  if (existing !== undefined && (existing === null || typeof existing !== 'object' || Array.isArray(existing))) return undefined;
  const current = (existing ?? {}) as Record<string, unknown>;
  const names = Object.keys(scripts).filter((n) => !(n in current));
  if (names.length === 0) return undefined;
  const eol = eolOf(text);
  const unit = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const entries = names.map((n) => `${JSON.stringify(n)}: ${JSON.stringify(scripts[n])}`);
  const span = topLevelObjectSpan(text, 'scripts');
  let out: string;
  if (span === undefined) return undefined;
  if (span === 'absent') {
    const root = { open: text.indexOf('{'), close: text.lastIndexOf('}') };
    if (root.open < 0 || root.close < root.open) return undefined;
    const block = `"scripts": {${eol}${entries.map((e) => unit + unit + e).join(',' + eol)}${eol}${unit}}`;
    out = insertEntries(text, root, [block], eol, unit);
  } else out = insertEntries(text, span, entries, eol, unit);
  try {
    const expected = { ...pkg, scripts: { ...current, ...Object.fromEntries(names.map((n) => [n, scripts[n]])) } };
    if (!isDeepStrictEqual(sortKeys(JSON.parse(out)), sortKeys(expected))) return undefined;
  } catch {
    return undefined;
  }
  return out;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
