import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { FileFacts } from '../facts/types.js';
import { checkWire, decodeFacts, encodeFacts, type WireFacts } from '../facts/wire.js';

/**
 * Per-file facts cache, keyed by content hash, path, tool version, parser versions and the options that
 * change facts. One small JSON file per entry, written to a temp name and renamed, so concurrent runs
 * never see a torn entry; anything unreadable or inconsistent is ignored (and rebuilt), never trusted.
 */
export class FactsCache {
  private readonly salt: string;
  /** Shard folders known to exist (one mkdir each per process, not one per entry). */
  private readonly made = new Set<string>();
  constructor(
    readonly dir: string,
    saltParts: string[],
  ) {
    this.salt = saltParts.join('\u0000');
  }

  key(path: string, contentHash: string): string {
    return createHash('sha256').update(this.salt).update('\u0000').update(path).update('\u0000').update(contentHash).digest('hex');
  }

  private file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The entry's facts, decoded in full (a damaged entry is a miss). */
  get(path: string, contentHash: string): FileFacts | undefined {
    const w = this.entry(path, contentHash);
    try {
      return w ? decodeFacts(w) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The entry's wire form, checked in full (a damaged entry is a miss) without building the facts. */
  wire(path: string, contentHash: string): WireFacts | undefined {
    const w = this.entry(path, contentHash);
    try {
      if (w) checkWire(w);
      return w;
    } catch {
      return undefined;
    }
  }

  /** The stored wire form when the entry is this key's, for this path and hash, and shaped like facts. */
  private entry(path: string, contentHash: string): WireFacts | undefined {
    const key = this.key(path, contentHash);
    try {
      const entry = JSON.parse(readFileSync(this.file(key), 'utf8')) as { key?: string; w?: WireFacts };
      const w = entry.w;
      if (entry.key !== key || !w || typeof w.f !== 'object' || w.f === null || w.f.path !== path || w.f.hash !== contentHash) return undefined;
      if (!Array.isArray(w.f.imports) || !Array.isArray(w.f.definitions) || !Array.isArray(w.f.issues)) return undefined;
      return w;
    } catch {
      return undefined;
    }
  }

  put(facts: FileFacts): void {
    this.putText(facts.path, facts.hash, JSON.stringify(encodeFacts(facts)));
  }

  /** Store facts already in wire form and serialised (`JSON.stringify(encodeFacts(f))`). */
  putText(path: string, contentHash: string, wireJson: string): void {
    const key = this.key(path, contentHash);
    const entry = `{"key":${JSON.stringify(key)},"w":${wireJson}}`;
    const target = this.file(key);
    const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const shard = join(this.dir, key.slice(0, 2));
      if (!this.made.has(shard)) {
        mkdirSync(shard, { recursive: true });
        this.made.add(shard);
      }
      writeFileSync(tmp, entry);
      renameSync(tmp, target);
    } catch {
      // A cache that cannot be written only costs speed (the shard may have been removed meanwhile).
      this.made.delete(join(this.dir, key.slice(0, 2)));
      try {
        unlinkSync(tmp);
      } catch {
        /* nothing to clean */
      }
    }
  }
}

/**
 * Whole-report cache: a finished report keyed by the tree's manifest (every path with its content hash),
 * the options and the tool build. A warm re-audit of an unchanged tree then costs a walk, reading and
 * hashing the files, and one JSON read. Like FactsCache: atomic writes, anything inconsistent ignored.
 */
export class ReportCache<T> {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    return join(this.dir, 'reports', `${key}.json`);
  }

  get(key: string): T | undefined {
    try {
      const entry = JSON.parse(readFileSync(this.file(key), 'utf8')) as { key?: string; value?: T };
      return entry.key === key && entry.value !== undefined ? entry.value : undefined;
    } catch {
      return undefined;
    }
  }

  put(key: string, value: T): void {
    const target = this.file(key);
    const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(join(this.dir, 'reports'), { recursive: true });
      writeFileSync(tmp, JSON.stringify({ key, value }));
      renameSync(tmp, target);
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        /* nothing to clean */
      }
    }
  }
}
