import type { FileFacts } from '../facts/types.js';
import { decodeFacts, encodeFacts, wireJson, type WireFacts } from '../facts/wire.js';
import { factsFromBytes, hashBytes } from '../facts/collect.js';
import { readFileSafe } from '../walk/decode.js';
import { FactsCache } from '../cache/cache.js';
import { compileTextPattern } from '../model/text-patterns.js';
import { languageOf, loadTypeScriptParser, needsTypeScriptParser } from '../parse/index.js';
import { FactFilter } from '../model/relevance.js';
import type { Signal } from '../model/capability.js';

/** What every job of one audit shares (sent once to each worker). */
export interface JobSetup {
  maxBytes: number;
  textPatterns: string[];
  forceFallback?: boolean;
  cacheDir?: string;
  cacheSalt: string[];
  /**
   * The signals of the audit (relevantSignals): each file's calls, assignments and names are cut down
   * to those these signals and the declared detectors can use (src/model/fact-use.ts). The cache keeps
   * every fact. Undefined keeps every fact.
   */
  keep?: Signal[];
  /** Set by the pool for its TS/JS phase: the worker need not load the Python grammar. */
  scriptOnly?: boolean;
  /**
   * Tests only (never set by the CLI): a worker given a job whose path ends with `hangOn` spins forever,
   * and one whose path ends with `crashOn` throws outside any handler, so the time limit and the
   * replacement of dead workers can be exercised.
   */
  testHooks?: { hangOn?: string; crashOn?: string };
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

/**
 * A result as a worker posts it: facts in their wire form (see facts/wire.ts), the three integer lists
 * as Int32Arrays whose buffers are transferred (no copy, nothing to parse), the string table and the
 * other facts as JSON text (cloning a string is a copy of its bytes, where cloning an object graph costs
 * the main thread more than parsing it; and the texts are those the cache entry is made of). The main
 * thread packs them straight from there.
 */
export type WireResult = (
  | Exclude<JobResult, { kind: 'facts' }>
  | { id: number; kind: 'facts-wire'; s: string; c: Int32Array; a: Int32Array; n: Int32Array; f: string; cached: boolean }
) & {
  /** The worker's V8 heap size in bytes after the job (see PoolOptions.recycleHeapBytes). */
  heap?: number;
};

/** The buffers a result can hand over instead of copying. */
export function transferables(r: WireResult): ArrayBuffer[] {
  return r.kind === 'facts-wire' ? [r.c.buffer as ArrayBuffer, r.a.buffer as ArrayBuffer, r.n.buffer as ArrayBuffer] : [];
}

/** The main thread's side of WireResult; `decode` builds the facts (e.g. a compactor's). */
export function fromWire(r: WireResult, decode: (w: WireFacts) => FileFacts = (w) => decodeFacts(w)): JobResult {
  if (r.kind !== 'facts-wire') {
    const { heap: _heap, ...outcome } = r;
    return outcome;
  }
  const w: WireFacts = { s: JSON.parse(r.s) as string[], c: r.c, a: r.a, n: r.n, f: JSON.parse(r.f) as WireFacts['f'] };
  return { id: r.id, kind: 'facts', facts: decode(w), cached: r.cached };
}

/** A wire form as a worker posts it; `texts` are the JSON texts of its string table and other facts. */
function toWireResult(id: number, w: WireFacts, texts: { s: string; f: string }, cached: boolean): WireResult {
  return { id, kind: 'facts-wire', s: texts.s, c: Int32Array.from(w.c), a: Int32Array.from(w.a), n: Int32Array.from(w.n), f: texts.f, cached };
}

interface Prepared {
  patterns: { source: string; re: RegExp }[];
  cache?: FactsCache;
  filter?: FactFilter;
}

const compiled = new WeakMap<JobSetup, Prepared>();

function prepared(setup: JobSetup): Prepared {
  let p = compiled.get(setup);
  if (!p) {
    p = {
      patterns: setup.textPatterns.map((source) => ({ source, re: compileTextPattern(source) })),
      cache: setup.cacheDir ? new FactsCache(setup.cacheDir, setup.cacheSalt) : undefined,
      filter: setup.keep ? new FactFilter(setup.keep) : undefined,
    };
    compiled.set(setup, p);
  }
  return p;
}

type Outcome = Exclude<JobResult, { kind: 'facts' }>;

/**
 * The unit of work, in a worker or in-process: read and hash the file, ask `hit` for a cached answer,
 * else parse it and hand the facts to `miss` (which stores them). Read failures and binary content are
 * outcomes of their own.
 */
async function work<T>(
  job: JobSpec,
  setup: JobSetup,
  hit: (cache: FactsCache, hash: string) => T | undefined,
  miss: (facts: FileFacts, cache: FactsCache | undefined) => T,
): Promise<T | Outcome> {
  const { patterns, cache } = prepared(setup);
  const read = await readFileSafe(job.abs, setup.maxBytes);
  if ('error' in read) return { id: job.id, kind: 'unreadable', path: job.path, message: read.error };
  const hash = hashBytes(read.bytes);
  const cached = cache ? hit(cache, hash) : undefined;
  if (cached !== undefined) return cached;
  if (needsTypeScriptParser(languageOf(job.path))) await loadTypeScriptParser();
  const out = factsFromBytes(job.path, read.bytes, { forceFallback: setup.forceFallback, textPatterns: patterns }, hash);
  if (out.kind === 'binary') return { id: job.id, kind: 'binary', path: job.path };
  if (out.kind === 'unreadable') return { id: job.id, kind: 'unreadable', path: job.path, message: out.message };
  return miss(out.facts, cache);
}

/** In-process: facts as objects. */
export async function runJob(job: JobSpec, setup: JobSetup): Promise<JobResult> {
  const { filter } = prepared(setup);
  const kept = (f: FileFacts): FileFacts => (filter ? filter.keep(f) : f);
  return work<JobResult>(
    job,
    setup,
    (cache, hash) => {
      const facts = cache.get(job.path, hash);
      return facts ? { id: job.id, kind: 'facts', facts: kept(facts), cached: true } : undefined;
    },
    (facts, cache) => {
      cache?.put(facts);
      return { id: job.id, kind: 'facts', facts: kept(facts), cached: false };
    },
  );
}

/** Facts encoded for the post; `f` is the JSON text of the other facts when it is already at hand. */
function encoded(id: number, facts: FileFacts, cached: boolean, f?: string): WireResult {
  const w = encodeFacts(facts);
  return toWireResult(id, w, { s: JSON.stringify(w.s), f: f ?? JSON.stringify(w.f) }, cached);
}

/**
 * In a worker: facts in wire form (see WireResult). The cache entry holds every fact; the post holds
 * those the filter keeps. Each part is serialised once when the post and the entry share it.
 */
export async function runJobWire(job: JobSpec, setup: JobSetup): Promise<WireResult> {
  const { filter } = prepared(setup);
  return work<WireResult>(
    job,
    setup,
    (cache, hash) => {
      if (filter) {
        // Decoding checks the entry in full: no separate check.
        const facts = cache.get(job.path, hash);
        return facts ? encoded(job.id, filter.keep(facts), true) : undefined;
      }
      const w = cache.wire(job.path, hash);
      return w ? toWireResult(job.id, w, { s: JSON.stringify(w.s), f: JSON.stringify(w.f) }, true) : undefined;
    },
    (facts, cache) => {
      const kept = filter ? filter.keep(facts) : facts;
      if (!cache) return encoded(job.id, kept, false);
      const w = encodeFacts(facts);
      const texts = { s: JSON.stringify(w.s), f: JSON.stringify(w.f) };
      cache.putText(facts.path, facts.hash, wireJson({ ...texts, c: JSON.stringify(w.c), a: JSON.stringify(w.a), n: JSON.stringify(w.n) }));
      // Only the three lists differ between the two: the other facts' text is the same.
      return kept === facts ? toWireResult(job.id, w, texts, false) : encoded(job.id, kept, false, texts.f);
    },
  );
}
