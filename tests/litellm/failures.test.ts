// Failures explained, nothing changed: the real LiteLLM configured so that what Interceptor adds makes
// it refuse requests. The client must get LiteLLM's answer byte for byte, on both forwarding paths,
// and the engine must name the cause and the fix once. LiteLLM keys normally live in its database
// (not available offline: Prisma downloads its engines at run time), so the rig's keys come from
// tests/litellm/keys.py, LiteLLM's custom-auth hook, with LiteLLM's own access checks switched on.
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectSlug } from '../../electron/core/proxy/project-identity';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider';
import { describeWithLiteLlm, LITELLM_MASTER_KEY, startLiteLlm, type LiteLlm } from '../helpers/litellm';
import { claimPortRange } from '../helpers/ports';
import { startServe, type ServeEvent, type ServeProcess } from '../helpers/serve-process';
import { tempDir } from '../helpers/temp';

const deployment = (name: string, model: string, tags: string[]) => ({
  model_name: name,
  litellm_params: { model, api_base: model.startsWith('anthropic/') ? 'os.environ/FAKE_PROVIDER_URL' : 'os.environ/FAKE_PROVIDER_OPENAI_BASE', api_key: 'fake-provider-key', tags },
  model_info: { input_cost_per_token: 0.000002, output_cost_per_token: 0.000008 },
});

const CONFIG = {
  model_list: [
    // Tag routing on: a deployment tagged "default" serves requests whose tags match none...
    deployment('fake-gpt', 'openai/fake-gpt', ['default']),
    deployment('fake-claude', 'anthropic/fake-claude', ['default']),
    // ...and a model whose deployments are all tagged for a team refuses our project tag.
    deployment('team-gpt', 'openai/team-gpt', ['team-a']),
  ],
  // No retries: a refusal is final, and LiteLLM's retry back-off would only slow the suite down.
  router_settings: { enable_tag_filtering: true, num_retries: 0 },
  litellm_settings: { enable_post_custom_auth_checks: true },
  general_settings: { custom_auth: 'keys.user_api_key_auth', custom_auth_run_common_checks: true },
};

let provider: FakeProvider;
let litellm: LiteLlm;
let serve: ServeProcess;
let project: string;
let proxyPort: number;

const chatBody = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] });

interface Answer {
  status: number;
  body: string;
}

/** One request on a raw socket, HTTP/1.0 (the proxy's hand-off path) or HTTP/1.1 (its raw path). */
function rawRequest(port: number, version: '1.0' | '1.1', key: string, body: string, extraHeaders = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(20_000, () => socket.destroy(new Error('no answer within 20 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(text.slice(9, 12)), body: text.slice(split + 4) });
    });
    socket.write(
      `POST /v1/chat/completions HTTP/${version}\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
        `Authorization: Bearer ${key}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extraHeaders}\r\n${body}`,
    );
  });
}

/** What LiteLLM answers directly to the request the proxy sends it (our project tag, the same key). */
function direct(key: string, body: string): Promise<Answer> {
  return rawRequest(litellm.port, '1.1', key, body, `x-litellm-tags: project:${projectSlug(project)}\r\n`);
}

const requestEvents = (): ServeEvent[] => serve.events.filter((event) => event.event === 'request');
const notices = (kind: string): ServeEvent[] => serve.events.filter((event) => event.event === 'notice' && event.kind === kind);

describeWithLiteLlm('LiteLLM refusals our headers or key cause, with the real LiteLLM', () => {
  beforeAll(async () => {
    provider = await startFakeProvider();
    litellm = await startLiteLlm({ provider, config: CONFIG });
    const home = await tempDir('litellm-failures-home-');
    project = path.join(home, 'code', 'ledger');
    await mkdir(project, { recursive: true });
    // A pinned folder: served without an IDE.
    await mkdir(path.join(home, '.config', 'litellm'), { recursive: true });
    await writeFile(path.join(home, '.config', 'litellm', 'interceptor-settings.json'), JSON.stringify({ pinnedProjects: [project], jetbrainsDetection: false }));
    const range = await claimPortRange();
    serve = await startServe({ home, env: { TARGET_LLM_URL: litellm.url, INTERCEPTOR_PORT_MIN: String(range.start), INTERCEPTOR_PORT_MAX: String(range.end) } });
    const started = await serve.waitForEvent((event) => event.event === 'proxy-started' && event.project === project, 'the pinned project', 20_000);
    proxyPort = started.port as number;
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    await litellm?.stop();
    await provider?.close();
  });

  it('serves a model with a "default" deployment as usual', async () => {
    const answer = await rawRequest(proxyPort, '1.1', LITELLM_MASTER_KEY, chatBody('fake-gpt'));
    expect(answer.status).toBe(200);
  });

  it('tag routing with no default deployment: LiteLLM\'s answer passes byte for byte on both paths, the cause is told once', async () => {
    const expected = await direct(LITELLM_MASTER_KEY, chatBody('team-gpt'));
    expect(expected.status).toBe(401);
    expect(expected.body).toContain('Not allowed to access model due to tags configuration');
    const seen = requestEvents().length;
    for (const version of ['1.1', '1.0', '1.1'] as const) {
      expect(await rawRequest(proxyPort, version, LITELLM_MASTER_KEY, chatBody('team-gpt'))).toEqual(expected);
    }
    const events = await serve.waitForEvent(() => requestEvents().length >= seen + 3, 'three request events').then(() => requestEvents().slice(seen));
    for (const event of events) {
      expect(event).toMatchObject({ status: 401, problem: { kind: 'tag-routing' } });
      expect(String((event.problem as { fix: string }).fix)).toContain('"default"');
    }
    await serve.waitForEvent((event) => event.event === 'notice' && event.kind === 'litellm-refused', 'the notice');
    expect(notices('litellm-refused')).toHaveLength(1);
    expect(notices('litellm-refused')[0]).toMatchObject({ project, message: expect.stringContaining('tag-based routing') });
  });

  it('a key that may not use the model: the answer passes as it is, and the cause is named', async () => {
    const expected = await direct('sk-rig-claude-only', chatBody('fake-gpt'));
    expect(expected.status).toBeGreaterThanOrEqual(401);
    expect(expected.status).toBeLessThanOrEqual(403);
    expect(expected.body).toContain('key_model_access_denied');
    const seen = requestEvents().length;
    expect(await rawRequest(proxyPort, '1.1', 'sk-rig-claude-only', chatBody('fake-gpt'))).toEqual(expected);
    const refused = () => requestEvents().slice(seen).find((e) => e.status === expected.status);
    const event = await serve.waitForEvent(() => refused() !== undefined, 'the request event').then(refused);
    expect(event).toMatchObject({ status: expected.status, problem: { kind: 'key-model-access' } });
    await serve.waitForEvent((notice) => notice.event === 'notice' && String(notice.message).includes('may not use this model'), 'the key notice');
    // The same key may use its own model.
    expect((await rawRequest(proxyPort, '1.1', 'sk-rig-claude-only', chatBody('fake-claude'))).status).toBe(200);
  });

  it('a key LiteLLM refuses (expired): the answer passes as it is, and the cause is named', async () => {
    const expected = await direct('sk-rig-expired', chatBody('fake-gpt'));
    expect(expected.status).toBe(401);
    expect(expected.body).toContain('expired_key');
    const seen = requestEvents().length;
    // LiteLLM's message names the time it answered: the only bytes that differ between two answers.
    const clockless = (answer: Answer): Answer => ({ ...answer, body: answer.body.replace(/current time [^"]+/, 'current time (now)') });
    const proxied = await rawRequest(proxyPort, '1.1', 'sk-rig-expired', chatBody('fake-gpt'));
    expect(clockless(proxied)).toEqual(clockless(expected));
    expect(proxied.body).toMatch(/current time \d{4}-/);
    // Found by its status: the log of the previous test's last request may land after `seen` was taken.
    const refused = () => requestEvents().slice(seen).find((e) => e.status === 401);
    const event = await serve.waitForEvent(() => refused() !== undefined, 'the request event').then(refused);
    expect(event).toMatchObject({ status: 401, problem: { kind: 'key-rejected' } });
    expect(String((event?.problem as { fix: string }).fix)).toContain('configured in Interceptor');
  });

  it('tells nothing about errors our headers do not cause', async () => {
    const seen = requestEvents().length;
    const answer = await rawRequest(proxyPort, '1.1', LITELLM_MASTER_KEY, chatBody('no-such-model'));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    const failed = () => requestEvents().slice(seen).find((e) => e.status === answer.status);
    const event = await serve.waitForEvent(() => failed() !== undefined, 'the request event').then(failed);
    expect(event?.problem).toBeUndefined();
  });
});
