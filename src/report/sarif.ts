import { createHash } from 'node:crypto';
import type { AuditReport, Severity, StubKind } from '../model/types.js';
import type { CapabilityDef } from '../model/capability.js';
import { wellFormed } from './escape.js';

/** Prose for one risky-pattern rule, shared with the Markdown report. */
export interface RiskRuleText {
  id: string;
  title: string;
  severity: Severity;
  why: string;
  fix: string;
}

const STUB_RULES: Record<StubKind, { title: string; text: string }> = {
  not_implemented: { title: 'Not implemented', text: 'A function or method raises NotImplementedError (or throws "not implemented") and nothing in the repository overrides it.' },
  empty_body: { title: 'Empty body', text: 'A function or method body is only pass, ... or {}: it does nothing yet.' },
  todo: { title: 'TODO marker', text: 'A TODO comment marks unfinished work.' },
  fixme: { title: 'FIXME marker', text: 'A FIXME comment marks known-broken code.' },
  tbd: { title: 'TBD marker', text: 'A TBD comment marks an undecided part.' },
  xxx: { title: 'XXX marker', text: 'An XXX comment marks dangerous or questionable code.' },
  hack: { title: 'HACK marker', text: 'A HACK comment marks a workaround that should be replaced.' },
};

/** Percent-encode a POSIX relative path as a relative URI reference. */
export function pathToUri(path: string): string {
  return wellFormed(path)
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

const MANIFESTS = ['pyproject.toml', 'package.json', 'setup.py', 'setup.cfg'];
const READMES = ['README.md', 'readme.md', 'README.rst', 'README.txt', 'README'];

/**
 * Where a repository-level gap is reported: the README for documentation gaps, the package root's
 * manifest for the others (then the other one, a key file, the first file). With no file at all, the
 * README that should exist: code-scanning services need a location for every result.
 */
function gapAnchor(report: AuditReport, files: string[], capability: string): string {
  const set = new Set(files);
  const order = capability === 'docs' ? [...READMES, ...MANIFESTS] : [...MANIFESTS, ...READMES];
  return order.find((m) => set.has(m)) ?? report.repoMap.keyFiles[0] ?? files[0] ?? 'README.md';
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
  properties: { tags: string[] };
}

function pascal(id: string): string {
  return id
    .split(/[._-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

export interface SarifInputs {
  defs: CapabilityDef[];
  riskRules: RiskRuleText[];
  /** Every audited path (for choosing where repository-level gaps are located). */
  files: string[];
}

/** SARIF 2.1.0: one rule per sub-feature, stub kind and risky pattern; results with physical locations. */
export function renderSarif(report: AuditReport, inputs: SarifInputs): string {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (r: SarifRule): void => {
    if (ruleIndex.has(r.id)) return;
    ruleIndex.set(r.id, rules.length);
    rules.push(r);
  };
  for (const def of inputs.defs) {
    for (const s of def.subfeatures) {
      addRule({
        id: s.id,
        name: pascal(s.id),
        shortDescription: { text: s.title },
        fullDescription: { text: s.summary },
        help: { text: `${s.gap} Why: ${def.why}`, markdown: `**${s.title}** (${def.title})\n\n${s.summary}\n\nHow to fix: ${s.gap}\n\nWhy it matters: ${def.why}` },
        defaultConfiguration: { level: s.core ? 'warning' : 'note' },
        properties: { tags: ['capability', def.id, ...(s.core ? ['core'] : [])] },
      });
    }
  }
  for (const [kind, t] of Object.entries(STUB_RULES)) {
    addRule({
      id: `stub.${kind}`,
      name: pascal(`stub.${kind}`),
      shortDescription: { text: t.title },
      fullDescription: { text: t.text },
      help: { text: `${t.text} Implement it, or remove it if it is not needed.`, markdown: `${t.text}\n\nImplement it, or remove it if it is not needed.` },
      defaultConfiguration: { level: kind === 'not_implemented' || kind === 'empty_body' || kind === 'fixme' ? 'warning' : 'note' },
      properties: { tags: ['stub'] },
    });
  }
  for (const r of inputs.riskRules) {
    addRule({
      id: r.id,
      name: pascal(r.id),
      shortDescription: { text: r.title },
      fullDescription: { text: r.why },
      help: { text: `${r.why} Fix: ${r.fix}`, markdown: `**${r.title}**\n\n${r.why}\n\nFix: ${r.fix}` },
      defaultConfiguration: { level: r.severity },
      properties: { tags: ['security', 'risk'] },
    });
  }

  const results: unknown[] = [];
  // Results always carry a region (line 1 for file-level ones): code scanning needs region.startLine.
  const location = (path: string, line?: number, region = true): unknown => ({
    physicalLocation: {
      artifactLocation: { uri: pathToUri(path), uriBaseId: 'SRCROOT' },
      ...(line && line > 0 ? { region: { startLine: line } } : region ? { region: { startLine: 1 } } : {}),
    },
  });
  // Identical findings (same rule, file, symbol and text) get an occurrence number, so each result keeps
  // its own fingerprint; the number counts only identical ones, so moving code does not change it.
  const seen = new Map<string, number>();
  const occurrence = (...parts: string[]): string => {
    const key = parts.join('\u0000');
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n === 0 ? fingerprint(...parts) : fingerprint(...parts, String(n));
  };
  for (const c of report.capabilities) {
    for (const s of c.subfeatures) {
      if (s.state === 'present' || s.deferred) continue;
      const at = s.state === 'stubbed' && s.evidence[0] ? s.evidence[0] : undefined;
      const path = at?.path ?? gapAnchor(report, inputs.files, c.id);
      results.push({
        ruleId: s.id,
        ruleIndex: ruleIndex.get(s.id),
        level: s.core ? 'warning' : 'note',
        kind: 'fail',
        message: { text: `${c.title}: ${s.title} is ${s.state}. ${s.gap ?? ''}`.trim() },
        locations: [location(path, at?.line)],
        partialFingerprints: { 'codexAudit/v1': fingerprint(s.id, s.state) },
        properties: { capability: c.id, state: s.state, capabilityStatus: c.status },
      });
    }
  }
  for (const st of report.stubs) {
    const id = `stub.${st.kind}`;
    results.push({
      ruleId: id,
      ruleIndex: ruleIndex.get(id),
      level: rules[ruleIndex.get(id) ?? 0].defaultConfiguration.level,
      message: { text: `${STUB_RULES[st.kind].title}${st.symbol ? ` in ${st.symbol}` : ''}${st.text ? `: ${st.text}` : ''}` },
      locations: [location(st.path, st.line)],
      partialFingerprints: { 'codexAudit/v1': occurrence(id, st.path, st.symbol ?? '', (st.text ?? '').replace(/\s+/g, ' ').trim()) },
    });
  }
  for (const r of report.risks) {
    results.push({
      ruleId: r.id,
      ruleIndex: ruleIndex.get(r.id),
      level: r.severity,
      message: { text: `${inputs.riskRules.find((x) => x.id === r.id)?.title ?? r.id}: ${r.excerpt}` },
      locations: [location(r.path, r.line)],
      partialFingerprints: { 'codexAudit/v1': occurrence(r.id, r.path, r.excerpt.replace(/\s+/g, ' ').trim()) },
    });
  }
  const notifications = report.errors.map((e) => ({
    level: 'warning',
    message: { text: `${e.step}: ${e.message}` },
    ...(e.path ? { locations: [location(e.path, undefined, false)] } : {}),
    descriptor: { id: e.step },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'codex-audit',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: 'https://www.npmjs.com/package/codex-audit',
            rules,
          },
        },
        automationDetails: { id: `codex-audit/${report.profile}/` },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt, toolExecutionNotifications: notifications }],
        results,
        properties: { score: report.summary.score, statusCounts: report.summary.statusCounts },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
