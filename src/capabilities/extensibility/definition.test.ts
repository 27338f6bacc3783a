import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

const REGISTRY = `
  MODEL_REGISTRY = {}

  def register_model(name):
      def deco(cls):
          MODEL_REGISTRY[name] = cls
          return cls
      return deco
`;

const rows: Row[] = [
  ['extensibility.registry', 'own register decorator filling a table', {
    'pkg/registry.py': REGISTRY,
    'pkg/model.py': 'from pkg.registry import register_model\n@register_model("gpt")\nclass GPT:\n    pass\n',
  }, 'present'],
  ['extensibility.registry', 'a *_CLASSES table of classes by name', { 'pkg/models.py': 'MODEL_CLASSES = {"gpt2": GPT2Model, "llama": LlamaModel}\n' }, 'present'],
  ['extensibility.registry', 'a Registry class', { 'pkg/reg.py': 'class Registry:\n    def get(self, name):\n        return self._items[name]\n' }, 'present'],
  ['extensibility.registry', 'a TS Map filled by an own register function', {
    'src/plugins.ts': 'const registry = new Map<string, Factory>();\nexport function registerPlugin(name: string, f: Factory) {\n  registry.set(name, f);\n}\n',
  }, 'present'],
  ['extensibility.registry', "third-party register_* calls are not the project's registry", {
    'pkg/tree.py': 'import atexit\nimport jax\n@jax.tree_util.register_pytree_node_class\nclass Box:\n    pass\natexit.register(cleanup)\n',
  }, 'absent'],
  ['extensibility.registry', 'a label mapping of literals is not a registry', { 'pkg/labels.py': 'LABEL_MAPPING = {"pos": 1, "neg": 0}\n' }, 'absent'],
  ['extensibility.registry', 'registering forward hooks is not a registry', {
    'pkg/hooks.py': 'def register_hooks(model):\n    handles = {}\n    handles["a"] = model.register_forward_hook(f)\n    return handles\n',
  }, 'absent'],
  ['extensibility.registry', 'a stub register function is stubbed', { 'pkg/registry.py': 'def register_model(name):\n    raise NotImplementedError\n' }, 'stubbed'],

  ['extensibility.interfaces', 'abc.ABC with @abstractmethod', { 'pkg/base.py': 'import abc\nclass Metric(abc.ABC):\n    @abc.abstractmethod\n    def compute(self):\n        ...\n' }, 'present'],
  ['extensibility.interfaces', 'a NotImplementedError base overridden by a subclass', {
    'pkg/base.py': 'class Model:\n    def forward(self, x):\n        raise NotImplementedError\n',
    'pkg/gpt.py': 'from pkg.base import Model\nclass GPT(Model):\n    def forward(self, x):\n        return x\n',
  }, 'present'],
  ['extensibility.interfaces', 'an exported TS interface', { 'src/types.ts': 'export interface Plugin { name: string }\n' }, 'present'],
  ['extensibility.interfaces', 'a NotImplementedError method nobody overrides is a stub, not a contract', {
    'pkg/base.py': 'class Model:\n    def forward(self, x):\n        raise NotImplementedError\n',
  }, 'absent'],

  ['extensibility.plugins', 'entry points', { 'pkg/plugins.py': 'from importlib.metadata import entry_points\nfor ep in entry_points(group="pkg.models"):\n    ep.load()\n' }, 'present'],
  ['extensibility.plugins', 'an entry-point group in pyproject', { 'pyproject.toml': '[project]\nname = "x"\n[project.entry-points."x.models"]\ngpt = "x.gpt:GPT"\n' }, 'present'],
  ['extensibility.plugins', 'import_module of a configured name', { 'pkg/load.py': 'import importlib\nmod = importlib.import_module(cfg.module)\n' }, 'present'],
  ['extensibility.plugins', 'console scripts are not a plugin group', { 'pyproject.toml': '[project]\nname = "x"\n[project.scripts]\nx = "x:main"\n' }, 'absent'],
  ['extensibility.plugins', 'import_module of a literal is a plain import', { 'pkg/load.py': 'import importlib\nmod = importlib.import_module("json")\n' }, 'absent'],
  ['extensibility.registry', 'a TS constant named *_CLASSES holding plain data is not a registry', { 'src/defs.ts': "export const BUTTON_CLASSES = { primary: PRIMARY, secondary: SECONDARY };\n" }, 'absent'],
];

describe('extensibility signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
