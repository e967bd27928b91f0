// Header field lines of an HTTP/1.1 message head (RFC 9112 §5), parsed strictly: anything a lenient
// parser might read differently from the next hop (obs-fold, bare CR or LF, control characters,
// whitespace before the colon) is refused rather than guessed at, so a message is forwarded only
// when every parser on its way reads it the same way.

const SPACE = 0x20;
const TAB = 0x09;

export interface HeadFields {
  /** name, value, name, value, ... with names as received and values trimmed of surrounding whitespace. */
  raw: string[];
  /** Each field's name in lower case, in order (one per pair in `raw`). */
  names: string[];
  /** Lower-case name → value; a repeated field's values joined with ', ' (RFC 9110 §5.3). */
  byName: Record<string, string>;
  /** Lower-case names that occurred more than once. */
  repeated: Set<string> | undefined;
}

/**
 * A field table without inherited properties, so a field named "__proto__" or "constructor" is just
 * a field; unlike Object.create(null), whose objects start as hash tables, V8 keeps these in its
 * fast object layout (the same few names come on every request).
 */
const FieldTable = function FieldTable() {} as unknown as new () => Record<string, string>;
FieldTable.prototype = Object.create(null) as object;

/**
 * One field line, matched where the previous one ended: a token name, the colon right after it,
 * optional whitespace, then a value of visible characters, spaces, tabs and obs-text up to CRLF.
 * Everything a lenient parser might read differently fails to match: obs-fold (a line starting
 * with whitespace), whitespace before the colon, control characters, a bare CR or LF.
 */
const FIELD_LINE = /([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([\t\x20-\x7e\x80-\xff]*)\r\n/y;
const TRAILING_WHITESPACE = /[ \t]+$/;

/**
 * Parses the field lines of `text` from index `from` (just past the start line's CRLF) to its end;
 * `text` ends with the last field line's CRLF. Undefined when a line is not a valid field line.
 */
export function parseFieldLines(text: string, from: number): HeadFields | undefined {
  const raw: string[] = [];
  const names: string[] = [];
  const byName = new FieldTable();
  let repeated: Set<string> | undefined;
  FIELD_LINE.lastIndex = from;
  while (FIELD_LINE.lastIndex < text.length) {
    const line = FIELD_LINE.exec(text);
    if (line === null) return undefined;
    const name = line[1] as string;
    let value = line[2] as string;
    const last = value.charCodeAt(value.length - 1);
    if (last === SPACE || last === TAB) value = value.replace(TRAILING_WHITESPACE, '');
    raw.push(name, value);
    const lower = name.toLowerCase();
    names.push(lower);
    const previous = byName[lower];
    if (previous === undefined) {
      byName[lower] = value;
    } else {
      byName[lower] = `${previous}, ${value}`;
      (repeated ??= new Set()).add(lower);
    }
  }
  return { raw, names, byName, repeated };
}

/**
 * Whether a Connection value lists `option` (lower case). The usual value, keep-alive, is answered
 * without splitting anything.
 */
export function connectionHas(value: string | undefined, option: 'close' | 'upgrade' | 'keep-alive'): boolean {
  if (value === undefined) return false;
  if (value === 'keep-alive' || value === 'Keep-Alive') return option === 'keep-alive';
  return fieldTokens(value).includes(option);
}

/** The comma-separated tokens of a field value, lower case (e.g. Connection: keep-alive, Upgrade). */
export function fieldTokens(value: string | undefined): string[] {
  if (value === undefined) return [];
  const tokens: string[] = [];
  for (const part of value.split(',')) {
    const token = part.trim().toLowerCase();
    if (token) tokens.push(token);
  }
  return tokens;
}

/** A Content-Length value: digits only, at most 15 of them (below 2^53). */
export function parseContentLength(value: string): number | undefined {
  return /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}
