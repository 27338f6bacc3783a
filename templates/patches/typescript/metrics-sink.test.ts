import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
{{test_framework_import}}
import { MetricsSink, readMetrics } from '{{module_import}}';

describe('MetricsSink', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'metrics-sink-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends one JSON object per line', () => {
    const path = join(dir, 'run', 'metrics.ndjson');
    const sink = new MetricsSink(path, { addTime: false });
    sink.log({ loss: 1.5 }, 1, { split: 'train' });
    sink.log({ loss: 1.25, accuracy: 0.5 }, 2, { split: 'val' });
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1] ?? '')).toEqual({ step: 2, split: 'val', loss: 1.25, accuracy: 0.5 });
    expect(readMetrics(path).map((r) => r.step)).toEqual([1, 2]);
  });

  it('writes NaN and Infinity as null', () => {
    const path = join(dir, 'metrics.jsonl');
    new MetricsSink(path, { addTime: false }).log({ loss: Number.NaN, ppl: Number.POSITIVE_INFINITY }, 3);
    expect(readMetrics(path)).toEqual([{ step: 3, loss: null, ppl: null }]);
  });

  it('keeps one CSV header across sinks and refuses new columns', () => {
    const path = join(dir, 'metrics.csv');
    new MetricsSink(path, { addTime: false }).log({ loss: 2 }, 1);
    const sink = new MetricsSink(path, { addTime: false });
    sink.log({ loss: 1 }, 2);
    expect(readFileSync(path, 'utf8')).toBe('step,loss\n1,2\n2,1\n');
    expect(() => sink.log({ loss: 1, accuracy: 0.9 }, 3)).toThrow(/accuracy/);
  });

  it('refuses an unknown extension', () => {
    expect(() => new MetricsSink(join(dir, 'metrics.txt'))).toThrow(/extension/);
  });
});
