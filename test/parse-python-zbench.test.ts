import { test } from 'vitest';
import { emptyFacts } from '../src/facts/types.js';
import { initPython, parsePython } from '../src/parse/python.js';
test('bench', async () => {
  await initPython();
  const block = (i: number) =>
    `class Model${i}(nn.Module):\n    """Doc ${i}."""\n    def __init__(self, dim: int = 3):\n        super().__init__()\n        self.lin = nn.Linear(dim, dim)  # TODO tune\n    def forward(self, x):\n        y = self.lin(x).relu()\n        return torch.cat([y, x[0]], dim=-1)\n\n\n`;
  const parts = ['import torch\nimport torch.nn as nn\n'];
  for (let i = 0; parts.length * 10 < 100_010; i++) parts.push(block(i));
  const src = parts.join('');
  for (let k = 0; k < 3; k++) {
    const f = emptyFacts('a.py', 'python', 0, '');
    const t0 = performance.now();
    parsePython(src, f);
    console.log('tree', performance.now() - t0);
    const g = emptyFacts('a.py', 'python', 0, '');
    const t1 = performance.now();
    parsePython(src, g, { forceFallback: true });
    console.log('fallback', performance.now() - t1);
  }
});
