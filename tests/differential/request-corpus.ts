// Request byte sequences across the smuggling families (CL.TE, TE.CL, TE.TE obfuscation, chunk
// sizes, extensions and trailers, folding, control characters and NUL, bare CR/LF, duplicate and
// conflicting framing fields, Host games, pipelining, Expect, Upgrade/CONNECT, oversize heads and
// header counts, request-line oddities), written for this project from the classes in RFC 9112,
// llhttp's and Node's own test suites and PortSwigger's request-smuggling research.
// `{HOST}` becomes a loopback Host value for whichever server the bytes go to.

export interface RequestCase {
  name: string;
  family: string;
  /** Written one after another, each a separate read on the other side. */
  segments: string[];
  /**
   * Where the proxy deliberately differs from llhttp: it refuses with this status and closes (the
   * README's Security section lists each rule). Absent: the proxy must do exactly what llhttp does.
   */
  refusedWith?: number;
}

const HOST = 'Host: {HOST}\r\n';

function get(target = '/v1/models', fields = ''): string {
  return `GET ${target} HTTP/1.1\r\n${HOST}${fields}\r\n`;
}

function post(body: string, fields = '', target = '/v1/chat/completions'): string {
  return `POST ${target} HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n${fields}\r\n${body}`;
}

/** A POST whose framing fields are given as they are (no Content-Length added). */
function framed(fields: string, body: string, target = '/upload'): string {
  return `POST ${target} HTTP/1.1\r\n${HOST}${fields}\r\n${body}`;
}

function chunked(body: string, fields = ''): string {
  return framed(`Transfer-Encoding: chunked\r\n${fields}`, body);
}

const SMUGGLED = `GET /smuggled HTTP/1.1\r\n${HOST}\r\n`;
const JSON_BODY = '{"model":"m","messages":[{"role":"user","content":"hi"}]}';

const cases: RequestCase[] = [];
function add(family: string, name: string, segments: string | string[], refusedWith?: number): void {
  cases.push({ family, name, segments: Array.isArray(segments) ? segments : [segments], ...(refusedWith !== undefined ? { refusedWith } : {}) });
}

// ---- baseline: what real clients send ---------------------------------------------------------
add('baseline', 'GET', get());
add('baseline', 'POST with Content-Length', post(JSON_BODY));
add('baseline', 'POST with an empty body', post(''));
add('baseline', 'HEAD', `HEAD /v1/models HTTP/1.1\r\n${HOST}\r\n`);
add('baseline', 'OPTIONS', `OPTIONS /v1/models HTTP/1.1\r\n${HOST}\r\n`);
add('baseline', 'DELETE with a body', `DELETE /v1/files/x HTTP/1.1\r\n${HOST}Content-Length: 2\r\n\r\n{}`);
add('baseline', 'PUT', `PUT /v1/x HTTP/1.1\r\n${HOST}Content-Length: 3\r\n\r\nabc`);
add('baseline', 'PATCH', `PATCH /v1/x HTTP/1.1\r\n${HOST}Content-Length: 3\r\n\r\nabc`);
add('baseline', 'query string', get('/v1/models?limit=5&after=a%20b'));
add('baseline', 'long path', get(`/v1/${'a'.repeat(4000)}`));
add('baseline', 'header value with obs-text bytes', get('/', 'X-Name: caf\xe9\r\n'));
add('baseline', 'empty header value', get('/', 'X-Empty:\r\n'));
add('baseline', 'header value with inner tabs and spaces', get('/', 'X-Spaced: a \t b\r\n'));
add('baseline', 'header value with surrounding whitespace', get('/', 'X-Padded: \t value \t\r\n'));
add('baseline', 'every tchar in a field name', get('/', "X-!#$%&'*+-.^_`|~09az: v\r\n"));
add('baseline', 'repeated ordinary field', get('/', 'X-Twice: 1\r\nX-Twice: 2\r\n'));
add('baseline', 'a hundred fields', get('/', Array.from({ length: 100 }, (_, i) => `X-F${i}: ${i}\r\n`).join('')));
add('baseline', 'head split in three reads', [`POST /v1/chat/completions HTTP/1.1\r\n${HOST}`, `Content-Length: ${JSON_BODY.length}\r\nContent-Type: app`, `lication/json\r\n\r\n${JSON_BODY}`]);
add('baseline', 'body arriving byte by byte', [post('abc').slice(0, -3), 'a', 'b', 'c']);
add('baseline', 'the end of the head in reads of its own', [post('xyz').slice(0, -7), '\r\n', '\r\n', 'xyz']);
add('baseline', 'Connection: close', get('/', 'Connection: close\r\n'));
add('baseline', 'a field the Connection header names', get('/', 'Connection: keep-alive, X-Hop\r\nX-Hop: secret\r\nX-Kept: yes\r\n'));
add('baseline', 'binary body', post('\x00\x01\xff\r\n\r\n0\r\n\r\n'));

// ---- Content-Length ---------------------------------------------------------------------------
add('content-length', 'two identical Content-Length fields', framed('Content-Length: 3\r\nContent-Length: 3\r\n', 'abc'));
add('content-length', 'two different Content-Length fields', framed('Content-Length: 3\r\nContent-Length: 4\r\n', 'abcd'));
add('content-length', 'a list of equal values', framed('Content-Length: 3, 3\r\n', 'abc'));
add('content-length', 'a plus sign', framed('Content-Length: +3\r\n', 'abc'));
add('content-length', 'a negative value', framed('Content-Length: -1\r\n', 'abc'));
add('content-length', 'hexadecimal', framed('Content-Length: 0x3\r\n', 'abc'));
add('content-length', 'leading zeros', framed('Content-Length: 003\r\n', 'abc'));
add('content-length', 'surrounding whitespace', framed('Content-Length:   3  \r\n', 'abc'));
add('content-length', 'a tab after the value', framed('Content-Length: 3\t\r\n', 'abc'));
add('content-length', 'an empty value', framed('Content-Length:\r\n', ''));
add('content-length', 'an underscore inside', framed('Content-Length: 1_0\r\n', 'abcdefghij'));
add('content-length', 'a value too large for any body', framed('Content-Length: 99999999999999999999\r\n', 'abc'));
add('content-length', 'a decimal point', framed('Content-Length: 3.0\r\n', 'abc'));
add('content-length', 'a body shorter than declared', framed('Content-Length: 10\r\n', 'abc'));
add('content-length', 'a body longer than declared: the rest is the next request', framed('Content-Length: 3\r\n', `abc${SMUGGLED}`));
add('content-length', 'the rest of a longer body is garbage', framed('Content-Length: 3\r\n', 'abcdefgh\r\n\r\n'));
add('content-length', 'zero with bytes after it', framed('Content-Length: 0\r\n', SMUGGLED));
add('content-length', 'on a GET', `GET / HTTP/1.1\r\n${HOST}Content-Length: 5\r\n\r\nhello`);

// ---- CL.TE, TE.CL, TE.TE ------------------------------------------------------------------------
add('cl-te', 'Content-Length and chunked', framed('Content-Length: 6\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\nX'));
add('cl-te', 'chunked and Content-Length', framed('Transfer-Encoding: chunked\r\nContent-Length: 3\r\n', '0\r\n\r\n'));
add('cl-te', 'Content-Length covering a smuggled request after the last chunk', framed('Content-Length: 60\r\nTransfer-Encoding: chunked\r\n', `0\r\n\r\n${SMUGGLED}`));
add('te-cl', 'chunked body longer than Content-Length says', framed('Transfer-Encoding: chunked\r\nContent-Length: 4\r\n', `5c\r\n${'G'.repeat(92)}\r\n0\r\n\r\n`));
add('te-te', 'chunked twice in one field', framed('Transfer-Encoding: chunked, chunked\r\n', '0\r\n\r\n'));
add('te-te', 'chunked in two fields', framed('Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'));
add('te-te', 'gzip then chunked', framed('Transfer-Encoding: gzip, chunked\r\n', '0\r\n\r\n'));
add('te-te', 'chunked then gzip', framed('Transfer-Encoding: chunked, gzip\r\n', '0\r\n\r\n'));
add('te-te', 'identity', framed('Transfer-Encoding: identity\r\n', 'abc'));
add('te-te', 'identity and Content-Length', framed('Transfer-Encoding: identity\r\nContent-Length: 3\r\n', 'abc'));
add('te-te', 'xchunked', framed('Transfer-Encoding: xchunked\r\n', '0\r\n\r\n'));
add('te-te', 'chunked with trailing whitespace', framed('Transfer-Encoding: chunked \r\n', '0\r\n\r\n'));
add('te-te', 'chunked with a trailing tab', framed('Transfer-Encoding: chunked\t\r\n', '0\r\n\r\n'));
add('te-te', 'mixed case', framed('TrAnSfEr-EnCoDiNg: ChUnKeD\r\n', '0\r\n\r\n'));
add('te-te', 'a space before the colon', framed('Transfer-Encoding : chunked\r\n', '0\r\n\r\n'));
add('te-te', 'a tab before the colon', framed('Transfer-Encoding\t: chunked\r\n', '0\r\n\r\n'));
add('te-te', 'a vertical tab before the value', framed('Transfer-Encoding:\x0bchunked\r\n', '0\r\n\r\n'));
add('te-te', 'a form feed before the value', framed('Transfer-Encoding:\x0cchunked\r\n', '0\r\n\r\n'));
add('te-te', 'quoted', framed('Transfer-Encoding: "chunked"\r\n', '0\r\n\r\n'));
add('te-te', 'chunked with a parameter', framed('Transfer-Encoding: chunked;q=1\r\n', '0\r\n\r\n'));
add('te-te', 'obs-folded value', framed('Transfer-Encoding:\r\n chunked\r\n', '0\r\n\r\n'));
add('te-te', 'an empty field then chunked', framed('Transfer-Encoding:\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'));
add('te-te', 'a look-alike name', framed('Transfer_Encoding: chunked\r\nContent-Length: 3\r\n', 'abc'));
add('te-te', 'with HTTP/1.0', `POST / HTTP/1.0\r\n${HOST}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);

// ---- chunk sizes and extensions -----------------------------------------------------------------
add('chunks', 'a valid chunked body', chunked('5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n'));
add('chunks', 'upper-case hex size', chunked('A\r\n0123456789\r\n0\r\n\r\n'));
add('chunks', 'leading zeros in a size', chunked('0005\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a 0x prefix', chunked('0x5\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a space after the size', chunked('5 \r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a tab after the size', chunked('5\t\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a space before the size', chunked(' 5\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a negative size', chunked('-5\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a size past 64 bits', chunked('1ffffffffffffffff\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a size that is not hex', chunked('g\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'an empty size line', chunked('\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'an extension', chunked('5;name=value\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'an extension without a value', chunked('5;name\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a quoted extension value', chunked('5;name="a b"\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a quoted extension with an escaped quote', chunked('5;n="a\\"b"\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'whitespace around an extension', chunked('5 ; name = value\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'an extension on the last chunk', chunked('5\r\nhello\r\n0;last=1\r\n\r\n'));
add('chunks', 'a bare CR inside an extension', chunked('5;a\rb\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a bare LF inside an extension', chunked('5;a\nb\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a NUL inside an extension', chunked('5;a\x00b\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'a bare LF after the size', chunked('5\nhello\r\n0\r\n\r\n'));
add('chunks', 'a bare LF after the data', chunked('5\r\nhello\n0\r\n\r\n'));
add('chunks', 'data longer than its size', chunked('3\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'data shorter than its size', chunked('8\r\nhello\r\n0\r\n\r\n'));
add('chunks', 'no CRLF after the data', chunked('5\r\nhello0\r\n\r\n'));
add('chunks', 'a last chunk written 00', chunked('5\r\nhello\r\n00\r\n\r\n'));
add('chunks', 'the last chunk without its final CRLF, then nothing', chunked('5\r\nhello\r\n0\r\n'));
add('chunks', 'the final CRLF in a read of its own', [chunked('5\r\nhello\r\n0\r\n'), '\r\n']);
add('chunks', 'a chunked body split at every boundary', [chunked('5\r'), '\nhel', 'lo\r\n0', '\r\n\r', '\n']);
add('chunks', 'a request after a valid chunked body', chunked(`5\r\nhello\r\n0\r\n\r\n${SMUGGLED}`));
add('chunks', 'a body of many small chunks', chunked(`${'1\r\nx\r\n'.repeat(200)}0\r\n\r\n`));

// ---- trailers -----------------------------------------------------------------------------------
add('trailers', 'one trailer field', chunked('5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n'));
add('trailers', 'two trailer fields', chunked('5\r\nhello\r\n0\r\nX-A: 1\r\nX-B: 2\r\n\r\n'));
add('trailers', 'Content-Length in the trailers', chunked('5\r\nhello\r\n0\r\nContent-Length: 50\r\n\r\n'));
add('trailers', 'Transfer-Encoding in the trailers', chunked('5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n'));
add('trailers', 'Host in the trailers', chunked('5\r\nhello\r\n0\r\nHost: evil.example\r\n\r\n'));
add('trailers', 'our identity fields in the trailers', chunked('5\r\nhello\r\n0\r\nX-LiteLLM-Tags: project:evil\r\nX-Interceptor-Project: evil\r\n\r\n'));
add('trailers', 'a trailer line with no colon, then a request', chunked(`5\r\nhello\r\n0\r\nno colon here\r\n\r\n${SMUGGLED}`));
add('trailers', 'an obs-folded trailer, then a request', chunked(`5\r\nhello\r\n0\r\nX-A: 1\r\n folded\r\n\r\n${SMUGGLED}`));
add('trailers', 'a control character in a trailer, then a request', chunked(`5\r\nhello\r\n0\r\nX-A: a\x01b\r\n\r\n${SMUGGLED}`));
add('trailers', 'a NUL in a trailer', chunked('5\r\nhello\r\n0\r\nX-A: a\x00b\r\n\r\n'));
add('trailers', 'a space before a trailer colon', chunked(`5\r\nhello\r\n0\r\nX-A : 1\r\n\r\n${SMUGGLED}`));
add('trailers', 'a bare LF ending a trailer', chunked(`5\r\nhello\r\n0\r\nX-A: 1\n\r\n${SMUGGLED}`));
add('trailers', 'a bare LF ending the trailer section', chunked(`5\r\nhello\r\n0\r\nX-A: 1\r\n\n${SMUGGLED}`));
add('trailers', 'an empty trailer name', chunked('5\r\nhello\r\n0\r\n: value\r\n\r\n'));
add('trailers', 'trailers split across reads', [chunked('5\r\nhello\r\n0\r\nX-A'), ': 1\r', '\n\r\n']);

// ---- folding, whitespace and field syntax -------------------------------------------------------
add('fields', 'an obs-folded field', get('/', 'X-A: 1\r\n folded\r\n'));
add('fields', 'an obs-fold by tab', get('/', 'X-A: 1\r\n\tfolded\r\n'));
add('fields', 'whitespace before the first field', `GET / HTTP/1.1\r\n X-A: 1\r\n${HOST}\r\n`);
add('fields', 'a space before a colon', get('/', 'X-A : 1\r\n'));
add('fields', 'a space inside a name', get('/', 'X A: 1\r\n'));
add('fields', 'an empty name', get('/', ': value\r\n'));
add('fields', 'a line of only spaces', get('/', '   \r\n'));
add('fields', 'a field line with no colon', get('/', 'NoColonHere\r\n'));
add('fields', 'a non-token character in a name', get('/', 'X-A(b): 1\r\n'));
add('fields', 'a UTF-8 name', get('/', 'X-\xc3\xa9: 1\r\n'));
add('fields', 'a colon-only line', get('/', ':\r\n'));

// ---- control characters -------------------------------------------------------------------------
add('ctl', 'NUL in a value', get('/', 'X-A: a\x00b\r\n'));
add('ctl', 'a control character in a value', get('/', 'X-A: a\x01b\r\n'));
add('ctl', 'DEL in a value', get('/', 'X-A: a\x7fb\r\n'));
add('ctl', 'ESC in a value', get('/', 'X-A: a\x1bb\r\n'));
add('ctl', 'NUL in a name', get('/', 'X-\x00A: 1\r\n'));
add('ctl', 'NUL in the target', get('/a\x00b'));
add('ctl', 'a control character in the target', get('/a\x01b'));
add('ctl', 'DEL in the target', get('/a\x7fb'));
add('ctl', 'NUL in the method', `G\x00T / HTTP/1.1\r\n${HOST}\r\n`);
add('ctl', 'NUL before the request', `\x00GET / HTTP/1.1\r\n${HOST}\r\n`);
add('ctl', 'NUL in an incomplete head', `GET / HTTP/1.1\r\nX-A: a\x00`);

// ---- bare CR and LF -----------------------------------------------------------------------------
add('bare-crlf', 'a request line ending in LF', `GET / HTTP/1.1\n${HOST}\r\n`);
add('bare-crlf', 'a field line ending in LF', `GET / HTTP/1.1\r\nHost: {HOST}\nX-A: 1\r\n\r\n`);
add('bare-crlf', 'a head of LF line endings only', 'GET / HTTP/1.1\nHost: {HOST}\n\n');
add('bare-crlf', 'a head ending in CRLF LF', `GET / HTTP/1.1\r\n${HOST}\n`);
add('bare-crlf', 'a bare CR inside a value', get('/', 'X-A: a\rb\r\n'));
add('bare-crlf', 'a bare CR ending a line', `GET / HTTP/1.1\r\nHost: {HOST}\rX-A: 1\r\n\r\n`);
add('bare-crlf', 'CR CR LF', `GET / HTTP/1.1\r\r\n${HOST}\r\n`);
add('bare-crlf', 'LF-only head with a body', 'POST / HTTP/1.1\nHost: {HOST}\nContent-Length: 3\n\nabc');
add('bare-crlf', 'an empty line before the request', `\r\n${get()}`);
add('bare-crlf', 'a bare LF before the request', `\n${get()}`);

// ---- Host ---------------------------------------------------------------------------------------
add('host', 'no Host field', 'GET / HTTP/1.1\r\nX-A: 1\r\n\r\n');
add('host', 'two Host fields', `GET / HTTP/1.1\r\n${HOST}${HOST}\r\n`, 400);
add('host', 'two different Host fields', `GET / HTTP/1.1\r\n${HOST}Host: evil.example\r\n\r\n`, 400);
add('host', 'an empty Host', 'GET / HTTP/1.1\r\nHost:\r\n\r\n', 403);
add('host', 'a foreign Host (DNS rebinding)', 'GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n', 403);
add('host', 'Host with trailing whitespace', 'GET / HTTP/1.1\r\nHost: {HOST}  \r\n\r\n');
add('host', 'an absolute-form target', `GET http://{HOST}/v1/models HTTP/1.1\r\n${HOST}\r\n`, 400);
add('host', 'an absolute-form target naming another host', `GET http://evil.example/v1/models HTTP/1.1\r\n${HOST}\r\n`, 400);
add('host', 'an authority-form target on GET', `GET {HOST} HTTP/1.1\r\n${HOST}\r\n`);
add('host', 'Host listed in Connection', get('/', 'Connection: host\r\n'));

// ---- pipelining ---------------------------------------------------------------------------------
add('pipelining', 'two GETs in one write', get('/a') + get('/b'));
add('pipelining', 'three requests in one write', get('/a') + post('xyz') + get('/c'));
add('pipelining', 'a POST, then a GET, split mid-head', [post('abc') + get('/b').slice(0, 10), get('/b').slice(10)]);
add('pipelining', 'a GET, then garbage', `${get('/a')}GARBAGE\r\n\r\n`);
add('pipelining', 'a GET, then half a request', `${get('/a')}GET /b HTTP/1.1\r\nHo`);
add('pipelining', 'a GET, then a chunked POST', get('/a') + chunked('3\r\nabc\r\n0\r\n\r\n'));
add('pipelining', 'a chunked POST, then a GET', chunked('3\r\nabc\r\n0\r\n\r\n') + get('/b'));
add('pipelining', 'a GET, then HTTP/1.0', `${get('/a')}GET /b HTTP/1.0\r\n${HOST}\r\n`);
add('pipelining', 'a GET with Connection: close, then another', get('/a', 'Connection: close\r\n') + get('/b'));
add('pipelining', 'a GET, then one with two Host fields', `${get('/a')}GET /b HTTP/1.1\r\n${HOST}${HOST}\r\n`, 400);

// ---- Expect -------------------------------------------------------------------------------------
add('expect', '100-continue with a body', [`POST / HTTP/1.1\r\n${HOST}Expect: 100-continue\r\nContent-Length: 3\r\n\r\n`, 'abc']);
add('expect', '100-continue in another case', [`POST / HTTP/1.1\r\n${HOST}Expect: 100-Continue\r\nContent-Length: 3\r\n\r\n`, 'abc']);
add('expect', 'an expectation nobody knows', `POST / HTTP/1.1\r\n${HOST}Expect: something\r\nContent-Length: 3\r\n\r\nabc`);
add('expect', '100-continue with no body', `GET / HTTP/1.1\r\n${HOST}Expect: 100-continue\r\n\r\n`);

// ---- Upgrade and CONNECT ------------------------------------------------------------------------
add('upgrade', 'a websocket upgrade', `GET /ws HTTP/1.1\r\n${HOST}Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
add('upgrade', 'Upgrade without Connection', get('/', 'Upgrade: websocket\r\n'));
add('upgrade', 'Connection: upgrade without Upgrade', get('/', 'Connection: upgrade\r\n'));
add('upgrade', 'an h2c upgrade', get('/', 'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n'));
add('upgrade', 'an upgrade with a body and a request after it', `POST / HTTP/1.1\r\n${HOST}Connection: Upgrade\r\nUpgrade: foo\r\nContent-Length: 3\r\n\r\nabc${SMUGGLED}`);
add('upgrade', 'CONNECT', `CONNECT 127.0.0.1:443 HTTP/1.1\r\n${HOST}\r\n`);
add('upgrade', 'the HTTP/2 connection preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

// ---- sizes --------------------------------------------------------------------------------------
add('sizes', 'a head just under 16 KiB', get('/', `X-Big: ${'a'.repeat(16 * 1024 - 200)}\r\n`));
add('sizes', 'a head over 16 KiB', get('/', `X-Big: ${'a'.repeat(17 * 1024)}\r\n`));
add('sizes', 'a head over 16 KiB in many reads', [get('/', `X-Big: ${'a'.repeat(9 * 1024)}`).slice(0, -4), 'a'.repeat(9 * 1024), '\r\n\r\n']);
add('sizes', 'a target over 16 KiB', get(`/${'a'.repeat(17 * 1024)}`));
add('sizes', '256 field lines', get('/', Array.from({ length: 255 }, (_, i) => `X-F${i}: 1\r\n`).join('')));
add('sizes', '257 field lines', get('/', Array.from({ length: 256 }, (_, i) => `X-F${i}: 1\r\n`).join('')), 431);
add('sizes', 'three thousand short field lines', get('/', 'a:\r\n'.repeat(3000)), 431);
add('sizes', 'a thousand field lines then ours would come', get('/', Array.from({ length: 1000 }, (_, i) => `X-F${i}: 1\r\n`).join('')), 431);
add('sizes', 'a long chunk extension', chunked(`5;${'x'.repeat(20000)}\r\nhello\r\n0\r\n\r\n`));
add('sizes', 'many trailer bytes', chunked(`5\r\nhello\r\n0\r\nX-T: ${'t'.repeat(20000)}\r\n\r\n`));

// ---- the request line ---------------------------------------------------------------------------
add('request-line', 'HTTP/1.0', `GET / HTTP/1.0\r\n${HOST}\r\n`);
add('request-line', 'HTTP/1.0 with keep-alive', `GET / HTTP/1.0\r\n${HOST}Connection: keep-alive\r\n\r\n${get('/b')}`);
add('request-line', 'HTTP/1.2', `GET / HTTP/1.2\r\n${HOST}\r\n`);
add('request-line', 'HTTP/2.0', `GET / HTTP/2.0\r\n${HOST}\r\n`);
add('request-line', 'HTTP/0.9 style', 'GET /\r\n\r\n', 403);
add('request-line', 'lower-case protocol', `GET / http/1.1\r\n${HOST}\r\n`);
add('request-line', 'a space after the version', `GET / HTTP/1.1 \r\n${HOST}\r\n`);
add('request-line', 'two spaces after the method', `GET  / HTTP/1.1\r\n${HOST}\r\n`);
add('request-line', 'a tab after the method', `GET\t/ HTTP/1.1\r\n${HOST}\r\n`);
add('request-line', 'a lower-case method', `get / HTTP/1.1\r\n${HOST}\r\n`);
add('request-line', 'an unknown method', `FOO / HTTP/1.1\r\n${HOST}\r\n`);
add('request-line', 'an unknown method with a body', `FOO / HTTP/1.1\r\n${HOST}Content-Length: 3\r\n\r\nabc`);
add('request-line', 'a WebDAV method', `PROPFIND / HTTP/1.1\r\n${HOST}\r\n`);
add('request-line', 'QUERY', `QUERY / HTTP/1.1\r\n${HOST}Content-Length: 2\r\n\r\n{}`);
add('request-line', 'a method with a tchar', `GE-T / HTTP/1.1\r\n${HOST}\r\n`);
add('request-line', 'OPTIONS *', `OPTIONS * HTTP/1.1\r\n${HOST}\r\n`, 400);
add('request-line', 'a target without a slash', get('index.html'));
add('request-line', 'a fragment in the target', get('/v1/models#frag'));
add('request-line', 'a backslash in the target', get('/v1\\models'));
add('request-line', 'a double quote in the target', get('/v1/"x"'));
add('request-line', 'braces and pipes in the target', get('/v1/{a}|b^c'));
add('request-line', 'UTF-8 bytes in the target', get('/caf\xc3\xa9'));
add('request-line', 'a percent-encoded CRLF in the target', get('/a%0d%0aX-Injected:%201'));
add('request-line', 'no target', `GET HTTP/1.1\r\n${HOST}\r\n`);
add('request-line', 'only a method', 'GET\r\n\r\n');
add('request-line', 'an empty request line', `\r\n\r\n`);

export const REQUEST_CASES: readonly RequestCase[] = cases;
