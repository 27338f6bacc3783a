import type { CapabilityDef } from '../model/capability.js';
import { capability as tokenization } from './tokenization/definition.js';
import { capability as modeling } from './modeling/definition.js';
import { capability as training } from './training/definition.js';
import { capability as configuration } from './configuration/definition.js';
import { capability as evaluation } from './evaluation/definition.js';
import { capability as logging } from './logging/definition.js';
import { capability as checkpointing } from './checkpointing/definition.js';
import { capability as data } from './data/definition.js';
import { capability as security } from './security/definition.js';
import { capability as ciTests } from './ci_tests/definition.js';
import { capability as deployment } from './deployment/definition.js';
import { capability as docs } from './docs/definition.js';
import { capability as tracking } from './tracking/definition.js';
import { capability as extensibility } from './extensibility/definition.js';

/**
 * The default profile (`ml`): every capability, in the order of CAPABILITIES.md. Explicit on purpose:
 * `registry.test.ts` checks that this list matches the folders and the spec's sub-feature table.
 * Importing a definition also registers its custom detectors with the signal engine.
 */
export const capabilities: readonly CapabilityDef[] = [
  tokenization,
  modeling,
  training,
  configuration,
  evaluation,
  logging,
  checkpointing,
  data,
  security,
  ciTests,
  deployment,
  docs,
  tracking,
  extensibility,
];

/** A capability by id. */
export function capabilityById(id: string): CapabilityDef | undefined {
  return capabilities.find((c) => c.id === id);
}
