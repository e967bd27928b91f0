// The tag-routing body is the one the real LiteLLM 1.100.1 answered with; tests/litellm/failures.test.ts
// reproduces it, the key without rights to a model and the expired key end to end. The others are
// built from LiteLLM's source (auth_checks.py, _types.py): reproducing them needs its database.
import { describe, expect, it } from 'vitest';
import { classifyUpstreamError, describeUpstreamProblem } from '../../../electron/core/litellm/upstream-problem';

const body = (message: string, type = 'None', code = '401') => JSON.stringify({ error: { message, type, param: 'None', code } });

describe('classifyUpstreamError', () => {
  it('recognises tag routing with no default deployment', () => {
    const problem = classifyUpstreamError(401, body("Not allowed to access model due to tags configuration. Passed model=fake-gpt and tags=['project:shop-1a2b3c']"));
    expect(problem?.kind).toBe('tag-routing');
    expect(problem?.fix).toContain('"default"');
    expect(problem?.fix).toContain("Interceptor's settings");
  });

  it('recognises a project tag over its budget', () => {
    const message = 'Budget has been exceeded! Tag=project:shop-1a2b3c Current cost: 10.5, Max budget: 10.0';
    expect(classifyUpstreamError(400, body(message, 'budget_exceeded', '400'))?.kind).toBe('tag-budget');
  });

  it('recognises a key that may not use the model', () => {
    const message = 'key not allowed to access model. This key can only access models=[\'fake-claude\']. Tried to access fake-gpt';
    expect(classifyUpstreamError(401, body(message, 'key_model_access_denied'))?.kind).toBe('key-model-access');
    expect(classifyUpstreamError(403, body(message, 'team_model_access_denied', '403'))?.kind).toBe('key-model-access');
  });

  it('recognises a rejected key', () => {
    expect(classifyUpstreamError(401, body('Authentication Error, Invalid proxy server token passed.', 'auth_error'))?.kind).toBe('key-rejected');
    expect(classifyUpstreamError(401, body('Authentication Error - Expired Key.', 'expired_key'))?.kind).toBe('key-rejected');
  });

  it('leaves everything else alone', () => {
    expect(classifyUpstreamError(200, body("Not allowed to access model due to tags configuration"))).toBeUndefined();
    expect(classifyUpstreamError(429, body('Rate limit reached', 'throttling_error', '429'))).toBeUndefined();
    expect(classifyUpstreamError(500, '{"error":{"message":"Internal server error","type":"internal_server_error"}}')).toBeUndefined();
    expect(classifyUpstreamError(400, body('No connected db.', 'no_db_connection', '400'))).toBeUndefined();
    for (const text of ['', 'not json', '[]', 'null', '{"error":"text"}', '{"error":{"message":5}}', '{"detail":"x"}']) {
      expect(classifyUpstreamError(401, text)).toBeUndefined();
    }
  });

  it('says what to change without repeating what LiteLLM quoted from the request', () => {
    const problem = classifyUpstreamError(401, body("Not allowed to access model due to tags configuration. Passed model=secret-model and tags=['project:x']"));
    const line = describeUpstreamProblem(problem!);
    expect(line).toMatch(/^LiteLLM refused .*\. Fix: .*\.$/);
    expect(line).not.toContain('secret-model');
  });
});
