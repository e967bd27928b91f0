// Small facts about a message that both forwarding paths (raw sockets and node:http) need.
import { pathEnd } from './target-url';

/** A server-sent-events response: streamed, and a broken one ends with our own error event. */
export function isEventStream(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.toLowerCase().startsWith('text/event-stream');
}

export function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  // What nearly every client sends, answered without running a regular expression per request.
  return contentType === 'application/json' || /json/i.test(contentType);
}

/** Path only: query strings can carry keys and never reach the request log. */
export function pathOnly(url: string): string {
  return url.slice(0, pathEnd(url));
}

/** The client brought its own LiteLLM key (Authorization or x-litellm-api-key): ours is never added then. */
export function sendsCredentials(authorization: string | string[] | undefined, litellmApiKey: string | string[] | undefined): boolean {
  return authorization !== undefined || litellmApiKey !== undefined;
}
