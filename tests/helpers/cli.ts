// Runs the built `interceptor` CLI as a real child process, the way a user's shell would, with a
// controlled environment: only PATH plus what the test passes, HOME defaulting to the test file's
// throw-away HOME. Bounded in time: a hung CLI is killed and reported.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI_PATH } from './paths';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time of the run, for diagnostics only (never asserted on as performance). */
  ms: number;
}

export interface CliRunOptions {
  env?: Record<string, string | undefined>;
  home?: string;
  cwd?: string;
  /** Written to stdin, which is then closed. Without it stdin is closed immediately. */
  input?: string;
  timeoutMs?: number;
}

export function cliEnv(options: Pick<CliRunOptions, 'env' | 'home'> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.home ?? process.env.HOME,
    USERPROFILE: options.home ?? process.env.HOME,
    LANG: 'C.UTF-8',
  };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  result: Promise<CliResult>;
}

/** Starts the CLI and returns at once, for tests that signal it or write to its stdin while it runs. */
export function spawnCli(args: string[], options: Omit<CliRunOptions, 'input'> = {}): CliProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: cliEnv(options),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.on('error', () => undefined); // the CLI may exit before reading stdin
  const timeoutMs = options.timeoutMs ?? 25_000;
  const result = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && Date.now() - started >= timeoutMs) {
        reject(new Error(`interceptor ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
        return;
      }
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  return { child, result };
}

export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  const { child, result } = spawnCli(args, options);
  child.stdin.end(options.input ?? '');
  return result;
}

/** stdout parsed as the verb's JSON document (fails the test with the output when it is not JSON). */
export function parseJson<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}
