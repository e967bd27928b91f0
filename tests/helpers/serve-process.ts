// `interceptor serve --json` as a real child process: its JSON-lines events collected, helpers to
// wait for one, and a bounded stop. Used by the serve end-to-end tests and the renderer tests.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cliEnv } from './cli';
import { CLI_PATH } from './paths';
import { freePort } from './ports';

export interface ServeEvent {
  event: string;
  [key: string]: unknown;
}

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  events: ServeEvent[];
  stderr(): string;
  /** The first event (already seen or still to come) that matches. */
  waitForEvent(match: (event: ServeEvent) => boolean, what: string, timeoutMs?: number): Promise<ServeEvent>;
  /** Sends a signal (none: null) and waits for the exit (SIGKILL after timeoutMs). */
  stop(signal?: NodeJS.Signals | null, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartServeOptions {
  home: string;
  env?: Record<string, string | undefined>;
  args?: string[];
}

export async function startServe(options: StartServeOptions): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI_PATH, 'serve', '--json', ...(options.args ?? [])], {
    // The shared IDE port on a port of this test file's own unless the test chooses one.
    env: cliEnv({ home: options.home, env: { XDG_CONFIG_HOME: `${options.home}/.config`, INTERCEPTOR_IDE_PORT: String(await freePort()), ...options.env } }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const events: ServeEvent[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let buffered = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() === '') continue;
      try {
        events.push(JSON.parse(line) as ServeEvent);
      } catch {
        events.push({ event: 'unparsed', line });
      }
    }
    for (const wake of waiters) wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    }),
  );

  const process_: ServeProcess = {
    child,
    events,
    stderr: () => stderr,
    waitForEvent(match, what, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found) {
            done();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`serve exited (${child.exitCode ?? child.signalCode}) before ${what}\nstderr: ${stderr}\nevents: ${JSON.stringify(events)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nstderr: ${stderr}\nevents: ${JSON.stringify(events)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
      if (signal && child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  return process_;
}
