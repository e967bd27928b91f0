// The real LiteLLM proxy in the test loop: finds the venv .ci/run installed (tests/litellm/
// install-venv.sh), starts `litellm` on a free port with tests/litellm/config.yaml (plus a test's
// own changes) in front of the fake provider, waits until it answers, reads what its recording
// callback wrote, and stops it. Python runs only here, for tests; the product never does.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import { parse, stringify } from 'yaml';
import type { FakeProvider } from './fake-provider';
import { REPO_ROOT } from './paths';
import { freePort } from './ports';
import { tempDir } from './temp';
import { waitFor } from './wait';

export const LITELLM_RIG_DIR = path.join(REPO_ROOT, 'tests/litellm');
/** The rig's master key (config.yaml); clients send it as their LiteLLM key. */
export const LITELLM_MASTER_KEY = 'sk-rig-master-key';
export const LITELLM_SKIPPED = 'skipped: LiteLLM venv missing (run .ci/run)';

/** A pinned LiteLLM: the folder of its requirements.in and requirements.lock. */
export type LiteLlmPin = string;
/** The LiteLLM every suite runs against. */
export const MAIN_PIN: LiteLlmPin = LITELLM_RIG_DIR;
/** A LiteLLM that drops client tags (1.83.10 to 1.84.0-rc.1), for the suite that proves our warning. */
export const TAG_DROPPING_PIN: LiteLlmPin = path.join(LITELLM_RIG_DIR, 'tag-dropping');

/** The version a pin's requirements.in names. */
export function pinnedVersion(pin: LiteLlmPin = MAIN_PIN): string {
  return /^litellm\[proxy\]==(\S+)$/m.exec(readFileSync(path.join(pin, 'requirements.in'), 'utf8'))?.[1] ?? 'unknown';
}
/** What the main rig's LiteLLM says it is. */
export const LITELLM_PINNED_VERSION = pinnedVersion();

/**
 * Where install-venv.sh put the venv of a pin's lock file: keyed by the lock's hash, under the
 * account's real home (the tests' HOME is a throw-away folder).
 */
export function litellmVenv(pin: LiteLlmPin = MAIN_PIN): string {
  const key = createHash('sha256').update(readFileSync(path.join(pin, 'requirements.lock'))).digest('hex').slice(0, 16);
  return path.join(userInfo().homedir, '.cache', 'litellm-interceptor', `litellm-venv-${key}`);
}

/** True when the venv for the pin's current lock file is installed and complete. */
export function litellmAvailable(pin: LiteLlmPin = MAIN_PIN): boolean {
  const venv = litellmVenv(pin);
  return existsSync(path.join(venv, '.installed')) && existsSync(path.join(venv, 'bin', 'litellm'));
}

/** One line of tests/litellm/recorder.py's output. */
export interface LiteLlmRecord {
  outcome: 'success' | 'failure';
  /** LiteLLM's StandardLoggingPayload, as JSON. */
  standard_logging_object: StandardLoggingObject;
}

/** The fields of LiteLLM's StandardLoggingPayload the tests read (it has many more). */
export interface StandardLoggingObject {
  id: string;
  /** What LiteLLM's answer named in x-litellm-call-id. */
  litellm_call_id: string;
  call_type: string;
  model: string;
  model_group?: string | null;
  request_tags: string[];
  end_user: string | null;
  response_cost: number;
  /** The tokens LiteLLM priced. */
  prompt_tokens?: number;
  completion_tokens?: number;
  /** The deployment that answered (x-litellm-model-id). */
  model_id?: string | null;
  stream?: boolean;
  status: string;
  metadata: { spend_logs_metadata: Record<string, unknown> | null; requester_custom_headers?: Record<string, string> | null; [key: string]: unknown };
  [key: string]: unknown;
}

/** A deep-merge patch for config.yaml: objects merge key by key, anything else replaces. */
export type ConfigPatch = Record<string, unknown>;

export interface StartLiteLlmOptions {
  provider: FakeProvider;
  /** Which pinned LiteLLM (default: the main one). */
  pin?: LiteLlmPin;
  config?: ConfigPatch;
  /** Extra environment for LiteLLM. */
  env?: Record<string, string>;
}

export interface LiteLlm {
  /** http://127.0.0.1:port, no path. */
  url: string;
  port: number;
  /** Everything the callback recorded so far, in order. */
  records(): Promise<LiteLlmRecord[]>;
  /** Waits until `count` records exist and returns them all. */
  waitForRecords(count: number, timeoutMs?: number): Promise<LiteLlmRecord[]>;
  /** Waits for the record of the call LiteLLM's answer named (x-litellm-call-id). */
  recordOf(callId: string | null, timeoutMs?: number): Promise<StandardLoggingObject>;
  /** LiteLLM's own output so far (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(base[key], value);
  return out;
}

/** config.yaml with a test's changes, as text. */
export async function rigConfig(patch: ConfigPatch = {}): Promise<string> {
  const base: unknown = parse(await readFile(path.join(LITELLM_RIG_DIR, 'config.yaml'), 'utf8'));
  return stringify(merge(base, patch));
}

const READY_TIMEOUT_MS = 90_000;

/** Starts LiteLLM and resolves once it answers /health/liveliness; throws with its output if it does not. */
export async function startLiteLlm(options: StartLiteLlmOptions): Promise<LiteLlm> {
  const venv = litellmVenv(options.pin);
  const dir = await tempDir('interceptor-litellm-');
  const configFile = path.join(dir, 'config.yaml');
  const recordFile = path.join(dir, 'records.jsonl');
  await writeFile(configFile, await rigConfig(options.config));
  await writeFile(recordFile, '');
  // Older LiteLLMs import config modules from the config's folder only: the rig's Python goes beside it.
  for (const module of ['recorder.py', 'keys.py']) await symlink(path.join(LITELLM_RIG_DIR, module), path.join(dir, module));
  const port = await freePort();
  const child: ChildProcess = spawn(path.join(venv, 'bin', 'litellm'), ['--config', configFile, '--host', '127.0.0.1', '--port', String(port), '--telemetry', 'False'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      LANG: 'C.UTF-8',
      // recorder.py is imported by name from the rig folder (the config here is a derived copy).
      PYTHONPATH: LITELLM_RIG_DIR,
      LITELLM_RIG_RECORD_FILE: recordFile,
      // The bundled price table: without it LiteLLM fetches one from the internet at import.
      LITELLM_LOCAL_MODEL_COST_MAP: 'True',
      // Likewise its Anthropic beta-header table, fetched from GitHub at the first /v1/messages.
      LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS: 'True',
      FAKE_PROVIDER_URL: options.provider.url,
      FAKE_PROVIDER_OPENAI_BASE: `${options.provider.url}/v1`,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    // Bounded: LiteLLM can be chatty; the tail is what explains a failure.
    output = (output + chunk.toString('utf8')).slice(-64 * 1024);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const response = await fetch(`${url}/health/liveliness`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    if (response?.ok === true) break;
    const exited = child.exitCode !== null || child.signalCode !== null;
    if (exited || Date.now() > deadline) {
      await stop();
      const why = exited ? `litellm exited (${child.exitCode ?? child.signalCode}) before it answered` : `LiteLLM did not answer within ${READY_TIMEOUT_MS} ms`;
      throw new Error(`${why}\nLiteLLM's output:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const records = async (): Promise<LiteLlmRecord[]> =>
    (await readFile(recordFile, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LiteLlmRecord);

  return {
    url,
    port,
    records,
    async waitForRecords(count, timeoutMs = 10_000) {
      try {
        return await waitFor(`${count} LiteLLM log records`, async () => {
          const all = await records();
          return all.length >= count ? all : undefined;
        }, timeoutMs, 50);
      } catch (error) {
        throw new Error(`${(error as Error).message}; recorded: ${JSON.stringify(await records())}\nLiteLLM's output:\n${output}`, { cause: error });
      }
    },
    async recordOf(callId, timeoutMs = 10_000) {
      if (!callId) throw new Error('the answer carried no x-litellm-call-id');
      try {
        return await waitFor(`LiteLLM's log record of call ${callId}`, async () => (await records()).find((r) => r.standard_logging_object?.litellm_call_id === callId)?.standard_logging_object, timeoutMs, 50);
      } catch (error) {
        throw new Error(`${(error as Error).message}; recorded: ${JSON.stringify(await records()).slice(0, 4000)}\nLiteLLM's output:\n${output}`, { cause: error });
      }
    },
    output: () => output,
    stop,
  };
}

/**
 * describe() for suites that need the real LiteLLM. Without its venv the suite is reported skipped
 * with the reason in its name, and the reason is printed once, plainly. Suites start LiteLLM in
 * beforeAll (never in the describe body, which vitest also runs for a skipped suite).
 */
export function describeWithLiteLlm(name: string, body: () => void, pin: LiteLlmPin = MAIN_PIN): void {
  if (litellmAvailable(pin)) {
    describe(name, body);
    return;
  }
  process.stdout.write(`${name}: ${LITELLM_SKIPPED}\n`);
  describe.skip(`${name} — ${LITELLM_SKIPPED}`, body);
}
