/**
 * Preload for `node --import <this file>`: every network entry point throws, and every attempt is logged.
 *
 * Patches net, http, https, http2, dns (callback and promises APIs, Resolver), tls, dgram and
 * globalThis.fetch (plus WebSocket/EventSource when present), then syncs the ESM named exports of the
 * built-in modules so `import { connect } from 'node:net'` sees the patched function too.
 *
 * When CXA_NO_NETWORK_LOG is set, this appends one line per thread that loaded it (`loaded main` /
 * `loaded worker <id>`) and one per blocked call (`blocked <name>`), so a test can check that worker
 * threads were covered as well and that nothing tried the network even if the error was swallowed.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { isMainThread, threadId } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const log = process.env.CXA_NO_NETWORK_LOG;
const note = (line) => {
  if (log) appendFileSync(log, `${line}\n`);
};

function blocker(name) {
  return function blocked() {
    note(`blocked ${name}`);
    throw new Error(`codex-audit test: network use is forbidden (${name})`);
  };
}

function patch(obj, names, prefix) {
  if (!obj) return;
  for (const n of names) {
    if (typeof obj[n] === 'function') obj[n] = blocker(`${prefix}.${n}`);
  }
}

const net = require('node:net');
patch(net, ['connect', 'createConnection', 'createServer'], 'net');
patch(net.Socket.prototype, ['connect'], 'net.Socket');
patch(net.Server.prototype, ['listen'], 'net.Server');

for (const mod of ['node:http', 'node:https']) {
  const m = require(mod);
  patch(m, ['request', 'get', 'createServer'], mod.slice(5));
  patch(m.Agent && m.Agent.prototype, ['createConnection'], `${mod.slice(5)}.Agent`);
}

const http2 = require('node:http2');
patch(http2, ['connect', 'createServer', 'createSecureServer'], 'http2');

const tls = require('node:tls');
patch(tls, ['connect', 'createServer', 'createSecureContext'], 'tls');
patch(tls.TLSSocket && tls.TLSSocket.prototype, ['connect'], 'tls.TLSSocket');

const dgram = require('node:dgram');
patch(dgram, ['createSocket'], 'dgram');

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

syncBuiltinESMExports();
note(isMainThread ? 'loaded main' : `loaded worker ${threadId}`);
