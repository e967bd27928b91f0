// Header field lines of an HTTP/1.1 message head (RFC 9112 §5), parsed strictly: anything a lenient
// parser might read differently from the next hop (obs-fold, bare CR or LF, control characters,
// whitespace before the colon) is refused rather than guessed at, so a message is forwarded only
// when every parser on its way reads it the same way.

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;

/** findHeadEnd's answer for a head that cannot be strict, however it goes on. */
export const HEAD_MALFORMED = -2;

/**
 * Where the CRLF CRLF that ends a head starting at `from` begins, looking at `maxHeadBytes` bytes
 * at most; -1 when it is not there yet; HEAD_MALFORMED as soon as a byte no strict head holds
 * arrives (a bare CR or LF, a control character other than HTAB, DEL), so a head that a strict
 * parser refuses is refused at once, not after the head timeout. A plain loop on purpose:
 * Buffer#indexOf sets up a C++ search per call, which cost about 10 µs of each request's first
 * chunk once the caches went cold between requests (measured with timestamps in the running
 * proxy), against a fraction of that here.
 */
export function findHeadEnd(buffer: Buffer, from: number, maxHeadBytes: number): number {
  const last = Math.min(buffer.length, from + maxHeadBytes);
  for (let i = from; i < last; i += 1) {
    const byte = buffer[i] as number;
    if (byte >= 0x20 && byte !== 0x7f) continue;
    if (byte === CR) {
      if (i + 1 < buffer.length && buffer[i + 1] !== LF) return HEAD_MALFORMED;
    } else if (byte === LF) {
      if (i === from || buffer[i - 1] !== CR) return HEAD_MALFORMED;
      if (i - 3 >= from && buffer[i - 2] === LF && buffer[i - 3] === CR) return i - 3;
    } else if (byte !== TAB) {
      return HEAD_MALFORMED;
    }
  }
  return -1;
}

/**
 * A head's field lines, and the fields the proxy acts on, picked out while it is parsed. One class,
 * so every head has the same shape: an object keyed by whatever names a client sent took a new
 * hidden class per set of names, which made the code reading it megamorphic (each name looked up in
 * V8's string table) and deoptimized it whenever a new set came. The lines themselves stay in the
 * head's text, located by offsets: a forwarded line is a slice of what came (see `lines`), and only
 * the values the proxy reads are ever cut out. Measured on an idle machine, a head took 25 µs to
 * parse as a keyed object and 14 µs as name/value pairs in this class; offsets save the pairs.
 */
export class HeadFields {
  /** Each field's name in lower case, in order. */
  readonly names: string[] = [];
  /** Where each field line starts in `text` (the last one ends where `text` does). */
  readonly lineStarts: number[] = [];
  /** Lower-case names of the fields below that occurred more than once. */
  repeated: Set<string> | undefined = undefined;
  // Each value as received, trimmed; a repeated field's values joined with ', ' (RFC 9110 §5.3).
  host: string | undefined = undefined;
  origin: string | undefined = undefined;
  secFetchSite: string | undefined = undefined;
  connection: string | undefined = undefined;
  contentLength: string | undefined = undefined;
  transferEncoding: string | undefined = undefined;
  contentType: string | undefined = undefined;
  contentEncoding: string | undefined = undefined;
  expect: string | undefined = undefined;
  upgrade: string | undefined = undefined;
  authorization: string | undefined = undefined;
  /** x-litellm-api-key: LiteLLM's own header for a key. */
  litellmApiKey: string | undefined = undefined;
  /** x-api-key: Anthropic's header for a key. */
  xApiKey: string | undefined = undefined;
  /** api-key: Azure OpenAI's header for a key. */
  azureApiKey: string | undefined = undefined;
  /** x-litellm-tags */
  tags: string | undefined = undefined;
  /** x-litellm-spend-logs-metadata */
  spendLogsMetadata: string | undefined = undefined;
  /** x-litellm-end-user-id */
  endUserId: string | undefined = undefined;
  /** Tells the usage ledger which client sent a request. */
  userAgent: string | undefined = undefined;
  /** x-litellm-version: in LiteLLM's answers, the version that answered. */
  litellmVersion: string | undefined = undefined;

  /** `text`: the head's text, its field lines each ending with CRLF. */
  constructor(readonly text: string) {}

  /** Field lines `first` to `end` (exclusive), exactly as received, each with its CRLF. */
  lines(first: number, end: number): string {
    return this.text.slice(this.startOf(first), this.startOf(end));
  }

  /** Where field line `field` starts; past the last one, the end of the field lines. */
  private startOf(field: number): number {
    return field < this.names.length ? (this.lineStarts[field] as number) : this.text.length;
  }

  /** name, value, name, value, ... with names as received and values trimmed (for diagnostics and tests). */
  get raw(): string[] {
    const pairs: string[] = [];
    for (let field = 0; field < this.names.length; field += 1) {
      const start = this.startOf(field);
      const colon = this.text.indexOf(':', start);
      pairs.push(this.text.slice(start, colon), this.valueOf(colon, this.startOf(field + 1)));
    }
    return pairs;
  }

  /** The value of the line whose colon is at `colon` and which ends (after its CRLF) at `lineEnd`. */
  private valueOf(colon: number, lineEnd: number): string {
    const { text } = this;
    let from = colon + 1;
    let to = lineEnd - 2;
    while (from < to && isWhitespace(text.charCodeAt(from))) from += 1;
    while (to > from && isWhitespace(text.charCodeAt(to - 1))) to -= 1;
    return text.slice(from, to);
  }

  /** Records one field line: `name` in lower case, its colon at `colon`, the line ending at `lineEnd`. */
  add(name: string, lineStart: number, colon: number, lineEnd: number): void {
    this.names.push(name);
    this.lineStarts.push(lineStart);
    switch (name) {
      case 'host':
        this.host = this.joined(name, this.host, colon, lineEnd);
        break;
      case 'origin':
        this.origin = this.joined(name, this.origin, colon, lineEnd);
        break;
      case 'sec-fetch-site':
        this.secFetchSite = this.joined(name, this.secFetchSite, colon, lineEnd);
        break;
      case 'connection':
        this.connection = this.joined(name, this.connection, colon, lineEnd);
        break;
      case 'content-length':
        this.contentLength = this.joined(name, this.contentLength, colon, lineEnd);
        break;
      case 'transfer-encoding':
        this.transferEncoding = this.joined(name, this.transferEncoding, colon, lineEnd);
        break;
      case 'content-type':
        this.contentType = this.joined(name, this.contentType, colon, lineEnd);
        break;
      case 'content-encoding':
        this.contentEncoding = this.joined(name, this.contentEncoding, colon, lineEnd);
        break;
      case 'expect':
        this.expect = this.joined(name, this.expect, colon, lineEnd);
        break;
      case 'upgrade':
        this.upgrade = this.joined(name, this.upgrade, colon, lineEnd);
        break;
      case 'authorization':
        this.authorization = this.joined(name, this.authorization, colon, lineEnd);
        break;
      case 'x-litellm-api-key':
        this.litellmApiKey = this.joined(name, this.litellmApiKey, colon, lineEnd);
        break;
      case 'x-api-key':
        this.xApiKey = this.joined(name, this.xApiKey, colon, lineEnd);
        break;
      case 'api-key':
        this.azureApiKey = this.joined(name, this.azureApiKey, colon, lineEnd);
        break;
      case 'x-litellm-tags':
        this.tags = this.joined(name, this.tags, colon, lineEnd);
        break;
      case 'x-litellm-spend-logs-metadata':
        this.spendLogsMetadata = this.joined(name, this.spendLogsMetadata, colon, lineEnd);
        break;
      case 'x-litellm-end-user-id':
        this.endUserId = this.joined(name, this.endUserId, colon, lineEnd);
        break;
      case 'user-agent':
        this.userAgent = this.joined(name, this.userAgent, colon, lineEnd);
        break;
      case 'x-litellm-version':
        this.litellmVersion = this.joined(name, this.litellmVersion, colon, lineEnd);
        break;
      default:
    }
  }

  private joined(name: string, previous: string | undefined, colon: number, lineEnd: number): string {
    const value = this.valueOf(colon, lineEnd);
    if (previous === undefined) return value;
    (this.repeated ??= new Set()).add(name);
    return `${previous}, ${value}`;
  }
}

function isWhitespace(code: number): boolean {
  return code === SPACE || code === TAB;
}

/**
 * One field line, matched where the previous one ended: a token name, the colon right after it,
 * optional whitespace, then a value of visible characters, spaces, tabs and obs-text up to CRLF.
 * Everything a lenient parser might read differently fails to match: obs-fold (a line starting
 * with whitespace), whitespace before the colon, control characters, a bare CR or LF. Only tested,
 * never captured: the name and value are located by offsets, so a line costs no match object.
 */
const FIELD_LINE = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*\r\n/y;

/**
 * Parses the field lines of `text` from index `from` (just past the start line's CRLF) to its end;
 * `text` ends with the last field line's CRLF. Undefined when a line is not a valid field line.
 */
export function parseFieldLines(text: string, from: number): HeadFields | undefined {
  const fields = new HeadFields(text);
  FIELD_LINE.lastIndex = from;
  let lineStart = from;
  while (lineStart < text.length) {
    if (!FIELD_LINE.test(text)) return undefined;
    // The name is a token, so the line's first colon ends it.
    const colon = text.indexOf(':', lineStart);
    const lineEnd = FIELD_LINE.lastIndex;
    fields.add(text.slice(lineStart, colon).toLowerCase(), lineStart, colon, lineEnd);
    lineStart = lineEnd;
  }
  return fields;
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
