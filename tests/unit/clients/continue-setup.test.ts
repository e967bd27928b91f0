// Continue's .continue/models/interceptor.yaml and the token line in ~/.continue/.env.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { setupFixture, TOKEN } from './setup-fixture';

const BLOCK = '.continue/models/interceptor.yaml';
const ENV = '~/.continue/.env';

describe('Continue setup', () => {
  it('creates a model block naming the token by secret, and keeps the token in ~/.continue/.env (redacted in the diff)', async () => {
    const f = await setupFixture();
    const plan = await f.plan('continue', 8911, 'gpt-fast');
    const [block, env] = plan.preview.clients[0]!.files;
    expect(block).toMatchObject({ action: 'create', scope: 'project', shown: BLOCK });
    expect(env).toMatchObject({ action: 'create', scope: 'user', shown: ENV });
    expect(env!.diff).toContain('+INTERCEPTOR_CLIENT_TOKEN=sk-…tttt');
    expect(env!.diff).not.toContain(TOKEN);

    await f.apply('continue', 8911, 'gpt-fast');
    const written = parse(await f.read(BLOCK)) as { name: string; models: Array<Record<string, unknown>> };
    expect(written.name).toBe('Interceptor (LiteLLM)');
    expect(written.models).toEqual([
      {
        name: 'Interceptor (LiteLLM)',
        provider: 'openai',
        model: 'gpt-fast',
        apiBase: 'http://127.0.0.1:8911/v1',
        apiKey: '${{ secrets.INTERCEPTOR_CLIENT_TOKEN }}',
        roles: ['chat', 'edit', 'apply'],
      },
    ]);
    expect(await f.read(BLOCK)).not.toContain(TOKEN);
    expect(await f.read(ENV)).toBe(`INTERCEPTOR_CLIENT_TOKEN=${TOKEN}\n`);

    // Undo removes the project's block; the per-user .env is shared by every project, so it stays.
    const undone = await f.setup.undo(f.project);
    expect(undone.removed).toEqual([path.join(f.project, BLOCK)]);
    expect(undone.kept.map((k) => k.file)).toEqual([path.join(f.home, '.continue', '.env')]);
    expect(await f.read(ENV)).toBe(`INTERCEPTOR_CLIENT_TOKEN=${TOKEN}\n`);
  });

  it('merges into an existing commented block: other models, comments and order stay; only our entry moves', async () => {
    const f = await setupFixture();
    const original = [
      '# my models',
      'name: Team models',
      'version: 0.0.1',
      'schema: v1',
      'models:',
      '  - name: Local Ollama # keep me',
      '    provider: ollama',
      '    model: llama3',
      '  - name: Interceptor (LiteLLM)',
      '    provider: openai',
      '    model: big-model',
      '    apiBase: http://127.0.0.1:9000/v1',
      '    roles: [chat]',
      '',
    ].join('\n');
    await f.write(BLOCK, original);
    await f.write(ENV, '# other secrets\nOPENAI_API_KEY=sk-other\n');
    await f.apply('continue', 8912);
    const text = await f.read(BLOCK);
    expect(text).toContain('# my models\nname: Team models');
    expect(text).toContain('  - name: Local Ollama # keep me\n    provider: ollama\n    model: llama3');
    const models = (parse(text) as { models: Array<Record<string, unknown>> }).models;
    expect(models[1]).toEqual({
      name: 'Interceptor (LiteLLM)',
      provider: 'openai',
      model: 'big-model',
      apiBase: 'http://127.0.0.1:8912/v1',
      roles: ['chat'],
      apiKey: '${{ secrets.INTERCEPTOR_CLIENT_TOKEN }}',
    });
    expect(await f.read(ENV)).toBe(`# other secrets\nOPENAI_API_KEY=sk-other\nINTERCEPTOR_CLIENT_TOKEN=${TOKEN}\n`);

    const again = await f.plan('continue', 8912);
    expect(again.preview.clients[0]!.files.map((c) => c.action)).toEqual(['unchanged', 'unchanged']);

    await f.setup.undo(f.project);
    expect(await f.read(BLOCK)).toBe(original);
  });

  it('writes a placeholder model when none is known, and says to replace it', async () => {
    const f = await setupFixture();
    const plan = await f.plan('continue', 8913);
    expect(plan.preview.clients[0]!.notes.join('\n')).toContain('replace MODEL_NAME with a model LiteLLM serves');
    expect(plan.preview.clients[0]!.files[0]!.diff).toContain('+    model: MODEL_NAME');
  });

  it("keeps the user's own apiKey and then writes no token anywhere", async () => {
    const f = await setupFixture();
    await f.write(BLOCK, 'name: x\nversion: 1\nschema: v1\nmodels:\n  - name: Interceptor (LiteLLM)\n    provider: openai\n    model: m\n    apiKey: ${{ secrets.MY_KEY }}\n');
    const plan = await f.plan('continue', 8914);
    expect(plan.preview.clients[0]!.files).toHaveLength(1);
    expect(plan.preview.clients[0]!.notes.join('\n')).toContain('keeps the apiKey already in the "Interceptor (LiteLLM)" entry');
    await f.apply('continue', 8914);
    expect(await f.read(BLOCK)).toContain('apiKey: ${{ secrets.MY_KEY }}');
  });

  it('leaves malformed YAML and a non-list models untouched', async () => {
    const f = await setupFixture();
    await f.write(BLOCK, 'models:\n  - name: a\n   bad indent: [\n');
    const change = (await f.plan('continue', 8915)).preview.clients[0]!.files[0]!;
    expect(change.action).toBe('blocked');
    expect(change.problem).toMatch(/^\.continue\/models\/interceptor\.yaml cannot be parsed: not valid YAML \(.+ at line \d+, column \d+\); left untouched$/);
    // A blocked block means no token is written for it either.
    expect((await f.plan('continue', 8915)).preview.clients[0]!.files).toHaveLength(1);

    const g = await setupFixture();
    await g.write(BLOCK, 'models: {a: 1}\n');
    expect((await g.plan('continue', 8915)).preview.clients[0]!.files[0]!.problem).toContain('"models" is not a list');
  });

  it('leaves a read-only block untouched', async () => {
    const f = await setupFixture();
    await f.write(BLOCK, 'name: x\n', 0o400);
    const result = await f.apply('continue', 8916);
    expect(result.skipped.map((s) => s.reason)).toEqual(['.continue/models/interceptor.yaml is read-only (mode 0400); left untouched']);
    expect(await f.read(BLOCK)).toBe('name: x\n');
  });

  it('reports a block that points at another port', async () => {
    const f = await setupFixture();
    await f.apply('continue', 8917);
    expect(await f.setup.staleFiles(f.project, 8918)).toEqual([{ client: 'continue', file: path.join(f.project, BLOCK), port: 8917 }]);
  });
});

describe('the token line in ~/.continue/.env', () => {
  it('is private (0600) even when the file was readable by others', async () => {
    const { stat } = await import('node:fs/promises');
    const f = await setupFixture();
    const file = await f.write(ENV, 'A=1\n', 0o644);
    await f.apply('continue', 8919);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe('a rotated token', () => {
  it('leaves the copy in ~/.continue/.env stale until setup runs again, and says so', async () => {
    const { ClientSetup } = await import('../../../electron/core/clients');
    const f = await setupFixture();
    await f.apply('continue', 8920);
    expect(await f.setup.staleTokenCopies()).toEqual([]);
    const rotated = new ClientSetup({
      stateDir: path.join(f.home, 'state'),
      tokenCommand: 'x token',
      tokenArgv: ['x', 'token'],
      clientToken: () => `${TOKEN.slice(0, -1)}X`,
      sharedPort: () => 8887,
      host: '127.0.0.1',
      home: f.home,
    });
    expect(await rotated.staleTokenCopies()).toEqual([path.join(f.home, '.continue', '.env')]);
    await rotated.apply({ project: f.project, port: 8920, clients: ['continue'] });
    expect(await rotated.staleTokenCopies()).toEqual([]);
  });
});
