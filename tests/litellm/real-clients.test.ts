// The real Claude Code and Continue CLIs through the real LiteLLM: in two project folders that
// `interceptor setup` configured, against `interceptor serve` (a real child process, temp HOME) in
// front of the real LiteLLM proxy and the fake model provider. For every request a client made,
// LiteLLM's own log record (tests/litellm/recorder.py) must file it under exactly one project tag,
// ours, with our spend-logs metadata, and the usage ledger must hold LiteLLM's call id and cost.
// Claude Code speaks Anthropic's /v1/messages, the Continue CLI OpenAI chat completions. The clients
// come from tests/clients/package.json (`npm ci --prefix tests/clients`, which .ci/run does); a suite
// without them, or without the LiteLLM venv, is skipped with the reason. Nothing leaves 127.0.0.1.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerPathFor } from '../../electron/core/ledger/ledger-paths';
import { machineInstanceName, projectSlug } from '../../electron/core/proxy/project-identity';
import { INTERCEPTOR_VERSION } from '../../electron/core/version';
import { parseJson, runCli } from '../helpers/cli';
import { clientInstalled, requireClient, runClaude, runContinue, type ClientRun } from '../helpers/client-cli';
import { FAKE_REPLY, startFakeProvider, type FakeProvider } from '../helpers/fake-provider';
import { waitForStoredCall } from '../helpers/ledger-rows';
import { describeWithLiteLlm, LITELLM_MASTER_KEY, startLiteLlm, type LiteLlm } from '../helpers/litellm';
import { claimPortRange } from '../helpers/ports';
import { startServe, type ServeEvent, type ServeProcess } from '../helpers/serve-process';
import { tempDir } from '../helpers/temp';
import { waitFor } from '../helpers/wait';

const CONFIG = {
  model_list: [
    // The Continue CLI asks for the model `interceptor setup --model` wrote.
    {
      model_name: 'fake-gpt',
      litellm_params: { model: 'openai/fake-gpt', api_base: 'os.environ/FAKE_PROVIDER_OPENAI_BASE', api_key: 'fake-provider-key' },
      model_info: { input_cost_per_token: 0.000002, output_cost_per_token: 0.000008 },
    },
    // Claude Code asks for its own default model (and may use a small one besides): any claude-*
    // goes to the fake provider, priced by LiteLLM's bundled table under the same name.
    { model_name: 'claude-*', litellm_params: { model: 'anthropic/claude-*', api_base: 'os.environ/FAKE_PROVIDER_URL', api_key: 'fake-provider-key' } },
  ],
};
const MODEL = 'fake-gpt';
const CLIENTS_INSTALLED = clientInstalled('claude') || clientInstalled('cn');

let provider: FakeProvider;
let litellm: LiteLlm;
let serve: ServeProcess;
let home: string;
let ledger: string;
let projects: Record<'alpha' | 'beta', string>;
let ports: Record<string, number>;

const projectTags = (tags: string[]) => tags.filter((tag) => tag.startsWith('project:'));

/** serve's request lines since `from` for `project` on `endpoint` (the ones a client run caused). */
function requestsOf(from: number, project: string, endpoint: string): ServeEvent[] {
  return serve.events.slice(from).filter((event) => event.event === 'request' && event.project === project && String(event.path).split('?')[0] === endpoint);
}

/** Every request the run made: answered, and filed by LiteLLM and by the ledger under this project only. */
async function expectFiledUnder(run: ClientRun, from: number, project: string, endpoint: string, client?: string): Promise<void> {
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stdout).toContain(FAKE_REPLY);
  // serve prints a request's line once its exchange ended; the client may exit a moment before.
  const requests = await waitFor(`serve's request line for ${endpoint} in ${project}`, () => {
    const lines = requestsOf(from, project, endpoint);
    return lines.length > 0 ? lines : undefined;
  }, 10_000);
  const slug = projectSlug(project);
  for (const request of requests) {
    // LiteLLM answered: the client's local token was swapped for the user's key (LiteLLM knows no token).
    expect(request.status).toBe(200);
    const usage = request.usage as { callId: string | null };
    const record = await litellm.recordOf(usage.callId);
    expect(record.status).toBe('success');
    expect(projectTags(record.request_tags)).toEqual([`project:${slug}`]);
    expect(record.metadata.spend_logs_metadata).toEqual({
      interceptor_project: slug,
      interceptor_folder: path.basename(project),
      interceptor_port: ports[project],
      interceptor_version: INTERCEPTOR_VERSION,
      interceptor_path_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      interceptor_instance: machineInstanceName(),
    });
    const row = await waitForStoredCall(ledger, record.litellm_call_id);
    expect(row).toMatchObject({ project, project_slug: slug, endpoint, cost: record.response_cost, prompt_tokens: record.prompt_tokens, completion_tokens: record.completion_tokens });
    expect(record.response_cost).toBeGreaterThan(0);
    if (client !== undefined) expect(row.client).toBe(client);
  }
}

describeWithLiteLlm('the real Claude Code and Continue CLIs through the real LiteLLM', () => {
  beforeAll(async () => {
    // Without the clients every test skips, saying why: no LiteLLM to start.
    if (!CLIENTS_INSTALLED) return;
    provider = await startFakeProvider();
    litellm = await startLiteLlm({ provider, config: CONFIG });
    const root = await tempDir('litellm-real-clients-');
    home = path.join(root, 'home');
    await mkdir(home, { recursive: true });
    const registry = path.join(home, 'registry', 'port_registry.json');
    ledger = ledgerPathFor(registry);
    const range = await claimPortRange();
    const env = {
      INTERCEPTOR_REGISTRY: registry,
      INTERCEPTOR_PORT_MIN: String(range.start),
      INTERCEPTOR_PORT_MAX: String(range.end),
      TARGET_LLM_URL: litellm.url,
      // The user's LiteLLM key: the clients hold only the local client token, swapped for it.
      LITELLM_API_KEY: LITELLM_MASTER_KEY,
    };
    projects = { alpha: path.join(root, 'work', 'alpha'), beta: path.join(root, 'work', 'beta') };
    ports = {};
    for (const project of Object.values(projects)) {
      await mkdir(project, { recursive: true });
      const setup = await runCli(['setup', project, '--model', MODEL, '--json'], { home, env });
      expect(setup.code, setup.stderr).toBe(0);
      ports[project] = parseJson<{ port: number }>(setup).port;
      const opened = await runCli(['open', project], { home, env });
      expect(opened.code, opened.stderr).toBe(0);
    }
    serve = await startServe({ home, env });
    for (const project of Object.values(projects)) {
      await serve.waitForEvent((event) => event.event === 'proxy-started' && event.project === project, `${project} served`, 20_000);
    }
  }, 180_000);

  afterAll(async () => {
    await serve?.stop();
    await litellm?.stop();
    await provider?.close();
  });

  describe.each(['alpha', 'beta'] as const)('in project %s', (name) => {
    it('Claude Code (/v1/messages): LiteLLM files each request under this project alone, with our metadata and cost', async ({ skip }) => {
      requireClient('claude', skip);
      const from = serve.events.length;
      const run = await runClaude(projects[name], home);
      await expectFiledUnder(run, from, projects[name], '/v1/messages', 'claude-code');
    }, 120_000);

    it('the Continue CLI (chat completions): LiteLLM files each request under this project alone, with our metadata and cost', async ({ skip }) => {
      requireClient('cn', skip);
      const from = serve.events.length;
      // Its hub and version check go to the fake provider (404s), like everything else on loopback.
      const run = await runContinue(projects[name], home, provider.url);
      await expectFiledUnder(run, from, projects[name], '/v1/chat/completions');
    }, 120_000);
  });
});
