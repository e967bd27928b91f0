// `interceptor run --json` as a real child process: its JSON lines collected, a wait for its ready
// line, and a bounded stop. For suites that put a real proxy in front of a real upstream.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cliEnv } from './cli';
import { CLI_PATH } from './paths';
import { waitFor } from './wait';

export interface RunProcess {
  child: ChildProcessWithoutNullStreams;
  /** The ready line: baseUrl, slug, port... */
  ready: Record<string, unknown>;
  /** Every JSON line printed so far. */
  events(): Record<string, unknown>[];
  stderr(): string;
  stop(): Promise<void>;
}

export async function startRun(args: string[], options: { env: Record<string, string | undefined>; cwd: string; home: string }): Promise<RunProcess> {
  const child = spawn(process.execPath, [CLI_PATH, 'run', '--json', ...args], { cwd: options.cwd, env: cliEnv({ env: options.env, home: options.home }) });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const events = (): Record<string, unknown>[] =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{') && line.endsWith('}'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const ready = await waitFor(
      'the ready line of interceptor run',
      () => {
        if (child.exitCode !== null) throw new Error(`run exited with ${child.exitCode}`);
        return events().find((event) => event.event === 'ready');
      },
      15_000,
    );
    return { child, ready, events, stderr: () => err, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\nstdout: ${out}\nstderr: ${err}`, { cause: error });
  }
}
