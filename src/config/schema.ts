import { z } from 'zod';
import type { Signal } from '../model/capability.js';

/** Config file schema (validated with zod; unknown keys are errors naming their path). */

const globs = z.array(z.string().min(1)).describe('glob patterns over POSIX paths relative to the root');
const langs = z.array(z.enum(['python', 'typescript', 'javascript', 'notebook', 'yaml', 'toml', 'json', 'ini', 'requirements', 'dockerfile', 'markdown', 'text', 'other']));
const common = {
  lang: langs.optional(),
  paths: globs.optional(),
  notPaths: globs.optional(),
  note: z.string().optional(),
};
const dotted = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const signalSchema: z.ZodType<Signal> = z.lazy(() =>
  z.union([
    z.strictObject({ import: dotted, names: z.string().optional(), ...common }),
    z.strictObject({
      call: dotted,
      receiver: z.string().optional(),
      kw: z.array(z.string()).optional(),
      kwValue: z.record(z.string(), z.string()).optional(),
      notKwValue: z.record(z.string(), z.string()).optional(),
      arg0: z.string().optional(),
      withoutKw: z.array(z.string()).optional(),
      ...common,
    }),
    z.strictObject({
      def: z.string().optional(),
      kind: z.array(z.enum(['function', 'method', 'class', 'interface', 'type', 'enum', 'variable'])).optional(),
      bases: z.array(z.string()).optional(),
      decorators: z.array(z.string()).optional(),
      ...common,
    }),
    z.strictObject({ file: dotted, ...common }),
    z.strictObject({ configKey: z.string().min(1), value: z.string().optional(), ...common }),
    z.strictObject({ heading: z.string().min(1), ...common }),
    z.strictObject({ name: z.string().min(1), ...common }),
    z.strictObject({ assign: z.string().min(1), value: z.string().optional(), valueKind: z.array(z.string()).optional(), ...common }),
    z.strictObject({ text: z.string().min(1), ...common }),
    z.strictObject({ requirement: z.string().min(1), ...common }),
    z.strictObject({ all: z.array(signalSchema).min(1), within: z.enum(['scope', 'file']), ...common }),
  ]),
) as z.ZodType<Signal>;

const idRe = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/;

export const subFeatureSchema = z.strictObject({
  id: z.string().regex(idRe, 'ids look like "capability.name" in lower snake case'),
  title: z.string().min(1),
  core: z.boolean().default(false),
  summary: z.string().min(1),
  gap: z.string().min(1),
  signals: z.array(signalSchema).min(1),
});

export const customCapabilitySchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'capability ids are lower snake case'),
  title: z.string().min(1),
  tableTitle: z.string().optional(),
  why: z.string().min(1),
  subfeatures: z.array(subFeatureSchema).min(1),
  risks: z.array(z.string()).default([]),
  patchPlan: z.string().default(''),
  rollbackPlan: z.string().default(''),
});

const failOnItem = z.enum(['missing', 'stubbed', 'partial', 'stub', 'risk', 'error']);

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  include: globs.optional(),
  exclude: globs.optional(),
  maxFileSize: z.union([z.number().int().positive(), z.string().regex(/^\d+\s*([kKmMgG]i?[bB]?|[bB])?$/)]).optional(),
  profile: z.enum(['ml']).optional(),
  disable: z.array(z.string().min(1)).optional().describe('capability ids to leave out of the audit'),
  signals: z.record(z.string(), z.array(signalSchema)).optional().describe('extra signals per sub-feature id'),
  capabilities: z.array(customCapabilitySchema).optional().describe('custom capabilities, same shape as the built-ins'),
  deferred: z.record(z.string(), z.string().min(1)).optional().describe('sub-feature id -> reason; deferred gaps move to Deferred Items and do not fail the gate'),
  gate: z
    .strictObject({
      failOn: z.array(failOnItem).optional(),
      minScore: z.number().min(0).max(100).optional(),
      strict: z.boolean().optional(),
      baseline: z.string().optional(),
      scoreTolerance: z.number().min(0).max(100).optional(),
    })
    .optional(),
  maxDiffs: z.number().int().min(0).max(50).optional(),
});

export type CodexAuditConfig = z.infer<typeof configSchema>;

export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { target: 'draft-7', unrepresentable: 'any' });
}
