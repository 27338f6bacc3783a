import type { CapabilityDef, Signal } from '../../model/capability.js';
import type { RepoIndex } from '../../facts/index.js';
import { FILE_TEST, FILE_VENDORED } from '../../facts/index.js';
import type { AssignmentFact, FileFacts } from '../../facts/types.js';
import { columnsOf } from '../../facts/compact.js';
import { registerCustomSignal, testFilePolicy, type SignalContext } from '../../model/signals.js';
import type { Evidence } from '../../model/types.js';
import { declareFactUse } from '../../model/fact-use.js';

/**
 * Extensibility: a registry of implementations looked up by name, interface contracts, and plugin
 * discovery. Calling a third-party library's `register_*` (`jax.tree_util.register_pytree_node`,
 * `atexit.register`, `torch.library.register_fake`) is not a registry of the project's own: the
 * `extensibility.registry` detector only counts the project's own register functions, decorators that
 * resolve to them (or to a registry object the project creates), `*Registry` classes and name-indexed
 * tables of classes or factories.
 */

// ---- extensibility.registry ------------------------------------------------------------------

const REGISTRY: Signal = { custom: 'extensibility.registry', note: 'an own registry of implementations looked up by name' };

// ---- extensibility.interfaces ----------------------------------------------------------------

const IFACE_BASES: Signal = { bases: ['abc.ABC', 'ABC', 'typing.Protocol', 'Protocol', 'typing_extensions.Protocol'], lang: ['python'], note: 'an abstract base class or Protocol' };
const IFACE_ABSTRACT: Signal = { decorators: ['abc.abstractmethod', 'abstractmethod', 'abc.abstractproperty', 'abstractproperty'], note: '`@abstractmethod`' };
const IFACE_CUSTOM: Signal = { custom: 'extensibility.interfaces', note: 'overridden NotImplementedError bases; TS exported interfaces and abstract classes' };

// ---- extensibility.plugins -------------------------------------------------------------------

const PLUGIN_CALLS: Signal = {
  call: ['importlib.metadata.entry_points', 'importlib_metadata.entry_points', 'pkg_resources.iter_entry_points', 'iter_entry_points', 'pluggy.PluginManager', 'pluggy.HookimplMarker', 'pluggy.HookspecMarker', 'stevedore.**'],
  note: 'plugins discovered through entry points / pluggy',
};
const PLUGIN_IMPORTS: Signal = { import: ['pluggy', 'stevedore'] };
const PLUGIN_PYPROJECT: Signal = {
  configKey: '^(project\\.entry-points\\.(?!console_scripts|gui_scripts)|tool\\.poetry\\.plugins\\.)',
  paths: ['**/pyproject.toml'],
  note: 'an entry-point group declared',
};
const PLUGIN_SETUP_CFG: Signal = { configKey: '^options\\.entry_points\\.(?!console_scripts|gui_scripts)', paths: ['**/setup.cfg'] };
const PLUGIN_SETUP_PY: Signal = { call: ['setup', 'setuptools.setup'], kwValue: { entry_points: '["\'](?!console_scripts|gui_scripts)[\\w.-]+["\']\\s*:' } };
const PLUGIN_IMPORT_MODULE: Signal = {
  call: ['importlib.import_module', 'import_module'],
  arg0: '^(?![rRbBuU]?["\'])',
  note: 'a module imported by a configured name',
};
const PLUGIN_DUNDER_IMPORT: Signal = { call: '__import__', receiver: '^$', arg0: '^(?![rRbBuU]?["\'])' };
const PLUGIN_JS_DYNAMIC: Signal = {
  import: '?',
  lang: ['typescript', 'javascript'],
  notPaths: ['**/scripts/**', '**/bench/**', '**/benchmark*/**', '**/tools/**', '**/*.config.*'],
  note: 'a dynamic `import()` of a computed specifier',
};

// ---------------------------------------------------------------------------------------------
// Custom detectors

function eligible(index: RepoIndex, ctx: SignalContext): { f: FileFacts; fi: number }[] {
  const policy = testFilePolicy(ctx.subfeature);
  const out: { f: FileFacts; fi: number }[] = [];
  index.files.forEach((f, fi) => {
    const flags = index.fileFlags(fi);
    if (flags & FILE_VENDORED) return;
    const test = (flags & FILE_TEST) !== 0;
    if (policy === 'only' ? !test : policy === 'exclude' ? test : false) return;
    out.push({ f, fi });
  });
  return out;
}

const CODE_LANGS = new Set(['python', 'notebook', 'typescript', 'javascript']);
/** Tables of implementations by naming convention (`MODEL_REGISTRY`, `TOKENIZER_CLASSES`, `MODEL_MAPPING`, `ACT2FN`). */
const TABLE_NAME_RE = /(^|_)(REGISTRY|REGISTRIES|CLASSES|MAPPING|MAPPINGS|FACTORIES|FACTORY|BUILDERS|IMPLS|IMPLEMENTATIONS|PLUGINS|BACKENDS|STRATEGIES|CONSTRUCTORS|CLS_MAP|CLASS_MAP)$|2(FN|CLS)$/;
const TABLE_LOWER_RE = /(^|_)registry$|[a-z]Registry$|^registry$/;
const EMPTY_MAPPING_RE = /^(\{\s*\}|dict\(\s*\)|(collections\.)?OrderedDict\(|(collections\.)?defaultdict\(|new Map\b|Map\(|new WeakMap\b|\w*Registry\()/;
/** A mapping whose values are identifiers (classes, factories), not literals: `{"gpt": GPT, ...}`. */
const IDENT_VALUES_RE = /[:=]\s*[A-Za-z_$][\w$.]*\s*[,})\]]/;
const REGISTER_NAME_RE = /^_?register(_[a-z0-9_]+)?$|^register[A-Z]\w*$/;
const NOT_REGISTRY_REGISTER_RE = /hook|buffer|parameter|atexit|signal|pytree|backward|forward|grad|cleanup/i;

function isTable(a: Pick<AssignmentFact, 'target' | 'value' | 'valueKind'>, python: boolean): boolean {
  const last = a.target.slice(a.target.lastIndexOf('.') + 1);
  // Upper-case `*_CLASSES`/`*_MAPPING` tables are a Python convention; in TS a constant so named is often plain data.
  if (!(python && TABLE_NAME_RE.test(last)) && !TABLE_LOWER_RE.test(last)) return false;
  if (a.valueKind !== 'dict' && a.valueKind !== 'call') return false;
  return EMPTY_MAPPING_RE.test(a.value) || IDENT_VALUES_RE.test(a.value);
}

/** Top-level module names of the repository's own Python code (`pkg/x.py`, `src/pkg/x.py` -> `pkg`; `train.py` -> `train`). */
function localRoots(index: RepoIndex): Set<string> {
  const roots = new Set<string>();
  for (const f of index.files) {
    if (f.language !== 'python') continue;
    const parts = f.path.split('/');
    if (parts[0] === 'src' && parts.length > 1) parts.shift();
    roots.add(parts.length === 1 ? parts[0].replace(/\.py$/, '') : parts[0]);
  }
  return roots;
}

/** A store into a table inside a register function: `REGISTRY[name] = cls`, `table.set(name, cls)`. */
const STORE_TARGET_RE = /\[[^\]]*\]$/;
const STORE_CALL_RE = /\.(set|setdefault|__setitem__)$/;

/**
 * `extensibility.registry`: the project's own registry. Counts `*Registry` classes, name-indexed tables
 * (`MODEL_REGISTRY = {}`, `X_CLASSES = {"a": A}`, `new Map()` named `registry`), own `register*`
 * functions that store into a table, and `@register...` decorators resolving to an own function, a
 * local module or a registry object the project assigns.
 */
export function registryEvidence(index: RepoIndex, ctx: SignalContext): Evidence[] {
  const files = eligible(index, ctx).filter(({ f }) => CODE_LANGS.has(f.language));
  const ownFunctions = new Set<string>();
  const ownObjects = new Set<string>();
  for (const { f } of files) {
    for (const d of f.definitions) if (d.kind === 'function' || d.kind === 'method') ownFunctions.add(d.name);
    const cols = columnsOf(f);
    for (let i = 0; i < cols.assignmentCount; i++) {
      if (cols.assignmentScope(i) !== '') continue;
      const target = cols.target(i);
      if (!target.includes('.')) ownObjects.add(target);
    }
  }
  const roots = localRoots(index);
  const out: Evidence[] = [];
  for (const { f } of files) {
    const classQual = new Set(f.definitions.filter((d) => d.kind === 'class').map((d) => d.qualName));
    for (const d of f.definitions) {
      if (d.kind === 'class' && /(^|[a-z_])Registry$|^Registry/.test(d.name)) {
        out.push({ path: f.path, line: d.line, excerpt: `class ${d.name}` });
        continue;
      }
      if ((d.kind === 'function' || d.kind === 'method') && REGISTER_NAME_RE.test(d.name) && !NOT_REGISTRY_REGISTER_RE.test(d.name)) {
        const inside = (scope: string): boolean => scope === d.qualName || scope.startsWith(d.qualName + '.');
        const stores =
          f.assignments.some((a) => inside(a.scope) && STORE_TARGET_RE.test(a.target)) || f.calls.some((c) => inside(c.scope) && STORE_CALL_RE.test(c.callee));
        if (stores || d.stub) out.push({ path: f.path, line: d.line, excerpt: `def ${d.qualName}` });
      }
      for (const deco of d.decorators) {
        const segs = deco.split('.');
        const last = segs[segs.length - 1];
        if (!/^_?register/i.test(last) || NOT_REGISTRY_REGISTER_RE.test(last)) continue;
        const head = segs[0];
        const own = segs.length === 1 ? ownFunctions.has(last) : roots.has(head) || (ownObjects.has(head) && !f.imports.some((i) => i.module.split('.')[0] === head));
        if (own) out.push({ path: f.path, line: d.line, excerpt: `@${deco} ${d.kind === 'class' ? 'class' : 'def'} ${d.name}` });
      }
    }
    const cols = columnsOf(f);
    const python = f.language === 'python' || f.language === 'notebook';
    for (let i = 0; i < cols.assignmentCount; i++) {
      const scope = cols.assignmentScope(i);
      if (scope !== '' && !classQual.has(scope)) continue;
      const a = { target: cols.target(i), value: cols.value(i), valueKind: cols.valueKind(i) };
      if (isTable(a, python)) out.push({ path: f.path, line: cols.assignmentLine(i), excerpt: `${a.target} = ${a.value}` });
    }
  }
  return out;
}

/**
 * `extensibility.interfaces`, the parts data cannot say: Python base classes whose NotImplementedError
 * methods are overridden by a subclass in the repository, and TS/JS exported interfaces and abstract
 * classes.
 */
export function interfaceEvidence(index: RepoIndex, ctx: SignalContext): Evidence[] {
  const out: Evidence[] = [];
  for (const { f, fi } of eligible(index, ctx)) {
    const script = f.language === 'typescript' || f.language === 'javascript';
    for (const d of f.definitions) {
      if (script) {
        if (d.exported && (d.kind === 'interface' || (d.kind === 'class' && d.abstract))) {
          out.push({ path: f.path, line: d.line, excerpt: `${d.kind === 'interface' ? 'interface' : 'abstract class'} ${d.name}` });
        }
        continue;
      }
      if (d.kind !== 'class' || (f.language !== 'python' && f.language !== 'notebook')) continue;
      const contract = index.membersOf(fi, d.qualName).filter((m) => m.stubKind === 'not_implemented');
      if (contract.length === 0) continue;
      const subs = index.subclassesOf(d.name, { transitive: true }).filter((s) => s.def !== d);
      const overridden = contract.some((m) => subs.some((s) => index.membersOf(s.fileIndex, s.def.qualName).some((x) => x.name === m.name)));
      if (overridden) out.push({ path: f.path, line: d.line, excerpt: `class ${d.name} (overridden by ${subs[0].def.name})` });
    }
  }
  return out;
}

registerCustomSignal('extensibility.registry', registryEvidence);
// registryEvidence reads module-level names (own objects), tables, and what register functions store.
declareFactUse('extensibility.registry', {
  assignment: (a, language) =>
    (a.scope === '' && !a.target.includes('.')) || STORE_TARGET_RE.test(a.target) || isTable(a, language === 'python' || language === 'notebook'),
  callee: (callee) => STORE_CALL_RE.test(callee),
});
registerCustomSignal('extensibility.interfaces', interfaceEvidence);

export const capability: CapabilityDef = {
  id: 'extensibility',
  title: 'Extensibility',
  tableTitle: 'Extensibility (pluggable components, registry)',
  why: 'A registry and explicit interfaces let a new model, tokenizer or metric be added by name without editing the trainer, and let third parties plug in without forking.',
  subfeatures: [
    {
      id: 'extensibility.registry',
      title: 'Registry pattern',
      core: true,
      summary: 'A registry of implementations looked up by name: a table filled by own `register*` functions or `@register...` decorators, a `Registry` class, a `*_REGISTRY`/`*_CLASSES`/`*_MAPPING` table. Third-party `register_*` calls do not count.',
      gap: 'No registry: add a small registry (`MODEL_REGISTRY: dict[str, type]` with a `@register_model("name")` decorator) for models, tokenizers and metrics, and build components by config name.',
      signals: [REGISTRY],
    },
    {
      id: 'extensibility.interfaces',
      title: 'Interface contracts',
      core: false,
      summary: 'Contracts: `abc.ABC`/`@abstractmethod`, `typing.Protocol`, a base class whose NotImplementedError methods are overridden in the repository; TS exported `interface`/`abstract class`.',
      gap: 'No interface contracts: declare the component contracts (`Model`, `Tokenizer`, `Metric`) as `abc.ABC` with `@abstractmethod` or `typing.Protocol`, and type the registry against them.',
      signals: [IFACE_BASES, IFACE_ABSTRACT, IFACE_CUSTOM],
    },
    {
      id: 'extensibility.plugins',
      title: 'Plugin discovery',
      core: false,
      summary: 'Discovery: `importlib.metadata.entry_points`, `pkg_resources.iter_entry_points`, pluggy, `[project.entry-points.*]`, `importlib.import_module` of configured names; TS: dynamic `import()` of computed names.',
      gap: 'No plugin discovery: load third-party components from an entry-point group (`importlib.metadata.entry_points(group="<pkg>.models")`) into the registry.',
      signals: [PLUGIN_CALLS, PLUGIN_IMPORTS, PLUGIN_PYPROJECT, PLUGIN_SETUP_CFG, PLUGIN_SETUP_PY, PLUGIN_IMPORT_MODULE, PLUGIN_DUNDER_IMPORT, PLUGIN_JS_DYNAMIC],
    },
  ],
  risks: ['Rigid code: each new component means editing the trainer', 'Difficult to extend without forking', 'Silent contract drift between implementations without interfaces'],
  patchPlan: 'Add a simple registry (dict + `@register` decorator) for models, tokenizers and metrics, with `abc.ABC` contracts and optional entry-point discovery.',
  rollbackPlan: 'Remove the registry and call the functions directly; keep the contracts as documentation.',
};
