import { createHash } from 'node:crypto';
import type { FileFacts } from './types.js';
import { emptyFacts } from './types.js';
import type { WalkedFile } from '../walk/walk.js';
import { decodeText, isBinary, readFileSafe } from '../walk/decode.js';
import { languageOf, loadTypeScriptParser, needsTypeScriptParser, parseSource, type ParseOptions } from '../parse/index.js';

export type CollectOutcome =
  | { kind: 'facts'; facts: FileFacts }
  | { kind: 'binary'; path: string; size: number }
  | { kind: 'unreadable'; path: string; message: string };

/**
 * Read, hash, decode and parse one file into facts. This is the unit of work a worker runs and a cache
 * stores. Never throws: an unreadable file is an outcome, a parse problem is an issue inside the facts.
 */
export async function collectFileFacts(file: WalkedFile, maxBytes: number, opts: ParseOptions = {}): Promise<CollectOutcome> {
  const read = await readFileSafe(file.abs, maxBytes);
  if ('error' in read) return { kind: 'unreadable', path: file.path, message: read.error };
  if (needsTypeScriptParser(languageOf(file.path))) await loadTypeScriptParser();
  return factsFromBytes(file.path, read.bytes, opts);
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Synchronous: TS/JS sources need loadTypeScriptParser() awaited first (else they get fallback facts and an issue). */
export function factsFromBytes(path: string, bytes: Uint8Array, opts: ParseOptions = {}, hash = hashBytes(bytes)): CollectOutcome {
  if (isBinary(bytes)) return { kind: 'binary', path, size: bytes.length };
  const facts = emptyFacts(path, languageOf(path), bytes.length, hash);
  const decoded = decodeText(bytes);
  if (decoded.issue) {
    facts.issues.push({
      step: 'STEP_1:REPO_TRAVERSAL',
      path,
      message: decoded.issue,
      context: `Decoding ${path} as text before parsing.`,
    });
  }
  parseSource(decoded.text, facts, opts);
  return { kind: 'facts', facts };
}
