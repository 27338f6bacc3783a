/**
 * JSON Schema validators for the tests: the official SARIF 2.1.0 schema (draft-04, a copy of the public
 * OASIS file in test/schemas/) and the JSON report's published schema (draft-07, `codex-audit schema --report`).
 * ajv ships no format checkers without ajv-formats, so the formats these schemas use are defined here.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import Ajv04Module from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';

type Ctor = new (opts: Record<string, unknown>) => {
  addFormat(name: string, f: (s: string) => boolean): unknown;
  compile(schema: unknown): ValidateFunction;
};
// Both packages are CommonJS with `exports.default`; take the class whichever way the loader hands it over.
const pick = (m: unknown): Ctor => ((m as { default?: unknown }).default ?? m) as Ctor;
const Ajv = pick(AjvModule);
const Ajv04 = pick(Ajv04Module);

export const SARIF_SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), 'schemas', 'sarif-schema-2.1.0.json');

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3986 absolute URI (a scheme, and nothing a URI cannot hold). */
function isUri(s: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

/** RFC 3986 URI reference: absolute, or relative made of unreserved, reserved and percent-encoded characters. */
function isUriReference(s: string): boolean {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s)) return isUri(s);
  return /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$/.test(s);
}

function withFormats<T extends { addFormat(name: string, f: (s: string) => boolean): unknown }>(ajv: T): T {
  ajv.addFormat('date-time', (s) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)));
  ajv.addFormat('uri', isUri);
  ajv.addFormat('uri-reference', isUriReference);
  return ajv;
}

let sarif: ValidateFunction | undefined;

export function sarifValidator(): ValidateFunction {
  sarif ??= withFormats(new Ajv04({ allErrors: true, strict: false })).compile(JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')));
  return sarif;
}

export function jsonSchemaValidator(schema: unknown): ValidateFunction {
  return withFormats(new Ajv({ allErrors: true, strict: false })).compile(schema);
}

export function errorsText(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
}
