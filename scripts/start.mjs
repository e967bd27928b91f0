// `npm start`: builds dist/, then runs the tray app when an Electron runtime is present (or can be
// downloaded), otherwise the headless supervisor with its web dashboard, saying why in one line.
//
// Stopping. Process managers, IDE run configurations and `timeout` stop a program by signalling the
// process they started: npm, which does not pass every signal on to this script (launcher-watch.mjs
// says how each one is seen anyway). A stop request, seen or received, stops what runs now; what
// this script started runs in its own process group, so a terminal's Ctrl-C reaches it once, through here.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadElectronRuntime, findElectronRuntime } from './electron-runtime.mjs';
import { watchLauncher } from './launcher-watch.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mainBundle = path.join(root, 'dist', 'main', 'main.cjs');
const windows = process.platform === 'win32';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** One Ctrl-C can arrive twice (from the terminal, and from npm passing it on): that is one request. */
const SAME_REQUEST_MS = 500;
/** After asking the app to stop: it lets requests in flight finish (5 s) and forces its own exit at 8 s. */
const KILL_AFTER_MS = 15_000;

/** What runs now: the build, the Electron download or the app; stopping stops it. */
let current;
let stopping = false;
let lastSignalAt = 0;
const stopController = new AbortController();

function exitCodeFor(signal) {
  return 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal] ?? 15);
}

/**
 * A stop request: the first one asks what runs to stop (SIGHUP becomes SIGTERM: the app treats
 * INT and TERM as "finish and exit"); a second one, later, passes on, so the app stops at once.
 */
function requestStop(signal, why) {
  const now = Date.now();
  if (stopping && (why !== 'signal' || now - lastSignalAt < SAME_REQUEST_MS)) return;
  lastSignalAt = now;
  if (!stopping) {
    stopping = true;
    stopController.abort();
    setTimeout(() => {
      current?.kill('SIGKILL');
      process.exit(exitCodeFor(signal));
    }, KILL_AFTER_MS).unref();
  }
  if (current && current.exitCode === null && current.signalCode === null) current.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  else process.exit(exitCodeFor(signal));
}

for (const signal of STOP_SIGNALS) process.on(signal, () => requestStop(signal, 'signal'));

/** Runs a step to its end; resolves to its exit code (a signal counts as a failure). */
function step(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    current = child;
    child.on('error', (error) => {
      console.error(`cannot run ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? exitCodeFor(signal ?? 'SIGTERM')));
  });
}

async function electronExecutable() {
  if (!existsSync(mainBundle)) return { why: 'the Electron shell is not built (dist/main/main.cjs missing)' };
  let found = findElectronRuntime();
  if ('executable' in found) return found;
  const failure = await downloadElectronRuntime({ signal: stopController.signal });
  if (failure) return { why: failure };
  found = findElectronRuntime();
  return 'executable' in found ? found : { why: found.missing };
}

watchLauncher((signal) => requestStop(signal, 'launcher'));

const built = await step(process.execPath, [path.join(root, 'build', 'build.mjs')]);
if (stopping) process.exit(exitCodeFor('SIGTERM'));
if (built !== 0) process.exit(built);

const electron = await electronExecutable();
if (stopping) process.exit(exitCodeFor('SIGTERM'));
const [command, args] =
  'executable' in electron
    ? [electron.executable, [root, ...process.argv.slice(2)]]
    : [process.execPath, [path.join(root, 'dist', 'cli', 'interceptor.js'), 'serve', ...process.argv.slice(2)]];
if (!('executable' in electron)) console.log(`Electron runtime not available (${electron.why}): running headless.`);

// Its own process group (not on Windows, where that means a new console window), so that only this
// script passes stop requests on; stdin is not the terminal's, as a background group must not read it.
const code = await step(command, args, { detached: !windows, stdio: ['ignore', 'inherit', 'inherit'] });
process.exit(code);
