import { readFileSync } from 'node:fs';

/** The tool's version, read once from the package's own package.json (src/ and dist/ are both one level down). */
export const TOOL_VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

export const TOOL_NAME = 'codex-audit';

/** Hash of the compiled code, written by the build; salts the facts cache. */
export const BUILD_ID: string = (() => {
  for (const rel of ['./build-id.txt', '../dist/build-id.txt']) {
    try {
      return readFileSync(new URL(rel, import.meta.url), 'utf8').trim();
    } catch {
      /* try the next place */
    }
  }
  return 'unbuilt';
})();
