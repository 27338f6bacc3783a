import { describe, expect, it } from 'vitest';
import { planOutputs, resolveTimestamp, parseSize, UsageError, formatFromPath } from '../src/cli.js';

describe('planOutputs', () => {
  it('defaults to Markdown on stdout', () => {
    expect(planOutputs(undefined, undefined)).toEqual([{ format: 'md' }]);
  });
  it('takes the format from each --out extension', () => {
    expect(planOutputs(['AUDIT.md', 'a.json'], undefined)).toEqual([
      { path: 'AUDIT.md', format: 'md' },
      { path: 'a.json', format: 'json' },
    ]);
  });
  it('lets --format decide for an unknown extension', () => {
    expect(planOutputs(['report.txt'], ['json'])).toEqual([{ path: 'report.txt', format: 'json' }]);
  });
  it('names the flag in errors', () => {
    expect(() => planOutputs(['report.txt'], undefined)).toThrow(/--out report.txt/);
    expect(() => planOutputs(undefined, ['html'])).toThrow(/--format: "html"/);
    expect(() => planOutputs(undefined, ['md', 'json'])).toThrow(UsageError);
  });
  it('knows .markdown', () => {
    expect(formatFromPath('x.markdown')).toBe('md');
  });
});

describe('resolveTimestamp', () => {
  it('prefers the flag, then SOURCE_DATE_EPOCH, then now', () => {
    expect(resolveTimestamp('2026-01-02T03:04:05Z', { SOURCE_DATE_EPOCH: '0' })).toBe('2026-01-02T03:04:05Z');
    expect(resolveTimestamp(undefined, { SOURCE_DATE_EPOCH: '86400' })).toBe('1970-01-02T00:00:00Z');
    expect(resolveTimestamp(undefined, {}, new Date('2026-12-01T10:00:00.123Z'))).toBe('2026-12-01T10:00:00Z');
  });
  it('rejects bad values naming the source', () => {
    expect(() => resolveTimestamp('yesterday', {})).toThrow(/--timestamp/);
    expect(() => resolveTimestamp(undefined, { SOURCE_DATE_EPOCH: 'abc' })).toThrow(/SOURCE_DATE_EPOCH/);
  });
});

describe('parseSize', () => {
  it('reads bytes and units', () => {
    expect(parseSize('--max-file-size', '1024')).toBe(1024);
    expect(parseSize('--max-file-size', '2M')).toBe(2 * 1024 * 1024);
    expect(parseSize('--max-file-size', '512k')).toBe(512 * 1024);
  });
  it('rejects junk naming the flag', () => {
    expect(() => parseSize('--max-file-size', 'lots')).toThrow(/--max-file-size/);
    expect(() => parseSize('--max-file-size', '0')).toThrow(/greater than 0/);
  });
});
