import { describe, expect, it } from 'vitest';
import { escapeCell, escapeInline, evidenceLink, linkTarget, escapeFenced, wellFormed } from '../src/report/escape.js';

/** Count the cells of a GFM table row the way a renderer splits it: on pipes not preceded by a backslash. */
function cells(row: string): number {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).length;
}

describe('escapeCell', () => {
  const hostile = [
    'a|b<script>alert(1)</script>.py',
    '](javascript:alert(1))',
    '[x](javascript:alert(1))',
    'line1\nline2\r\nline3',
    '`code` and ``more``',
    '\\|still one cell',
    'tab\tand\u0007bell\u001b[31m',
    '<img src=x onerror=alert(1)>',
    '',
    '   ',
    '\u202eevil\u202c',
  ];
  it.each(hostile)('keeps a table row at 3 cells for %j', (s) => {
    const row = `| ${escapeCell(s)} | ${escapeCell(s)} | ok |`;
    expect(cells(row)).toBe(3);
    expect(row).not.toMatch(/\n/);
    expect(row).not.toMatch(/<[a-z]/i);
    expect(row).not.toMatch(/(?<!\\)\]\(/);
  });

  it('renders empty text as a dash so the column stays visible', () => {
    expect(escapeCell('')).toBe('—');
  });

  it('makes control and bidi characters visible', () => {
    expect(escapeInline('a\u0007b')).toBe('a\\\\u0007b');
    expect(escapeInline('\u202e')).toContain('u202e');
  });
});

describe('links', () => {
  it('encodes link targets so no scheme or parenthesis escapes', () => {
    expect(linkTarget('javascript:alert(1)')).toBe('javascript%3Aalert%281%29');
    expect(linkTarget('src/my file.py', 12)).toBe('src/my%20file.py#L12');
  });
  it('builds path:line links with escaped labels', () => {
    expect(evidenceLink('a_b.py', 3)).toBe('[a\\_b.py:3](a_b.py#L3)');
  });
});

describe('fenced text', () => {
  it('cannot close a fence', () => {
    expect(escapeFenced('```\nboom')).not.toMatch(/^```/m);
  });
  it('replaces lone surrogates', () => {
    expect(wellFormed('a\ud800b')).toBe('a\ufffdb');
    expect(wellFormed('\ud83d\ude00')).toBe('\ud83d\ude00');
  });
});
