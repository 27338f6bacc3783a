import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
{{test_framework_import}}
import { applyOverrides, configFromArgv, deepMerge, loadConfig, parseOverride } from '{{module_import}}';

describe('layered config', () => {
  let dir = '';
  let defaults = '';
  const write = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'config-loader-'));
    defaults = write('defaults.json', { seed: 1, train: { lr: 0.1, batchSize: 8 } });
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('merges files over the defaults key by key', () => {
    const experiment = write('exp.json', { train: { lr: 0.01 } });
    expect(loadConfig([experiment], [], defaults)).toEqual({ seed: 1, train: { lr: 0.01, batchSize: 8 } });
  });

  it('applies typed overrides last', () => {
    const config = loadConfig([], ['train.lr=0.001', 'seed=7', 'name=baseline', 'tags=[1,2]'], defaults);
    expect(config).toEqual({ seed: 7, name: 'baseline', tags: [1, 2], train: { lr: 0.001, batchSize: 8 } });
  });

  it('reads --config and --set from the command line', () => {
    const experiment = write('exp.json', { train: { batchSize: 32 } });
    expect(configFromArgv(['--config', experiment, '--set', 'train.lr=0.5'], defaults)).toEqual({ seed: 1, train: { lr: 0.5, batchSize: 32 } });
  });

  it('refuses malformed overrides and leaves its inputs alone', () => {
    expect(() => parseOverride('train.lr')).toThrow(/KEY=VALUE/);
    expect(() => parseOverride('.lr=1')).toThrow(/KEY=VALUE/);
    const base = { a: { b: 1 } };
    deepMerge(base, { a: { b: 2 } });
    applyOverrides(base, ['a.b=3']);
    expect(base).toEqual({ a: { b: 1 } });
  });
});
