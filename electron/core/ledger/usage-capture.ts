// The ledger's scanner on the proxy's path. The proxy hands it each response body piece after the
// piece was written to the client (it never delays a byte) and it copies only a bounded part: a JSON
// answer up to a sniff limit, or the first and last bytes of an event stream. Everything is parsed
// once, later, when facts() is first asked for (by the ledger's writer, off the request path); the
// kept bytes are dropped then.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { HeadKeeper, TailKeeper } from './byte-keepers';
import { usageFromEventStream, usageFromJson, type BodyUsage } from './usage-from-body';
import { money } from './usage-object';
import { NO_USAGE, type UsageFacts } from './usage-facts';

/** A JSON answer longer than this is recorded without tokens (its cost header still counts). */
export const JSON_SNIFF_LIMIT = 512 * 1024;
/** An event stream's first bytes: Anthropic's message_start (input tokens) is the first event. */
export const STREAM_HEAD_BYTES = 8 * 1024;
/** An event stream's last bytes: the usage chunk, response.completed or message_delta. */
export const STREAM_TAIL_BYTES = 64 * 1024;

export type BodyKind = 'json' | 'event-stream' | 'other';

/** The response headers LiteLLM adds (see get_custom_headers in its common_request_processing.py). */
export interface LiteLLMHeaders {
  responseCost?: string;
  callId?: string;
  modelId?: string;
  version?: string;
  contentEncoding?: string;
}

/** Picks LiteLLM's headers out of name/value pairs (names in any case). */
export function litellmHeaders(pairs: Iterable<readonly [string, unknown]>): LiteLLMHeaders {
  const out: LiteLLMHeaders = {};
  for (const [rawName, rawValue] of pairs) {
    const value = Array.isArray(rawValue) ? String(rawValue[0]) : typeof rawValue === 'string' ? rawValue : undefined;
    if (value === undefined) continue;
    switch (rawName.toLowerCase()) {
      case 'x-litellm-response-cost':
        out.responseCost = value;
        break;
      case 'x-litellm-call-id':
        out.callId = value;
        break;
      case 'x-litellm-model-id':
        out.modelId = value;
        break;
      case 'x-litellm-version':
        out.version = value;
        break;
      case 'content-encoding':
        out.contentEncoding = value;
        break;
      default:
    }
  }
  return out;
}

/** Header values end up in rows and UIs: printable ASCII, bounded. */
function cleanId(value: string | undefined): string | null {
  if (value === undefined) return null;
  const clean = value.replace(/[^\x21-\x7e]+/g, '').slice(0, 200);
  return clean === '' ? null : clean;
}

function decoded(bytes: Buffer, encoding: string | undefined): Buffer | undefined {
  const coding = encoding?.trim().toLowerCase();
  if (coding === undefined || coding === '' || coding === 'identity') return bytes;
  const options = { maxOutputLength: JSON_SNIFF_LIMIT * 8 };
  try {
    if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(bytes, options);
    if (coding === 'deflate') return inflateSync(bytes, options);
    if (coding === 'br') return brotliDecompressSync(bytes, options);
  } catch {
    return undefined;
  }
  return undefined;
}

export class UsageCapture {
  private json: HeadKeeper | undefined;
  private head: HeadKeeper | undefined;
  private tail: TailKeeper | undefined;
  private result: UsageFacts | undefined;

  /** `headers`: read when the facts are asked for, so the proxy does no header work per response. */
  constructor(
    readonly kind: BodyKind,
    private readonly headers: () => LiteLLMHeaders,
  ) {
    if (kind === 'json') this.json = new HeadKeeper(JSON_SNIFF_LIMIT);
    else if (kind === 'event-stream') {
      this.head = new HeadKeeper(STREAM_HEAD_BYTES);
      this.tail = new TailKeeper(STREAM_TAIL_BYTES);
    }
  }

  /** A piece of the response body (payload only, no chunked framing), already sent to the client. */
  feed(source: Buffer, start: number, end: number): void {
    if (this.result !== undefined) return;
    if (this.json !== undefined) this.json.feed(source, start, end);
    else if (this.tail !== undefined) {
      this.head?.feed(source, start, end);
      this.tail.feed(source, start, end);
    }
  }

  /** What the answer says it cost; parsed on the first call, the kept bytes released. */
  facts(): UsageFacts {
    if (this.result === undefined) {
      this.result = this.read();
      this.json = undefined;
      this.head = undefined;
      this.tail = undefined;
    }
    return this.result;
  }

  /** A JSON log line (`interceptor run --json`) shows the facts, not the kept bytes. */
  toJSON(): UsageFacts {
    return this.facts();
  }

  private read(): UsageFacts {
    const headers = this.headers();
    const body = this.bodyUsage(headers.contentEncoding);
    const usage = body.usage;
    const headerCost = money(headers.responseCost);
    const cost = headerCost ?? usage?.cost ?? null;
    return {
      ...NO_USAGE,
      promptTokens: usage?.promptTokens ?? null,
      completionTokens: usage?.completionTokens ?? null,
      cachedTokens: usage?.cachedTokens ?? null,
      cacheWriteTokens: usage?.cacheWriteTokens ?? null,
      cost,
      costSource: headerCost !== undefined ? 'header' : usage?.cost !== undefined ? 'stream' : null,
      responseModel: body.model ?? null,
      callId: cleanId(headers.callId),
      modelId: cleanId(headers.modelId),
      litellmVersion: cleanId(headers.version),
      note: body.note ?? null,
    };
  }

  private bodyUsage(contentEncoding: string | undefined): BodyUsage {
    if (this.json !== undefined) {
      if (this.json.overflowed) return { note: `the answer is larger than ${JSON_SNIFF_LIMIT / 1024} KiB: tokens not read` };
      const bytes = decoded(this.json.bytes(), contentEncoding);
      if (bytes === undefined) return { note: `the answer's content-encoding (${contentEncoding ?? ''}) could not be decoded` };
      return bytes.length === 0 ? { note: 'the answer has no body' } : usageFromJson(bytes.toString('utf8'));
    }
    if (this.tail !== undefined && this.head !== undefined) {
      const coding = contentEncoding?.trim().toLowerCase();
      if (coding !== undefined && coding !== '' && coding !== 'identity') return { note: `a compressed stream (${coding}): tokens not read` };
      if (this.tail.total === 0) return { note: 'the stream was empty' };
      return usageFromEventStream(this.head.bytes().toString('utf8'), this.tail.bytes().toString('utf8'), this.tail.cut);
    }
    return {};
  }
}

/** Which body kind a response is; `other` bodies are not kept. */
export function bodyKind(eventStream: boolean, json: boolean): BodyKind {
  if (eventStream) return 'event-stream';
  return json ? 'json' : 'other';
}
