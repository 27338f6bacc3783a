/**
 * A small glob-to-RegExp compiler for signal `files`/`paths`/`notPaths` (src/model/capability.ts).
 * Detectors match globs against POSIX paths relative to the root; they never touch the disk, so this
 * is string matching only. Kept in-house rather than importing picomatch: that package is only a
 * transitive dependency here (no types, no guaranteed hoisting).
 *
 * Syntax (the fast-glob/micromatch subset the registry uses):
 * - `*` any run of characters except `/`; `?` one character except `/`;
 * - `**` as a whole segment: any number of segments (`**` alone, `a/**`, `**` + `/b`, `a/**` + `/b`);
 * - `{a,b}` alternatives (nestable, each alternative is itself a glob); `[abc]`, `[a-z]`, `[!x]` classes;
 * - `\x` a literal `x`; a leading `./` is ignored.
 * - A pattern without `/` matches the base name at any depth (`*.py`, `README*`, `Dockerfile`).
 * - A pattern ending in `/` matches every file under such a folder: `examples/` is any file below a
 *   folder named `examples` at any depth; `docs/api/` is any file below `docs/api` at the root.
 * Matching is case-insensitive (`Dockerfile`/`dockerfile`, `README.md`/`Readme.md`) and dot-files are
 * matched by wildcards like any other name. Wildcards never match a newline, so a compiled glob can
 * scan many paths joined by newlines in one pass (RepoIndex key tables).
 */

const cache = new Map<string, RegExp>();

/** The RegExp source for one glob (see the module comment for the syntax). */
export function globToRegExpSource(glob: string): string {
  let g = glob.trim();
  while (g.startsWith('./')) g = g.slice(2);
  let dirOnly = false;
  if (g.length > 1 && g.endsWith('/')) {
    dirOnly = true;
    g = g.replace(/\/+$/, '');
  }
  const anywhere = !g.includes('/');
  const body = translate(g);
  return (anywhere ? '(?:^|/)' : '^') + body + (dirOnly ? '/' : '$');
}

/** Compile a glob once (cached by pattern text); the RegExp is case-insensitive and stateless (no `g`). */
export function compileGlob(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    re = new RegExp(globToRegExpSource(glob), 'i');
    cache.set(glob, re);
  }
  return re;
}

/** True when `path` (POSIX, relative to the root) matches `glob`. */
export function matchGlob(glob: string, path: string): boolean {
  return compileGlob(glob).test(path);
}

/** A predicate true when the path matches any of the globs (false for an empty list). */
export function compileGlobList(globs: readonly string[]): (path: string) => boolean {
  const res = globs.map(compileGlob);
  return (path) => res.some((re) => re.test(path));
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/;

function escapeChar(c: string): string {
  return REGEX_SPECIAL.test(c) ? '\\' + c : c;
}

function translate(g: string): string {
  let out = '';
  let i = 0;
  while (i < g.length) {
    const c = g[i];
    if (c === '\\' && i + 1 < g.length) {
      out += escapeChar(g[i + 1]);
      i += 2;
    } else if (c === '*') {
      let j = i;
      while (j < g.length && g[j] === '*') j++;
      const stars = j - i;
      const atSegmentStart = i === 0 || g[i - 1] === '/';
      const atSegmentEnd = j === g.length || g[j] === '/';
      if (stars >= 2 && atSegmentStart && atSegmentEnd) {
        if (j === g.length) {
          out += '.*';
        } else {
          // `**/`: zero or more whole segments, each followed by `/`.
          out += '(?:[^/\n]*/)*';
          j++;
        }
      } else {
        out += '[^/\n]*';
      }
      i = j;
    } else if (c === '?') {
      out += '[^/\n]';
      i++;
    } else if (c === '[') {
      const close = classEnd(g, i);
      if (close < 0) {
        out += '\\[';
        i++;
      } else {
        let body = g.slice(i + 1, close);
        let negate = false;
        if (body.startsWith('!') || body.startsWith('^')) {
          negate = true;
          body = body.slice(1);
        }
        const safe = body.replace(/\\/g, '\\\\').replace(/\[/g, '\\[');
        out += negate ? `[^/\n${safe}]` : `[${safe}]`;
        i = close + 1;
      }
    } else if (c === '{') {
      const close = braceEnd(g, i);
      const alts = close < 0 ? [] : splitTopLevel(g.slice(i + 1, close));
      if (alts.length < 2) {
        out += '\\{';
        i++;
      } else {
        out += '(?:' + alts.map(translate).join('|') + ')';
        i = close + 1;
      }
    } else {
      out += escapeChar(c);
      i++;
    }
  }
  return out;
}

function classEnd(g: string, start: number): number {
  let i = start + 1;
  if (g[i] === '!' || g[i] === '^') i++;
  if (g[i] === ']') i++;
  for (; i < g.length; i++) {
    if (g[i] === '\\') i++;
    else if (g[i] === ']') return i;
  }
  return -1;
}

function braceEnd(g: string, start: number): number {
  let depth = 0;
  for (let i = start; i < g.length; i++) {
    const c = g[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}
