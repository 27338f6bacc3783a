/**
 * A metrics sink: one record per evaluation or log step, appended to an NDJSON or CSV file.
 *
 * `metrics.ndjson` (or `.jsonl`) gets one JSON object per line, `metrics.csv` one row per record.
 * Every record is appended synchronously, so `tail -f` works during a run and a crash loses at most
 * the record being written. NaN and infinite numbers are written as `null` (empty in CSV), so the
 * file stays valid JSON.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';

export const DEFAULT_METRICS_PATH = 'runs/metrics.ndjson';

export type MetricValue = number | string | boolean | null;
export type MetricsRecord = Record<string, MetricValue>;

export interface MetricsSinkOptions {
  /** Add a `time` field (seconds since the epoch) to every record; default true. */
  addTime?: boolean;
}

/** Appends metrics records to `metricsPath`; the format follows the extension (.ndjson/.jsonl or .csv). */
export class MetricsSink {
  readonly metricsPath: string;
  readonly format: 'ndjson' | 'csv';
  private readonly addTime: boolean;
  private fields: string[] | undefined;

  constructor(metricsPath: string = DEFAULT_METRICS_PATH, options: MetricsSinkOptions = {}) {
    this.metricsPath = metricsPath;
    const ext = extname(metricsPath).toLowerCase();
    if (ext !== '.ndjson' && ext !== '.jsonl' && ext !== '.csv') {
      throw new Error(`unsupported metrics file extension "${ext}": use .ndjson, .jsonl or .csv`);
    }
    this.format = ext === '.csv' ? 'csv' : 'ndjson';
    this.addTime = options.addTime ?? true;
    mkdirSync(dirname(metricsPath), { recursive: true });
    this.fields = this.format === 'csv' ? existingCsvHeader(metricsPath) : undefined;
  }

  /** Append one record (`step`, the metrics and any extra fields such as `{ split: 'val' }`). */
  log(metrics: Record<string, MetricValue>, step?: number, extra: Record<string, MetricValue> = {}): MetricsRecord {
    const metricsRecord: MetricsRecord = {};
    if (step !== undefined) metricsRecord.step = Math.trunc(step);
    if (this.addTime) metricsRecord.time = Math.round(Date.now()) / 1000;
    for (const [key, value] of Object.entries({ ...extra, ...metrics })) metricsRecord[key] = plain(value);
    if (this.format === 'ndjson') appendFileSync(this.metricsPath, JSON.stringify(metricsRecord) + '\n', 'utf8');
    else this.appendCsv(metricsRecord);
    return metricsRecord;
  }

  private appendCsv(metricsRecord: MetricsRecord): void {
    let header = '';
    if (this.fields === undefined) {
      this.fields = Object.keys(metricsRecord);
      header = this.fields.map(csvCell).join(',') + '\n';
    }
    const fields = this.fields;
    const unknown = Object.keys(metricsRecord).filter((key) => !fields.includes(key));
    if (unknown.length > 0) {
      throw new Error(`${this.metricsPath}: columns ${unknown.join(', ')} are not in the CSV header (${fields.join(', ')}); start a new file`);
    }
    const row = fields.map((key) => csvCell(metricsRecord[key] ?? null)).join(',');
    appendFileSync(this.metricsPath, header + row + '\n', 'utf8');
  }
}

/** Every record of an NDJSON metrics file written by `MetricsSink`. */
export function readMetrics(metricsPath: string): MetricsRecord[] {
  return readFileSync(metricsPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as MetricsRecord);
}

function plain(value: MetricValue): MetricValue {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

function csvCell(value: MetricValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function existingCsvHeader(metricsPath: string): string[] | undefined {
  if (!existsSync(metricsPath)) return undefined;
  const firstLine = readFileSync(metricsPath, 'utf8').split('\n', 1)[0] ?? '';
  return firstLine.trim() === '' ? undefined : firstLine.split(',');
}
