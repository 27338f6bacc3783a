/**
 * Facts: the small, serialisable per-file record every parser produces and every detector reads.
 * No AST survives its file; a cache stores these records keyed by content hash and tool version.
 * All paths are POSIX, relative to the audited root. All lines are 1-based.
 */

export type Language =
  | 'python'
  | 'typescript'
  | 'javascript'
  | 'notebook'
  | 'yaml'
  | 'toml'
  | 'json'
  | 'ini'
  | 'requirements'
  | 'dockerfile'
  | 'markdown'
  | 'text'
  | 'other';

/** Which parser produced the facts. 'fallback' = lexical scanner after the real parser failed. */
export type ParserKind = 'tree-sitter' | 'typescript' | 'fallback' | 'reader' | 'none';

export interface LineCounts {
  total: number;
  code: number;
  comment: number;
  blank: number;
}

export interface ImportFact {
  /**
   * Python: absolute dotted module (`torch.nn`; relative imports resolved against the file's package,
   * `from .models import X` in `pkg/train.py` -> `pkg.models`).
   * TS/JS: the specifier as written for packages (`@huggingface/transformers`, `node:fs`), and for
   * relative specifiers the repo-relative POSIX path without extension (`src/utils/seed`).
   */
  module: string;
  /** Imported names (`from x import a, b` -> ['a','b']; TS named/default imports; '*' for star). */
  names: string[];
  line: number;
  kind: 'import' | 'from' | 'require' | 'dynamic' | 'export-from';
  /** True when the specifier was relative in the source. */
  relative?: boolean;
  /** TS `import type`. */
  typeOnly?: boolean;
}

export type DefinitionKind = 'function' | 'method' | 'class' | 'interface' | 'type' | 'enum' | 'variable';

export interface DefinitionFact {
  name: string;
  /** Dotted qualified name within the file: `Trainer.fit`, `build.inner`. */
  qualName: string;
  kind: DefinitionKind;
  line: number;
  endLine: number;
  /** Base classes / extends / implements, resolved through import aliases where possible (`torch.nn.Module`). */
  bases: string[];
  /** Decorators resolved like calls, without `@` and arguments (`hydra.main`, `abc.abstractmethod`, `torch.no_grad`). */
  decorators: string[];
  /** Body (ignoring docstring/comments) is only pass / ... / raise NotImplementedError / empty / throw not-implemented. */
  stub: boolean;
  stubKind?: 'pass' | 'ellipsis' | 'not_implemented' | 'empty_body' | 'throw_not_implemented';
  /** Constructor whose body only stores arguments on self/this (and calls super). */
  trivialInit?: boolean;
  /** Abstract: @abstractmethod / TS `abstract` / JSDoc @abstract. */
  abstract?: boolean;
  /** Python docstring, or a JSDoc block immediately before a TS/JS declaration. */
  docstring: boolean;
  /** Python: top-level and name not starting with '_'. TS/JS: exported. */
  exported: boolean;
  /** qualName of the enclosing definition (class for methods), '' at module level. */
  parent: string;
  async?: boolean;
}

export interface CallFact {
  /**
   * Dotted callee resolved through import aliases: `import torch.nn as nn; nn.utils.clip_grad_norm_(...)`
   * -> `torch.nn.utils.clip_grad_norm_`. A call inside the chain is written `()`:
   * `AutoModel.from_pretrained(x).to(d)` -> `transformers.AutoModel.from_pretrained().to`.
   * Receivers that are not names (subscripts, literals) become `?` (`x[0].backward` -> `?.backward`).
   */
  callee: string;
  line: number;
  /** Positional arguments as short source text (each at most 120 chars). */
  args: string[];
  /** Keyword arguments (TS: properties of a trailing object literal argument) -> short source text of the value. */
  kwargs: Record<string, string>;
  /** qualName of the enclosing function/method/class ('' = module top level). */
  scope: string;
}

export interface AssignmentFact {
  /** Dotted target text; subscripts with a literal written as `os.environ[WANDB_MODE]`. Resolved through aliases. */
  target: string;
  line: number;
  /** Short source text of the value (at most 120 chars). */
  value: string;
  /** Coarse kind of the value, cheap to compute. */
  valueKind: 'dict' | 'list' | 'call' | 'string' | 'number' | 'bool' | 'none' | 'name' | 'other';
  scope: string;
}

export interface NameFact {
  /** An identifier or attribute name used in code (not in strings or comments). First occurrence line. */
  name: string;
  line: number;
  scope: string;
}

export type MarkerKind = 'TODO' | 'FIXME' | 'TBD' | 'XXX' | 'HACK';

export interface MarkerFact {
  kind: MarkerKind;
  line: number;
  /** The comment text after the marker, trimmed, at most 160 chars. */
  text: string;
}

export interface ConfigKeyFact {
  /** Flattened key path: `training.optimizer.lr`; array items as `[]` (`defaults.[]`). TOML tables, INI `section.key`. */
  key: string;
  line: number;
  /** Scalar value as short text (at most 120 chars), when the value is a scalar. */
  value?: string;
}

export interface HeadingFact {
  level: number;
  text: string;
  line: number;
}

export interface RequirementFact {
  name: string;
  /** Version specifier as written (`==1.2.3`, `>=2`), '' when none. */
  spec: string;
  /** `==`/`===` exact pin or `--hash` present. */
  pinned: boolean;
  line: number;
}

/** A suppression comment: `codex-audit: ignore[ID] reason`. */
export interface SuppressionFact {
  id: string;
  line: number;
  reason: string;
}

export interface NotebookCell {
  index: number;
  /** Line in the .ipynb file where this cell's source starts. */
  startLine: number;
}

/** A problem met while scanning one file; becomes an Error Capture Block. */
export interface ScanIssue {
  /** `STEP_1:REPO_TRAVERSAL`, `STEP_2:PARSE`, `STEP_3:FACTS`, ... */
  step: string;
  path: string;
  message: string;
  /** Short context sentence (what was being done). */
  context?: string;
}

export interface FileFacts {
  path: string;
  language: Language;
  size: number;
  /** sha256 hex of the raw bytes. */
  hash: string;
  parser: ParserKind;
  lines: LineCounts;
  imports: ImportFact[];
  definitions: DefinitionFact[];
  calls: CallFact[];
  assignments: AssignmentFact[];
  names: NameFact[];
  markers: MarkerFact[];
  configKeys: ConfigKeyFact[];
  headings: HeadingFact[];
  requirements: RequirementFact[];
  suppressions: SuppressionFact[];
  /** Notebooks only. */
  cells?: NotebookCell[];
  /** Markdown only: fenced code block languages with their line (`mermaid`). */
  codeBlocks?: { lang: string; line: number }[];
  /**
   * Matches of the registry's last-resort text patterns (TextSignal regexes), computed at parse time so
   * detectors never need file text. `pattern` is the regex source as declared.
   */
  textMatches?: { pattern: string; line: number; excerpt: string }[];
  issues: ScanIssue[];
}

export function emptyFacts(path: string, language: Language, size: number, hash: string): FileFacts {
  return {
    path,
    language,
    size,
    hash,
    parser: 'none',
    lines: { total: 0, code: 0, comment: 0, blank: 0 },
    imports: [],
    definitions: [],
    calls: [],
    assignments: [],
    names: [],
    markers: [],
    configKeys: [],
    headings: [],
    requirements: [],
    suppressions: [],
    issues: [],
  };
}
