/**
 * Preload for `node --import <this file>` (worker threads inherit it through execArgv): the audit runs
 * with no network, no child processes, no `vm`, and every module it loads is watched.
 *
 * - Network: net, http, https, http2, dns (callback and promises APIs, Resolver), tls, dgram and
 *   globalThis.fetch (plus WebSocket/EventSource when present) throw on use.
 * - Execution: child_process (spawn, exec, execFile, fork and the sync variants) and vm throw on use.
 *   (Run node with --disallow-code-generation-from-strings as well, and eval/new Function throw too.)
 * - Imports: with CXA_SANDBOX_ROOT set, a module resolved inside that folder (the audited tree) is logged.
 *
 * The ESM named exports of the built-in modules are synced, so `import { connect } from 'node:net'` sees
 * the patched function too. With CXA_SANDBOX_LOG set, one line is appended per thread that loaded this
 * (`loaded main` / `loaded worker <id>`), per blocked call (`blocked <name>`) and per module imported
 * from the tree (`imported <url>`), so a test can check that worker threads were covered and that
 * nothing was attempted even where the error was swallowed.
 */
import { appendFileSync } from 'node:fs';
import Module, { createRequire, register, syncBuiltinESMExports } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread, threadId } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const log = process.env.CXA_SANDBOX_LOG;
const note = (line) => {
  if (log) appendFileSync(log, `${line}\n`);
};

function blocker(name) {
  return function blocked() {
    note(`blocked ${name}`);
    throw new Error(`codex-audit test sandbox: ${name} is forbidden`);
  };
}

function patch(obj, names, prefix) {
  if (!obj) return;
  for (const n of names) {
    if (typeof obj[n] === 'function') obj[n] = blocker(`${prefix}.${n}`);
  }
}

// Network.
const net = require('node:net');
patch(net, ['connect', 'createConnection', 'createServer'], 'net');
patch(net.Socket.prototype, ['connect'], 'net.Socket');
patch(net.Server.prototype, ['listen'], 'net.Server');
for (const mod of ['node:http', 'node:https']) {
  const m = require(mod);
  patch(m, ['request', 'get', 'createServer'], mod.slice(5));
  patch(m.Agent && m.Agent.prototype, ['createConnection'], `${mod.slice(5)}.Agent`);
}
patch(require('node:http2'), ['connect', 'createServer', 'createSecureServer'], 'http2');
const tls = require('node:tls');
patch(tls, ['connect', 'createServer', 'createSecureContext'], 'tls');
patch(tls.TLSSocket && tls.TLSSocket.prototype, ['connect'], 'tls.TLSSocket');
patch(require('node:dgram'), ['createSocket'], 'dgram');
const dnsNames = [
  'lookup',
  'lookupService',
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCaa',
  'resolveCname',
  'resolveMx',
  'resolveNaptr',
  'resolveNs',
  'resolvePtr',
  'resolveSoa',
  'resolveSrv',
  'resolveTxt',
  'reverse',
];
const dns = require('node:dns');
patch(dns, dnsNames, 'dns');
patch(dns.Resolver && dns.Resolver.prototype, dnsNames, 'dns.Resolver');
patch(dns.promises, dnsNames, 'dns.promises');
patch(dns.promises && dns.promises.Resolver && dns.promises.Resolver.prototype, dnsNames, 'dns.promises.Resolver');
for (const g of ['fetch', 'WebSocket', 'EventSource']) {
  if (typeof globalThis[g] === 'function') globalThis[g] = blocker(g);
}

// Execution.
patch(require('node:child_process'), ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'], 'child_process');
patch(require('node:vm'), ['runInContext', 'runInNewContext', 'runInThisContext', 'compileFunction', 'createContext'], 'vm');
const vm = require('node:vm');
vm.Script = blocker('vm.Script');

syncBuiltinESMExports();

// Imports from the audited tree.
const root = process.env.CXA_SANDBOX_ROOT;
if (root) {
  const prefix = pathToFileURL(root).href + '/';
  register(new URL('./sandbox-hooks.mjs', import.meta.url), { data: { prefix, log } });
  const load = Module._load;
  Module._load = function watchedLoad(request, parent, isMain) {
    const file = Module._resolveFilename(request, parent, isMain);
    if (pathToFileURL(file).href.startsWith(prefix)) note(`imported ${file}`);
    return load.call(this, request, parent, isMain);
  };
}

note(isMainThread ? 'loaded main' : `loaded worker ${threadId}`);
