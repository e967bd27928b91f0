import { describe, expect, it } from 'vitest';
import { childElements, parseXml, type XmlElement } from '../../../electron/core/discovery/jetbrains/xml-subset-parser';

function root(source: string): XmlElement {
  const result = parseXml(source);
  if (!result.ok) throw new Error(`unexpected parse error: ${result.error.message}`);
  return result.root;
}

function error(source: string): { message: string; line: number; column: number } {
  const result = parseXml(source);
  if (result.ok) throw new Error('expected a parse error');
  return result.error;
}

describe('parseXml', () => {
  it('reads elements, attributes in both quote styles and self-closing tags', () => {
    const r = root(`<a x="1" y='two'><b/><c z = "3" ></c></a>`);
    expect(r.name).toBe('a');
    expect(r.attributes.get('x')).toBe('1');
    expect(r.attributes.get('y')).toBe('two');
    expect(r.children.map((c) => c.name)).toEqual(['b', 'c']);
    expect(childElements(r, 'c')[0]?.attributes.get('z')).toBe('3');
  });

  it('skips the XML declaration, a BOM, comments and processing instructions', () => {
    const r = root(`\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- before -->\n<a><!-- inside --><?pi data?><b/></a>\n<!-- after -->\n`);
    expect(r.children.map((c) => c.name)).toEqual(['b']);
  });

  it('decodes the five named entities and decimal and hex character references', () => {
    const r = root(`<a v="&amp;&lt;&gt;&quot;&apos;&#233;&#x1F680;&#10;">x &amp; y</a>`);
    expect(r.attributes.get('v')).toBe(`&<>"'é🚀\n`);
    expect(r.text).toBe('x & y');
  });

  it('normalises literal line breaks and tabs in attribute values to spaces', () => {
    expect(root(`<a v="one\ntwo\tthree"/>`).attributes.get('v')).toBe('one two three');
  });

  it('keeps unicode in names, values and text', () => {
    const r = root(`<données clé="日本語 проект">ça</données>`);
    expect(r.name).toBe('données');
    expect(r.attributes.get('clé')).toBe('日本語 проект');
    expect(r.text).toBe('ça');
  });

  it('reads CDATA as text', () => {
    expect(root(`<a><![CDATA[<not> & markup]]></a>`).text).toBe('<not> & markup');
  });

  it('does not treat an attribute named like an Object property specially', () => {
    expect(root(`<a constructor="c" __proto__="p"/>`).attributes.get('__proto__')).toBe('p');
    expect(error(`<a v="&constructor;"/>`).message).toContain('unknown entity');
  });

  it.each([
    ['a truncated file', '<a><b x="1">', /never closed.*truncated/],
    ['a file cut inside a tag', '<a><b x="1"', /inside the <b> tag.*truncated/],
    ['a file cut inside an attribute value', '<a><b x="17', /attribute x.*truncated/],
    ['a file cut inside a comment', '<a><!-- note', /comment.*truncated/],
    ['an empty file', '', /empty/],
    ['whitespace only', '  \n ', /empty/],
    ['mismatched tags', '<a><b></a></b>', /<\/a> does not match <b> opened on line 1/],
    ['text before the root', 'junk<a/>', /before the root/],
    ['two root elements', '<a/><b/>', /after the end of the root/],
    ['text after the root', '<a/>junk', /after the end of the root/],
    ['an unquoted attribute', '<a x=1/>', /must be quoted/],
    ['a duplicate attribute', '<a x="1" x="2"/>', /appears twice/],
    ['attributes without whitespace between them', '<a x="1"y="2"/>', /whitespace/],
    ['"<" inside an attribute', '<a x="<"/>', /not allowed/],
    ['a bare ampersand', '<a x="Tom & Jerry"/>', /must start an entity/],
    ['an unknown entity', '<a>&nbsp;</a>', /unknown entity &nbsp;/],
    ['a malformed character reference', '<a>&#xZZ;</a>', /malformed character reference/],
    ['a forbidden character reference', '<a>&#0;</a>', /not allowed/],
    ['a DOCTYPE', '<!DOCTYPE a><a/>', /DOCTYPE/],
    ['a bad element name', '<1a/>', /expected an element name/],
  ])('returns an error, not a tree, for %s', (_what, source, pattern) => {
    expect(error(source).message).toMatch(pattern);
  });

  it('reports git conflict markers as such, with their line', () => {
    const e = error('<a>\n<<<<<<< HEAD\n<b/>\n=======\n<c/>\n>>>>>>> branch\n</a>');
    expect(e.message).toMatch(/conflict markers/);
    expect(e.line).toBe(2);
  });

  it('gives the line and column of an error', () => {
    const e = error('<a>\n  <b>\n  </c>\n</a>');
    expect(e).toMatchObject({ line: 3, column: 3 });
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    const deep = '<a>'.repeat(5000) + '</a>'.repeat(5000);
    expect(error(deep).message).toMatch(/nested deeper/);
  });
});
