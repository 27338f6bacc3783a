import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

const rows: Row[] = [
  ['logging.backend', 'TensorBoard SummaryWriter', { 'log.py': 'from torch.utils.tensorboard import SummaryWriter\nw = SummaryWriter("runs")\n' }, 'present'],
  ['logging.backend', 'wandb.init / wandb.log', { 'train.py': 'import wandb\nwandb.init(project="p")\nwandb.log({"loss": 1})\n' }, 'present'],
  ['logging.backend', 'report_to="wandb"', { 'ft.py': 'args = TrainingArguments(output_dir="o", report_to="wandb")\n' }, 'present'],
  ['logging.backend', 'a requirement alone is not a backend', { 'requirements.txt': 'wandb\ntensorboard\n' }, 'absent'],

  ['logging.system_metrics', 'psutil memory and GPU peak memory', { 'sys.py': 'import psutil\nmem = psutil.virtual_memory().percent\npeak = torch.cuda.max_memory_allocated()\n' }, 'present'],
  ['logging.system_metrics', 'psutil.cpu_count to size workers is not monitoring', { 'data.py': 'import psutil\nnum_workers = psutil.cpu_count()\n' }, 'absent'],

  ['logging.offline_guard', 'WANDB_MODE set to offline', { 'env.py': 'import os\nos.environ["WANDB_MODE"] = "offline"\n' }, 'present'],
  ['logging.offline_guard', 'wandb off by default (wandb_log = False)', { 'train.py': 'wandb_log = False\n' }, 'present'],
  ['logging.offline_guard', 'report_to none unless configured', { 'ft.py': 'args = TrainingArguments(output_dir="o", report_to="wandb" if use_wandb else "none")\n' }, 'present'],
  ['logging.offline_guard', 'try: import wandb except ImportError', { 'log.py': 'try:\n    import wandb\nexcept ImportError:\n    wandb = None\n' }, 'present'],
  ['logging.offline_guard', 'an unguarded wandb.init', { 'train.py': 'import wandb\nwandb.init(project="p")\n' }, 'absent'],

  ['logging.structured', 'getLogger(__name__) that emits', { 'm.py': 'import logging\nlogger = logging.getLogger(__name__)\ndef f():\n    logger.info("step %d", 1)\n' }, 'present'],
  ['logging.structured', 'silencing another library is not structured logging', {
    'm.py': 'import logging\nlogging.getLogger("transformers").setLevel(logging.ERROR)\nprint("hi")\n',
  }, 'absent'],
  ['logging.structured', 'pino in TS', { 'src/log.ts': "import pino from 'pino';\nexport const log = pino();\n" }, 'present'],
  ['logging.structured', 'print only', { 'train.py': 'print("loss", loss)\n' }, 'absent'],
  ['logging.offline_guard', 'wandb config defaults to None (OLMo)', { 'cfg.py': 'class TrainConfig:\n    wandb: Optional[WandbConfig] = None\n' }, 'present'],
  ['logging.structured', 'a setup_logging that only writes files is not structured logging (minGPT)', {
    'utils.py': 'def setup_logging(config):\n    with open("args.txt", "w") as f:\n        f.write(" ".join(sys.argv))\n',
  }, 'absent'],
];

describe('logging signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
