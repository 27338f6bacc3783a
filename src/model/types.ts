/**
 * The capability model's vocabulary (CAPABILITIES.md) and the audit result types every renderer reads.
 * Ids are stable: they appear in JSON, SARIF rule ids, config files and suppressions.
 */

export type Status = 'implemented' | 'partial' | 'stubbed' | 'missing';
export type SubFeatureState = 'present' | 'stubbed' | 'absent';

export const STATUS_LABEL: Record<Status, string> = {
  implemented: 'Implemented',
  partial: 'Partially Implemented',
  stubbed: 'Stubbed',
  missing: 'Missing',
};

/** One signal match: a location in the audited tree with a short excerpt. */
export interface Evidence {
  path: string;
  line: number;
  excerpt: string;
}

export type StubKind = 'todo' | 'fixme' | 'tbd' | 'xxx' | 'hack' | 'not_implemented' | 'empty_body';

export interface StubFinding {
  path: string;
  line: number;
  kind: StubKind;
  /** The stubbed symbol (qualName) or, for markers, the enclosing symbol when known. */
  symbol?: string;
  /** Marker text or a short description. */
  text?: string;
}

export interface PlaceholderFinding {
  path: string;
}

export type Severity = 'error' | 'warning' | 'note';

export interface RiskFinding {
  /** Stable id, e.g. `risk.pickle_load`, `risk.hardcoded_secret`. */
  id: string;
  path: string;
  line: number;
  /** Masked excerpt: secrets never appear whole. */
  excerpt: string;
  severity: Severity;
}

export interface SubFeatureResult {
  id: string;
  title: string;
  core: boolean;
  state: SubFeatureState;
  evidence: Evidence[];
  /** Actionable gap text, set when state is not 'present'. */
  gap?: string;
  /** Extra measured detail (e.g. docstring coverage percentage). */
  note?: string;
  /** Set when a config marks this gap deferred. */
  deferred?: string;
}

export interface CapabilityResult {
  id: string;
  title: string;
  /** Title with its scope, as the seed's table shows it (`Tokenization (fast tokenizer, vocab, ...)`). */
  tableTitle?: string;
  status: Status;
  score: number;
  subfeatures: SubFeatureResult[];
  gaps: string[];
  risks: string[];
  patchPlan: string;
  rollbackPlan: string;
}

export type ReproStatus = 'provided' | 'partial' | 'missing';

export interface ReproItem {
  id: string;
  item: string;
  status: ReproStatus;
  evidence: Evidence[];
  note?: string;
}

export type TestClass = 'data' | 'model' | 'infrastructure' | 'regression' | 'performance';

export interface TestClassRow {
  testClass: TestClass;
  files: string[];
  /** What is missing for this class, in words. */
  missing?: string;
}

export interface TestCommand {
  command: string;
  /** Where it was found (path). */
  source: string;
  /** How to run it offline. */
  offline?: string;
}

export interface HighSignalFinding {
  title: string;
  detail: string;
  subfeature?: string;
  path?: string;
}

export interface DeferredItem {
  id: string;
  gap: string;
  reason: string;
}

export interface ErrorBlock {
  step: string;
  path: string;
  message: string;
  context: string;
  causes: string[];
  resolution: string[];
}

export interface DirSummary {
  name: string;
  files: number;
  lines: number;
  languages: Record<string, number>;
}

export interface RepoMap {
  dirs: DirSummary[];
  keyFiles: string[];
}

export interface AtomicDiff {
  subfeature: string;
  title: string;
  why: string;
  risk: string;
  rollback: string;
  tests: string;
  /** Unified diff text that `git apply` accepts. */
  diff: string;
  /** Files the diff creates or changes (POSIX, relative to the root). */
  files?: string[];
  /** Gaps (sub-feature or Reproducibility row ids) closed once the diff is applied. */
  closes?: string[];
}

export interface AuditReport {
  schemaVersion: 1;
  tool: { name: 'codex-audit'; version: string };
  root: string;
  generatedAt: string;
  profile: string;
  summary: {
    files: number;
    lines: number;
    score: number;
    statusCounts: Record<Status, number>;
  };
  repoMap: RepoMap;
  capabilities: CapabilityResult[];
  stubs: StubFinding[];
  testStubs: StubFinding[];
  placeholders: PlaceholderFinding[];
  risks: RiskFinding[];
  reproducibility: ReproItem[];
  testCommands: TestCommand[];
  mlTestScore: TestClassRow[];
  findings: HighSignalFinding[];
  diffs: AtomicDiff[];
  deferred: DeferredItem[];
  errors: ErrorBlock[];
  /** Findings silenced by inline `codex-audit: ignore[ID] reason` comments. */
  suppressed: { id: string; path: string; line: number; reason: string }[];
  /** Suppression comments that silenced nothing (a typo, or the finding is gone). */
  unusedSuppressions: { id: string; path: string; line: number }[];
  /** Set by the CLI when a gate was evaluated (rules, failures, baseline comparison). */
  gate?: GateSummary;
}

export interface GateSummary {
  passed: boolean;
  failures: string[];
  baseline?: {
    newFindings: { kind: 'stub' | 'risk'; path: string; line: number; id: string }[];
    /** Baseline findings gone from the tree, as the baseline located them. */
    resolved: { kind: 'stub' | 'risk'; id: string; path: string; line: number; fingerprint: string }[];
    unchanged: number;
    statusDrops: { id: string; from: Status; to: Status }[];
    scoreDrop: number;
  };
}
