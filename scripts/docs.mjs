// Regenerate docs/capabilities.md from the registry (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { capabilities } from '../dist/capabilities/index.js';
import { renderCapabilitiesPage } from '../dist/capabilities/docs-page.js';

writeFileSync(new URL('../docs/capabilities.md', import.meta.url), renderCapabilitiesPage(capabilities));
