import { describe, expect, it } from 'vitest';
import { compileGlobList, matchGlob } from '../src/model/glob.js';

describe('glob matching (signal files/paths/notPaths)', () => {
  it.each([
    // pattern without `/`: the base name at any depth
    ['*.py', 'train.py', true],
    ['*.py', 'src/pkg/train.py', true],
    ['*.py', 'src/pkg/train.pyc', false],
    ['README*', 'packages/core/README.md', true],
    ['Dockerfile', 'deploy/dockerfile', true],
    ['Dockerfile', 'deploy/Dockerfile.dev', false],
    ['*config*.{yaml,yml,json}', 'model_config.yml', true],
    ['*config*.{yaml,yml,json}', 'conf/base.yaml', false],
    ['*.yml', '.gitlab-ci.yml', true],
    // pattern with `/`: from the root
    ['conf/*.yaml', 'conf/base.yaml', true],
    ['conf/*.yaml', 'x/conf/base.yaml', false],
    ['conf/*.yaml', 'conf/sub/base.yaml', false],
    ['.github/workflows/*', '.github/workflows/ci.yml', true],
    // `**`
    ['**/conf/*.yaml', 'conf/base.yaml', true],
    ['**/conf/*.yaml', 'a/b/conf/base.yaml', true],
    ['docs/**', 'docs/a/b.md', true],
    ['docs/**', 'mydocs/a.md', false],
    ['src/**/model.py', 'src/model.py', true],
    ['src/**/model.py', 'src/a/b/model.py', true],
    ['src/**/model.py', 'srcx/model.py', false],
    ['**', 'anything/at/all.txt', true],
    ['a**b.txt', 'aXXb.txt', true],
    ['a**b.txt', 'a/b.txt', false],
    // `?`, classes, braces
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file12.txt', false],
    ['req[0-9].txt', 'req3.txt', true],
    ['req[!0-9].txt', 'req3.txt', false],
    ['{setup.py,setup.cfg}', 'pkg/setup.cfg', true],
    ['{a,b{c,d}}.txt', 'bd.txt', true],
    ['{a,b{c,d}}.txt', 'b.txt', false],
    ['{single}.txt', '{single}.txt', true],
    // trailing `/`: files below such a folder
    ['examples/', 'examples/train.py', true],
    ['examples/', 'pkg/examples/x/y.py', true],
    ['examples/', 'examples', false],
    ['docs/api/', 'docs/api/index.md', true],
    ['docs/api/', 'x/docs/api/index.md', false],
    // literal regex characters, leading ./
    ['a+b(1).py', 'a+b(1).py', true],
    ['a+b(1).py', 'aab1.py', false],
    ['./setup.py', 'setup.py', true],
    ['\\*.py', '*.py', true],
    ['\\*.py', 'x.py', false],
  ])('%s ~ %s -> %s', (pattern, path, expected) => {
    expect(matchGlob(pattern, path)).toBe(expected);
  });

  it('compileGlobList matches any pattern, and nothing for an empty list', () => {
    const m = compileGlobList(['*.toml', 'conf/**']);
    expect(m('pyproject.toml')).toBe(true);
    expect(m('conf/a/b.json')).toBe(true);
    expect(m('src/a.json')).toBe(false);
    expect(compileGlobList([])('a')).toBe(false);
  });
});
