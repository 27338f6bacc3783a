import { describe, expect, it } from 'vitest';
import { renderTemplate, TemplateError } from '../src/report/template.js';

describe('renderTemplate', () => {
  it('substitutes values, dotted names and lists', () => {
    const out = renderTemplate({ t: 'Hi {{name}} {{a.b}}\n{{#xs}}\n- {{.}}\n{{/xs}}\n' }, 't', { name: 'x', a: { b: 2 }, xs: [1, 2] });
    expect(out).toBe('Hi x 2\n- 1\n- 2\n');
  });
  it('shows inverted sections for empty lists only', () => {
    const set = { t: '{{#xs}}item{{/xs}}{{^xs}}none{{/xs}}' };
    expect(renderTemplate(set, 't', { xs: [] })).toBe('none');
    expect(renderTemplate(set, 't', { xs: [1] })).toBe('item');
  });
  it('removes standalone tag lines and includes partials', () => {
    const out = renderTemplate({ t: 'a\n{{> p}}\nc\n', p: '{{! note }}\nb\n' }, 't', {});
    expect(out).toBe('a\nb\nc\n');
  });
  it('looks up names in outer contexts inside lists', () => {
    expect(renderTemplate({ t: '{{#xs}}{{v}}{{root}};{{/xs}}' }, 't', { root: 'R', xs: [{ v: 1 }, { v: 2 }] })).toBe('1R;2R;');
  });
  it('reports unbalanced sections and missing partials', () => {
    expect(() => renderTemplate({ t: '{{#a}}x' }, 't', {})).toThrow(TemplateError);
    expect(() => renderTemplate({ t: '{{#a}}x{{/b}}' }, 't', {})).toThrow(/does not match/);
    expect(() => renderTemplate({ t: '{{> nope}}' }, 't', {})).toThrow(/not found/);
  });
  it('stops a partial that includes itself', () => {
    expect(() => renderTemplate({ t: '{{> t}}' }, 't', {})).toThrow(/nest/);
  });
});
