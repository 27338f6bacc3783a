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
import { detectRisks, riskTextPatterns } from './capabilities/risks.js';
import { classifyTests, findTestCommands } from './capabilities/tests-map.js';
import { textPatternsOf } from './model/text-patterns.js';
import { buildDiffs, rootBoundedReader } from './patches/index.js';
import { factSignalKeys, markFilteredIndex, matchSignal, type SignalContext } from './model/signals.js';
import { relevantSignals } from './model/relevance.js';
import { BUILD_ID, TOOL_VERSION } from './version.js';
import { ReportCache } from './cache/cache.js';
import { FactsCompactor } from './facts/compact.js';
import { cacheSecret } from './cache/secret.js';
import { readFileSafe } from './walk/decode.js';
import { hashBytes } from './facts/collect.js';
import { createHash } from 'node:crypto';

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
  /** How many Atomic Diffs to build (default 5; 0 = none). */
  maxDiffs?: number;
  /**
   * Keep every call, assignment and name instead of those the audit's signals and detectors can use
   * (src/model/fact-use.ts). The report is the same; for tests and measurements.
   */
  keepAllFacts?: boolean;
  /** Tests only: see JobSetup.testHooks (a worker that hangs or dies on chosen files). */
  workerTestHooks?: JobSetup['testHooks'];
}

export interface AuditRun {
  report: AuditReport;
  /** The repository index; undefined when the report came whole from the report cache. */
  index?: RepoIndex;
  /** Every audited path (sorted). */
  files: string[];
  walk: WalkResult;
  stats: { parsed: number; cached: number; reportCached: boolean; timings: { walkMs: number; parseMs: number; detectMs: number } };
}

export const DEFAULT_FILE_TIMEOUT_MS = 30_000;

/** Everything besides the tree that changes a report (dates are re-stamped, so not the timestamp). */
function reportOptionsKey(opts: AuditOptions, defs: CapabilityDef[]): string {
  return JSON.stringify({
    root: basename(opts.root),
    defs,
    profile: opts.profile ?? 'ml',
    deferred: opts.deferred ?? {},
    extraSignals: opts.extraSignals ?? {},
    maxDiffs: opts.maxDiffs ?? null,
  });
}

/** Hash of the walk (paths, sizes, content hashes, walk problems) and the salt: the report cache key. */
async function treeKey(walked: WalkResult, maxBytes: number, salt: string[]): Promise<string> {
  // Read and hash with a few reads in flight (each read is several round trips to the thread pool),
  // then fold the per-file hashes in walk order.
  const hashes = new Array<string>(walked.files.length);
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < walked.files.length) {
      const i = next++;
      const r = await readFileSafe(walked.files[i].abs, maxBytes);
      hashes[i] = 'error' in r ? `error:${r.error}` : hashBytes(r.bytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(TREE_KEY_READS, walked.files.length) }, reader));
  const h = createHash('sha256');
  for (const s of salt) h.update(s).update('\u0000');
  for (const i of walked.issues) h.update(`issue\u0000${i.path}\u0000${i.message}\n`);
  for (const s of walked.skipped) h.update(`skip\u0000${s.path}\u0000${s.reason}\n`);
  walked.files.forEach((f, i) => h.update(f.path).update('\u0000').update(hashes[i]).update('\n'));
  return h.digest('hex');
}

/** Reads in flight while hashing the tree for the report cache. */
const TREE_KEY_READS = 16;

/** Versions that change facts: any change invalidates the cache. */
export function cacheSalt(textPatterns: string[], forceFallback?: boolean): string[] {
  return [`codex-audit@${TOOL_VERSION}`, `build=${BUILD_ID}`, `key=${cacheSecret()}`, 'facts-v1', 'typescript@5.9.3', 'facts-wire-v3', 'tree-sitter-python@0.25.0', `fallback=${Boolean(forceFallback)}`, ...textPatterns];
}

/**
 * `node_modules/.cache/codex-audit` under the root when the root has a real node_modules folder (never
 * through a symlink), else the user's cache folder.
 */
export function defaultCacheDir(root: string): string {
  const nm = join(root, 'node_modules');
  try {
    // Not through a linked `.cache` or `codex-audit` either: the cache must not be written outside the root.
    const linked = (p: string): boolean => {
      try {
        return !lstatSync(p).isDirectory();
      } catch {
        return false;
      }
    };
    if (lstatSync(nm).isDirectory() && !linked(join(nm, '.cache')) && !linked(join(nm, '.cache', 'codex-audit'))) return join(nm, '.cache', 'codex-audit');
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
  const cacheDir = opts.cacheDir === false ? undefined : (opts.cacheDir ?? defaultCacheDir(opts.root));
  const t0 = performance.now();
  const walked = await walk({ root: opts.root, include: opts.include, exclude: opts.exclude, maxFileSize });
  const tWalk = performance.now();
  const reportCache = cacheDir ? new ReportCache<{ report: AuditReport; files: string[] }>(cacheDir) : undefined;
  let reportKey: string | undefined;
  if (reportCache) {
    reportKey = await treeKey(walked, maxFileSize, [...cacheSalt(textPatternsOf(defs, [...riskTextPatterns], opts.extraSignals).map((p) => p.source), opts.forceFallback), reportOptionsKey(opts, defs)]);
    const hit = reportCache.get(reportKey);
    if (hit && hit.report.schemaVersion === 1) {
      const t = Math.round(performance.now() - t0);
      return {
        report: { ...hit.report, generatedAt: opts.timestamp },
        files: hit.files,
        walk: walked,
        stats: { parsed: 0, cached: hit.files.length, reportCached: true, timings: { walkMs: Math.round(tWalk - t0), parseMs: t - Math.round(tWalk - t0), detectMs: 0 } },
      };
    }
  }
  const textPatterns = textPatternsOf(defs, [...riskTextPatterns], opts.extraSignals).map((p) => p.source);
  const specs = walked.files.map((f, id) => ({ id, path: f.path, abs: f.abs }));
  const keep = opts.keepAllFacts ? undefined : relevantSignals(defs, opts.extraSignals);
  const setup: JobSetup = {
    maxBytes: maxFileSize,
    textPatterns,
    forceFallback: opts.forceFallback,
    cacheDir,
    // Only a cache needs the salt (and the per-user key in it): --no-cache leaves the user's folder alone.
    cacheSalt: cacheDir ? cacheSalt(textPatterns, opts.forceFallback) : [],
    keep,
    testHooks: opts.workerTestHooks,
  };
  // Facts are packed as they arrive (facts/compact.ts): the repository's facts take a fraction of the
  // memory they would as objects, and the rest of the pipeline reads them unchanged.
  const compactor = new FactsCompactor();
  const results = await runJobs(specs, setup, {
    facts: { decode: (w) => compactor.decode(w), compact: (f) => compactor.compact(f) },
    jobs: opts.jobs ?? availableParallelism(),
    fileTimeoutMs: opts.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS,
    onResult: opts.onProgress,
  });
  compactor.seal();
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
    } else if (out.kind === 'binary') {
      issues.push({
        step: 'STEP_1:REPO_TRAVERSAL',
        path: out.path,
        message: 'Content looks binary (NUL bytes or many control characters) although the file name does not say so; not scanned.',
        context: `Reading ${out.path}.`,
      });
    } else if (out.kind === 'timeout') {
      issues.push({ step: 'STEP_2:PARSE', path: out.path, message: out.message, context: `Parsing ${out.path} on a worker thread.` });
    }
  }
  const tParse = performance.now();
  facts.sort((a, b) => cmp(a.path, b.path));
  const index = buildRepoIndex(facts);
  // Matching an undeclared call/assignment/name signal against kept facts is reported, never silent.
  if (keep) markFilteredIndex(index, factSignalKeys(keep));
  const report = buildReport(index, issues, defs, opts);
  // Diffs need the text of the files they modify: read through a reader that cannot leave the root.
  report.diffs = buildDiffs(report, facts, rootBoundedReader(opts.root), { max: opts.maxDiffs });
  const tDetect = performance.now();
  const ms = (a: number, b: number): number => Math.round(b - a);
  const files = index.files.map((f) => f.path);
  if (reportCache && reportKey) reportCache.put(reportKey, { report, files });
  return {
    report,
    index,
    files,
    walk: walked,
    stats: { parsed: facts.length - cached, cached, reportCached: false, timings: { walkMs: ms(t0, tWalk), parseMs: ms(tWalk, tParse), detectMs: ms(tParse, tDetect) } },
  };
}

export function buildReport(index: RepoIndex, issues: ScanIssue[], defs: CapabilityDef[], opts: AuditOptions): AuditReport {
  // A broken signal (a bad regex in a config, a detector that throws) is a scan problem, not a crash.
  const signalIssues = new Map<string, ScanIssue>();
  const ctx: SignalContext = {
    onIssue: (i) => {
      const where = i.subfeature ? `signals.${i.subfeature}` : (i.capability ?? 'a signal');
      const message = `Signal for ${where} could not be evaluated: ${i.message}`;
      signalIssues.set(message, { step: 'STEP_4:DETECT', path: '', message, context: `Evaluating ${JSON.stringify(i.signal).slice(0, 120)}` });
    },
  };
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
    errors: toErrorBlocks([...issues, ...signalIssues.values()]),
    suppressed: [...stubPass.suppressed, ...riskPass.suppressed]
      .map(({ id, path, line, reason }) => ({ id, path, line, reason }))
      .sort((a, b) => cmp(a.path, b.path) || a.line - b.line),
    unusedSuppressions: unusedSuppressions(index.files, used),
  };
}
