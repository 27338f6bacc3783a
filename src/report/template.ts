/**
 * A small logic-less template engine (a Mustache subset) for the Markdown report:
 *   {{name}} / {{a.b}}  insert a value as is (the view model holds already-escaped text)
 *   {{#name}}...{{/name}}  a list: repeat per item; a true value: show once; falsy/empty: skip
 *   {{^name}}...{{/name}}  show when the value is falsy or an empty list
 *   {{> partial}}  include another template (from the same template set)
 *   {{! comment}}
 * A line holding only a section, partial or comment tag disappears entirely, so templates can be
 * laid out readably without leaving blank lines in the report.
 */

export type TemplateSet = Record<string, string>;

type Node =
  | { t: 'text'; v: string }
  | { t: 'var'; name: string }
  | { t: 'section'; name: string; inverted: boolean; children: Node[] }
  | { t: 'partial'; name: string };

export class TemplateError extends Error {}

const TAG_RE = /\{\{([#^/>!]?)\s*([^}]*?)\s*\}\}/g;

function stripStandalone(src: string): string {
  return src.replace(/^[ \t]*\{\{[#^/>!][^}]*\}\}[ \t]*(\r?\n|$)/gm, (m) => m.trim().replace(/\r?\n$/, ''));
}

function parse(src: string, templateName: string): Node[] {
  const root: Node[] = [];
  const stack: { name: string; children: Node[] }[] = [{ name: '', children: root }];
  const text = stripStandalone(src);
  let last = 0;
  for (const m of text.matchAll(TAG_RE)) {
    const idx = m.index ?? 0;
    const top = stack[stack.length - 1];
    if (idx > last) top.children.push({ t: 'text', v: text.slice(last, idx) });
    last = idx + m[0].length;
    const [, sigil, name] = m;
    if (sigil === '!') continue;
    if (sigil === '#' || sigil === '^') {
      const node: Node = { t: 'section', name, inverted: sigil === '^', children: [] };
      top.children.push(node);
      stack.push({ name, children: node.children });
    } else if (sigil === '/') {
      if (stack.length === 1 || top.name !== name)
        throw new TemplateError(`template ${templateName}: closing {{/${name}}} does not match an open section`);
      stack.pop();
    } else if (sigil === '>') top.children.push({ t: 'partial', name });
    else top.children.push({ t: 'var', name });
  }
  if (stack.length > 1) throw new TemplateError(`template ${templateName}: section {{#${stack[stack.length - 1].name}}} is not closed`);
  if (last < text.length) root.push({ t: 'text', v: text.slice(last) });
  return root;
}

function lookup(name: string, ctx: unknown[]): unknown {
  if (name === '.') return ctx[ctx.length - 1];
  const parts = name.split('.');
  for (let i = ctx.length - 1; i >= 0; i--) {
    const c = ctx[i];
    if (c !== null && typeof c === 'object' && parts[0] in (c as Record<string, unknown>)) {
      let v: unknown = c;
      for (const p of parts) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
      return v;
    }
  }
  return undefined;
}

export function renderTemplate(set: TemplateSet, name: string, view: unknown): string {
  const cache = new Map<string, Node[]>();
  const get = (n: string): Node[] => {
    let nodes = cache.get(n);
    if (!nodes) {
      const src = set[n];
      if (src === undefined) throw new TemplateError(`template ${n} not found`);
      nodes = parse(src, n);
      cache.set(n, nodes);
    }
    return nodes;
  };
  const out: string[] = [];
  const run = (nodes: Node[], ctx: unknown[], depth: number): void => {
    if (depth > 50) throw new TemplateError('templates nest more than 50 levels (a partial including itself?)');
    for (const node of nodes) {
      if (node.t === 'text') out.push(node.v);
      else if (node.t === 'var') {
        const v = lookup(node.name, ctx);
        if (v !== undefined && v !== null && v !== false) out.push(String(v));
      } else if (node.t === 'partial') run(get(node.name), ctx, depth + 1);
      else {
        const v = lookup(node.name, ctx);
        const empty = v === undefined || v === null || v === false || v === '' || v === 0 || (Array.isArray(v) && v.length === 0);
        if (node.inverted) {
          if (empty) run(node.children, ctx, depth + 1);
        } else if (!empty) {
          if (Array.isArray(v)) for (const item of v) run(node.children, [...ctx, item], depth + 1);
          else run(node.children, typeof v === 'object' ? [...ctx, v] : ctx, depth + 1);
        }
      }
    }
  };
  run(get(name), [view], 0);
  return out.join('');
}
