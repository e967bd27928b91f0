// A fake model provider on loopback: what the real LiteLLM proxy (tests/litellm/) forwards to in the
// real-LiteLLM tests. It answers the three APIs LiteLLM's deployments use there — OpenAI chat
// completions, the OpenAI Responses API and Anthropic's /v1/messages, each as JSON and as SSE — with
// fixed token counts, so LiteLLM can price every answer, and records every request it received
// (headers and body) so a test can see what reached the provider. It stands in for OpenAI and
// Anthropic only: nothing stands in for LiteLLM.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What every answer reports as used; LiteLLM prices these with config.yaml's per-token prices. */
export const FAKE_USAGE = Object.freeze({ promptTokens: 11, completionTokens: 7 });
export const FAKE_REPLY = 'Hello from the fake provider';
/**
 * Models the provider streams the way Anthropic's API did before it repeated the input tokens in
 * `message_delta` (and some Anthropic-compatible providers still do): that event's usage holds the
 * output tokens only. Any other model gets today's shape, cumulative input and output counts.
 */
export const OUTPUT_ONLY_DELTA_MODELS: ReadonlySet<string> = new Set(['fake-claude-output-only']);
/** What those models' message_start adds: prompt-cache reads and writes, priced apart from input. */
export const FAKE_CACHE_USAGE = Object.freeze({ readTokens: 300, writeTokens: 40 });
/** Chunks of text in a streamed answer (plus the final usage chunk when the client asks for it). */
const STREAM_PARTS = ['Hello ', 'from ', 'the ', 'fake ', 'provider'];

export interface ProviderRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON (undefined when it was not JSON). */
  body: unknown;
  /** The body exactly as received. */
  text: string;
}

export interface FakeProvider {
  /** http://127.0.0.1:port, no path. */
  url: string;
  requests: ProviderRequest[];
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function startEvents(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
}

function chatCompletion(model: string): unknown {
  return {
    id: 'chatcmpl-fake-1',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: FAKE_REPLY }, finish_reason: 'stop' }],
    usage: { prompt_tokens: FAKE_USAGE.promptTokens, completion_tokens: FAKE_USAGE.completionTokens, total_tokens: FAKE_USAGE.promptTokens + FAKE_USAGE.completionTokens },
  };
}

function streamChatCompletion(res: ServerResponse, model: string, includeUsage: boolean): void {
  startEvents(res);
  const base = { id: 'chatcmpl-fake-1', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
  STREAM_PARTS.forEach((part, index) => {
    const delta = index === 0 ? { role: 'assistant', content: part } : { content: part };
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
  });
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
  if (includeUsage) {
    const usage = { prompt_tokens: FAKE_USAGE.promptTokens, completion_tokens: FAKE_USAGE.completionTokens, total_tokens: FAKE_USAGE.promptTokens + FAKE_USAGE.completionTokens };
    res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

function response(model: string): Record<string, unknown> {
  return {
    id: 'resp_fake_1',
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model,
    output: [
      {
        type: 'message',
        id: 'msg_fake_1',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: FAKE_REPLY, annotations: [] }],
      },
    ],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: {
      input_tokens: FAKE_USAGE.promptTokens,
      output_tokens: FAKE_USAGE.completionTokens,
      total_tokens: FAKE_USAGE.promptTokens + FAKE_USAGE.completionTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    },
  };
}

/** The Responses API's event stream for the same answer: created, the text in deltas, completed with the usage. */
function streamResponse(res: ServerResponse, model: string): void {
  startEvents(res);
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`);
  };
  const done = response(model);
  const pending = { ...done, status: 'in_progress', output: [], usage: null };
  const item = { type: 'message', id: 'msg_fake_1', status: 'in_progress', role: 'assistant', content: [] };
  const part = { type: 'output_text', text: '', annotations: [] };
  const at = { item_id: 'msg_fake_1', output_index: 0, content_index: 0 };
  event('response.created', { response: pending });
  event('response.in_progress', { response: pending });
  event('response.output_item.added', { output_index: 0, item });
  event('response.content_part.added', { ...at, part });
  for (const delta of STREAM_PARTS) event('response.output_text.delta', { ...at, delta, logprobs: [] });
  event('response.output_text.done', { ...at, text: FAKE_REPLY, logprobs: [] });
  event('response.content_part.done', { ...at, part: { ...part, text: FAKE_REPLY } });
  event('response.output_item.done', { output_index: 0, item: (done.output as unknown[])[0] });
  event('response.completed', { response: done });
  res.end();
}

function anthropicMessage(model: string): unknown {
  return {
    id: 'msg_fake_1',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: FAKE_REPLY }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: FAKE_USAGE.promptTokens, output_tokens: FAKE_USAGE.completionTokens },
  };
}

function streamAnthropicMessage(res: ServerResponse, model: string): void {
  startEvents(res);
  const event = (name: string, data: unknown): void => {
    res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const outputOnly = OUTPUT_ONLY_DELTA_MODELS.has(model);
  const startUsage = outputOnly
    ? { input_tokens: FAKE_USAGE.promptTokens, cache_read_input_tokens: FAKE_CACHE_USAGE.readTokens, cache_creation_input_tokens: FAKE_CACHE_USAGE.writeTokens, output_tokens: 1 }
    : { input_tokens: FAKE_USAGE.promptTokens, output_tokens: 1 };
  event('message_start', {
    type: 'message_start',
    message: { id: 'msg_fake_1', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage },
  });
  event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  for (const part of STREAM_PARTS) event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: part } });
  event('content_block_stop', { type: 'content_block_stop', index: 0 });
  const deltaUsage = outputOnly
    ? { output_tokens: FAKE_USAGE.completionTokens }
    : { input_tokens: FAKE_USAGE.promptTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: FAKE_USAGE.completionTokens };
  event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: deltaUsage });
  event('message_stop', { type: 'message_stop' });
  res.end();
}

function modelOf(body: unknown): string {
  const model = (body as { model?: unknown } | undefined)?.model;
  return typeof model === 'string' ? model : 'unknown';
}

function answer(req: IncomingMessage, res: ServerResponse, body: unknown): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const request = (body ?? {}) as { stream?: unknown; stream_options?: { include_usage?: unknown } };
  const model = modelOf(body);
  if (req.method === 'POST' && path.endsWith('/chat/completions')) {
    if (request.stream === true) streamChatCompletion(res, model, request.stream_options?.include_usage === true);
    else sendJson(res, 200, chatCompletion(model));
    return;
  }
  if (req.method === 'POST' && path.endsWith('/responses')) {
    if (request.stream === true) streamResponse(res, model);
    else sendJson(res, 200, response(model));
    return;
  }
  if (req.method === 'POST' && path.endsWith('/v1/messages')) {
    if (request.stream === true) streamAnthropicMessage(res, model);
    else sendJson(res, 200, anthropicMessage(model));
    return;
  }
  sendJson(res, 404, { error: { message: `the fake provider has no ${req.method ?? ''} ${path}`, type: 'not_found' } });
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const requests: ProviderRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, text });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
