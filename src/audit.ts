import { basename, join } from 'node:path';
import { lstatSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import type { FileFacts, ScanIssue } from './facts/types.js';
import type { AuditReport, CapabilityResult, Status } from './model/types.js';
import type { CapabilityDef, Signal } from './model/capability.js';
import { walk, type WalkResult } from './walk/walk.js';
import { runJobs } from './parallel/pool.js';
import type { JobSetup } from './parallel/job.js';
import { buildRepoIndex, type RepoIndex } from './facts/index.js';
import { detectAll, repositoryScore } from './model/detect.js';
import { collectPlaceholders, collectStubs } from './model/stubs.js';
import { toErrorBlocks } from './model/errors.js';
import { applySuppressions, unusedSuppressions } from './model/suppress.js';
import { buildRepoMap } from './model/repomap.js';
import { detectLayout } from './model/layout.js';
import { rankFindings } from './model/findings.js';
import { capabilities as builtinCapabilities } from './capabilities/index.js';
import { evaluateReproducibility } from './capabilities/reproducibility.js';
import { detectRisks } from './capabilities/risks.js';
import { classifyTests, findTestCommands } from './capabilities/tests-map.js';
import { textPatternsOf } from './model/text-patterns.js';
import { matchSignal } from './model/signals.js';
import { BUILD_ID, TOOL_VERSION } from './version.js';

export interface AuditOptions {
  /** Absolute path of the audited root. */
  root: string;
  include?: string[];
  exclude?: string[];
  maxFileSize?: number;
  profile?: string;
  /** ISO-8601 timestamp written into the report. */
  timestamp: string;
  /** Capabilities to audit (default: the built-in profile). */
  capabilities?: CapabilityDef[];
  disabled?: string[];
  extraSignals?: Record<string, Signal[]>;
  /** Sub-feature id -> reason. */
  deferred?: Record<string, string>;
  forceFallback?: boolean;
  /** Worker threads (default: available cores). */
  jobs?: number;
  /** Facts cache folder; false disables the cache. */
  cacheDir?: string | false;
  fileTimeoutMs?: number;
  /** Called as files are parsed (for a progress indicator). */
  onProgress?: (done: number, total: number) => void;
}

export interface AuditRun {
  report: AuditReport;
  index: RepoIndex;
  walk: WalkResult;
  stats: { parsed: number; cached: number };
}

export const DEFAULT_FILE_TIMEOUT_MS = 30_000;

/** Versions that change facts: any change invalidates the cache. */
export function cacheSalt(textPatterns: string[], forceFallback?: boolean): string[] {
  return [`codex-audit@${TOOL_VERSION}`, `build=${BUILD_ID}`, 'facts-v1', 'typescript-estree@8.74.0', 'tree-sitter-python@0.25.0', `fallback=${Boolean(forceFallback)}`, ...textPatterns];
}

/**
 * `node_modules/.cache/codex-audit` under the root when the root has a real node_modules folder (never
 * through a symlink), else the user's cache folder.
 */
export function defaultCacheDir(root: string): string {
  const nm = join(root, 'node_modules');
  try {
    if (lstatSync(nm).isDirectory()) return join(nm, '.cache', 'codex-audit');
  } catch {
    /* no node_modules */
  }
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'codex-audit');
}

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** walk -> parse -> facts -> detect -> AuditReport (pure data; nothing is written here). */
export async function runAudit(opts: AuditOptions): Promise<AuditRun> {
  const maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const defs = (opts.capabilities ?? builtinCapabilities).filter((c) => !(opts.disabled ?? []).includes(c.id));
  const walked = await walk({ root: opts.root, include: opts.include, exclude: opts.exclude, maxFileSize });
  const textPatterns = textPatternsOf(defs).map((p) => p.source);
  const specs = walked.files.map((f, id) => ({ id, path: f.path, abs: f.abs }));
  const cacheDir = opts.cacheDir === false ? undefined : (opts.cacheDir ?? defaultCacheDir(opts.root));
  const setup: JobSetup = {
    maxBytes: maxFileSize,
    textPatterns,
    forceFallback: opts.forceFallback,
    cacheDir,
    cacheSalt: cacheSalt(textPatterns, opts.forceFallback),
  };
  const results = await runJobs(specs, setup, {
    jobs: opts.jobs ?? availableParallelism(),
    fileTimeoutMs: opts.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS,
    onResult: opts.onProgress,
  });
  const facts: FileFacts[] = [];
  const issues: ScanIssue[] = [...walked.issues];
  let cached = 0;
  for (const out of results) {
    if (out.kind === 'facts') {
      facts.push(out.facts);
      issues.push(...out.facts.issues);
      if (out.cached) cached++;
    } else if (out.kind === 'unreadable') {
      issues.push({ step: 'STEP_1:REPO_TRAVERSAL', path: out.path, message: out.message, context: `Reading ${out.path}.` });
    } else if (out.kind === 'timeout') {
      issues.push({ step: 'STEP_2:PARSE', path: out.path, message: out.message, context: `Parsing ${out.path} on a worker thread.` });
    }
  }
  facts.sort((a, b) => cmp(a.path, b.path));
  const index = buildRepoIndex(facts);
  const report = buildReport(index, issues, defs, opts);
  return { report, index, walk: walked, stats: { parsed: facts.length - cached, cached } };
}

export function buildReport(index: RepoIndex, issues: ScanIssue[], defs: CapabilityDef[], opts: AuditOptions): AuditReport {
  const ctx = {};
  const capabilities: CapabilityResult[] = detectAll(defs, index, ctx, { deferred: opts.deferred, extraSignals: opts.extraSignals }).map((c) => ({
    ...c,
    tableTitle: defs.find((d) => d.id === c.id)?.tableTitle ?? c.title,
  }));
  const found = collectStubs(index);
  const used = new Set<string>();
  const stubPass = applySuppressions(found.stubs, (s) => `stub.${s.kind}`, index.byPath, used);
  const riskPass = applySuppressions(detectRisks(index), (r) => r.id, index.byPath, used);
  const stubs = stubPass.kept;
  const testStubs = found.testStubs;
  const risks = riskPass.kept;
  const placeholders = collectPlaceholders(index);
  const reproducibility = evaluateReproducibility(capabilities, (s: Signal) => matchSignal(s, index, ctx));
  const layout = detectLayout(index.files);
  const statusCounts: Record<Status, number> = { implemented: 0, partial: 0, stubbed: 0, missing: 0 };
  for (const c of capabilities) statusCounts[c.status]++;
  const deferred = capabilities.flatMap((c) =>
    c.subfeatures.filter((s) => s.deferred).map((s) => ({ id: s.id, gap: s.gap ?? s.title, reason: s.deferred ?? '' })),
  );
  return {
    schemaVersion: 1,
    tool: { name: 'codex-audit', version: TOOL_VERSION },
    root: basename(opts.root) || opts.root,
    generatedAt: opts.timestamp,
    profile: opts.profile ?? 'ml',
    summary: {
      files: index.files.length,
      lines: index.files.reduce((n, f) => n + f.lines.total, 0),
      score: repositoryScore(capabilities),
      statusCounts,
    },
    repoMap: buildRepoMap(index.files),
    capabilities,
    stubs,
    testStubs,
    placeholders,
    risks,
    reproducibility,
    testCommands: findTestCommands(index),
    mlTestScore: classifyTests(index),
    findings: rankFindings(capabilities, reproducibility, layout),
    diffs: [],
    deferred,
    errors: toErrorBlocks(issues),
    suppressed: [...stubPass.suppressed, ...riskPass.suppressed]
      .map(({ id, path, line, reason }) => ({ id, path, line, reason }))
      .sort((a, b) => cmp(a.path, b.path) || a.line - b.line),
    unusedSuppressions: unusedSuppressions(index.files, used),
  };
}
