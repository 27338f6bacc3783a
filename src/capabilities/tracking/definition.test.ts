import { describe, expect, it } from 'vitest';
import { stateOf } from '../../../test/capabilities-kit.js';

type Row = [id: string, name: string, files: Record<string, string>, expected: 'present' | 'absent' | 'stubbed'];

const rows: Row[] = [
  ['tracking.tracker', 'MLflow run', { 't.py': 'import mlflow\nwith mlflow.start_run():\n    mlflow.log_metric("loss", 1.0)\n' }, 'present'],
  ['tracking.tracker', 'TensorBoard hparams', { 't.py': 'writer.add_hparams({"lr": 0.1}, {"loss": 1})\n' }, 'present'],
  ['tracking.tracker', 'TensorBoard scalars alone are logging, not tracking', { 't.py': 'from torch.utils.tensorboard import SummaryWriter\nSummaryWriter().add_scalar("loss", 1, 0)\n' }, 'absent'],

  ['tracking.local_store', 'MLflow on a file store', { 't.py': 'import mlflow\nmlflow.set_tracking_uri("file:./mlruns")\n' }, 'present'],
  ['tracking.local_store', 'W&B offline mode', { 't.py': 'import wandb\nwandb.init(project="p", mode="offline")\n' }, 'present'],
  ['tracking.local_store', 'Databricks is not a local store', { 't.py': 'import mlflow\nmlflow.set_tracking_uri("databricks")\n' }, 'absent'],
  ['tracking.local_store', 'a remote MLflow server is not local', { 't.py': 'import mlflow\nmlflow.set_tracking_uri("https://mlflow.example.com")\n' }, 'absent'],

  ['tracking.run_metadata', 'git SHA captured', { 'meta.py': 'import subprocess\nsha = subprocess.check_output(["git", "rev-parse", "HEAD"]).decode()\n' }, 'present'],
  ['tracking.run_metadata', 'hyperparameters logged to the tracker', { 't.py': 'import wandb\nwandb.init(project="p", config=vars(args))\n' }, 'present'],
  ['tracking.run_metadata', 'the config dumped next to the outputs', { 't.py': 'import yaml\nyaml.safe_dump(config, open(out / "config.yaml", "w"))\n' }, 'present'],
  ['tracking.run_metadata', 'model params dumped for a weights format is not run provenance', { 'export.py': 'import json\njson.dump(params, open("params.json", "w"))\n' }, 'absent'],

  ['tracking.artifacts', 'log_artifact', { 't.py': 'mlflow.log_artifact("model.pt")\n' }, 'present'],
  ['tracking.artifacts', 'a run-scoped output folder', { 't.py': 'run_dir_name = 1\noutput_dir = os.path.join(args.output_dir, f"{run_name}-{time.strftime(\'%Y%m%d\')}")\n' }, 'present'],
  ['tracking.artifacts', 'a fixed output folder', { 't.py': "out_dir = 'out'\n" }, 'absent'],
  ['tracking.run_metadata', 'the config written as JSON into the work dir (minGPT)', { 'utils.py': 'import json\ndef setup(config):\n    with open("config.json", "w") as f:\n        f.write(json.dumps(config.to_dict(), indent=4))\n' }, 'present'],
  ['tracking.local_store', 'WANDB_MODE=offline mentioned in Python source is not a switch', { 'doc.py': 'HELP = "set WANDB_MODE=offline to work offline"\n' }, 'absent'],
];

describe('tracking signals', () => {
  it.each(rows)('%s: %s', async (id, _name, files, expected) => {
    expect(await stateOf(id, files)).toBe(expected);
  });
});
