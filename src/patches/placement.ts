import { posix } from 'node:path';
import type { FileFacts } from '../facts/types.js';
import type { RepoLayout } from '../model/layout.js';

/**
 * Where suggested files go in the audited repository, and how they import each other: derived from
 * `detectLayout()` plus a few facts, and (for TypeScript conventions) from the text of one existing
 * file read through the injected reader. Nothing here touches the disk.
 */

export type ReadFile = (relPath: string) => string | undefined;

export interface PythonPlacement {
  /** Folder of new modules: the main package (`sentiment`, `src/minillm`) or '' (the root). */
  moduleDir: string;
  /** Dotted prefix of their import name (`sentiment.`, `minillm.`, ''). */
  importPrefix: string;
  /** Folder that must be on sys.path to import them ('' = the root, `src` for a src layout). */
  importRoot: string;
  /** Test folder (existing or `tests`). */
  testsDir: string;
  /** The package to measure coverage of (`sentiment`), or '.' for root modules. */
  coverageTarget: string;
  testStyle: 'pytest' | 'unittest';
}

export interface PackageJson {
  name?: string;
  type?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  packageManager?: string;
}

export interface TsPlacement {
  /** Folder of new modules (`src`); undefined when the repository has none (then only config/docs patches). */
  sourceDir: string | undefined;
  testDir: string;
  testSuffix: '.test.ts' | '.spec.ts';
  /** Extension written in relative imports (`.js` for NodeNext-style ESM, '' otherwise). */
  importExt: '.js' | '';
  /** The test runner the repository uses; undefined when it is neither (ava, mocha, node:test...). */
  framework: 'vitest' | 'jest' | undefined;
  /** Jest tests import their globals from `@jest/globals` (else they are ambient). */
  jestGlobalsImport: boolean;
  packageJson: PackageJson;
  /** `@types/node` is a dependency, so `node:` imports type-check. */
  hasNodeTypes: boolean;
}

const TS_TEST_NAME = /\.(test|spec)\.(ts|tsx|mts|cts)$/;

export function pythonPlacement(layout: RepoLayout): PythonPlacement {
  const pkg = layout.pythonPackage;
  const srcLayout = pkg?.startsWith('src/') ?? false;
  return {
    moduleDir: pkg ?? '',
    importPrefix: layout.pythonImport ? `${layout.pythonImport}.` : '',
    importRoot: srcLayout ? 'src' : '',
    testsDir: layout.testsDir ?? 'tests',
    coverageTarget: layout.pythonImport ?? '.',
    testStyle: layout.testStyle === 'unittest' ? 'unittest' : 'pytest',
  };
}

/** Python's `Path(__file__).resolve().parents[n]` for the repository root seen from a file at `relPath`. */
export function pyRootExpr(relPath: string): string {
  return `Path(__file__).resolve().parents[${relPath.split('/').length - 1}]`;
}

/** Number of folders between the repository root and a file in `dir` (`tests` -> 1). */
export function dirDepth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

export function parsePackageJson(text: string | undefined): PackageJson | undefined {
  if (text === undefined) return undefined;
  try {
    const data: unknown = JSON.parse(text);
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as PackageJson) : undefined;
  } catch {
    return undefined;
  }
}

function topDir(path: string): string {
  const i = path.indexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** The TS conventions of the repository, or a reason why TS files cannot be suggested. */
export function tsPlacement(layout: RepoLayout, files: FileFacts[], read: ReadFile): TsPlacement | string {
  const packageJson = parsePackageJson(read('package.json'));
  if (!packageJson) return 'no readable package.json at the root';
  const deps = { ...(packageJson.dependencies ?? {}), ...(packageJson.devDependencies ?? {}) };
  const tests = files.filter((f) => TS_TEST_NAME.test(f.path) && !f.path.includes('node_modules/'));
  // Test folder: where most existing TS tests live (a tests folder, or colocated in the source folder).
  const byDir = new Map<string, number>();
  for (const t of tests) byDir.set(topDir(t.path), (byDir.get(topDir(t.path)) ?? 0) + 1);
  const best = [...byDir.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const testDir = best !== undefined && best !== '' ? best : (layout.testsDir ?? 'test');
  const specs = tests.filter((t) => /\.spec\./.test(t.path)).length;
  const imports = (m: string): boolean => files.some((f) => f.imports.some((i) => i.module === m || i.module.startsWith(`${m}/`)));
  const jestGlobalsImport = imports('@jest/globals');
  const jest = jestGlobalsImport || 'jest' in deps || files.some((f) => /(^|\/)jest\.config\.[cm]?[jt]s$/.test(f.path));
  const framework = imports('vitest') ? 'vitest' : jestGlobalsImport ? 'jest' : 'vitest' in deps ? 'vitest' : jest ? 'jest' : undefined;
  return {
    sourceDir: layout.tsSource,
    testDir,
    testSuffix: specs * 2 > tests.length ? '.spec.ts' : '.test.ts',
    importExt: importExtension(files, read, packageJson),
    framework,
    jestGlobalsImport,
    packageJson,
    hasNodeTypes: '@types/node' in deps,
  };
}

const RELATIVE_IMPORT = /\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** `.js` when the repository writes relative imports with `.js` (NodeNext ESM), else ''. */
function importExtension(files: FileFacts[], read: ReadFile, pkg: PackageJson): '.js' | '' {
  const candidates = files.filter((f) => f.language === 'typescript' && f.imports.some((i) => i.relative)).slice(0, 5);
  for (const f of candidates) {
    const text = read(f.path);
    if (text === undefined) continue;
    const specs = [...text.matchAll(RELATIVE_IMPORT)].map((m) => m[1]);
    if (specs.some((s) => s.endsWith('.js'))) return '.js';
    if (specs.length > 0) return '';
  }
  const tsconfig = read('tsconfig.json') ?? '';
  return pkg.type === 'module' && /"module(Resolution)?"\s*:\s*"node(16|next)"/i.test(tsconfig) ? '.js' : '';
}

/** The import specifier from a file in `fromDir` to the module file `toFile` (without `.ts`). */
export function tsImportPath(fromDir: string, toFile: string, ext: '.js' | ''): string {
  const rel = posix.relative(fromDir, toFile.replace(/\.ts$/, ''));
  return (rel.startsWith('.') ? rel : `./${rel}`) + ext;
}

/** The import line of the test framework for the names a test template uses. */
export function testFrameworkImport(ts: TsPlacement & { framework: 'vitest' | 'jest' }, template: string): string {
  const names = ['afterEach', 'beforeEach', 'describe', 'expect', 'it'].filter((n) => new RegExp(`\\b${n}\\b`).test(template));
  if (ts.framework === 'jest' && !ts.jestGlobalsImport) return '';
  return `import { ${names.join(', ')} } from '${ts.framework === 'jest' ? '@jest/globals' : 'vitest'}';`;
}
