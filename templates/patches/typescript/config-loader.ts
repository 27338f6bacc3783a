/**
 * Layered configuration: defaults, then JSON config files, then `--set key=value` overrides.
 *
 * `loadConfig([files], [overrides])` starts from the defaults file ({{default_config_doc}}),
 * deep-merges each file in order (later files win, nested objects merge key by key) and applies the
 * overrides last. Override values are read as JSON when they parse (`3`, `0.1`, `true`, `null`,
 * `[1,2]`) and as strings otherwise. `configFromArgv(process.argv.slice(2))` reads `--config FILE`
 * and `--set KEY=VALUE` (both repeatable) from the command line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export type ConfigValue = string | number | boolean | null | ConfigValue[] | ConfigObject;
export interface ConfigObject {
  [key: string]: ConfigValue;
}

/** The defaults file loaded first, relative to the working directory (undefined: no defaults file). */
export const DEFAULT_CONFIG_PATH: string | undefined = {{default_config_expr}};

function isObject(value: unknown): value is ConfigObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A new object: `base` with `override` merged in; nested objects merge, everything else is replaced. */
export function deepMerge(base: ConfigObject, override: ConfigObject): ConfigObject {
  const merged: ConfigObject = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isObject(value) && isObject(current) ? deepMerge(current, value) : structuredClone(value);
  }
  return merged;
}

/** `"train.lr=0.001"` -> `{ keys: ['train', 'lr'], value: 0.001 }`. */
export function parseOverride(text: string): { keys: string[]; value: ConfigValue } {
  const eq = text.indexOf('=');
  const keys = (eq < 0 ? text : text.slice(0, eq)).trim().split('.').map((k) => k.trim());
  if (eq < 0 || keys.some((k) => k === '')) throw new Error(`override "${text}" is not KEY=VALUE (nested keys with dots: train.lr=0.001)`);
  const raw = text.slice(eq + 1);
  let value: ConfigValue;
  try {
    value = JSON.parse(raw) as ConfigValue;
  } catch {
    value = raw;
  }
  return { keys, value };
}

/** A new object with every `KEY=VALUE` override applied, creating nested objects as needed. */
export function applyOverrides(config: ConfigObject, overrides: readonly string[]): ConfigObject {
  const result = structuredClone(config);
  for (const text of overrides) {
    const { keys, value } = parseOverride(text);
    let node = result;
    for (const key of keys.slice(0, -1)) {
      const child = node[key];
      if (isObject(child)) node = child;
      else {
        const created: ConfigObject = {};
        node[key] = created;
        node = created;
      }
    }
    node[keys[keys.length - 1] ?? ''] = value;
  }
  return result;
}

/** Read one JSON config file; its top level must be an object. */
export function loadConfigFile(path: string): ConfigObject {
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!isObject(data)) throw new Error(`${path}: the top level must be an object`);
  return data;
}

/** Defaults (`defaultsPath`, else DEFAULT_CONFIG_PATH when it exists), then `files`, then `overrides`. */
export function loadConfig(files: readonly string[] = [], overrides: readonly string[] = [], defaultsPath: string | undefined = DEFAULT_CONFIG_PATH): ConfigObject {
  let config: ConfigObject = defaultsPath !== undefined && existsSync(defaultsPath) ? loadConfigFile(defaultsPath) : {};
  for (const file of files) config = deepMerge(config, loadConfigFile(file));
  return applyOverrides(config, overrides);
}

/** Resolve the config from `--config FILE` and `--set KEY=VALUE` arguments (others are ignored). */
export function configFromArgv(argv: readonly string[], defaultsPath: string | undefined = DEFAULT_CONFIG_PATH): ConfigObject {
  const { values } = parseArgs({
    args: [...argv],
    options: { config: { type: 'string', multiple: true }, set: { type: 'string', multiple: true } },
    strict: false,
    allowPositionals: true,
  });
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return loadConfig(strings(values.config), strings(values.set), defaultsPath);
}
