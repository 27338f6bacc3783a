import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
{{test_framework_import}}
import { configHash, metadataPath, readMetadata, saveCheckpoint, writeFileAtomic } from '{{module_import}}';

describe('writeFileAtomic', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'atomic-write-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('replaces the file and leaves no temporary file', () => {
    const path = join(dir, 'nested', 'state.json');
    writeFileAtomic(path, '{"v":1}');
    writeFileAtomic(path, '{"v":2}');
    expect(readFileSync(path, 'utf8')).toBe('{"v":2}');
    expect(readdirSync(join(dir, 'nested'))).toEqual(['state.json']);
  });

  it('keeps the previous file when the write fails', () => {
    const path = join(dir, 'state.json');
    writeFileAtomic(path, 'old');
    expect(() => writeFileAtomic(join(path, 'inside-a-file'), 'new')).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
  });

  it('writes metadata beside a checkpoint', () => {
    const path = join(dir, 'step-10.json');
    const config = { lr: 0.001, model: { layers: 2 } };
    const returned = saveCheckpoint(path, '{}', { step: 10, config, metrics: { loss: 0.5 } });
    expect(existsSync(metadataPath(path))).toBe(true);
    expect(readMetadata(path)).toEqual(returned);
    expect(returned).toMatchObject({ checkpoint: 'step-10.json', step: 10, metrics: { loss: 0.5 }, config, configHash: configHash(config) });
  });

  it('hashes configs independently of key order', () => {
    expect(configHash({ a: 1, b: { c: 2, d: 3 } })).toBe(configHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(configHash({ a: 1 })).not.toBe(configHash({ a: 2 }));
  });
});
