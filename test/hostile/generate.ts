/**
 * Hostile-repository generator for the test suite. Everything is built at test time in a temp folder;
 * nothing here is committed as files. Layout of one generated base folder:
 *
 *   <base>/outside/secret.txt      a secret that must never appear in any output
 *   <base>/outside/exclude         an ignore file outside the root (reachable only through a symlinked .git/info)
 *   <base>/repo/                   the audited root (see HOSTILE_CASES for what is in it)
 *
 * The config trees (invalid `package.json#codexAudit`, prototype pollution, a YAML alias bomb as the
 * config, a config file symlinked to the secret) are separate roots, since each of them makes the audit
 * stop with exit code 2 by design.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface HostileTree {
  base: string;
  root: string;
  secretPath: string;
  /** Unique text in the secret file (and nowhere else); it starts with random hex. */
  secret: string;
  /** A credential written inside the tree: reports must only ever show it masked. */
  inTreeSecret: string;
  /** A file that only an ignore file outside the root would exclude: it must stay in the report. */
  canary: string;
  /** Root-relative paths of the hostile-named files and folders (as the walker will print them). */
  hostileNames: string[];
  /** Stop the socket listener and remove everything. */
  cleanup: () => Promise<void>;
}

export interface GenerateOptions {
  /** Also write the big files (50 MB, 5 MB minified JS, 20 MB notebook output); default true. */
  big?: boolean;
  /** Rules in the root .gitignore; default 100,000. */
  gitignoreRules?: number;
  /** Lines of the Python stub file; default 100,000. */
  stubLines?: number;
}

/** The cases, by root-relative path, for the report of the test run. */
export const HOSTILE_CASES: Record<string, string> = {
  'links/secret-abs.txt': 'symlink (absolute) to a secret file outside the root',
  'links/secret-rel.py': 'symlink (relative) to the same secret',
  'links/outside-dir': 'symlink to the folder holding the secret',
  'links/dev-zero.py': 'symlink to /dev/zero',
  'links/proc-self': 'symlink to /proc/self',
  'links/proc-environ.txt': 'symlink to /proc/self/environ',
  'links/loop-a': 'symlink loop a -> b -> a',
  'links/self': 'symlink to itself',
  'links/up': 'symlink to its own parent folder',
  'links/root': 'symlink to the audited root',
  'links/dangling.py': 'dangling symlink',
  '.git/info': 'symlink from .git/info to a folder outside the root',
  'special/pipe.py': 'FIFO named like a source file',
  'special/sock.py': 'Unix socket named like a source file',
  'big/huge.py': '50 MB file',
  'big/app.min.js': '5 MB single-line minified JS',
  'big/huge-output.ipynb': 'notebook with a 20 MB output cell',
  'content/nul.py': 'NUL-filled .py',
  'content/invalid-utf8.py': 'invalid UTF-8 bytes (overlong, CESU surrogates, 0xFF)',
  'content/surrogates-utf16.py': 'UTF-16LE with BOM holding lone surrogates',
  'content/surrogates.json': 'JSON escapes of lone surrogates in keys and values',
  'content/utf16-nobom.py': 'UTF-16LE without BOM',
  'content/deep.py': '10,000-deep nested brackets (Python)',
  'content/deep.ts': '10,000-deep nested brackets and objects (TypeScript)',
  'content/deep.json': '10,000-deep nested arrays and objects (JSON)',
  'content/bomb.yaml': 'YAML alias bomb (billion laughs)',
  'content/deep.yaml': '10,000-deep YAML flow nesting',
  'content/deep.toml': 'deeply nested TOML (arrays, inline tables, dotted keys)',
  'content/wrong-types.ipynb': 'notebook whose fields have the wrong types',
  'content/proto.json': '__proto__ / constructor keys in a JSON data file',
  'content/proto.yaml': '__proto__ / constructor keys and merge keys in YAML',
  'content/proto.toml': '__proto__ / constructor tables in TOML',
  'content/long-line.py': 'one 1 MB line of Python',
  'zz-stubs/stubs.py': '100,000-line Python file of stubs',
  'content/credentials.py': 'a hard-coded credential (must be masked)',
  'content/injection.py': 'markup and link syntax in comments, strings and TODO text',
  '.gitignore': '.gitignore with 100,000 rules',
  'names/': 'file and folder names with spaces, newlines, control characters, |, backticks, <script>, ](javascript:...), bidi, invalid UTF-8',
  'names/long': 'a 255-byte file name and a path deeper than PATH_MAX',
  'placeholders/': 'placeholder configs (listed whole in the report) with the same hostile names',
  '<top-level dirs>': 'top-level folders (rows of the Repo Map table) with hostile names',
  'tests/': 'a test file with a hostile name (evidence in the capability table)',
  'package.json': 'package.json with hostile script strings (no codexAudit key)',
};

function write(root: string, rel: string, content: string | Uint8Array): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
}

function link(root: string, rel: string, target: string): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.symlinkSync(target, abs);
}

/** Write `size` bytes made of `unit` repeated, in chunks (never a 50 MB string in memory at once). */
function writeRepeated(abs: string, unit: string, size: number, head = '', tail = ''): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const fd = fs.openSync(abs, 'w');
  try {
    fs.writeSync(fd, head);
    const chunk = Buffer.from(unit.repeat(Math.max(1, Math.floor((1 << 20) / unit.length))));
    let left = size - head.length - tail.length;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      fs.writeSync(fd, chunk, 0, n);
      left -= n;
    }
    fs.writeSync(fd, tail);
  } finally {
    fs.closeSync(fd);
  }
}

function utf16le(s: string, bom: boolean): Buffer {
  const body = Buffer.from(s, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

/** 5 MB of plausible minified JS on one line. */
function minifiedJs(size: number): string {
  const parts: string[] = ['!function(e){"use strict";'];
  let n = parts[0].length;
  for (let i = 0; n < size - 64; i++) {
    const s = `var a${i}=function(t,n){return t&&n?{k${i}:[t,n,"s${i}"],v:t+n*${i}}:null},b${i}=a${i}(${i},e.x||0);`;
    parts.push(s);
    n += s.length;
  }
  parts.push('}(this);');
  return parts.join('');
}

/** The names that must come out escaped; each gets a small Python file with a TODO (so it is listed). */
const HOSTILE_FILE_NAMES = [
  'with space.py',
  'new\nline.py',
  'carriage\rreturn.py',
  'ctrl\u0001\u0007\u001b[31mred.py',
  'pipe|name.py',
  '||.py',
  'back`tick`.py',
  '```fence.py',
  '<script>alert(1)<\u2044script>.py',
  '](javascript:alert(1)).py',
  '[click](javascript:alert(1)).py',
  '![img](http:evil.example).py',
  '<img src=x onerror=alert(1)>.py',
  '&lt;entity&gt;.py',
  '*bold* _em_ ~~s~~.py',
  '# heading.py',
  '\\|escaped-pipe.py',
  '\u202eevil\u202c.py',
  'tab\there.py',
  '{{mustache}}.py',
  'http:||evil.example.py',
  'www.evil.example.py',
  'user@evil.example.py',
];

const HOSTILE_DIR_NAMES = ['dir with space', 'dir|pipe', 'dir\nnewline', '<script>dir', '](javascript:alert(2))', '`tick`dir', 'www.evil.example', 'user@evil.example', '\\|'];

/** Build the hostile repository under `base` (created if missing). */
export async function generateHostileTree(base: string, opts: GenerateOptions = {}): Promise<HostileTree> {
  const big = opts.big ?? true;
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  const secret = `${randomBytes(12).toString('hex')}_CODEX_SECRET`;
  const inTreeSecret = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretPath = path.join(outside, 'secret.txt');
  fs.writeFileSync(secretPath, `${secret}\n${secret} = "${secret}"\n`);
  const canary = 'canary_only_excluded_outside.py';
  // If .git/info/exclude were read through the symlink, the canary would disappear from the report.
  fs.writeFileSync(path.join(outside, 'exclude'), `${canary}\n# ${secret}\n`);

  // A small, ordinary project, so the report has every section filled.
  write(root, 'README.md', `# Project <script>alert(1)</script> | x\n\nSee [docs](javascript:alert(1)).\n\n## Install\n\npip install .\n`);
  write(root, 'src/train.py', 'import torch\n\n\ndef train(model, data):\n    # TODO: add grad clipping | <b>bold</b> ](javascript:x)\n    for batch in data:\n        loss = model(batch)\n        loss.backward()\n    raise NotImplementedError\n');
  write(root, 'src/model.py', 'import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def forward(self, x):\n        pass\n');
  write(root, 'tests/test_train.py', 'def test_train():\n    assert True\n');
  write(root, canary, '# TODO: canary\n');
  write(
    root,
    'package.json',
    JSON.stringify(
      {
        name: 'hostile',
        version: '0.0.0',
        scripts: { test: 'vitest run | tee `whoami` <script>alert(1)</script> ](javascript:alert(1))', lint: 'eslint .\n| broken | row |' },
      },
      null,
      2,
    ),
  );
  write(root, 'Makefile', 'test:\n\tpytest\n|pipe|target:\n\techo\n<script>x</script>:\n\techo\n');

  // 1. Symlinks.
  link(root, 'links/secret-abs.txt', secretPath);
  link(root, 'links/secret-rel.py', '../../outside/secret.txt');
  link(root, 'links/outside-dir', '../../outside');
  link(root, 'links/dev-zero.py', '/dev/zero');
  link(root, 'links/proc-self', '/proc/self');
  link(root, 'links/proc-environ.txt', '/proc/self/environ');
  link(root, 'links/loop-a', 'loop-b');
  link(root, 'links/loop-b', 'loop-a');
  link(root, 'links/self', 'self');
  link(root, 'links/up', '..');
  link(root, 'links/root', root);
  link(root, 'links/dangling.py', 'does-not-exist.py');
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  link(root, '.git/info', '../../outside');

  // 2. Special files.
  fs.mkdirSync(path.join(root, 'special'), { recursive: true });
  execFileSync('mkfifo', [path.join(root, 'special', 'pipe.py')]);
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path.join(root, 'special', 'sock.py'), () => resolve());
  });

  // 3. Big files.
  if (big) writeBigFiles(root);

  // 4. Hostile contents.
  write(root, 'content/nul.py', new Uint8Array(64 * 1024));
  write(root, 'content/invalid-utf8.py', Buffer.concat([Buffer.from('def f():\n    return "'), Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xff, 0xfe, 0xc3]), Buffer.from('"\n# TODO: after bad bytes\n')]));
  const lone = 'def g():\n    return "\ud800 \udfff x"\n# TODO: lone surrogates\n';
  write(root, 'content/surrogates-utf16.py', utf16le(lone, true));
  write(root, 'content/surrogates.json', '{"key\\ud800": "\\udfff value", "ok": "\\ud83d\\ude00", "arr": ["\\udc00"]}\n');
  write(root, 'content/utf16-nobom.py', utf16le('import os\n\ndef h():\n    pass\n', false));
  const depth = 10_000;
  write(root, 'content/deep.py', `x = ${'['.repeat(depth)}${']'.repeat(depth)}\ny = ${'('.repeat(depth)}1${')'.repeat(depth)}\nz = ${'{'.repeat(depth)}${'}'.repeat(depth)}\n\ndef after():\n    pass\n`);
  write(root, 'content/deep.ts', `export const x = ${'['.repeat(depth)}${']'.repeat(depth)};\nexport const y = ${'{a:'.repeat(depth)}1${'}'.repeat(depth)};\nconst z = ${'('.repeat(depth)}1${')'.repeat(depth)};\nexport function after(): void {}\n`);
  write(root, 'content/deep.json', `{"a": ${'['.repeat(depth)}${']'.repeat(depth)}, "b": ${'{"k":'.repeat(depth)}1${'}'.repeat(depth)}}\n`);
  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 12; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    bomb.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  write(root, 'content/bomb.yaml', bomb.join('\n') + '\n');
  write(root, 'content/deep.yaml', `top: ${'['.repeat(depth)}${']'.repeat(depth)}\nmap: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} end\n`);
  write(
    root,
    'content/deep.toml',
    `arr = ${'['.repeat(depth)}${']'.repeat(depth)}\ntbl = ${'{ a = '.repeat(depth)}1${' }'.repeat(depth)}\n${Array.from({ length: depth }, (_, i) => `k${i}`).join('.')} = 1\n[${Array.from({ length: depth }, () => 'x').join('.')}]\ny = 2\n`,
  );
  write(
    root,
    'content/wrong-types.ipynb',
    JSON.stringify({
      cells: [
        { cell_type: ['code'], source: 42, outputs: 'x' },
        { cell_type: 'code', source: { a: 1 }, metadata: [] },
        { cell_type: 'markdown', source: [1, null, { x: 2 }, '# Heading <script>'] },
        null,
        'not a cell',
        { cell_type: 'code', source: ['import os\n', 'def f():\n', '    pass\n'], outputs: [{ output_type: 7, text: { no: 1 } }] },
      ],
      metadata: 7,
      nbformat: 'four',
    }),
  );
  write(root, 'content/proto.json', '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "a": {"__proto__": {"polluted": "yes"}}}\n');
  write(root, 'content/proto.yaml', '__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted: yes\nbase: &b\n  polluted: yes\nmerged:\n  <<: *b\n  __proto__: *b\n');
  write(root, 'content/proto.toml', '[__proto__]\npolluted = "yes"\n[constructor.prototype]\npolluted = "yes"\n');
  write(root, 'content/long-line.py', `x = "${'a|<b>'.repeat(200_000)}"\n# TODO: after a long line\n`);
  writeStubFile(root, 'zz-stubs/stubs.py', opts.stubLines ?? 100_000);
  write(root, 'content/credentials.py', `AWS_ACCESS_KEY_ID = "${inTreeSecret}"\npassword = "${inTreeSecret}x9"\n`);
  write(
    root,
    'content/injection.py',
    '# TODO: <script>alert(1)</script> | a | b | ](javascript:alert(1)) [x](http://evil.example)\n' +
      '# FIXME: ```\n' +
      'def f():\n    """<img src=x onerror=alert(1)> | ](javascript:alert(1))"""\n    raise NotImplementedError("<script>|")\n' +
      'import pickle\n\n\ndef g(user):\n    pickle.load(open("<script>alert(1)</script>|](javascript:alert(1)) http://evil.example www.evil.example", "rb"))\n    eval(user + "<img src=x onerror=alert(1)>|`x`")\n',
  );

  // 5. .gitignore with many rules (none of which matches a file above), plus a nested one.
  const rules = opts.gitignoreRules ?? 100_000;
  const lines: string[] = ['# generated'];
  for (let i = 0; i < rules; i++) {
    // Short rules, so that 100,000 of them stay under the 1 MiB ignore-file limit and are all applied.
    const k = i % 5;
    const b = i.toString(36);
    lines.push(k === 0 ? `/i${b}/` : k === 1 ? `*.t${b}` : k === 2 ? `!k${b}` : k === 3 ? `**/c${b}/**` : `b${b}[0-9]?.l`);
  }
  write(root, '.gitignore', lines.join('\n') + '\n');
  write(root, 'content/.gitignore', '*.never\n!important.never\n');

  // 6. Hostile names.
  const hostileNames: string[] = [];
  for (const n of HOSTILE_FILE_NAMES) {
    write(root, path.join('names', n), `# TODO: in ${n.replace(/[\r\n]/g, ' ')}\ndef f():\n    pass\n`);
    hostileNames.push(`names/${n}`);
  }
  for (const n of HOSTILE_FILE_NAMES) {
    const stem = n.replace(/\.py$/, '');
    write(root, path.join('placeholders', `example_${stem}.yaml`), 'key: value\n');
    hostileNames.push(`placeholders/example_${stem}.yaml`);
  }
  for (const d of HOSTILE_DIR_NAMES) {
    write(root, path.join('names', d, 'inner|x<y>.py'), '# TODO: inner\n');
    hostileNames.push(`names/${d}/inner|x<y>.py`);
    // Top level: a row of the Repo Map table.
    write(root, path.join(d, 'mod.py'), 'def mod():\n    return 1\n');
    hostileNames.push(`${d}/mod.py`);
  }
  write(root, 'tests/test_<script>alert(1)<\u2044script>|x](javascript:alert(1)).py', 'def test_x():\n    assert True\n');
  hostileNames.push('tests/test_<script>alert(1)<\u2044script>|x](javascript:alert(1)).py');
  // A file name that is not valid UTF-8.
  fs.writeFileSync(Buffer.concat([Buffer.from(path.join(root, 'names') + '/bad-'), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('.py')]), '# TODO: bad name\n');
  // 255 bytes, ASCII and multi-byte.
  write(root, path.join('names', 'long', 'a'.repeat(250) + '|.py'), '# TODO: long\n');
  write(root, path.join('names', 'long', 'é'.repeat(126) + '.py'), '# TODO: long utf8\n');
  hostileNames.push(`names/long/${'a'.repeat(250)}|.py`, `names/long/${'é'.repeat(126)}.py`);
  // A deep path: under PATH_MAX first, then beyond it (made with relative paths from a changing cwd).
  const seg = 'deep-' + 'd'.repeat(195);
  let deepRel = path.join('names', 'long');
  while (path.join(root, deepRel, seg).length < 3900) deepRel = path.join(deepRel, seg);
  write(root, path.join(deepRel, 'deep|<x>.py'), '# TODO: deep\n');
  hostileNames.push(`${deepRel.split(path.sep).join('/')}/deep|<x>.py`);
  deeperThanPathMax(path.join(root, deepRel), seg, 8);

  return {
    base,
    root,
    secretPath,
    secret,
    inTreeSecret,
    canary,
    hostileNames,
    cleanup: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      removeTree(base);
    },
  };
}

/** `big/huge.py` (50 MB), `big/app.min.js` (5 MB on one line), `big/huge-output.ipynb` (a 20 MB output cell). */
export function writeBigFiles(root: string): void {
  writeRepeated(path.join(root, 'big', 'huge.py'), 'x = 1  # filler line\n', 50 * 1024 * 1024);
  write(root, 'big/app.min.js', minifiedJs(5 * 1024 * 1024));
  const head = '{"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["import torch\\n", "def after_output():\\n", "    pass\\n"], "outputs": [{"output_type": "stream", "name": "stdout", "text": ["';
  const tail = '"]}]}], "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}\n';
  writeRepeated(path.join(root, 'big', 'huge-output.ipynb'), 'output line 0123456789 | <script>\\n', 20 * 1024 * 1024, head, tail);
}

/** A Python file of `lines` lines of stubs: `def` with `pass`, and `def` with `...` and a TODO, alternating. */
export function writeStubFile(root: string, rel: string, lines: number): void {
  const stubs: string[] = [];
  for (let i = 0; i < lines / 2; i++) stubs.push(i % 2 === 0 ? `def stub_${i}():\n    pass` : `def todo_${i}():  # TODO: ${i}\n    ...`);
  write(root, rel, stubs.join('\n') + '\n');
}

/** Continue a deep path past PATH_MAX: mkdir relative to a cwd that walks down (in a child node process). */
function deeperThanPathMax(start: string, seg: string, more: number): void {
  const script = `const fs=require('fs');process.chdir(process.argv[1]);for(let i=0;i<${more};i++){fs.mkdirSync(process.argv[2]);process.chdir(process.argv[2]);}fs.writeFileSync('beyond.py','# TODO: too deep\\n');`;
  execFileSync(process.execPath, ['-e', script, start, seg]);
}

/** `rm -rf` copes with paths longer than PATH_MAX; fs.rmSync is the fallback. */
export function removeTree(dir: string): void {
  try {
    execFileSync('rm', ['-rf', dir]);
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface ConfigTrees {
  /** package.json whose `codexAudit` has an unknown key and a wrong type. */
  invalidPackageJson: string;
  /** codex-audit.config.json with `__proto__` and `constructor` keys. */
  protoJson: string;
  /** codex-audit.config.yaml with `__proto__` keys and merge keys. */
  protoYaml: string;
  /** `deferred` / `signals` records keyed `__proto__` / `constructor`. */
  protoRecords: string;
  /** codex-audit.config.yaml that is a YAML alias bomb. */
  aliasBomb: string;
  /** codex-audit.config.json that is a symlink to the secret outside the root. */
  symlinkedConfig: string;
  /** package.json that is a symlink to a file outside the root holding a valid codexAudit config. */
  symlinkedPackageJson: string;
  secret: string;
}

/** One small root per config case, under `base`. */
export function generateConfigTrees(base: string): ConfigTrees {
  const secret = `${randomBytes(12).toString('hex')}_CODEX_SECRET`;
  const outside = path.join(base, 'outside');
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(path.join(outside, 'secret.txt'), `${secret}\n`);
  fs.writeFileSync(path.join(outside, 'package.json'), JSON.stringify({ name: 'outside', codexAudit: { disable: [secret] } }));
  const mk = (name: string, files: Record<string, string>): string => {
    const root = path.join(base, name);
    for (const [rel, text] of Object.entries(files)) write(root, rel, text);
    write(root, 'main.py', 'def main():\n    pass\n');
    return root;
  };
  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 12; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    bomb.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  bomb.push('include: *l');
  const trees: ConfigTrees = {
    invalidPackageJson: mk('invalid-package-json', {
      'package.json': JSON.stringify({ name: 'x', codexAudit: { maxFileSize: 'lots', bogusKey: true } }, null, 2),
    }),
    protoJson: mk('proto-json', {
      'codex-audit.config.json': '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}\n',
    }),
    protoYaml: mk('proto-yaml', {
      'codex-audit.config.yaml': '__proto__:\n  polluted: true\nbase: &b\n  polluted: true\ngate:\n  <<: *b\n',
    }),
    protoRecords: mk('proto-records', {
      'codex-audit.config.json': '{"deferred": {"__proto__": "pollute", "constructor": "pollute"}}\n',
    }),
    aliasBomb: mk('alias-bomb', { 'codex-audit.config.yaml': bomb.join('\n') + '\n' }),
    symlinkedConfig: mk('symlinked-config', {}),
    symlinkedPackageJson: mk('symlinked-package-json', {}),
    secret,
  };
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(trees.symlinkedConfig, 'codex-audit.config.json'));
  fs.symlinkSync(path.join(outside, 'package.json'), path.join(trees.symlinkedPackageJson, 'package.json'));
  return trees;
}
