// openapi_conformance.mjs - checks live responses against openapi.yaml.
//
// record_fetches() wraps globalThis.fetch (what the Resend SDK calls), so
// every response the SDK suite receives is kept; mismatches() then looks
// each one up in openapi.yaml (path template, method, status) and
// validates its JSON body against the documented schema with Ajv. An
// undocumented path, method or status is a mismatch too.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { parse } from 'yaml';

const SPEC_PATH = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));
const SPEC_ID = 'openapi';

// with_absolute_refs - every "#/..." $ref of the document, as "openapi#/...",
// so schemas compiled on their own resolve against the whole document.
function with_absolute_refs(node) {
  if (Array.isArray(node)) return node.map(with_absolute_refs);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? SPEC_ID + value
                                                                                       : with_absolute_refs(value);
  }
  return out;
}

function resolve(spec, node) {
  while (node && typeof node.$ref === 'string') {
    const pointer = node.$ref.slice(node.$ref.indexOf('#') + 2).split('/');
    node = pointer.reduce((at, part) => at?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
  }
  return node;
}

// path_pattern - "/emails/{id}/cancel" -> a RegExp for concrete paths.
function path_pattern(template) {
  const escaped = template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp('^' + escaped.join('[^/]+') + '/?$');
}

export class Conformance {
  constructor() {
    this.spec = with_absolute_refs(parse(readFileSync(SPEC_PATH, 'utf8')));
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, validateFormats: false });
    this.ajv.addSchema(this.spec, SPEC_ID);
    this.paths = Object.keys(this.spec.paths).map((template) => ({ template, pattern: path_pattern(template) }));
    this.responses = [];
    this.validators = new Map();
  }

  // record_fetches - keep every (method, path, status, body) fetch returns.
  record_fetches() {
    const real = globalThis.fetch;
    globalThis.fetch = async (input, init = {}) => {
      const response = await real(input, init);
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const method = (init.method || (typeof input === 'object' && input.method) || 'GET').toUpperCase();
      const body = await response.clone().text();
      this.responses.push({ method, path: url.pathname.replace(/\/{2,}/g, '/'), status: response.status, body,
                            type: response.headers.get('content-type') || '' });
      return response;
    };
  }

  // operation - the documented operation for a concrete path, preferring a
  // literal template (/emails/batch) over a parameter (/emails/{id}).
  operation(method, path) {
    const matches = this.paths.filter((p) => p.pattern.test(path));
    matches.sort((a, b) => (a.template.match(/\{/g) || []).length - (b.template.match(/\{/g) || []).length);
    for (const { template } of matches) {
      const op = this.spec.paths[template][method.toLowerCase()];
      if (op) return { template, op };
    }
    return null;
  }

  validator(key, schema) {
    if (!this.validators.has(key)) this.validators.set(key, this.ajv.compile(schema));
    return this.validators.get(key);
  }

  // mismatches - one line for each recorded response that the document
  // does not describe.
  mismatches() {
    const problems = [];
    for (const r of this.responses) {
      const where = `${r.method} ${r.path} -> ${r.status}`;
      const found = this.operation(r.method, r.path);
      if (!found) { problems.push(`${where}: no such operation in openapi.yaml`); continue; }
      const documented = found.op.responses?.[String(r.status)] ?? found.op.responses?.default;
      if (!documented) { problems.push(`${where}: status not documented for ${found.template}`); continue; }
      const response = resolve(this.spec, documented);
      const schema = response?.content?.['application/json']?.schema;
      if (!schema) continue;  // documented without a body schema
      if (!r.type.startsWith('application/json')) { problems.push(`${where}: content-type ${r.type}`); continue; }
      let body;
      try { body = JSON.parse(r.body); } catch { problems.push(`${where}: body is not JSON`); continue; }
      const validate = this.validator(`${r.method} ${found.template} ${r.status}`, schema);
      if (!validate(body)) {
        problems.push(`${where}: ${this.ajv.errorsText(validate.errors)}; body ${r.body.slice(0, 300)}`);
      }
    }
    return problems;
  }
}
