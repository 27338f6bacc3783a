import { readFileSync } from 'node:fs';
import { join } from 'node:path';
{{test_framework_import}}

const SCANNERS = ['gitleaks', 'detect-secrets', 'detect-private-key', 'trufflehog'];

describe('pre-commit', () => {
  it('keeps a secrets scanner hook', () => {
    const text = readFileSync(join(process.cwd(), '{{precommit_file}}'), 'utf8');
    const hookIds = [...text.matchAll(/^\s*-?\s*id:\s*['"]?([\w.-]+)/gm)].map((m) => m[1] ?? '');
    expect(hookIds.filter((id) => SCANNERS.includes(id))).not.toEqual([]);
  });
});
