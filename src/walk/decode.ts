/**
 * Safe reading and text decoding of files from the audited tree.
 *
 * Reading never follows a final symlink, never opens anything but a regular file (a FIFO must not hang
 * the audit, a device must not be read), and never reads more than the limit plus one byte. Error
 * messages name no path: the caller knows which file it asked for and the report prints only
 * root-relative paths.
 */
import fs from 'node:fs';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'latin-1';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** Set when the bytes were not valid in the detected encoding (Latin-1 or replacement characters used). */
  issue?: string;
}

/** Why a read was refused; maps onto the walker's skip reasons. */
export type ReadFailure = 'too_large' | 'special' | 'unreadable';

const SNIFF_BYTES = 8192;
/** More than this share of control characters in the sniffed prefix means binary. */
const CONTROL_RATIO = 0.1;

/**
 * Binary: a NUL byte in the first 8 KiB (unless the file starts with a UTF-16 byte-order mark, then a NUL
 * code unit), or more than 10% control characters other than tab, newlines, form feed, backspace,
 * vertical tab and escape.
 */
export function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  if (n === 0) return false;
  const bom = utf16Bom(bytes);
  if (bom) {
    let units = 0;
    let control = 0;
    for (let i = 2; i + 1 < n; i += 2) {
      const unit = bom === 'le' ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1];
      if (unit === 0) return true;
      units++;
      if (unit < 0x80 && isControl(unit)) control++;
    }
    return units > 0 && control / units > CONTROL_RATIO;
  }
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (isControl(b)) control++;
  }
  return control / n > CONTROL_RATIO;
}

function isControl(c: number): boolean {
  if (c === 0x7f) return true;
  if (c >= 0x20) return false;
  // \b \t \n \v \f \r and ESC (ANSI colours in logs) are normal in text.
  return !(c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x1b);
}

/** A UTF-16 byte-order mark that is not the start of a UTF-32 LE one (FF FE 00 00). */
function utf16Bom(b: Uint8Array): 'le' | 'be' | undefined {
  if (b.length < 2) return undefined;
  if (b[0] === 0xfe && b[1] === 0xff) return 'be';
  if (b[0] === 0xff && b[1] === 0xfe && !(b.length >= 4 && b[2] === 0 && b[3] === 0)) return 'le';
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const strictUtf16 = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const lenientUtf16 = new TextDecoder('utf-16le', { fatal: false, ignoreBOM: true });

/**
 * UTF-8 with a BOM (stripped), UTF-16 LE/BE with a BOM (stripped), else strict UTF-8; bytes that are not
 * valid UTF-8 are decoded as Latin-1 (ISO-8859-1, one byte = one code point) with an issue naming the
 * first bad byte. Line endings are left as they are (CRLF, lone CR).
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const body = bytes.subarray(3);
    try {
      return { text: strictUtf8.decode(body), encoding: 'utf-8-bom' };
    } catch {
      return {
        text: lenientUtf8.decode(body),
        encoding: 'utf-8-bom',
        issue: `Invalid UTF-8 after a UTF-8 byte-order mark (${describeOffset(body, firstInvalidUtf8(body))}); the bad bytes were replaced with U+FFFD.`,
      };
    }
  }
  const bom = utf16Bom(bytes);
  if (bom) return decodeUtf16(bytes.subarray(2), bom);
  try {
    return { text: strictUtf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return {
      text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'),
      encoding: 'latin-1',
      issue: `Not valid UTF-8 (${describeOffset(bytes, at)}); decoded as Latin-1.`,
    };
  }
}

function decodeUtf16(body: Uint8Array, order: 'le' | 'be'): DecodedText {
  const encoding: TextEncoding = order === 'le' ? 'utf-16le' : 'utf-16be';
  const odd = body.length % 2 === 1;
  let units = odd ? body.subarray(0, body.length - 1) : body;
  if (order === 'be') {
    // Swap into a copy and decode as LE: works on Node builds without full ICU.
    const swapped = new Uint8Array(units.length);
    for (let i = 0; i + 1 < units.length; i += 2) {
      swapped[i] = units[i + 1];
      swapped[i + 1] = units[i];
    }
    units = swapped;
  }
  const name = order === 'le' ? 'UTF-16LE' : 'UTF-16BE';
  try {
    const text = strictUtf16.decode(units);
    if (!odd) return { text, encoding };
    return { text, encoding, issue: `${name} text has an odd number of bytes; the last byte was dropped.` };
  } catch {
    const extra = odd ? ' and an odd number of bytes (the last byte was dropped)' : '';
    return {
      text: lenientUtf16.decode(units),
      encoding,
      issue: `${name} text holds unpaired surrogates${extra}; they were replaced with U+FFFD.`,
    };
  }
}

function describeOffset(bytes: Uint8Array, at: number): string {
  if (at < 0) return 'invalid byte sequence';
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
  const hex = bytes[at].toString(16).toUpperCase().padStart(2, '0');
  return `first invalid byte 0x${hex} at offset ${at}, line ${line}`;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need = 2;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c === 0xe0) lo = 0xa0;
    else if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) need = 2;
    else if (c === 0xed) hi = 0x9f;
    else if (c === 0xf0) {
      need = 3;
      lo = 0x90;
    } else if (c >= 0xf1 && c <= 0xf3) need = 3;
    else if (c === 0xf4) {
      need = 3;
      hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= need; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += need + 1;
  }
  return -1;
}

const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;
const READ_FLAGS = fs.constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK;

export type ReadResult = { bytes: Uint8Array } | { error: string; reason: ReadFailure };

/**
 * Read at most `maxBytes` bytes of a regular file. Never throws. Refuses (with a path-free message):
 * symlinks, anything that is not a regular file (checked with lstat before opening and fstat after, so
 * a file swapped for a FIFO or a link meanwhile is not read), files over `maxBytes` (checked on the size
 * and on the bytes actually read: at most `maxBytes + 1` are read).
 */
export async function readFileSafe(abs: string, maxBytes: number): Promise<ReadResult> {
  let before: fs.Stats;
  try {
    before = await fs.promises.lstat(abs);
  } catch (e) {
    return fsFailure(e, 'inspected');
  }
  if (before.isSymbolicLink()) return { error: 'The path became a symbolic link; not followed when reading.', reason: 'unreadable' };
  if (!before.isFile()) return notRegular(before);
  if (before.size > maxBytes) return tooLarge(before.size, maxBytes);

  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(abs, READ_FLAGS);
  } catch (e) {
    return fsFailure(e, 'opened');
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return notRegular(st);
    if (st.dev !== before.dev || st.ino !== before.ino) {
      return { error: 'File was replaced while being opened; it cannot be read safely.', reason: 'unreadable' };
    }
    if (st.size > maxBytes) return tooLarge(st.size, maxBytes);
    const limit = maxBytes + 1;
    let buf = new Uint8Array(Math.min(limit, st.size + 1));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (buf.length >= limit) break;
        const grown = new Uint8Array(Math.min(limit, buf.length * 2 + 1));
        grown.set(buf);
        buf = grown;
      }
      const { bytesRead } = await fh.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) return tooLarge(total, maxBytes, true);
    return { bytes: total === buf.length ? buf : buf.subarray(0, total) };
  } catch (e) {
    return fsFailure(e, 'read');
  } finally {
    await fh.close().catch(() => undefined);
  }
}

export function fileTypeName(st: fs.Stats | fs.Dirent): string {
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symbolic link';
  return 'unknown file type';
}

function notRegular(st: fs.Stats): ReadResult {
  return { error: `Not a regular file (${fileTypeName(st)}); never opened for reading.`, reason: 'special' };
}

function tooLarge(size: number, maxBytes: number, grew = false): ReadResult {
  const what = grew ? `more than ${maxBytes} bytes were read` : `${size} bytes > ${maxBytes} bytes`;
  return { error: `File is larger than the size limit (${what}); not read.`, reason: 'too_large' };
}

/** A path-free message for a failed fs call. */
export function fsFailure(e: unknown, doing: 'inspected' | 'opened' | 'read'): { error: string; reason: ReadFailure } {
  const code = errorCode(e);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return { error: `File vanished before it could be ${doing} (${code}).`, reason: 'unreadable' };
  }
  if (code === 'ELOOP') return { error: 'The path became a symbolic link (ELOOP); not followed when reading.', reason: 'unreadable' };
  if (code === 'ENXIO' || code === 'EOPNOTSUPP') {
    return { error: `Not a regular file (socket or device, ${code}); never read.`, reason: 'special' };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return { error: `File cannot be ${doing}: permission denied (${code}).`, reason: 'unreadable' };
  }
  return { error: `File cannot be ${doing} (${code ?? 'unknown error'}).`, reason: 'unreadable' };
}

export function errorCode(e: unknown): string | undefined {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    return (e as { code: string }).code;
  }
  return undefined;
}
