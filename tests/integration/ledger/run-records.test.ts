// `interceptor run` with the usage ledger: the built CLI in a child process against a fake LiteLLM.
// Its requests land in interceptor-usage.sqlite beside the registry, with tokens and cost, its JSON
// request lines carry the usage, `interceptor usage` (another process) reads them back; with
// `usageLedger: false` in the settings nothing is recorded and no database is created.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, parseJson, runCli } from '../../helpers/cli';
import { startFakeLiteLlm, type FakeLiteLlm } from '../../helpers/fake-litellm';
import { CLI_PATH } from '../../helpers/paths';
import { freePort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';

let litellm: FakeLiteLlm;
beforeAll(async () => {
  litellm = await startFakeLiteLlm();
});
afterAll(() => litellm.close());

async function runOnce(settings: Record<string, unknown> | undefined) {
  const dir = await tempDir();
  const project = path.join(dir, 'alpha');
  await mkdir(project);
  const configDir = path.join(dir, 'config');
  await mkdir(configDir);
  if (settings) writeFileSync(path.join(configDir, 'interceptor-settings.json'), JSON.stringify(settings));
  const port = await freePort();
  const env = { INTERCEPTOR_REGISTRY: path.join(configDir, 'port_registry.json'), INTERCEPTOR_PORT: String(port), TARGET_LLM_URL: litellm.url };
  const child = spawn(process.execPath, [CLI_PATH, '--json', 'run', project], { env: cliEnv({ env, home: dir }) });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  try {
    await waitFor('run to be ready', () => (out.includes('"event":"ready"') ? true : undefined), 15_000);
    const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'OpenAI/Python 1.99.0' },
      body: JSON.stringify({ model: 'gpt-test', messages: [] }),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    await waitFor('the request line', () => (out.includes('"event":"request"') ? true : undefined), 10_000);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited, err).toBe(0);
  const requestLine = out.split('\n').find((line) => line.includes('"event":"request"')) as string;
  return { dir, env, project, configDir, err, request: JSON.parse(requestLine) as Record<string, unknown> };
}

describe('interceptor run records usage', () => {
  it('writes each request with tokens and cost, and `interceptor usage` reads it back', async () => {
    const { env, project, configDir, dir, err, request } = await runOnce(undefined);
    expect(err).toBe('');
    expect(request).toMatchObject({ project, attribution: 'port', client: 'openai-python', usage: { promptTokens: 1200, completionTokens: 340, cost: 0.0042, costSource: 'header' } });
    expect(existsSync(path.join(configDir, 'interceptor-usage.sqlite'))).toBe(true);
    const usage = parseJson<{ rows: Array<Record<string, unknown>> }>(await runCli(['--json', 'usage'], { env, home: dir }));
    expect(usage.rows).toEqual([expect.objectContaining({ key: project, requests: 1, promptTokens: 1200, completionTokens: 340, cost: 0.0042 })]);
  });

  it('with usageLedger off in the settings: no usage on the entries, no database', async () => {
    const { configDir, request, err } = await runOnce({ usageLedger: false });
    expect(err).toBe('');
    expect(request.usage).toBeUndefined();
    expect(existsSync(path.join(configDir, 'interceptor-usage.sqlite'))).toBe(false);
  });
});
