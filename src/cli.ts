import { Command, CommanderError, Option } from 'commander';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import pc from 'picocolors';
import { resolve, extname, dirname, join, relative, isAbsolute, sep } from 'node:path';
import { runAudit, DEFAULT_MAX_FILE_SIZE } from './audit.js';
import { renderMarkdown, loadTemplates } from './report/markdown.js';
import { TemplateError } from './report/template.js';
import { renderJson } from './report/json.js';
import { renderTerminal } from './report/terminal.js';
import { renderSarif } from './report/sarif.js';
import { riskRules } from './capabilities/risks.js';
import { loadConfig, ConfigError } from './config/load.js';
import type { CodexAuditConfig } from './config/schema.js';
import type { CapabilityDef } from './model/capability.js';
import { evaluateGate, baselineFromJson, FAIL_ON_ITEMS, type BaselineData, type FailOnItem } from './gate.js';
import { registerSubcommands, DEFAULT_BASELINE } from './commands.js';
import { escapeGlob } from './walk/patterns.js';
import { writeFileAtomic } from './output.js';
import { TOOL_VERSION } from './version.js';
import { capabilities } from './capabilities/index.js';
import type { AuditReport } from './model/types.js';
import { DEFAULT_MAX_DIFFS, patchFileName } from './patches/index.js';

export type Format = 'md' | 'json' | 'sarif';
const FORMATS: Format[] = ['md', 'json', 'sarif'];

/** A usage or configuration error: exit code 2, with a message naming the flag or key. */
export class UsageError extends Error {}

interface AuditFlags {
  root: string;
  out?: string[];
  format?: string[];
  config?: string;
  profile?: string;
  include?: string[];
  exclude?: string[];
  maxFileSize?: string;
  templates?: string;
  timestamp?: string;
  failOn?: string;
  minScore?: string;
  baseline?: string;
  strict?: boolean;
  staged?: boolean;
  report?: boolean;
  jobs?: string;
  cache?: boolean;
  cacheDir?: string;
  fileTimeout?: string;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  patchesDir?: string;
  maxDiffs?: string;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function formatFromPath(path: string): Format | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.md' || ext === '.markdown') return 'md';
  if (ext === '.json') return 'json';
  if (ext === '.sarif') return 'sarif';
  if (path.toLowerCase().endsWith('.sarif.json')) return 'sarif';
  return undefined;
}

/** `--timestamp`, else SOURCE_DATE_EPOCH, else now; always normalised to ISO-8601 UTC without milliseconds. */
export function resolveTimestamp(flag: string | undefined, env: NodeJS.ProcessEnv, now: Date = new Date()): string {
  let d: Date;
  if (flag !== undefined) {
    d = new Date(flag);
    if (Number.isNaN(d.getTime())) throw new UsageError(`--timestamp: "${flag}" is not an ISO-8601 date-time (for example 2026-01-31T12:00:00Z)`);
  } else if (env.SOURCE_DATE_EPOCH !== undefined && env.SOURCE_DATE_EPOCH !== '') {
    if (!/^\d+$/.test(env.SOURCE_DATE_EPOCH)) throw new UsageError(`SOURCE_DATE_EPOCH: "${env.SOURCE_DATE_EPOCH}" is not a whole number of seconds`);
    d = new Date(Number(env.SOURCE_DATE_EPOCH) * 1000);
  } else d = now;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function parseSize(flag: string, value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)\s*([kKmMgG]i?[bB]?|[bB])?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag}: "${value}" is not a size (bytes, or with a unit: 512k, 2M, 1G)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  if (n * mult <= 0) throw new UsageError(`${flag}: must be greater than 0`);
  return n * mult;
}

interface OutputPlan {
  path?: string;
  format: Format;
}

export function planOutputs(outs: string[] | undefined, formats: string[] | undefined): OutputPlan[] {
  for (const f of formats ?? []) {
    if (!FORMATS.includes(f as Format)) throw new UsageError(`--format: "${f}" is not one of ${FORMATS.join(', ')}`);
  }
  const fmts = (formats ?? []) as Format[];
  if (!outs || outs.length === 0) {
    if (fmts.length > 1) throw new UsageError('--format: several formats need one --out FILE each (stdout takes one format)');
    return [{ format: fmts[0] ?? 'md' }];
  }
  if (fmts.length > 1 && fmts.length !== outs.length)
    throw new UsageError(`--format: given ${fmts.length} times for ${outs.length} --out files; give one per --out, or none and let the extensions decide`);
  return outs.map((path, i) => {
    const format = fmts.length > 1 ? fmts[i] : (formatFromPath(path) ?? fmts[0]);
    if (!format) throw new UsageError(`--out ${path}: cannot tell the format from the extension; use .md, .json or .sarif, or pass --format`);
    return { path, format };
  });
}

export function parseFailOn(value: string, flag = '--fail-on'): FailOnItem[] {
  const items = value.split(',').map((x) => x.trim()).filter(Boolean);
  for (const i of items) {
    if (!(FAIL_ON_ITEMS as readonly string[]).includes(i)) throw new UsageError(`${flag}: "${i}" is not one of ${FAIL_ON_ITEMS.join(', ')}`);
  }
  return items as FailOnItem[];
}

/** Merge the built-in registry with the config: disabled, custom capabilities, extra signals, deferred. */
export function resolveRegistry(config: CodexAuditConfig, source: string): { defs: CapabilityDef[]; disabled: string[] } {
  const custom: CapabilityDef[] = (config.capabilities ?? []).map((c, i) => {
    if (capabilities.some((b) => b.id === c.id)) throw new UsageError(`${source}: capabilities[${i}].id: "${c.id}" is a built-in capability; pick another id`);
    c.subfeatures.forEach((s, j) => {
      if (!s.id.startsWith(`${c.id}.`)) throw new UsageError(`${source}: capabilities[${i}].subfeatures[${j}].id: "${s.id}" must start with "${c.id}."`);
    });
    return { ...c, tableTitle: c.tableTitle ?? c.title, subfeatures: c.subfeatures.map((s) => ({ ...s, core: s.core ?? false })) } as CapabilityDef;
  });
  const defs = [...capabilities, ...custom];
  const subIds = new Set(defs.flatMap((d) => d.subfeatures.map((s) => s.id)));
  const capIds = new Set(defs.map((d) => d.id));
  for (const id of config.disable ?? []) if (!capIds.has(id)) throw new UsageError(`${source}: disable: "${id}" is not a capability id (see \`codex-audit capabilities\`)`);
  for (const id of Object.keys(config.signals ?? {})) if (!subIds.has(id)) throw new UsageError(`${source}: signals.${id}: not a sub-feature id (see \`codex-audit capabilities\`)`);
  for (const id of Object.keys(config.deferred ?? {})) if (!subIds.has(id) && !capIds.has(id)) throw new UsageError(`${source}: deferred.${id}: not a sub-feature or capability id (see \`codex-audit capabilities\`)`);
  return { defs, disabled: config.disable ?? [] };
}

function render(report: AuditReport, format: Format, defs: CapabilityDef[], files: string[], templatesDir?: string): string {
  if (format === 'json') return renderJson(report);
  if (format === 'sarif') return renderSarif(report, { defs, riskRules, files });
  return renderMarkdown(report, loadTemplates(templatesDir));
}

/**
 * Exclude patterns for the tool's own files under the root (this run's reports and patches folder, the
 * baseline): a JSON or SARIF audit quotes the code it audited, so auditing it would turn old evidence into new.
 */
export function ownFileExcludes(root: string, paths: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!p) continue;
    const rel = relative(root, p);
    if (!rel || rel.startsWith('..') || isAbsolute(rel) || /[{}]/.test(rel)) continue;
    out.push('/' + escapeGlob(rel.split(sep).join('/')));
  }
  return [...new Set(out)];
}

/** Paths staged in the git index (for --staged); git is asked, nothing from the tree is run. */
function stagedPaths(root: string): Set<string> {
  // --relative: paths relative to the audited root (which may be a sub-folder of the checkout), and only those under it.
  // core.fsmonitor in the tree's .git/config names a command git would run: never let it.
  const r = spawnSync('git', ['-c', 'core.fsmonitor=', 'diff', '--cached', '--name-only', '-z', '--relative', '--diff-filter=ACMR'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new UsageError(`--staged: git could not list staged files in ${root}: ${(r.stderr || '').trim() || 'not a git repository?'}`);
  return new Set(r.stdout.split('\0').filter(Boolean));
}

async function runAuditCommand(flags: AuditFlags, io: CliIO, mode: 'audit' | 'baseline' = 'audit'): Promise<number> {
  const root = resolve(flags.root);
  if (!existsSync(root)) throw new UsageError(`--root: folder not found: ${flags.root}`);
  if (!statSync(root).isDirectory()) throw new UsageError(`--root: not a folder: ${flags.root}`);
  if (flags.profile && flags.profile !== 'ml') throw new UsageError(`--profile: "${flags.profile}" is not a known profile (known: ml)`);
  let loaded;
  try {
    loaded = loadConfig(root, flags.config);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  const config = loaded.config;
  const source = loaded.source ?? 'config';
  if (mode === 'baseline' && (!flags.out || flags.out.length !== 1)) throw new UsageError('baseline: give exactly one --out FILE for the baseline JSON');
  // A baseline is always the JSON audit, whatever the extension.
  const outputs: OutputPlan[] = mode === 'baseline' ? (flags.out ?? []).map((path) => ({ path, format: 'json' })) : flags.report === false ? [] : planOutputs(flags.out, flags.format);
  for (const o of outputs) {
    if (!o.path) continue;
    const dir = dirname(resolve(o.path));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out ${o.path}: folder not found: ${dirname(o.path)}`);
    if (existsSync(o.path) && statSync(o.path).isDirectory()) throw new UsageError(`--out ${o.path}: is a folder`);
  }
  const timestamp = resolveTimestamp(flags.timestamp, io.env);
  const maxFileSize = flags.maxFileSize
    ? parseSize('--max-file-size', flags.maxFileSize)
    : config.maxFileSize !== undefined
      ? parseSize(`${source}: maxFileSize`, config.maxFileSize)
      : DEFAULT_MAX_FILE_SIZE;
  if (flags.templates) {
    if (!existsSync(flags.templates) || !statSync(flags.templates).isDirectory())
      throw new UsageError(`--templates: folder not found: ${flags.templates}`);
  }
  const failOn = flags.failOn !== undefined ? parseFailOn(flags.failOn) : (config.gate?.failOn ?? []);
  let minScore: number | undefined = config.gate?.minScore;
  if (flags.minScore !== undefined) {
    minScore = Number(flags.minScore);
    if (!/^\d+(\.\d+)?$/.test(flags.minScore) || minScore > 100) throw new UsageError(`--min-score: "${flags.minScore}" is not a number from 0 to 100`);
  }
  // --baseline is relative to the working folder; a config's gate.baseline to the audited root.
  const baselinePath = flags.baseline ?? config.gate?.baseline;
  const baselineAbs = flags.baseline !== undefined ? resolve(flags.baseline) : config.gate?.baseline !== undefined ? resolve(root, config.gate.baseline) : undefined;
  const jobs = flags.jobs === undefined ? undefined : Number(flags.jobs);
  if (jobs !== undefined && (!/^\d+$/.test(flags.jobs ?? '') || jobs < 1 || jobs > 256)) throw new UsageError(`--jobs: "${flags.jobs}" is not a whole number from 1 to 256`);
  const fileTimeoutMs = flags.fileTimeout === undefined ? undefined : Number(flags.fileTimeout);
  if (fileTimeoutMs !== undefined && (!/^\d+$/.test(flags.fileTimeout ?? '') || fileTimeoutMs < 100)) throw new UsageError(`--file-timeout: "${flags.fileTimeout}" is not a whole number of milliseconds (at least 100)`);
  const { defs, disabled } = resolveRegistry(config, source);
  if (flags.maxDiffs !== undefined && (!/^\d+$/.test(flags.maxDiffs) || Number(flags.maxDiffs) > 50)) throw new UsageError(`--max-diffs: "${flags.maxDiffs}" is not a whole number from 0 to 50`);
  const maxDiffs = flags.maxDiffs !== undefined ? Number(flags.maxDiffs) : (config.maxDiffs ?? DEFAULT_MAX_DIFFS);
  const color = flags.color !== false && !io.env.NO_COLOR && io.stderrIsTTY;
  const progress = io.stderrIsTTY && !flags.quiet;
  const { report, files, stats } = await runAudit({
    root,
    include: [...(config.include ?? []), ...(flags.include ?? [])],
    exclude: [
      ...(config.exclude ?? []),
      ...(flags.exclude ?? []),
      ...ownFileExcludes(root, [...outputs.map((o) => o.path && resolve(o.path)), baselineAbs, join(root, DEFAULT_BASELINE), flags.patchesDir && resolve(flags.patchesDir)]),
    ],
    maxFileSize,
    timestamp,
    profile: 'ml',
    capabilities: defs,
    disabled,
    extraSignals: config.signals,
    deferred: config.deferred,
    jobs,
    fileTimeoutMs,
    maxDiffs,
    cacheDir: flags.cache === false ? false : flags.cacheDir ? resolve(flags.cacheDir) : undefined,
    onProgress: progress
      ? (done, total) => {
          if (done === total || done % 50 === 0) io.stderr(`\rcodex-audit: parsed ${done}/${total} files`);
          if (done === total) io.stderr('\r\u001b[K');
        }
      : undefined,
  });
  let baseline: BaselineData | undefined;
  if (baselinePath && baselineAbs && mode === 'audit') {
    const p = baselineAbs;
    if (!existsSync(p)) throw new UsageError(`--baseline: file not found: ${baselinePath} (write one with \`codex-audit baseline --out ${baselinePath}\`)`);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(p, 'utf8'));
    } catch (e) {
      throw new UsageError(`--baseline ${baselinePath}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      baseline = baselineFromJson(data, baselinePath, report.tool.version, report.profile);
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
  }
  const gating = mode === 'audit' && (failOn.length > 0 || minScore !== undefined || flags.strict || baseline !== undefined);
  if (gating) {
    let judged = report;
    if (flags.staged) {
      const staged = stagedPaths(root);
      judged = { ...report, stubs: report.stubs.filter((s) => staged.has(s.path)), risks: report.risks.filter((r) => staged.has(r.path)) };
    }
    const gate = evaluateGate(judged, { failOn, minScore, strict: flags.strict ?? config.gate?.strict, baseline, scoreTolerance: config.gate?.scoreTolerance });
    if (flags.staged && gate.baseline) {
      // Findings outside the staged files are neither new nor resolved for this commit.
      gate.baseline.resolved = [];
    }
    report.gate = gate;
  }
  const written: string[] = [];
  // Render every output before writing any: a broken --templates file must not leave half the outputs.
  const texts = outputs.map((o) => {
    try {
      return render(report, o.format, defs, files, flags.templates);
    } catch (e) {
      if (e instanceof TemplateError && flags.templates) throw new UsageError(`--templates ${flags.templates}: ${e.message}`);
      throw e;
    }
  });
  for (const [i, o] of outputs.entries()) {
    const text = texts[i];
    if (o.path) {
      writeFileAtomic(resolve(o.path), text);
      written.push(o.path);
    } else io.stdout(text);
  }
  if (flags.patchesDir && mode === 'audit') written.push(...writePatches(resolve(flags.patchesDir), report));
  const c = pc.createColors(color);
  const gateLines: string[] = [];
  if (report.gate) {
    if (report.gate.passed) gateLines.push(c.green('  gate passed'));
    else for (const f of report.gate.failures) gateLines.push(c.red(`  gate failed: ${f}`));
    const b = report.gate.baseline;
    if (b) gateLines.push(c.dim(`  baseline: ${b.newFindings.length} new, ${b.resolved.length} resolved, ${b.unchanged} unchanged`));
  }
  if (!flags.quiet) io.stderr(renderTerminal(report, { color, outputs: written, gateLines }));
  else if (report.gate && !report.gate.passed) io.stderr(gateLines.join('\n') + '\n');
  if (flags.verbose) {
    for (const e of report.errors) io.stderr(`  ${e.step} ${e.path}: ${e.message}\n`);
    const t = stats.timings;
    io.stderr(`  timings: walk ${t.walkMs} ms, parse ${t.parseMs} ms (${stats.reportCached ? 'report from cache' : `${stats.parsed} parsed, ${stats.cached} from cache`}), detect ${t.detectMs} ms\n`);
  }
  return report.gate && !report.gate.passed ? 1 : 0;
}

/** Write each diff as `NN-<subfeature-id>.patch` into `dir`, replacing the files of an earlier run. */
function writePatches(dir: string, report: AuditReport): string[] {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (/^\d{2}-[\w.-]+\.patch$/.test(name)) unlinkSync(join(dir, name));
  return report.diffs.map((d, i) => {
    const path = join(dir, patchFileName(i, d));
    writeFileAtomic(path, d.diff);
    return path;
  });
}

export interface CliIO {
  cwd?: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  stderrIsTTY: boolean;
}

const defaultIO = (): CliIO => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  stderrIsTTY: Boolean(process.stderr.isTTY),
});

function auditOptions(cmd: Command): Command {
  return cmd
    .option('-r, --root <dir>', 'folder to audit', '.')
    .option('-o, --out <file>', 'write the report to FILE (repeatable; format from the extension: .md, .json, .sarif)', collect)
    .addOption(new Option('-f, --format <format>', 'report format (md, json, sarif) when the --out extension does not tell; repeatable').argParser(collect))
    .option('-c, --config <file>', 'config file (JSON or YAML; default: discovered at the root)')
    .option('--profile <name>', 'capability profile', 'ml')
    .option('--include <glob>', 'audit only files matching GLOB (repeatable)', collect)
    .option('--exclude <glob>', 'skip files matching GLOB (repeatable)', collect)
    .option('--max-file-size <bytes>', `skip files larger than this (default ${DEFAULT_MAX_FILE_SIZE}; units k/M/G)`)
    .option('--templates <dir>', 'Markdown templates overriding the built-in templates/*.md by name')
    .option('--timestamp <iso>', 'timestamp to print (default: SOURCE_DATE_EPOCH, else now)')
    .option('-j, --jobs <n>', 'parser worker threads (default: available cores)')
    .option('--no-cache', 'do not read or write the facts cache')
    .option('--cache-dir <dir>', 'facts cache folder (default: node_modules/.cache/codex-audit, else ~/.cache/codex-audit)')
    .option('--file-timeout <ms>', 'per-file parse time limit in milliseconds (default 30000)')
    .option('-q, --quiet', 'print nothing on stderr unless the gate fails')
    .option('-v, --verbose', 'print every scan problem on stderr')
    .option('--no-color', 'no colours on stderr (NO_COLOR is honoured too)');
}

export function buildProgram(io: CliIO, result: { code: number }): Command {
  const program = new Command();
  program
    .name('codex-audit')
    .description(
      'Audit a repository offline: what it really implements, with evidence.\nWrites a Markdown report (default), JSON or SARIF, and an exit code for CI gates.',
    )
    .version(TOOL_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showSuggestionAfterError(true);

  auditOptions(program.command('audit', { isDefault: true }).description('audit a repository (the default command)'))
    .option('--fail-on <list>', `fail the gate (exit 1) on any of: ${FAIL_ON_ITEMS.join(',')}`)
    .option('--min-score <n>', 'fail the gate when the repository score is below N')
    .option('--baseline <file>', 'fail only on regressions against a previous JSON audit')
    .option('--strict', 'scan problems fail the gate')
    .option('--staged', 'judge new stubs and risks only in files staged in git (pre-commit); verdicts still use the whole tree')
    .option('--no-report', 'write no report; just evaluate the gate (for hooks)')
    .option('--patches-dir <dir>', 'also write each Atomic Diff as DIR/NN-<subfeature-id>.patch (replaces earlier NN-*.patch files there)')
    .option('--max-diffs <n>', `how many Atomic Diffs the report gives (0-50; default: config maxDiffs, else ${DEFAULT_MAX_DIFFS})`)
    .addHelpText(
      'after',
      `
Examples:
  codex-audit --root . --out AUDIT.md
  codex-audit --out AUDIT.md --out audit.json --out audit.sarif
  codex-audit --format sarif --out audit.sarif --fail-on stubbed,missing
  codex-audit --baseline codex-audit.baseline.json --staged --no-report

Exit codes: 0 audit written and gate passed, 1 gate failed (report still written),
2 usage or configuration error, 3 internal error.`,
    )
    .action(async (flags: AuditFlags) => {
      result.code = await runAuditCommand(flags, io);
    });

  auditOptions(program.command('baseline').description('audit and write a baseline JSON for --baseline (give --out FILE)')).action(async (flags: AuditFlags) => {
    result.code = await runAuditCommand(flags, io, 'baseline');
  });

  program
    .command('capabilities')
    .description('list every capability and sub-feature id of the profile')
    .action(() => {
      const lines: string[] = [];
      for (const c of capabilities) {
        lines.push(`${c.id}: ${c.title}`);
        for (const s of c.subfeatures) lines.push(`  ${s.core ? '*' : ' '} ${s.id.padEnd(36)} ${s.summary}`);
      }
      lines.push('', '* = core sub-feature (decides the status)');
      io.stdout(lines.join('\n') + '\n');
    });

  program
    .command('explain <id>')
    .description('explain what a capability or sub-feature detects, why it matters and how to fix it')
    .action((id: string) => {
      result.code = explain(id, io);
    });
  registerSubcommands(program, io, result);
  return program;
}

export function explain(id: string, io: CliIO): number {
  const cap = capabilities.find((c) => c.id === id);
  if (cap) {
    const lines = [`${cap.id}: ${cap.title}`, '', `Why it matters: ${cap.why}`, '', 'Sub-features (* = core):'];
    for (const s of cap.subfeatures) lines.push(`  ${s.core ? '*' : ' '} ${s.id}: ${s.summary}`);
    lines.push('', `Risks when missing: ${cap.risks.join('; ')}`, `Minimal patch plan: ${cap.patchPlan}`, `Rollback plan: ${cap.rollbackPlan}`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  }
  for (const c of capabilities) {
    const s = c.subfeatures.find((x) => x.id === id);
    if (!s) continue;
    const lines = [`${s.id}: ${s.title}${s.core ? ' (core)' : ''}`, `Capability: ${c.title}`, '', `What it detects: ${s.summary}`, `Why it matters: ${c.why}`, `How to fix a gap: ${s.gap}`, '', 'Signals:'];
    for (const sig of s.signals) lines.push(`  - ${JSON.stringify(sig)}`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  }
  throw new UsageError(`explain: unknown id "${id}"; run \`codex-audit capabilities\` for the list`);
}

/** Run the CLI; returns the exit code (never calls process.exit, so tests can drive it). */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(argv);
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      io.stderr(`codex-audit: ${e.message}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr(`codex-audit: internal error: ${msg}\nPlease report it with the command you ran; run with --verbose for the stack.\n`);
    if (argv.includes('--verbose') && e instanceof Error && e.stack) io.stderr(e.stack + '\n');
    return 3;
  }
}
