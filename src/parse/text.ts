import type { FileFacts } from '../facts/types.js';
import { countLines, scanComment, shortText } from './comments.js';

/**
 * Plain text (`.txt`, `.rst`, anything without a reader): line counts only. Prose is not code, so no
 * markers are taken from it.
 *
 * This module also holds the few primitives the config readers (yaml, toml, json, ini, requirements,
 * dockerfile, markdown) share: issue recording, the capped key recorder, line splitting.
 */
export function parseText(text: string, facts: FileFacts): void {
  facts.parser = 'reader';
  facts.lines = countLines(text, 'none');
}

export const PARSE_STEP = 'STEP_2:PARSE';
/** Config keys kept per file; a file with more is reported once and the rest are dropped. */
export const MAX_KEYS = 20_000;
/** Requirements kept per file. */
export const MAX_REQUIREMENTS = 20_000;
/** Issues kept per file: a hostile file must not turn into a million Error Capture Blocks. */
export const MAX_ISSUES = 20;
/** Markers plus suppressions kept per file. */
export const MAX_MARKERS = 20_000;
/** A key segment longer than this is cut: keys are for matching, not for carrying data. */
export const MAX_SEGMENT = 200;
/** A whole key path longer than this is not recorded (deep nesting must not grow facts quadratically). */
export const MAX_KEY_LENGTH = 1_000;

/**
 * Split on `\n`, dropping a trailing `\r`: the same line numbering as `countLines` (a final newline
 * gives a last, empty line).
 */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** Short scalar text for a ConfigKeyFact value: cut before collapsing so a 5 MB value costs nothing. */
export function valueText(s: string): string {
  return shortText(s.length > 1000 ? s.slice(0, 1000) : s, 120);
}

/** shortText for messages and excerpts, cut first so a 5 MB line costs nothing. */
export function excerpt(s: string, max: number): string {
  return shortText(s.length > max * 4 ? s.slice(0, max * 4) : s, max);
}

/** A key segment as recorded: trimmed and bounded. */
export function segmentText(s: string): string {
  const t = s.length > MAX_SEGMENT ? s.slice(0, MAX_SEGMENT) : s;
  return t.trim();
}

export function joinKey(parent: string, segment: string): string {
  return parent ? parent + '.' + segment : segment;
}

/** What every marker or suppression comment contains. */
const COMMENT_HINT_RE = /TODO|FIXME|TBD|XXX|HACK|codex-audit/;

/**
 * Writes one reader's facts into a FileFacts record, enforcing the per-file caps. Each reader makes one
 * per file; `format` names the format in issue messages (`YAML`, `TOML`, ...).
 */
export class FactRecorder {
  private keyCapReported = false;
  private longKeyReported = false;
  private reqCapReported = false;
  private markerCapReported = false;

  constructor(
    readonly facts: FileFacts,
    private readonly format: string,
  ) {}

  /** Record a config key; false once the cap is reached (the caller may stop recording). */
  key(key: string, line: number, value?: string): boolean {
    const keys = this.facts.configKeys;
    if (keys.length >= MAX_KEYS) {
      if (!this.keyCapReported) {
        this.keyCapReported = true;
        this.issue(line, `more than ${MAX_KEYS} config keys; the rest of the file's keys are not recorded`);
      }
      return false;
    }
    if (key.length > MAX_KEY_LENGTH) {
      if (!this.longKeyReported) {
        this.longKeyReported = true;
        this.issue(line, `key path longer than ${MAX_KEY_LENGTH} characters (nested too deeply); such keys are not recorded`);
      }
      return true;
    }
    if (value === undefined) keys.push({ key, line });
    else keys.push({ key, line, value: valueText(value) });
    return true;
  }

  /** True once the key cap was hit (and reported): callers may skip building keys and values. */
  get keysFull(): boolean {
    return this.keyCapReported;
  }

  get requirementsFull(): boolean {
    return this.facts.requirements.length >= MAX_REQUIREMENTS && this.reqCapReported;
  }

  requirement(name: string, spec: string, pinned: boolean, line: number): void {
    const reqs = this.facts.requirements;
    if (reqs.length >= MAX_REQUIREMENTS) {
      if (!this.reqCapReported) {
        this.reqCapReported = true;
        this.issue(line, `more than ${MAX_REQUIREMENTS} requirements; the rest are not recorded`);
      }
      return;
    }
    reqs.push({ name, spec, pinned, line });
  }

  /**
   * Record the markers and suppressions of one comment (`scanComment`), skipping the many comments that
   * cannot hold one (its patterns are case-sensitive), up to MAX_MARKERS per file.
   */
  comment(text: string, line: number): void {
    if (!COMMENT_HINT_RE.test(text)) return;
    const facts = this.facts;
    if (facts.markers.length + facts.suppressions.length >= MAX_MARKERS) {
      if (!this.markerCapReported) {
        this.markerCapReported = true;
        this.issue(line, `more than ${MAX_MARKERS} markers; the rest are not recorded`);
      }
      return;
    }
    scanComment(text, line, facts);
  }

  /** Record a malformed-input problem at `line`; reading goes on. */
  issue(line: number, problem: string): void {
    const issues = this.facts.issues;
    if (issues.length > MAX_ISSUES) return;
    if (issues.length === MAX_ISSUES) {
      issues.push({
        step: PARSE_STEP,
        path: this.facts.path,
        message: `${this.format} line ${line}: further problems in this file are not reported`,
        context: `reading ${this.format} facts`,
      });
      return;
    }
    issues.push({
      step: PARSE_STEP,
      path: this.facts.path,
      // A quoted character may be half of a surrogate pair: messages stay well-formed.
      message: `${this.format} line ${line}: ${problem}`.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
      context: `reading ${this.format} facts (what was read before and after the problem is kept)`,
    });
  }

  /** Last resort: a reader bug must not abort the audit. */
  internalError(err: unknown): void {
    const msg = err instanceof Error ? err.message : String(err);
    this.facts.issues.push({
      step: PARSE_STEP,
      path: this.facts.path,
      message: `${this.format} reader failed: ${excerpt(msg, 200)}`,
      context: `reading ${this.format} facts (facts read before the failure are kept)`,
    });
  }
}

/** Tally one line into counts. */
export function tally(counts: FileFacts['lines'], kind: 'code' | 'comment' | 'blank'): void {
  counts.total++;
  counts[kind]++;
}

export function emptyCounts(): FileFacts['lines'] {
  return { total: 0, code: 0, comment: 0, blank: 0 };
}

/** The file name part of a POSIX path, lower-cased. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).toLowerCase();
}
