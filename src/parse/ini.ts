import type { ConfigKeyFact, FileFacts } from '../facts/types.js';
import { readRequirement } from './requirements.js';
import { FactRecorder, baseName, emptyCounts, excerpt, joinKey, segmentText, splitLines, tally, valueText } from './text.js';

/**
 * INI / CFG reader (setup.cfg, tox.ini, .flake8, .coveragerc, pytest.ini), in configparser's dialect.
 *
 * Keys (ConfigKeyFact): each `[section]` at its line (the name as written, colon kept:
 * `[tool:pytest]` -> `tool:pytest`, `[testenv:py311]` -> `testenv:py311`), and each option as
 * `section.key` (`tool:pytest.addopts`); options before any section are bare keys. `key = value` and
 * `key: value` both work; indented continuation lines extend the value, which is the joined text at most
 * 120 chars (`addopts =\n  -q\n  --cov` -> `-q --cov`).
 * Comments: lines starting with `#` or `;`, and inline ` #`/` ;` after white space; markers come from them.
 * Requirements: in setup.cfg, each line of `[options] install_requires` and of every
 * `[options.extras_require]` option (one PEP 508 requirement per line).
 */
export function parseIni(text: string, facts: FileFacts): void {
  facts.parser = 'reader';
  const out = new FactRecorder(facts, 'INI');
  try {
    readIni(text, out, baseName(facts.path) === 'setup.cfg');
  } catch (err) {
    out.internalError(err);
  }
}

/** Start of an inline comment: `#` or `;` after white space; -1 when none. */
function inlineComment(s: string): number {
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if ((c === '#' || c === ';') && (s[i - 1] === ' ' || s[i - 1] === '\t')) return i;
  }
  return -1;
}

function readIni(text: string, out: FactRecorder, setupCfg: boolean): void {
  const counts = emptyCounts();
  const lines = text.length === 0 ? [] : splitLines(text);
  let section = '';
  /** The option whose value continuation lines extend. */
  let current: { fact: ConfigKeyFact | null; parts: string[]; requirements: boolean } | null = null;

  const finish = (): void => {
    if (current && current.fact && current.parts.length > 0) current.fact.value = valueText(current.parts.join(' '));
    current = null;
  };
  const requirementLine = (s: string, line: number): void => {
    if (s.length === 0) return;
    const req = readRequirement(s);
    if (req) out.requirement(req.name, req.spec, req.pinned, line);
    else out.issue(line, `not a requirement: ${excerpt(s, 60)}`);
  };
  /** A value piece without its inline comment (markers recorded). */
  const valuePart = (s: string, line: number): string => {
    const c = inlineComment(s);
    if (c === -1) return s.trim();
    out.comment(s.slice(c), line);
    return s.slice(0, c).trim();
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    const t = raw.trim();
    if (t.length === 0) {
      tally(counts, 'blank');
      continue;
    }
    if (t[0] === '#' || t[0] === ';') {
      out.comment(t, lineNo);
      tally(counts, 'comment');
      continue;
    }
    tally(counts, 'code');
    const indented = raw[0] === ' ' || raw[0] === '\t';
    if (indented && current) {
      const part = valuePart(t, lineNo);
      if (part.length > 0) {
        if (current.parts.length < 50) current.parts.push(part);
        if (current.requirements) requirementLine(part, lineNo);
      }
      continue;
    }
    finish();
    if (t[0] === '[') {
      const close = t.indexOf(']');
      if (close === -1) {
        out.issue(lineNo, 'section header not closed with ]');
        continue;
      }
      section = segmentText(t.slice(1, close));
      out.key(section, lineNo);
      const rest = t.slice(close + 1).trim();
      if (rest.length > 0 && rest[0] !== '#' && rest[0] !== ';') out.issue(lineNo, 'text after the section header');
      else if (rest.length > 0) out.comment(rest, lineNo);
      continue;
    }
    if (indented) {
      out.issue(lineNo, 'indented line with no option to continue');
      continue;
    }
    let sep = -1;
    for (let j = 0; j < t.length; j++) {
      if (t[j] === '=' || t[j] === ':') {
        sep = j;
        break;
      }
    }
    if (sep <= 0) {
      out.issue(lineNo, sep === 0 ? 'option without a name' : `not 'key = value': ${excerpt(t, 60)}`);
      continue;
    }
    const key = joinKey(section, segmentText(t.slice(0, sep)));
    const value = valuePart(t.slice(sep + 1), lineNo);
    const recorded = out.key(key, lineNo, value.length > 0 ? value : undefined);
    const facts = out.facts.configKeys;
    const optionName = t.slice(0, sep).trim();
    const requirements =
      setupCfg && ((section === 'options' && optionName === 'install_requires') || section === 'options.extras_require');
    current = { fact: recorded ? facts[facts.length - 1] : null, parts: value.length > 0 ? [value] : [], requirements };
    if (requirements) requirementLine(value, lineNo);
  }
  finish();
  out.facts.lines = counts;
}
