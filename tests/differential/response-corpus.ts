// Response byte sequences from a misbehaving upstream: framing conflicts, malformed heads and
// chunked bodies, informational responses, bare CR/LF and control characters. Each is read by a
// strict Node client twice, directly and through the proxy (see responses.test.ts).

export interface ResponseCase {
  name: string;
  family: string;
  /** What the upstream writes once it has read the request head. */
  response: string;
  /** The upstream closes the connection after writing (default true). */
  close?: boolean;
  /** The request method (default GET). */
  method?: string;
  /**
   * Where the proxy deliberately accepts what Node's client refuses (RFC 9110 allows it): the
   * proxied client must get a complete response. The README lists each leniency.
   */
  lenient?: string;
  /** Where the proxy deliberately refuses (502) what Node's client would read. */
  strict?: string;
}

const cases: ResponseCase[] = [];
function add(family: string, name: string, response: string, options: Omit<ResponseCase, 'name' | 'family' | 'response'> = {}): void {
  cases.push({ family, name, response, ...options });
}

const OK = 'HTTP/1.1 200 OK\r\n';

/** One chunk of a chunked body, framed. */
function chunk(text: string): string {
  return `${Buffer.byteLength(text, 'latin1').toString(16)}\r\n${text}\r\n`;
}
const CHUNKED = 'Transfer-Encoding: chunked\r\n';

// ---- well-formed --------------------------------------------------------------------------------
add('baseline', 'Content-Length body', `${OK}Content-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}`);
add('baseline', 'chunked body', `${OK}${CHUNKED}\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`);
add('baseline', 'an event stream', `${OK}Content-Type: text/event-stream\r\n${CHUNKED}\r\n${chunk('data: {"a":1}\n\n')}${chunk('data: {"b":2}\n\n')}${chunk('data: [DONE]\n\n')}0\r\n\r\n`);
add('baseline', 'chunk extensions', `${OK}${CHUNKED}\r\n5;a=b\r\nhello\r\n0;last\r\n\r\n`);
add('baseline', 'trailer fields', `${OK}${CHUNKED}Trailer: X-Checksum\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n`);
add('baseline', 'a body until the close', `${OK}Content-Type: text/plain\r\n\r\nall of this until the end`);
add('baseline', 'HTTP/1.0 with a body until the close', 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold');
add('baseline', '204 No Content', 'HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n');
add('baseline', '304 with a Content-Length', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n');
add('baseline', 'HEAD with a Content-Length', `${OK}Content-Length: 100\r\n\r\n`, { method: 'HEAD' });
add('baseline', 'a 404 with a JSON error', 'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"error":"x"}');
add('baseline', 'an empty reason phrase', 'HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok');
add('baseline', 'no reason phrase at all', 'HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok');
add('baseline', 'obs-text in the reason', 'HTTP/1.1 200 \xd6K\r\nContent-Length: 2\r\n\r\nok');
add('baseline', 'a Connection-named field', `${OK}Connection: X-Hop\r\nX-Hop: secret\r\nX-Kept: 1\r\nContent-Length: 2\r\n\r\nok`);
add('baseline', 'repeated Set-Cookie', `${OK}Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 2\r\n\r\nok`);
add('baseline', 'a keep-alive response, connection left open', `${OK}Content-Length: 2\r\n\r\nok`, { close: false });

// ---- informational ------------------------------------------------------------------------------
add('informational', '103 Early Hints, then 200', `HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n${OK}Content-Length: 2\r\n\r\nok`);
add('informational', 'two 103s, then 200', `HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </b>\r\n\r\n${OK}Content-Length: 2\r\n\r\nok`);
add('informational', '102 Processing, then 200', `HTTP/1.1 102 Processing\r\n\r\n${OK}Content-Length: 2\r\n\r\nok`);
add('informational', 'an unasked 100 Continue, then 200', `HTTP/1.1 100 Continue\r\n\r\n${OK}Content-Length: 2\r\n\r\nok`);
add('informational', '103 in a read of its own', `HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n`, { close: false });
add('informational', 'an unasked 101 Switching Protocols', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
add('informational', 'a 1xx with a bare LF', `HTTP/1.1 103 Early Hints\nLink: </a>\n\n${OK}Content-Length: 2\r\n\r\nok`);

// ---- Content-Length -----------------------------------------------------------------------------
add('content-length', 'two identical Content-Length fields', `${OK}Content-Length: 2\r\nContent-Length: 2\r\n\r\nok`, { lenient: 'identical Content-Length values are one value (RFC 9110 §8.6): sent once' });
add('content-length', 'an identical list', `${OK}Content-Length: 2, 2\r\n\r\nok`, { lenient: 'identical Content-Length values are one value (RFC 9110 §8.6): sent once' });
add('content-length', 'two different Content-Length fields', `${OK}Content-Length: 2\r\nContent-Length: 3\r\n\r\nokk`);
add('content-length', 'a negative Content-Length', `${OK}Content-Length: -1\r\n\r\nok`);
add('content-length', 'a plus sign', `${OK}Content-Length: +2\r\n\r\nok`);
add('content-length', 'not a number', `${OK}Content-Length: two\r\n\r\nok`);
add('content-length', 'a body shorter than declared', `${OK}Content-Length: 10\r\n\r\nok`);
add('content-length', 'a body longer than declared', `${OK}Content-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil`);
add('content-length', 'a body longer than declared, connection left open', `${OK}Content-Length: 2\r\n\r\nok and more`, {
  close: false,
  lenient: 'a response ends where its Content-Length says; bytes after it are dropped with that upstream connection, never relayed',
});

// ---- Transfer-Encoding ----------------------------------------------------------------------------
add('transfer-encoding', 'chunked and Content-Length', `${OK}${CHUNKED}Content-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n`);
add('transfer-encoding', 'Content-Length and chunked', `${OK}Content-Length: 5\r\n${CHUNKED}\r\n5\r\nhello\r\n0\r\n\r\n`);
add('transfer-encoding', 'gzip only: a body until the close', `${OK}Transfer-Encoding: gzip\r\n\r\nnot really gzip`);
add('transfer-encoding', 'gzip, chunked', `${OK}Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`);
add('transfer-encoding', 'chunked, gzip', `${OK}Transfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n`);
add('transfer-encoding', 'chunked twice', `${OK}Transfer-Encoding: chunked\r\n${CHUNKED}\r\n5\r\nhello\r\n0\r\n\r\n`);
add('transfer-encoding', 'identity', `${OK}Transfer-Encoding: identity\r\n\r\nhello`);
add('transfer-encoding', 'xchunked', `${OK}Transfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`);
add('transfer-encoding', 'chunked in HTTP/1.0', `HTTP/1.0 200 OK\r\n${CHUNKED}\r\n5\r\nhello\r\n0\r\n\r\n`);

// ---- chunked bodies -------------------------------------------------------------------------------
add('chunks', 'a size that is not hex', `${OK}${CHUNKED}\r\nzz\r\nhello\r\n0\r\n\r\n`);
add('chunks', 'a negative size', `${OK}${CHUNKED}\r\n-5\r\nhello\r\n0\r\n\r\n`);
add('chunks', 'a size past 64 bits', `${OK}${CHUNKED}\r\n1ffffffffffffffff\r\nhello\r\n0\r\n\r\n`);
add('chunks', 'data longer than its size', `${OK}${CHUNKED}\r\n3\r\nhello\r\n0\r\n\r\n`);
add('chunks', 'a bare LF after the size', `${OK}${CHUNKED}\r\n5\nhello\r\n0\r\n\r\n`);
add('chunks', 'a bare LF in an extension', `${OK}${CHUNKED}\r\n5;a\nb\r\nhello\r\n0\r\n\r\n`);
add('chunks', 'a space after the size', `${OK}${CHUNKED}\r\n5 \r\nhello\r\n0\r\n\r\n`);
add('chunks', 'a trailer without a colon', `${OK}${CHUNKED}\r\n5\r\nhello\r\n0\r\nno colon\r\n\r\n`);
add('chunks', 'an obs-folded trailer', `${OK}${CHUNKED}\r\n5\r\nhello\r\n0\r\nX-A: 1\r\n folded\r\n\r\n`);
add('chunks', 'Content-Length in the trailers', `${OK}${CHUNKED}\r\n5\r\nhello\r\n0\r\nContent-Length: 99\r\n\r\n`);
add('chunks', 'a NUL in a trailer', `${OK}${CHUNKED}\r\n5\r\nhello\r\n0\r\nX-A: a\x00b\r\n\r\n`);
add('chunks', 'the body cut before its last chunk', `${OK}${CHUNKED}\r\n5\r\nhello\r\n`);
add('chunks', 'the body cut inside a chunk', `${OK}${CHUNKED}\r\n10\r\nhello`);
add('chunks', 'the final CRLF missing', `${OK}${CHUNKED}\r\n5\r\nhello\r\n0\r\n`);

// ---- the head -------------------------------------------------------------------------------------
add('head', 'a status line ending in LF', 'HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\nok');
add('head', 'a head of LF line endings only', 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok');
add('head', 'a bare LF ending a field', `${OK}X-A: 1\nContent-Length: 2\r\n\r\nok`);
add('head', 'a bare CR in a value', `${OK}X-A: a\rb\r\nContent-Length: 2\r\n\r\nok`);
add('head', 'a NUL in a value', `${OK}X-A: a\x00b\r\nContent-Length: 2\r\n\r\nok`);
add('head', 'an obs-folded field', `${OK}X-A: 1\r\n folded\r\nContent-Length: 2\r\n\r\nok`);
add('head', 'a space before the colon', `${OK}X-A : 1\r\nContent-Length: 2\r\n\r\nok`);
add('head', 'a field without a colon', `${OK}NoColon\r\nContent-Length: 2\r\n\r\nok`);
add('head', 'a two-digit status', 'HTTP/1.1 20 OK\r\nContent-Length: 2\r\n\r\nok');
add('head', 'status 999', 'HTTP/1.1 999 Odd\r\nContent-Length: 2\r\n\r\nok');
add('head', 'status 600', 'HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n\r\nok');
add('head', 'status 099', 'HTTP/1.1 099 Odd\r\nContent-Length: 2\r\n\r\nok', { strict: 'a status code below 100 is not HTTP (RFC 9110 §15)' });
add('head', 'HTTP/2 in the status line', 'HTTP/2 200 OK\r\nContent-Length: 2\r\n\r\nok');
add('head', 'a lower-case protocol', 'http/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
add('head', 'garbage instead of a response', 'hello there\r\n\r\n');
add('head', 'nothing at all', '');
add('head', 'a head over 64 KiB', `${OK}X-Big: ${'a'.repeat(70 * 1024)}\r\nContent-Length: 2\r\n\r\nok`);
add('head', 'a head cut before its end', `${OK}Content-Length: 2\r\n`);

export const RESPONSE_CASES: readonly ResponseCase[] = cases;
