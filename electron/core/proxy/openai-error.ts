// Errors the proxy itself answers, in the shape OpenAI clients parse: {"error": {message, type, code}}.

export type ProxyErrorCode =
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'upstream_failed'
  | 'upstream_reset'
  | 'origin_not_allowed'
  | 'host_not_allowed'
  | 'invalid_request_target'
  | 'duplicate_host'
  | 'too_many_header_fields'
  | 'request_too_large'
  | 'invalid_request_body'
  | 'not_found';

const TYPE_OF: Record<ProxyErrorCode, string> = {
  upstream_unreachable: 'upstream_error',
  upstream_timeout: 'upstream_error',
  upstream_failed: 'upstream_error',
  upstream_reset: 'upstream_error',
  origin_not_allowed: 'permission_error',
  host_not_allowed: 'permission_error',
  invalid_request_target: 'invalid_request_error',
  duplicate_host: 'invalid_request_error',
  too_many_header_fields: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  invalid_request_body: 'invalid_request_error',
  not_found: 'invalid_request_error',
};

export interface OpenAiErrorBody {
  error: { message: string; type: string; code: ProxyErrorCode };
}

export function openAiError(code: ProxyErrorCode, message: string): OpenAiErrorBody {
  return { error: { message, type: TYPE_OF[code], code } };
}

/** The last SSE event of a stream the upstream broke off, so streaming clients raise an error. */
export function sseErrorEvent(code: ProxyErrorCode, message: string): string {
  return `event: error\ndata: ${JSON.stringify(openAiError(code, message))}\n\n`;
}
