import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../model/capability.js';
import { checkSignal, hasCustomSignal } from '../model/signals.js';
import { capabilities, capabilityById } from './index.js';
import { reproducibilityItems } from './reproducibility.js';
import { riskRules, riskTextPatterns } from './risks.js';

/**
 * The spec table of CAPABILITIES.md: every capability in order, every sub-feature id, `true` for the
 * core (★) ones. Embedded on purpose: the registry must not silently drift from the contract.
 */
const SPEC: [string, [string, boolean][]][] = [
  ['tokenization', [['component', true], ['encode_decode', true], ['fast_path', false], ['vocab', false], ['padding_truncation', false], ['tests', false]]],
  ['modeling', [['factory', true], ['device', true], ['dtype', false], ['peft', false], ['checkpoint_load', false]]],
  ['training', [['loop', true], ['mixed_precision', false], ['grad_accumulation', false], ['grad_clipping', false], ['lr_schedule', false], ['tests', false]]],
  ['configuration', [['files', true], ['overrides', true], ['hierarchy', false], ['validation', false], ['sweeps', false]]],
  ['evaluation', [['loop', true], ['metrics', true], ['sink', false], ['nan_guard', false], ['tests', false]]],
  ['logging', [['backend', true], ['system_metrics', false], ['offline_guard', false], ['structured', false]]],
  ['checkpointing', [['save', true], ['resume', true], ['optimizer_state', false], ['rng_state', false], ['retention', false], ['atomic_write', false], ['metadata', false]]],
  ['data', [['pipeline', true], ['splits', false], ['deterministic_shuffle', false], ['caching', false], ['tests', false]]],
  ['security', [['dependency_lock', true], ['secrets_scanning', true], ['precommit', false], ['dependency_audit', false], ['prompt_safety', false]]],
  ['ci_tests', [['suite', true], ['local_gates', true], ['runner_config', false], ['coverage', false], ['ci_workflow', false], ['offline_markers', false]]],
  ['deployment', [['packaging', true], ['cli_entrypoints', false], ['container', false], ['serving', false]]],
  ['docs', [['readme', true], ['examples', false], ['site', false], ['docstrings', false]]],
  ['tracking', [['tracker', true], ['local_store', false], ['run_metadata', false], ['artifacts', false]]],
  ['extensibility', [['registry', true], ['interfaces', false], ['plugins', false]]],
];

const here = dirname(fileURLToPath(import.meta.url));

function walkSignals(signals: Signal[], visit: (s: Signal) => void): void {
  for (const s of signals) {
    visit(s);
    if ('all' in s) walkSignals(s.all, visit);
  }
}

describe('capability registry', () => {
  it('spec table has the 14 capabilities and 69 sub-features, 21 of them core', () => {
    expect(SPEC).toHaveLength(14);
    expect(SPEC.flatMap(([, subs]) => subs)).toHaveLength(69);
    expect(SPEC.flatMap(([, subs]) => subs).filter(([, core]) => core)).toHaveLength(21);
  });

  it('lists the capabilities in the order of CAPABILITIES.md', () => {
    expect(capabilities.map((c) => c.id)).toEqual(SPEC.map(([id]) => id));
  });

  it('matches the folders: one folder per capability, each with the same file names', () => {
    const folders = readdirSync(here)
      .filter((name) => statSync(join(here, name)).isDirectory())
      .sort();
    expect(folders).toEqual(capabilities.map((c) => c.id).sort());
    for (const f of folders) {
      expect(readdirSync(join(here, f)).sort(), f).toEqual(['definition.test.ts', 'definition.ts']);
    }
  });

  it('has exactly the sub-features of the spec, with its core flags, each id once', () => {
    const expected = SPEC.flatMap(([cap, subs]) => subs.map(([name, core]) => ({ id: `${cap}.${name}`, core })));
    const actual = capabilities.flatMap((c) => c.subfeatures.map((s) => ({ id: s.id, core: s.core })));
    expect(actual).toEqual(expected);
    const ids = actual.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('prefixes every sub-feature id with its capability id', () => {
    for (const c of capabilities) for (const s of c.subfeatures) expect(s.id.startsWith(`${c.id}.`), s.id).toBe(true);
  });

  it('gives every capability and sub-feature its prose', () => {
    for (const c of capabilities) {
      for (const field of [c.title, c.tableTitle, c.why, c.patchPlan, c.rollbackPlan]) expect(field.trim().length, c.id).toBeGreaterThan(0);
      expect(c.tableTitle.startsWith(c.title.split(' ')[0]), c.id).toBe(true);
      expect(c.risks.length, c.id).toBeGreaterThan(0);
      for (const r of c.risks) expect(r.trim().length).toBeGreaterThan(0);
      for (const s of c.subfeatures) {
        expect(s.title.trim().length, s.id).toBeGreaterThan(0);
        expect(s.summary.trim().length, s.id).toBeGreaterThan(10);
        expect(s.gap.trim().length, s.id).toBeGreaterThan(20);
        expect(s.signals.length, s.id).toBeGreaterThan(0);
      }
    }
  });

  it('compiles every signal, and every custom detector it names is registered', () => {
    for (const c of capabilities) {
      for (const s of c.subfeatures) {
        walkSignals(s.signals, (sig) => {
          expect(checkSignal(sig), `${s.id}: ${JSON.stringify(sig)}`).toBeUndefined();
          if ('custom' in sig) expect(hasCustomSignal(sig.custom), `${s.id}: ${sig.custom}`).toBe(true);
        });
      }
    }
    for (const item of reproducibilityItems) for (const group of Object.values(item.signals)) walkSignals(group, (sig) => expect(checkSignal(sig), item.id).toBeUndefined());
  });

  it('never makes a declared dependency alone the evidence of a sub-feature', () => {
    for (const c of capabilities) for (const s of c.subfeatures) walkSignals(s.signals, (sig) => expect('requirement' in sig && sig.counts, s.id).toBeFalsy());
  });

  it('finds capabilities by id', () => {
    expect(capabilityById('docs')?.title).toBe('Docs & Examples');
    expect(capabilityById('nope')).toBeUndefined();
  });

  it('has the eleven reproducibility rows with unique ids and rules', () => {
    expect(reproducibilityItems).toHaveLength(11);
    expect(new Set(reproducibilityItems.map((r) => r.id)).size).toBe(11);
    const known = new Set(capabilities.flatMap((c) => c.subfeatures.map((s) => s.id)));
    for (const r of reproducibilityItems) {
      expect(r.id.startsWith('repro.')).toBe(true);
      for (const text of [r.item, r.rule.provided, r.rule.partial, r.rule.missing]) expect(text.trim().length, r.id).toBeGreaterThan(0);
      for (const s of r.subfeatures) expect(known.has(s), `${r.id}: ${s}`).toBe(true);
    }
  });

  it('has risk rules with prose for SARIF, and valid text patterns', () => {
    expect(riskRules.map((r) => r.id)).toEqual([
      'risk.pickle_load',
      'risk.torch_load_unsafe',
      'risk.yaml_unsafe_load',
      'risk.eval_exec',
      'risk.trust_remote_code',
      'risk.shell_true',
      'risk.verify_false',
      'risk.hardcoded_secret',
    ]);
    for (const r of riskRules) for (const t of [r.title, r.why, r.fix]) expect(t.length).toBeGreaterThan(10);
    for (const p of riskTextPatterns) expect(() => new RegExp(p, 'gim')).not.toThrow();
  });
});
