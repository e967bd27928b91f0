// Header field lines of an HTTP/1.1 message head (RFC 9112 §5), parsed strictly: anything a lenient
// parser might read differently from the next hop (obs-fold, bare CR or LF, control characters,
// whitespace before the colon) is refused rather than guessed at, so a message is forwarded only
// when every parser on its way reads it the same way.

/** field-name = token */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * Anything a head may not contain: control characters other than HTAB, and CR or LF outside a
 * CRLF pair. Tested once over the whole head: field values need no check of their own.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose
const INVALID_HEAD_BYTES = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n/;

const SPACE = 0x20;
const TAB = 0x09;

/**
 * A field table without inherited properties, so a field named "__proto__" or "constructor" is just
 * a field; unlike Object.create(null), whose objects start as hash tables, V8 keeps these in its
 * fast object layout (the same few names come on every request).
 */
const FieldTable = function FieldTable() {} as unknown as new () => Record<string, string>;
FieldTable.prototype = Object.create(null) as object;

/** True when `head` (the text up to, not including, its final CRLF CRLF) has no forbidden byte. */
export function hasValidHeadBytes(head: string): boolean {
  return !INVALID_HEAD_BYTES.test(head);
}

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

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
 * Parses `lines[from..]` (already split on CRLF, without the final empty line, and checked with
 * hasValidHeadBytes). Undefined when a line is not a valid field line.
 */
export function parseFieldLines(lines: readonly string[], from: number): HeadFields | undefined {
  const raw: string[] = [];
  const names: string[] = [];
  const byName = new FieldTable();
  let repeated: Set<string> | undefined;
  for (let i = from; i < lines.length; i += 1) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon);
    // A token has no whitespace: this also refuses obs-fold lines and space before the colon.
    if (!TOKEN.test(name)) return undefined;
    let start = colon + 1;
    let end = line.length;
    while (start < end && (line.charCodeAt(start) === SPACE || line.charCodeAt(start) === TAB)) start += 1;
    while (end > start && (line.charCodeAt(end - 1) === SPACE || line.charCodeAt(end - 1) === TAB)) end -= 1;
    const value = line.slice(start, end);
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
