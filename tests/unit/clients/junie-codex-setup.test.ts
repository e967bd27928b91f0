// Junie's .junie/models/interceptor.json, and Codex, which cannot be set up per project.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setupFixture, TOKEN, TOKEN_COMMAND } from './setup-fixture';

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
    expect(view.notes[1]).toContain(`-c 'model_providers.interceptor={name="Interceptor",base_url="http://127.0.0.1:8931/v1",env_key="INTERCEPTOR_CLIENT_TOKEN",wire_api="responses"}'`);
    expect((await f.apply('codex', 8931)).written).toEqual([]);
  });
});
