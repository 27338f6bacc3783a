/**
 * Atomic file writes, and checkpoints with a metadata file beside them.
 *
 * A file is first written to a temporary file in the target folder, flushed to disk, then renamed
 * over the target: a crash or a full disk mid-write leaves the previous file intact instead of a
 * torn one. `saveCheckpoint` also writes `<checkpoint>.metadata.json` with the step, the metrics,
 * the config, a hash of the config and the git commit the code was at.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface CheckpointMetadata {
  checkpoint: string;
  step: number;
  metrics: Record<string, number>;
  config: unknown;
  configHash: string | null;
  gitCommit: string | null;
  savedAt: string;
}

export interface CheckpointInfo {
  step: number;
  config?: unknown;
  metrics?: Record<string, number>;
}

/** Write `data` to `path` atomically: a temporary file in the same folder, fsync, then rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmpPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const fd = openSync(tmpPath, 'wx', 0o644);
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmpPath, path);
  } catch (error) {
    rmSync(tmpPath, { force: true });
    throw error;
  }
}

/** Write a checkpoint atomically, then its metadata (`<path>.metadata.json`); returns the metadata. */
export function saveCheckpoint(path: string, data: string | Uint8Array, info: CheckpointInfo): CheckpointMetadata {
  writeFileAtomic(path, data);
  const metadata: CheckpointMetadata = {
    checkpoint: basename(path),
    step: Math.trunc(info.step),
    metrics: { ...(info.metrics ?? {}) },
    config: info.config ?? null,
    configHash: info.config === undefined ? null : configHash(info.config),
    gitCommit: gitCommit(dirname(path)),
    savedAt: new Date().toISOString(),
  };
  writeFileAtomic(metadataPath(path), JSON.stringify(metadata, null, 2) + '\n');
  return metadata;
}

/** Where the metadata of a checkpoint lives. */
export function metadataPath(checkpointPath: string): string {
  return `${checkpointPath}.metadata.json`;
}

/** The metadata written by `saveCheckpoint`. */
export function readMetadata(checkpointPath: string): CheckpointMetadata {
  return JSON.parse(readFileSync(metadataPath(checkpointPath), 'utf8')) as CheckpointMetadata;
}

/** A stable SHA-256 of a JSON-like value: the same keys and values give the same hash in any key order. */
export function configHash(config: unknown): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}

/** The commit SHA of the git checkout around `cwd` (with `-dirty` for local changes), or null. */
export function gitCommit(cwd: string = process.cwd()): string | null {
  try {
    const git = (args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
    const sha = git(['rev-parse', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    return sha === '' ? null : sha + (dirty ? '-dirty' : '');
  } catch {
    return null;
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
