// What the client is told when the upstream cannot give an answer: the same words whichever
// forwarding path (raw sockets or node:http) met the failure.
import { systemErrorCode } from '../errors';
import type { ProxyErrorCode } from './openai-error';
import type { ProxyConfig } from './proxy-options';

export interface ProxyFailure {
  status: number;
  code: ProxyErrorCode;
  message: string;
}

/** Connection errors that mean "nothing listens there" rather than "it broke". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT']);
/** Certificate and handshake failures of an https target. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|EPROTO$)/;

export function errorCodeOf(error: unknown): string | undefined {
  const code = systemErrorCode(error);
  if (code) return code;
  // Both address families failed (autoSelectFamily): the first attempt's code says it.
  const errors = (error as { errors?: unknown[] } | null)?.errors;
  return Array.isArray(errors) ? systemErrorCode(errors[0]) : undefined;
}

/** The upstream connection failed before any response came. */
export function connectionFailure(error: Error, target: string): ProxyFailure {
  const code = errorCodeOf(error);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return {
      status: 502,
      code: 'upstream_unreachable',
      message: `cannot reach LiteLLM at ${target} (${code}): is it running? Set TARGET_LLM_URL if it listens elsewhere`,
    };
  }
  if (code !== undefined && TLS_CODE.test(code)) {
    return {
      status: 502,
      code: 'upstream_failed',
      message: `TLS connection to LiteLLM at ${target} failed (${code}): is its certificate trusted? (NODE_EXTRA_CA_CERTS adds a CA)`,
    };
  }
  // Node's parser (llhttp) refused what came: an answer, but not one that can be relayed.
  if (code?.startsWith('HPE_') === true) return unrelayableResponse(target, `${code}: ${error.message}`);
  return closedWithoutAnswer(target, code ?? error.message);
}

export function closedWithoutAnswer(target: string, why: string): ProxyFailure {
  return { status: 502, code: 'upstream_failed', message: `LiteLLM at ${target} closed the connection without answering (${why})` };
}

export function unrelayableResponse(target: string, why: string): ProxyFailure {
  return { status: 502, code: 'upstream_failed', message: `LiteLLM at ${target} sent a response that cannot be relayed (${why})` };
}

export function upstreamTimeout(config: ProxyConfig): ProxyFailure {
  const seconds = Math.round(config.upstreamTimeoutMs / 100) / 10;
  return { status: 504, code: 'upstream_timeout', message: `LiteLLM at ${config.target.url} did not answer within ${seconds} s` };
}

export function requestTooLarge(config: ProxyConfig): ProxyFailure {
  return { status: 413, code: 'request_too_large', message: `request body is larger than the limit of ${config.bodyLimitBytes} bytes` };
}

export function streamBrokeOffMessage(target: string): string {
  return `LiteLLM at ${target} closed the stream before it ended`;
}
