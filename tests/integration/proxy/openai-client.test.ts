// The real `openai` npm client talking to the fake upstream through the proxy, as an IDE would.
import OpenAI, { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { startRig } from './proxy-fixture';

describe('proxy driven by the openai client', async () => {
  const { proxy, upstream } = await startRig({}, { chunkCount: 20, chunkIntervalMs: 1 });
  const client = new OpenAI({ baseURL: proxy.url, apiKey: 'sk-client-key', maxRetries: 0 });

  it('answers a non-streaming chat completion and tags it with the project', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake upstream');
    const seen = upstream.lastRequest();
    expect(seen.url).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe('Bearer sk-client-key');
    expect(seen.headers['x-interceptor-project']).toMatch(/^demo-project-[0-9a-f]{6}$/);
    expect(seen.headers['x-litellm-tags']).toBe(`project:${String(seen.headers['x-interceptor-project'])}`);
    expect(proxy.recent().at(-1)).toMatchObject({ method: 'POST', path: '/v1/chat/completions', status: 200, streamed: false, model: 'gpt-test' });
  });

  it('streams a chat completion chunk by chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-stream',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
    });
    const parts: string[] = [];
    for await (const chunk of stream) parts.push(chunk.choices[0]?.delta.content ?? '');
    expect(parts).toHaveLength(20);
    expect(parts.join('')).toBe(Array.from({ length: 20 }, (_, i) => `chunk${i} `).join(''));
    expect(proxy.recent().at(-1)).toMatchObject({ status: 200, streamed: true, model: 'gpt-stream' });
  });

  it('reads the model of a large prompt wherever it comes, streamed or not', async () => {
    // Larger than the 64 KiB the proxy keeps for the model sniffer: it reads some while the body
    // arrives and the rest at the end. Messages first, as Python's client sends them.
    const content = 'long prompt line\n'.repeat(20_000);
    const stream = await client.chat.completions.create({ messages: [{ role: 'user', content }], model: 'late-model', stream: true });
    for await (const chunk of stream) expect(chunk.choices).toHaveLength(1);
    expect(proxy.recent().at(-1)).toMatchObject({ status: 200, streamed: true, model: 'late-model' });
    expect(proxy.recent().at(-1)?.bytesIn).toBeGreaterThan(300_000);
    await client.chat.completions.create({ messages: [{ role: 'user', content }], model: 'late-model-2' });
    expect(proxy.recent().at(-1)).toMatchObject({ status: 200, streamed: false, model: 'late-model-2' });
    await client.chat.completions.create({ model: 'early-model', messages: [{ role: 'user', content }] });
    expect(proxy.recent().at(-1)).toMatchObject({ status: 200, streamed: false, model: 'early-model' });
    expect(upstream.lastRequest().bodyBytes).toBeGreaterThan(300_000);
  });

  it('lists models', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(['fake-model', 'fake-model-2']);
  });

  it.each([401, 429, 500])('passes a %i on a streaming request through as it is', async (status) => {
    const error = await client.chat.completions
      .create({ model: 'gpt-stream', messages: [{ role: 'user', content: 'x' }], stream: true }, { headers: { 'x-fake-status': String(status) } })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(status);
    expect((error as APIError).message).toContain(`fake status ${status}`);
  });
});
