// `interceptor run` as a user runs it: the built CLI in a child process, a temp HOME and registry,
// the fake upstream as LiteLLM, the openai client as the IDE, SIGTERM to stop.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../helpers/cli';
import { startFakeUpstream } from '../helpers/fake-upstream';
import { CLI_PATH } from '../helpers/paths';
import { freePort, occupyPort } from '../helpers/ports';
import { tempDir } from '../helpers/temp';
import { waitFor } from '../helpers/wait';

interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Parsed JSON lines printed so far. */
  events(): Record<string, unknown>[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function startRun(args: string[], options: { env: Record<string, string | undefined>; cwd: string; home: string }): RunningCli {
  const child = spawn(process.execPath, [CLI_PATH, 'run', ...args], { cwd: options.cwd, env: cliEnv({ env: options.env, home: options.home }) });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    // --json prints one JSON document per line; anything else on stdout is a failure to show, not parse.
    events: () =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{') && line.endsWith('}'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exit,
  };
}

async function readyEvent(run: RunningCli): Promise<Record<string, unknown>> {
  try {
    return await waitFor(
      'the ready line',
      () => {
        if (run.child.exitCode !== null) throw new Error(`run exited with ${run.child.exitCode} before it was ready`);
        return run.events().find((e) => e.event === 'ready');
      },
      15_000,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\nstdout: ${run.stdout()}\nstderr: ${run.stderr()}`, { cause: error });
  }
}

describe('interceptor run', async () => {
  const upstream = await startFakeUpstream();
  afterAll(() => upstream.close());
  const home = await tempDir('interceptor-run-home-');
  const registry = path.join(home, 'registry', 'port_registry.json');
  const project = path.join(await tempDir('interceptor-run-project-'), 'Shop App');
  await mkdir(project, { recursive: true });
  const baseEnv = { TARGET_LLM_URL: upstream.url, INTERCEPTOR_REGISTRY: registry, LITELLM_API_KEY: 'sk-secret-run-key' };

  it('serves the folder on its registry port, logs requests as JSON lines and stops cleanly on SIGTERM', async () => {
    const run = startRun(['--json'], { env: baseEnv, cwd: project, home });
    const ready = await readyEvent(run);
    expect(ready).toMatchObject({ project, name: 'Shop App', host: '127.0.0.1', portSource: 'registry-new', target: upstream.url, apiKeyConfigured: true });
    const port = ready.port as number;
    expect(ready.baseUrl).toBe(`http://127.0.0.1:${port}/v1`);
    expect(JSON.parse(readFileSync(registry, 'utf8')).mappings[project]).toBe(port);

    const client = new OpenAI({ baseURL: ready.baseUrl as string, apiKey: 'sk-client', maxRetries: 0 });
    await client.chat.completions.create({ model: 'run-model', messages: [{ role: 'user', content: 'secret prompt text' }] });
    expect(upstream.lastRequest().headers['x-interceptor-project']).toBe(ready.slug);
    const request = await waitFor('a request line', () => run.events().find((e) => e.event === 'request'));
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions', status: 200, model: 'run-model', streamed: false });

    run.child.kill('SIGTERM');
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(run.events().at(-1)).toEqual({ event: 'stopped' });
    expect(run.stdout() + run.stderr()).not.toContain('secret prompt text');
  });

  it('prints the base URL and one readable line per request, never the key', async () => {
    const run = startRun([], { env: baseEnv, cwd: project, home });
    await waitFor('the banner', () => run.stdout().includes('Ctrl-C to stop.'), 15_000);
    const port = Number(/port +(\d+) \(from the registry\)/.exec(run.stdout())?.[1]);
    expect(run.stdout()).toContain(`base URL  http://127.0.0.1:${port}/v1`);
    expect(run.stdout()).toContain(`target    ${upstream.url}`);
    expect(run.stdout()).toContain('api key   configured: given to your own clients (see interceptor token)');

    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'unused', maxRetries: 0, defaultHeaders: { authorization: null } });
    const stream = await client.chat.completions.create({ model: 'streamer', messages: [], stream: true });
    for await (const _chunk of stream) void _chunk;
    expect(upstream.lastRequest().headers.authorization).toBe('Bearer sk-secret-run-key'); // injected: the client sent none
    await waitFor('the request line', () => / POST \/v1\/chat\/completions 200 \d+ms stream model=streamer/.test(run.stdout()));

    run.child.kill('SIGINT');
    expect((await run.exit).code).toBe(0);
    expect(run.stdout()).toContain('stopped.');
    expect(run.stdout() + run.stderr()).not.toContain('sk-secret-run-key');
  });

  it('says so when the project is already served by another Interceptor (exit 4)', async () => {
    const first = startRun(['--json'], { env: baseEnv, cwd: project, home });
    const ready = await readyEvent(first);
    const second = await runCli(['run', project], { env: baseEnv, home });
    expect(second.code).toBe(4);
    expect(second.stderr).toContain(`port ${String(ready.port)} is already served for this project by another Interceptor`);
    first.child.kill('SIGTERM');
    await first.exit;
  });

  it('names the program holding a busy port (exit 4)', async () => {
    const port = await freePort();
    const holder = await occupyPort(port);
    try {
      const result = await runCli(['run', project], { env: { ...baseEnv, INTERCEPTOR_PORT: String(port) }, home });
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(new RegExp(`port ${port} is taken by .*pid ${process.pid}.*: stop it, or set INTERCEPTOR_PORT`));
    } finally {
      holder.close();
    }
  });

  it('honours INTERCEPTOR_PORT and leaves the registry alone', async () => {
    const port = await freePort();
    const otherRegistry = path.join(home, 'untouched', 'port_registry.json');
    const run = startRun(['--json', project], { env: { ...baseEnv, INTERCEPTOR_PORT: String(port), INTERCEPTOR_REGISTRY: otherRegistry }, cwd: home, home });
    const ready = await readyEvent(run);
    expect(ready).toMatchObject({ port, portSource: 'env', project });
    expect(existsSync(otherRegistry)).toBe(false);
    run.child.kill('SIGTERM');
    expect((await run.exit).code).toBe(0);
  });

  it('uses --target and --host, warning when the host is not loopback', async () => {
    const run = startRun(['--json', '--host', '0.0.0.0', '--target', `${upstream.url}/v1`], { env: baseEnv, cwd: project, home });
    const ready = await readyEvent(run);
    expect(ready).toMatchObject({ host: '0.0.0.0', target: `${upstream.url}/v1` });
    expect(run.stderr()).toContain('not loopback');
    const client = new OpenAI({ baseURL: ready.baseUrl as string, apiKey: 'k', maxRetries: 0 });
    await client.models.list();
    expect(upstream.lastRequest().url).toBe('/v1/models');
    run.child.kill('SIGTERM');
    expect((await run.exit).code).toBe(0);
  });

  it('forwards to an https LiteLLM whose certificate NODE_EXTRA_CA_CERTS trusts', async () => {
    const dir = await tempDir('interceptor-run-tls-');
    const generated = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-days', '1', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`],
      { encoding: 'utf8' },
    );
    expect(generated.status, `openssl is needed for this test: ${generated.stderr}`).toBe(0);
    const server = https.createServer({ key: readFileSync(`${dir}/key.pem`), cert: readFileSync(`${dir}/cert.pem`) }, (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ url: req.url, project: req.headers['x-interceptor-project'], host: req.headers.host }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const target = `https://localhost:${(server.address() as AddressInfo).port}`;
      const run = startRun(['--json'], { env: { ...baseEnv, TARGET_LLM_URL: target, NODE_EXTRA_CA_CERTS: `${dir}/cert.pem` }, cwd: project, home });
      const ready = await readyEvent(run);
      for (let i = 0; i < 3; i += 1) {
        const response = await fetch(`http://127.0.0.1:${ready.port as number}/v1/models?i=${i}`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ url: `/v1/models?i=${i}`, project: ready.slug, host: new URL(target).host });
      }
      run.child.kill('SIGTERM');
      expect((await run.exit).code).toBe(0);
    } finally {
      server.close();
    }
  });

  it('warns at start when LiteLLM is not reachable, and keeps running', async () => {
    const run = startRun(['--json'], { env: { ...baseEnv, TARGET_LLM_URL: `http://127.0.0.1:${await freePort()}` }, cwd: project, home });
    await readyEvent(run);
    await waitFor('the unreachable warning', () => run.stderr().includes('is not reachable right now'));
    run.child.kill('SIGTERM');
    expect((await run.exit).code).toBe(0);
  });

  it.each([
    [['--target', 'localhost:4000'], {}, /--target: target URL "localhost:4000" must start with http:\/\/ or https:\/\//],
    [[], { TARGET_LLM_URL: 'ftp://x' }, /TARGET_LLM_URL/],
    [[], { INTERCEPTOR_PORT: 'eighty' }, /INTERCEPTOR_PORT="eighty" is not a port number/],
    [['--bogus'], {}, /run: unknown option --bogus/],
    [['/no/such/folder'], {}, /no such folder: \/no\/such\/folder/],
  ])('refuses bad input %j %j with one line and exit 2', async (args, env, message) => {
    const result = await runCli(['run', ...args], { env: { ...baseEnv, ...env }, home, cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
