import type { FileFacts } from '../facts/types.js';
import { factsFromBytes, hashBytes } from '../facts/collect.js';
import { readFileSafe } from '../walk/decode.js';
import { FactsCache } from '../cache/cache.js';
import { compileTextPattern } from '../model/text-patterns.js';

/** What every job of one audit shares (sent once to each worker). */
export interface JobSetup {
  maxBytes: number;
  textPatterns: string[];
  forceFallback?: boolean;
  cacheDir?: string;
  cacheSalt: string[];
}

export interface JobSpec {
  id: number;
  path: string;
  abs: string;
}

export type JobResult =
  | { id: number; kind: 'facts'; facts: FileFacts; cached: boolean }
  | { id: number; kind: 'binary'; path: string }
  | { id: number; kind: 'unreadable'; path: string; message: string };

const compiled = new WeakMap<JobSetup, { patterns: { source: string; re: RegExp }[]; cache?: FactsCache }>();

function prepared(setup: JobSetup): { patterns: { source: string; re: RegExp }[]; cache?: FactsCache } {
  let p = compiled.get(setup);
  if (!p) {
    p = {
      patterns: setup.textPatterns.map((source) => ({ source, re: compileTextPattern(source) })),
      cache: setup.cacheDir ? new FactsCache(setup.cacheDir, setup.cacheSalt) : undefined,
    };
    compiled.set(setup, p);
  }
  return p;
}

/** Read, hash, look up the cache, else parse and store: the unit of work, in a worker or in-process. */
export async function runJob(job: JobSpec, setup: JobSetup): Promise<JobResult> {
  const { patterns, cache } = prepared(setup);
  const read = await readFileSafe(job.abs, setup.maxBytes);
  if ('error' in read) return { id: job.id, kind: 'unreadable', path: job.path, message: read.error };
  const hash = hashBytes(read.bytes);
  const hit = cache?.get(job.path, hash);
  if (hit) return { id: job.id, kind: 'facts', facts: hit, cached: true };
  const out = factsFromBytes(job.path, read.bytes, { forceFallback: setup.forceFallback, textPatterns: patterns }, hash);
  if (out.kind === 'binary') return { id: job.id, kind: 'binary', path: job.path };
  if (out.kind === 'unreadable') return { id: job.id, kind: 'unreadable', path: job.path, message: out.message };
  cache?.put(out.facts);
  return { id: job.id, kind: 'facts', facts: out.facts, cached: false };
}
