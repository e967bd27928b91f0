// The ledger end to end on the proxy's path: a real proxy in front of a fake LiteLLM, every answer
// format LiteLLM sends, each request's row checked field by field (tokens and cost exact, estimates
// marked, no usage and cut streams recorded without tokens), on both forwarding paths.
import http from 'node:http';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxy, type RequestEntry, type RunningProxy } from '../../../electron/core/proxy';
import { PriceBook } from '../../../electron/core/ledger/price-book';
import { UsageLedger } from '../../../electron/core/ledger/usage-ledger';
import { recentRequests, type RecentRow } from '../../../electron/core/ledger/ledger-queries';
import { FAKE_VERSION, startFakeLiteLlm, type FakeLiteLlm } from '../../helpers/fake-litellm';
import { tempDir } from '../../helpers/temp';

let litellm: FakeLiteLlm;
let proxy: RunningProxy;
let ledger: UsageLedger;
let projectPath: string;

beforeAll(async () => {
  litellm = await startFakeLiteLlm();
  const dir = await tempDir();
  projectPath = path.join(dir, 'alpha');
  await mkdir(projectPath);
  const prices = new PriceBook({ target: () => litellm.url, apiKey: () => 'sk-test-key' });
  ledger = new UsageLedger({ file: path.join(dir, 'interceptor-usage.sqlite'), prices, flushMs: 20 });
  proxy = await startProxy({ identity: { projectPath, port: 0 }, target: litellm.url, captureUsage: true });
  proxy.on('request', (entry: RequestEntry) => ledger.record(entry));
});

afterAll(async () => {
  await proxy.close({ graceMs: 100 });
  await ledger.close();
  await litellm.close();
});

/** Sends one request; `handOff` (Expect: 100-continue) takes the node:http forwarder instead of the raw path. */
function send(route: string, body: unknown, userAgent: string, handOff = false): Promise<{ status: number; text: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port: proxy.port, method: 'POST', path: route, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'user-agent': userAgent, ...(handOff ? { expect: '100-continue' } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('aborted', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', () => resolve({ status: 0, text: '' }));
    if (handOff) req.on('continue', () => req.end(payload));
    else req.end(payload);
  });
}

/** The newest row once it is written. */
async function lastRow(count: number): Promise<RecentRow> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await ledger.flush();
    const rows = recentRequests(ledger.store.db, 1000);
    if (rows.length >= count) return rows[0] as RecentRow;
    if (Date.now() > deadline) throw new Error(`only ${rows.length} of ${count} rows were written`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function fullRow(callId: string | null) {
  return ledger.store.db.prepare('SELECT * FROM requests WHERE call_id IS ? ORDER BY id DESC LIMIT 1').get(callId) as Record<string, unknown>;
}

let written = 0;

describe('usage capture through the proxy', () => {
  it('a JSON answer: tokens from its usage, cost and ids from the headers', async () => {
    const answer = await send('/v1/chat/completions', { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, 'OpenAI/JS 6.30.1');
    expect(answer.status).toBe(200);
    const row = await lastRow((written += 1));
    expect(row).toMatchObject({ project: projectPath, client: 'openai-node', method: 'POST', endpoint: '/v1/chat/completions', model: 'gpt-test', status: 200, streamed: false });
    expect(row).toMatchObject({ promptTokens: 1200, completionTokens: 340, cachedTokens: 200, cost: 0.0042, costSource: 'header' });
    const full = fullRow(row.callId);
    expect(full).toMatchObject({ model_id: 'dep-gpt-test', litellm_version: FAKE_VERSION, attribution: 'port', model_answered: 'gpt-test' });
    expect(String(full.project_slug)).toMatch(/^alpha-[0-9a-f]{6}$/);
    expect(row.callId).toMatch(/^call-\d+$/);
  });

  it('a chat stream with a usage chunk and no cost header: cost estimated from /model/info prices', async () => {
    await send('/v1/chat/completions', { model: 'gpt-test', stream: true, stream_options: { include_usage: true }, messages: [] }, 'OpenAI/Python 1.99.0');
    const row = await lastRow((written += 1));
    expect(row).toMatchObject({ client: 'openai-python', streamed: true, promptTokens: 1200, completionTokens: 340, cachedTokens: 200, costSource: 'estimated' });
    // 1000 uncached × 2e-6 + 200 cached × 5e-7 + 340 × 8e-6
    expect(row.cost).toBeCloseTo(0.00482, 12);
    expect(litellm.modelInfoCalls).toBeGreaterThanOrEqual(1);
  });

  it("a stream whose usage carries LiteLLM's own cost (include_cost_in_streaming_usage)", async () => {
    await send('/v1/chat/completions', { model: 'gpt-test-cost', stream: true, stream_options: { include_usage: true }, messages: [] }, 'Continue/1.2');
    const row = await lastRow((written += 1));
    expect(row).toMatchObject({ client: 'continue', promptTokens: 1200, completionTokens: 340, cost: 0.0031, costSource: 'stream' });
  });

  it('a stream without usage: recorded, with no tokens and no cost', async () => {
    await send('/v1/chat/completions', { model: 'gpt-test', stream: true, messages: [] }, 'ktor-client');
    const row = await lastRow((written += 1));
    expect(row).toMatchObject({ client: 'jetbrains', streamed: true, status: 200, promptTokens: null, completionTokens: null, cost: null, costSource: null });
  });

  it('a stream cut mid-way: recorded as broken, without tokens', async () => {
    await send('/v1/chat/completions', { model: 'gpt-test-cut', stream: true, stream_options: { include_usage: true }, messages: [] }, 'Junie/252.1');
    const row = await lastRow((written += 1));
    expect(row).toMatchObject({ client: 'junie', streamed: true, error: 'upstream_reset', promptTokens: null, cost: null });
  });

  it('a Responses API stream: usage from response.completed', async () => {
    await send('/v1/responses', { model: 'gpt-test', stream: true, input: 'hi' }, 'codex_cli_rs/0.171.0');
    const row = await lastRow((written += 1));
    expect(row).toMatchObject({ client: 'other', endpoint: '/v1/responses', promptTokens: 900, completionTokens: 120, cachedTokens: 100, costSource: 'estimated' });
    expect(row.cost).toBeCloseTo(800 * 0.000002 + 100 * 0.0000005 + 120 * 0.000008, 12);
  });

  it('a response.completed event larger than the kept tail still yields its usage', async () => {
    await send('/v1/responses', { model: 'gpt-test', stream: true, input: 'hi', output_chars: 200_000 }, 'OpenAI/JS 6.30.1');
    const row = await lastRow((written += 1));
    expect(row).toMatchObject({ promptTokens: 900, completionTokens: 120, cachedTokens: 100 });
  });

  it('an Anthropic stream: input from message_start (first bytes), output from message_delta (last bytes)', async () => {
    await send('/v1/messages?beta=true', { model: 'claude-test', stream: true, messages: [] }, 'claude-cli/2.1.197 (external, cli)');
    const row = await lastRow((written += 1));
    expect(row).toMatchObject({ client: 'claude-code', endpoint: '/v1/messages', model: 'claude-test', promptTokens: 1250, cachedTokens: 1000, completionTokens: 77, costSource: 'estimated' });
    expect(fullRow(row.callId)).toMatchObject({ cache_write_tokens: 200, model_id: 'dep-claude-test' });
    expect(row.cost).toBeCloseTo(50 * 0.000003 + 1000 * 0.0000003 + 200 * 0.00000375 + 77 * 0.000015, 12);
  });

  it('the hand-off path (node:http forwarder, here for Expect: 100-continue) records the same facts', async () => {
    const answer = await send('/v1/chat/completions', { model: 'gpt-test', messages: [] }, 'OpenAI/JS 6.30.1', true);
    expect(answer.status).toBe(200);
    const row = await lastRow((written += 1));
    expect(row.model).toBe('gpt-test');
    expect(row).toMatchObject({ promptTokens: 1200, completionTokens: 340, cachedTokens: 200, cost: 0.0042, costSource: 'header' });
  });

  it('never stores a body or a key', async () => {
    const dump = JSON.stringify(ledger.store.db.prepare('SELECT * FROM requests').all());
    expect(dump).not.toContain('token 1 ');
    expect(dump).not.toContain('sk-test-key');
    expect(dump).not.toContain('hello');
  });
});
