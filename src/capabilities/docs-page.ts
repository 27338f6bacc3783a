import type { CapabilityDef } from '../model/capability.js';

/** The capability reference page (docs/capabilities.md), generated from the registry so it cannot drift. */
export function renderCapabilitiesPage(defs: readonly CapabilityDef[]): string {
  const lines: string[] = [
    '# Capabilities of the `ml` profile',
    '',
    '<!-- Generated from src/capabilities by `npm run docs`; a test fails when this file is out of date. -->',
    '',
    `${defs.length} capabilities, ${defs.reduce((n, d) => n + d.subfeatures.length, 0)} sub-features. ★ marks core sub-features: a capability is Implemented when every ★ one is present.`,
    '',
  ];
  for (const d of defs) {
    lines.push(`## ${d.title} (\`${d.id}\`)`, '', d.why, '', '| id | core | what counts | gap when absent |', '|---|---|---|---|');
    for (const s of d.subfeatures) lines.push(`| \`${s.id}\` | ${s.core ? '★' : ''} | ${cell(s.summary)} | ${cell(s.gap)} |`);
    lines.push('', `Risks: ${d.risks.join('; ')}`, '', `Minimal patch plan: ${d.patchPlan}`, '', `Rollback plan: ${d.rollbackPlan}`, '');
  }
  return lines.join('\n');
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
