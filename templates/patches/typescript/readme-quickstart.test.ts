import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
{{test_framework_import}}

const README = join(process.cwd(), '{{readme}}');

function quickStart(): string | undefined {
  const text = readFileSync(README, 'utf8');
  return /^#+\s*Quick start\s*$([\s\S]*?)(?=^#+\s|(?![\s\S]))/im.exec(text)?.[1];
}

describe('README quick start', () => {
  it('has a quick start with commands', () => {
    expect(quickStart()).toContain('```');
  });

  it('runs only npm scripts that exist', () => {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    const used = [...(quickStart() ?? '').matchAll(/npm run ([\w:.-]+)/g)].map((m) => m[1] ?? '');
    expect(used.filter((name) => !(name in (pkg.scripts ?? {})))).toEqual([]);
    expect(existsSync(README)).toBe(true);
  });
});
