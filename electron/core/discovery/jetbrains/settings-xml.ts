// Reads a JetBrains settings file (recentProjects.xml, path.macros.xml...) into a small element tree,
// with saxes doing the XML: a strict, non-validating parser that rejects anything not well-formed
// and knows only the five predefined entities and character references (nothing is ever expanded
// from a DTD). It either returns the whole tree or one error with a position: a truncated file, git
// conflict markers or mismatched tags must never yield a partial tree that looks like "no projects
// open". What is ours here is only the wording of the errors a user meets in `detect`.
import { SaxesParser } from 'saxes';

export interface XmlElement {
  readonly name: string;
  /** In document order. The IDE keeps everything discovery reads in attributes, so text is not kept. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
}

export interface XmlParseError {
  message: string;
  line: number;
  column: number;
}

export type XmlParseResult = { ok: true; root: XmlElement } | { ok: false; error: XmlParseError };

/** Settings files are a few KB; anything this large is not one and is refused rather than parsed. */
export const MAX_XML_LENGTH = 8 * 1024 * 1024;
/** Far deeper than any settings file; bounds the tree a hostile file could make us build. */
const MAX_DEPTH = 200;

interface OpenElement {
  name: string;
  attributes: Map<string, string>;
  children: OpenElement[];
  line: number;
}

/** Thrown from saxes' error handler to stop at the first error: later ones only follow from it. */
class FirstError extends Error {
  constructor(readonly error: XmlParseError) {
    super(error.message);
  }
}

/**
 * Line and column (1-based) of a character offset, counted as saxes counts them: CR LF, CR and LF
 * each end a line (XML's line-end rule), and columns count code points.
 */
function positionOf(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: [...(before.at(-1) ?? '')].length + 1 };
}

/** Git leaves these when a merge of a synced settings folder conflicts; say so instead of "bad tag". */
function findConflictMarker(source: string): number | undefined {
  const match = /^(?:<{7}|>{7})(?:[ \t]|\r?$)/m.exec(source);
  return match ? match.index : undefined;
}

/**
 * saxes reads an entity name up to the next ";", so an unescaped "&" swallows the rest of the file
 * and shows up only as an early end; find it to point at the real cause.
 */
function strayAmpersand(source: string): number | undefined {
  const match = /&(?![A-Za-z_:][\w.:-]*;|#[0-9]+;|#x[0-9A-Fa-f]+;)/.exec(source);
  return match ? match.index : undefined;
}

function neverClosed(open: OpenElement | undefined, source: string): string {
  if (open) return `unexpected end of file: <${open.name}> opened on line ${open.line} is never closed (file truncated?)`;
  return source.trim() === '' ? 'the file is empty' : 'unexpected end of file before the root element (file truncated?)';
}

export function parseXml(source: string): XmlParseResult {
  if (source.length > MAX_XML_LENGTH) {
    return { ok: false, error: { message: `file is larger than ${MAX_XML_LENGTH} characters`, line: 1, column: 1 } };
  }
  const conflict = findConflictMarker(source);
  if (conflict !== undefined) {
    return {
      ok: false,
      error: { message: 'git merge conflict markers in the file: resolve the conflict first', ...positionOf(source, conflict) },
    };
  }

  const parser = new SaxesParser({ position: true, xmlns: false });
  const stack: OpenElement[] = [];
  let root: OpenElement | undefined;
  let atEnd = false;
  let tagLine = 1;
  // The element a closing tag was checked against: saxes pops it before it reports the mismatch.
  let justClosed: OpenElement | undefined;

  const stop = (message: string): never => {
    throw new FirstError({ message, line: parser.line, column: Math.max(parser.column, 1) });
  };
  parser.on('error', (error) => {
    // saxes says what broke; add what a user needs to recognise it in their file.
    const saxesMessage = error.message.replace(/^\d+:\d+: /, '');
    if (atEnd) {
      const amp = strayAmpersand(source);
      if (amp !== undefined) {
        throw new FirstError({ message: '"&" must start an entity such as &amp;', ...positionOf(source, amp) });
      }
      stop(neverClosed(stack.at(-1), source));
    }
    if (saxesMessage === 'unexpected close tag.' && justClosed) {
      stop(`closing tag does not match <${justClosed.name}> opened on line ${justClosed.line}`);
    }
    stop(saxesMessage.replace(/\.$/, ''));
  });
  parser.on('doctype', () => stop('DOCTYPE declarations are not supported'));
  parser.on('opentagstart', () => {
    if (stack.length >= MAX_DEPTH) stop(`elements nested deeper than ${MAX_DEPTH}`);
    tagLine = parser.line;
  });
  parser.on('opentag', (tag) => {
    const element: OpenElement = {
      name: tag.name,
      attributes: new Map(Object.entries(tag.attributes)),
      children: [],
      line: tagLine,
    };
    stack.at(-1)?.children.push(element);
    root ??= element;
    if (!tag.isSelfClosing) stack.push(element);
  });
  parser.on('closetag', (tag) => {
    justClosed = tag.isSelfClosing ? undefined : stack.pop();
  });

  try {
    parser.write(source);
    atEnd = true;
    parser.close();
  } catch (error) {
    if (error instanceof FirstError) return { ok: false, error: error.error };
    throw error;
  }
  if (!root) return { ok: false, error: { message: neverClosed(undefined, source), line: 1, column: 1 } };
  return { ok: true, root };
}

/** "line 3, column 7: closing tag ..." */
export function formatXmlError(error: XmlParseError): string {
  return `line ${error.line}, column ${error.column}: ${error.message}`;
}

/** Direct children named `name`. */
export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return name === undefined ? [...element.children] : element.children.filter((child) => child.name === name);
}
