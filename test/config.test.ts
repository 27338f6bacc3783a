import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../src/config/load.js';
import { configJsonSchema } from '../src/config/schema.js';

const dirs: string[] = [];
function repo(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'ca-config-'));
  dirs.push(d);
  for (const [p, c] of Object.entries(files)) writeFileSync(join(d, p), c);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('finds codex-audit.config.yaml at the root', () => {
    const d = repo({ 'codex-audit.config.yaml': 'exclude: ["legacy/**"]\ndeferred:\n  modeling.peft: "later"\n' });
    const { config, source } = loadConfig(d);
    expect(source).toBe('codex-audit.config.yaml');
    expect(config.exclude).toEqual(['legacy/**']);
    expect(config.deferred).toEqual({ 'modeling.peft': 'later' });
  });
  it('reads package.json#codexAudit and names keys under it', () => {
    const d = repo({ 'package.json': JSON.stringify({ name: 'x', codexAudit: { gate: { minScore: 'high' } } }) });
    expect(() => loadConfig(d)).toThrow(/package\.json: invalid configuration\n {2}codexAudit\.gate\.minScore/);
  });
  it('rejects unknown keys with their path', () => {
    const d = repo({ 'codex-audit.config.json': JSON.stringify({ gate: { failOn: ['missing'], typo: 1 } }) });
    expect(() => loadConfig(d)).toThrow(/gate\.typo: unknown key/);
  });
  it('rejects prototype pollution keys instead of merging them', () => {
    const d = repo({ 'codex-audit.config.json': '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}' });
    expect(() => loadConfig(d)).toThrow(ConfigError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('bounds YAML aliases', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 12; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    const d = repo({ 'codex-audit.config.yaml': bomb.join('\n') + '\n' });
    expect(() => loadConfig(d)).toThrow(ConfigError);
  });
  it('reports invalid JSON with the file name', () => {
    const d = repo({ 'codex-audit.config.json': '{ nope' });
    expect(() => loadConfig(d)).toThrow(/codex-audit\.config\.json: not valid JSON/);
  });
  it('returns an empty config when there is none', () => {
    expect(loadConfig(repo({})).config).toEqual({});
  });
  it('names --config when the file is missing', () => {
    expect(() => loadConfig(repo({}), '/nonexistent/cfg.json')).toThrow(/--config: file not found/);
  });
});

describe('configJsonSchema', () => {
  it('is a JSON Schema object describing the top-level keys', () => {
    const s = configJsonSchema() as { type: string; properties: Record<string, unknown>; additionalProperties: boolean };
    expect(s.type).toBe('object');
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['include', 'exclude', 'deferred', 'gate', 'signals', 'capabilities']));
    expect(s.additionalProperties).toBe(false);
  });
});
