// The `interceptor` executable: wires the real process (argv, streams, environment, signals) to runCli.
import { getEventListeners } from 'node:events';
import { installShutdownHandler } from '../core/graceful-signals';
import { runCli } from './run-cli';

/**
 * A verb that listens on its stop signal (run, serve, a confirmation prompt) gets this long after the
 * first Ctrl-C to wind down by itself (their own grace for requests in flight is 5 s).
 */
const FORCED_EXIT_MS = 8_000;

const stop = new AbortController();
let stopping = false;
const onSignal = (signal: NodeJS.Signals) => {
  const code = signal === 'SIGINT' ? 130 : 143;
  // A verb that does not listen for the stop (a one-shot registry command) ends now; a registry
  // write in progress is safe (atomic rename) and proper-lockfile releases its lock on exit.
  if (stopping || getEventListeners(stop.signal, 'abort').length === 0) process.exit(code);
  stopping = true;
  stop.abort(new Error(`received ${signal}`));
  setTimeout(() => process.exit(code), FORCED_EXIT_MS).unref();
};
installShutdownHandler(onSignal);

// `interceptor list | head -1`: a closed pipe is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  },
  { env: process.env, cwd: process.cwd(), stopSignal: stop.signal },
);
