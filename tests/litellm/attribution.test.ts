// Attribution as LiteLLM records it: the real openai client → `interceptor run` / `interceptor serve`
// (real child processes) → the real LiteLLM proxy → the fake model provider. What the tests read is
// LiteLLM's own payload (its standard_logging_object, written by tests/litellm/recorder.py), never
// what we think we sent.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { machineInstanceName, projectSlug } from '../../electron/core/proxy/project-identity';
import { INTERCEPTOR_VERSION } from '../../electron/core/version';
import { parseJson, runCli } from '../helpers/cli';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider';
import { describeWithLiteLlm, LITELLM_MASTER_KEY, LITELLM_PINNED_VERSION, startLiteLlm, type LiteLlm, type StandardLoggingObject } from '../helpers/litellm';
import { claimPortRange } from '../helpers/ports';
import { startRun, type RunProcess } from '../helpers/run-process';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { tempDir } from '../helpers/temp';
import { waitFor } from '../helpers/wait';

let provider: FakeProvider;
let litellm: LiteLlm;

const projectTags = (record: StandardLoggingObject) => record.request_tags.filter((tag) => tag.startsWith('project:'));
const userMessage = [{ role: 'user' as const, content: 'hello' }];

/** A client the way an IDE is set up: the proxy's base URL, the user's own LiteLLM key. */
function clientOf(baseUrl: string): OpenAI {
  return new OpenAI({ baseURL: String(baseUrl), apiKey: LITELLM_MASTER_KEY, maxRetries: 0 });
}

/** A non-streaming chat completion; LiteLLM's record of it. */
async function chat(client: OpenAI, options: Parameters<OpenAI['chat']['completions']['create']>[1] = {}, extra: Record<string, unknown> = {}): Promise<StandardLoggingObject> {
  const { data, response } = await client.chat.completions.create({ model: 'fake-gpt', messages: userMessage, ...extra }, options).withResponse();
  expect((data as OpenAI.ChatCompletion).choices[0]?.message.content).toBe('Hello from the fake provider');
  return litellm.recordOf(response.headers.get('x-litellm-call-id'));
}

/** A streamed chat completion read to its end; LiteLLM's record of it. */
async function streamedChat(client: OpenAI): Promise<StandardLoggingObject> {
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'fake-gpt', messages: userMessage, stream: true, stream_options: { include_usage: true } })
    .withResponse();
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  expect(text).toBe('Hello from the fake provider');
  return litellm.recordOf(response.headers.get('x-litellm-call-id'));
}

/** Every string in a JSON value, keys included. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      strings(item, out);
    }
  }
  return out;
}

describeWithLiteLlm('attribution as the real LiteLLM records it', () => {
  beforeAll(async () => {
    provider = await startFakeProvider();
    // Client headers forwarded to the provider: what the privacy setting must be proven against.
    litellm = await startLiteLlm({ provider, config: { general_settings: { forward_client_headers_to_llm_api: true } } });
  }, 120_000);

  afterAll(async () => {
    await litellm?.stop();
    await provider?.close();
  });

  /** `interceptor run` for a fresh project folder, with the given settings file. */
  async function runFor(folderName: string, settings: Record<string, unknown> = {}): Promise<{ run: RunProcess; project: string; slug: string; client: OpenAI }> {
    const home = await tempDir('litellm-run-home-');
    const project = path.join(home, 'code', folderName);
    await mkdir(project, { recursive: true });
    const registry = path.join(home, 'registry', 'port_registry.json');
    await mkdir(path.dirname(registry), { recursive: true });
    await writeFile(path.join(path.dirname(registry), 'interceptor-settings.json'), JSON.stringify(settings));
    const range = await claimPortRange();
    const env = {
      TARGET_LLM_URL: litellm.url,
      INTERCEPTOR_REGISTRY: registry,
      INTERCEPTOR_PORT_MIN: String(range.start),
      INTERCEPTOR_PORT_MAX: String(range.end),
    };
    const run = await startRun([], { env, cwd: project, home });
    return { run, project, slug: projectSlug(project), client: clientOf(String(run.ready.baseUrl)) };
  }

  describe('through interceptor run', () => {
    let shop: Awaited<ReturnType<typeof runFor>>;
    beforeAll(async () => {
      shop = await runFor('Shop App');
    });
    afterAll(() => shop?.run.stop());

    it('files a chat completion under exactly our project, with our metadata', async () => {
      const record = await chat(shop.client);
      expect(record.status).toBe('success');
      expect(projectTags(record)).toEqual([`project:${shop.slug}`]);
      // `run` serves one folder with no IDE: no ide: tag.
      expect(record.request_tags.filter((tag) => tag.startsWith('ide:'))).toEqual([]);
      expect(record.metadata.spend_logs_metadata).toEqual({
        interceptor_project: shop.slug,
        interceptor_folder: 'Shop App',
        interceptor_port: shop.run.ready.port,
        interceptor_version: INTERCEPTOR_VERSION,
        interceptor_path_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
        interceptor_instance: machineInstanceName(),
      });
      expect(record.end_user).toBeNull();
      expect(record.model_group).toBe('fake-gpt');
      expect(record.response_cost).toBeGreaterThan(0);
    });

    it('files a streamed chat completion the same way', async () => {
      const record = await streamedChat(shop.client);
      expect(record.stream).toBe(true);
      expect(projectTags(record)).toEqual([`project:${shop.slug}`]);
      expect(record.metadata.spend_logs_metadata?.interceptor_project).toBe(shop.slug);
      expect(record.response_cost).toBeGreaterThan(0);
    });

    it('files the Responses API and Anthropic /v1/messages under our project too', async () => {
      const { response } = await shop.client.responses.create({ model: 'fake-gpt', input: 'hello' }).withResponse();
      const viaResponses = await litellm.recordOf(response.headers.get('x-litellm-call-id'));
      expect(viaResponses.call_type).toBe('aresponses');
      expect(projectTags(viaResponses)).toEqual([`project:${shop.slug}`]);
      expect(viaResponses.metadata.spend_logs_metadata?.interceptor_project).toBe(shop.slug);

      for (const stream of [false, true]) {
        const answer = await fetch(`${String(shop.run.ready.baseUrl).replace(/\/v1$/, '')}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': LITELLM_MASTER_KEY, 'anthropic-version': '2023-06-01' },
          body: JSON.stringify({ model: 'fake-claude', max_tokens: 50, stream, messages: userMessage }),
        });
        expect(answer.status).toBe(200);
        expect(await answer.text()).toContain('fake');
        const viaMessages = await litellm.recordOf(answer.headers.get('x-litellm-call-id'));
        expect(viaMessages.call_type).toBe('anthropic_messages');
        expect(projectTags(viaMessages)).toEqual([`project:${shop.slug}`]);
        expect(viaMessages.metadata.spend_logs_metadata?.interceptor_project).toBe(shop.slug);
      }
    });

    it("keeps a client's own tags and metadata, but never its project", async () => {
      const record = await chat(shop.client, {
        headers: {
          'x-litellm-tags': 'project:someone-else,team:blue,IDE:Other',
          'x-litellm-spend-logs-metadata': JSON.stringify({ interceptor_project: 'someone-else', ticket: 'T-1' }),
        },
      });
      expect(projectTags(record)).toEqual([`project:${shop.slug}`]);
      expect(record.request_tags).toContain('team:blue');
      expect(record.request_tags.map((tag) => tag.toLowerCase())).not.toContain('ide:other');
      expect(record.metadata.spend_logs_metadata).toMatchObject({ interceptor_project: shop.slug, ticket: 'T-1' });

      const unreadable = await chat(shop.client, { headers: { 'x-litellm-spend-logs-metadata': '{"interceptor_project": "someone-else", NaN}' } });
      expect(unreadable.metadata.spend_logs_metadata?.interceptor_project).toBe(shop.slug);
    });

    // Findings about LiteLLM itself (1.100.1), recorded so a LiteLLM upgrade that changes them is
    // noticed. The proxy does not rewrite request bodies, so these are limits of header attribution.
    it('FINDING: a top-level `tags` list in the request body replaces the header tags, ours included', async () => {
      const record = await chat(shop.client, {}, { tags: ['project:someone-else'] });
      expect(projectTags(record)).toEqual(['project:someone-else']);
      // The spend-logs metadata comes from our header alone and still names the project.
      expect(record.metadata.spend_logs_metadata?.interceptor_project).toBe(shop.slug);
    });

    it('FINDING: `metadata.tags` in the request body is merged with the header tags: two projects', async () => {
      const record = await chat(shop.client, {}, { metadata: { tags: ['project:someone-else'] } });
      expect(new Set(projectTags(record))).toEqual(new Set(['project:someone-else', `project:${shop.slug}`]));
      expect(record.metadata.spend_logs_metadata?.interceptor_project).toBe(shop.slug);
    });

    it('FINDING: body `metadata.spend_logs_metadata` is replaced by our header', async () => {
      const record = await chat(shop.client, {}, { metadata: { spend_logs_metadata: { interceptor_project: 'someone-else', ticket: 'T-2' } } });
      expect(record.metadata.spend_logs_metadata?.interceptor_project).toBe(shop.slug);
    });

    it('reads the LiteLLM version from its answers', () => {
      const versions = shop.run.events().filter((event) => event.event === 'request' && event.status === 200).map((event) => event.litellmVersion);
      expect(versions.length).toBeGreaterThan(0);
      expect(new Set(versions)).toEqual(new Set([LITELLM_PINNED_VERSION]));
      expect(shop.run.stderr()).not.toContain('allow_client_tags');
    });
  });

  it('names the project as the end user when that option is on', async () => {
    const billing = await runFor('billing', { headerProfile: { endUserId: true } });
    try {
      expect((await chat(billing.client)).end_user).toBe(billing.slug);
      expect((await streamedChat(billing.client)).end_user).toBe(billing.slug);
    } finally {
      await billing.run.stop();
    }
  });

  describe('what leaves the machine', () => {
    const instance = machineInstanceName();
    const leaks = (value: unknown, project: string) =>
      strings(value).filter((text) => text === instance || text.includes(project) || text.includes(`interceptor-instance`) || text.includes('interceptor_instance'));

    it('with "the project slug only", neither LiteLLM nor the provider gets the hostname or the folder path', async () => {
      const strict = await runFor('Secret Folder', { headerProfile: { identifies: 'project' } });
      try {
        for (const send of [() => chat(strict.client), () => streamedChat(strict.client)]) {
          const before = provider.requests.length;
          const record = await send();
          expect(projectTags(record)).toEqual([`project:${strict.slug}`]);
          expect(record.metadata.spend_logs_metadata).toEqual({ interceptor_project: strict.slug, interceptor_port: strict.run.ready.port, interceptor_version: INTERCEPTOR_VERSION });
          expect(leaks(record, strict.project)).toEqual([]);
          expect(strings(record).some((text) => text.includes('Secret Folder'))).toBe(false);
          const atProvider = provider.requests.slice(before);
          expect(atProvider).toHaveLength(1);
          // LiteLLM forwarded our x-… headers (forward_client_headers_to_llm_api): the slug, not the rest.
          expect(atProvider[0]?.headers['x-interceptor-project']).toBe(strict.slug);
          expect(leaks(atProvider[0]?.headers, strict.project)).toEqual([]);
          expect(strings(atProvider[0]?.headers).some((text) => text.includes('Secret Folder'))).toBe(false);
          expect(atProvider[0]?.text).not.toContain(strict.project);
        }
      } finally {
        await strict.run.stop();
      }
    });

    it('with the default, the machine name does reach both (the check above can fail)', async () => {
      const open = await runFor('Open Folder');
      try {
        const before = provider.requests.length;
        const record = await chat(open.client);
        expect(record.metadata.spend_logs_metadata?.interceptor_instance).toBe(instance);
        expect(record.metadata.spend_logs_metadata?.interceptor_folder).toBe('Open Folder');
        expect(provider.requests.slice(before)[0]?.headers['x-interceptor-instance']).toBe(instance);
        expect(provider.requests.slice(before)[0]?.headers['x-memory-user-id']).toBe('pycharm-Open Folder');
      } finally {
        await open.run.stop();
      }
    });
  });

  describe('through interceptor serve, with a JetBrains IDE', () => {
    let home: string;
    let ide: ChildProcess;
    let serve: ServeProcess;
    let project: string;

    beforeAll(async () => {
      home = await tempDir('litellm-serve-home-');
      project = path.join(home, 'PycharmProjects', 'warehouse');
      await mkdir(project, { recursive: true });
      // A stand-in for the running IDE: its PID in the config folder's .lock, the project open.
      ide = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      const configDir = path.join(home, '.config/JetBrains/PyCharm2025.1');
      await mkdir(path.join(configDir, 'options'), { recursive: true });
      await writeFile(path.join(configDir, '.lock'), String(ide.pid));
      const xml = `<application><component name="RecentProjectsManager"><option name="additionalInfo"><map>
        <entry key="${project}"><value><RecentProjectMetaInfo opened="true">
          <option name="activationTimestamp" value="${Date.now()}" /><option name="build" value="PY-251.23774.444" />
        </RecentProjectMetaInfo></value></entry></map></option></component></application>\n`;
      await writeFile(path.join(configDir, 'options/recentProjects.xml.tmp'), xml);
      await rename(path.join(configDir, 'options/recentProjects.xml.tmp'), path.join(configDir, 'options/recentProjects.xml'));
      const range = await claimPortRange();
      serve = await startServe({
        home,
        env: { TARGET_LLM_URL: litellm.url, INTERCEPTOR_PORT_MIN: String(range.start), INTERCEPTOR_PORT_MAX: String(range.end), INTERCEPTOR_DASHBOARD_PORT: '0' },
      });
      await serve.waitForEvent((event) => event.event === 'proxy-started' && event.project === project, 'the project proxy', 20_000);
    }, 60_000);

    afterAll(async () => {
      await serve?.stop();
      ide?.kill();
    });

    function client(): OpenAI {
      const started = serve.events.find((event) => event.event === 'proxy-started' && event.project === project);
      return clientOf(`http://127.0.0.1:${String(started?.port)}/v1`);
    }

    it('files requests under the project and the IDE, streamed or not', async () => {
      const slug = projectSlug(project);
      for (const record of [await chat(client()), await streamedChat(client())]) {
        expect(projectTags(record)).toEqual([`project:${slug}`]);
        expect(record.request_tags.filter((tag) => tag.startsWith('ide:'))).toEqual(['ide:pycharm']);
        expect(record.metadata.spend_logs_metadata).toMatchObject({ interceptor_project: slug, interceptor_folder: 'warehouse', interceptor_ide: 'PyCharm 2025.1' });
      }
    });

    it('shows the LiteLLM version in `interceptor status`', async () => {
      const env = { XDG_CONFIG_HOME: `${home}/.config` };
      const status = await waitFor('the version in the snapshot', async () => {
        const result = parseJson<{ litellm: { version: string | null; dropsClientTags: boolean } }>(await runCli(['status', '--json'], { home, env }));
        return result.litellm.version !== null ? result : undefined;
      });
      expect(status.litellm).toEqual({ version: LITELLM_PINNED_VERSION, dropsClientTags: false });
      const text = await runCli(['status'], { home, env });
      expect(text.stdout).toContain(`LiteLLM: ${LITELLM_PINNED_VERSION}`);
    });
  });
});
