// The patch templates: every file in templates/patches/ is used by the catalog, and the Python
// modules import third-party libraries (torch, numpy, mlflow, ...) only behind `except ImportError`
// guards, so they import, and their tests run, where those libraries are absent.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { patchTemplateDir, placeholdersOf } from '../src/patches/templates.js';
import { PROJECT, PYTHON } from './patches-kit.js';

const dir = patchTemplateDir();
const templates = readdirSync(dir).flatMap((sub) => readdirSync(join(dir, sub)).map((f) => `${sub}/${f}`)).sort();
const catalog = readFileSync(join(PROJECT, 'src', 'patches', 'catalog.ts'), 'utf8');

describe('patch templates', () => {
  it('are all referenced by the catalog', () => {
    const unused = templates.filter((t) => {
      const [sub, file] = t.split('/');
      const stem = file.replace(/^test_/, '').replace(/\.test\.ts$/, '').replace(/\.(py|ts)$/, '');
      if (sub === 'python' && /\.py$/.test(file) && templates.includes(`python/test_${stem}.py`) && catalog.includes(`pyModule(ctx, '${stem}'`)) return false;
      if (sub === 'typescript' && /\.ts$/.test(file) && templates.includes(`typescript/${stem}.test.ts`) && catalog.includes(`tsModule(ctx, '${stem}'`)) return false;
      if (t === 'python/tox.ini' || t === 'python/noxfile.py') return !catalog.includes(`'${file}'`);
      return !catalog.includes(`'${t}'`);
    });
    expect(unused).toEqual([]);
  });

  it('use only lower-case placeholders', () => {
    for (const t of templates) {
      const text = readFileSync(join(dir, t), 'utf8');
      expect(text.match(/\{\{/g)?.length ?? 0, t).toBe([...text.matchAll(/\{\{[a-z][a-z0-9_]*\}\}/g)].length);
      expect(placeholdersOf(text).every((p) => /^[a-z][a-z0-9_]*$/.test(p))).toBe(true);
    }
  });

  it.skipIf(!PYTHON)('guard every third-party import of the Python modules with except ImportError', () => {
    const modules = templates.filter((t) => /^python\/(?!test_|noxfile)[^/]+\.py$/.test(t)).map((t) => join(dir, t));
    const script = [
      'import ast, sys',
      'bad = []',
      'for path in sys.argv[1:]:',
      '    tree = ast.parse(open(path, encoding="utf-8").read().replace("{{", "_").replace("}}", "_"))',
      '    guarded = set()',
      '    for node in ast.walk(tree):',
      '        if isinstance(node, ast.Try) and any(isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "Exception") for h in node.handlers):',
      '            guarded.update(id(n) for n in ast.walk(node))',
      '    for node in ast.walk(tree):',
      '        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in guarded:',
      '            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]',
      '            for name in names:',
      '                top = name.split(".")[0]',
      '                if top and top not in sys.stdlib_module_names and top != "__future__":',
      '                    bad.append(f"{path}:{node.lineno}: {name}")',
      'if bad:\n    print("\\n".join(bad))',
      'sys.exit(1 if bad else 0)',
    ].join('\n');
    const r = spawnSync(PYTHON ?? 'python3', ['-c', script, ...modules], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
