import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

let memo: string | undefined;

/**
 * A random key of this user's, kept in the user's cache folder (never inside an audited tree), that salts
 * every cache key. A cache folder inside the audited tree (`node_modules/.cache/codex-audit`) is written
 * by whoever controls the tree: entries planted there must never match, or a hostile repository could
 * ship a forged report that the audit would print as its own. When the key cannot be stored, a key for
 * this process only is used (the cache then never hits across runs: slower, never wrong).
 */
export function cacheSecret(): string {
  if (memo !== undefined) return memo;
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'codex-audit');
  const file = join(dir, 'cache-key');
  const read = (): string | undefined => {
    try {
      const s = readFileSync(file, 'utf8').trim();
      return /^[0-9a-f]{64}$/.test(s) ? s : undefined;
    } catch {
      return undefined;
    }
  };
  memo = read();
  if (memo === undefined) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
      renameSync(tmp, file);
    } catch {
      /* read-only home: a per-process key below */
    }
    // Whichever concurrent run renamed last, everyone uses the key on disk.
    memo = read() ?? randomBytes(32).toString('hex');
  }
  return memo;
}
