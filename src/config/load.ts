import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, isAbsolute, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type CodexAuditConfig } from './schema.js';

/** A configuration problem: the CLI exits 2 with this message (it names the file and the key path). */
export class ConfigError extends Error {}

export const CONFIG_FILES = [
  'codex-audit.config.json',
  'codex-audit.config.yaml',
  'codex-audit.config.yml',
  '.codex-auditrc',
  '.codex-auditrc.json',
  '.codex-auditrc.yaml',
  '.codex-auditrc.yml',
];

const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadedConfig {
  config: CodexAuditConfig;
  /** Where it came from, relative to the root when inside it (for messages). */
  source?: string;
}

function display(root: string, file: string): string {
  const rel = relative(root, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Parse JSON or YAML text without ever evaluating anything; YAML aliases are bounded. */
function parseData(text: string, name: string, yamlFirst: boolean): unknown {
  const tryJson = (): unknown => JSON.parse(text);
  const tryYaml = (): unknown => parseYaml(text, { maxAliasCount: 100, prettyErrors: true, merge: false, uniqueKeys: true });
  try {
    return yamlFirst ? tryYaml() : tryJson();
  } catch (e) {
    if (!yamlFirst && name.endsWith('rc')) {
      try {
        return tryYaml();
      } catch {
        /* report the JSON error below */
      }
    }
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new ConfigError(`${name}: not valid ${yamlFirst ? 'YAML' : 'JSON'}: ${msg}`);
  }
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Validate a parsed config object; errors name the file and every offending key path. */
export function validateConfig(data: unknown, name: string, keyPrefix = ''): CodexAuditConfig {
  if (data === null || data === undefined) return {};
  const result = configSchema.safeParse(data);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 10).map((i) => {
    const keys = i.code === 'unrecognized_keys' ? (i as { keys?: string[] }).keys ?? [] : [];
    const base = formatPath(i.path as PropertyKey[]);
    const at = keys.length ? keys.map((k) => (base === '(top level)' ? k : `${base}.${k}`)).join(', ') : base;
    const msg = i.code === 'unrecognized_keys' ? 'unknown key' : i.message;
    return `  ${keyPrefix}${at}: ${msg}`;
  });
  throw new ConfigError(`${name}: invalid configuration\n${lines.join('\n')}\nRun \`codex-audit schema\` to see every allowed key.`);
}

function readConfigFile(path: string, name: string): unknown {
  const st = statSync(path);
  if (!st.isFile()) throw new ConfigError(`${name}: not a regular file`);
  if (st.size > MAX_CONFIG_BYTES) throw new ConfigError(`${name}: larger than ${MAX_CONFIG_BYTES} bytes; a config file should be small`);
  const text = readFileSync(path, 'utf8');
  const yamlFirst = /\.ya?ml$/i.test(path);
  return parseData(text, name, yamlFirst);
}

/**
 * A discovered file (not one named by a flag) as the audit may read it: 'file' for a regular file whose
 * real path is inside the root, 'outside' for a symlink leaving the root (never read), else 'none'.
 */
function discovered(root: string, p: string): 'file' | 'outside' | 'none' {
  try {
    if (!lstatSync(p).isSymbolicLink()) return statSync(p).isFile() ? 'file' : 'none';
    const real = realpathSync(p);
    const realRoot = realpathSync(root);
    if (!real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) return 'outside';
    return statSync(real).isFile() ? 'file' : 'none';
  } catch {
    return 'none';
  }
}

/**
 * Load the configuration: `--config FILE` when given, else the first of CONFIG_FILES at the root, else
 * `package.json#codexAudit`. JSON and YAML only: nothing from the audited tree is ever executed.
 */
export function loadConfig(root: string, explicit?: string): LoadedConfig {
  if (explicit) {
    if (!existsSync(explicit)) throw new ConfigError(`--config: file not found: ${explicit}`);
    const name = display(root, explicit);
    return { config: validateConfig(readConfigFile(explicit, name), name), source: name };
  }
  for (const f of CONFIG_FILES) {
    const p = join(root, f);
    const found = discovered(root, p);
    if (found === 'outside') throw new ConfigError(`${f}: a symbolic link to a file outside the audited root; not read (pass it with --config FILE to use it)`);
    if (found === 'file') return { config: validateConfig(readConfigFile(p, f), f), source: f };
  }
  const pkg = join(root, 'package.json');
  let pkgIsFile = false;
  try {
    // A package.json linked from outside the root is not read (the walker reports the link).
    pkgIsFile = discovered(root, pkg) === 'file' && statSync(pkg).size <= MAX_CONFIG_BYTES;
  } catch {
    pkgIsFile = false;
  }
  if (pkgIsFile) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(pkg, 'utf8'));
    } catch {
      return { config: {} }; // a broken package.json is the audited repo's problem, not a config error
    }
    if (data && typeof data === 'object' && Object.prototype.hasOwnProperty.call(data, 'codexAudit')) {
      const cfg = (data as Record<string, unknown>).codexAudit;
      return { config: validateConfig(cfg, 'package.json', 'codexAudit.'), source: 'package.json#codexAudit' };
    }
  }
  return { config: {} };
}
