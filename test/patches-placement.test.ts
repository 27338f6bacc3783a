// Placement: where new files go and how they import each other, from the layout and the repository's
// own conventions (test folder or colocated tests, .spec/.test, `.js` or extensionless imports, jest).
import { beforeAll, describe, expect, it } from 'vitest';
import { factsOf } from './capabilities-kit.js';
import { initPython } from '../src/parse/python.js';
import { detectLayout } from '../src/model/layout.js';
import { pyRootExpr, pythonPlacement, testFrameworkImport, tsImportPath, tsPlacement, type TsPlacement } from '../src/patches/placement.js';

beforeAll(async () => {
  await initPython();
});

function placement(files: Record<string, string>): TsPlacement | string {
  const facts = Object.entries(files).map(([p, t]) => factsOf(p, t));
  return tsPlacement(detectLayout(facts), facts, (p) => files[p]);
}

describe('TypeScript placement', () => {
  it('follows colocated jest specs with extensionless imports', () => {
    const ts = placement({
      'package.json': JSON.stringify({ name: 'x', devDependencies: { jest: '^29', '@types/node': '^20' } }),
      'src/a.ts': "import { b } from './b';\nexport const a = b + 1;\n",
      'src/b.ts': 'export const b = 1;\n',
      'src/a.spec.ts': "import { describe, expect, it } from '@jest/globals';\nimport { a } from './a';\ndescribe('a', () => { it('is 2', () => { expect(a).toBe(2); }); });\n",
    });
    expect(ts).toMatchObject({ sourceDir: 'src', testDir: 'src', testSuffix: '.spec.ts', importExt: '', framework: 'jest', jestGlobalsImport: true, hasNodeTypes: true });
    if (typeof ts === 'string' || !ts.framework) return;
    expect(tsImportPath(ts.testDir, 'src/metrics-sink.ts', ts.importExt)).toBe('./metrics-sink');
    expect(testFrameworkImport({ ...ts, framework: ts.framework }, "describe('x', () => { it('y', () => { expect(1).toBe(1); }); });")).toBe("import { describe, expect, it } from '@jest/globals';");
  });

  it('follows a test/ folder with NodeNext .js imports and vitest', () => {
    const ts = placement({
      'package.json': JSON.stringify({ name: 'x', type: 'module', devDependencies: { vitest: '^4' } }),
      'src/a.ts': 'export const a = 1;\n',
      'test/a.test.ts': "import { expect, it } from 'vitest';\nimport { a } from '../src/a.js';\nit('a', () => { expect(a).toBe(1); });\n",
    });
    expect(ts).toMatchObject({ sourceDir: 'src', testDir: 'test', testSuffix: '.test.ts', importExt: '.js', framework: 'vitest', hasNodeTypes: false });
    if (typeof ts === 'string' || !ts.framework) return;
    expect(tsImportPath(ts.testDir, 'src/atomic-write.ts', ts.importExt)).toBe('../src/atomic-write.js');
    expect(testFrameworkImport({ ...ts, framework: ts.framework }, "beforeEach(() => {}); it('y', () => { expect(1).toBe(1); });")).toBe("import { beforeEach, expect, it } from 'vitest';");
  });

  it('knows no framework for a repository that tests with ava', () => {
    const ts = placement({
      'package.json': JSON.stringify({ name: 'x', type: 'module', devDependencies: { ava: '^6', '@types/node': '^20' } }),
      'source/a.ts': 'export const a = 1;\n',
      'test/a.ts': "import test from 'ava';\nimport { a } from '../source/a.js';\ntest('a', (t) => { t.is(a, 1); });\n",
    });
    expect(ts).toMatchObject({ sourceDir: undefined, framework: undefined });
  });

  it('needs a readable package.json', () => {
    expect(placement({ 'src/a.ts': 'export const a = 1;\n' })).toBe('no readable package.json at the root');
  });
});

describe('Python placement', () => {
  it('imports a src-layout package through src/ and counts folders up to the root', () => {
    const facts = [factsOf('src/pkg/__init__.py', ''), factsOf('src/pkg/core.py', 'def f():\n    return 1\n')];
    expect(pythonPlacement(detectLayout(facts))).toEqual({ moduleDir: 'src/pkg', importPrefix: 'pkg.', importRoot: 'src', testsDir: 'tests', coverageTarget: 'pkg', testStyle: 'pytest' });
    expect(pyRootExpr('tests/test_x.py')).toBe('Path(__file__).resolve().parents[1]');
    expect(pyRootExpr('src/pkg/x.py')).toBe('Path(__file__).resolve().parents[2]');
    expect(pyRootExpr('x.py')).toBe('Path(__file__).resolve().parents[0]');
  });
});
