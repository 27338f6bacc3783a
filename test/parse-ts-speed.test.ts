import { expect, it } from 'vitest';
import { emptyFacts } from '../src/facts/types.js';
import { parseTypeScript } from '../src/parse/typescript.js';

/**
 * Throughput on a generated TypeScript file. Default ~0.5 MB to keep the suite quick; set
 * CODEX_AUDIT_TS_BENCH_MB=5 for the 5 MB measurement. Prints MB/s for both paths; asserts only
 * correctness and that the work grows linearly with the input (facts per block are constant).
 */
function block(i: number): string {
  return `
/** Trainer number ${i}. */
export class Trainer${i} extends tf.LayersModel implements Runner {
  private readonly history: number[] = [];
  constructor(private readonly lr: number, opts: Options = {}) {
    super();
    this.opts = { ...opts, seed: ${i} };
  }
  async fit(data: tf.Tensor, epochs = 10): Promise<void> {
    for (let e = 0; e < epochs; e++) {
      const loss = await this.model.trainOnBatch(data, { batchSize: 32, shuffle: true });
      if (loss > ${i}) console.warn(\`epoch \${e}: loss \${loss}\`); // TODO: early stopping
      this.history.push(loss as number);
    }
  }
  evaluate(): never { throw new Error('not implemented'); }
}
export const helper${i} = (x: number, y = 2): number => Math.max(x * y, ${i}) + [1, 2, 3].map((v) => v * 2).reduce((a, b) => a + b, 0);
function build${i}(cfg: Record<string, unknown>) {
  const m = tf.sequential({ name: 'm${i}' });
  m.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [10] }));
  m.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
  process.env.SEED_${i} = String(cfg.seed ?? ${i});
  return m;
}
`;
}

it('parses a generated multi-megabyte TypeScript file', { timeout: 600_000 }, () => {
  const targetMb = Number(process.env.CODEX_AUDIT_TS_BENCH_MB ?? '0.5') || 0.5;
  let src = "import * as tf from '@tensorflow/tfjs';\nimport type { Runner, Options } from './types.js';\n";
  let blocks = 0;
  while (src.length < targetMb * 1024 * 1024) src += block(blocks++);
  const mb = src.length / (1024 * 1024);

  const real = emptyFacts('src/big.ts', 'typescript', src.length, 'h');
  let t0 = performance.now();
  parseTypeScript(src, real);
  const estreeMs = performance.now() - t0;

  const lex = emptyFacts('src/big.ts', 'typescript', src.length, 'h');
  t0 = performance.now();
  parseTypeScript(src, lex, { forceFallback: true });
  const fallbackMs = performance.now() - t0;

  console.log(
    `parse-ts speed: ${mb.toFixed(2)} MB, estree ${(mb / (estreeMs / 1000)).toFixed(2)} MB/s (${estreeMs.toFixed(0)} ms), ` +
      `fallback ${(mb / (fallbackMs / 1000)).toFixed(2)} MB/s (${fallbackMs.toFixed(0)} ms)`,
  );

  expect(real.parser).toBe('estree');
  expect(real.issues).toEqual([]);
  // per block: class + constructor + fit + evaluate + helper + build
  expect(real.definitions).toHaveLength(blocks * 6);
  expect(real.definitions.filter((d) => d.stub)).toHaveLength(blocks);
  expect(real.markers).toHaveLength(blocks);
  expect(real.calls.filter((c) => c.callee === '@tensorflow/tfjs.layers.dense')).toHaveLength(blocks);
  expect(real.names.length).toBeGreaterThan(blocks);
  expect(real.names.length).toBeLessThanOrEqual(5000);
  expect(lex.parser).toBe('fallback');
  expect(lex.definitions.filter((d) => d.kind === 'class')).toHaveLength(blocks);
  expect(lex.markers).toHaveLength(blocks);
});
