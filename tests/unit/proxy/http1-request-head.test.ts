import { describe, expect, it } from 'vitest';
import { connectionHas, fieldTokens, parseContentLength, parseFieldLines } from '../../../electron/core/proxy/http1/head-fields';
import { MAX_REQUEST_HEAD_BYTES, parseRequestHead, type RequestHead } from '../../../electron/core/proxy/http1/request-head';

/** A request head from its lines: CRLF between them and CRLF CRLF at the end, bytes as latin1. */
function head(...lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

function complete(buffer: Buffer): RequestHead {
  const result = parseRequestHead(buffer);
  if (result.status !== 'complete') throw new Error(`expected a complete head, got ${result.status}`);
  return result.head;
}

/** A head of exactly `size` bytes (final CRLF CRLF included), padded with an X-Pad field. */
function headOfSize(size: number): Buffer {
  const fixed = head('GET / HTTP/1.1', 'Host: h', 'X-Pad: ').length;
  return head('GET / HTTP/1.1', 'Host: h', `X-Pad: ${'a'.repeat(size - fixed)}`);
}

/** parseFieldLines over `lines` as a head's text (each line ending in CRLF), from line `from`. */
function fieldsOf(lines: string[], from: number): ReturnType<typeof parseFieldLines> {
  const text = lines.map((line) => `${line}\r\n`).join('');
  return parseFieldLines(text, lines.slice(0, from).reduce((length, line) => length + line.length + 2, 0));
}

describe('head-fields', () => {
  it('connectionHas finds an option among the Connection tokens, whatever their case and spacing', () => {
    expect(connectionHas(undefined, 'close')).toBe(false);
    expect(connectionHas('keep-alive', 'keep-alive')).toBe(true);
    expect(connectionHas('Keep-Alive', 'close')).toBe(false);
    expect(connectionHas('keep-alive, Close', 'close')).toBe(true);
    expect(connectionHas(' UPGRADE ,x', 'upgrade')).toBe(true);
    expect(connectionHas('closed', 'close')).toBe(false);
  });

  it('fieldTokens splits on commas, trims, lower-cases and drops empties', () => {
    expect(fieldTokens(undefined)).toEqual([]);
    expect(fieldTokens('')).toEqual([]);
    expect(fieldTokens('Keep-Alive, , Upgrade ,CLOSE')).toEqual(['keep-alive', 'upgrade', 'close']);
  });

  it('parseContentLength takes 1 to 15 digits and nothing else', () => {
    expect(parseContentLength('0')).toBe(0);
    expect(parseContentLength('0042')).toBe(42);
    expect(parseContentLength('999999999999999')).toBe(999_999_999_999_999);
    expect(parseContentLength('1000000000000000')).toBeUndefined();
    for (const bad of ['', ' 1', '1 ', '+1', '-1', '1.0', '0x10', '1,1', '1e3']) expect(parseContentLength(bad)).toBeUndefined();
  });

  it('parseFieldLines keeps names as received, trims values and joins the repeats of fields it acts on', () => {
    const fields = fieldsOf(['ignored request line', 'Content-Type: \t a \t', 'X-Empty:', 'content-type:b', 'CONTENT-TYPE:  c', 'Accept: x', 'accept: y'], 1);
    expect(fields?.raw).toEqual(['Content-Type', 'a', 'X-Empty', '', 'content-type', 'b', 'CONTENT-TYPE', 'c', 'Accept', 'x', 'accept', 'y']);
    expect(fields?.names).toEqual(['content-type', 'x-empty', 'content-type', 'content-type', 'accept', 'accept']);
    expect(fields?.contentType).toBe('a, b, c');
    expect(fields?.repeated).toEqual(new Set(['content-type']));
  });

  it('parseFieldLines picks out each field the proxy acts on, whatever its case', () => {
    const picked = {
      Host: 'host',
      ORIGIN: 'origin',
      'Sec-Fetch-Site': 'secFetchSite',
      Connection: 'connection',
      'Content-Length': 'contentLength',
      'Transfer-Encoding': 'transferEncoding',
      'Content-Type': 'contentType',
      'Content-Encoding': 'contentEncoding',
      Expect: 'expect',
      Upgrade: 'upgrade',
      Authorization: 'authorization',
      'X-LiteLLM-API-Key': 'litellmApiKey',
      'x-litellm-tags': 'tags',
      'X-Litellm-Spend-Logs-Metadata': 'spendLogsMetadata',
      'x-litellm-end-user-id': 'endUserId',
    } as const;
    const fields = fieldsOf(Object.keys(picked).map((name, i) => `${name}: v${i}`), 0);
    for (const [i, property] of Object.values(picked).entries()) expect(fields?.[property], property).toBe(`v${i}`);
    expect(fields?.repeated).toBeUndefined();
  });

  it('parseFieldLines reports no repeats when there are none, and nothing for no lines', () => {
    expect(fieldsOf(['A: 1', 'B: 2', 'a: 3'], 0)?.repeated).toBeUndefined();
    const none = fieldsOf(['request line'], 1);
    expect(none?.raw).toEqual([]);
    expect(none?.names).toEqual([]);
    expect(none?.repeated).toBeUndefined();
    expect(none?.host).toBeUndefined();
  });

  it('HeadFields.lines gives runs of field lines exactly as received, whitespace and CRLFs included', () => {
    const fields = fieldsOf(['request line', 'A:  spaced \t', 'B:x', 'C: 3'], 1);
    expect(fields?.lines(0, 3)).toBe('A:  spaced \t\r\nB:x\r\nC: 3\r\n');
    expect(fields?.lines(1, 2)).toBe('B:x\r\n');
    expect(fields?.lines(3, 3)).toBe('');
    expect(fields?.raw).toEqual(['A', 'spaced', 'B', 'x', 'C', '3']);
  });

  it('parseFieldLines refuses controls other than HTAB, and CR or LF outside a CRLF pair', () => {
    expect(fieldsOf(['GET / HTTP/1.1', 'A: b\tc', 'B: caf\u00e9 ~'], 1)?.raw).toEqual(['A', 'b\tc', 'B', 'caf\u00e9 ~']);
    for (const bad of ['A: b\nC: d', 'A: b\rc', 'A: b\r', '\nA: b', 'A: \u0000', 'A: \u0008', 'A: \u000b', 'A: \u000c', 'A: \u001b[0m', 'A: \u001f', 'A: \u007f']) {
      expect(fieldsOf(['GET / HTTP/1.1', 'X: ok', bad], 1), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('parseFieldLines refuses lines a lenient parser might read differently', () => {
    for (const line of [' folded', '\tfolded', 'Name : v', 'Name\t: v', ': v', 'no colon', 'N\u00e4me: v', 'Na\u0000me: v']) {
      expect(fieldsOf(['A: ok', line], 0), JSON.stringify(line)).toBeUndefined();
    }
  });
});

describe('parseRequestHead: complete heads', () => {
  it('reads a repeated Host, for the guard to refuse with 400', () => {
    const { fields } = complete(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\nHOST: b\r\n\r\n', 'latin1'));
    expect(fields.repeated?.has('host')).toBe(true);
  });

  it('reads method, target, raw headers, joined headers and the head length', () => {
    const buffer = head('POST /v1/chat/completions?stream=1 HTTP/1.1', 'Host: 127.0.0.1:8080', 'X-Custom:   spaced  value \t', 'Accept: a', 'accept: b');
    const parsed = complete(buffer);
    expect(parsed.method).toBe('POST');
    expect(parsed.target).toBe('/v1/chat/completions?stream=1');
    expect(parsed.fields.raw).toEqual(['Host', '127.0.0.1:8080', 'X-Custom', 'spaced  value', 'Accept', 'a', 'accept', 'b']);
    expect(parsed.fields.names).toEqual(['host', 'x-custom', 'accept', 'accept']);
    expect(parsed.fields.host).toBe('127.0.0.1:8080');
    expect(parsed.body).toEqual({ kind: 'none' });
    expect(parsed.close).toBe(false);
    expect(parsed.length).toBe(buffer.length);
  });

  it('counts only the head in `length`, not the body or a pipelined request after it', () => {
    const first = head('POST / HTTP/1.1', 'Host: h', 'Content-Length: 5');
    const buffer = Buffer.concat([first, Buffer.from('hello'), head('GET /next HTTP/1.1', 'Host: h')]);
    const parsed = complete(buffer);
    expect(parsed.length).toBe(first.length);
    expect(parsed.target).toBe('/');
    expect(parsed.body).toEqual({ kind: 'length', length: 5 });
  });

  it('accepts a head without header fields', () => {
    const parsed = complete(head('OPTIONS / HTTP/1.1'));
    expect(parsed).toMatchObject({ method: 'OPTIONS', target: '/', fields: { raw: [] }, body: { kind: 'none' }, length: 'OPTIONS / HTTP/1.1\r\n\r\n'.length });
  });

  it.each(['OPTIONS * HTTP/1.1', 'GET http://h/ HTTP/1.1', 'GET h:80 HTTP/1.1', 'GET index.html HTTP/1.1'])('leaves a target not in origin form to llhttp (%s)', (line) => {
    expect(parseRequestHead(head(line, 'Host: h')).status).toBe('unsupported');
  });

  it('decodes obs-text in values as latin1 and keeps empty values', () => {
    const parsed = complete(Buffer.concat([Buffer.from('GET / HTTP/1.1\r\nX-Name: caf'), Buffer.of(0xe9), Buffer.from('\r\nX-Empty:\r\n\r\n')]));
    expect(parsed.fields.raw).toEqual(['X-Name', 'caf\u00e9', 'X-Empty', '']);
  });

  it('reads Content-Length framing', () => {
    expect(complete(head('POST / HTTP/1.1', 'Content-Length: 42')).body).toEqual({ kind: 'length', length: 42 });
    expect(complete(head('POST / HTTP/1.1', 'content-length:  007 ')).body).toEqual({ kind: 'length', length: 7 });
    expect(complete(head('POST / HTTP/1.1', 'Content-Length: 999999999999999')).body).toEqual({ kind: 'length', length: 999_999_999_999_999 });
    expect(complete(head('POST / HTTP/1.1', 'Content-Length: 0')).body).toEqual({ kind: 'none' });
  });

  it('leaves every chunked body to llhttp, in any spelling', () => {
    for (const field of ['Transfer-Encoding: chunked', 'transfer-encoding:  Chunked ', 'Transfer-Encoding: gzip, chunked']) {
      expect(parseRequestHead(head('POST / HTTP/1.1', field)).status, field).toBe('unsupported');
    }
  });

  it('sets close when Connection lists close', () => {
    expect(complete(head('GET / HTTP/1.1', 'Connection: close')).close).toBe(true);
    expect(complete(head('GET / HTTP/1.1', 'Connection: keep-alive, Close')).close).toBe(true);
    expect(complete(head('GET / HTTP/1.1', 'Connection: keep-alive')).close).toBe(false);
    expect(complete(head('GET / HTTP/1.1', 'Connection: closed')).close).toBe(false);
  });

  it('joins repeated non-framing fields it acts on but keeps each raw', () => {
    const parsed = complete(head('GET / HTTP/1.1', 'Host: h', 'Origin: http://a', 'X-A: 1', 'origin: http://b', 'Cookie: a=1', 'cookie: b=2'));
    expect(parsed.fields.origin).toBe('http://a, http://b');
    expect(parsed.fields.raw).toEqual(['Host', 'h', 'Origin', 'http://a', 'X-A', '1', 'origin', 'http://b', 'Cookie', 'a=1', 'cookie', 'b=2']);
  });

  it('treats field names like __proto__ and constructor as plain fields', () => {
    const parsed = complete(head('GET / HTTP/1.1', 'Host: h', '__proto__: p', 'Constructor: c', 'toString: t', 'add: a', 'joined: j'));
    expect(parsed.fields.names).toEqual(['host', '__proto__', 'constructor', 'tostring', 'add', 'joined']);
    expect(parsed.fields.raw).toEqual(['Host', 'h', '__proto__', 'p', 'Constructor', 'c', 'toString', 't', 'add', 'a', 'joined', 'j']);
    expect(Object.getPrototypeOf(parsed.fields)).toBe(Object.getPrototypeOf(complete(head('GET / HTTP/1.1', 'Host: h')).fields));
    expect(parsed.fields.host).toBe('h');
  });
});

describe('parseRequestHead: incomplete heads', () => {
  it('is incomplete for every strict prefix of a head and complete for the whole', () => {
    const buffer = head('GET / HTTP/1.1', 'Host: h', 'Accept: */*');
    for (let end = 0; end < buffer.length; end += 1) {
      expect(parseRequestHead(buffer.subarray(0, end)), `prefix of ${end} bytes`).toEqual({ status: 'incomplete' });
    }
    expect(parseRequestHead(buffer).status).toBe('complete');
  });

  it('allows a head of exactly MAX_REQUEST_HEAD_BYTES and refuses one byte more', () => {
    expect(MAX_REQUEST_HEAD_BYTES).toBe(16 * 1024);
    const largest = headOfSize(MAX_REQUEST_HEAD_BYTES);
    expect(largest.length).toBe(MAX_REQUEST_HEAD_BYTES);
    expect(complete(largest).length).toBe(MAX_REQUEST_HEAD_BYTES);
    expect(parseRequestHead(headOfSize(MAX_REQUEST_HEAD_BYTES + 1))).toEqual({ status: 'unsupported' });
  });

  it('waits for an unterminated head up to the limit, then gives up on it', () => {
    const start = Buffer.from(`GET / HTTP/1.1\r\nX-Pad: ${'a'.repeat(MAX_REQUEST_HEAD_BYTES)}`);
    expect(parseRequestHead(start.subarray(0, MAX_REQUEST_HEAD_BYTES))).toEqual({ status: 'incomplete' });
    expect(parseRequestHead(start.subarray(0, MAX_REQUEST_HEAD_BYTES + 1))).toEqual({ status: 'unsupported' });
  });
});

describe('parseRequestHead: handed to http.Server', () => {
  const unsupported: [string, string[]][] = [
    ['HTTP/1.0', ['GET / HTTP/1.0', 'Host: h']],
    ['HTTP/2.0', ['GET / HTTP/2.0', 'Host: h']],
    ['lower-case version', ['GET / http/1.1', 'Host: h']],
    ['a leading empty line', ['', 'GET / HTTP/1.1', 'Host: h']],
    ['an extra space in the request line', ['GET /  HTTP/1.1', 'Host: h']],
    ['a trailing space in the request line', ['GET / HTTP/1.1 ', 'Host: h']],
    ['a tab as separator', ['GET\t/ HTTP/1.1', 'Host: h']],
    ['an empty method', [' / HTTP/1.1', 'Host: h']],
    ['a method that is not a token', ['GE(T / HTTP/1.1', 'Host: h']],
    ['an empty target', ['GET  HTTP/1.1', 'Host: h']],
    ['a control character in the target', ['GET /a\u0001b HTTP/1.1', 'Host: h']],
    ['DEL in the target', ['GET /a\u007f HTTP/1.1', 'Host: h']],
    ['obs-text in the target', ['GET /caf\u00e9 HTTP/1.1', 'Host: h']],
    ['a bare LF in the request line', ['GET / HTTP/1.1\nHost: h']],
    ['a bare CR in the request line', ['GET /\r HTTP/1.1', 'Host: h']],
    ['Expect', ['POST / HTTP/1.1', 'Host: h', 'Expect: 100-continue', 'Content-Length: 1']],
    ['Upgrade', ['GET / HTTP/1.1', 'Host: h', 'Upgrade: websocket']],
    ['Connection: upgrade', ['GET / HTTP/1.1', 'Host: h', 'Connection: keep-alive, Upgrade']],
    ['Content-Length with Transfer-Encoding', ['POST / HTTP/1.1', 'Host: h', 'Content-Length: 5', 'Transfer-Encoding: chunked']],
    ['Transfer-Encoding with Content-Length', ['POST / HTTP/1.1', 'Host: h', 'Transfer-Encoding: chunked', 'Content-Length: 0']],
    ['a repeated Content-Length, even identical', ['POST / HTTP/1.1', 'Host: h', 'Content-Length: 5', 'Content-Length: 5']],
    ['a repeated Transfer-Encoding', ['POST / HTTP/1.1', 'Host: h', 'Transfer-Encoding: chunked', 'Transfer-Encoding: chunked']],
    ['Transfer-Encoding gzip', ['POST / HTTP/1.1', 'Host: h', 'Transfer-Encoding: gzip']],
    ['Transfer-Encoding gzip, chunked', ['POST / HTTP/1.1', 'Host: h', 'Transfer-Encoding: gzip, chunked']],
    ['Transfer-Encoding chunked, chunked', ['POST / HTTP/1.1', 'Host: h', 'Transfer-Encoding: chunked, chunked']],
    ['an empty Transfer-Encoding', ['POST / HTTP/1.1', 'Host: h', 'Transfer-Encoding:']],
    ['a non-numeric Content-Length', ['POST / HTTP/1.1', 'Host: h', 'Content-Length: 5a']],
    ['a negative Content-Length', ['POST / HTTP/1.1', 'Host: h', 'Content-Length: -1']],
    ['a signed Content-Length', ['POST / HTTP/1.1', 'Host: h', 'Content-Length: +5']],
    ['a list as Content-Length', ['POST / HTTP/1.1', 'Host: h', 'Content-Length: 5, 5']],
    ['an empty Content-Length', ['POST / HTTP/1.1', 'Host: h', 'Content-Length:']],
    ['a 16-digit Content-Length', ['POST / HTTP/1.1', 'Host: h', 'Content-Length: 1000000000000000']],
    ['obs-fold', ['GET / HTTP/1.1', 'Host: h', 'X-A: one', ' two']],
    ['obs-fold with a tab', ['GET / HTTP/1.1', 'Host: h', 'X-A: one', '\ttwo']],
    ['a bare LF in a field', ['GET / HTTP/1.1', 'Host: h', 'X-A: one\nX-B: two']],
    ['a bare LF ending a field', ['GET / HTTP/1.1', 'Host: h', 'X-A: one\n']],
    ['a bare CR in a field', ['GET / HTTP/1.1', 'Host: h', 'X-A: one\rtwo']],
    ['NUL in a value', ['GET / HTTP/1.1', 'Host: h', 'X-A: a\u0000b']],
    ['ESC in a value', ['GET / HTTP/1.1', 'Host: h', 'X-A: \u001b[31m']],
    ['DEL in a value', ['GET / HTTP/1.1', 'Host: h', 'X-A: a\u007f']],
    ['a space before the colon', ['GET / HTTP/1.1', 'Host : h']],
    ['a tab before the colon', ['GET / HTTP/1.1', 'Host\t: h']],
    ['a line without a colon', ['GET / HTTP/1.1', 'Host: h', 'X-A']],
    ['an empty field name', ['GET / HTTP/1.1', 'Host: h', ': v']],
    ['a field name that is not a token', ['GET / HTTP/1.1', 'Host: h', 'X(A): v']],
  ];

  it.each(unsupported)('refuses %s', (_, lines) => {
    expect(parseRequestHead(head(...lines))).toEqual({ status: 'unsupported' });
  });

  it('refuses a bare LF before the blank line, not just waits', () => {
    expect(parseRequestHead(Buffer.from('GET / HTTP/1.1\r\nHost: h\n\r\n\r\n'))).toEqual({ status: 'unsupported' });
  });
});
