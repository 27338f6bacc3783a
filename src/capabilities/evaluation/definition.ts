import type { CapabilityDef, Signal } from '../../model/capability.js';

/**
 * Evaluation & metrics: an evaluation loop (not mere inference), metrics, a file sink for them, NaN
 * guards, and tests. `model.eval()` with `no_grad()` counts only together with a loss/metric in the same
 * scope, so a generation script is not taken for an evaluation loop. `torch` is not `torchmetrics`.
 */

// ---- evaluation.loop -------------------------------------------------------------------------

const EVAL_DEFS: Signal = {
  def: '^_?(evaluate\\w*|evaluation(_\\w+)?|estimate_loss|eval_(epoch|step|loop|split|model|loss|dataset|all|batch|on_\\w+|\\w*accuracy|\\w*ppl|\\w*perplexity)|\\w+_eval|validation_(step|epoch_end|loop|epoch|loss)|on_validation_epoch_end|validate_(epoch|one_epoch|model|loss|step|loop)|val_(epoch|step|loop|loss)|run_(eval|evaluation|validation)\\w*|test_step|compute_validation_loss)$',
  kind: ['function', 'method'],
  lang: ['python'],
  note: 'an evaluation function',
};
const EVAL_NO_GRAD_WITH_LOSS: Signal = {
  all: [
    { call: 'eval', receiver: '.' },
    { call: ['torch.no_grad', 'torch.inference_mode', 'no_grad', 'inference_mode'] },
    { call: ['*loss*', '*criterion*', '*cross_entropy*', 'accuracy*', '*metric*', 'perplexity'] },
  ],
  within: 'scope',
  note: '`model.eval()` under `no_grad()` with a loss or metric computed',
};
const EVAL_CALLS: Signal = {
  call: ['evaluate', 'validate', 'test'],
  receiver: '(^|\\.)(trainer|model|evaluator|\\w*_trainer|\\w*_model)$',
  note: '`trainer.evaluate()` / Keras and tfjs `model.evaluate()`',
};
const EVAL_LM_EVAL: Signal = { import: ['lm_eval', 'lighteval', 'opencompass', 'evalplus', 'inspect_ai'], note: 'an evaluation harness' };
const EVAL_HARNESS_CALLS: Signal = { call: ['lm_eval.simple_evaluate', 'simple_evaluate', 'evaluator.evaluate'] };
const EVAL_LOADERS: Signal = {
  name: '^(val|valid|validation|eval|dev)_?(loader|dataloader|data_loader|iter|iterator)$',
  note: 'a validation dataloader',
};
const EVAL_LIGHTNING_VAL: Signal = { def: '^val_dataloader$', kind: ['method'] };
const EVAL_TRAINER_KW: Signal = { call: '**', kw: ['eval_dataset', 'val_dataloaders', 'validation_data', 'eval_steps'], notKwValue: { eval_dataset: '^None$' } };
const EVAL_DEFS_JS: Signal = {
  def: '^(evaluate\\w*|evaluation\\w*|evalModel|evalEpoch|runEval\\w*|validateModel|validateEpoch|validationStep)$',
  kind: ['function', 'method'],
  lang: ['typescript', 'javascript'],
  note: 'an evaluation function (TS/JS)',
};
const EVAL_JS: Signal = { call: ['evaluate', 'evaluateDataset'], receiver: '(^|\\.)(model|\\w*Model)$', lang: ['typescript', 'javascript'] };

// ---- evaluation.metrics ----------------------------------------------------------------------

const METRIC_IMPORTS: Signal = {
  import: ['torchmetrics', 'sklearn.metrics', 'sacrebleu', 'rouge_score', 'nltk.translate', 'jiwer', 'bert_score', 'seqeval', 'pycocotools', 'torcheval', 'mauve'],
  note: 'a metrics library imported in code',
};
/** HF `evaluate` by its API names: a local `evaluate.py` script must not count. */
const METRIC_HF_EVALUATE: Signal = { import: 'evaluate', names: '^(load|combine|EvaluationModule|Metric|evaluator)$' };
const METRIC_CALLS: Signal = { call: ['evaluate.load', 'load_metric', 'datasets.load_metric', 'sacrebleu.corpus_bleu', 'rouge_scorer.RougeScorer'] };
const METRIC_COMPUTE: Signal = { name: '^compute_metrics$', note: '`compute_metrics`' };
const METRIC_DEFS: Signal = {
  def: '^_?(compute_|calc_|calculate_|get_|eval_|measure_)?(accuracy|acc|top_?k_acc\\w*|perplexity|ppl|bleu|rouge\\w*|f1(_score)?|exact_match|em|precision|recall|auc|roc_auc|mae|mse|rmse|wer|cer|pass_at_k|bits_per_byte|bpb|mean_average_precision|map_score|ndcg|mrr|metrics?)$',
  kind: ['function', 'method'],
  note: 'an own metric function',
};
const METRIC_REGISTRY: Signal = { assign: '*METRICS*', valueKind: ['dict', 'call'], lang: ['python'] };
const METRIC_KERAS: Signal = { call: 'compile', receiver: '.', kw: ['metrics'] };
const METRIC_PPL: Signal = { assign: '*perplexity*', value: 'exp', lang: ['python'] };
const METRIC_PPL_SHORT: Signal = { assign: '*ppl*', value: 'exp', lang: ['python'] };
const METRIC_ACCURACY_ASSIGN: Signal = { assign: '*accuracy*', lang: ['python'], note: 'an accuracy computed' };

// ---- evaluation.sink -------------------------------------------------------------------------

/**
 * Words that name metrics output, not preceded by a letter. `eval`, `log` and `stats` are left out on
 * purpose: `eval.jsonl` is usually an evaluation split, `dialog.json` data, `stats.json` data statistics.
 */
export const METRIC_WORDS = '(?<![a-z])(metric|results|eval_result|score|accuracy|loss|perf|summary|report|history|leaderboard|benchmark)';
/** A metrics file name: `metrics.jsonl`, `eval_results.csv`, `history.ndjson`. */
export const METRICS_FILE = `${METRIC_WORDS}[^'"\\s]*\\.(jsonl|ndjson|csv|tsv|json)\\b`;
const METRICS_PATH_ASSIGN: Signal = { assign: '*', value: METRICS_FILE };
const METRICS_PATH_ARG: Signal = { call: '**', arg0: METRICS_FILE };
const CSV_WRITERS: Signal = { call: ['csv.writer', 'csv.DictWriter'] };
const JSON_LINE_WRITE: Signal = { call: 'write', receiver: '.', arg0: 'json\\.dumps\\(' };
export const SINK_CSV: Signal = { all: [CSV_WRITERS, METRICS_PATH_ASSIGN], within: 'scope', note: 'metrics written as CSV' };
export const SINK_CSV_ARG: Signal = { all: [CSV_WRITERS, METRICS_PATH_ARG], within: 'scope', note: 'metrics written as CSV' };
export const SINK_JSONL: Signal = { all: [JSON_LINE_WRITE, METRICS_PATH_ASSIGN], within: 'scope', note: 'metrics appended as JSON lines' };
export const SINK_JSONL_ARG: Signal = { all: [JSON_LINE_WRITE, METRICS_PATH_ARG], within: 'scope', note: 'metrics appended as JSON lines' };
export const SINK_OPEN: Signal = { call: 'open', arg0: METRICS_FILE, note: 'a metrics file opened' };
export const SINK_JSON_DUMP: Signal = { call: 'json.dump', arg0: METRIC_WORDS, note: 'results dumped as JSON' };
export const SINK_WRITE_JSON: Signal = { call: 'write', receiver: '.', arg0: `json\\.dumps\\(.*${METRIC_WORDS}` };
export const SINK_TO_CSV: Signal = { call: ['to_csv', 'to_json'], receiver: METRIC_WORDS };
export const SINK_TO_CSV_PATH: Signal = { call: ['to_csv', 'to_json'], arg0: METRIC_WORDS };
export const SINK_LOGGERS: Signal = { call: ['CSVLogger', '*CSVLogger', 'save_metrics'], note: 'a CSV logger / `trainer.save_metrics`' };
export const SINK_JS: Signal = {
  call: ['*.appendFileSync', '*.appendFile', '*.writeFileSync', '*.writeFile'],
  arg0: '(metric|result|score|eval)',
  lang: ['typescript', 'javascript'],
};

// ---- evaluation.nan_guard --------------------------------------------------------------------

const NAN_CALLS: Signal = {
  call: ['isnan', 'isfinite', 'isinf', 'nan_to_num', 'isneginf', 'isposinf', 'detect_anomaly', 'set_detect_anomaly'],
  lang: ['python'],
  note: 'a NaN/Inf check',
};
const NAN_TFJS: Signal = { call: ['tf.isNaN', '*tfjs*.isNaN', 'tf.isFinite', '*tfjs*.isFinite'], lang: ['typescript', 'javascript'] };
const NAN_CONFIG: Signal = { name: '^(skip_nan\\w*|nan_check\\w*|check_nan\\w*|detect_nan\\w*|nan_guard|nan_inf_to_zero)$' };

// ---- evaluation.tests ------------------------------------------------------------------------

const TEST_METRIC_IMPORTS: Signal = { import: ['**.metric*', '**.eval*', '**/metric*', '**/eval*', 'torchmetrics', 'sklearn.metrics'] };
const TEST_DEFS: Signal = {
  def: '^test.*?(^|_)(metric|metrics|accuracy|perplexity|ppl|bleu|rouge\\w*|f1|exact_match|evaluat\\w*|eval|validation|score|scores)(_|$)',
  kind: ['function', 'method'],
};
const TEST_JS: Signal = { call: ['it', 'test', 'describe'], arg0: '\\b(metrics?|accuracy|perplexity|evaluat(e|es|ion|or))\\b', lang: ['typescript', 'javascript'] };

export const capability: CapabilityDef = {
  id: 'evaluation',
  title: 'Evaluation & Metrics',
  tableTitle: 'Evaluation & Metrics (loops, metrics API, NDJSON/CSV logging)',
  why: 'Without a held-out evaluation and named metrics, overfitting and regressions go unnoticed, and results cannot be compared across runs unless the metrics are persisted.',
  subfeatures: [
    {
      id: 'evaluation.loop',
      title: 'Evaluation loop',
      core: true,
      summary: 'Evaluation: `model.eval()` under `torch.no_grad()` computing a loss or metric, `evaluate`/`validate`/`estimate_loss` functions, `trainer.evaluate`, `lm_eval`, a validation dataloader.',
      gap: 'No evaluation loop: add `evaluate(model, val_loader)` that switches to `model.eval()` under `torch.no_grad()`, averages the loss over a validation split and restores `model.train()`.',
      signals: [EVAL_DEFS, EVAL_NO_GRAD_WITH_LOSS, EVAL_CALLS, EVAL_LM_EVAL, EVAL_HARNESS_CALLS, EVAL_LOADERS, EVAL_LIGHTNING_VAL, EVAL_TRAINER_KW, EVAL_JS, EVAL_DEFS_JS],
    },
    {
      id: 'evaluation.metrics',
      title: 'Metrics',
      core: true,
      summary: 'Metrics: `evaluate.load`, `torchmetrics`, `sklearn.metrics`, `compute_metrics`, own accuracy/perplexity/BLEU/ROUGE/F1/exact-match functions, a metrics registry.',
      gap: 'No metrics: add named metric functions (loss, perplexity, accuracy or task metrics) in one metrics module or registry, and report them from the evaluation loop.',
      signals: [METRIC_IMPORTS, METRIC_HF_EVALUATE, METRIC_CALLS, METRIC_COMPUTE, METRIC_DEFS, METRIC_REGISTRY, METRIC_KERAS, METRIC_PPL, METRIC_PPL_SHORT, METRIC_ACCURACY_ASSIGN, EVAL_LM_EVAL],
    },
    {
      id: 'evaluation.sink',
      title: 'Metrics sink (CSV/NDJSON)',
      core: false,
      summary: 'Metrics persisted to files: CSV writers, `.jsonl`/`.ndjson` appends, `to_csv`, JSON dumps of results, CSV loggers.',
      gap: 'No metrics sink: append one JSON line per evaluation (`metrics.ndjson`: step, split, metric values) or a CSV next to the run outputs.',
      signals: [SINK_CSV, SINK_CSV_ARG, SINK_JSONL, SINK_JSONL_ARG, SINK_OPEN, SINK_JSON_DUMP, SINK_WRITE_JSON, SINK_TO_CSV, SINK_TO_CSV_PATH, SINK_LOGGERS, SINK_JS],
    },
    {
      id: 'evaluation.nan_guard',
      title: 'NaN guards',
      core: false,
      summary: '`isnan`/`isfinite`/`nan_to_num` checks (or anomaly detection) in evaluation or training code.',
      gap: 'No NaN/Inf guard: check `torch.isfinite(loss)` each step and in evaluation, and skip or stop with a clear message instead of logging NaN metrics.',
      signals: [NAN_CALLS, NAN_TFJS, NAN_CONFIG],
    },
    {
      id: 'evaluation.tests',
      title: 'Evaluation tests',
      core: false,
      summary: 'Tests of metrics or of the evaluation loop.',
      gap: 'No evaluation tests: add tests that pin metric values on tiny hand-computed inputs (shape, range, NaN handling) and run the evaluation loop once.',
      signals: [TEST_METRIC_IMPORTS, TEST_DEFS, TEST_JS],
    },
  ],
  risks: ['No insight into overfitting without a held-out evaluation', 'Regressions unnoticed when metrics are only printed', 'NaN metrics propagating into model selection'],
  patchPlan: 'Add an evaluator with pluggable metrics (registry by name) and an NDJSON writer; tests for metric shape and NaN handling.',
  rollbackPlan: 'Revert the evaluator; keep the metrics interfaces and the NDJSON format documented so callers do not break.',
};
