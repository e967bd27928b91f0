// Junie's .junie/models/interceptor.json; Codex, which cannot be set up per project, and the
// user-level configs (Codex, the Continue CLI) pointed at the shared port.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from '@decimalturn/toml-patch';
import { describe, expect, it } from 'vitest';
import { setupFixture, SHARED_PORT, TOKEN, TOKEN_ARGV, TOKEN_COMMAND } from './setup-fixture';

const PROFILE = '.junie/models/interceptor.json';

describe('Junie setup', () => {
  it('creates a profile whose baseUrl is the full chat endpoint and whose key is a ${VAR}', async () => {
    const f = await setupFixture();
    const plan = await f.plan('junie', 8921, 'gpt-fast');
    expect(plan.preview.clients[0]!.notes.join('\n')).toContain(`export INTERCEPTOR_CLIENT_TOKEN="$(${TOKEN_COMMAND})"`);
    await f.apply('junie', 8921, 'gpt-fast');
    expect(JSON.parse(await f.read(PROFILE))).toEqual({
      baseUrl: 'http://127.0.0.1:8921/v1/chat/completions',
      apiType: 'OpenAICompletion',
      id: 'gpt-fast',
      apiKey: '${INTERCEPTOR_CLIENT_TOKEN}',
    });
    expect(await f.read(PROFILE)).not.toContain(TOKEN);
  });

  it('merges into an existing profile with 4-space indentation, keeping its model and extra fields; idempotent; undo restores', async () => {
    const f = await setupFixture();
    const original = '{\n    "id": "my-model",\n    "extraBody": { "x": 1 },\n    "baseUrl": "http://127.0.0.1:9000/v1/chat/completions"\n}\n';
    await f.write(PROFILE, original);
    await f.apply('junie', 8922);
    const text = await f.read(PROFILE);
    expect(text).toContain('    "id": "my-model",\n    "extraBody": { "x": 1 },\n    "baseUrl": "http://127.0.0.1:8922/v1/chat/completions"');
    expect((await f.plan('junie', 8922)).preview.clients[0]!.files[0]!.action).toBe('unchanged');
    await f.setup.undo(f.project);
    expect(await f.read(PROFILE)).toBe(original);
  });

  it('leaves a malformed or read-only profile untouched', async () => {
    const f = await setupFixture();
    await f.write(PROFILE, '{"id": }');
    expect((await f.plan('junie', 8923)).preview.clients[0]!.files[0]!.problem).toMatch(/cannot be parsed: not valid JSON \(ValueExpected at line 1, column 8\)/);
    const g = await setupFixture();
    await g.write(PROFILE, '{}', 0o444);
    expect((await g.apply('junie', 8923)).skipped).toHaveLength(1);
    expect(await g.read(PROFILE)).toBe('{}');
  });

  it('reports a profile that points at another port', async () => {
    const f = await setupFixture();
    await f.apply('junie', 8924);
    expect(await f.setup.staleFiles(f.project, 8925)).toEqual([{ client: 'junie', file: path.join(f.project, PROFILE), port: 8924 }]);
  });
});

describe('Codex setup', () => {
  it('writes nothing, says why, and gives the command line that reaches this project', async () => {
    const f = await setupFixture();
    const plan = await f.plan('codex', 8931, 'gpt-fast');
    const view = plan.preview.clients[0]!;
    expect(view).toMatchObject({ client: 'codex', supported: false, files: [] });
    expect(view.notes[0]).toContain('unsupported project-local config keys');
    expect(view.notes[1]).toContain('`interceptor setup --client codex` points Codex\'s user config (~/.codex/config.toml) at the shared port 8887');
    expect(view.notes[2]).toContain(`-c 'model_providers.interceptor={name="Interceptor",base_url="http://127.0.0.1:8931/v1",env_key="INTERCEPTOR_CLIENT_TOKEN",wire_api="responses"}'`);
    expect((await f.apply('codex', 8931)).written).toEqual([]);
  });
});

describe('Codex, user level (one URL for every project)', () => {
  const CONFIG = [
    '# my Codex settings',
    'model = "gpt-5" # the one I like',
    'approval_policy = "on-request"',
    '',
    '[mcp_servers.docs]',
    'command = "npx"   # keep this',
    'args = ["-y", "docs-mcp"]',
    '',
    '[model_providers.interceptor]',
    'name = "old"',
    'base_url = "http://127.0.0.1:9999/v1"',
    'env_key = "INTERCEPTOR_CLIENT_TOKEN"',
    'request_max_retries = 2',
    '',
  ].join('\n');

  async function userLevel(before: string | null, model?: string) {
    const f = await setupFixture();
    const file = path.join(f.home, '.codex', 'config.toml');
    if (before !== null) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, before);
    }
    const request = { project: f.project, port: SHARED_PORT, clients: [], userLevel: ['codex' as const], ...(model ? { model } : {}) };
    return { f, file, request };
  }

  it("merges a provider at the shared port into the user's config, keeping comments, other tables and its own extra keys", async () => {
    const { f, file, request } = await userLevel(CONFIG, 'fake-model');
    const plan = await f.setup.plan(request);
    expect(plan.preview.clients[0]).toMatchObject({ client: 'codex', userLevel: true, files: [{ action: 'update', scope: 'user', shown: '~/.codex/config.toml' }] });
    await f.setup.apply(request);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# my Codex settings');
    expect(text).toContain('command = "npx"   # keep this');
    const parsed = parseToml(text) as { model: string; model_provider: string; approval_policy: string; model_providers: Record<string, unknown> };
    expect(parsed.model).toBe('fake-model');
    expect(parsed.model_provider).toBe('interceptor');
    expect(parsed.approval_policy).toBe('on-request');
    expect(parsed.model_providers.interceptor).toEqual({
      name: 'Interceptor (LiteLLM)',
      base_url: `http://127.0.0.1:${SHARED_PORT}/v1`,
      wire_api: 'responses',
      request_max_retries: 2,
      auth: { command: TOKEN_ARGV[0], args: TOKEN_ARGV.slice(1), timeout_ms: 10000 },
    });
    // Applying again changes nothing.
    expect((await f.setup.plan(request)).preview.clients[0]?.files[0]?.action).toBe('unchanged');
  });

  it('undo puts the file back as it was; a file setup created is removed; an edited one is kept', async () => {
    const first = await userLevel(CONFIG);
    await first.f.setup.apply(first.request);
    expect(await first.f.setup.undoUserLevel(['codex'])).toMatchObject({ restored: [first.file] });
    expect(await readFile(first.file, 'utf8')).toBe(CONFIG);

    const created = await userLevel(null);
    await created.f.setup.apply(created.request);
    expect(await created.f.setup.undoUserLevel(['codex'])).toMatchObject({ removed: [created.file] });

    const edited = await userLevel(null);
    await edited.f.setup.apply(edited.request);
    await writeFile(edited.file, `${await readFile(edited.file, 'utf8')}\n# mine now\n`);
    const kept = await edited.f.setup.undoUserLevel(['codex']);
    expect(kept.kept[0]?.reason).toContain('was edited since setup');
  });

  it('a file that is not TOML, or whose provider table is not a table, is left untouched and named', async () => {
    for (const broken of ['model = [unclosed\n', 'model_providers = "x"\n']) {
      const { f, file, request } = await userLevel(broken);
      const result = await f.setup.apply(request);
      expect(result.written).toEqual([]);
      expect(result.skipped[0]?.reason).toMatch(/config\.toml cannot be parsed/);
      expect(await readFile(file, 'utf8')).toBe(broken);
    }
  });

  it('the Continue CLI: one model at the shared port in ~/.continue/config.yaml, the token line kept on undo', async () => {
    const f = await setupFixture();
    const config = path.join(f.home, '.continue', 'config.yaml');
    await mkdir(path.dirname(config), { recursive: true });
    await writeFile(config, '# mine\nname: Local Config\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: Other\n    provider: ollama\n    model: llama\n');
    const request = { project: f.project, port: SHARED_PORT, clients: [], userLevel: ['continue-cli' as const], model: 'fake-model' };
    await f.setup.apply(request);
    const text = await readFile(config, 'utf8');
    expect(text).toContain('# mine');
    expect(text).toContain('name: Other');
    expect(text).toContain(`apiBase: http://127.0.0.1:${SHARED_PORT}/v1`);
    expect(text).toContain('name: Interceptor (one URL)');
    const undone = await f.setup.undoUserLevel(['continue-cli']);
    expect(undone.restored).toEqual([config]);
    expect(undone.kept.map((k) => k.file)).toEqual([path.join(f.home, '.continue', '.env')]);
  });
});
