/** ESM resolve hook of sandbox.mjs: logs every module resolved inside the audited tree. */
import { appendFileSync } from 'node:fs';

let prefix = '';
let log;

export function initialize(data) {
  prefix = data.prefix;
  log = data.log;
}

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (prefix && r.url.startsWith(prefix) && log) appendFileSync(log, `imported ${r.url}\n`);
  return r;
}
