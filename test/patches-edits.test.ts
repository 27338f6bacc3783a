// Edits of existing files (README section, pre-commit hook, npm scripts): formatting is kept, the
// result parses, shapes the edit cannot handle safely are refused, and the diff built from the real
// text applies with `git apply` (so its context lines are right).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { addPackageScripts, addPreCommitRepo, appendMarkdownSection } from '../src/patches/edits.js';
import { fileDiff } from '../src/patches/unified.js';
import { gitApply, gitRepo, removeRepo } from './patches-kit.js';

const ENTRY = '- repo: https://github.com/gitleaks/gitleaks\n  rev: v8.18.2\n  hooks:\n    - id: gitleaks\n';

let repo = '';
beforeAll(() => {
  repo = gitRepo('ca-edits-');
});
afterAll(() => removeRepo(repo));

/** The diff of `before` -> `after` applies to a file holding `before` and yields exactly `after`. */
function expectApplies(name: string, before: string, after: string): void {
  writeFileSync(join(repo, name), before);
  const r = gitApply(repo, fileDiff(name, before, after), name, false);
  expect(r.status, r.stderr).toBe(0);
  expect(readFileSync(join(repo, name), 'utf8')).toBe(after);
}

describe('appendMarkdownSection', () => {
  const section = '## Quick start\n\n```bash\nnpm ci\n```\n';
  it.each([
    ['LF with a final newline', '# T\n\nText.\n', '# T\n\nText.\n\n## Quick start\n\n```bash\nnpm ci\n```\n'],
    ['no final newline', '# T\n\nText.', '# T\n\nText.\n\n## Quick start\n\n```bash\nnpm ci\n```\n'],
    ['trailing blank line kept single', '# T\n\n', '# T\n\n## Quick start\n\n```bash\nnpm ci\n```\n'],
    ['CRLF', '# T\r\n\r\nText.\r\n', '# T\r\n\r\nText.\r\n\r\n## Quick start\r\n\r\n```bash\r\nnpm ci\r\n```\r\n'],
  ])('%s', (label, before, expected) => {
    const after = appendMarkdownSection(before, section);
    expect(after).toBe(expected);
    expectApplies(`readme-${label.replace(/\W+/g, '-')}.md`, before, after ?? '');
  });
  it('refuses a README that ends inside a code block', () => {
    expect(appendMarkdownSection('# T\n\n```bash\nmake\n', section)).toBeUndefined();
  });
});

describe('addPreCommitRepo', () => {
  it('appends to an indented list and keeps the other repos', () => {
    const before = 'repos:\n  - repo: https://github.com/psf/black\n    rev: 24.3.0\n    hooks:\n      - id: black\n';
    const after = addPreCommitRepo(before, ENTRY);
    expect(after).toBe(before + '  - repo: https://github.com/gitleaks/gitleaks\n    rev: v8.18.2\n    hooks:\n      - id: gitleaks\n');
    expectApplies('indented.yaml', before, after ?? '');
  });
  it('follows an indentless list with wide dashes, before a later top-level key', () => {
    const before = 'default_stages: [pre-commit]\nrepos:\n-   repo: local\n    hooks:\n    -   id: lint\n        name: lint\n        entry: make lint\n        language: system\n\n# keep going\nfail_fast: true\n';
    const after = addPreCommitRepo(before, ENTRY);
    expect(after).toBeDefined();
    const data = parseYaml(after ?? '') as { repos: { repo: string; hooks: { id: string }[] }[]; fail_fast: boolean };
    expect(data.repos.map((r) => r.repo)).toEqual(['local', 'https://github.com/gitleaks/gitleaks']);
    expect(data.fail_fast).toBe(true);
    expect(after).toContain('        entry: make lint\n        language: system\n-   repo: https://github.com/gitleaks/gitleaks\n    rev: v8.18.2\n');
    expectApplies('indentless.yaml', before, after ?? '');
  });
  it('handles CRLF and a missing final newline', () => {
    const before = 'repos:\r\n  - repo: local\r\n    hooks:\r\n      - id: x\r\n        name: x\r\n        entry: x\r\n        language: system';
    const after = addPreCommitRepo(before, ENTRY);
    expect(after?.endsWith('      - id: gitleaks\r\n')).toBe(true);
    expectApplies('crlf.yaml', before, after ?? '');
  });
  it.each([
    ['a flow-style list', 'repos: [{repo: local, hooks: [{id: x, name: x, entry: x, language: system}]}]\n'],
    ['no repos key', 'fail_fast: true\n'],
    ['invalid YAML', 'repos:\n  - repo: [unclosed\n'],
    ['an empty list', 'repos: []\n'],
  ])('refuses %s', (_label, before) => {
    expect(addPreCommitRepo(before, ENTRY)).toBeUndefined();
  });
});

describe('addPackageScripts', () => {
  it('adds to an existing multi-line scripts object, keeping the indentation', () => {
    const before = '{\n    "name": "x",\n    "scripts": {\n        "build": "tsc"\n    },\n    "private": true\n}\n';
    const after = addPackageScripts(before, { test: 'vitest run' });
    expect(after).toBe('{\n    "name": "x",\n    "scripts": {\n        "build": "tsc",\n        "test": "vitest run"\n    },\n    "private": true\n}\n');
    expectApplies('pkg1.json', before, after ?? '');
  });
  it('creates the scripts object when there is none', () => {
    const before = '{\n  "name": "x",\n  "version": "1.0.0"\n}\n';
    const after = addPackageScripts(before, { test: 'vitest run', 'test:coverage': 'vitest run --coverage' });
    expect(JSON.parse(after ?? '')).toEqual({ name: 'x', version: '1.0.0', scripts: { test: 'vitest run', 'test:coverage': 'vitest run --coverage' } });
    expect(after).toContain('  "scripts": {\n    "test": "vitest run",\n');
    expectApplies('pkg2.json', before, after ?? '');
  });
  it('fills an empty or one-line scripts object, and escapes values', () => {
    expect(JSON.parse(addPackageScripts('{"scripts": {}}\n', { t: 'a "b"' }) ?? '')).toEqual({ scripts: { t: 'a "b"' } });
    expect(addPackageScripts('{"name": "x", "scripts": {"build": "tsc"}}\n', { test: 'jest' })).toBe('{"name": "x", "scripts": {"build": "tsc", "test": "jest"}}\n');
  });
  it('never replaces a script, and ignores a nested "scripts" key', () => {
    expect(addPackageScripts('{"scripts": {"test": "mocha"}}', { test: 'vitest run' })).toBeUndefined();
    const before = '{\n  "config": { "scripts": { "a": "b" } },\n  "name": "x"\n}\n';
    expect(JSON.parse(addPackageScripts(before, { test: 'jest' }) ?? '')).toEqual({ config: { scripts: { a: 'b' } }, name: 'x', scripts: { test: 'jest' } });
  });
  it('handles CRLF files', () => {
    const before = '{\r\n  "name": "x",\r\n  "scripts": {\r\n    "build": "tsc"\r\n  }\r\n}\r\n';
    const after = addPackageScripts(before, { test: 'jest' });
    expect(after).toBe('{\r\n  "name": "x",\r\n  "scripts": {\r\n    "build": "tsc",\r\n    "test": "jest"\r\n  }\r\n}\r\n');
    expectApplies('pkg3.json', before, after ?? '');
  });
  it.each([['not JSON', '{ name: x }'], ['scripts not an object', '{"scripts": "x"}'], ['an array', '[]']])('refuses %s', (_label, before) => {
    expect(addPackageScripts(before, { test: 'jest' })).toBeUndefined();
  });
});
