import { describe, expect, it } from 'vitest';
import { MAX_RESPONSE_HEAD_BYTES, parseResponseHead, type ResponseHead } from '../../../electron/core/proxy/http1/response-head';

/** A response head from its lines: CRLF between them and CRLF CRLF at the end, bytes as latin1. */
function head(...lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

function complete(buffer: Buffer, method = 'GET', offset = 0): ResponseHead {
  const result = parseResponseHead(buffer, offset, method);
  if (result.status !== 'complete') throw new Error(`expected a complete head, got ${JSON.stringify(result)}`);
  return result.head;
}

/** A head of exactly `size` bytes (final CRLF CRLF included), padded with an X-Pad field. */
function headOfSize(size: number): Buffer {
  const fixed = head('HTTP/1.1 200 OK', 'Content-Length: 0', 'X-Pad: ').length;
  return head('HTTP/1.1 200 OK', 'Content-Length: 0', `X-Pad: ${'a'.repeat(size - fixed)}`);
}

describe('parseResponseHead: complete heads', () => {
  it('reads status, reason, raw headers, joined headers, body and head length', () => {
    const buffer = head('HTTP/1.1 200 OK', 'Content-Type:  text/event-stream \t', 'Content-Length: 12', 'Set-Cookie: a=1', 'set-cookie: b=2');
    const parsed = complete(buffer);
    expect(parsed.status).toBe(200);
    expect(parsed.reason).toBe('OK');
    expect(parsed.fields.raw).toEqual(['Content-Type', 'text/event-stream', 'Content-Length', '12', 'Set-Cookie', 'a=1', 'set-cookie', 'b=2']);
    expect(parsed.fields.names).toEqual(['content-type', 'content-length', 'set-cookie', 'set-cookie']);
    expect(parsed.fields).toMatchObject({ contentType: 'text/event-stream', contentLength: '12' });
    expect(parsed.body).toEqual({ kind: 'length', length: 12 });
    expect(parsed.reusable).toBe(true);
    expect(parsed.length).toBe(buffer.length);
  });

  it('keeps the reason phrase as sent, spaces and obs-text included, or empty', () => {
    expect(complete(head('HTTP/1.1 404 Not  Found Here', 'Content-Length: 0')).reason).toBe('Not  Found Here');
    expect(complete(Buffer.concat([Buffer.from('HTTP/1.1 200 Tr'), Buffer.of(0xe8), Buffer.from('s bien\r\nContent-Length: 0\r\n\r\n')])).reason).toBe('Tr\u00e8s bien');
    expect(complete(head('HTTP/1.1 200', 'Content-Length: 0')).reason).toBe('');
    expect(complete(head('HTTP/1.1 200 ', 'Content-Length: 0')).reason).toBe('');
  });

  it('parses at `offset` and measures the head from there', () => {
    const response = head('HTTP/1.1 201 Created', 'Content-Length: 3');
    const buffer = Buffer.concat([Buffer.from('previous body'), response, Buffer.from('abc')]);
    const parsed = complete(buffer, 'POST', 'previous body'.length);
    expect(parsed.status).toBe(201);
    expect(parsed.length).toBe(response.length);
    expect(parsed.body).toEqual({ kind: 'length', length: 3 });
  });

  it('reads an informational head and the final head after it', () => {
    const informational = head('HTTP/1.1 103 Early Hints', 'Link: </a.css>; rel=preload');
    const buffer = Buffer.concat([informational, head('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked')]);
    const first = complete(buffer);
    expect(first).toMatchObject({ status: 103, reason: 'Early Hints', body: { kind: 'none' }, length: informational.length });
    const second = complete(buffer, 'GET', first.length);
    expect(second).toMatchObject({ status: 200, body: { kind: 'chunked' }, length: buffer.length - informational.length });
  });

  it('is incomplete for every strict prefix and when only an earlier head is complete', () => {
    const buffer = head('HTTP/1.1 200 OK', 'Content-Length: 2');
    for (let end = 0; end < buffer.length; end += 1) {
      expect(parseResponseHead(buffer.subarray(0, end), 0, 'GET'), `prefix of ${end} bytes`).toEqual({ status: 'incomplete' });
    }
    const withNext = Buffer.concat([buffer, Buffer.from('HTTP/1.1 200 OK\r\n')]);
    expect(parseResponseHead(withNext, buffer.length, 'GET')).toEqual({ status: 'incomplete' });
  });
});

describe('parseResponseHead: body framing', () => {
  it('reads chunked framing, in any case', () => {
    expect(complete(head('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked')).body).toEqual({ kind: 'chunked' });
    expect(complete(head('HTTP/1.1 200 OK', 'transfer-encoding:  Chunked ')).body).toEqual({ kind: 'chunked' });
  });

  it('refuses Transfer-Encoding with Content-Length, as strict clients do (RFC 9112 §6.3)', () => {
    for (const fields of [['Content-Length: 10', 'Transfer-Encoding: chunked'], ['Transfer-Encoding: chunked', 'Content-Length: 0'], ['Transfer-Encoding: gzip', 'Content-Length: 10']]) {
      expect(parseResponseHead(head('HTTP/1.1 200 OK', ...fields), 0, 'GET')).toEqual({ status: 'invalid', reason: 'both Transfer-Encoding and Content-Length' });
    }
    expect(complete(head('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked')).reusable).toBe(true);
  });

  it('reads a body of Content-Length bytes, none for 0', () => {
    expect(complete(head('HTTP/1.1 200 OK', 'Content-Length: 999999999999999')).body).toEqual({ kind: 'length', length: 999_999_999_999_999 });
    expect(complete(head('HTTP/1.1 200 OK', 'Content-Length: 0'))).toMatchObject({ body: { kind: 'none' }, reusable: true });
  });

  it('accepts a repeated identical Content-Length', () => {
    const parsed = complete(head('HTTP/1.1 200 OK', 'Content-Length: 5', 'content-length: 5'));
    expect(parsed.body).toEqual({ kind: 'length', length: 5 });
    expect(parsed.fields.raw).toEqual(['Content-Length', '5', 'content-length', '5']);
  });

  it('refuses a repeated differing Content-Length', () => {
    expect(parseResponseHead(head('HTTP/1.1 200 OK', 'Content-Length: 5', 'Content-Length: 6'), 0, 'GET')).toEqual({ status: 'invalid', reason: 'invalid Content-Length' });
    expect(parseResponseHead(head('HTTP/1.1 200 OK', 'Content-Length: 5', 'Content-Length: 5, 6'), 0, 'GET')).toEqual({ status: 'invalid', reason: 'invalid Content-Length' });
  });

  it.each(['abc', '-1', '+1', '', '1.5', '0x10', '1000000000000000'])('refuses Content-Length %j', (value) => {
    expect(parseResponseHead(head('HTTP/1.1 200 OK', `Content-Length: ${value}`), 0, 'GET')).toEqual({ status: 'invalid', reason: 'invalid Content-Length' });
  });

  it('reads a body without length or chunking as running to the close', () => {
    expect(complete(head('HTTP/1.1 200 OK', 'Content-Type: text/plain'))).toMatchObject({ body: { kind: 'close' }, reusable: false });
  });

  it('reads a transfer coding other than chunked as running to the close', () => {
    expect(complete(head('HTTP/1.1 200 OK', 'Transfer-Encoding: gzip'))).toMatchObject({ body: { kind: 'close' }, reusable: false });
    expect(complete(head('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked, gzip'))).toMatchObject({ body: { kind: 'close' }, reusable: false });
  });

  it.each(['gzip, chunked', 'chunked, chunked'])('reads Transfer-Encoding %j as chunked framing, as llhttp does (chunked is last)', (value) => {
    expect(complete(head('HTTP/1.1 200 OK', `Transfer-Encoding: ${value}`))).toMatchObject({ body: { kind: 'chunked' } });
  });

  it('reads chunked last in a repeated Transfer-Encoding as chunked framing', () => {
    expect(complete(head('HTTP/1.1 200 OK', 'Transfer-Encoding: gzip', 'Transfer-Encoding: chunked'))).toMatchObject({ body: { kind: 'chunked' } });
  });

  it('has no body for a HEAD request, whatever the framing headers say', () => {
    expect(complete(head('HTTP/1.1 200 OK', 'Content-Length: 100'), 'HEAD')).toMatchObject({ body: { kind: 'none' }, reusable: true });
    expect(complete(head('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked'), 'HEAD')).toMatchObject({ body: { kind: 'none' }, reusable: true });
    expect(complete(head('HTTP/1.1 200 OK'), 'HEAD')).toMatchObject({ body: { kind: 'none' }, reusable: true });
    // The same heads answering a GET do have bodies: the method is what decides.
    expect(complete(head('HTTP/1.1 200 OK', 'Content-Length: 100'), 'GET').body).toEqual({ kind: 'length', length: 100 });
  });

  it.each([100, 102, 103, 199, 204, 304])('has no body for status %i', (status) => {
    expect(complete(head(`HTTP/1.1 ${status} X`, 'Content-Length: 100'))).toMatchObject({ status, body: { kind: 'none' }, reusable: true });
    expect(complete(head(`HTTP/1.1 ${status} X`, 'Transfer-Encoding: chunked')).body).toEqual({ kind: 'none' });
    expect(complete(head(`HTTP/1.1 ${status} X`))).toMatchObject({ body: { kind: 'none' }, reusable: true });
  });

  it.each([200, 205, 299, 404, 500])('has a body for status %i', (status) => {
    expect(complete(head(`HTTP/1.1 ${status} X`, 'Content-Length: 1')).body).toEqual({ kind: 'length', length: 1 });
  });
});

describe('parseResponseHead: connection reuse', () => {
  it('reuses an HTTP/1.1 connection unless Connection lists close', () => {
    expect(complete(head('HTTP/1.1 200 OK', 'Content-Length: 1')).reusable).toBe(true);
    expect(complete(head('HTTP/1.1 200 OK', 'Content-Length: 1', 'Connection: keep-alive')).reusable).toBe(true);
    expect(complete(head('HTTP/1.1 200 OK', 'Content-Length: 1', 'Connection: close')).reusable).toBe(false);
    expect(complete(head('HTTP/1.1 200 OK', 'Content-Length: 1', 'Connection: keep-alive, Close')).reusable).toBe(false);
    expect(complete(head('HTTP/1.1 204 No Content', 'Connection: close')).reusable).toBe(false);
  });

  it('reuses an HTTP/1.0 connection only with keep-alive', () => {
    expect(complete(head('HTTP/1.0 200 OK', 'Content-Length: 1'))).toMatchObject({ body: { kind: 'length', length: 1 }, reusable: false });
    expect(complete(head('HTTP/1.0 200 OK', 'Content-Length: 1', 'Connection: Keep-Alive')).reusable).toBe(true);
    // Keep-alive cannot save a body that runs to the close.
    expect(complete(head('HTTP/1.0 200 OK', 'Connection: keep-alive'))).toMatchObject({ body: { kind: 'close' }, reusable: false });
  });

  // RFC 9112 §9.6: after the close option, no more requests on that connection, whatever else it lists.
  it('does not reuse an HTTP/1.0 connection whose Connection also lists close', () => {
    expect(complete(head('HTTP/1.0 200 OK', 'Content-Length: 1', 'Connection: keep-alive, close')).reusable).toBe(false);
  });

  // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message is faulty framing; the connection closes after it.
  it('never reuses an HTTP/1.0 connection after a response with Transfer-Encoding', () => {
    const result = parseResponseHead(head('HTTP/1.0 200 OK', 'Transfer-Encoding: chunked', 'Connection: keep-alive'), 0, 'GET');
    expect(result.status === 'invalid' || (result.status === 'complete' && !result.head.reusable)).toBe(true);
  });
});

describe('parseResponseHead: invalid heads', () => {
  it.each([
    ['HTTP/1.1 99 Low'],
    ['HTTP/1.1 099 Low'],
    ['HTTP/1.1 2000 OK'],
    ['HTTP/1.1 20 OK'],
    ['HTTP/1.1 2OO OK'],
    ['HTTP/1.1  200 OK'],
    ['HTTP/1.1 200OK'],
    ['HTTP/1.2 200 OK'],
    ['HTTP/2 200 OK'],
    ['http/1.1 200 OK'],
    [' HTTP/1.1 200 OK'],
    [''],
  ])('refuses the status line %j', (line) => {
    expect(parseResponseHead(head(line, 'Content-Length: 0'), 0, 'GET')).toEqual({ status: 'invalid', reason: 'malformed status line' });
  });

  it.each([
    ['a control character in the reason', 'HTTP/1.1 200 OK\u0001\r\n'],
    ['DEL in the reason', 'HTTP/1.1 200 OK\u007f\r\n'],
    ['a bare CR in the reason', 'HTTP/1.1 200 O\rK\r\n'],
    ['a bare LF ending the status line', 'HTTP/1.1 200 OK\n'],
  ])('refuses a status line with %s', (_, line) => {
    expect(parseResponseHead(Buffer.from(`${line}Content-Length: 0\r\n\r\n`, 'latin1'), 0, 'GET').status).toBe('invalid');
  });

  it.each([
    ['obs-fold', ' folded'],
    ['a bare LF', 'X-A: a\nX-B: b'],
    ['a bare CR', 'X-A: a\rb'],
    ['NUL', 'X-A: a\u0000'],
    ['ESC', 'X-A: \u001b[0m'],
    ['DEL', 'X-A: a\u007f'],
    ['a bare CR ending it', 'X-A: a\r'],
    ['a space before the colon', 'X-A : a'],
    ['no colon', 'X-A'],
    ['an empty name', ': a'],
  ])('refuses a header field with %s', (_, line) => {
    const result = parseResponseHead(head('HTTP/1.1 200 OK', 'Content-Length: 0', line), 0, 'GET');
    expect(result.status).toBe('invalid');
    expect((result as { reason: string }).reason).toMatch(/^(malformed header field|a bare CR or LF, or a control character, in the response head)$/);
  });

  it('refuses a head with a bare LF at once, before any blank line arrives', () => {
    expect(parseResponseHead(Buffer.from('HTTP/1.1 200 OK\nContent-Length: 0\n', 'latin1'), 0, 'GET')).toMatchObject({ status: 'invalid' });
  });

  it('allows a head of exactly MAX_RESPONSE_HEAD_BYTES and refuses one byte more', () => {
    expect(MAX_RESPONSE_HEAD_BYTES).toBe(64 * 1024);
    const largest = headOfSize(MAX_RESPONSE_HEAD_BYTES);
    expect(largest.length).toBe(MAX_RESPONSE_HEAD_BYTES);
    expect(complete(largest).length).toBe(MAX_RESPONSE_HEAD_BYTES);
    expect(parseResponseHead(headOfSize(MAX_RESPONSE_HEAD_BYTES + 1), 0, 'GET')).toEqual({ status: 'invalid', reason: 'response head too large' });
  });

  it('measures the limit from `offset`', () => {
    const prefix = Buffer.alloc(1000, 'x');
    const largest = Buffer.concat([prefix, headOfSize(MAX_RESPONSE_HEAD_BYTES)]);
    expect(complete(largest, 'GET', prefix.length).length).toBe(MAX_RESPONSE_HEAD_BYTES);
    const tooLarge = Buffer.concat([prefix, headOfSize(MAX_RESPONSE_HEAD_BYTES + 1)]);
    expect(parseResponseHead(tooLarge, prefix.length, 'GET')).toEqual({ status: 'invalid', reason: 'response head too large' });
  });

  it('waits for an unterminated head up to the limit, then refuses it', () => {
    const start = Buffer.from(`HTTP/1.1 200 OK\r\nX-Pad: ${'a'.repeat(MAX_RESPONSE_HEAD_BYTES)}`);
    expect(parseResponseHead(start.subarray(0, MAX_RESPONSE_HEAD_BYTES), 0, 'GET')).toEqual({ status: 'incomplete' });
    expect(parseResponseHead(start.subarray(0, MAX_RESPONSE_HEAD_BYTES + 1), 0, 'GET')).toEqual({ status: 'invalid', reason: 'response head too large' });
    const shifted = Buffer.concat([Buffer.from('body'), start.subarray(0, MAX_RESPONSE_HEAD_BYTES)]);
    expect(parseResponseHead(shifted, 4, 'GET')).toEqual({ status: 'incomplete' });
  });
});
