import { describe, expect, it } from 'vitest';
import { ERROR_BODY_CAPTURE_BYTES, ErrorBodyCapture } from '../../../electron/core/proxy/error-body-capture';

describe('ErrorBodyCapture', () => {
  it('keeps only JSON error bodies without a content coding', () => {
    expect(ErrorBodyCapture.forResponse(200, 'application/json', undefined)).toBeUndefined();
    expect(ErrorBodyCapture.forResponse(401, 'text/html', undefined)).toBeUndefined();
    expect(ErrorBodyCapture.forResponse(401, undefined, undefined)).toBeUndefined();
    expect(ErrorBodyCapture.forResponse(401, 'application/json', 'gzip')).toBeUndefined();
    expect(ErrorBodyCapture.forResponse(401, 'application/json; charset=utf-8', undefined)?.status).toBe(401);
  });

  it('copies the bytes (the read buffer is reused) and stops at the limit', () => {
    const capture = ErrorBodyCapture.forResponse(400, 'application/json', undefined)!;
    const read = Buffer.from('xx{"error":');
    capture.add(read, 2, read.length);
    read.fill(0x41); // the next read overwrites the buffer
    const big = Buffer.alloc(ERROR_BODY_CAPTURE_BYTES * 2, 0x61);
    capture.add(big, 0, big.length);
    capture.add(Buffer.from('more'), 0, 4);
    const text = capture.text();
    expect(text.startsWith('{"error":')).toBe(true);
    expect(text).toHaveLength(ERROR_BODY_CAPTURE_BYTES);
    expect(text).not.toContain('more');
  });
});
