// Loaded before every test file (vitest setupFiles): the TS/JS parser is loaded on demand in the product,
// and tests that call the synchronous parse entry points directly need it in place.
import { loadTypeScriptParser } from '../src/parse/index.js';

await loadTypeScriptParser();
