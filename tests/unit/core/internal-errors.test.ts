import { describe, expect, it } from 'vitest';
import { errorWithCauses, formatInternalError, redactSecrets } from '../../../electron/core/internal-errors';

describe('redactSecrets', () => {
  it.each([
    ['a known secret anywhere', 'the key abcdefgh1234 leaked', ['abcdefgh1234'], 'the key [redacted] leaked'],
    ['a bearer credential', 'Authorization: Bearer eyJhbGciOi.x.y', [], 'Authorization: Bearer [redacted]'],
    ['a basic credential', 'authorization=Basic dXNlcjpwYXNz', [], 'authorization=Basic [redacted]'],
    ['an sk- key', 'upstream said: invalid key sk-live-1234567890abcdef', [], 'upstream said: invalid key sk-[redacted]'],
    ['a token in a URL', 'GET http://127.0.0.1:4312/?token=abc-DEF_123&x=1 failed', [], 'GET http://127.0.0.1:4312/?token=[redacted]&x=1 failed'],
    ['a token header', 'x-interceptor-token: 0123456789abcdef', [], 'x-interceptor-token: [redacted]'],
    ['a JSON api key field', '{"x-litellm-api-key":"s3cr3t-value"}', [], '{"x-litellm-api-key":"[redacted]"}'],
    ['nothing secret', 'ENOENT: no such file /home/me/a', [], 'ENOENT: no such file /home/me/a'],
    ['secrets too short to be safe to replace', 'an error in abc', ['abc'], 'an error in abc'],
  ])('redacts %s', (_label, text, secrets, expected) => {
    expect(redactSecrets(text, secrets)).toBe(expected);
  });
});

describe('formatInternalError', () => {
  it('gives where, the stack and the causes, redacted', () => {
    const cause = new Error('socket hang up with Bearer abc.def');
    const error = new Error('could not answer', { cause });
    const report = formatInternalError(error, 'dashboard API listMappings', ['never-shown-secret']);
    expect(report.where).toBe('dashboard API listMappings');
    expect(report.text).toMatch(/^dashboard API listMappings: Error: could not answer\n\s+at /);
    expect(report.text).toContain('caused by: Error: socket hang up with Bearer [redacted]');
  });

  it('describes what is thrown when it is not an Error', () => {
    expect(errorWithCauses('plain text')).toBe('plain text');
    expect(errorWithCauses({ code: 42 })).toBe('non-error thrown: {"code":42}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorWithCauses(cyclic)).toBe('non-error thrown: [object Object]');
    expect(errorWithCauses(undefined)).toBe('undefined thrown');
  });

  it('follows at most five causes', () => {
    let error = new Error('level 0');
    for (let level = 1; level < 10; level += 1) error = new Error(`level ${level}`, { cause: error });
    expect(errorWithCauses(error).match(/^(caused by: )?Error: level/gm)).toHaveLength(5);
  });
});
