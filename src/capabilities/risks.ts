import type { RepoIndex } from '../facts/index.js';
import { FILE_TEST, FILE_VENDORED } from '../facts/index.js';
import type { CallFact, FileFacts, Language } from '../facts/types.js';
import { declareFactUse, memo } from '../model/fact-use.js';
import { columnsOf } from '../facts/compact.js';
import type { RiskFinding, Severity } from '../model/types.js';

/**
 * Risky patterns (CAPABILITIES.md, security): each rule is data (id, title, default severity, why, fix:
 * the prose SARIF and Markdown reuse) plus a small matcher over one file's facts. Test files and
 * vendored code are left out: fixtures legitimately pickle, eval and hard-code fake keys, and vendored
 * code is not the project's to fix. Secrets are never reported whole (`maskSecret`).
 *
 * Two rules also read parse-time text matches (`FileFacts.textMatches`) for what facts cannot carry:
 * private key blocks and well-known token formats in any file (`.env`, shell scripts, docs). Their
 * patterns are `riskTextPatterns`: the pipeline must pass them to `textPatternsOf(defs, riskTextPatterns)`
 * so parsers scan for them.
 */

export type RiskId =
  | 'risk.pickle_load'
  | 'risk.torch_load_unsafe'
  | 'risk.yaml_unsafe_load'
  | 'risk.eval_exec'
  | 'risk.trust_remote_code'
  | 'risk.shell_true'
  | 'risk.verify_false'
  | 'risk.hardcoded_secret';

export interface RiskRule {
  id: RiskId;
  title: string;
  /** Default severity (a finding may be lowered, e.g. `shell=True` with a literal command is a note). */
  severity: Severity;
  why: string;
  fix: string;
}

export const riskRules: RiskRule[] = [
  {
    id: 'risk.pickle_load',
    title: 'Unpickling untrusted data',
    severity: 'warning',
    why: 'pickle (and dill, cloudpickle, joblib, pandas.read_pickle, np.load(allow_pickle=True)) runs arbitrary code while loading: a tampered file executes on the machine that loads it.',
    fix: 'Store data as JSON, NumPy `.npy` without pickle, Parquet or safetensors; load pickles only from files this process wrote, and verify a hash first.',
  },
  {
    id: 'risk.torch_load_unsafe',
    title: '`torch.load` without `weights_only=True`',
    severity: 'warning',
    why: '`torch.load` unpickles by default on older PyTorch (and with `weights_only=False`): a downloaded checkpoint can execute code when loaded.',
    fix: 'Pass `weights_only=True` (allow-list extra types with `torch.serialization.add_safe_globals`), or store weights as safetensors and load them with `safetensors.torch.load_file`.',
  },
  {
    id: 'risk.yaml_unsafe_load',
    title: '`yaml.load` without a safe loader',
    severity: 'warning',
    why: '`yaml.load` with the default, full or unsafe loader (and `yaml.unsafe_load`) can construct arbitrary Python objects from a config file.',
    fix: 'Use `yaml.safe_load` (or `yaml.load(f, Loader=yaml.SafeLoader)` / `CSafeLoader`).',
  },
  {
    id: 'risk.eval_exec',
    title: '`eval`/`exec` of a non-literal',
    severity: 'warning',
    why: 'Evaluating text that is not a literal (`eval`, `exec`, JS `eval`/`new Function`/`vm.run*`) runs whatever that text holds, including input from files, the CLI or a model.',
    fix: 'Parse data with `json`/`ast.literal_eval`, dispatch through a dict of allowed callables, or load configs with a real config parser instead of executing them.',
  },
  {
    id: 'risk.trust_remote_code',
    title: '`trust_remote_code=True`',
    severity: 'warning',
    why: '`trust_remote_code=True` downloads and runs Python code from the model repository on the Hub at load time.',
    fix: 'Pin the model `revision` to a reviewed commit, vendor the modeling code, or default `trust_remote_code` to False behind an explicit flag.',
  },
  {
    id: 'risk.shell_true',
    title: 'Shell command execution',
    severity: 'warning',
    why: '`subprocess` with `shell=True`, `os.system`/`os.popen` and JS `child_process.exec` hand a string to the shell: any interpolated value can inject commands.',
    fix: 'Pass an argument list without a shell (`subprocess.run([...], check=True)`, `execFile`/`spawn` without `shell: true`) and never interpolate untrusted values.',
  },
  {
    id: 'risk.verify_false',
    title: 'TLS verification disabled',
    severity: 'warning',
    why: '`verify=False`, unverified SSL contexts, `rejectUnauthorized: false` and `NODE_TLS_REJECT_UNAUTHORIZED=0` accept any certificate: traffic, tokens and downloaded weights can be intercepted or swapped.',
    fix: 'Keep verification on; point `verify=`/`ca` at the internal CA bundle when a private certificate is needed.',
  },
  {
    id: 'risk.hardcoded_secret',
    title: 'Hard-coded credential',
    severity: 'error',
    why: 'A credential in the repository (AWS key, GitHub/HF/OpenAI token, private key block, password literal) is readable by everyone with access to the code and its history.',
    fix: 'Revoke and rotate the credential, remove it from history, read it from the environment or a secret manager, and add a secrets scanner (detect-secrets/gitleaks) to pre-commit.',
  },
];

// ---------------------------------------------------------------------------------------------
// Secrets

/** Keep the first 4 characters (fewer for short values) and mask the rest: never the whole secret. */
export function maskSecret(s: string): string {
  const keep = s.length > 8 ? 4 : Math.floor(s.length / 2);
  return `${s.slice(0, keep)}****`;
}

const PRIVATE_KEY_SOURCE = '-----BEGIN (RSA |EC |OPENSSH |DSA |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----';
/** Well-known token formats (checked case-sensitively on every string value and text match). */
const TOKEN_SOURCE =
  '(AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|sk-(proj-|ant-(api\\d\\d-)?)?[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{34,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,})';

/** Text patterns the parsers must scan for (private key blocks, token formats in files without facts). */
export const riskTextPatterns: string[] = [PRIVATE_KEY_SOURCE, `(?<![A-Za-z0-9_-])${TOKEN_SOURCE}`];

const PRIVATE_KEY_RE = new RegExp(PRIVATE_KEY_SOURCE);
const TOKEN_RE = new RegExp(`(?<![A-Za-z0-9_-])${TOKEN_SOURCE}(?![A-Za-z0-9_-])`, 'g');

/** A token that is a placeholder rather than a credential (`sk-xxxxxxxx...`, `ghp_your_token...`). */
function placeholderToken(t: string): boolean {
  const body = t.replace(/^(AKIA|gh[pousr]_|github_pat_|sk-(proj-|ant-(api\d\d-)?)?|hf_|xox[abprs]-|AIza|glpat-)/, '');
  if (new Set(body.toLowerCase()).size < 6) return true;
  return /x{4,}|your|example|placeholder|dummy|fake|test|sample|redacted|0{6,}|1234567/i.test(body);
}

/** Token-format credentials inside a string, masked. */
/** Every token format has one of these prefixes and is at least 20 characters long: a cheap prefilter. */
const TOKEN_PREFILTER = /AKIA|gh[pousr]_|github_pat_|sk-|hf_|xox[abprs]-|AIza|glpat-/;

function tokensIn(text: string): string[] {
  if (text.length < 20 || !TOKEN_PREFILTER.test(text)) return [];
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN_RE)) if (!placeholderToken(m[0])) out.push(m[0]);
  return out;
}

const TOKEN_NAMES =
  '(auth|access|api|bearer|refresh|oauth|hf|huggingface|hub|github|gh|gitlab|slack|bot|session|wandb|openai|secret|personal_access|discord|telegram|npm|pypi)_?token';
/** Names that hold a credential (normalised to lower snake case). `pad_token`/`eos_token` are not credentials. */
const SECRET_NAME_RE = new RegExp(
  `^(.*_)?(password|passwd|secret|secret_?key|api_?key|apikey|access_?key|secret_access_key|private_?key|client_?secret|${TOKEN_NAMES})$|^token$`,
);
const PLACEHOLDER_VALUE_RE =
  /changeme|change_me|change-me|replace|placeholder|dummy|example|sample|fake|test|todo|tbd|fixme|your|my[_-]?(api|secret|token|password|key)|insert|enter|redacted|hidden|^secret$|^password$|^none$|^null$|^nil$|^undefined$|^empty$|^default$|^foo|^bar$|xxx|\*\*\*|\.\.\.|^<|>$|^(x+|-+|_+|0+)$/i;

function normaliseName(target: string): string {
  const sub = /\[([^\]]+)\]$/.exec(target);
  const last = sub ? sub[1] : target.slice(target.lastIndexOf('.') + 1);
  return last
    .replace(/^["'`]|["'`]$/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The literal string of a value's source text, or undefined when it is not a plain literal. */
function stringLiteral(text: string, python: boolean): string | undefined {
  const t = text.trim();
  const m = python ? /^[rRbBuU]{0,2}("""|'''|"|')([\s\S]*)\1$/.exec(t) : /^(["'`])([\s\S]*)\1$/.exec(t);
  if (!m) return undefined;
  if (!python && m[1] === '`' && m[2].includes('${')) return undefined;
  return m[2];
}

/** A literal worth reporting as a password/key: not empty, not a placeholder, not a template or env name. */
function credentialValue(v: string): boolean {
  const s = v.trim();
  if (s.length < 4 || /\s/.test(s)) return false;
  if (/[{}$%<>]|os\.environ|getenv|process\.env/.test(s)) return false;
  if (/^[A-Z][A-Z0-9_]*$/.test(s)) return false; // the name of an environment variable
  if (/^(\.{0,2}\/|~\/|[a-z][\w+.-]*:\/\/)/i.test(s)) return false; // a path or URL
  return !PLACEHOLDER_VALUE_RE.test(s);
}

// ---------------------------------------------------------------------------------------------
// Matchers over one file's facts

interface Hit {
  id: RiskId;
  line: number;
  excerpt: string;
  severity?: Severity;
}

const PY_PICKLE = new Set([
  'pickle.load',
  'pickle.loads',
  'pickle.Unpickler',
  'cPickle.load',
  'cPickle.loads',
  '_pickle.load',
  '_pickle.loads',
  'dill.load',
  'dill.loads',
  'cloudpickle.load',
  'cloudpickle.loads',
  'joblib.load',
  'pandas.read_pickle',
  'pd.read_pickle',
  'torch.serialization.pickle.load',
]);
const SHELL_CALLS = /^subprocess\.(run|call|check_call|check_output|Popen)$/;
const ALWAYS_SHELL = /^(subprocess\.(getoutput|getstatusoutput)|os\.(system|popen)|commands\.getoutput|asyncio\.create_subprocess_shell|create_subprocess_shell)$/;
const JS_EXEC = /(^|\.)(node:)?child_process\.(exec|execSync)$|^(shelljs|shell)\.exec$/;
const JS_SPAWN = /(^|\.)(node:)?child_process\.(spawn|spawnSync|execFile|execFileSync)$/;
const JS_VM = /(^|\.)(node:)?vm\.(runInNewContext|runInThisContext|runInContext|compileFunction|Script)$/;
const HTTP_CALLEE = /requests|httpx|urllib3|aiohttp|session|client|http|\.(get|post|put|patch|delete|head|options|request|send|stream|urlopen|download)$|^(get|post|put|patch|delete|request)$/i;

function pyLiteral(arg: string | undefined): boolean {
  return arg !== undefined && /^[rRbBuU]{0,2}("""|'''|"|')/.test(arg.trim());
}

function jsLiteral(arg: string | undefined): boolean {
  if (arg === undefined) return false;
  const t = arg.trim();
  return /^["']/.test(t) || (t.startsWith('`') && !t.includes('${'));
}

function short(s: string, max = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function callText(c: CallFact): string {
  const parts = [...c.args.slice(0, 1).map((a) => short(a, 50)), ...Object.entries(c.kwargs).map(([k, v]) => `${k}=${short(v, 30)}`)];
  return `${c.callee}(${parts.join(', ')})`;
}

function unquote(v: string): string {
  return v.trim().replace(/^[rRbBuU]{0,2}(["'`])([\s\S]*)\1$/, '$2');
}

// What a Python callee can be, as bits: computed once per distinct callee (a repository has far fewer
// distinct callees than calls), so the per-call work is a Map lookup and a few keyword reads.
const PY_PICKLE_CALL = 1;
const PY_NP_LOAD = 2;
const PY_TORCH_LOAD = 4;
const PY_YAML_UNSAFE = 8;
const PY_YAML_FULL = 16;
const PY_YAML_LOAD = 32;
const PY_RUAMEL = 64;
const PY_EVAL = 128;
const PY_SHELL = 256;
const PY_ALWAYS_SHELL = 512;
const PY_HTTP = 1024;
const PY_SSL_UNVERIFIED = 2048;

function pythonCalleeClass(callee: string): number {
  let k = 0;
  if (PY_PICKLE.has(callee)) k |= PY_PICKLE_CALL;
  if (/^(numpy|np)\.load$/.test(callee)) k |= PY_NP_LOAD;
  if (/^torch\.(serialization\.)?load$/.test(callee)) k |= PY_TORCH_LOAD;
  if (/^yaml\.(unsafe_load|unsafe_load_all)$/.test(callee)) k |= PY_YAML_UNSAFE;
  if (/^yaml\.(full_load|full_load_all)$/.test(callee)) k |= PY_YAML_FULL;
  if (/^yaml\.(load|load_all)$/.test(callee)) k |= PY_YAML_LOAD;
  if (/(^|\.)YAML$/.test(callee) && /ruamel/.test(callee)) k |= PY_RUAMEL;
  if (/^(builtins\.)?(eval|exec)$/.test(callee)) k |= PY_EVAL;
  if (SHELL_CALLS.test(callee)) k |= PY_SHELL;
  if (ALWAYS_SHELL.test(callee)) k |= PY_ALWAYS_SHELL;
  if (HTTP_CALLEE.test(callee)) k |= PY_HTTP;
  if (/(^|\.)ssl\._create_unverified_context$/.test(callee)) k |= PY_SSL_UNVERIFIED;
  return k;
}

const calleeClasses = new Map<string, number>();

function pythonCalleeClassOf(callee: string): number {
  // Bounded: a pathological repository cannot grow this without limit across audits.
  return memo(calleeClasses, callee, pythonCalleeClass, 200_000);
}

/** A Python call's risks; the caller skips ordinary calls (class 0, none of the keywords that matter). */
function pythonCallRisks(c: CallFact): Hit[] {
  const k = pythonCalleeClassOf(c.callee);
  const kw = c.kwargs;
  const hits: Hit[] = [];
  if (k & PY_PICKLE_CALL) hits.push({ id: 'risk.pickle_load', line: c.line, excerpt: callText(c) });
  if (k & PY_NP_LOAD && unquote(kw.allow_pickle ?? '') === 'True') hits.push({ id: 'risk.pickle_load', line: c.line, excerpt: callText(c) });
  if (k & PY_TORCH_LOAD && unquote(kw.weights_only ?? '') !== 'True') hits.push({ id: 'risk.torch_load_unsafe', line: c.line, excerpt: callText(c) });
  if (k & PY_YAML_UNSAFE) hits.push({ id: 'risk.yaml_unsafe_load', line: c.line, excerpt: callText(c) });
  if (k & PY_YAML_FULL) hits.push({ id: 'risk.yaml_unsafe_load', line: c.line, excerpt: callText(c), severity: 'note' });
  if (k & PY_YAML_LOAD) {
    const loader = kw.Loader ?? c.args[1] ?? '';
    if (!/Safe|BaseLoader/.test(loader)) hits.push({ id: 'risk.yaml_unsafe_load', line: c.line, excerpt: callText(c), severity: /FullLoader/.test(loader) ? 'note' : undefined });
  }
  if (k & PY_RUAMEL && /unsafe/.test(kw.typ ?? '')) hits.push({ id: 'risk.yaml_unsafe_load', line: c.line, excerpt: callText(c) });
  if (k & PY_EVAL && c.args.length > 0 && !pyLiteral(c.args[0])) hits.push({ id: 'risk.eval_exec', line: c.line, excerpt: callText(c) });
  if (unquote(kw.trust_remote_code ?? '') === 'True') hits.push({ id: 'risk.trust_remote_code', line: c.line, excerpt: callText(c) });
  if (k & PY_SHELL && unquote(kw.shell ?? '') === 'True') {
    hits.push({ id: 'risk.shell_true', line: c.line, excerpt: callText(c), severity: pyLiteral(c.args[0]) ? 'note' : undefined });
  }
  if (k & PY_ALWAYS_SHELL && c.args.length > 0 && !pyLiteral(c.args[0])) hits.push({ id: 'risk.shell_true', line: c.line, excerpt: callText(c) });
  if (k & PY_HTTP && unquote(kw.verify ?? '') === 'False') hits.push({ id: 'risk.verify_false', line: c.line, excerpt: callText(c) });
  if (k & PY_SSL_UNVERIFIED) hits.push({ id: 'risk.verify_false', line: c.line, excerpt: callText(c) });
  if (/CERT_NONE/.test(kw.cert_reqs ?? '')) hits.push({ id: 'risk.verify_false', line: c.line, excerpt: callText(c) });
  return hits;
}

function noKeys(r: Readonly<Record<string, string>>): boolean {
  for (const _k in r) return false;
  return true;
}

function scriptCallRisks(c: CallFact): Hit[] {
  const hits: Hit[] = [];
  const callee = c.callee;
  const kw = c.kwargs;
  if (/^((globalThis|window|global)\.)?eval$/.test(callee) && c.args.length > 0 && !jsLiteral(c.args[0])) hits.push({ id: 'risk.eval_exec', line: c.line, excerpt: callText(c) });
  if (/^((globalThis|window|global)\.)?Function$/.test(callee) && c.args.some((a) => !jsLiteral(a))) hits.push({ id: 'risk.eval_exec', line: c.line, excerpt: callText(c) });
  if (JS_VM.test(callee) && c.args.length > 0 && !jsLiteral(c.args[0])) hits.push({ id: 'risk.eval_exec', line: c.line, excerpt: callText(c) });
  if (JS_EXEC.test(callee) && c.args.length > 0 && !jsLiteral(c.args[0])) hits.push({ id: 'risk.shell_true', line: c.line, excerpt: callText(c) });
  if (JS_SPAWN.test(callee) && unquote(kw.shell ?? '') === 'true') hits.push({ id: 'risk.shell_true', line: c.line, excerpt: callText(c) });
  if (unquote(kw.rejectUnauthorized ?? '') === 'false' || Object.values(kw).some((v) => /rejectUnauthorized\s*:\s*false/.test(v))) {
    hits.push({ id: 'risk.verify_false', line: c.line, excerpt: callText(c) });
  }
  if (unquote(kw.trust_remote_code ?? '') === 'true') hits.push({ id: 'risk.trust_remote_code', line: c.line, excerpt: callText(c) });
  return hits;
}

/** A literal value under a credential-like name, or tokens shaped like a key anywhere in it. */
function namedSecret(hits: Hit[], python: boolean, name: string, value: string, line: number, render: (masked: string) => string): void {
  const lit = stringLiteral(value, python);
  if (lit === undefined) return;
  for (const t of tokensIn(lit)) hits.push({ id: 'risk.hardcoded_secret', line, excerpt: render(maskSecret(t)) });
  if (SECRET_NAME_RE.test(normaliseName(name)) && credentialValue(lit) && tokensIn(lit).length === 0) {
    hits.push({ id: 'risk.hardcoded_secret', line, excerpt: render(maskSecret(lit)) });
  }
}

function assignmentSecrets(hits: Hit[], python: boolean, target: string, value: string, valueKind: string, line: number): void {
  if (valueKind === 'string') namedSecret(hits, python, target, value, line, (m) => `${target} = "${m}"`);
  else for (const t of tokensIn(value)) hits.push({ id: 'risk.hardcoded_secret', line, excerpt: `${target} = …${maskSecret(t)}…` });
}

function callSecrets(hits: Hit[], python: boolean, callee: string, args: readonly string[], kwargs: Readonly<Record<string, string>>, line: number): void {
  if (args.length === 0 && noKeys(kwargs)) return;
  for (const [k, v] of Object.entries(kwargs)) namedSecret(hits, python, k, v, line, (m) => `${callee}(${k}="${m}")`);
  for (const a of args) for (const t of tokensIn(a)) hits.push({ id: 'risk.hardcoded_secret', line, excerpt: `${callee}(…${maskSecret(t)}…)` });
}

function secretHits(f: FileFacts, python: boolean): Hit[] {
  const hits: Hit[] = [];
  const cols = columnsOf(f);
  for (let i = 0; i < cols.assignmentCount; i++) assignmentSecrets(hits, python, cols.target(i), cols.value(i), cols.valueKind(i), cols.assignmentLine(i));
  for (let i = 0; i < cols.callCount; i++) callSecrets(hits, python, cols.callee(i), cols.args(i), cols.kwargs(i), cols.callLine(i));
  return hits;
}

const CONFIG_LANGS = new Set(['yaml', 'toml', 'json', 'ini', 'dockerfile']);
/** Files whose values are hashes or fingerprints, never credentials. */
const NOT_SECRET_FILES = /(^|\/)(\.secrets\.baseline|package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|poetry\.lock|uv\.lock|Pipfile\.lock|pdm\.lock|Cargo\.lock|composer\.lock|[^/]*\.lock)$/;

function configSecretHits(f: FileFacts): Hit[] {
  const hits: Hit[] = [];
  for (const k of f.configKeys) {
    if (k.value === undefined) continue;
    const v = unquote(k.value);
    for (const t of tokensIn(v)) hits.push({ id: 'risk.hardcoded_secret', line: k.line, excerpt: `${k.key}: ${maskSecret(t)}` });
    const last = k.key.slice(k.key.lastIndexOf('.') + 1);
    if (SECRET_NAME_RE.test(normaliseName(last)) && credentialValue(v) && tokensIn(v).length === 0) {
      hits.push({ id: 'risk.hardcoded_secret', line: k.line, excerpt: `${k.key}: ${maskSecret(v)}` });
    }
  }
  return hits;
}

function textHits(f: FileFacts): Hit[] {
  const hits: Hit[] = [];
  for (const m of f.textMatches ?? []) {
    if (m.pattern === PRIVATE_KEY_SOURCE) {
      const header = PRIVATE_KEY_RE.exec(m.excerpt);
      if (header) hits.push({ id: 'risk.hardcoded_secret', line: m.line, excerpt: `${header[0]} (key body masked)` });
    } else if (m.pattern === riskTextPatterns[1]) {
      for (const t of tokensIn(m.excerpt)) hits.push({ id: 'risk.hardcoded_secret', line: m.line, excerpt: maskSecret(t) });
    }
  }
  return hits;
}

function assignmentRisk(hits: Hit[], target: string, value: string, line: number): void {
  const unverified =
    (/NODE_TLS_REJECT_UNAUTHORIZED\]?$/.test(target) && unquote(value) === '0') ||
    (/PYTHONHTTPSVERIFY\]$/.test(target) && unquote(value) === '0') ||
    (/(^|\.)_create_default_https_context$/.test(target) && /_create_unverified_context/.test(value)) ||
    (/(^|\.)verify_mode$/.test(target) && /CERT_NONE/.test(value)) ||
    (/(^|\.)check_hostname$/.test(target) && value.trim() === 'False');
  if (unverified) hits.push({ id: 'risk.verify_false', line, excerpt: `${target} = ${value}` });
}

function assignmentRisks(f: FileFacts): Hit[] {
  const hits: Hit[] = [];
  const cols = columnsOf(f);
  for (let i = 0; i < cols.assignmentCount; i++) assignmentRisk(hits, cols.target(i), cols.value(i), cols.assignmentLine(i));
  return hits;
}

const isPython = (language: Language): boolean => language === 'python' || language === 'notebook';
const isScript = (language: Language): boolean => language === 'typescript' || language === 'javascript';

const SCRIPT_RISK_CALLEE = /^((globalThis|window|global)\.)?(eval|Function)$/;
const secretNames = new Map<string, boolean>();

/** A credential-like keyword name (`api_key=`, `token=`), decided once per name. */
function secretName(k: string): boolean {
  return memo(secretNames, k, (name) => SECRET_NAME_RE.test(normaliseName(name)), 10_000);
}

/** Cheap test that a call may carry a secret: a token-shaped argument, or a credential-like keyword. */
function maySecret(c: CallFact): boolean {
  for (const a of c.args) if (a.length >= 20 && TOKEN_PREFILTER.test(a)) return true;
  for (const k in c.kwargs) {
    const v = c.kwargs[k];
    if (secretName(k) || (v.length >= 20 && TOKEN_PREFILTER.test(v))) return true;
  }
  return false;
}

// The scan reads the calls and assignments of Python and TS/JS files: keep those it can report on.
declareFactUse('risks', {
  // Callees that are risky whatever their arguments (a superset of what pythonCallRisks reports).
  callee: (callee, language) =>
    isPython(language) ? pythonCalleeClassOf(callee) !== 0 : isScript(language) && (SCRIPT_RISK_CALLEE.test(callee) || JS_VM.test(callee) || JS_EXEC.test(callee) || JS_SPAWN.test(callee)),
  call: (c, language) => {
    const python = isPython(language);
    if (!python && !isScript(language)) return false;
    const kw = c.kwargs;
    const byKeyword = python
      ? kw.trust_remote_code !== undefined || kw.cert_reqs !== undefined
      : kw.trust_remote_code !== undefined || kw.rejectUnauthorized !== undefined || Object.values(kw).some((v) => v.includes('rejectUnauthorized'));
    if (byKeyword && (python ? pythonCallRisks(c) : scriptCallRisks(c)).length > 0) return true;
    if (!maySecret(c)) return false;
    const hits: Hit[] = [];
    callSecrets(hits, python, c.callee, c.args, c.kwargs, c.line);
    return hits.length > 0;
  },
  assignment: (a, language) => {
    const python = isPython(language);
    if (!python && !isScript(language)) return false;
    const hits: Hit[] = [];
    assignmentRisk(hits, a.target, a.value, a.line);
    if (hits.length === 0) assignmentSecrets(hits, python, a.target, a.value, a.valueKind, a.line);
    return hits.length > 0;
  },
});

/** Every risky pattern of one file (the file's test/vendored status is the caller's decision). */
export function fileRisks(f: FileFacts): RiskFinding[] {
  const python = f.language === 'python' || f.language === 'notebook';
  const script = f.language === 'typescript' || f.language === 'javascript';
  const hits: Hit[] = [];
  if (python || script) {
    const cols = columnsOf(f);
    for (let i = 0; i < cols.callCount; i++) {
      const callee = cols.callee(i);
      const kwargs = cols.kwargs(i);
      // Most Python calls: an ordinary callee and none of the keywords that matter (no object built).
      if (python && pythonCalleeClassOf(callee) === 0 && kwargs.trust_remote_code === undefined && kwargs.cert_reqs === undefined) continue;
      const c: CallFact = { callee, line: cols.callLine(i), args: cols.args(i) as string[], kwargs, scope: cols.callScope(i) };
      const h = python ? pythonCallRisks(c) : scriptCallRisks(c);
      if (h.length > 0) hits.push(...h);
    }
    hits.push(...assignmentRisks(f), ...secretHits(f, python));
  } else if (CONFIG_LANGS.has(f.language) && !NOT_SECRET_FILES.test(f.path)) {
    hits.push(...configSecretHits(f));
  }
  if (!NOT_SECRET_FILES.test(f.path)) hits.push(...textHits(f));
  const severityOf = new Map(riskRules.map((r) => [r.id, r.severity]));
  const seen = new Set<string>();
  const out: RiskFinding[] = [];
  for (const h of hits.sort((a, b) => a.line - b.line || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const key = `${h.id}:${h.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id: h.id, path: f.path, line: h.line, excerpt: h.excerpt, severity: h.severity ?? severityOf.get(h.id) ?? 'warning' });
  }
  return out;
}

/** Risky patterns across the repository, outside test files and vendored code, sorted by path then line. */
export function detectRisks(index: RepoIndex): RiskFinding[] {
  const out: RiskFinding[] = [];
  index.files.forEach((f, fi) => {
    if (index.fileFlags(fi) & (FILE_TEST | FILE_VENDORED)) return;
    out.push(...fileRisks(f));
  });
  return out;
}
