import { beforeAll, describe, expect, it } from 'vitest';
import { emptyFacts, type DefinitionFact } from '../src/facts/types.js';
import { initPython, parsePython } from '../src/parse/python.js';

beforeAll(async () => {
  await initPython();
});

function defs(src: string, forceFallback: boolean): DefinitionFact[] {
  const facts = emptyFacts('m.py', 'python', src.length, 'h');
  parsePython(src, facts, { forceFallback });
  expect(facts.parser).toBe(forceFallback ? 'fallback' : 'tree-sitter');
  return facts.definitions;
}

const d = (list: DefinitionFact[], q: string) => {
  const x = list.find((y) => y.qualName === q);
  if (!x) throw new Error(`missing ${q} in ${list.map((y) => y.qualName).join(',')}`);
  return x;
};

/** [title, source, qualName, expected stubKind (undefined = not a stub)] */
const TABLE: [string, string, string, DefinitionFact['stubKind'] | undefined][] = [
  ['pass', 'def f():\n    pass\n', 'f', 'pass'],
  ['ellipsis', 'def f(x: int) -> int: ...\n', 'f', 'ellipsis'],
  ['raise NotImplementedError', 'def f():\n    raise NotImplementedError\n', 'f', 'not_implemented'],
  ['raise NotImplementedError(...)', 'def f():\n    raise NotImplementedError("later")\n', 'f', 'not_implemented'],
  ['docstring + raise', 'def f():\n    """Doc."""\n    # why\n    raise NotImplementedError(\n        "multi-line"\n    )\n', 'f', 'not_implemented'],
  ['docstring + pass', 'def f():\n    """Doc."""\n    pass\n', 'f', 'pass'],
  ['docstring only', 'def f():\n    """Only a docstring."""\n', 'f', 'empty_body'],
  ['comment + pass', 'def f():\n    # TODO: write me\n    pass\n', 'f', 'pass'],
  ['single-line pass', 'def f(): pass\n', 'f', 'pass'],
  ['method ellipsis', 'class A:\n    def m(self):\n        ...\n', 'A.m', 'ellipsis'],
  ['async stub', 'async def f():\n    raise NotImplementedError()\n', 'f', 'not_implemented'],
  ['real body', 'def f():\n    return 1\n', 'f', undefined],
  ['pass then code', 'def f():\n    pass\n    return 2\n', 'f', undefined],
  ['return None is code', 'def f():\n    return None\n', 'f', undefined],
  ['other exception', 'def f():\n    raise ValueError("no")\n', 'f', undefined],
  ['f-string is not a docstring', 'def f():\n    f"{x}"\n', 'f', undefined],
  ['concatenation with an f-string is not a docstring', "def f():\n    'a' f'{x}'\n", 'f', undefined],
  ['concatenated docstring', "def f():\n    'a' 'b'\n", 'f', 'empty_body'],
  ['a def holding a nested def is code', 'def f():\n    def g():\n        pass\n    return g\n', 'f', undefined],
  ['nested stub', 'def f():\n    def g():\n        pass\n    return g\n', 'f.g', 'pass'],
  ['empty class without bases', 'class A:\n    pass\n', 'A', 'pass'],
  ['exception subclass is not a stub', 'class E(ValueError):\n    pass\n', 'E', undefined],
  ['Protocol is not a stub', 'class P(Protocol):\n    ...\n', 'P', undefined],
  ['class with methods', 'class A:\n    def m(self):\n        return 1\n', 'A', undefined],
];

for (const forceFallback of [false, true]) {
  describe(`stub detection (${forceFallback ? 'fallback' : 'tree-sitter'})`, () => {
    it.each(TABLE)('%s', (_title, src, q, kind) => {
      const def = d(defs(src, forceFallback), q);
      expect(def.stub).toBe(kind !== undefined);
      expect(def.stubKind).toBe(kind);
    });

    it('marks abstract methods (all spellings) and keeps them stubs', () => {
      const src = [
        'import abc',
        'from abc import abstractmethod, abstractproperty as ap',
        'class B(abc.ABC):',
        '    @abstractmethod',
        '    def a(self): ...',
        '    @abc.abstractmethod',
        '    def b(self):',
        '        raise NotImplementedError',
        '    @property',
        '    @ap',
        '    def c(self): pass',
        '    @abc.abstractclassmethod',
        '    def e(cls): pass',
        '    def concrete(self):',
        '        return 1',
      ].join('\n');
      const list = defs(src, forceFallback);
      expect(d(list, 'B.a')).toMatchObject({ abstract: true, stub: true, decorators: ['abc.abstractmethod'] });
      expect(d(list, 'B.b')).toMatchObject({ abstract: true, stubKind: 'not_implemented' });
      expect(d(list, 'B.c')).toMatchObject({ abstract: true, decorators: ['property', 'abc.abstractproperty'] });
      expect(d(list, 'B.e').abstract).toBe(true);
      expect(d(list, 'B.concrete').abstract).toBeUndefined();
      expect(d(list, 'B').bases).toEqual(['abc.ABC']);
    });

    it('detects trivial __init__', () => {
      const src = [
        'class T:',
        '    def __init__(self, a, b: int = 2):',
        '        """Store."""',
        '        super().__init__()',
        '        self.a = a',
        '        self.b: int = b',
        '        pass',
        'class U(Base):',
        '    def __init__(this, a):',
        '        Base.__init__(this, a)',
        '        this.a = a',
        'class V:',
        '    def __init__(self, a):',
        '        self.a = a',
        '        self.model = build(a)',
        '        if a:',
        '            self.x = 1',
        'class W:',
        '    def __init__(self, a):',
        '        other.a = a',
        'def __init__(self):',
        '    self.a = 1',
      ].join('\n');
      const list = defs(src, forceFallback);
      expect(d(list, 'T.__init__').trivialInit).toBe(true);
      expect(d(list, 'U.__init__').trivialInit).toBe(true);
      expect(d(list, 'V.__init__').trivialInit).toBe(false);
      expect(d(list, 'W.__init__').trivialInit).toBe(false);
      // a module-level function named __init__ is not a constructor
      expect(d(list, '__init__').trivialInit).toBeUndefined();
      expect(d(list, 'T.__init__').stub).toBe(false);
    });
  });
}
