import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
{{test_framework_import}}

// Installs are reproducible only from a lock file that matches package.json.
const root = process.cwd();
const lockPath = join(root, 'package-lock.json');

describe('dependency lock', () => {
  it('asks npm to write a lock file and exact versions', () => {
    const npmrc = readFileSync(join(root, '.npmrc'), 'utf8');
    expect(npmrc).toMatch(/^package-lock\s*=\s*true/m);
    expect(npmrc).toMatch(/^save-exact\s*=\s*true/m);
  });

  (existsSync(lockPath) ? it : it.skip)('locks every dependency of package.json', () => {
    type Manifest = { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages?: Record<string, Manifest> };
    const locked = lock.packages?.[''] ?? {};
    const names = (m: Manifest): string[] => [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.devDependencies ?? {})].sort();
    expect(names(locked)).toEqual(names(pkg));
  });
});
