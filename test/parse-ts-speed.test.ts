import { expect, it } from 'vitest';
import { emptyFacts } from '../src/facts/types.js';
import { parseTypeScript } from '../src/parse/typescript.js';

/**
 * Facts of a generated multi-block TypeScript file, by the parser and by the lexical fallback: every block
 * yields the same facts, so the counts grow linearly with the input. Default ~0.5 MB to keep the suite
 * quick (CODEX_AUDIT_TS_BENCH_MB sets another size). No timing here: throughput is measured in bench/.
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

  const real = emptyFacts('src/big.ts', 'typescript', src.length, 'h');
  parseTypeScript(src, real);

  const lex = emptyFacts('src/big.ts', 'typescript', src.length, 'h');
  parseTypeScript(src, lex, { forceFallback: true });

  expect(real.parser).toBe('typescript');
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
