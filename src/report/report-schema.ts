import { z } from 'zod';

/** The JSON report's schema (schemaVersion 1). Published as dist/schemas/report.schema.json. */

const evidence = z.strictObject({ path: z.string(), line: z.number().int().min(0), excerpt: z.string() });
const status = z.enum(['implemented', 'partial', 'stubbed', 'missing']);
const loc = { path: z.string(), line: z.number().int().min(0) };

export const reportSchema = z.looseObject({
  schemaVersion: z.literal(1),
  tool: z.strictObject({ name: z.literal('codex-audit'), version: z.string() }),
  root: z.string(),
  generatedAt: z.string(),
  profile: z.string(),
  summary: z.looseObject({
    files: z.number().int().min(0),
    lines: z.number().int().min(0),
    score: z.number().min(0).max(100),
    statusCounts: z.record(status, z.number().int().min(0)),
  }),
  capabilities: z.array(
    z.looseObject({
      id: z.string(),
      title: z.string(),
      status,
      score: z.number().min(0).max(100),
      subfeatures: z.array(
        z.looseObject({
          id: z.string(),
          title: z.string(),
          core: z.boolean(),
          state: z.enum(['present', 'stubbed', 'absent']),
          evidence: z.array(evidence),
          gap: z.string().optional(),
          note: z.string().optional(),
          deferred: z.string().optional(),
        }),
      ),
      gaps: z.array(z.string()),
      risks: z.array(z.string()),
      patchPlan: z.string(),
      rollbackPlan: z.string(),
    }),
  ),
  stubs: z.array(
    z.looseObject({ ...loc, kind: z.enum(['todo', 'fixme', 'tbd', 'xxx', 'hack', 'not_implemented', 'empty_body']), symbol: z.string().optional(), text: z.string().optional() }),
  ),
  testStubs: z.array(z.looseObject({ ...loc, kind: z.string() })),
  placeholders: z.array(z.looseObject({ path: z.string() })),
  risks: z.array(z.looseObject({ id: z.string(), ...loc, excerpt: z.string(), severity: z.enum(['error', 'warning', 'note']) })),
  reproducibility: z.array(z.looseObject({ id: z.string(), item: z.string(), status: z.enum(['provided', 'partial', 'missing']), evidence: z.array(evidence) })),
  tests: z.looseObject({
    commands: z.array(z.looseObject({ command: z.string(), source: z.string() })),
    mlTestScore: z.array(z.looseObject({ testClass: z.string(), files: z.array(z.string()) })),
  }),
  findings: z.array(z.looseObject({ title: z.string(), detail: z.string() })),
  diffs: z.array(z.looseObject({ subfeature: z.string(), title: z.string(), diff: z.string() })),
  deferred: z.array(z.looseObject({ id: z.string(), gap: z.string(), reason: z.string() })),
  errors: z.array(z.looseObject({ step: z.string(), path: z.string(), message: z.string() })),
  suppressed: z.array(z.looseObject({ id: z.string(), ...loc, reason: z.string() })).optional(),
  unusedSuppressions: z.array(z.looseObject({ id: z.string(), ...loc })).optional(),
  baseline: z.looseObject({ toolVersion: z.string(), profile: z.string(), score: z.number(), statuses: z.record(z.string(), status), stubs: z.array(z.string()), risks: z.array(z.string()) }),
  // Present when a gate was evaluated (--fail-on, --min-score, --strict, --baseline or the config's gate).
  gate: z
    .looseObject({
      passed: z.boolean(),
      failures: z.array(z.string()),
      baseline: z
        .looseObject({
          newFindings: z.array(z.looseObject({ kind: z.enum(['stub', 'risk']), ...loc, id: z.string() })),
          resolved: z.array(z.looseObject({ kind: z.enum(['stub', 'risk']), id: z.string(), ...loc, fingerprint: z.string() })),
          unchanged: z.number().int().min(0),
          statusDrops: z.array(z.looseObject({ id: z.string(), from: status, to: status })),
          scoreDrop: z.number().min(0),
        })
        .optional(),
    })
    .optional(),
});

export function reportJsonSchema(): unknown {
  return z.toJSONSchema(reportSchema, { target: 'draft-7', unrepresentable: 'any' });
}
