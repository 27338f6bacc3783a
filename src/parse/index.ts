import type { FileFacts, Language } from '../facts/types.js';

/**
 * Parser dispatch: path -> language -> parser. Each parser fills `facts` in place and never throws:
 * a file that does not parse degrades to the lexical fallback and records a ScanIssue.
 *
 * Contract for parser modules (one per language, in this folder):
 *   python.ts      initPython(): Promise<void>; parsePython(text, facts, opts?: { forceFallback?: boolean }): void
 *   typescript.ts  parseTypeScript(text, facts, opts?: { forceFallback?: boolean }): void
 *   notebook.ts    parseNotebook(text, facts): void
 *   yaml.ts toml.ts json.ts ini.ts requirements.ts dockerfile.ts markdown.ts: parseX(text, facts): void
 */

const EXT_LANG: Record<string, Language> = {
  '.py': 'python',
  '.pyi': 'python',
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.ipynb': 'notebook',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.toml': 'toml',
  '.json': 'json',
  '.jsonc': 'json',
  '.json5': 'json',
  '.ini': 'ini',
  '.cfg': 'ini',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.rst': 'text',
  '.txt': 'text',
};

export function languageOf(path: string): Language {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (/^requirements.*\.(txt|in)$/.test(lower) || /(^|\/)requirements\/.*\.(txt|in)$/.test(path.toLowerCase()))
    return 'requirements';
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile') || lower === 'containerfile')
    return 'dockerfile';
  if (lower === '.coveragerc' || lower === '.flake8' || lower === '.pylintrc' || lower === 'pylintrc') return 'ini';
  if (lower === 'pipfile') return 'toml';
  const dot = lower.lastIndexOf('.');
  if (dot <= 0 && !lower.startsWith('.')) return 'other';
  const ext = dot >= 0 ? lower.slice(dot) : '';
  return EXT_LANG[ext] ?? 'other';
}

import { parsePython } from './python.js';
import { scanTypeScriptFallback } from './ts-fallback.js';

// TypeScript's compiler takes most of a second to load, so its parser is loaded on first need (a Python
// repository never pays for it, nor does the main thread when workers parse).
type TsParserModule = typeof import('./typescript.js');
let tsParser: TsParserModule | undefined;
let tsLoading: Promise<void> | undefined;
/** Why the TS/JS parser could not load, once an attempt failed (TS/JS files then get the fallback). */
let tsLoadError: string | undefined;

/**
 * Load the TS/JS parser (TypeScript's compiler); idempotent. Call before parsing TS/JS sources. Never
 * rejects: a failure is remembered, and TS/JS files then get the lexical fallback with an issue naming it.
 */
export function loadTypeScriptParser(): Promise<void> {
  tsLoading ??= import('./typescript.js').then(
    (m) => {
      tsParser = m;
    },
    (e: unknown) => {
      tsLoadError = e instanceof Error ? e.message.split('\n')[0].slice(0, 200) : String(e);
    },
  );
  return tsLoading;
}

/** Whether parsing `language` needs loadTypeScriptParser() first (not loaded, and no attempt failed). */
export function needsTypeScriptParser(language: Language): boolean {
  return (language === 'typescript' || language === 'javascript') && tsParser === undefined && tsLoadError === undefined;
}
import { parseNotebook } from './notebook.js';
import { parseYaml } from './yaml.js';
import { parseToml } from './toml.js';
import { parseJson } from './json.js';
import { parseIni } from './ini.js';
import { parseRequirements } from './requirements.js';
import { parseDockerfile } from './dockerfile.js';
import { parseMarkdown } from './markdown.js';
import { parseText } from './text.js';
import { countLines, shortText } from './comments.js';

export interface ParseOptions {
  /** Force the lexical fallback for Python and TS/JS (tests, and a grammar that cannot load). */
  forceFallback?: boolean;
  /** Last-resort text patterns to evaluate while the text is in hand (compiled regexes, keyed by source). */
  textPatterns?: { source: string; re: RegExp }[];
}

const MAKE_TARGET_RE = /^([A-Za-z0-9_.\-/]+)\s*:(?!=)/;

/** Fill `facts` from `text` with the parser for `facts.language`. Never throws. */
export function parseSource(text: string, facts: FileFacts, opts: ParseOptions = {}): void {
  try {
    switch (facts.language) {
      case 'python':
        parsePython(text, facts, { forceFallback: opts.forceFallback });
        break;
      case 'typescript':
      case 'javascript':
        if (tsParser) tsParser.parseTypeScript(text, facts, { forceFallback: opts.forceFallback });
        // Never silently: a caller that skipped loadTypeScriptParser() gets fallback facts and an issue.
        else {
          const why = tsLoadError ? `TypeScript parser could not load (${tsLoadError})` : 'TypeScript parser not loaded (loadTypeScriptParser() was not awaited)';
          scanTypeScriptFallback(text, facts, why);
        }
        break;
      case 'notebook':
        parseNotebook(text, facts);
        break;
      case 'yaml':
        parseYaml(text, facts);
        break;
      case 'toml':
        parseToml(text, facts);
        break;
      case 'json':
        parseJson(text, facts);
        break;
      case 'ini':
        parseIni(text, facts);
        break;
      case 'requirements':
        parseRequirements(text, facts);
        break;
      case 'dockerfile':
        parseDockerfile(text, facts);
        break;
      case 'markdown':
        parseMarkdown(text, facts);
        break;
      case 'text':
        parseText(text, facts);
        break;
      default:
        parseOther(text, facts);
    }
  } catch (e) {
    // A parser bug must never abort the audit: keep the file with line counts and report it.
    facts.parser = 'fallback';
    facts.lines = countLines(text, 'none');
    facts.issues.push({
      step: 'STEP_2:PARSE',
      path: facts.path,
      message: `Parser failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`,
      context: `Parsing ${facts.language} source; facts for this file are incomplete.`,
    });
  }
  if (opts.textPatterns && opts.textPatterns.length > 0) scanTextPatterns(text, facts, opts.textPatterns);
}

/** Files without a parser: line counts; Makefile/justfile targets become config keys (`target:test`). */
function parseOther(text: string, facts: FileFacts): void {
  const base = facts.path.slice(facts.path.lastIndexOf('/') + 1).toLowerCase();
  const isMake = base === 'makefile' || base === 'gnumakefile' || base.endsWith('.mk') || base === 'justfile';
  facts.parser = 'reader';
  facts.lines = countLines(text, isMake || base.endsWith('.sh') ? 'hash' : 'none');
  if (!isMake) return;
  let line = 0;
  for (const raw of text.split(/\r?\n/)) {
    line++;
    if (raw.length > 2000 || raw.startsWith('\t') || raw.startsWith(' ')) continue;
    const m = MAKE_TARGET_RE.exec(raw);
    if (m && !m[1].startsWith('.')) facts.configKeys.push({ key: `target:${m[1]}`, line });
  }
}

function scanTextPatterns(text: string, facts: FileFacts, patterns: { source: string; re: RegExp }[]): void {
  const matches: { pattern: string; line: number; excerpt: string }[] = [];
  for (const { source, re } of patterns) {
    re.lastIndex = 0;
    const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
    let count = 0;
    for (const m of text.matchAll(global)) {
      const idx = m.index ?? 0;
      let line = 1;
      for (let i = text.indexOf('\n'); i !== -1 && i < idx; i = text.indexOf('\n', i + 1)) line++;
      matches.push({ pattern: source, line, excerpt: shortText(m[0], 160) });
      if (++count >= 20) break;
      if (m[0].length === 0) break;
    }
  }
  if (matches.length > 0) facts.textMatches = matches.sort((a, b) => a.line - b.line || a.pattern.localeCompare(b.pattern));
}
