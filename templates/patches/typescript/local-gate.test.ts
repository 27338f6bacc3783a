import { readFileSync } from 'node:fs';
import { join } from 'node:path';
{{test_framework_import}}

// The npm scripts that form the local gate: the tests, and the tests with a coverage floor.
const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { scripts?: Record<string, string> };

describe('local gate (package.json scripts)', () => {
  it('has a test script', () => {
    expect(pkg.scripts?.test ?? '').not.toMatch(/no test specified|^$/);
  });

  it('has a coverage script with a floor', () => {
    const script = pkg.scripts?.['{{coverage_script}}'] ?? '';
    const floor = /(?:thresholds\.lines=|"lines":\s*)(\d+)/.exec(script)?.[1];
    expect(Number(floor)).toBeGreaterThan(0);
  });
});
