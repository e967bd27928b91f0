// The real AI client CLIs, run as a user runs them, in two project folders that `interceptor setup`
// configured, against `interceptor serve` (a real child process, temp HOME) and a fake LiteLLM that
// speaks each client's API. Each request must reach the upstream tagged with the project it was
// made in, carry the user's LiteLLM key (the client only ever held the local client token), and the
// client must print the fake answer. The clients come from this folder's own package.json
// (`npm ci --prefix tests/clients`, which .ci/run does); nothing leaves 127.0.0.1.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { projectSlug } from '../../electron/core/proxy/project-identity';
import { parseJson, runCli } from '../helpers/cli';
import { CLIENT_BIN as BIN, clientInstalled, LOOPBACK_ONLY, requireClient, runClaude, runClient, runContinue } from '../helpers/client-cli';
import { FAKE_ANSWER, startFakeUpstream, type FakeUpstream, type RecordedRequest } from '../helpers/fake-upstream';
import { claimPortRange, freePort } from '../helpers/ports';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { tempDir } from '../helpers/temp';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const LITELLM_KEY = 'sk-litellm-real-key-for-tests';
const MODEL = 'fake-model';
const ANY_INSTALLED = (['claude', 'cn', 'codex'] as const).some(clientInstalled);

let upstream: FakeUpstream;
let serve: ServeProcess;
let home: string;
let projects: Record<'alpha' | 'beta', string>;
let ports: Record<string, number>;
let token: string;
let baseEnv: Record<string, string>;
let sharedPort: number;

beforeAll(async () => {
  if (!ANY_INSTALLED) return;
  upstream = await startFakeUpstream();
  const root = await tempDir('interceptor-real-clients-');
  home = path.join(root, 'home');
  await mkdir(home, { recursive: true });
  const range = await claimPortRange();
  sharedPort = await freePort();
  baseEnv = {
    INTERCEPTOR_IDE_PORT: String(sharedPort),
    INTERCEPTOR_PORT_MIN: String(range.start),
    INTERCEPTOR_PORT_MAX: String(range.end),
    TARGET_LLM_URL: upstream.url,
    LITELLM_API_KEY: LITELLM_KEY,
  };
  projects = { alpha: path.join(root, 'work', 'alpha'), beta: path.join(root, 'work', 'beta') };
  ports = {};
  for (const project of Object.values(projects)) {
    await mkdir(project, { recursive: true });
    const setup = await runCli(['setup', project, '--model', MODEL, '--json'], { home, env: baseEnv });
    expect(setup.code, setup.stderr).toBe(0);
    ports[project] = parseJson<{ port: number }>(setup).port;
    const opened = await runCli(['open', project], { home, env: baseEnv });
    expect(opened.code, opened.stderr).toBe(0);
  }
  token = (await runCli(['token'], { home, env: baseEnv })).stdout.trim();
  serve = await startServe({ home, env: baseEnv });
  for (const project of Object.values(projects)) {
    await serve.waitForEvent((e) => e.event === 'proxy-started' && e.project === project, `${project} served`, 20_000);
  }
});

afterAll(async () => {
  await serve?.stop();
  await upstream?.close();
});

/** The upstream requests that arrived since `from`, on `pathSuffix`. */
function received(from: number, pathSuffix: string): RecordedRequest[] {
  return upstream.requests.slice(from).filter((request) => request.url.split('?')[0]!.endsWith(pathSuffix));
}

/** Every request went out tagged with `project`, with the user's key and never the token. */
function expectFromProject(requests: RecordedRequest[], project: string): void {
  expect(requests.length).toBeGreaterThan(0);
  const slug = projectSlug(project);
  for (const request of requests) {
    expect(request.headers['x-interceptor-project']).toBe(slug);
    expect(request.headers['x-interceptor-port']).toBe(String(ports[project]));
    expect(String(request.headers['x-litellm-tags'])).toContain(`project:${slug}`);
    const credentials = [request.headers.authorization, request.headers['x-api-key']].filter((value) => value !== undefined).join(' ');
    expect(credentials).toContain(LITELLM_KEY);
    expect(credentials).not.toContain(token);
  }
}

describe.each(['alpha', 'beta'] as const)('in project %s', (name) => {
  it(`Claude Code answers through the project's port`, async ({ skip }) => {
    requireClient('claude', skip);
    const project = projects[name];
    const from = upstream.requests.length;
    const result = await runClaude(project, home);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(FAKE_ANSWER);
    const messages = received(from, '/v1/messages');
    expectFromProject(messages, project);
    expect(messages.every((request) => request.method === 'POST')).toBe(true);
  });

  it(`Continue CLI answers through the project's port`, async ({ skip }) => {
    requireClient('cn', skip);
    const project = projects[name];
    const from = upstream.requests.length;
    // Its hub and its version check stay on this machine.
    const result = await runContinue(project, home, upstream.url);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('chunk0 chunk1');
    const completions = received(from, '/v1/chat/completions');
    expectFromProject(completions, project);
  });

  it(`Codex CLI answers through the project's port with the command line setup prints`, async ({ skip }) => {
    requireClient('codex', skip);
    const project = projects[name];
    // The command line `interceptor setup` prints for Codex (per project), taken from its --json notes.
    const setup = parseJson<{ clients: Array<{ client: string; notes: string[] }> }>(await runCli(['setup', project, '--model', MODEL, '--json', '--dry-run'], { home, env: baseEnv }));
    const note = setup.clients.find((view) => view.client === 'codex')!.notes.find((line) => line.includes('codex -c'))!;
    const override = /-c '(model_providers\.interceptor=\{[^']+\})'/.exec(note)?.[1];
    expect(override).toBeDefined();
    const codexHome = path.join(home, '.codex');
    await mkdir(codexHome, { recursive: true });
    const from = upstream.requests.length;
    const result = await runClient(
      path.join(BIN, 'codex'),
      ['exec', '--skip-git-repo-check', '--ephemeral', '-c', override!, '-c', 'model_provider=interceptor', '-m', MODEL, '-c', 'analytics.enabled=false', '-c', 'features.plugins=false', '-o', path.join(codexHome, 'last.txt'), 'say hi'],
      { cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CODEX_HOME: codexHome, INTERCEPTOR_CLIENT_TOKEN: token } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(path.join(codexHome, 'last.txt'), 'utf8')).toContain(FAKE_ANSWER);
    expectFromProject(received(from, '/v1/responses'), project);
  });

  it(`Junie CLI: ${name}`, ({ skip }) => {
    // Not replaced by a stub: reported, with the reason.
    skip(
      'Junie CLI cannot run here: its npm package (@jetbrains/junie 3110.7.0) is only an installer whose postinstall downloads the Junie binary from github.com releases, which this machine cannot reach',
    );
  });
});

describe('Codex and a project-level .codex/config.toml', () => {
  it('refuses a provider chosen by the project, even a trusted one: why setup writes nothing for Codex', async ({ skip }) => {
    requireClient('codex', skip);
    const { writeFile } = await import('node:fs/promises');
    const { freePort } = await import('../helpers/ports');
    const { execFileSync } = await import('node:child_process');
    // A git repository of its own (Codex keys trust by repository), whose config names alpha's proxy.
    const project = path.join(path.dirname(projects.alpha), 'gamma');
    await mkdir(path.join(project, '.codex'), { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: project });
    await writeFile(
      path.join(project, '.codex', 'config.toml'),
      `model = "${MODEL}"\nmodel_provider = "interceptor"\n[model_providers.interceptor]\nname = "Interceptor"\nbase_url = "http://127.0.0.1:${ports[projects.alpha]}/v1"\nenv_key = "INTERCEPTOR_CLIENT_TOKEN"\nwire_api = "responses"\n`,
    );
    // The user's own config: the project trusted, and a provider of its own on a port where nothing
    // listens, so whichever provider Codex really uses is visible and no request can leave.
    const codexHome = path.join(home, '.codex-refusal');
    await mkdir(codexHome, { recursive: true });
    const decoy = await freePort();
    await writeFile(
      path.join(codexHome, 'config.toml'),
      [
        'model_provider = "decoy"',
        '[model_providers.decoy]',
        'name = "Decoy"',
        `base_url = "http://127.0.0.1:${decoy}/v1"`,
        'wire_api = "responses"',
        'request_max_retries = 0',
        'stream_max_retries = 0',
        '[analytics]',
        'enabled = false',
        '[features]',
        'plugins = false',
        `[projects.${JSON.stringify(project)}]`,
        'trust_level = "trusted"',
        '',
      ].join('\n'),
    );
    const from = upstream.requests.length;
    // Codex retries the unreachable decoy for ever ("Reconnecting... waiting for network"): the run is
    // ended once it has tried it.
    const result = await runClient(path.join(BIN, 'codex'), ['exec', '--ephemeral', 'say hi'], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CODEX_HOME: codexHome, INTERCEPTOR_CLIENT_TOKEN: token },
      timeoutMs: 30_000,
      stopWhen: (output) => output.includes('Reconnecting'),
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(output, output).toContain(`Ignored unsupported project-local config keys in ${path.join(project, '.codex', 'config.toml')}: model_provider, model_providers`);
    expect(output).toContain('Reconnecting');
    expect(upstream.requests.slice(from)).toEqual([]);
  });
});

describe('one URL for every project: the shared port, one user-level config, the project from the working folder', () => {
  let oneUrl: Record<'gamma' | 'delta', string>;

  beforeAll(async () => {
    if (!ANY_INSTALLED) return;
    // Two more registered projects, with no client file of their own.
    const work = path.dirname(projects.alpha);
    oneUrl = { gamma: path.join(work, 'gamma'), delta: path.join(work, 'delta') };
    for (const project of Object.values(oneUrl)) {
      await mkdir(project, { recursive: true });
      const allocated = await runCli(['allocate', project], { home, env: baseEnv });
      expect(allocated.code, allocated.stderr).toBe(0);
    }
  });

  /** Every request went through the shared port, attributed to `project` by its working folder. */
  function expectByFolder(requests: RecordedRequest[], project: string): void {
    expect(requests.length).toBeGreaterThan(0);
    const slug = projectSlug(project);
    for (const request of requests) {
      expect(request.headers['x-interceptor-project']).toBe(slug);
      expect(request.headers['x-interceptor-port']).toBe(String(sharedPort));
      expect(request.headers['x-interceptor-attribution']).toBe('cwd');
      expect(String(request.headers['x-litellm-tags']).split(',')).toEqual(expect.arrayContaining([`project:${slug}`, 'attribution:cwd']));
      const credentials = [request.headers.authorization, request.headers['x-api-key']].filter((value) => value !== undefined).join(' ');
      expect(credentials).toContain(LITELLM_KEY);
      expect(credentials).not.toContain(token);
    }
  }

  it('Claude Code: one user settings file at the shared port; started in gamma, then in delta', async ({ skip }) => {
    requireClient('claude', skip);
    // Claude Code's user-level settings (CLAUDE_CONFIG_DIR stands for ~/.claude): the shared port,
    // and the same apiKeyHelper setup wrote for alpha.
    const alphaSettings = JSON.parse(await readFile(path.join(projects.alpha, '.claude', 'settings.local.json'), 'utf8')) as { apiKeyHelper: string };
    const configDir = path.join(home, '.claude-one-url');
    await mkdir(configDir, { recursive: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      path.join(configDir, 'settings.json'),
      JSON.stringify({ env: { ANTHROPIC_BASE_URL: `http://127.0.0.1:${sharedPort}` }, apiKeyHelper: alphaSettings.apiKeyHelper }, null, 2),
    );
    for (const name of ['gamma', 'delta'] as const) {
      const from = upstream.requests.length;
      const result = await runClient(path.join(BIN, 'claude'), ['-p', 'say hi', '--output-format', 'text'], {
        cwd: oneUrl[name],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          CLAUDE_CONFIG_DIR: configDir,
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          DISABLE_TELEMETRY: '1',
          DISABLE_AUTOUPDATER: '1',
        },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(FAKE_ANSWER);
      expectByFolder(received(from, '/v1/messages'), oneUrl[name]);
    }
  });

  it('Codex: `interceptor setup --client codex` writes its user config at the shared port; started in gamma, then in delta', async ({ skip }) => {
    requireClient('codex', skip);
    const codexHome = path.join(home, '.codex-one-url');
    const env = { ...baseEnv, CODEX_HOME: codexHome };
    const setup = await runCli(['setup', oneUrl.gamma, '--client', 'codex', '--model', MODEL], { home, env });
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toContain('Codex takes its provider only from the user-level config');
    const config = await readFile(path.join(codexHome, 'config.toml'), 'utf8');
    expect(config).toContain(`base_url = "http://127.0.0.1:${sharedPort}/v1"`);
    for (const name of ['gamma', 'delta'] as const) {
      const from = upstream.requests.length;
      const result = await runClient(
        path.join(BIN, 'codex'),
        ['exec', '--skip-git-repo-check', '--ephemeral', '-c', 'analytics.enabled=false', '-c', 'features.plugins=false', '-o', path.join(codexHome, `last-${name}.txt`), 'say hi'],
        // No token in the environment: Codex runs `interceptor token` itself, as the config says.
        { cwd: oneUrl[name], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CODEX_HOME: codexHome } },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(await readFile(path.join(codexHome, `last-${name}.txt`), 'utf8')).toContain(FAKE_ANSWER);
      expectByFolder(received(from, '/v1/responses'), oneUrl[name]);
    }
    // And back: undo restores the config as it was (there was none).
    const undo = await runCli(['setup', '--undo', '--client', 'codex'], { home, env });
    expect(undo.code, undo.stderr).toBe(0);
    expect(existsSync(path.join(codexHome, 'config.toml'))).toBe(false);
  });

  it('Continue CLI: `interceptor setup --client continue-cli` adds a model to its user config at the shared port; started in gamma, then in delta', async ({ skip }) => {
    requireClient('cn', skip);
    // ~/.continue/config.yaml of the same home: the per-project runs above name their config with --config.
    const setup = await runCli(['setup', oneUrl.gamma, '--client', 'continue-cli', '--model', MODEL], { home, env: baseEnv });
    expect(setup.code, setup.stderr).toBe(0);
    for (const name of ['gamma', 'delta'] as const) {
      const from = upstream.requests.length;
      const result = await runClient(path.join(BIN, 'cn'), ['-p', 'say hi'], {
        cwd: oneUrl[name],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          CONTINUE_API_BASE: `${upstream.url}/`,
          CONTINUE_METRICS_ENABLED: '0',
          NODE_OPTIONS: `--import=${LOOPBACK_ONLY}`,
        },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('chunk0 chunk1');
      expectByFolder(received(from, '/v1/chat/completions'), oneUrl[name]);
    }
  });
});
