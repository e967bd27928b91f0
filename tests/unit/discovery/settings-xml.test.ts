import { describe, expect, it } from 'vitest';
import { childElements, parseXml, type XmlElement } from '../../../electron/core/discovery/jetbrains/settings-xml';

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
  });

  it('normalises literal line breaks and tabs in attribute values to spaces', () => {
    expect(root(`<a v="one\ntwo\tthree"/>`).attributes.get('v')).toBe('one two three');
  });

  it('keeps unicode in names and values', () => {
    const r = root(`<données clé="日本語 проект">ça</données>`);
    expect(r.name).toBe('données');
    expect(r.attributes.get('clé')).toBe('日本語 проект');
  });

  it('keeps attributes in document order', () => {
    expect([...root(`<a zeta="1" alpha="2" mid="3"/>`).attributes.keys()]).toEqual(['zeta', 'alpha', 'mid']);
  });

  it('accepts CDATA and Windows line endings', () => {
    const r = root(`<a>\r\n<![CDATA[<not> & markup]]>\r\n<b v="x\r\ny"/></a>`);
    expect(childElements(r, 'b')[0]?.attributes.get('v')).toBe('x y');
  });

  it('does not treat an attribute or entity named like an Object property specially', () => {
    expect(root(`<a constructor="c" __proto__="p"/>`).attributes.get('__proto__')).toBe('p');
    expect(error(`<a v="&constructor;"/>`).message).toContain('undefined entity');
  });

  it.each([
    ['a truncated file', '<a><b x="1">', /<b> opened on line 1 is never closed.*truncated/],
    ['a file cut inside a tag', '<a><b x="1"', /<a> opened on line 1 is never closed.*truncated/],
    ['a file cut inside an attribute value', '<a>\n<b x="17', /<a> opened on line 1.*truncated/],
    ['a file cut inside a comment', '<a><!-- note', /never closed.*truncated/],
    ['a file cut before its root element', '<?xml version="1.0"?>\n<!-- x', /before the root element.*truncated/],
    ['an empty file', '', /empty/],
    ['whitespace only', '  \n ', /empty/],
    ['mismatched tags', '<a>\n<b></a></b>', /closing tag does not match <b> opened on line 2/],
    ['text before the root', 'junk<a/>', /text data outside of root node/],
    ['two root elements', '<a/><b/>', /only one root/],
    ['text after the root', '<a/>junk', /text data outside of root node/],
    ['an unquoted attribute', '<a x=1/>', /unquoted attribute value/],
    ['a duplicate attribute', '<a x="1" x="2"/>', /duplicate attribute: x/],
    ['attributes without whitespace between them', '<a x="1"y="2"/>', /no whitespace between attributes/],
    ['"<" inside an attribute', '<a x="<"/>', /disallowed character/],
    ['a bare ampersand in an attribute', '<a>\n<b x="Tom & Jerry"/></a>', /"&" must start an entity/],
    ['a bare ampersand in text', '<a>Tom & Jerry</a>', /"&" must start an entity/],
    ['an unknown entity', '<a>&nbsp;</a>', /undefined entity/],
    ['a malformed character reference', '<a>&#xZZ;</a>', /entity/],
    ['a forbidden character reference', '<a>&#0;</a>', /malformed character entity/],
    ['a DOCTYPE', '<!DOCTYPE a><a/>', /DOCTYPE/],
    ['a DOCTYPE declaring an entity', '<!DOCTYPE a [<!ENTITY x "y">]><a v="&x;"/>', /DOCTYPE/],
    ['a bad element name', '<1a/>', /disallowed character in tag name/],
  ])('returns an error, not a tree, for %s', (_what, source, pattern) => {
    expect(error(source).message).toMatch(pattern);
  });

  it('points at an unescaped "&", which the parser only notices at the end of the file', () => {
    expect(error('<a>\n  <b x="Tom & Jerry"/>\n</a>')).toMatchObject({ line: 2, column: 13 });
  });

  it('reports git conflict markers as such, with their line', () => {
    const e = error('<a>\n<<<<<<< HEAD\n<b/>\n=======\n<c/>\n>>>>>>> branch\n</a>');
    expect(e.message).toMatch(/conflict markers/);
    expect(e.line).toBe(2);
  });

  it('gives the line and column where the parser noticed the error', () => {
    expect(error('<a>\n  <b>\n  </c>\n</a>')).toMatchObject({ line: 3, column: 6 });
    expect(error('<a>\n  <b x="1"y="2"/>\n</a>')).toMatchObject({ line: 2, column: 11 });
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    const deep = '<a>'.repeat(5000) + '</a>'.repeat(5000);
    expect(error(deep).message).toMatch(/nested deeper/);
  });
});
