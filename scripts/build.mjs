// Build: compile src/ to dist/ with tsc, then copy the Python grammar (.wasm) next to the parser
// so that an installed package resolves it from import.meta.url without devDependencies.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
const grammarDir = join(root, 'dist', 'grammars');
mkdirSync(grammarDir, { recursive: true });
const wasm = join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm');
if (!existsSync(wasm)) {
  console.error(`build: ${wasm} not found; run npm ci`);
  process.exit(1);
}
copyFileSync(wasm, join(grammarDir, 'tree-sitter-python.wasm'));

// Publish the JSON Schemas generated from the zod schemas (config file and JSON report).
const schemaDir = join(root, 'dist', 'schemas');
mkdirSync(schemaDir, { recursive: true });
const { configJsonSchema } = await import(pathToFileURL(join(root, 'dist', 'config', 'schema.js')).href);
const { reportJsonSchema } = await import(pathToFileURL(join(root, 'dist', 'report', 'report-schema.js')).href);
writeFileSync(join(schemaDir, 'config.schema.json'), JSON.stringify(configJsonSchema(), null, 2) + '\n');
writeFileSync(join(schemaDir, 'report.schema.json'), JSON.stringify(reportJsonSchema(), null, 2) + '\n');

// A build id (hash of the compiled code) salts the facts cache, so a changed parser never reads stale facts.
const { createHash } = await import('node:crypto');
const { readdirSync, readFileSync } = await import('node:fs');
const h = createHash('sha256');
const walkDist = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(d, e.name);
    if (e.isDirectory()) walkDist(p);
    else if (e.name.endsWith('.js')) h.update(e.name).update(readFileSync(p));
  }
};
walkDist(join(root, 'dist'));
writeFileSync(join(root, 'dist', 'build-id.txt'), h.digest('hex').slice(0, 16) + '\n');
