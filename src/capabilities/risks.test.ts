import { describe, expect, it } from 'vitest';
import { dedent, factsOf, repo } from '../../test/capabilities-kit.js';
import { initPython } from '../parse/python.js';
import { detectRisks, fileRisks, maskSecret } from './risks.js';

async function risks(path: string, src: string): Promise<{ id: string; line: number; excerpt: string; severity: string }[]> {
  await initPython();
  return fileRisks(factsOf(path, dedent(src))).map(({ id, line, excerpt, severity }) => ({ id, line, excerpt, severity }));
}

const ids = async (path: string, src: string): Promise<string[]> => (await risks(path, src)).map((r) => r.id);

describe('risky patterns', () => {
  it.each([
    ['pickle.load', 'import pickle\nobj = pickle.load(f)\n', ['risk.pickle_load']],
    ['pickle through an alias', 'import pickle as pkl\nobj = pkl.loads(b)\n', ['risk.pickle_load']],
    ['dill and joblib', 'import dill, joblib\ndill.load(f)\njoblib.load(p)\n', ['risk.pickle_load', 'risk.pickle_load']],
    ['np.load(allow_pickle=True)', 'import numpy as np\nnp.load(p, allow_pickle=True)\n', ['risk.pickle_load']],
    ['np.load without pickle is safe', 'import numpy as np\nnp.load(p)\n', []],
    ['torch.load without weights_only', 'import torch\nsd = torch.load(p, map_location="cpu")\n', ['risk.torch_load_unsafe']],
    ['torch.load(weights_only=False)', 'import torch\nsd = torch.load(p, weights_only=False)\n', ['risk.torch_load_unsafe']],
    ['torch.load(weights_only=True) is safe', 'import torch\nsd = torch.load(p, weights_only=True)\n', []],
    ['yaml.load without a loader', 'import yaml\ncfg = yaml.load(f)\n', ['risk.yaml_unsafe_load']],
    ['yaml.load(Loader=yaml.Loader)', 'import yaml\ncfg = yaml.load(f, Loader=yaml.Loader)\n', ['risk.yaml_unsafe_load']],
    ['yaml.unsafe_load', 'import yaml\ncfg = yaml.unsafe_load(f)\n', ['risk.yaml_unsafe_load']],
    ['yaml.load with SafeLoader is safe', 'import yaml\ncfg = yaml.load(f, Loader=yaml.SafeLoader)\ncfg = yaml.load(f, yaml.CSafeLoader)\n', []],
    ['yaml.safe_load is safe', 'import yaml\ncfg = yaml.safe_load(f)\n', []],
    ['exec of a file', "exec(open('configurator.py').read())\n", ['risk.eval_exec']],
    ['eval of a variable', 'x = eval(expr)\n', ['risk.eval_exec']],
    ['eval of an f-string', 'x = eval(f"{a} + 1")\n', ['risk.eval_exec']],
    ['eval of a literal is not flagged', 'x = eval("1 + 2")\n', []],
    ['model.eval() is not eval', 'model.eval()\n', []],
    ['trust_remote_code=True', 'from transformers import AutoModel\nm = AutoModel.from_pretrained(n, trust_remote_code=True)\n', ['risk.trust_remote_code']],
    ['trust_remote_code=False is safe', 'from transformers import AutoModel\nm = AutoModel.from_pretrained(n, trust_remote_code=False)\n', []],
    ['os.system of an f-string', 'import os\nos.system(f"rm -rf {d}")\n', ['risk.shell_true']],
    ['os.system of a literal is not flagged', 'import os\nos.system("clear")\n', []],
    ['subprocess with shell=True', 'import subprocess\nsubprocess.run(cmd, shell=True)\n', ['risk.shell_true']],
    ['subprocess with an argument list is safe', 'import subprocess\nsubprocess.run(["git", "status"], check=True)\n', []],
    ['requests verify=False', 'import requests\nrequests.get(url, verify=False)\n', ['risk.verify_false']],
    ['an unverified SSL context', 'import ssl\nctx = ssl._create_unverified_context()\n', ['risk.verify_false']],
  ])('Python: %s', async (_name, src, expected) => {
    expect(await ids('mod.py', src)).toEqual(expected);
  });

  it('lowers shell=True with a literal command to a note', async () => {
    const [r] = await risks('m.py', 'import subprocess\nsubprocess.run("ls -l", shell=True)\n');
    expect(r).toMatchObject({ id: 'risk.shell_true', severity: 'note' });
  });

  it.each([
    ['eval of a variable', 'const v = eval(code);\n', ['risk.eval_exec']],
    ['new Function of a variable', 'const f = new Function("a", body);\n', ['risk.eval_exec']],
    ['new Function of literals is not flagged', 'const g = new Function("return this")();\n', []],
    ['child_process.exec of a template', "import { exec } from 'node:child_process';\nexec(`git log ${ref}`);\n", ['risk.shell_true']],
    ['spawn with shell: true', "import { spawn } from 'child_process';\nspawn(cmd, args, { shell: true });\n", ['risk.shell_true']],
    ['rejectUnauthorized: false', "import https from 'node:https';\nnew https.Agent({ rejectUnauthorized: false });\n", ['risk.verify_false']],
    ['NODE_TLS_REJECT_UNAUTHORIZED = "0"', "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\n", ['risk.verify_false']],
  ])('TS/JS: %s', async (_name, src, expected) => {
    expect(await ids('src/mod.ts', src)).toEqual(expected);
  });

  describe('hard-coded credentials', () => {
    it.each([
      ['an AWS key', 'AWS_KEY = "AKIAIOSFODNN7EXAMPLF"\n'],
      ['an OpenAI key in a call', 'client = OpenAI(api_key="sk-Zq9vR2mX7bT4kL1pW8yN3cD6")\n'],
      ['a GitHub token', 'token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"\n'],
      ['a password literal', 'db_password = "hunter2-prod!"\n'],
      ['an env var set to a literal key', 'import os\nos.environ["OPENAI_API_KEY"] = "sk-Zq9vR2mX7bT4kL1pW8yN3cD6"\n'],
    ])('flags %s, masked', async (_name, src) => {
      const found = await risks('app.py', src);
      expect(found.map((r) => r.id)).toEqual(['risk.hardcoded_secret']);
      expect(found[0].severity).toBe('error');
      expect(found[0].excerpt).toContain('****');
      for (const secret of ['AKIAIOSFODNN7EXAMPLF', 'sk-Zq9vR2mX7bT4kL1pW8yN3cD6', 'ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5', 'hunter2-prod!']) {
        expect(found[0].excerpt).not.toContain(secret);
      }
    });

    it.each([
      ['an env lookup', 'import os\napi_key = os.environ["OPENAI_API_KEY"]\n'],
      ['a placeholder', 'api_key = "changeme"\npassword = "<your-password>"\ntoken = "xxx"\n'],
      ['an empty value', 'password = ""\n'],
      ['the name of an environment variable', 'api_key_env = "OPENAI_API_KEY"\napi_key = "OPENAI_API_KEY"\n'],
      ['tokenizer special tokens', 'pad_token = "<pad>"\neos_token = "</s>"\nbos_token = "[BOS]"\n'],
      ['a template', 'password = f"{user}-{suffix}"\n'],
      ['a placeholder token format', 'key = "sk-xxxxxxxxxxxxxxxxxxxxxxxx"\n'],
    ])('does not flag %s', async (_name, src) => {
      expect(await ids('app.py', src)).toEqual([]);
    });

    it('flags a private key block in any text file', async () => {
      const found = await risks('deploy/id_rsa.pem', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n');
      expect(found).toEqual([{ id: 'risk.hardcoded_secret', line: 1, excerpt: '-----BEGIN RSA PRIVATE KEY----- (key body masked)', severity: 'error' }]);
    });

    it('flags a token in a .env file and a secret in YAML config', async () => {
      expect((await risks('.env', 'OPENAI_API_KEY=sk-Zq9vR2mX7bT4kL1pW8yN3cD6\n')).map((r) => r.line)).toEqual([1]);
      const yaml = await risks('config/app.yaml', 'db:\n  password: s3cr3t-Value\n  user: app\n');
      expect(yaml.map((r) => [r.id, r.line])).toEqual([['risk.hardcoded_secret', 2]]);
      expect(yaml[0].excerpt).toBe('db.password: s3cr****');
    });

    it('ignores lockfiles and the detect-secrets baseline', async () => {
      expect(await ids('.secrets.baseline', '{"results": {"a.py": [{"hashed_secret": "sk-Zq9vR2mX7bT4kL1pW8yN3cD6"}]}}\n')).toEqual([]);
    });
  });

  it('leaves test files and vendored code out', async () => {
    const index = await repo({
      'tests/test_io.py': 'import pickle\npickle.load(f)\npassword = "hunter2-prod!"\n',
      'vendor/lib/x.py': 'import pickle\npickle.load(f)\n',
      'src/app.py': 'import pickle\npickle.load(f)\n',
    });
    expect(detectRisks(index).map((r) => `${r.id}@${r.path}:${r.line}`)).toEqual(['risk.pickle_load@src/app.py:2']);
  });
});

describe('maskSecret', () => {
  it.each([
    ['AKIAIOSFODNN7EXAMPLE', 'AKIA****'],
    ['sk-abcdefghijklmnop', 'sk-a****'],
    ['hunter2', 'hun****'],
    ['abc', 'a****'],
    ['', '****'],
  ])('%s -> %s', (input, out) => {
    expect(maskSecret(input)).toBe(out);
  });

  it('never returns the whole secret', () => {
    for (const s of ['a', 'ab', 'abcd', 'abcdefgh', 'abcdefghi', 'x'.repeat(64)]) expect(maskSecret(s).includes(s) && s.length > 0).toBe(false);
  });
});
