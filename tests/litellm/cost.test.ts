// Cost as LiteLLM computes it: requests through `interceptor run` and `interceptor serve` (real child
// processes, the usage ledger on) → the real LiteLLM → the fake model provider. For each one the
// ledger's row (read from interceptor-usage.sqlite) must hold the cost LiteLLM logged for that call
// (its standard_logging_object.response_cost, written by tests/litellm/recorder.py) and the same call
// id: exactly where LiteLLM's answer says it (the x-litellm-response-cost header of a JSON answer, the
// `cost` in a stream's last usage), within rounding where the ledger must estimate it from LiteLLM's
// /model/info prices. A stream whose client refused usage carries no tokens: its row has no price,
// and is counted as unpriced, never as free. Then `interceptor usage --reconcile` against this
// LiteLLM, which has no database: it must say so, never report zero spend.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerPathFor } from '../../electron/core/ledger/ledger-paths';
import { projectSlug } from '../../electron/core/proxy/project-identity';
import { parseJson, runCli } from '../helpers/cli';
import { FAKE_CACHE_USAGE, FAKE_USAGE, startFakeProvider, type FakeProvider } from '../helpers/fake-provider';
import { describeWithLiteLlm, LITELLM_MASTER_KEY, startLiteLlm, type LiteLlm } from '../helpers/litellm';
import { storedRequests, waitForStoredRequests, type StoredRequest } from '../helpers/ledger-rows';
import { claimPortRange } from '../helpers/ports';
import { startRun, type RunProcess } from '../helpers/run-process';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { tempDir } from '../helpers/temp';

const deployment = (name: string, model: string, prices: Record<string, number>) => ({
  model_name: name,
  litellm_params: { model, api_base: model.startsWith('anthropic/') ? 'os.environ/FAKE_PROVIDER_URL' : 'os.environ/FAKE_PROVIDER_OPENAI_BASE', api_key: 'fake-provider-key' },
  model_info: prices,
});

const CONFIG = {
  model_list: [
    deployment('fake-gpt', 'openai/fake-gpt', { input_cost_per_token: 0.000002, output_cost_per_token: 0.000008 }),
    deployment('fake-claude', 'anthropic/fake-claude', { input_cost_per_token: 0.000003, output_cost_per_token: 0.000015 }),
    // The provider streams this one with the output tokens only in message_delta (fake-provider.ts,
    // OUTPUT_ONLY_DELTA_MODELS): LiteLLM's streamed cost then prices the output alone, so the ledger
    // must estimate the request's cost from /model/info. Its answers also read and write the prompt
    // cache, so the estimate's cache prices are checked against LiteLLM's too. Prices of its own, so
    // a mix-up shows.
    deployment('fake-claude-output-only', 'anthropic/fake-claude-output-only', {
      input_cost_per_token: 0.0000041,
      output_cost_per_token: 0.0000173,
      cache_read_input_token_cost: 0.00000037,
      cache_creation_input_token_cost: 0.0000052,
    }),
  ],
  // What the README advises: usage (and so a cost) in every chat stream, asked for or not.
  general_settings: { always_include_stream_usage: true },
};

/** How far an estimate may be from LiteLLM's figure: the ledger rounds estimates to 1e-10 dollars. */
const ROUNDING = 1e-10;

const messages = [{ role: 'user', content: 'hello' }];

interface CostCase {
  name: string;
  /** Where the ledger's figure must come from. */
  source: 'header' | 'stream' | 'estimated';
  path: '/v1/chat/completions' | '/v1/responses' | '/v1/messages';
  body: Record<string, unknown>;
}

const CASES: CostCase[] = [
  { name: 'chat completions, JSON', source: 'header', path: '/v1/chat/completions', body: { model: 'fake-gpt', messages } },
  {
    name: 'chat completions, streamed with stream_options.include_usage',
    source: 'stream',
    path: '/v1/chat/completions',
    body: { model: 'fake-gpt', messages, stream: true, stream_options: { include_usage: true } },
  },
  {
    name: 'chat completions, streamed without asking for usage (always_include_stream_usage)',
    source: 'stream',
    path: '/v1/chat/completions',
    body: { model: 'fake-gpt', messages, stream: true },
  },
  {
    name: 'chat completions on an Anthropic deployment, streamed',
    source: 'stream',
    path: '/v1/chat/completions',
    body: { model: 'fake-claude', messages, stream: true, stream_options: { include_usage: true } },
  },
  { name: 'Responses API, JSON', source: 'header', path: '/v1/responses', body: { model: 'fake-gpt', input: 'hello' } },
  { name: 'Responses API, streamed', source: 'stream', path: '/v1/responses', body: { model: 'fake-gpt', input: 'hello', stream: true } },
  { name: 'Anthropic messages, JSON', source: 'header', path: '/v1/messages', body: { model: 'fake-claude', max_tokens: 50, messages } },
  { name: 'Anthropic messages, streamed', source: 'stream', path: '/v1/messages', body: { model: 'fake-claude', max_tokens: 50, messages, stream: true } },
  {
    name: 'Anthropic messages, streamed by a provider whose message_delta has no input tokens',
    source: 'estimated',
    path: '/v1/messages',
    body: { model: 'fake-claude-output-only', max_tokens: 50, messages, stream: true },
  },
];

/** One request to a proxy port, read to its end; the call id LiteLLM's answer named. */
async function send(port: number, costCase: CostCase): Promise<string> {
  const auth: Record<string, string> =
    costCase.path === '/v1/messages' ? { 'x-api-key': LITELLM_MASTER_KEY, 'anthropic-version': '2023-06-01' } : { authorization: `Bearer ${LITELLM_MASTER_KEY}` };
  const response = await fetch(`http://127.0.0.1:${port}${costCase.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(costCase.body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(text).toContain('provider');
  const callId = response.headers.get('x-litellm-call-id');
  expect(callId).toBeTruthy();
  return callId as string;
}

let provider: FakeProvider;
let litellm: LiteLlm;

/** The settings a user of cost tracking has: LiteLLM's URL and their key (the price book reads /model/info with it). */
async function frontEndHome(prefix: string) {
  const home = await tempDir(prefix);
  const project = path.join(home, 'code', 'ledger-shop');
  await mkdir(project, { recursive: true });
  const registry = path.join(home, 'registry', 'port_registry.json');
  await mkdir(path.dirname(registry), { recursive: true });
  const range = await claimPortRange();
  const env = {
    TARGET_LLM_URL: litellm.url,
    LITELLM_API_KEY: LITELLM_MASTER_KEY,
    INTERCEPTOR_REGISTRY: registry,
    INTERCEPTOR_PORT_MIN: String(range.start),
    INTERCEPTOR_PORT_MAX: String(range.end),
  };
  return { home, project, env, ledger: ledgerPathFor(registry) };
}

type FrontEnd = Awaited<ReturnType<typeof frontEndHome>> & { port: number };

/** The cases, each one request: its ledger row against LiteLLM's own record of the call. */
function costCases(frontEnd: () => FrontEnd): void {
  const seen: Array<{ row: StoredRequest; litellmCost: number }> = [];

  it.each(CASES)('$name: the ledger holds what LiteLLM logged', async (costCase) => {
    const { port, ledger, project } = frontEnd();
    const before = storedRequests(ledger).length;
    const callId = await send(port, costCase);
    const [row, ...more] = await waitForStoredRequests(ledger, before);
    expect(more).toEqual([]);
    const record = await litellm.recordOf(callId);
    expect(record.status).toBe('success');
    expect(record.response_cost).toBeGreaterThan(0);

    // The same call in both books, by the id LiteLLM gave it.
    expect(row?.call_id).toBe(record.litellm_call_id);
    expect(row?.call_id).toBe(callId);
    expect(row).toMatchObject({
      project,
      project_slug: projectSlug(project),
      endpoint: costCase.path,
      status: 200,
      streamed: costCase.body.stream === true ? 1 : 0,
      model_requested: costCase.body.model,
      model_id: record.model_id,
      prompt_tokens: record.prompt_tokens,
      completion_tokens: record.completion_tokens,
      litellm_version: expect.any(String),
      cost_source: costCase.source,
    });
    if (costCase.source === 'estimated') {
      // Cache reads and writes reached both books, each at its own price (fake-provider.ts).
      expect(row).toMatchObject({ cached_tokens: FAKE_CACHE_USAGE.readTokens, cache_write_tokens: FAKE_CACHE_USAGE.writeTokens });
      expect(row?.prompt_tokens).toBe(FAKE_USAGE.promptTokens + FAKE_CACHE_USAGE.readTokens + FAKE_CACHE_USAGE.writeTokens);
      expect(Math.abs((row?.cost ?? Number.NaN) - record.response_cost)).toBeLessThanOrEqual(ROUNDING);
    } else {
      expect(row?.cost).toBe(record.response_cost);
    }
    seen.push({ row: row as StoredRequest, litellmCost: record.response_cost });
  });

  it('a stream that refuses usage (include_usage: false) is recorded without a price, never as free', async () => {
    const { port, ledger } = frontEnd();
    const before = storedRequests(ledger).length;
    const refusing: CostCase = {
      name: 'refuses usage',
      source: 'stream',
      path: '/v1/chat/completions',
      body: { model: 'fake-gpt', messages, stream: true, stream_options: { include_usage: false } },
    };
    const callId = await send(port, refusing);
    const [row] = await waitForStoredRequests(ledger, before);
    // LiteLLM counted the tokens itself and logged a cost; the answer carried neither.
    expect((await litellm.recordOf(callId)).response_cost).toBeGreaterThan(0);
    expect(row).toMatchObject({ call_id: callId, streamed: 1, prompt_tokens: null, completion_tokens: null, cost: null, cost_source: null });
  });

  it('`interceptor usage` adds up to what LiteLLM logged, the estimated part marked, the unpriced one counted', async () => {
    expect(seen).toHaveLength(CASES.length);
    const { home, env, project } = frontEnd();
    const usage = parseJson<{ rows: Array<{ key: string; requests: number; cost: number; estimatedCost: number; unpriced: number }> }>(
      await runCli(['--json', 'usage', '--since', 'today'], { home, env }),
    );
    const litellmTotal = seen.reduce((sum, item) => sum + item.litellmCost, 0);
    const estimated = seen.filter((item) => item.row.cost_source === 'estimated').reduce((sum, item) => sum + (item.row.cost ?? 0), 0);
    expect(usage.rows).toHaveLength(1);
    expect(usage.rows[0]).toMatchObject({ key: project, requests: CASES.length + 1, unpriced: 1 });
    expect(Math.abs((usage.rows[0]?.cost ?? Number.NaN) - litellmTotal)).toBeLessThanOrEqual(CASES.length * ROUNDING);
    expect(usage.rows[0]?.estimatedCost).toBeCloseTo(estimated, 12);
    expect(estimated).toBeGreaterThan(0);
  });
}

describeWithLiteLlm('cost as the real LiteLLM computes it', () => {
  beforeAll(async () => {
    provider = await startFakeProvider();
    litellm = await startLiteLlm({ provider, config: CONFIG });
  }, 120_000);

  afterAll(async () => {
    await litellm?.stop();
    await provider?.close();
  });

  describe('through interceptor run', () => {
    let run: RunProcess;
    let frontEnd: FrontEnd;
    beforeAll(async () => {
      const where = await frontEndHome('litellm-cost-run-');
      run = await startRun([], { env: where.env, cwd: where.project, home: where.home });
      frontEnd = { ...where, port: Number(run.ready.port) };
    });
    afterAll(() => run?.stop());

    costCases(() => frontEnd);

    it('its request lines carry the call id and the cost LiteLLM sent', () => {
      const lines = run.events().filter((event) => event.event === 'request');
      expect(lines).toHaveLength(CASES.length + 1);
      const rows = storedRequests(frontEnd.ledger);
      for (const [index, line] of lines.entries()) {
        const usage = line.usage as { callId: string; cost: number | null; costSource: string | null };
        expect(usage.callId).toBe(rows[index]?.call_id);
        // An estimate is the ledger's work: the line shows only what LiteLLM's answer said.
        if (rows[index]?.cost_source === 'estimated' || rows[index]?.cost === null) expect(usage).toMatchObject({ cost: null, costSource: null });
        else expect(usage).toMatchObject({ cost: rows[index]?.cost, costSource: rows[index]?.cost_source });
      }
      expect(run.stderr()).toBe('');
    });

    describe('reconciling with a LiteLLM that has no database', () => {
      it('says "no database", never zero spend', async () => {
        const { home, env } = frontEnd;
        const json = await runCli(['--json', 'usage', '--reconcile'], { home, env });
        expect(json.code).toBe(1);
        const result = parseJson<Record<string, unknown>>(json);
        expect(result).toEqual({ status: 'no-database', day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), message: expect.stringContaining('without a database') });

        const text = await runCli(['usage', '--reconcile'], { home, env });
        expect(text.code).toBe(1);
        expect(text.stdout).toMatch(/not compared: LiteLLM at http:\/\/127\.0\.0\.1:\d+ runs without a database/);
        expect(text.stdout).not.toMatch(/\$0\.0+\b/);
      });

      it('says so too for a key LiteLLM does not know (it answers "No connected db." before checking keys)', async () => {
        const { home, env } = frontEnd;
        const json = await runCli(['--json', 'usage', '--reconcile'], { home, env: { ...env, LITELLM_ADMIN_KEY: 'sk-not-a-litellm-key' } });
        expect(json.code).toBe(1);
        expect(parseJson<{ status: string }>(json).status).toBe('no-database');
      });
    });
  });

  describe('through interceptor serve', () => {
    let serve: ServeProcess;
    let frontEnd: FrontEnd;
    beforeAll(async () => {
      const where = await frontEndHome('litellm-cost-serve-');
      const opened = await runCli(['open', where.project], { home: where.home, env: where.env });
      expect(opened.code, opened.stderr).toBe(0);
      serve = await startServe({ home: where.home, env: where.env });
      const started = await serve.waitForEvent((event) => event.event === 'proxy-started' && event.project === where.project, 'the project proxy', 20_000);
      frontEnd = { ...where, port: Number(started.port) };
    }, 60_000);
    afterAll(() => serve?.stop());

    costCases(() => frontEnd);
  });
});
