import pc from 'picocolors';
import type { AuditReport, Status } from '../model/types.js';
import { STATUS_LABEL } from '../model/types.js';
import { visibleControls, wellFormed } from './escape.js';

type Colors = ReturnType<typeof pc.createColors>;

const STATUS_COLOR: Record<Status, (c: Colors, s: string) => string> = {
  implemented: (c, s) => c.green(s),
  partial: (c, s) => c.yellow(s),
  stubbed: (c, s) => c.magenta(s),
  missing: (c, s) => c.red(s),
};

/** Terminal text from the tree: no control characters, so no escape sequence can reach the terminal. */
function safe(s: string): string {
  return visibleControls(wellFormed(s)).replace(/[\r\n\t\u001b]/g, ' ');
}

/** A short summary for stderr: one line per capability, the score, counts, and where the reports went. */
export function renderTerminal(r: AuditReport, opts: { color: boolean; outputs: string[]; gateLines?: string[] }): string {
  const c = pc.createColors(opts.color);
  const width = Math.max(...r.capabilities.map((x) => x.title.length), 10);
  const lines: string[] = [];
  lines.push(c.bold(`codex-audit ${r.tool.version}: ${safe(r.root)}`) + c.dim(` (${r.summary.files} files, ${r.summary.lines} lines)`));
  for (const cap of r.capabilities) {
    const label = STATUS_COLOR[cap.status](c, STATUS_LABEL[cap.status].padEnd(21));
    lines.push(`  ${safe(cap.title).padEnd(width)}  ${label} ${c.dim(String(cap.score).padStart(3))}`);
  }
  lines.push(
    `  score ${c.bold(String(r.summary.score))}/100 · stubs ${r.stubs.length} · risky patterns ${r.risks.length} · scan problems ${r.errors.length}`,
  );
  for (const o of opts.outputs) lines.push(c.dim(`  wrote ${safe(o)}`));
  for (const g of opts.gateLines ?? []) lines.push(g);
  return lines.join('\n') + '\n';
}
