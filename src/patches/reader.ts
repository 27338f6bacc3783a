import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import type { ReadFile } from './placement.js';

/** Files the patch builder reads are small text files (README, package.json, a config). */
export const PATCH_READ_LIMIT = 1024 * 1024;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A reader of text files under `root` for the patch builder, so it can write context lines of the
 * files it modifies without touching the disk itself. It returns undefined (never throws) for a path
 * that is absolute, has `..`/empty segments or a NUL, goes through a symlink anywhere (one leaving the
 * root must not be read, and `git apply` refuses to patch through one inside it), is not a regular
 * file (FIFOs and devices are never opened for reading), is larger than `maxBytes`, or is not valid
 * UTF-8. A BOM is kept, so the context lines match the file byte for byte.
 */
export function rootBoundedReader(root: string, maxBytes = PATCH_READ_LIMIT): ReadFile {
  let realRoot: string | undefined;
  return (relPath: string): string | undefined => {
    if (relPath === '' || relPath.includes('\0') || relPath.includes('\\') || isAbsolute(relPath)) return undefined;
    if (relPath.split('/').some((s) => s === '' || s === '.' || s === '..')) return undefined;
    try {
      realRoot ??= realpathSync(root);
      const lexical = join(realRoot, ...relPath.split('/'));
      const real = realpathSync(lexical);
      if (real !== lexical || !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) return undefined;
      const pre = statSync(real);
      if (!pre.isFile() || pre.size > maxBytes) return undefined;
      // O_NONBLOCK: opening a FIFO that raced in after realpath must not hang; fstat then refuses it.
      const fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      try {
        const st = fstatSync(fd);
        if (!st.isFile() || st.size > maxBytes) return undefined;
        const buf = Buffer.alloc(st.size);
        let off = 0;
        while (off < st.size) {
          const n = readSync(fd, buf, off, st.size - off, off);
          if (n === 0) break;
          off += n;
        }
        return strictUtf8.decode(buf.subarray(0, off));
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined;
    }
  };
}
