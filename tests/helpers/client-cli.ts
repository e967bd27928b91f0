// The real AI client CLIs (tests/clients/package.json: Claude Code, the Continue CLI, Codex) as a test
// runs them: where they are installed, a skip with the reason when they are not, each one's
// environment for running offline, and a bounded run in its own process group. Shared by the client
// suites against a fake LiteLLM (tests/clients/) and against the real one (tests/litellm/).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths';

export const CLIENT_BIN = path.join(REPO_ROOT, 'tests', 'clients', 'node_modules', '.bin');
/** Preloaded into Node-based clients: nothing but 127.0.0.1 resolves or answers. */
export const LOOPBACK_ONLY = path.join(REPO_ROOT, 'tests', 'helpers', 'loopback-only.mjs');

export type ClientCommand = 'claude' | 'cn' | 'codex';

export const clientInstalled = (name: ClientCommand): boolean => existsSync(path.join(CLIENT_BIN, name));

/** Why a client's test cannot run here, or undefined when it can. */
export function clientMissing(name: ClientCommand): string | undefined {
  return clientInstalled(name) ? undefined : `${name} is not installed: run \`npm ci --prefix tests/clients\` (.ci/run does)`;
}

/** Skips, with the reason, when the client's package is not installed (a plain `npm ci` leaves them out). */
export function requireClient(name: ClientCommand, skip: (note: string) => void): void {
  const missing = clientMissing(name);
  if (missing !== undefined) skip(missing);
}

export interface ClientRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ClientRunOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs?: number;
  /** Ends the run (its whole process group) once the output shows what the test waits for. */
  stopWhen?: (output: string) => boolean;
}

/**
 * A client CLI as a child process with only the environment given, in its own process group (the npm
 * launchers of Codex and Claude Code start a native binary), bounded in time.
 */
export function runClient(command: string, args: string[], options: ClientRunOptions): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const check = () => {
      if (options.stopWhen?.(stdout + stderr)) killGroup();
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      check();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      check();
    });
    const timer = setTimeout(killGroup, options.timeoutMs ?? 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Claude Code in `-p` mode in a project folder `interceptor setup` configured: no key and no URL in
 * the environment (both come from the project's .claude/settings.local.json), nothing nonessential sent.
 */
export function runClaude(project: string, home: string, prompt = 'say hi'): Promise<ClientRun> {
  return runClient(path.join(CLIENT_BIN, 'claude'), ['-p', prompt, '--output-format', 'text'], {
    cwd: project,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_TELEMETRY: '1', DISABLE_AUTOUPDATER: '1' },
  });
}

/**
 * The Continue CLI (`cn -p`) with the model block `interceptor setup` wrote. Its hub and its version
 * check go to `hubUrl` (something on loopback) and every other host is refused.
 */
export function runContinue(project: string, home: string, hubUrl: string, prompt = 'say hi'): Promise<ClientRun> {
  return runClient(path.join(CLIENT_BIN, 'cn'), ['-p', prompt, '--config', '.continue/models/interceptor.yaml'], {
    cwd: project,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      CONTINUE_API_BASE: `${hubUrl}/`,
      CONTINUE_METRICS_ENABLED: '0',
      NODE_OPTIONS: `--import=${LOOPBACK_ONLY}`,
    },
  });
}
