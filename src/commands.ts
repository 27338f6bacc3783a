import type { Command } from 'commander';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, isAbsolute } from 'node:path';
import type { CliIO } from './cli.js';
import { configJsonSchema } from './config/schema.js';
import { CONFIG_FILES } from './config/load.js';

/** Marks hooks this tool wrote, so `hook install` updates its own hook and never clobbers another. */
export const HOOK_MARKER = '# codex-audit pre-commit hook';

export const DEFAULT_BASELINE = 'codex-audit.baseline.json';

export function hookScript(baseline = DEFAULT_BASELINE): string {
  return `#!/bin/sh
${HOOK_MARKER} (written by \`codex-audit hook install\`; edit freely, delete to remove)
# Fails the commit only on regressions against the committed baseline: new stubs or risky patterns in
# staged files, capability status drops, score drops. Without a baseline, fails on stubs in staged files.
# Refresh the baseline with:
#   npx codex-audit baseline --out ${baseline}
# Runs the project's own install first, then one on PATH, then npx (which never installs anything here).
if [ -x ./node_modules/.bin/codex-audit ]; then
  set -- ./node_modules/.bin/codex-audit
elif command -v codex-audit >/dev/null 2>&1; then
  set -- codex-audit
else
  set -- npx --no-install codex-audit
fi
if [ -f "${baseline}" ]; then
  exec "$@" --root . --baseline "${baseline}" --staged --no-report --quiet
else
  exec "$@" --root . --fail-on stub --staged --no-report --quiet
fi
`;
}

/** The git folder of a checkout (`.git` may be a file pointing elsewhere, for worktrees and submodules). */
export function gitDir(root: string): string | undefined {
  const dotgit = join(root, '.git');
  if (!existsSync(dotgit)) return undefined;
  const st = statSync(dotgit);
  if (st.isDirectory()) return dotgit;
  const m = /^gitdir:\s*(.+)\s*$/m.exec(readFileSync(dotgit, 'utf8'));
  if (!m) return undefined;
  return isAbsolute(m[1]) ? m[1] : resolve(root, m[1]);
}

export class HookError extends Error {}

/** Write `.git/hooks/pre-commit`; refuses to overwrite a hook this tool did not write. */
export function installHook(root: string, force = false): string {
  const git = gitDir(root);
  if (!git) throw new HookError(`hook install: ${root} is not a git checkout (no .git); run \`git init\` first`);
  const hooks = join(git, 'hooks');
  mkdirSync(hooks, { recursive: true });
  const target = join(hooks, 'pre-commit');
  if (existsSync(target)) {
    const current = readFileSync(target, 'utf8');
    if (!current.includes(HOOK_MARKER) && !force)
      throw new HookError(
        'hook install: .git/hooks/pre-commit already exists and was not written by codex-audit; not overwriting it.\n' +
          'Add this line to it instead:  npx --no-install codex-audit --root . --baseline codex-audit.baseline.json --staged --no-report --quiet\n' +
          '(or pass --force to replace it)',
      );
  }
  writeFileSync(target, hookScript(), { mode: 0o755 });
  chmodSync(target, 0o755);
  return target;
}

export const STARTER_CONFIG = {
  $schema: './node_modules/codex-audit/dist/schemas/config.schema.json',
  exclude: [],
  disable: [],
  deferred: {},
  signals: {},
  // No gate.baseline here: a config naming a baseline file that does not exist yet fails every run (exit 2).
  // The hook passes --baseline itself once the file is committed.
  gate: { failOn: ['stubbed'], minScore: 0 },
};

export function registerSubcommands(program: Command, io: CliIO, result: { code: number }): void {
  program
    .command('schema')
    .description("print the config file's JSON Schema (or, with --report, the JSON report's)")
    .option('--report', "print the JSON report's schema instead")
    .action((flags: { report?: boolean }) => {
      if (flags.report) {
        const p = new URL('./schemas/report.schema.json', import.meta.url);
        io.stdout(readFileSync(p, 'utf8'));
      } else io.stdout(JSON.stringify(configJsonSchema(), null, 2) + '\n');
    });

  const hook = program.command('hook').description('git hook helpers');
  hook
    .command('install')
    .description('write a git pre-commit hook that fails on regressions against the baseline')
    .option('-r, --root <dir>', 'checkout to install into', '.')
    .option('--force', 'replace an existing pre-commit hook not written by codex-audit')
    .action((flags: { root: string; force?: boolean }) => {
      try {
        const p = installHook(resolve(flags.root), flags.force);
        io.stderr(`codex-audit: wrote ${p.startsWith(resolve(flags.root)) ? p.slice(resolve(flags.root).length + 1) : p}\n`);
      } catch (e) {
        if (e instanceof HookError) {
          io.stderr(`codex-audit: ${e.message}\n`);
          result.code = 2;
          return;
        }
        throw e;
      }
    });

  program
    .command('init')
    .description('write a starter codex-audit.config.json (and, with --hook, a git pre-commit hook)')
    .option('-r, --root <dir>', 'repository root', '.')
    .option('--hook', 'also install the git pre-commit hook')
    .action((flags: { root: string; hook?: boolean }) => {
      const root = resolve(flags.root);
      const existing = CONFIG_FILES.find((f) => existsSync(join(root, f)));
      if (existing) {
        io.stderr(`codex-audit: init: ${existing} already exists; not overwriting it\n`);
        result.code = 2;
        return;
      }
      const target = join(root, 'codex-audit.config.json');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, JSON.stringify(STARTER_CONFIG, null, 2) + '\n', { flag: 'wx' });
      io.stderr('codex-audit: wrote codex-audit.config.json\n');
      if (flags.hook) {
        try {
          installHook(root);
          io.stderr('codex-audit: wrote .git/hooks/pre-commit\n');
        } catch (e) {
          if (e instanceof HookError) {
            io.stderr(`codex-audit: ${e.message}\n`);
            result.code = 2;
            return;
          }
          throw e;
        }
      }
    });
}
