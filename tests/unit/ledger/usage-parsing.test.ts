// The pure readers behind the capture: client families, usage objects in their three shapes, the
// events of each stream format (cut, oversized, without usage), cost headers and prices.
import { describe, expect, it } from 'vitest';
import { clientFamily } from '../../../electron/core/ledger/client-family';
import { costOf, parseModelInfo } from '../../../electron/core/ledger/price-book';
import { litellmHeaders, UsageCapture } from '../../../electron/core/ledger/usage-capture';
import { eventData, lastObjectAfterKey, usageFromEventStream, usageFromJson } from '../../../electron/core/ledger/usage-from-body';
import { money, tokenUsage } from '../../../electron/core/ledger/usage-object';

describe('clientFamily', () => {
  it.each([
    ['OpenAI/JS 6.30.1', 'openai-node'],
    ['OpenAI/Python 1.99.0', 'openai-python'],
    ['claude-cli/2.1.197 (external, cli)', 'claude-code'],
    ['Continue/1.2.3 (vscode)', 'continue'],
    ['Junie/252.23892 (IntelliJ IDEA)', 'junie'],
    ['ktor-client', 'jetbrains'],
    ['JetBrains AI Assistant/251.1', 'jetbrains'],
    ['curl/8.5.0', 'other'],
    [undefined, 'other'],
    ['', 'other'],
  ])('%j → %s', (agent, family) => {
    expect(clientFamily(agent)).toBe(family);
    expect(clientFamily(agent)).toBe(family); // the one-entry cache answers the same
  });
});

describe('tokenUsage', () => {
  it('OpenAI chat: cached tokens from prompt_tokens_details', () => {
    expect(tokenUsage({ prompt_tokens: 100, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 30 } })).toEqual({ promptTokens: 100, completionTokens: 20, cachedTokens: 30, cacheWriteTokens: 0 });
  });
  it('embeddings: prompt tokens only', () => {
    expect(tokenUsage({ prompt_tokens: 8, total_tokens: 8 })).toEqual({ promptTokens: 8, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0 });
  });
  it('Responses API: input includes the cached part', () => {
    expect(tokenUsage({ input_tokens: 900, input_tokens_details: { cached_tokens: 100 }, output_tokens: 120 })).toMatchObject({ promptTokens: 900, cachedTokens: 100, completionTokens: 120 });
  });
  it('Anthropic: uncached input plus cache reads and writes', () => {
    expect(tokenUsage({ input_tokens: 50, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 7 })).toEqual({ promptTokens: 1250, completionTokens: 7, cachedTokens: 1000, cacheWriteTokens: 200 });
  });
  it('a cost in the usage (include_cost_in_streaming_usage) is kept', () => {
    expect(tokenUsage({ prompt_tokens: 1, completion_tokens: 1, cost: 0.25 })?.cost).toBe(0.25);
  });
  it.each([null, 'x', [], {}, { prompt_tokens: -1 }, { prompt_tokens: 1.5 }, { prompt_tokens: '10' }])('%j is not a usage', (value) => {
    expect(tokenUsage(value)).toBeUndefined();
  });
  it('money reads numbers and numeric header text, nothing else', () => {
    expect(money('0.0042')).toBe(0.0042);
    expect(money('1e-7')).toBe(1e-7);
    expect(money('None')).toBeUndefined();
    expect(money('-1')).toBeUndefined();
    expect(money(Number.NaN)).toBeUndefined();
  });
});

describe('usage from bodies', () => {
  it('a JSON answer whose text mentions "usage" still reads the real one', () => {
    const text = JSON.stringify({ model: 'm', choices: [{ message: { content: '"usage": {"prompt_tokens": 9}' } }], usage: { prompt_tokens: 5, completion_tokens: 6 } });
    expect(usageFromJson(text)).toEqual({ usage: { promptTokens: 5, completionTokens: 6, cachedTokens: 0, cacheWriteTokens: 0 }, model: 'm' });
  });
  it('not JSON, or no usage: a note, no tokens', () => {
    expect(usageFromJson('<html>')).toEqual({ note: 'the answer is not a JSON object' });
    expect(usageFromJson('{"data":[]}').note).toBe('the answer carries no usage');
  });
  it('event data: CRLF, multi-line data, [DONE], a fragment at a cut start and a partial last event', () => {
    const text = 'a": 1}\n\nevent: x\r\ndata: {"a":\r\ndata: 2}\r\n\r\ndata: [DONE]\n\ndata: {"partial"';
    expect(eventData(text, true)).toEqual(['{"a":\n2}', '{"partial"']);
  });
  it('a chat stream: the last usage chunk wins', () => {
    const stream = ['{"model":"m","usage":null}', '{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}}'].map((d) => `data: ${d}\n\n`).join('') + 'data: [DONE]\n\n';
    expect(usageFromEventStream('', stream, false).usage).toMatchObject({ promptTokens: 3, completionTokens: 4 });
  });
  it('a stream without usage says so', () => {
    expect(usageFromEventStream('', 'data: {"choices":[]}\n\ndata: [DONE]\n\n', false)).toMatchObject({ note: expect.stringMatching(/no usage/) });
  });
  it('an Anthropic stream longer than the tail: input from the head, output from the tail', () => {
    const head = 'event: message_start\ndata: {"type":"message_start","message":{"model":"c","usage":{"input_tokens":10,"cache_read_input_tokens":5,"output_tokens":1}}}\n\nevent: ping\ndata: {"type":"pi';
    const tail = 'lta","delta":{}}\n\nevent: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":42}}\n\n';
    expect(usageFromEventStream(head, tail, true)).toEqual({ usage: { promptTokens: 15, completionTokens: 42, cachedTokens: 5, cacheWriteTokens: 0 }, model: 'c' });
  });
  it("an Anthropic stream's cost counts only when message_delta priced the input too", () => {
    const start = 'event: message_start\ndata: {"type":"message_start","message":{"model":"c","usage":{"input_tokens":11,"output_tokens":1}}}\n\n';
    const delta = (usage: object) => `event: message_delta\ndata: ${JSON.stringify({ type: 'message_delta', usage })}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n`;
    // What LiteLLM 1.100.1 sends when the provider's message_delta carries the output tokens only:
    // the cost of those alone (7 × $15/M), not the request's $0.000138.
    const outputOnly = usageFromEventStream('', start + delta({ output_tokens: 7, cost: 0.000105 }), false);
    expect(outputOnly.usage).toEqual({ promptTokens: 11, completionTokens: 7, cachedTokens: 0, cacheWriteTokens: 0 });
    const whole = usageFromEventStream('', start + delta({ input_tokens: 11, cache_read_input_tokens: 0, output_tokens: 7, cost: 0.000138 }), false);
    expect(whole.usage).toEqual({ promptTokens: 11, completionTokens: 7, cachedTokens: 0, cacheWriteTokens: 0, cost: 0.000138 });
  });
  it('the usage object after the last real "usage" key, not one quoted inside a string', () => {
    const text = '..."text":"say \\"usage\\": {\\"x\\":1}"}],"usage":{"input_tokens":9,"output_tokens":2,"note":"}"},"user":null}}';
    expect(lastObjectAfterKey(text, 'usage')).toEqual({ input_tokens: 9, output_tokens: 2, note: '}' });
  });
});

describe('UsageCapture', () => {
  const headers = () => litellmHeaders([['X-LiteLLM-Response-Cost', '0.5'], ['x-litellm-call-id', 'id\u0001-1'], ['x-litellm-version', '1.80.0']]);
  it('a header cost wins over a usage cost; ids are cleaned of control characters', () => {
    const capture = new UsageCapture('json', headers);
    const body = Buffer.from(JSON.stringify({ usage: { prompt_tokens: 1, completion_tokens: 2, cost: 9 } }));
    capture.feed(body, 0, body.length);
    expect(capture.facts()).toMatchObject({ cost: 0.5, costSource: 'header', callId: 'id-1', litellmVersion: '1.80.0', promptTokens: 1 });
  });
  it('a JSON answer over the sniff limit: no tokens, a note, the header cost still counts', () => {
    const capture = new UsageCapture('json', headers);
    const big = Buffer.alloc(600 * 1024, 0x20);
    capture.feed(big, 0, big.length);
    expect(capture.facts()).toMatchObject({ promptTokens: null, cost: 0.5, note: expect.stringMatching(/larger than 512 KiB/) });
  });
  it('a gzip answer is decoded; a compressed stream is not read', async () => {
    const { gzipSync } = await import('node:zlib');
    const zipped = gzipSync(Buffer.from('{"usage":{"prompt_tokens":7,"completion_tokens":1}}'));
    const json = new UsageCapture('json', () => ({ contentEncoding: 'gzip' }));
    json.feed(zipped, 0, zipped.length);
    expect(json.facts().promptTokens).toBe(7);
    const stream = new UsageCapture('event-stream', () => ({ contentEncoding: 'br' }));
    stream.feed(zipped, 0, zipped.length);
    expect(stream.facts()).toMatchObject({ promptTokens: null, note: expect.stringMatching(/compressed stream/) });
  });
  it('facts are read once and toJSON shows them (run --json)', () => {
    let reads = 0;
    const capture = new UsageCapture('other', () => {
      reads += 1;
      return {};
    });
    expect(JSON.parse(JSON.stringify({ usage: capture })).usage).toMatchObject({ promptTokens: null, cost: null });
    capture.facts();
    expect(reads).toBe(1);
  });
});

describe('prices', () => {
  it('reads /model/info by deployment id, model name and provider model', () => {
    const table = parseModelInfo({ data: [{ model_name: 'alias', litellm_params: { model: 'openai/gpt' }, model_info: { id: 'd1', input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 } }, { model_name: 'free', model_info: { id: 'd2' } }] });
    expect(table?.byId.get('d1')).toEqual({ input: 1e-6, output: 2e-6 });
    expect(table?.byName.get('alias')).toBe(table?.byId.get('d1'));
    expect(table?.byName.get('openai/gpt')).toBe(table?.byId.get('d1'));
    expect(table?.byId.has('d2')).toBe(false);
    expect(parseModelInfo({ error: 'x' })).toBeUndefined();
  });
  it('prices cached input at its own rate and long prompts at the above-200k rate', () => {
    const price = { input: 1e-6, output: 4e-6, cacheRead: 1e-7, inputAbove200k: 2e-6, outputAbove200k: 8e-6 };
    expect(costOf({ promptTokens: 1000, completionTokens: 100, cachedTokens: 400, cacheWriteTokens: 0 }, price)).toBeCloseTo(600e-6 + 40e-6 + 400e-6, 12);
    expect(costOf({ promptTokens: 300_000, completionTokens: 10, cachedTokens: 0, cacheWriteTokens: 0 }, price)).toBeCloseTo(300_000 * 2e-6 + 10 * 8e-6, 10);
  });
});

describe('cost and count text', async () => {
  const { costText, formatCost, formatCount } = await import('../../../shared/usage');
  it.each([
    [0, '$0.00'],
    [0.42, '$0.42'],
    [12.345, '$12.35'],
    [0.0042, '$0.0042'],
    [0.00001, '<$0.0001'],
  ])('formatCost(%f) = %s', (dollars, text) => expect(formatCost(dollars)).toBe(text));
  it('marks estimates with ~ and unpriced requests with +', () => {
    expect(costText({ cost: 1.5, estimatedCost: 0.5, unpriced: 2 })).toBe('~$1.50+');
    expect(costText({ cost: 1.5, estimatedCost: 0, unpriced: 0 })).toBe('$1.50');
  });
  it.each([
    [999, '999'],
    [1234, '1.2k'],
    [45_678, '46k'],
    [3_400_000, '3.4M'],
    [45_000_000, '45M'],
  ])('formatCount(%i) = %s', (count, text) => expect(formatCount(count)).toBe(text));
});
