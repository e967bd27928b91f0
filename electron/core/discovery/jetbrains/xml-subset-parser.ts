// A small, strict parser for the subset of XML that JetBrains IDEs write for their settings:
// elements, attributes, the five named entities and numeric character references, comments, CDATA,
// processing instructions and the XML declaration. No DTDs, no namespaces processing. It either
// returns the whole tree or one error with a position: a truncated file, git conflict markers or
// mismatched tags must never yield a partial tree that looks like "no projects open".

export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Character data directly inside this element (entities decoded), concatenated. */
  readonly text: string;
}

export interface XmlParseError {
  message: string;
  line: number;
  column: number;
}

export type XmlParseResult = { ok: true; root: XmlElement } | { ok: false; error: XmlParseError };

/** Settings files are a few KB; anything this large is not one and is refused rather than parsed. */
export const MAX_XML_LENGTH = 8 * 1024 * 1024;
const MAX_DEPTH = 200;

class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

interface MutableElement {
  name: string;
  attributes: Map<string, string>;
  children: MutableElement[];
  text: string;
}

const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

const NAME_START = /[A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;

function isWhitespace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function isAllowedCodePoint(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Line and column (1-based) of a character offset. */
function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Git leaves these when a merge of a synced settings folder conflicts; say so instead of "bad tag". */
function findConflictMarker(source: string): number | undefined {
  const match = /^(?:<{7}|>{7})(?:[ \t]|\r?$)/m.exec(source);
  return match ? match.index : undefined;
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly src: string) {
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  document(): MutableElement {
    if (this.src.startsWith('<?xml', this.pos) && isWhitespace(this.src[this.pos + 5])) {
      this.processingInstruction();
    }
    this.misc();
    if (this.pos >= this.src.length) {
      throw new XmlSyntaxError(this.src.trim() === '' ? 'the file is empty' : 'no root element', this.pos);
    }
    if (this.src.startsWith('<!DOCTYPE', this.pos)) {
      throw new XmlSyntaxError('DOCTYPE declarations are not supported', this.pos);
    }
    if (this.src[this.pos] !== '<') {
      throw new XmlSyntaxError('text before the root element', this.pos);
    }
    const root = this.element();
    this.misc();
    if (this.pos < this.src.length) {
      throw new XmlSyntaxError('content after the end of the root element', this.pos);
    }
    return root;
  }

  /** Whitespace, comments and processing instructions allowed around the root element. */
  private misc(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.src.startsWith('<!--', this.pos)) this.comment();
      else if (this.src.startsWith('<?', this.pos)) this.processingInstruction();
      else return;
    }
  }

  private skipWhitespace(): boolean {
    const start = this.pos;
    while (isWhitespace(this.src[this.pos])) this.pos++;
    return this.pos > start;
  }

  private comment(): void {
    const start = this.pos;
    const end = this.src.indexOf('-->', this.pos + 4);
    if (end < 0) throw new XmlSyntaxError('unexpected end of file inside a comment (file truncated?)', start);
    this.pos = end + 3;
  }

  private processingInstruction(): void {
    const start = this.pos;
    const end = this.src.indexOf('?>', this.pos + 2);
    if (end < 0) throw new XmlSyntaxError('unexpected end of file inside <?...?> (file truncated?)', start);
    this.pos = end + 2;
  }

  private name(what: string): string {
    const start = this.pos;
    const first = this.src[this.pos];
    if (first === undefined) throw new XmlSyntaxError(`unexpected end of file where ${what} was expected (file truncated?)`, start);
    if (!NAME_START.test(first)) throw new XmlSyntaxError(`expected ${what}, found ${JSON.stringify(first)}`, start);
    this.pos++;
    while (this.pos < this.src.length && NAME_CHAR.test(this.src[this.pos] as string)) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private element(): MutableElement {
    const start = this.pos;
    if (++this.depth > MAX_DEPTH) throw new XmlSyntaxError(`elements nested deeper than ${MAX_DEPTH}`, start);
    this.pos++; // '<'
    const name = this.name('an element name');
    const element: MutableElement = {
      name,
      attributes: new Map(),
      children: [],
      text: '',
    };
    for (;;) {
      const hadSpace = this.skipWhitespace();
      const ch = this.src[this.pos];
      if (ch === undefined) {
        throw new XmlSyntaxError(`unexpected end of file inside the <${name}> tag (file truncated?)`, this.pos);
      }
      if (ch === '/') {
        if (this.src[this.pos + 1] !== '>') throw new XmlSyntaxError(`expected "/>" to close <${name}>`, this.pos);
        this.pos += 2;
        this.depth--;
        return element;
      }
      if (ch === '>') {
        this.pos++;
        break;
      }
      if (!hadSpace) throw new XmlSyntaxError(`expected whitespace before the next attribute of <${name}>`, this.pos);
      this.attribute(element);
    }
    this.content(element, start);
    this.depth--;
    return element;
  }

  private attribute(element: MutableElement): void {
    const start = this.pos;
    const name = this.name('an attribute name');
    this.skipWhitespace();
    if (this.src[this.pos] !== '=') throw new XmlSyntaxError(`expected "=" after attribute ${name}`, this.pos);
    this.pos++;
    this.skipWhitespace();
    const quote = this.src[this.pos];
    if (quote !== '"' && quote !== "'") {
      if (quote === undefined) throw new XmlSyntaxError(`unexpected end of file in attribute ${name} (file truncated?)`, this.pos);
      throw new XmlSyntaxError(`the value of attribute ${name} must be quoted`, this.pos);
    }
    const valueStart = this.pos + 1;
    const valueEnd = this.src.indexOf(quote, valueStart);
    if (valueEnd < 0) {
      throw new XmlSyntaxError(`unexpected end of file in the value of attribute ${name} (file truncated?)`, start);
    }
    const raw = this.src.slice(valueStart, valueEnd);
    const lt = raw.indexOf('<');
    if (lt >= 0) throw new XmlSyntaxError(`"<" is not allowed in the value of attribute ${name}`, valueStart + lt);
    if (element.attributes.has(name)) {
      throw new XmlSyntaxError(`attribute ${name} appears twice in <${element.name}>`, start);
    }
    // Attribute-value normalisation: literal line breaks and tabs become spaces, references keep theirs.
    element.attributes.set(name, this.decode(raw.replace(/[\t\n\r]/g, ' '), valueStart));
    this.pos = valueEnd + 1;
  }

  private content(element: MutableElement, start: number): void {
    const chunks: string[] = [];
    for (;;) {
      const lt = this.src.indexOf('<', this.pos);
      if (lt < 0) {
        const { line } = positionOf(this.src, start);
        throw new XmlSyntaxError(
          `unexpected end of file: <${element.name}> opened on line ${line} is never closed (file truncated?)`,
          this.src.length,
        );
      }
      if (lt > this.pos) chunks.push(this.decode(this.src.slice(this.pos, lt), this.pos));
      this.pos = lt;
      if (this.src.startsWith('</', this.pos)) {
        const closeAt = this.pos;
        this.pos += 2;
        const name = this.name('a closing tag name');
        this.skipWhitespace();
        if (this.src[this.pos] !== '>') {
          if (this.pos >= this.src.length) {
            throw new XmlSyntaxError(`unexpected end of file inside </${name}> (file truncated?)`, this.pos);
          }
          throw new XmlSyntaxError(`expected ">" to end </${name}>`, this.pos);
        }
        if (name !== element.name) {
          const { line } = positionOf(this.src, start);
          throw new XmlSyntaxError(`closing tag </${name}> does not match <${element.name}> opened on line ${line}`, closeAt);
        }
        this.pos++;
        element.text = chunks.join('');
        return;
      }
      if (this.src.startsWith('<!--', this.pos)) {
        this.comment();
      } else if (this.src.startsWith('<![CDATA[', this.pos)) {
        const end = this.src.indexOf(']]>', this.pos + 9);
        if (end < 0) throw new XmlSyntaxError('unexpected end of file inside CDATA (file truncated?)', this.pos);
        chunks.push(this.src.slice(this.pos + 9, end));
        this.pos = end + 3;
      } else if (this.src.startsWith('<?', this.pos)) {
        this.processingInstruction();
      } else if (this.src.startsWith('<!', this.pos)) {
        throw new XmlSyntaxError('declarations inside elements are not supported', this.pos);
      } else {
        element.children.push(this.element());
      }
    }
  }

  /** Replaces entity and character references in `raw`, which starts at `offset` in the source. */
  private decode(raw: string, offset: number): string {
    if (!raw.includes('&')) return raw;
    let out = '';
    let i = 0;
    for (;;) {
      const amp = raw.indexOf('&', i);
      if (amp < 0) return out + raw.slice(i);
      out += raw.slice(i, amp);
      const semi = raw.indexOf(';', amp + 1);
      const body = semi < 0 ? '' : raw.slice(amp + 1, semi);
      if (semi < 0 || body.length === 0 || body.length > 32 || /\s/.test(body)) {
        throw new XmlSyntaxError('"&" must start an entity such as &amp;', offset + amp);
      }
      if (body.startsWith('#')) {
        const hex = body[1] === 'x';
        const digits = body.slice(hex ? 2 : 1);
        if (!(hex ? /^[0-9A-Fa-f]+$/ : /^[0-9]+$/).test(digits)) {
          throw new XmlSyntaxError(`malformed character reference &${body};`, offset + amp);
        }
        const cp = Number.parseInt(digits, hex ? 16 : 10);
        if (!isAllowedCodePoint(cp)) throw new XmlSyntaxError(`character reference &${body}; is not allowed in XML`, offset + amp);
        out += String.fromCodePoint(cp);
      } else {
        const named = NAMED_ENTITIES.get(body);
        if (named === undefined) {
          throw new XmlSyntaxError(`unknown entity &${body};`, offset + amp);
        }
        out += named;
      }
      i = semi + 1;
    }
  }
}

export function parseXml(source: string): XmlParseResult {
  if (source.length > MAX_XML_LENGTH) {
    return { ok: false, error: { message: `file is larger than ${MAX_XML_LENGTH} characters`, line: 1, column: 1 } };
  }
  const conflict = findConflictMarker(source);
  if (conflict !== undefined) {
    const { line, column } = positionOf(source, conflict);
    return {
      ok: false,
      error: { message: 'git merge conflict markers in the file: resolve the conflict first', line, column },
    };
  }
  try {
    return { ok: true, root: new Parser(source).document() };
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      return { ok: false, error: { message: error.message, ...positionOf(source, error.offset) } };
    }
    throw error;
  }
}

/** "line 3, column 7: closing tag ..." */
export function formatXmlError(error: XmlParseError): string {
  return `line ${error.line}, column ${error.column}: ${error.message}`;
}

/** Direct children named `name`. */
export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return name === undefined ? [...element.children] : element.children.filter((child) => child.name === name);
}
