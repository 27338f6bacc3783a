import type { FileFacts } from '../facts/types.js';
import type { RepoMap } from './types.js';

const KEY_FILE_RE =
  /^(readme(\.[a-z]+)?|license(\.[a-z]+)?|contributing(\.[a-z]+)?|security\.md|pyproject\.toml|setup\.py|setup\.cfg|requirements[^/]*\.txt|pipfile|poetry\.lock|uv\.lock|package\.json|package-lock\.json|pnpm-lock\.yaml|yarn\.lock|tsconfig\.json|dockerfile|containerfile|docker-compose\.ya?ml|compose\.ya?ml|makefile|justfile|tox\.ini|noxfile\.py|pytest\.ini|conftest\.py|\.pre-commit-config\.yaml|mkdocs\.yml|environment\.ya?ml|train\.py|main\.py|cli\.py|app\.py|serve\.py|evaluate\.py|eval\.py|__main__\.py)$/i;

/** Top-level directories with file counts, lines and languages; key files by name near the root. */
export function buildRepoMap(files: FileFacts[]): RepoMap {
  const dirs = new Map<string, { files: number; lines: number; languages: Record<string, number> }>();
  const keyFiles: string[] = [];
  for (const f of files) {
    const slash = f.path.indexOf('/');
    const name = slash === -1 ? '.' : f.path.slice(0, slash);
    let d = dirs.get(name);
    if (!d) dirs.set(name, (d = { files: 0, lines: 0, languages: {} }));
    d.files++;
    d.lines += f.lines.total;
    d.languages[f.language] = (d.languages[f.language] ?? 0) + 1;
    const depth = f.path.split('/').length;
    const base = f.path.slice(f.path.lastIndexOf('/') + 1);
    if ((depth <= 2 && KEY_FILE_RE.test(base)) || /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f.path)) keyFiles.push(f.path);
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return {
    dirs: [...dirs.entries()].sort((a, b) => cmp(a[0], b[0])).map(([name, d]) => ({ name, ...d })),
    keyFiles: keyFiles.sort(cmp),
  };
}
