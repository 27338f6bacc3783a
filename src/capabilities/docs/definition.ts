import type { CapabilityDef, Signal } from '../../model/capability.js';
import type { RepoIndex } from '../../facts/index.js';
import { FILE_VENDORED } from '../../facts/index.js';
import { registerCustomSignal } from '../../model/signals.js';
import type { Evidence } from '../../model/types.js';

/**
 * Docs & examples: a README that tells a newcomer how to install and run, examples or notebooks, a docs
 * site or architecture diagrams, and docstring coverage of the public API (measured by the engine's
 * built-in `docstringCoverage` detector). Monorepos keep READMEs in `packages/*`: any README counts.
 */

// ---- docs.readme -----------------------------------------------------------------------------

/** Headings that tell a newcomer how to install or run the project. */
export const README_HEADING =
  '\\b(install(ation|ing)?|quick[\\s-]?start|usage|getting[\\s-]started|get[\\s-]started|set[\\s-]?up|how[\\s-]to[\\s-](use|run|install|train|start)|running|run(ning)?[\\s-]locally|basic[\\s-]usage|example[\\s-]usage|requirements|prerequisites|build(ing)?[\\s-]from[\\s-]source|local[\\s-]development)\\b';
const README_HEADINGS: Signal = { heading: README_HEADING, paths: ['README*', 'readme*'], note: 'a README install/usage section' };

// ---- docs.examples ---------------------------------------------------------------------------

const EXAMPLE_FILES: Signal = {
  file: ['examples/', 'example/', 'notebooks/', '*.ipynb', 'demo*', 'demo*/', 'demos/', 'tutorials/', 'tutorial/', 'cookbook/'],
  notPaths: ['**/.gitkeep', '**/.keep', '**/.DS_Store'],
  note: 'examples or notebooks',
};

// ---- docs.site -------------------------------------------------------------------------------

const SITE_CONTENT: Signal = {
  file: ['**/{docs,doc,documentation}/**/*.{md,mdx,rst,txt,html,ipynb,adoc}', '**/website/**/*.{md,mdx}'],
  notPaths: ['**/.gitkeep'],
  note: 'a docs folder with content',
};
const SITE_CONFIG: Signal = {
  file: ['mkdocs.y*ml', '**/{docs,doc}/conf.py', '**/{docs,doc}/source/conf.py', 'docusaurus.config.*', '.readthedocs.y*ml', 'book.toml', '_toc.yml', 'antora.yml', '**/.vitepress/config.*', 'typedoc.json'],
  note: 'a docs site generator configured',
};
const SITE_DIAGRAMS: Signal = { file: ['*.puml', '*.plantuml', '*.drawio', '*.mmd', '*.mermaid', '**/{docs,doc,documentation}/**/*.{png,svg,jpg,jpeg,gif,webp}'], note: 'an architecture diagram' };
const SITE_MERMAID: Signal = { custom: 'docs.mermaid', note: 'a Mermaid diagram in Markdown' };

// ---- docs.docstrings -------------------------------------------------------------------------

const DOCSTRINGS: Signal = { custom: 'docstringCoverage', note: 'docstrings on at least half of the public top-level functions and classes' };

/** `docs.mermaid`: fenced ```mermaid blocks in Markdown files. */
export function mermaidBlocks(index: RepoIndex): Evidence[] {
  const out: Evidence[] = [];
  index.files.forEach((f, fi) => {
    if (index.fileFlags(fi) & FILE_VENDORED) return;
    for (const b of f.codeBlocks ?? []) if (b.lang.toLowerCase() === 'mermaid') out.push({ path: f.path, line: b.line, excerpt: '```mermaid' });
  });
  return out;
}

registerCustomSignal('docs.mermaid', mermaidBlocks);

export const capability: CapabilityDef = {
  id: 'docs',
  title: 'Docs & Examples',
  tableTitle: 'Docs & Examples (README, quickstarts, diagrams, notebooks)',
  why: 'Onboarding cost decides whether anyone else can run the code: a quick start, runnable examples and documented public functions turn a research repository into something reusable.',
  subfeatures: [
    {
      id: 'docs.readme',
      title: 'README quick start',
      core: true,
      summary: 'A README with an install, quick start, usage or getting-started heading.',
      gap: 'No README quick start: add README sections "Installation" and "Quick start" with the exact commands to install, train for one step on tiny data, and evaluate, all offline.',
      signals: [README_HEADINGS],
    },
    {
      id: 'docs.examples',
      title: 'Examples/notebooks',
      core: false,
      summary: '`examples/`, `notebooks/`, `*.ipynb`, `demo*`, `tutorials/`.',
      gap: 'No examples: add `examples/` with one minimal end-to-end script (tiny config, CPU, a few steps) that the README links to.',
      signals: [EXAMPLE_FILES],
    },
    {
      id: 'docs.site',
      title: 'Docs site / diagrams',
      core: false,
      summary: 'A `docs/` folder with content, `mkdocs.yml`, Sphinx `conf.py`, architecture diagrams (Mermaid blocks, `*.puml`, images under docs).',
      gap: 'No docs site or architecture diagram: add `docs/architecture.md` with a Mermaid diagram of the data -> model -> train -> eval flow (mkdocs optional).',
      signals: [SITE_CONTENT, SITE_CONFIG, SITE_DIAGRAMS, SITE_MERMAID],
    },
    {
      id: 'docs.docstrings',
      title: 'Docstring coverage',
      core: false,
      summary: 'Docstrings (Python) / JSDoc (TS) on at least half of the public top-level functions and classes of non-test, non-example source files.',
      gap: 'Docstring coverage below 50%: document the public functions and classes (one line on what, arguments and return), and add a docstring check (ruff `D` rules or eslint-plugin-jsdoc).',
      signals: [DOCSTRINGS],
    },
  ],
  risks: ['Onboarding friction: newcomers cannot install or run the code', 'Misuse of undocumented public functions', 'Knowledge loss when the author moves on'],
  patchPlan: 'Add README sections (Installation, Quick start, Usage) and an `examples/` directory with a minimal offline run; an architecture diagram in `docs/`; a docstring style check.',
  rollbackPlan: 'Revert the examples; leave the README slim but keep the quick-start commands.',
};
