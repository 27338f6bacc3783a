// Small builders of FileFacts for the detection-engine tests (test/model-*.test.ts).
import { emptyFacts, type CallFact, type DefinitionFact, type FileFacts, type ImportFact, type Language } from '../src/facts/types.js';

const EXT: Record<string, Language> = {
  py: 'python',
  pyi: 'python',
  ipynb: 'notebook',
  ts: 'typescript',
  tsx: 'typescript',
  js: 'javascript',
  mjs: 'javascript',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  json: 'json',
  ini: 'ini',
  cfg: 'ini',
  md: 'markdown',
  rst: 'text',
  txt: 'text',
};

function languageFor(path: string): Language {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (/^requirements.*\.txt$/.test(base)) return 'requirements';
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
  return EXT[ext] ?? 'other';
}

/** A file's facts: `emptyFacts` plus the given fields; the language comes from the extension. */
export function file(path: string, fields: Partial<FileFacts> = {}): FileFacts {
  return { ...emptyFacts(path, languageFor(path), 100, 'h'), ...fields };
}

export function call(callee: string, line: number, o: { args?: string[]; kwargs?: Record<string, string>; scope?: string } = {}): CallFact {
  return { callee, line, args: o.args ?? [], kwargs: o.kwargs ?? {}, scope: o.scope ?? '' };
}

export function imp(module: string, line: number, names: string[] = [], o: Partial<ImportFact> = {}): ImportFact {
  return { module, names, line, kind: names.length > 0 ? 'from' : 'import', ...o };
}

/** A definition; `qualName` defaults to `parent.name`, `endLine` to `line`. */
export function def(name: string, line: number, o: Partial<DefinitionFact> = {}): DefinitionFact {
  const parent = o.parent ?? '';
  return {
    name,
    qualName: o.qualName ?? (parent ? `${parent}.${name}` : name),
    kind: o.kind ?? (parent ? 'method' : 'function'),
    line,
    endLine: o.endLine ?? line,
    bases: [],
    decorators: [],
    stub: false,
    docstring: false,
    exported: !name.startsWith('_') && parent === '',
    parent,
    ...o,
  };
}

export function cls(name: string, line: number, endLine: number, o: Partial<DefinitionFact> = {}): DefinitionFact {
  return def(name, line, { kind: 'class', endLine, ...o });
}

/** A method that raises NotImplementedError. */
export function nie(parent: string, name: string, line: number): DefinitionFact {
  return def(name, line, { parent, stub: true, stubKind: 'not_implemented', endLine: line + 1 });
}
