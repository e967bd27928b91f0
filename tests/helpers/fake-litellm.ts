// A stand-in for LiteLLM's proxy on loopback that answers the way LiteLLM does for what the usage
// ledger reads: cost, call-id, model-id and version headers on JSON answers (none on streams, as
// LiteLLM builds them before a stream is read), usage in the JSON body, usage in the last events of
// the three stream formats (chat `usage` chunk, Responses `response.completed`, Anthropic
// `message_start` + `message_delta`), streams without usage, streams cut mid-way, `/model/info`
// prices and `/global/spend/tags`.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_VERSION = '1.80.0';

/** Prices /model/info answers with, per token. */
export const PRICES = {
  'gpt-test': { id: 'dep-gpt-test', input: 0.000002, output: 0.000008, cacheRead: 0.0000005 },
  'claude-test': { id: 'dep-claude-test', input: 0.000003, output: 0.000015, cacheRead: 0.0000003, cacheWrite: 0.00000375 },
} as const;

export interface FakeLiteLlm {
  url: string;
  port: number;
  /** What /global/spend/tags answers: a list, or an HTTP status with LiteLLM's error text. */
  spendTags: { status: number; body: unknown };
  modelInfoCalls: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

let calls = 0;
function litellmHeaders(model: string, cost?: string): Record<string, string> {
  calls += 1;
  const headers: Record<string, string> = {
    'x-litellm-call-id': `call-${calls}`,
    'x-litellm-model-id': model.startsWith('claude') ? PRICES['claude-test'].id : PRICES['gpt-test'].id,
    'x-litellm-version': FAKE_VERSION,
  };
  if (cost !== undefined) headers['x-litellm-response-cost'] = cost;
  return headers;
}

const sse = (event: unknown, name?: string): string => `${name ? `event: ${name}\n` : ''}data: ${JSON.stringify(event)}\n\n`;

async function streamEvents(res: ServerResponse, model: string, events: string[], cutAfter?: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', ...litellmHeaders(model) });
  for (const [index, event] of events.entries()) {
    if (cutAfter !== undefined && index === cutAfter) {
      res.socket?.destroy();
      return;
    }
    res.write(event);
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}

async function chat(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void> {
  const model = String(body.model);
  const usage = { prompt_tokens: 1200, completion_tokens: 340, total_tokens: 1540, prompt_tokens_details: { cached_tokens: 200 } };
  if (body.stream !== true) {
    const text = JSON.stringify({ id: 'c1', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hello "usage": {"prompt_tokens": 9}' } }], usage });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...litellmHeaders(model, '0.0042') });
    res.end(text);
    return;
  }
  const chunk = (content: string) => sse({ id: 'c1', object: 'chat.completion.chunk', model, choices: [{ index: 0, delta: { content } }], usage: null });
  const events = Array.from({ length: 40 }, (_, i) => chunk(`token ${i} `));
  const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  if (wantsUsage) {
    const withCost = model === 'gpt-test-cost' ? { ...usage, cost: 0.0031 } : usage;
    events.push(sse({ id: 'c1', object: 'chat.completion.chunk', model, choices: [], usage: withCost }));
  }
  events.push('data: [DONE]\n\n');
  await streamEvents(res, model, events, model === 'gpt-test-cut' ? 20 : undefined);
  void req;
}

async function responses(res: ServerResponse, body: Record<string, unknown>): Promise<void> {
  const model = String(body.model);
  const big = 'x'.repeat(Number(body.output_chars ?? 10));
  const events = [
    sse({ type: 'response.created', response: { id: 'r1', model, status: 'in_progress' } }, 'response.created'),
    sse({ type: 'response.output_text.delta', delta: 'hi' }, 'response.output_text.delta'),
    sse(
      {
        type: 'response.completed',
        response: {
          id: 'r1',
          model,
          status: 'completed',
          output: [{ type: 'message', content: [{ type: 'output_text', text: big }] }],
          usage: { input_tokens: 900, input_tokens_details: { cached_tokens: 100 }, output_tokens: 120, total_tokens: 1020 },
        },
      },
      'response.completed',
    ),
  ];
  await streamEvents(res, model, events);
}

async function messages(res: ServerResponse, body: Record<string, unknown>): Promise<void> {
  const model = String(body.model);
  const events = [
    sse({ type: 'message_start', message: { id: 'm1', type: 'message', role: 'assistant', model, usage: { input_tokens: 50, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 1 } } }, 'message_start'),
    ...Array.from({ length: 300 }, (_, i) => sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `word ${i} `.repeat(20) } }, 'content_block_delta')),
    sse({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 77 } }, 'message_delta'),
    sse({ type: 'message_stop' }, 'message_stop'),
  ];
  await streamEvents(res, model, events);
}

export async function startFakeLiteLlm(): Promise<FakeLiteLlm> {
  const fake = {
    spendTags: { status: 200, body: { spend_per_tag: [] } } as FakeLiteLlm['spendTags'],
    modelInfoCalls: 0,
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && (url.pathname === '/model/info' || url.pathname === '/v1/model/info')) {
        fake.modelInfoCalls += 1;
        const data = Object.entries(PRICES).map(([name, price]) => ({
          model_name: name,
          litellm_params: { model: `provider/${name}` },
          model_info: {
            id: price.id,
            input_cost_per_token: price.input,
            output_cost_per_token: price.output,
            cache_read_input_token_cost: price.cacheRead,
            ...('cacheWrite' in price ? { cache_creation_input_token_cost: price.cacheWrite } : {}),
          },
        }));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data }));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/global/spend/tags') {
        res.writeHead(fake.spendTags.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(fake.spendTags.body));
        return;
      }
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      if (url.pathname === '/v1/chat/completions') return chat(req, res, body);
      if (url.pathname === '/v1/responses') return responses(res, body);
      if (url.pathname === '/v1/messages') return messages(res, body);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"detail":"Not Found"}');
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
