import type { FileFacts } from '../facts/types.js';

/** Where a repository keeps things: used to place suggested files in this repository's own layout. */
export interface RepoLayout {
  primary: 'python' | 'typescript' | 'none';
  /** Python import package path (`src/minillm` or `minillm`), if any. */
  pythonPackage?: string;
  /** Dotted import name of that package (`minillm`). */
  pythonImport?: string;
  /** TS/JS source folder (`src`), if any. */
  tsSource?: string;
  /** Tests folder (`tests`), if any. */
  testsDir?: string;
  testStyle: 'pytest' | 'unittest' | 'vitest' | 'jest' | 'node' | 'none';
  /** Config folder (`configs`), if any. */
  configDir?: string;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function detectLayout(files: FileFacts[]): RepoLayout {
  let py = 0;
  let ts = 0;
  const pkgCounts = new Map<string, number>();
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    if (f.language === 'python') py += f.lines.code;
    if (f.language === 'typescript' || f.language === 'javascript') ts += f.lines.code;
    if (f.path.endsWith('/__init__.py')) {
      const dir = f.path.slice(0, -'/__init__.py'.length);
      const segs = dir.split('/');
      const top = segs[0] === 'src' && segs.length >= 2 ? segs.slice(0, 2).join('/') : segs[0];
      if (/^(tests?|testing|docs|examples?|scripts)$/.test(top.split('/').pop() ?? '')) continue;
      pkgCounts.set(top, (pkgCounts.get(top) ?? 0) + 1);
    }
  }
  const primary = py === 0 && ts === 0 ? 'none' : py >= ts ? 'python' : 'typescript';
  const pythonPackage = [...pkgCounts.entries()].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0]?.[0];
  const testsDir = ['tests', 'test', '__tests__', 'testing'].find((d) => dirs.has(d));
  const configDir = ['configs', 'config', 'conf'].find((d) => dirs.has(d));
  const tsSource = dirs.has('src') && ts > 0 ? 'src' : undefined;
  const hasImport = (m: string): boolean => files.some((f) => f.imports.some((i) => i.module === m || i.module.startsWith(m + '/') || i.module.startsWith(m + '.')));
  let testStyle: RepoLayout['testStyle'] = 'none';
  if (primary === 'typescript') testStyle = hasImport('vitest') ? 'vitest' : hasImport('@jest/globals') || files.some((f) => /jest\.config/.test(f.path)) ? 'jest' : 'vitest';
  else if (primary === 'python') testStyle = hasImport('pytest') || files.some((f) => /(^|\/)(conftest\.py|pytest\.ini)$/.test(f.path)) ? 'pytest' : hasImport('unittest') ? 'unittest' : 'pytest';
  return {
    primary,
    pythonPackage,
    pythonImport: pythonPackage?.split('/').pop(),
    tsSource,
    testsDir,
    testStyle,
    configDir,
  };
}
