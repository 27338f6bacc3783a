// Benchmark: codex-audit against its floor, in one run, on one machine. Not part of the test suite.
//   npm run bench                      synthetic repository (8,000 files, ~100 MB), generated once
//   npm run bench -- --root DIR        a real repository
//   npm run bench -- --double          also audit a repository twice the size (peak RSS growth)
//   npm run bench -- --scale 0.1       a smaller synthetic repository (quick check)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './gen.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const scale = Number(opt('--scale', '1'));
const cores = availableParallelism();
const work = mkdtempSync(join(tmpdir(), 'codex-audit-bench-'));

function synth(s) {
  const dir = join(repoRoot, 'bench', 'out', `synth-${s}`);
  if (!existsSync(join(dir, 'README.md'))) {
    const r = generate(dir, { pyFiles: Math.round(4000 * s), tsFiles: Math.round(4000 * s), totalMB: 100 * s });
    console.log(`generated ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB in ${dir}`);
  }
  return dir;
}

/** Run a node script with the usage preload; best (lowest wall) of `reps` runs. */
function measure(label, nodeArgs, reps = Number(opt('--reps', '1')), before) {
  let best;
  for (let i = 0; i < reps; i++) {
    before?.();
    const usageFile = join(work, `usage-${Math.random().toString(36).slice(2)}.jsonl`);
    const r = spawnSync(process.execPath, ['--import', join(here, 'usage.mjs'), ...nodeArgs], {
      env: { ...process.env, BENCH_USAGE_FILE: usageFile, NO_COLOR: '1' },
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0 && r.status !== 1) {
      console.error(`${label} failed (exit ${r.status}):\n${r.stderr}`);
      process.exit(1);
    }
    const u = JSON.parse(readFileSync(usageFile, 'utf8').trim().split('\n').pop());
    if (!best || u.wallMs < best.wallMs) best = u;
  }
  console.log(`${label.padEnd(34)} wall ${(best.wallMs / 1000).toFixed(2).padStart(7)} s   cpu ${(best.cpuMs / 1000).toFixed(2).padStart(7)} s   peak RSS ${best.maxRssMB.toFixed(0).padStart(5)} MB`);
  return best;
}

// The Python reference: a single-threaded `ast` pass over the same .py files, as the seed's auditor
// would start. `walk` visits every node (the bare floor of such an auditor); `extract` also collects
// what an auditor needs (imports, definitions with bases and decorators, calls with dotted callees and
// keyword names), the least the seed's auditor would do.
const PY_REF = `
import ast, os, sys, time, resource
root, mode = sys.argv[1], sys.argv[2]
def dotted(n):
    parts = []
    while isinstance(n, ast.Attribute):
        parts.append(n.attr); n = n.value
    if isinstance(n, ast.Name): parts.append(n.id)
    elif isinstance(n, ast.Call): parts.append('()')
    else: parts.append('?')
    return '.'.join(reversed(parts))
t0 = time.perf_counter(); n = 0; b = 0; facts = 0
for d, dirs, files in os.walk(root):
    dirs[:] = [x for x in dirs if x not in ('.git', 'node_modules', '.venv', 'venv', '__pycache__', 'dist', 'build')]
    for f in files:
        if f.endswith('.py'):
            p = os.path.join(d, f)
            try:
                src = open(p, 'rb').read()
                if len(src) > 2 * 1024 * 1024: continue
                b += len(src); tree = ast.parse(src)
                out = []
                for node in ast.walk(tree):
                    if mode != 'extract': continue
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        out.append(('import', getattr(node, 'module', None), [a.name for a in node.names], node.lineno))
                    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        out.append(('def', node.name, node.lineno, node.end_lineno, [dotted(x) for x in getattr(node, 'bases', [])], [dotted(x) for x in node.decorator_list], ast.get_docstring(node) is not None))
                    elif isinstance(node, ast.Call):
                        out.append(('call', dotted(node.func), node.lineno, len(node.args), [k.arg for k in node.keywords]))
                facts += len(out); n += 1
            except Exception:
                pass
print(f"{time.perf_counter() - t0:.3f} {n} {b} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} {facts}")
`;

function pythonAst(root, mode) {
  const r = spawnSync('python3', ['-c', PY_REF, root, mode], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const [secs, files, bytes, rss] = r.stdout.trim().split(' ').map(Number);
  const label = mode === 'extract' ? 'python ast + extract, 1 thread' : 'python ast walk, 1 thread (.py)';
  console.log(`${label.padEnd(34)} wall ${secs.toFixed(2).padStart(7)} s   (${files} files, ${(bytes / 1e6).toFixed(1)} MB)   peak RSS ${String(rss).padStart(5)} MB`);
  return { wallMs: secs * 1000, files, bytes };
}

/** A cold audit starts from an empty cache folder every repetition; a warm one reuses what is there. */
function audit(root, label, jobs, cacheDir, { warm = false } = {}) {
  const out = join(work, 'AUDIT.md');
  const cacheArgs = cacheDir ? ['--cache-dir', cacheDir] : ['--no-cache'];
  const before = cacheDir && !warm ? () => rmSync(cacheDir, { recursive: true, force: true }) : undefined;
  return measure(label, [join(repoRoot, 'bin', 'codex-audit.js'), '--root', root, '--out', out, '--quiet', '--jobs', String(jobs), ...cacheArgs], undefined, before);
}

const root = opt('--root') ? resolve(opt('--root')) : synth(scale);
console.log(`codex-audit benchmark on ${root} (${cores} cores, node ${process.version})\n`);
const floorRead = measure('floor: read every file', [join(here, 'floor.mjs'), root, 'read', '1']);
const parse1 = measure('floor: parse-only, 1 thread', [join(here, 'floor.mjs'), root, 'parse', '1']);
const parseN = measure(`floor: parse-only, ${cores} threads`, [join(here, 'floor.mjs'), root, 'parse', String(cores)]);
const cache1 = join(work, 'cache-1');
const cacheN = join(work, 'cache-n');
const cold1 = audit(root, 'codex-audit cold, --jobs 1', 1, cache1);
const coldN = audit(root, `codex-audit cold, --jobs ${cores}`, cores, cacheN);
const warm = audit(root, `codex-audit warm, --jobs ${cores}`, cores, cacheN, { warm: true });
const py = pythonAst(root, 'walk');
const pyx = pythonAst(root, 'extract');

const ratio = (a, b) => (a / b).toFixed(2);
console.log('\nratios (targets in brackets)');
console.log(`  cold all cores / parse-only all cores   ${ratio(coldN.wallMs, parseN.wallMs)}x   [<= 1.25]`);
console.log(`  speed-up all cores over --jobs 1         ${ratio(cold1.wallMs, coldN.wallMs)}x   [>= 1.7 on 2 cores]`);
console.log(`  warm / cold (all cores)                  ${ratio(warm.wallMs, coldN.wallMs)}x   [<= 0.10]`);
console.log(`  parse-only speed-up, ${cores} threads over 1  ${ratio(parse1.wallMs, parseN.wallMs)}x`);
console.log(`  read floor / cold all cores              ${ratio(floorRead.wallMs, coldN.wallMs)}x`);
console.log(`  peak RSS, cold all cores                 ${coldN.maxRssMB.toFixed(0)} MB   [<= 500]`);
if (py) console.log(`  codex-audit cold all cores / python ast walk     ${ratio(coldN.wallMs, py.wallMs)}x   [< 1: faster than the reference]`);
if (pyx) console.log(`  codex-audit cold all cores / python ast extract  ${ratio(coldN.wallMs, pyx.wallMs)}x`);
if (args.includes('--double') && !opt('--root')) {
  const big = synth(scale * 2);
  // Same settings as the cold run it is compared with: all cores, a fresh cache folder.
  const coldBig = audit(big, `codex-audit cold 2x, --jobs ${cores}`, cores, join(work, 'cache-2x'));
  console.log(`  peak RSS growth when the repository doubles  ${(((coldBig.maxRssMB - coldN.maxRssMB) / coldN.maxRssMB) * 100).toFixed(0)} %   [< 25 %]`);
}
writeFileSync(join(work, 'done'), '');
rmSync(work, { recursive: true, force: true });
