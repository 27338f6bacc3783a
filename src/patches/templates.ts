import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Patch templates: the code of every suggested file lives in `templates/patches/` (shipped beside
 * `dist/`), written as the file itself with `{{name}}` placeholders that the catalog fills in for
 * the audited repository (import package, paths, commands).
 */

/** The folder of the shipped patch templates. */
export function patchTemplateDir(): string {
  return fileURLToPath(new URL('../../templates/patches/', import.meta.url));
}

const cache = new Map<string, string>();

/** The text of one template, e.g. `python/reproducibility.py` (cached; templates ship read-only). */
export function loadPatchTemplate(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(patchTemplateDir(), name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

const PLACEHOLDER = /\{\{([a-z][a-z0-9_]*)\}\}/g;

/** The placeholder names a template uses. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
}

/**
 * Fill every `{{name}}` of `text` from `vars`. A placeholder without a value is a bug in the catalog,
 * so it throws (naming the template) rather than leaving `{{name}}` in a patch.
 */
export function fillTemplate(text: string, vars: Record<string, string>, name = 'template'): string {
  return text.replace(PLACEHOLDER, (_m, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`${name}: no value for placeholder {{${key}}}`);
    return value;
  });
}

/** Load and fill a template in one step. */
export function renderPatchTemplate(name: string, vars: Record<string, string>): string {
  return fillTemplate(loadPatchTemplate(name), vars, name);
}
