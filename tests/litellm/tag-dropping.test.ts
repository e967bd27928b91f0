// LiteLLM 1.83.10 to 1.84.0-rc.1 drop the tags a client sends unless the key or team allows them
// (allow_client_tags: true). This suite runs the real LiteLLM 1.83.14 (tests/litellm/tag-dropping/)
// to prove what Interceptor then tells the user is true: requests lose their project tag, the warning
// names the version and the fixes, and the first fix works.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectSlug } from '../../electron/core/proxy/project-identity';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider';
import { describeWithLiteLlm, pinnedVersion, startLiteLlm, TAG_DROPPING_PIN, type LiteLlm } from '../helpers/litellm';
import { claimPortRange } from '../helpers/ports';
import { startRun, type RunProcess } from '../helpers/run-process';
import { tempDir } from '../helpers/temp';
import { waitFor } from '../helpers/wait';

let provider: FakeProvider;
let litellm: LiteLlm;
let run: RunProcess;
let slug: string;
const version = pinnedVersion(TAG_DROPPING_PIN);

async function tagsFiled(apiKey: string): Promise<string[]> {
  const client = new OpenAI({ baseURL: String(run.ready.baseUrl), apiKey, maxRetries: 0 });
  const { response } = await client.chat.completions.create({ model: 'fake-gpt', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
  return (await litellm.recordOf(response.headers.get('x-litellm-call-id'))).request_tags;
}

describeWithLiteLlm(
  `a LiteLLM that drops client tags (${version})`,
  () => {
    beforeAll(async () => {
      provider = await startFakeProvider();
      litellm = await startLiteLlm({
        provider,
        pin: TAG_DROPPING_PIN,
        // Keys from tests/litellm/keys.py: one plain, one with allow_client_tags (no database offline).
        config: { general_settings: { custom_auth: 'keys.user_api_key_auth' } },
      });
      const home = await tempDir('litellm-dropping-home-');
      const project = path.join(home, 'code', 'atlas');
      await mkdir(project, { recursive: true });
      slug = projectSlug(project);
      const range = await claimPortRange();
      run = await startRun([], {
        cwd: project,
        home,
        env: { TARGET_LLM_URL: litellm.url, INTERCEPTOR_REGISTRY: path.join(home, 'registry', 'port_registry.json'), INTERCEPTOR_PORT_MIN: String(range.start), INTERCEPTOR_PORT_MAX: String(range.end) },
      });
    }, 120_000);

    afterAll(async () => {
      await run?.stop();
      await litellm?.stop();
      await provider?.close();
    });

    it('really drops our project tag, and Interceptor says so with both fixes', async () => {
      const tags = await tagsFiled('sk-rig-master-key');
      expect(tags.filter((tag) => tag.startsWith('project:'))).toEqual([]);
      const warning = await waitFor('the warning on stderr', () => (run.stderr().includes('allow_client_tags') ? run.stderr() : undefined));
      expect(warning).toContain(`LiteLLM ${version} ignores the project tags`);
      expect(warning).toContain('allow_client_tags: true');
      expect(warning).toContain('1.84.0 or later');
      // The request's log line follows its end by a few milliseconds (run batches them).
      const event = await waitFor('the request line', () => run.events().find((line) => line.event === 'request'));
      expect(event.litellmVersion).toBe(version);
    });

    it('files the project again for a key with allow_client_tags: true (the first fix)', async () => {
      const tags = await tagsFiled('sk-rig-client-tags');
      expect(tags.filter((tag) => tag.startsWith('project:'))).toEqual([`project:${slug}`]);
      // Told once per version, not once per request.
      expect(run.stderr().split('allow_client_tags: true').length - 1).toBe(1);
    });
  },
  TAG_DROPPING_PIN,
);
