import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditReport, Evidence, StubFinding } from '../model/types.js';
import { STATUS_LABEL } from '../model/types.js';
import { escapeCell, escapeFenced, escapeInline, evidenceLink, proseCell, proseInline, visibleControls, wellFormed } from './escape.js';
import { renderTemplate, type TemplateSet } from './template.js';

export const TEMPLATE_NAMES = ['report', 'repo-map', 'capability-table', 'findings', 'diffs', 'tests', 'reproducibility', 'deferred', 'errors'] as const;

/** The templates shipped in the package (`templates/` beside `dist/`). */
export function builtinTemplateDir(): string {
  return fileURLToPath(new URL('../../templates/', import.meta.url));
}

/**
 * Load the template set: the built-in templates, each overridden by a same-named `.md` file in `dir`
 * (so a user can replace one section without copying all of them).
 */
export function loadTemplates(dir?: string): TemplateSet {
  const set: TemplateSet = {};
  const builtin = builtinTemplateDir();
  for (const name of TEMPLATE_NAMES) set[name] = readFileSync(join(builtin, `${name}.md`), 'utf8');
  if (dir) {
    if (!existsSync(dir)) throw new Error(`--templates: folder not found: ${dir}`);
    for (const entry of readdirSync(dir)) {
      if (entry.endsWith('.md')) set[entry.slice(0, -3)] = readFileSync(join(dir, entry), 'utf8');
    }
  }
  return set;
}

const STUB_LABEL: Record<StubFinding['kind'], string> = {
  not_implemented: 'NotImplementedError / not implemented',
  empty_body: 'empty body (pass / ... / {})',
  todo: 'TODO',
  fixme: 'FIXME',
  tbd: 'TBD',
  xxx: 'XXX',
  hack: 'HACK',
};

const MAX_LIST = 25;

function locations(items: { path: string; line: number }[], max = MAX_LIST): string {
  const shown = items.slice(0, max).map((i) => evidenceLink(i.path, i.line));
  const more = items.length > max ? ` … and ${items.length - max} more (see the JSON report)` : '';
  return shown.join(', ') + more;
}

/** `2026-12-01 15:49:04` from an ISO timestamp, as the seed's Error Capture Blocks show it. */
export function questionTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

function evidenceCell(evidence: Evidence[]): string {
  return evidence.map((e) => evidenceLink(e.path, e.line)).join(', ');
}

/** The view model: every string taken from the tree is escaped here, once. */
export function markdownView(r: AuditReport): Record<string, unknown> {
  const stubKinds = [...new Set(r.stubs.map((s) => s.kind))];
  const skipped = r.errors.length;
  return {
    root: escapeInline(r.root),
    generatedAt: escapeInline(r.generatedAt),
    version: escapeInline(r.tool.version),
    profile: escapeInline(r.profile),
    files: r.summary.files,
    lines: r.summary.lines,
    score: r.summary.score,
    statusLine: (Object.keys(STATUS_LABEL) as (keyof typeof STATUS_LABEL)[])
      .map((k) => `${STATUS_LABEL[k]} ${r.summary.statusCounts[k]}`)
      .join(' · '),
    skippedLine: skipped > 0 ? `${skipped} scan problem${skipped === 1 ? '' : 's'}, see Error Capture Blocks` : '',
    dirs: r.repoMap.dirs.map((d) => ({
      name: escapeCell(d.name === '.' ? '(root files)' : `${d.name}/`),
      files: d.files,
      lines: d.lines,
      languages: escapeCell(
        Object.entries(d.languages)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .map(([l, n]) => `${l} ${n}`)
          .join(', '),
      ),
    })),
    keyFiles: r.repoMap.keyFiles.map((p) => evidenceLink(p)),
    stubCount: r.stubs.length,
    stubGroups: stubKinds.sort().map((kind) => {
      const items = r.stubs.filter((s) => s.kind === kind);
      return { kind: STUB_LABEL[kind], count: items.length, locations: locations(items) };
    }),
    testStubCount: r.testStubs.length,
    testStubLocations: locations(r.testStubs, 10),
    placeholders: r.placeholders.map((p) => evidenceLink(p.path)),
    capabilities: r.capabilities.map((c) => {
      const present = c.subfeatures.filter((s) => s.state === 'present');
      const artifacts = present.map((s) => `${proseCell(s.title)}: ${evidenceCell(s.evidence.slice(0, 2))}${s.note ? ` (${proseInline(s.note)})` : ''}`);
      const risks = [...c.risks];
      const capRisks = c.id === 'security' ? r.risks.length : 0;
      if (capRisks > 0) risks.unshift(`${capRisks} risky pattern${capRisks === 1 ? '' : 's'} found (listed below the table)`);
      return {
        title: proseCell(c.tableTitle ?? c.title),
        status: STATUS_LABEL[c.status],
        score: c.score,
        artifacts: artifacts.length ? artifacts.join('; ') : 'None detected',
        gaps: c.gaps.length ? proseCell(c.gaps.join('; ')) : 'None',
        risks: proseCell(risks.join('; ')),
        patchPlan: proseCell(c.patchPlan),
        rollbackPlan: proseCell(c.rollbackPlan),
      };
    }),
    riskFindings: r.risks.map((k) => ({ id: escapeInline(k.id), location: evidenceLink(k.path, k.line), excerpt: escapeInline(k.excerpt) })),
    findings: r.findings.map((f, i) => ({ n: i + 1, title: proseInline(f.title), detail: proseInline(f.detail) })),
    diffs: r.diffs.map((d, i) => ({
      letter: String.fromCharCode(65 + (i % 26)),
      title: escapeInline(d.title),
      why: proseInline(d.why),
      risk: proseInline(d.risk),
      rollback: proseInline(d.rollback),
      tests: proseInline(d.tests),
      // A fence longer than any backtick run inside the diff: the diff stays byte-exact (copyable).
      fence: '`'.repeat(Math.max(3, ...[...d.diff.matchAll(/`+/g)].map((m) => m[0].length + 1))),
      diff: visibleControls(wellFormed(d.diff.replace(/\n$/, ''))),
    })),
    noDiffsReason: r.findings.length === 0 ? 'there are no gaps to close.' : 'no gap of this repository has a standard patch yet; see the High-Signal Findings.',
    testCommands: r.testCommands.map((t) => ({
      command: escapeInline(t.command).replace(/`/g, "'"),
      source: evidenceLink(t.source),
      offline: t.offline ? escapeInline(t.offline).replace(/`/g, "'") : '',
    })),
    mlTestScore: r.mlTestScore.map((row) => ({
      label: row.testClass.charAt(0).toUpperCase() + row.testClass.slice(1),
      files: row.files.length ? row.files.map((f) => evidenceLink(f)).join(', ') : 'none',
      missing: row.missing ? proseInline(row.missing) : '',
    })),
    reproducibility: r.reproducibility.map((x) => ({
      item: proseCell(x.item),
      status: x.status === 'provided' ? 'Provided' : x.status === 'partial' ? 'Partial' : 'Missing',
      notes: [x.evidence.length ? evidenceCell(x.evidence.slice(0, 3)) : '', x.note ? proseCell(x.note) : ''].filter(Boolean).join('; ') || '—',
    })),
    gate: r.gate
      ? {
          gateStatus: r.gate.passed ? 'passed' : 'failed',
          gateFailures: r.gate.failures.map(escapeInline),
          baseline: r.gate.baseline
            ? {
                newCount: r.gate.baseline.newFindings.length,
                resolvedCount: r.gate.baseline.resolved.length,
                unchanged: r.gate.baseline.unchanged,
                newFindings: r.gate.baseline.newFindings.map((f) => ({ id: escapeInline(f.id), location: evidenceLink(f.path, f.line) })),
                resolvedFindings: r.gate.baseline.resolved.map((f) => ({ id: escapeInline(f.id), location: f.path ? evidenceLink(f.path, f.line) : 'a location the baseline does not record' })),
                statusDrops: r.gate.baseline.statusDrops.map((d) => escapeInline(`${d.id}: ${d.from} -> ${d.to}`)),
              }
            : undefined,
        }
      : undefined,
    suppressed: r.suppressed.map((x) => ({ id: escapeInline(x.id), location: evidenceLink(x.path, x.line), reason: escapeInline(x.reason || 'no reason given') })),
    unusedSuppressions: r.unusedSuppressions.map((x) => ({ id: escapeInline(x.id), location: evidenceLink(x.path, x.line) })),
    deferred: r.deferred.map((d) => ({ id: escapeInline(d.id), gap: proseInline(d.gap), reason: escapeInline(d.reason) })),
    errors: r.errors.map((e) => ({
      questionTime: escapeFenced(questionTime(r.generatedAt)),
      step: escapeFenced(e.step),
      message: escapeFenced(oneLine(e.path ? `${e.path}: ${e.message}` : e.message)),
      context: escapeFenced(oneLine(e.context)),
      causes: e.causes.map((c) => escapeFenced(oneLine(c))),
      resolution: e.resolution.map((c) => escapeFenced(oneLine(c))),
    })),
  };
}

function oneLine(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ');
}

export function renderMarkdown(report: AuditReport, templates: TemplateSet = loadTemplates()): string {
  const out = renderTemplate(templates, 'report', markdownView(report));
  return out.replace(/\n{3,}/g, '\n\n').replace(/\s*$/, '\n');
}
