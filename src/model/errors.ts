import type { ScanIssue } from '../facts/types.js';
import type { ErrorBlock } from './types.js';

interface Explanation {
  test: RegExp;
  causes: string[];
  resolution: string[];
}

/** Possible causes and resolutions per kind of scan problem, matched on the issue message. */
const EXPLANATIONS: Explanation[] = [
  {
    test: /outside the audited root/i,
    causes: ['A symbolic link points to a file or folder outside the repository (a shared folder, a home directory, a system file).'],
    resolution: [
      'Nothing outside the root is ever read; if the target belongs to the project, copy it into the repository.',
      'Otherwise remove the link, or list it in `.codexauditignore` to silence this block.',
    ],
  },
  {
    test: /loop|already visited/i,
    causes: ['Symbolic links form a cycle, or link back to a folder that was already walked.'],
    resolution: ['The cycle was cut after the first visit; remove or fix the link if it is unintended.'],
  },
  {
    test: /dangling|does not exist|broken link/i,
    causes: ['A symbolic link points to a path that does not exist (a moved or deleted file, an unfetched submodule).'],
    resolution: ['Restore the target, or remove the link; if it is the README, commit the real file.'],
  },
  {
    test: /larger than|too large|max-file-size|exceeds/i,
    causes: ['A generated, minified or data file is checked in.', 'The size limit is lower than this repository needs.'],
    resolution: ['Raise the limit with `--max-file-size BYTES` (or `maxFileSize` in the config), or exclude the file with `--exclude`.'],
  },
  {
    test: /FIFO|socket|device|special file|not a regular file/i,
    causes: ['A named pipe, socket or device node lives inside the repository.'],
    resolution: ['Special files are never opened; remove it from the tree or list it in `.codexauditignore`.'],
  },
  {
    test: /looks binary/i,
    causes: ['A data or compiled file without a binary extension, or text in an encoding without a byte-order mark (UTF-16, UTF-32).'],
    resolution: ['Binary content is never parsed; if the file is source text, re-save it as UTF-8; otherwise list it in `.codexauditignore`.'],
  },
  {
    test: /UTF-8|Latin-1|decod|encoding|surrogate/i,
    causes: ['The file is not UTF-8 (a legacy encoding, UTF-16 without a byte-order mark) or holds invalid byte sequences.'],
    resolution: ['Re-save the file as UTF-8; until then it was read as Latin-1 and its facts may be approximate.'],
  },
  {
    test: /grammar|wasm/i,
    causes: ['The tree-sitter Python grammar could not be loaded (a damaged install, or a missing `.wasm` file).'],
    resolution: ['Reinstall codex-audit (`npm ci`); meanwhile Python files were read by the lexical fallback scanner.'],
  },
  {
    test: /time limit|timed out|took longer/i,
    causes: ['The file is pathological for the parser (extreme size or nesting).'],
    resolution: ['The file was cut off and skipped; exclude it or split it if it is real source.'],
  },
  {
    test: /syntax|parse|unexpected|expected|degraded|fallback/i,
    causes: ['The file has a syntax error or uses syntax the parser does not support.', 'The file is a template or fragment, not a complete module.'],
    resolution: ['Facts were extracted by the lexical fallback scanner (imports, definitions, markers); fix the syntax for full accuracy, or exclude the file.'],
  },
  {
    test: /config|key|invalid/i,
    causes: ['A configuration file does not match what the reader expects.'],
    resolution: ['Fix the value named above; see `codex-audit schema` for the expected shape.'],
  },
  {
    test: /permission|EACCES|EPERM|unreadable|cannot be read|ENOENT|vanished/i,
    causes: ['The file is not readable by this user, or it was removed or replaced while the audit ran.'],
    resolution: ['Fix the permissions or re-run the audit on a quiescent checkout.'],
  },
];

const GENERIC: Explanation = {
  test: /.*/,
  causes: ['An unexpected condition in this file.'],
  resolution: ['Re-run with `--verbose` for details; the rest of the audit is unaffected.'],
};

export function toErrorBlock(issue: ScanIssue): ErrorBlock {
  const e = EXPLANATIONS.find((x) => x.test.test(issue.message)) ?? GENERIC;
  return {
    step: issue.step,
    path: issue.path,
    message: issue.message,
    context: issue.context ?? `Scanning ${issue.path || 'the repository'}.`,
    causes: e.causes,
    resolution: e.resolution,
  };
}

export function toErrorBlocks(issues: ScanIssue[]): ErrorBlock[] {
  return issues
    .map(toErrorBlock)
    .sort((a, b) => cmp(a.path, b.path) || cmp(a.step, b.step) || cmp(a.message, b.message));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
