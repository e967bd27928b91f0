// The head of a client's request, parsed for the fast forwarding path. Anything outside plain
// HTTP/1.1 with a Content-Length body (or none) is "unsupported": the caller then hands the
// connection to Node's http.Server, whose parser (llhttp) decides. That covers HTTP/1.0, Expect,
// Upgrade, chunked bodies (trailers and all), and every head this parser does not read exactly the
// way llhttp does: a raw-path request is one llhttp would read the same, never a guess.
import { connectionHas, findHeadEnd, HEAD_MALFORMED, parseContentLength, parseFieldLines, type HeadFields } from './head-fields';
import { NO_BODY, type BodyFraming } from './message-body';

/** Node's default --max-http-header-size: a longer head is left to http.Server (which answers 431). */
export const MAX_REQUEST_HEAD_BYTES = 16 * 1024;

/**
 * The request line in one match (each separate operation costs several microseconds when the
 * machine was idle and its caches are cold): a method real clients send, an origin-form target
 * without whitespace or controls, HTTP/1.1 exactly. Anything else is llhttp's to judge.
 */
const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[!-~]*) HTTP\/1\.1\r\n/;

/** A raw-path request's body: a Content-Length, or none. */
export type RequestBody = Extract<BodyFraming, { kind: 'none' } | { kind: 'length' }>;

export interface RequestHead {
  method: string;
  /** The request target as received (path and query). */
  target: string;
  /** The field lines as received, and the fields the proxy acts on. */
  fields: HeadFields;
  body: RequestBody;
  /** The client asked to close the connection after this exchange. */
  close: boolean;
  /** Bytes of the head, final CRLF CRLF included. */
  length: number;
}

export type RequestHeadResult =
  | { status: 'complete'; head: RequestHead }
  | { status: 'incomplete' }
  | { status: 'unsupported' };

const INCOMPLETE: RequestHeadResult = { status: 'incomplete' };
const UNSUPPORTED: RequestHeadResult = { status: 'unsupported' };

/** Parses the request head at the start of `buffer`. */
export function parseRequestHead(buffer: Buffer): RequestHeadResult {
  const end = findHeadEnd(buffer, 0, MAX_REQUEST_HEAD_BYTES);
  if (end === HEAD_MALFORMED) return UNSUPPORTED;
  if (end === -1) return buffer.length > MAX_REQUEST_HEAD_BYTES ? UNSUPPORTED : INCOMPLETE;
  // Up to the last line's CRLF: every line ends with one (the final empty line is left out).
  const text = buffer.toString('latin1', 0, end + 2);
  const requestLine = REQUEST_LINE.exec(text);
  if (requestLine === null) return UNSUPPORTED;
  const method = requestLine[1] as string;
  const target = requestLine[2] as string;
  const fields = parseFieldLines(text, requestLine[0].length);
  if (fields === undefined) return UNSUPPORTED;
  const { repeated, connection, transferEncoding, contentLength } = fields;
  // Framing and routing must be unambiguous, and the features Node implements for us stay with it.
  if (repeated !== undefined && (repeated.has('content-length') || repeated.has('transfer-encoding'))) return UNSUPPORTED;
  if (fields.expect !== undefined || fields.upgrade !== undefined) return UNSUPPORTED;
  if (connectionHas(connection, 'upgrade')) return UNSUPPORTED;
  // Chunked bodies go to llhttp: their framing errors (a malformed trailer, say) can only be found
  // after bytes went upstream, and llhttp's verdict on them is the one that counts.
  if (transferEncoding !== undefined) return UNSUPPORTED;
  let body: RequestBody = NO_BODY;
  if (contentLength !== undefined) {
    const length = parseContentLength(contentLength);
    if (length === undefined) return UNSUPPORTED;
    if (length > 0) body = { kind: 'length', length };
  }
  return {
    status: 'complete',
    head: { method, target, fields, body, close: connectionHas(connection, 'close'), length: end + 4 },
  };
}
