/**
 * Property-based tests (fast-check) on the parse layer, the fact extractors and the Markdown escaping:
 * whatever the input (random bytes, random mutations of real Python/TS snippets, hostile alphabets),
 * parsers never throw and always return well-formed facts, and escaped text never breaks a table or
 * carries raw HTML or link syntax.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyFacts, type FileFacts, type Language } from '../src/facts/types.js';
import { factsFromBytes } from '../src/facts/collect.js';
import { decodeText } from '../src/walk/decode.js';
import { languageOf, parseSource } from '../src/parse/index.js';
import { initPython, parsePython } from '../src/parse/python.js';
import { parseTypeScript } from '../src/parse/typescript.js';
import { parseNotebook } from '../src/parse/notebook.js';
import { parseYaml } from '../src/parse/yaml.js';
import { parseToml } from '../src/parse/toml.js';
import { parseJson } from '../src/parse/json.js';
import { parseIni } from '../src/parse/ini.js';
import { parseRequirements } from '../src/parse/requirements.js';
import { parseDockerfile } from '../src/parse/dockerfile.js';
import { parseMarkdown } from '../src/parse/markdown.js';
import { parseText } from '../src/parse/text.js';
import { buildRepoIndex } from '../src/facts/index.js';
import { escapeCell, escapeInline, proseCell, proseInline, wellFormed } from '../src/report/escape.js';
import { linkProblems, RAW_HTML_RE, tableCells } from './hostile/run.js';

/** Runs per property; raise with CXA_FUZZ_RUNS for a soak (e.g. CXA_FUZZ_RUNS=20000). */
const RUNS = Number(process.env.CXA_FUZZ_RUNS) || 300;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** An upper bound of the line count any parser may see (every line terminator of Python, JS and Unicode). */
const maxLines = (text: string): number => 1 + (text.match(/\r\n|[\n\r\u2028\u2029\u0085\v\f\x1c-\x1e]/g)?.length ?? 0);

const ARRAYS = ['imports', 'definitions', 'calls', 'assignments', 'names', 'markers', 'configKeys', 'headings', 'requirements', 'suppressions', 'issues'] as const;

/** Every way facts can be malformed, as a list of messages (empty: well-formed). */
function problems(facts: FileFacts, text: string): string[] {
  const out: string[] = [];
  const limit = maxLines(text);
  for (const k of ARRAYS) if (!Array.isArray(facts[k])) out.push(`${k} is not an array`);
  if (out.length > 0) return out;
  const line = (where: string, n: unknown): void => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > limit) out.push(`${where}: line ${String(n)} outside 1..${limit}`);
  };
  for (const x of facts.imports) line('import', x.line);
  for (const x of facts.definitions) {
    line(`definition ${x.qualName}`, x.line);
    line(`definition ${x.qualName} end`, x.endLine);
    if (x.endLine < x.line) out.push(`definition ${x.qualName} ends (${x.endLine}) before it starts (${x.line})`);
    if (!Array.isArray(x.bases) || !Array.isArray(x.decorators)) out.push(`definition ${x.qualName}: bases/decorators not arrays`);
  }
  for (const x of facts.calls) {
    line(`call ${x.callee}`, x.line);
    if (!Array.isArray(x.args) || typeof x.kwargs !== 'object' || x.kwargs === null) out.push(`call ${x.callee}: args/kwargs malformed`);
  }
  for (const x of facts.assignments) line(`assignment ${x.target}`, x.line);
  for (const x of facts.names) line(`name ${x.name}`, x.line);
  for (const x of facts.markers) line(`marker ${x.kind}`, x.line);
  for (const x of facts.configKeys) line(`config key ${x.key.slice(0, 40)}`, x.line);
  for (const x of facts.headings) line(`heading ${x.text.slice(0, 40)}`, x.line);
  for (const x of facts.requirements) line(`requirement ${x.name}`, x.line);
  for (const x of facts.suppressions) line(`suppression ${x.id}`, x.line);
  for (const x of facts.cells ?? []) line(`cell ${x.index}`, x.startLine);
  for (const x of facts.codeBlocks ?? []) line(`code block ${x.lang}`, x.line);
  for (const x of facts.textMatches ?? []) line(`text match ${x.pattern}`, x.line);
  const lc = facts.lines;
  if (![lc.total, lc.code, lc.comment, lc.blank].every((n) => Number.isInteger(n) && n >= 0)) out.push(`line counts malformed: ${JSON.stringify(lc)}`);
  // (A notebook counts the lines of its cells, not of its JSON.)
  if (facts.language !== 'notebook' && lc.total > limit) out.push(`line count ${lc.total} > ${limit}`);
  for (const i of facts.issues) if (i.path !== facts.path || typeof i.message !== 'string' || typeof i.step !== 'string') out.push(`issue malformed: ${JSON.stringify(i)}`);
  // Every string is well-formed UTF-16 (reports are UTF-8), and the record survives structured cloning.
  const walk = (v: unknown, at: string): void => {
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) out.push(`lone surrogate in ${at}: ${JSON.stringify(v.slice(0, 60))}`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
  };
  walk(facts, 'facts');
  try {
    structuredClone(facts);
  } catch (e) {
    out.push(`not cloneable: ${String(e)}`);
  }
  return out;
}

type Parser = (text: string, facts: FileFacts) => void;
const PARSERS: [Language, string, Parser][] = [
  ['python', 'm.py', (t, f) => parsePython(t, f)],
  ['python', 'fallback.py', (t, f) => parsePython(t, f, { forceFallback: true })],
  ['typescript', 'm.ts', (t, f) => parseTypeScript(t, f)],
  ['typescript', 'fallback.tsx', (t, f) => parseTypeScript(t, f, { forceFallback: true })],
  ['notebook', 'n.ipynb', parseNotebook],
  ['yaml', 'c.yaml', parseYaml],
  ['toml', 'pyproject.toml', parseToml],
  ['json', 'package.json', parseJson],
  ['ini', 'setup.cfg', parseIni],
  ['requirements', 'requirements.txt', parseRequirements],
  ['dockerfile', 'Dockerfile', parseDockerfile],
  ['markdown', 'README.md', parseMarkdown],
  ['text', 'notes.txt', parseText],
];

/** Run one parser directly; a throw is a failure (each parser promises not to throw on any text). */
function parseWith(parser: Parser, lang: Language, path: string, text: string): FileFacts {
  const facts = emptyFacts(path, lang, text.length, 'h');
  parser(text, facts);
  return facts;
}

const PY_SNIPPETS = [
  'import torch\nimport torch.nn as nn\nfrom .models import Net, build  # TODO: lazy\n\n\nclass Trainer(nn.Module):\n    """Train."""\n\n    def __init__(self, model, lr=1e-3):\n        super().__init__()\n        self.model = model\n\n    @torch.no_grad()\n    def evaluate(self, loader):\n        raise NotImplementedError\n\n    async def fit(self, data, *, epochs: int = 3) -> None:\n        for x in data:\n            loss = self.model(x)\n            loss.backward()\n            nn.utils.clip_grad_norm_(self.model.parameters(), max_norm=1.0)\n',
  'def f(a, b=[1, {"k": (2, 3)}], *args, **kw):\n    x = f"{a!r:>{b}} {kw[\'x\']}"\n    y = lambda q: q if q else None\n    return [i ** 2 for i in range(10) if i % 2]\n\n\nif __name__ == "__main__":\n    f(1)  # FIXME: args\n',
  '@dataclass(frozen=True)\nclass Cfg:\n    lr: float = 0.1\n    name: str = "x"\n\n\nmatch cmd:\n    case {"a": [1, *rest]}:\n        pass\n    case _:\n        ...\n',
  'x = """multi\nline # not a comment\n"""\ntry:\n    import yaml\nexcept ImportError:  # codex-audit: ignore[risk.x] reason\n    yaml = None\nwith open("f") as fh, open("g") as gh:\n    data = yaml.safe_load(fh)\n',
];
const TS_SNIPPETS = [
  "import { readFileSync } from 'node:fs';\nimport type { Cfg } from './cfg.js';\nexport abstract class Base<T extends object = {}> implements Cfg {\n  /** doc */\n  abstract run(x: T): Promise<void>;\n  constructor(private readonly a: number) { super(); }\n}\nexport const f = async (x: number): Promise<string> => { throw new Error('not implemented'); };\n// TODO: more\n",
  "const re = /a[/]b\\/c/gi; const t = `x ${`y ${1 + 2}`} z`;\nfunction g<T,>(a?: T, ...r: unknown[]): a is T { return a! as any satisfies unknown; }\nexport default { key: [1, 2, { deep: { deeper: null } }] };\nconst el = <div className=\"x\">{items.map((i) => <Item key={i} />)}</div>;\n",
  "enum E { A = 1, B = A << 2 }\nnamespace N { export declare function h(): void; }\nlet x: { [k: string]: number } = {};\nrequire('child_process').exec(cmd);\nimport('./lazy').then((m) => m.default);\n",
];
const HOSTILE = ['(', ')', '[', ']', '{', '}', '"', "'", '`', '"""', "'''", '\\', '#', '//', '/*', '*/', '\n', '\r', '\r\n', '\t', ' ', ':', ';', ',', '=', '<', '>', '@', '$', '${', '\u0000', '\u2028', '\ufeff', '😀', '\u202e', 'def ', 'class ', 'import ', 'from ', 'async ', 'lambda', 'TODO', 'FIXME: x', '---\n', '[[', ']]', '&a', '*a', '<<: ', 'key: ', '- ', '"\\ud800"', '\\udfff', '"\\ud83d\\ude00": ', '\\u0000', '\\x00', '\\N{DASH}'];

const textArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.array(fc.constantFrom(...HOSTILE), { maxLength: 80 }).map((a) => a.join('')),
  fc.uint8Array({ maxLength: 400 }).map((b) => decodeText(b).text),
);

/** A real snippet with random edits: insert hostile fragments, delete or duplicate slices, cut. */
function mutated(snippets: string[]): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom('insert', 'delete', 'dup', 'cut'), fc.constantFrom(...HOSTILE));
  return fc.tuple(fc.constantFrom(...snippets), fc.array(edit, { minLength: 1, maxLength: 8 })).map(([s, edits]) => {
    let t = s;
    for (const [pos, len, op, frag] of edits) {
      const p = t.length === 0 ? 0 : pos % (t.length + 1);
      if (op === 'insert') t = t.slice(0, p) + frag.repeat(1 + (len % 4)) + t.slice(p);
      else if (op === 'delete') t = t.slice(0, p) + t.slice(p + len);
      else if (op === 'dup') t = t.slice(0, p + len) + t.slice(p, p + len) + t.slice(p + len);
      else t = t.slice(0, p);
    }
    // Edits may split a surrogate pair; decoded text never holds a lone surrogate (the decoder replaces them).
    return wellFormed(t);
  });
}

beforeAll(async () => {
  await initPython();
});

describe('parse layer: never throws, always well-formed facts', () => {
  it('parseSource on random bytes (decoded as the walker decodes them) under every language', () => {
    const pathArb = fc.constantFrom(...PARSERS.map(([, p]) => p), 'Makefile', 'x.unknown', 'requirements-dev.in', 'a.jsonc', 'b.mjs');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), pathArb, (bytes, path) => {
        const out = factsFromBytes(path, bytes);
        if (out.kind !== 'facts') return;
        const text = decodeText(bytes).text;
        expect(problems(out.facts, text)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('each parser directly on hostile text', () => {
    fc.assert(
      fc.property(textArb, fc.constantFrom(...PARSERS), (text, [lang, path, parser]) => {
        const facts = parseWith(parser, lang, path, text);
        expect(problems(facts, text)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('Python parsers (tree-sitter and fallback) on mutated real snippets', () => {
    fc.assert(
      fc.property(mutated(PY_SNIPPETS), fc.boolean(), (text, fallback) => {
        const facts = parseWith((t, f) => parsePython(t, f, { forceFallback: fallback }), 'python', 'pkg/train.py', text);
        expect(problems(facts, text)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('TS/JS parsers (the TypeScript parser and the fallback) on mutated real snippets', () => {
    fc.assert(
      fc.property(mutated(TS_SNIPPETS), fc.boolean(), fc.constantFrom('src/a.ts', 'src/b.tsx', 'src/c.js', 'src/d.mjs'), (text, fallback, path) => {
        const facts = parseWith((t, f) => parseTypeScript(t, f, { forceFallback: fallback }), languageOf(path), path, text);
        expect(problems(facts, text)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('parseSource on mutated snippets embedded in notebooks, YAML and JSON', () => {
    const wrap = fc.constantFrom(
      (s: string) => ['n.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', source: s.split(/(?<=\n)/) }, { cell_type: 'markdown', source: s }] })] as const,
      (s: string) => ['c.yaml', `a:\n  b: ${JSON.stringify(s)}\n  c: |\n    ${s.replace(/\n/g, '\n    ')}\n`] as const,
      (s: string) => ['d.json', JSON.stringify({ k: s, [s]: [s, { s }] })] as const,
    );
    fc.assert(
      fc.property(mutated([...PY_SNIPPETS, ...TS_SNIPPETS]), wrap, (snippet, w) => {
        const [path, text] = w(snippet);
        const facts = emptyFacts(path, languageOf(path), text.length, 'h');
        parseSource(text, facts);
        expect(problems(facts, text)).toEqual([]);
      }),
      { numRuns: Math.max(200, Math.round(RUNS / 2)) },
    );
  });
});

describe('fact extractors', () => {
  it('RepoIndex.enclosingDefinition finds the innermost function, method or class holding a line', () => {
    const def = fc.record({ line: fc.integer({ min: 1, max: 40 }), len: fc.nat({ max: 20 }), kind: fc.constantFrom('function', 'method', 'class', 'variable'), name: fc.constantFrom('a', 'b', 'ab', 'abc') });
    fc.assert(
      fc.property(fc.array(def, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 70 }), { maxLength: 12 }), (ds, lines) => {
        const facts = emptyFacts('m.py', 'python', 0, 'h');
        facts.definitions = ds.map((d) => ({
          name: d.name,
          qualName: d.name,
          kind: d.kind as 'function',
          line: d.line,
          endLine: d.line + d.len,
          bases: [],
          decorators: [],
          stub: false,
          docstring: false,
          exported: true,
          parent: '',
        }));
        const index = buildRepoIndex([facts]);
        for (const l of lines) {
          const holding = facts.definitions.filter((d) => d.kind !== 'variable' && d.line <= l && l <= d.endLine);
          const got = index.enclosingDefinition('m.py', l);
          if (holding.length === 0) expect(got).toBeUndefined();
          else {
            // One of the holders, and none of them starts later (ties between same-line holders are free).
            expect(holding).toContain(got);
            expect(Math.max(...holding.map((d) => d.line))).toBe(got?.line);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(fc.constantFrom('|', '\\', '\\|', '<', '>', '&', '](', '[', ']', '(', ')', 'javascript:', 'http://', 'www.', '@', 'a', ' ', '`', '``', '\n', '\r', '\t', '<script>', '<!--', '<?', '<a href=x>', '!', '*', '_', '~', '#', '\u202e', '\u0000', '\u0085', '\ud800', '\udc00', '😀', '&lt;', '&#60;', ':', '/', '.', 'e.example'), { maxLength: 30 }).map((a) => a.join('')),
);

/** A row with the escaped text in two cells, as the report templates lay it out. */
function checkCell(cell: string): string[] {
  const out: string[] = [];
  const row = `| ${cell} | ${cell} | end |`;
  const cells = tableCells(row);
  if (cells.length !== 3) out.push(`row splits into ${cells.length} cells: ${JSON.stringify(row)}`);
  if (/[\r\n\u2028\u2029\u0085]/.test(cell)) out.push(`line break in ${JSON.stringify(cell)}`);
  if (cell.trim() === '') out.push('empty cell');
  if (LONE_SURROGATE.test(cell)) out.push(`lone surrogate in ${JSON.stringify(cell)}`);
  // Code spans show their text literally: strip them (as a renderer would) before looking for HTML.
  const html = RAW_HTML_RE.exec(withoutCodeSpans(cell))?.[0];
  if (html) out.push(`raw HTML ${html} in ${JSON.stringify(cell)}`);
  out.push(...linkProblems(withoutCodeSpans(cell)).map((p) => `${p} in ${JSON.stringify(cell)}`));
  return out;
}

/**
 * Remove code spans as CommonMark finds them: a backtick run opens a span closed by the next run of the
 * same length; a run without a match, or a backslash-escaped backtick outside a span, is literal text.
 */
export function withoutCodeSpans(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      out += c + s[i + 1];
      i += 2;
      continue;
    }
    if (c !== '`') {
      out += c;
      i++;
      continue;
    }
    let n = 0;
    while (s[i + n] === '`') n++;
    let j = i + n;
    let close = -1;
    while (j < s.length) {
      if (s[j] !== '`') {
        j++;
        continue;
      }
      let m = 0;
      while (s[j + m] === '`') m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      out += '`'.repeat(n);
      i += n;
    } else {
      out += '``';
      i = close + n;
    }
  }
  return out;
}

describe('Markdown escaping', () => {
  it('escapeCell: no table break, no raw HTML, no link syntax, for any string', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        expect(checkCell(escapeCell(s))).toEqual([]);
        // escapeInline leaves nothing a code span could hide: no unescaped backtick at all.
        expect(escapeInline(s)).not.toMatch(/(?<!\\)(?:\\\\)*`/);
      }),
      { numRuns: Math.max(500, RUNS) },
    );
  });

  it('proseCell: no table break, no raw HTML, no link syntax outside code spans, for any string', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        expect(checkCell(proseCell(s))).toEqual([]);
        expect(proseInline(s)).not.toMatch(/[\r\n]/);
      }),
      { numRuns: Math.max(500, RUNS) },
    );
  });
});
