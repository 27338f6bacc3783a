import { createHash } from 'node:crypto';
import type { AuditReport, CapabilityResult, RiskFinding, Status, StubFinding } from './model/types.js';
import { statusOf } from './model/status.js';

/** Things `--fail-on` accepts: capability statuses and finding kinds. */
export const FAIL_ON_ITEMS = ['missing', 'stubbed', 'partial', 'stub', 'risk', 'error'] as const;
export type FailOnItem = (typeof FAIL_ON_ITEMS)[number];

export interface GateOptions {
  failOn: FailOnItem[];
  minScore?: number;
  strict?: boolean;
  /** A previous JSON audit: only regressions against it fail the gate. */
  baseline?: BaselineData;
  /** Score drop (points) tolerated against the baseline. */
  scoreTolerance?: number;
}

export interface BaselineData {
  toolVersion: string;
  profile: string;
  score: number;
  statuses: Record<string, Status>;
  stubs: string[];
  risks: string[];
  /** Read from the baseline audit's stubs and risks (not written): what each fingerprint was, for "resolved". */
  described?: Record<string, BaselineFinding>;
}

/** A finding of the baseline audit, identified by its fingerprint. */
export interface BaselineFinding {
  kind: 'stub' | 'risk';
  id: string;
  path: string;
  line: number;
  fingerprint: string;
}

export interface BaselineDiff {
  newFindings: { kind: 'stub' | 'risk'; path: string; line: number; id: string }[];
  /** Baseline findings gone from this tree (`path` and `line` as they were in the baseline). */
  resolved: BaselineFinding[];
  unchanged: number;
  statusDrops: { id: string; from: Status; to: Status }[];
  scoreDrop: number;
}

export interface GateResult {
  passed: boolean;
  /** One line per failed rule, saying which rule and why. */
  failures: string[];
  baseline?: BaselineDiff;
}

const RANK: Record<Status, number> = { implemented: 3, partial: 2, stubbed: 1, missing: 0 };

const norm = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
const hash = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);

/** Stable across moved lines: path, symbol, kind and normalised text, never the line number. */
export function stubFingerprint(s: StubFinding): string {
  return hash('stub', s.path, s.symbol ?? '', s.kind, norm(s.text));
}

export function riskFingerprint(r: RiskFinding): string {
  return hash('risk', r.id, r.path, norm(r.excerpt));
}

export function baselineFromReport(r: AuditReport): BaselineData {
  return {
    toolVersion: r.tool.version,
    profile: r.profile,
    score: r.summary.score,
    statuses: Object.fromEntries(r.capabilities.map((c) => [c.id, c.status])),
    stubs: r.stubs.map(stubFingerprint).sort(),
    risks: r.risks.map(riskFingerprint).sort(),
  };
}

/** Multiset difference: items of `now` not matched one-for-one in `before`. */
function newItems<T>(now: T[], key: (t: T) => string, before: string[]): { fresh: T[]; matched: number; gone: string[] } {
  const pool = new Map<string, number>();
  for (const k of before) pool.set(k, (pool.get(k) ?? 0) + 1);
  const fresh: T[] = [];
  let matched = 0;
  for (const t of now) {
    const k = key(t);
    const n = pool.get(k) ?? 0;
    if (n > 0) {
      pool.set(k, n - 1);
      matched++;
    } else fresh.push(t);
  }
  const gone = [...pool.entries()].flatMap(([k, n]) => Array<string>(n).fill(k));
  return { fresh, matched, gone };
}

export function compareBaseline(r: AuditReport, b: BaselineData): BaselineDiff {
  const stubs = newItems(r.stubs, stubFingerprint, b.stubs);
  const risks = newItems(r.risks, riskFingerprint, b.risks);
  const statusDrops = r.capabilities
    .filter((c) => b.statuses[c.id] !== undefined && RANK[c.status] < RANK[b.statuses[c.id]])
    .map((c) => ({ id: c.id, from: b.statuses[c.id], to: c.status }));
  return {
    newFindings: [
      ...stubs.fresh.map((s) => ({ kind: 'stub' as const, path: s.path, line: s.line, id: `stub.${s.kind}` })),
      ...risks.fresh.map((x) => ({ kind: 'risk' as const, path: x.path, line: x.line, id: x.id })),
    ],
    resolved: [...stubs.gone, ...risks.gone]
      .map((fp) => b.described?.[fp] ?? { kind: b.stubs.includes(fp) ? ('stub' as const) : ('risk' as const), id: 'unknown', path: '', line: 0, fingerprint: fp })
      .sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : x.line - y.line || (x.fingerprint < y.fingerprint ? -1 : 1))),
    unchanged: stubs.matched + risks.matched,
    statusDrops,
    scoreDrop: Math.max(0, b.score - r.summary.score),
  };
}

/** The status the gate judges: deferred gaps count as done, so they never fail `--fail-on`. */
export function gateStatus(c: CapabilityResult): Status {
  if (!c.subfeatures.some((s) => s.deferred !== undefined)) return c.status;
  return statusOf(c.subfeatures.map((s) => (s.deferred !== undefined ? { ...s, state: 'present' as const } : s)));
}

export function evaluateGate(r: AuditReport, opts: GateOptions): GateResult {
  const failures: string[] = [];
  const fail = new Set(opts.failOn);
  let diff: BaselineDiff | undefined;
  if (opts.baseline) {
    diff = compareBaseline(r, opts.baseline);
    const tol = opts.scoreTolerance ?? 0;
    const stubNew = diff.newFindings.filter((f) => f.kind === 'stub');
    const riskNew = diff.newFindings.filter((f) => f.kind === 'risk');
    if (stubNew.length) failures.push(`baseline: ${stubNew.length} new stub${stubNew.length === 1 ? '' : 's'} (${stubNew.slice(0, 3).map((f) => `${f.path}:${f.line}`).join(', ')}${stubNew.length > 3 ? ', …' : ''})`);
    if (riskNew.length) failures.push(`baseline: ${riskNew.length} new risky pattern${riskNew.length === 1 ? '' : 's'} (${riskNew.slice(0, 3).map((f) => `${f.id} at ${f.path}:${f.line}`).join(', ')}${riskNew.length > 3 ? ', …' : ''})`);
    for (const d of diff.statusDrops) failures.push(`baseline: ${d.id} dropped from ${d.from} to ${d.to}`);
    if (diff.scoreDrop > tol) failures.push(`baseline: score dropped by ${diff.scoreDrop} (tolerance ${tol})`);
  } else {
    for (const status of ['missing', 'stubbed', 'partial'] as const) {
      if (!fail.has(status)) continue;
      const caps = r.capabilities.filter((c) => gateStatus(c) === status);
      if (caps.length) failures.push(`--fail-on ${status}: ${caps.map((c) => c.id).join(', ')}`);
    }
    if (fail.has('stub') && r.stubs.length) failures.push(`--fail-on stub: ${r.stubs.length} stub${r.stubs.length === 1 ? '' : 's'} found`);
    if (fail.has('risk') && r.risks.length) failures.push(`--fail-on risk: ${r.risks.length} risky pattern${r.risks.length === 1 ? '' : 's'} found`);
  }
  if ((fail.has('error') || opts.strict) && r.errors.length)
    failures.push(`${opts.strict ? '--strict' : '--fail-on error'}: ${r.errors.length} scan problem${r.errors.length === 1 ? '' : 's'} (see Error Capture Blocks)`);
  if (opts.minScore !== undefined && r.summary.score < opts.minScore) failures.push(`--min-score ${opts.minScore}: score is ${r.summary.score}`);
  return { passed: failures.length === 0, failures, baseline: diff };
}

/** Read a baseline from a previous JSON audit, refusing other tool versions and profiles. */
export function baselineFromJson(data: unknown, name: string, toolVersion: string, profile: string): BaselineData {
  const d = data as Partial<{ schemaVersion: number; tool: { version: string }; profile: string; baseline: BaselineData }>;
  if (!d || typeof d !== 'object' || d.schemaVersion !== 1 || !d.baseline)
    throw new Error(`--baseline ${name}: not a codex-audit JSON audit with baseline data (write one with \`codex-audit baseline --out ${name}\` or \`--out audit.json\`)`);
  if (d.tool?.version !== toolVersion)
    throw new Error(`--baseline ${name}: written by codex-audit ${d.tool?.version ?? 'unknown'}, this is ${toolVersion}; regenerate it with \`codex-audit baseline --out ${name}\``);
  if ((d.profile ?? 'ml') !== profile) throw new Error(`--baseline ${name}: made with profile "${d.profile}", this run uses "${profile}"; regenerate it`);
  const b = d.baseline;
  if (typeof b.score !== 'number' || !Array.isArray(b.stubs) || !Array.isArray(b.risks) || !b.statuses || typeof b.statuses !== 'object')
    throw new Error(`--baseline ${name}: its baseline data is incomplete; regenerate it with \`codex-audit baseline --out ${name}\``);
  const described: Record<string, BaselineFinding> = {};
  const full = data as { stubs?: unknown; risks?: unknown };
  if (Array.isArray(full.stubs))
    for (const s of full.stubs as StubFinding[]) {
      if (!s || typeof s.path !== 'string') continue;
      const fp = stubFingerprint(s);
      described[fp] ??= { kind: 'stub', id: `stub.${s.kind}`, path: s.path, line: s.line, fingerprint: fp };
    }
  if (Array.isArray(full.risks))
    for (const x of full.risks as RiskFinding[]) {
      if (!x || typeof x.path !== 'string' || typeof x.excerpt !== 'string') continue;
      const fp = riskFingerprint(x);
      described[fp] ??= { kind: 'risk', id: x.id, path: x.path, line: x.line, fingerprint: fp };
    }
  return { ...b, described };
}
