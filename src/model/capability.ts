import type { DefinitionKind, Language } from '../facts/types.js';

/**
 * Capability definitions: metadata, sub-features and signals as data (CAPABILITIES.md).
 * Every signal is JSON-expressible so that a config file can add signals or whole custom capabilities.
 *
 * Matching conventions (implemented once, in src/model/signals.ts):
 * - Dotted patterns (`call`, `import`, `bases`, `decorators`, `assign`) match on whole dotted segments:
 *   the pattern equals the value or is a segment suffix of it for calls/bases/decorators/assign
 *   (`clip_grad_norm_` matches `torch.nn.utils.clip_grad_norm_`), and a segment prefix for imports
 *   (`torch` matches `torch.nn` but never `torchmetrics`). Inside a segment `*` matches any run of
 *   characters except `.`; a whole segment `**` matches any number of segments.
 * - `name`, `text`, `heading`, `configKey`, `def`, `receiver`, `value` fields are regular expressions,
 *   compiled case-insensitively.
 * - `files`/`paths`/`notPaths` are globs over POSIX paths relative to the root (fast-glob/micromatch
 *   syntax; a pattern without `/` matches the base name at any depth).
 *
 * Details of those conventions (added with the matcher, src/model/signals.ts; src/model/glob.ts):
 * - Regular expressions are searched, not anchored: write `^...$` for a whole name. Dotted patterns
 *   are case-sensitive; a `()` call marker inside a callee chain is ignored when comparing segments
 *   (`from_pretrained.to` matches `transformers.AutoModel.from_pretrained().to`); generic parameters of
 *   bases are ignored (`Protocol[T]` is `Protocol`). Assignment targets keep subscripts as the facts
 *   write them (`os.environ[WANDB_MODE]`; `environ[*]` matches any key).
 * - Imports: Python modules split on `.`, TS/JS specifiers on `/` (`node:` ignored). A Python
 *   from-import also matches as `module.name` (`peft.LoraConfig` matches `from peft import LoraConfig`).
 *   TS `import type` never matches (no code runs).
 * - `receiver` is tested on the callee text before its last segment (`self.tokenizer` for
 *   `self.tokenizer.encode`; a literal receiver is `?`, so `"x".encode()` has receiver `?`).
 *   `kwValue`/`notKwValue`/`value` compare the value text with surrounding quotes stripped; `arg0`
 *   sees the argument text as written (quotes kept, so a literal and a variable can be told apart).
 * - `lang: ['python']` includes notebooks (their code cells are Python).
 * - Globs are matched case-insensitively, wildcards match dot-files, and a glob ending in `/` matches
 *   every file below such a folder (`examples/` at any depth).
 * - Which files count (applied to every kind, custom detectors included): vendored/generated files
 *   never; test files only for sub-features whose id ends in `.tests` (which count test files only)
 *   and for `ci_tests.*`; Markdown/prose files (`markdown`, `text`) only for `heading`, `file` and
 *   `custom` signals.
 * - `cooccur` with `within: 'scope'`: all inner signals match in one function, one class, or the
 *   module top level of one file. A scope holds what is nested in it (a class holds its methods, a
 *   function its inner functions); the top level ('') holds only top-level code. A definition belongs
 *   to the scope that declares it (`encode` and `decode` methods of `Tok` cooccur in `Tok`); facts
 *   without a scope (imports, text) take the innermost definition around their line; file-level facts
 *   (files, config keys, headings, requirements) are top level. Evidence: the first match of each
 *   inner signal in each satisfying scope (or file, with `within: 'file'`).
 * - `text` signals read the parse-time matches of their regex (`FileFacts.textMatches`, keyed by the
 *   regex source exactly as written), or a file text the pipeline supplies (`SignalContext.sourceText`).
 * - `custom` names a detector registered with `registerCustomSignal(name, fn)` (src/model/signals.ts);
 *   `fn(index, ctx)` returns Evidence[] or `{ evidence, note }` (the note, e.g. a measured percentage,
 *   is shown on the sub-feature). Built in: `docstringCoverage` (for `docs.docstrings`). A detector
 *   that reads calls, assignments or names itself must declare what it reads (`declareFactUse`), and
 *   signals it matches on its own (`declareSignals`), in src/model/fact-use.ts: the audit keeps only
 *   the facts some signal or declared detector can use.
 * - Evidence lies "in a stub" when its line is on or inside an effective stub definition or a stub
 *   class (RepoIndex.inStub, src/facts/index.ts); a sub-feature whose evidence is all in stubs is stubbed.
 */

interface SignalCommon {
  /** Only facts from files of these languages. */
  lang?: Language[];
  /** Only files matching one of these globs. */
  paths?: string[];
  /** Never files matching these globs. */
  notPaths?: string[];
  /** Why this signal counts (shown by `explain`). */
  note?: string;
}

/** An import of a module (segment prefix), optionally of specific names (regex on the imported name). */
export interface ImportSignal extends SignalCommon {
  import: string | string[];
  names?: string;
}

/** A call of a resolved dotted callee. */
export interface CallSignal extends SignalCommon {
  call: string | string[];
  /** Regex on the receiver part of the callee (everything before the last segment). */
  receiver?: string;
  /** At least one of these keyword names is passed. */
  kw?: string[];
  /** Every listed keyword is passed with a value matching the regex (value text; quotes stripped). */
  kwValue?: Record<string, string>;
  /** No listed keyword is passed with a value matching the regex. */
  notKwValue?: Record<string, string>;
  /** Regex on the first positional argument's text. */
  arg0?: string;
  /** The call must not pass this keyword at all. */
  withoutKw?: string[];
}

/** A definition (function, method, class, ...). */
export interface DefSignal extends SignalCommon {
  /** Regex on the definition name. */
  def?: string;
  kind?: DefinitionKind[];
  /** Any base matches (dotted suffix). */
  bases?: string[];
  /** Any decorator matches (dotted suffix). */
  decorators?: string[];
}

/** A file exists whose path matches. */
export interface FileSignal extends SignalCommon {
  file: string | string[];
}

/** A flattened config key (YAML/TOML/JSON/INI), optionally with a value. */
export interface ConfigKeySignal extends SignalCommon {
  configKey: string;
  value?: string;
}

/** A Markdown heading. */
export interface HeadingSignal extends SignalCommon {
  heading: string;
}

/** An identifier or attribute name used in code. */
export interface NameSignal extends SignalCommon {
  name: string;
}

/** An assignment to a dotted target, optionally with a value. */
export interface AssignSignal extends SignalCommon {
  assign: string;
  value?: string;
  valueKind?: string[];
}

/** Last resort: a regex over the file's text lines. Matches in comments count, so use sparingly. */
export interface TextSignal extends SignalCommon {
  text: string;
}

/**
 * A requirement (requirements*.txt) or declared dependency; never evidence alone unless `counts`.
 * A declared dependency is not the capability: do not make a sub-feature depend on this signal alone.
 * The regex is tested on the name as written and on its normalised form (`Foo_Bar` -> `foo-bar`).
 */
export interface RequirementSignal extends SignalCommon {
  requirement: string;
  /** Let a match count as evidence on its own (for sub-features that are about the declaration itself). */
  counts?: boolean;
}

/** Every inner signal matches within one scope (one function, one class, or one module's top level) or one file. */
export interface CooccurSignal extends SignalCommon {
  all: Signal[];
  within: 'scope' | 'file';
}

/** A code detector registered by name in the capability's folder, for what data cannot say. */
export interface CustomSignal extends SignalCommon {
  custom: string;
}

export type Signal =
  | ImportSignal
  | CallSignal
  | DefSignal
  | FileSignal
  | ConfigKeySignal
  | HeadingSignal
  | NameSignal
  | AssignSignal
  | TextSignal
  | RequirementSignal
  | CooccurSignal
  | CustomSignal;

export interface SubFeatureDef {
  /** Stable id `<capability>.<name>`. */
  id: string;
  title: string;
  core: boolean;
  /** What the sub-feature is, one line (for `capabilities` and `explain`). */
  summary: string;
  /** Gap text when absent: what to add, in words a maintainer can act on. */
  gap: string;
  /** Any signal matching makes evidence. */
  signals: Signal[];
}

export interface CapabilityDef {
  id: string;
  title: string;
  /** Title as shown in the table, with its scope in parentheses (as in the seed). */
  tableTitle: string;
  /** Why the capability matters (for `explain` and SARIF help). */
  why: string;
  subfeatures: SubFeatureDef[];
  risks: string[];
  patchPlan: string;
  rollbackPlan: string;
}
