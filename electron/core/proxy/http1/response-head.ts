// The head of the upstream's response, parsed strictly: a head we cannot read the way the client
// will read it is not relayed (the client gets a 502 instead).
import { connectionHas, fieldTokens, findHeadEnd, HEAD_MALFORMED, parseContentLength, parseFieldLines, type HeadFields } from './head-fields';
import { BODY_UNTIL_CLOSE, CHUNKED_BODY, NO_BODY, type BodyFraming } from './message-body';

/** Upstream response heads larger than this are refused. */
export const MAX_RESPONSE_HEAD_BYTES = 64 * 1024;

/** The status line in one match, its CRLF included (see REQUEST_LINE in request-head.ts for why). */
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([\t\x20-\x7e\x80-\xff]*))?\r\n/;

export interface ResponseHead {
  status: number;
  reason: string;
  /** The field lines as received, and the fields the proxy acts on. */
  fields: HeadFields;
  body: BodyFraming;
  /** The upstream connection may carry another request after this response. */
  reusable: boolean;
  length: number;
}

export type ResponseHeadResult =
  | { status: 'complete'; head: ResponseHead }
  | { status: 'incomplete' }
  | { status: 'invalid'; reason: string };

const INCOMPLETE: ResponseHeadResult = { status: 'incomplete' };
/** The usual Transfer-Encoding value's codings, without splitting it per response. */
const CHUNKED_ONLY: readonly string[] = ['chunked'];

/** Content-Length sent more than once (joined with ', '): valid only when every value is the same. */
function repeatedContentLength(joined: string): number | undefined {
  const values = new Set(joined.split(',').map((value) => value.trim()));
  return values.size === 1 ? parseContentLength([...values][0] as string) : undefined;
}

function invalid(reason: string): ResponseHeadResult {
  return { status: 'invalid', reason };
}

/** Parses the response head at `offset` in `buffer`; `requestMethod` decides whether a body follows. */
export function parseResponseHead(buffer: Buffer, offset: number, requestMethod: string): ResponseHeadResult {
  const end = findHeadEnd(buffer, offset, MAX_RESPONSE_HEAD_BYTES);
  if (end === HEAD_MALFORMED) return invalid('a bare CR or LF, or a control character, in the response head');
  if (end === -1) return buffer.length - offset > MAX_RESPONSE_HEAD_BYTES ? invalid('response head too large') : INCOMPLETE;
  // Up to the last line's CRLF: every line ends with one (the final empty line is left out).
  const text = buffer.toString('latin1', offset, end + 2);
  const statusLine = STATUS_LINE.exec(text);
  if (statusLine === null) return invalid('malformed status line');
  const fields = parseFieldLines(text, statusLine[0].length);
  if (fields === undefined) return invalid('malformed header field');
  const status = Number(statusLine[2]);
  const { repeated, connection, transferEncoding, contentLength } = fields;
  const http10 = statusLine[1] === '0';
  let reusable = !connectionHas(connection, 'close') && (!http10 || connectionHas(connection, 'keep-alive'));
  let body: BodyFraming;
  if (requestMethod === 'HEAD' || status < 200 || status === 204 || status === 304) {
    body = NO_BODY;
  } else if (transferEncoding !== undefined) {
    // Both framings at once is how responses are split (RFC 9112 §6.3): strict clients refuse it.
    if (contentLength !== undefined) return invalid('both Transfer-Encoding and Content-Length');
    // Transfer-Encoding in HTTP/1.0 is faulty framing (RFC 9112 §6.1): relayed, the connection closed after.
    if (http10) reusable = false;
    // RFC 9112 §6.3: chunked last means chunked framing; otherwise the body runs until the close.
    // Either way the client is told the same codings (other codings stay applied, as they would
    // reach it directly).
    const codings = transferEncoding === 'chunked' ? CHUNKED_ONLY : fieldTokens(transferEncoding);
    if (codings.at(-1) === 'chunked') {
      body = CHUNKED_BODY;
    } else {
      body = BODY_UNTIL_CLOSE;
      reusable = false;
    }
  } else if (contentLength !== undefined) {
    // Repeated identical values are allowed (RFC 9110 §8.6), in two fields or as a list; differing
    // ones are a framing attack.
    const length = repeated?.has('content-length') === true || contentLength.includes(',') ? repeatedContentLength(contentLength) : parseContentLength(contentLength);
    if (length === undefined) return invalid('invalid Content-Length');
    body = length === 0 ? NO_BODY : { kind: 'length', length };
  } else {
    body = BODY_UNTIL_CLOSE;
    reusable = false;
  }
  return {
    status: 'complete',
    head: { status, reason: statusLine[3] ?? '', fields, body, reusable, length: end + 4 - offset },
  };
}
